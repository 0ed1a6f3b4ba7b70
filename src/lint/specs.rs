//! Package specs and overrides: specs that match nothing, or one package twice (in a profile
//! or through `inherits`), a `strip` that does not reach what an override matches, and
//! `package."*"`, which never reaches the workspace's own crates.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use toml_edit::{Item, TableLike};

use crate::cargo::schema::{self, Key, Value};
use crate::edit::marker;
use crate::lint::pass::{Defined, Lint};
use crate::lint::rules::{Code, Severity};

impl Lint<'_> {
    /// Package specs that match nothing, differ only by `-`/`_`, or match one package twice.
    pub(super) fn specs(&mut self, i: usize, profile: &Item, specs: &BTreeMap<(String, String), Vec<String>>) {
        for ((name_of_profile, name), list) in specs {
            let at = spec_span(profile, name_of_profile, &list[0]).map(|s| (i, s));
            if list.len() > 1 {
                self.push(
                    Severity::Error,
                    Code::MultipleSpecs,
                    at.clone(),
                    format!(
                        "package specs {} in profile `{name_of_profile}` all match package `{name}`",
                        list.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                    ),
                    &["cargo refuses to build when two overrides match one package; keep one"],
                );
            }
            if name == "*" {
                continue;
            }
            if self.inputs.packages.contains(name) {
                self.spec_version(at, name_of_profile, name, list);
                continue;
            }
            let twin = name.replace('-', "_");
            let twin = self.inputs.packages.iter().find(|p| p.replace('-', "_") == twin);
            match twin {
                Some(real) => self.push(Severity::Warning, Code::SpecMismatch, at, format!("package spec `{name}` matches nothing; the package is called `{real}`"), &[
                    "cargo does not treat `-` and `_` as the same in package specs",
                ]),
                None if self.inputs.packages_complete => self.push(Severity::Warning, Code::SpecUnmatched, at, format!("package spec `{name}` in profile `{name_of_profile}` matches no package in Cargo.lock"), &[
                    "the override does nothing; check the name",
                ]),
                None => self.push(Severity::Note, Code::SpecUnmatched, at, format!("package spec `{name}` in profile `{name_of_profile}` is neither a member nor a direct dependency"), &[
                    "it may name a transitive dependency; without a Cargo.lock this cannot be checked",
                ]),
            }
        }
    }

    /// A spec whose version (`dep@0.3`) matches none of the versions `Cargo.lock` has of it:
    /// cargo warns that it matches nothing.
    fn spec_version(&mut self, at: Option<(usize, Range<usize>)>, profile: &str, name: &str, specs: &[String]) {
        let Some(versions) = self.inputs.versions.get(name) else { return };
        for spec in specs {
            let Some(wanted) = spec.split_once(['@', ':']).map(|(_, v)| v) else { continue };
            if !versions.iter().any(|version| crate::cargo::lockfile::version_matches(wanted, version)) {
                self.push(Severity::Warning, Code::SpecUnmatched, at.clone(), format!(
                    "package spec `{spec}` in profile `{profile}` has a version that matches no `{name}` in Cargo.lock ({})",
                    versions.join(", ")
                ), &["the override does nothing; fix the version or leave it out"]);
            }
        }
    }

    /// Two overrides that match one package through `inherits` (`[profile.dev.package.dep]` and
    /// `[profile.ci.package."dep@0.2.0"]` with `ci` inheriting `dev`; `test` and `bench` inherit
    /// `dev` and `release`): cargo refuses every build, as for two in one profile.
    pub(super) fn inherited_specs(
        &mut self,
        parsed: &[Option<&toml_edit::Document<String>>],
        defined: &BTreeMap<String, Vec<Defined>>,
    ) {
        // profile -> (spec, source), from the files whose profiles cargo uses.
        let mut by_profile: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
        for (i, doc) in parsed.iter().enumerate() {
            let Some(doc) = doc.as_ref().filter(|_| self.inputs.sources[i].kind.profiles_apply()) else {
                continue;
            };
            let profiles = doc.get("profile").and_then(Item::as_table_like);
            for (name, body) in profiles.into_iter().flat_map(|t| t.iter()) {
                let specs = body.get("package").and_then(Item::as_table_like);
                by_profile
                    .entry(name)
                    .or_default()
                    .extend(specs.into_iter().flat_map(|t| t.iter()).map(|(spec, _)| (spec, i)));
            }
        }
        let names: BTreeSet<&str> = defined.keys().map(String::as_str).chain(schema::BUILTIN_PROFILES).collect();
        for name in names {
            let Ok(chain) = self.layers.chain(name) else { continue };
            let mut seen: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
            for link in &chain {
                for (spec, source) in by_profile.get(link.as_str()).into_iter().flatten() {
                    let package = spec.split(['@', ':']).next().unwrap_or_default();
                    match seen.get(package) {
                        Some((first, from)) if first != spec && *from != link.as_str() => {
                            let at = parsed[*source]
                                .as_ref()
                                .and_then(|d| spec_span(d.get("profile")?, link, spec))
                                .map(|span| (*source, span));
                            let message = format!(
                                "package specs `{first}` and `{spec}` both match package `{package}` in profile `{name}` (through `inherits`, from `{from}` and `{link}`)"
                            );
                            self.push(Severity::Error, Code::MultipleSpecs, at, message, &[
                                "cargo refuses every build when two overrides match one package, also across `inherits`; use one spec for the package in both profiles",
                            ]);
                        }
                        Some(_) => {}
                        None => {
                            seen.insert(package, (spec, link.as_str()));
                        }
                    }
                }
            }
        }
    }

    /// `strip` does not reach a member that a package override matches (one that links something:
    /// `strip` means nothing to a library): cargo builds it with
    /// the default strip, so `[profile.release] strip = "symbols"` plus
    /// `[profile.release.package.app] opt-level = 2` ships an unstripped `app`.
    pub(super) fn strip_and_overrides(&mut self, parsed: &[Option<&toml_edit::Document<String>>]) {
        let members = &self.inputs.linked_members;
        for (i, doc) in parsed.iter().enumerate() {
            let Some(doc) = doc.as_ref().filter(|_| self.inputs.sources[i].kind.profiles_apply()) else {
                continue;
            };
            let Some(profile_item) = doc.get("profile") else { continue };
            for (name, body) in profile_item.as_table_like().into_iter().flat_map(|t| t.iter()) {
                let Ok(strip) = self.layers.effective(name, Key::Strip, None) else { continue };
                let Some(value) = strip.value.filter(|v| !Key::Strip.same_meaning(v, &Value::Bool(false))) else {
                    continue;
                };
                let overrides = body.get("package").and_then(Item::as_table_like);
                for (spec, table) in overrides.into_iter().flat_map(|t| t.iter()) {
                    let package = spec.split(['@', ':']).next().unwrap_or_default();
                    if !members.contains(package) || table.get("strip").is_some() {
                        continue;
                    }
                    self.push(Severity::Warning, Code::StripSkipsOverride, spec_span(profile_item, name, spec).map(|s| (i, s)), format!(
                        "`profile.{name}.strip = {value}` does not reach `{package}`: cargo builds a package its override matches with the default strip"
                    ), &[&format!("add `strip = {value}` to `[profile.{name}.package.{spec}]` as well")]);
                }
            }
        }
    }

    /// Hand-written `package."*"` settings, expected to cover the workspace's own crates too.
    pub(super) fn star_excludes_members(&mut self, i: usize, profile: &Item, name: &str, body: &dyn TableLike) {
        let Some(star_item) = body.get("package").and_then(|p| p.get("*")) else { return };
        let Some(star) = star_item.as_table_like() else { return };
        // A table a preset wrote already says so in its header comment.
        let text = &self.inputs.sources[i].text;
        let prefix = star_item.as_table().and_then(|t| t.decor().prefix());
        let prefix = prefix.and_then(|p| p.as_str().or_else(|| p.span().and_then(|r| text.get(r)))).unwrap_or("");
        if marker::markers(prefix).next().is_some() {
            return;
        }
        let only_deps: Vec<&str> = star
            .iter()
            .map(|(k, _)| k)
            .filter(|k| Key::from_name(k).is_some_and(Key::allowed_in_override) && body.get(k).is_none())
            .collect();
        if !only_deps.is_empty() {
            self.push(Severity::Note, Code::StarExcludesMembers, spec_span(profile, name, "*").map(|s| (i, s)), format!(
                "`profile.{name}.package.\"*\"` sets {} for dependencies only, never for this workspace's own crates",
                only_deps.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ), &["that is usually the point; name a member in `package.<name>` to include it"]);
        }
    }
}

fn spec_span(profile: &Item, name: &str, spec: &str) -> Option<Range<usize>> {
    let specs: &dyn TableLike = profile.get(name)?.get("package")?.as_table_like()?;
    specs.get_key_value(spec).and_then(|(k, _)| k.span())
}
