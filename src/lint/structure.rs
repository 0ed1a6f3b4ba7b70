//! The structure of a `[profile]` tree: files that do not parse, and what cargo's structural
//! rules ([`profiles::walk`]) refuse (names, specs, nesting, unknown keys). Each setting found
//! is handed to the families that judge values (`values`, `toolchain`), each profile to the
//! traps of the seed advice (`inherits`, `specs`).

use std::collections::{BTreeMap, BTreeSet};

use toml_edit::Item;

use crate::cargo::profiles::{self, Fault};
use crate::cargo::schema::{self, Value};
use crate::lint::findings::Source;
use crate::lint::pass::{Defined, Lint, profile_key_span};
use crate::lint::rules::{Code, Severity};

impl Lint<'_> {
    /// The source's document, or a finding that it does not parse.
    pub(super) fn parse<'t>(&mut self, i: usize, source: &'t Source) -> Option<&'t toml_edit::Document<String>> {
        match &source.doc {
            Ok(doc) => Some(doc),
            Err(e) => {
                let span = e.span().map(|s| (i, s));
                self.push(
                    Severity::Error,
                    Code::Parse,
                    span,
                    format!("could not parse `{}`: {}", source.path.display(), e.message().trim_end()),
                    &[],
                );
                None
            }
        }
    }

    /// One source's `[profile]` tree: what cargo's structure refuses here, each setting to the
    /// families that judge it, and the profiles and specs it defines for the rules that look
    /// across sources.
    pub(super) fn profile_tree(
        &mut self,
        i: usize,
        profile: &Item,
        gates: &BTreeSet<String>,
        defined: &mut BTreeMap<String, Vec<Defined>>,
    ) {
        let walk = profiles::walk(profile, self.layers.cargo_release);
        for problem in walk.problems {
            // `[profile.doc]` is accepted by cargo with a warning, and has no effect.
            let severity = if problem.fault == Fault::ProfileName && problem.message.contains("`doc`") {
                Severity::Warning
            } else {
                Severity::Error
            };
            let help: Vec<&str> = problem.help.iter().map(String::as_str).collect();
            self.push(severity, code(problem.fault), problem.span.map(|s| (i, s)), problem.message.clone(), &help);
        }
        // Every profile table and every override counts, even one with no keys of its own: an
        // empty custom profile still needs `inherits`, and an empty override still must match.
        let mut specs: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for (name, body) in profile.as_table_like().into_iter().flat_map(|t| t.iter()) {
            // A name cargo refuses is reported as such, and nothing more.
            if schema::check_profile_name(name, self.layers.cargo_release).is_err() {
                continue;
            }
            if body.as_table_like().is_some() {
                let list = defined.entry(name.to_owned()).or_default();
                if !list.iter().any(|d| d.source == i) {
                    list.push(Defined { source: i, span: profile_key_span(profile, name) });
                }
            }
            let overrides = body.get("package").and_then(Item::as_table_like);
            for (spec, _) in overrides.into_iter().flat_map(|t| t.iter()) {
                let package = spec.split(['@', ':']).next().unwrap_or_default().to_owned();
                let seen = specs.entry((name.to_owned(), package)).or_default();
                if !seen.iter().any(|s| s == spec) {
                    seen.push(spec.to_owned());
                }
            }
        }
        for entry in &walk.entries {
            let at = entry.item.span().or(entry.key_span.clone()).map(|s| (i, s));
            let path = &entry.path;
            let Some(value) = entry.item.as_value().and_then(Value::from_toml) else {
                self.push(
                    Severity::Error,
                    Code::InvalidValue,
                    at,
                    format!("invalid value for `{path}`: expected {}", path.key.expected()),
                    &[],
                );
                continue;
            };
            self.value(i, entry, &value);
            self.unstable(i, entry, &value, gates);
            self.effect(i, entry, &value);
        }
        self.specs(i, profile, &specs);
        // The traps of the seed advice, profile by profile.
        let counts = self.inputs.sources[i].kind.profiles_apply();
        for (name, body) in profile.as_table_like().into_iter().flat_map(|t| t.iter()) {
            let Some(body) = body.as_table_like() else { continue };
            if counts {
                self.release_without_assertions(i, profile, name);
            }
            self.star_excludes_members(i, profile, name, body);
        }
    }
}

/// The rule of each structural fault cargo's walk finds.
fn code(fault: Fault) -> Code {
    match fault {
        Fault::ProfileName => Code::ProfileName,
        Fault::NotATable => Code::NotATable,
        Fault::PackageSpec => Code::PackageSpec,
        Fault::NestedOverride => Code::NestedOverride,
        Fault::DirName => Code::DirName,
        Fault::UnknownKey => Code::UnknownKey,
        Fault::OverrideKey => Code::OverrideKey,
    }
}
