//! `--package SPEC`: a composition's settings for every dependency (`[profile.P.package."*"]`)
//! written for the named packages instead, as `[profile.P.package.SPEC]`. Pure, like
//! `--profile`: the composition goes in, the moved one comes out, before planning, so plan,
//! edit, comments, `remove` and `status` see only the named tables.
//!
//! A preset with `packages = "named"` (`hint-mostly-unused`) has `package."*"` tables only as
//! templates: composing sets them aside (`Composition::templates`), so without `--package` no
//! command shows, measures or writes them, since on every dependency they would do harm. The names are checked as cargo would judge them: a spec cargo refuses, or one that
//! matches no package of `Cargo.lock`, would be an override that silently does nothing.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::cargo::lockfile;
use crate::cargo::schema::{self, Scope};
use crate::compose::{Composed, Composition};
use crate::error::{Error, Result};
use crate::preset::{Preset, Setting};

impl Preset {
    /// The preset as `apply --package` writes it: each `package."*"` setting given to each of
    /// `specs` in turn. With no specs, a preset whose tables are templates (`packages = "named"`)
    /// leaves them out, and any other is as it is. `"*"` among `specs` keeps those settings.
    pub fn for_packages(&self, specs: &[String]) -> Preset {
        let keep_every = !self.named_packages;
        let mut preset = self.clone();
        preset.settings = given_to(&self.settings, specs, keep_every);
        preset.relies_on = given_to(&self.relies_on, specs, keep_every);
        for (variant, original) in preset.variants.iter_mut().zip(&self.variants) {
            variant.settings = given_to(&original.settings, specs, keep_every);
        }
        preset
    }
}

impl Composition {
    /// This composition with its `package."*"` settings, and the templates of presets with
    /// `packages = "named"`, written for `specs` instead. Refused when there are none to give.
    pub fn for_packages(mut self, specs: &[String]) -> Result<Composition> {
        if specs.is_empty() {
            return Ok(self);
        }
        let templates = std::mem::take(&mut self.templates);
        let every = |c: &&Composed| c.setting.path.table.scope.is_every_package();
        if !self.settings.iter().chain(&templates).any(|c| every(&c)) {
            let names: Vec<String> = self.presets.iter().map(|p| format!("`{}`", p.name)).collect();
            let who = match names.len() {
                1 => format!("{} has", names[0]),
                _ => format!("{} have", names.join(", ")),
            };
            let flags: Vec<String> = specs.iter().map(|s| format!("--package {s}")).collect();
            return Err(Error::new(format!("{who} no per-dependency settings to give to a package")).help(format!(
                "`{}` writes a preset's `[profile.<name>.package.\"*\"]` settings for the named packages instead; apply it without `--package`",
                flags.join(" ")
            )));
        }
        let moved = |list: &mut dyn Iterator<Item = &Composed>| -> Vec<Composed> {
            list.flat_map(|c| {
                let settings = given_to(std::slice::from_ref(&c.setting), specs, true);
                settings.into_iter().map(|setting| Composed { setting, preset: c.preset.clone() })
            })
            .collect()
        };
        self.settings = moved(&mut self.settings.iter().chain(&templates));
        self.relied = moved(&mut self.relied.iter());
        self.presets = self.presets.iter().map(|p| Rc::new(p.for_packages(specs))).collect();
        Ok(self)
    }

    /// The presets whose per-package settings stay out for want of `--package`.
    pub fn named_only(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for template in &self.templates {
            if !names.contains(&template.preset.as_str()) {
                names.push(&template.preset);
            }
        }
        names
    }
}

/// `settings` with each `package."*"` one given to each of `specs`; with none, kept or left out.
fn given_to(settings: &[Setting], specs: &[String], keep_every: bool) -> Vec<Setting> {
    let mut out = Vec::new();
    for setting in settings {
        if !setting.path.table.scope.is_every_package() {
            out.push(setting.clone());
        } else if specs.is_empty() {
            out.extend(keep_every.then(|| setting.clone()));
        } else {
            out.extend(specs.iter().map(|spec| {
                let mut named = setting.clone();
                named.path.table.scope = Scope::Package(spec.clone());
                named
            }));
        }
    }
    out
}

/// Checks `--package` specs as cargo would judge them against `locked` (the versions of each
/// package in `Cargo.lock`; `None` without one): a spec cargo refuses, `"*"`, the same package
/// twice (cargo refuses two overrides that match one package), a name or version that matches
/// nothing (cargo would warn and ignore the override).
pub fn check_specs(specs: &[String], locked: Option<&BTreeMap<String, Vec<String>>>) -> Result<()> {
    let mut matched: Vec<(&str, String)> = Vec::new();
    for spec in specs {
        let flag = format!("`--package {spec}`");
        if spec == "*" {
            return Err(Error::new(format!("{flag} names every dependency"))
                .help("apply the preset without `--package` for its settings on every dependency"));
        }
        schema::check_package_spec(spec)
            .map_err(|why| Error::new(format!("{flag}: {why}")).help("name a package as `name` or `name@version`"))?;
        let (name, version) = match spec.split_once(['@', ':']) {
            Some((name, version)) => (name, Some(version)),
            None => (spec.as_str(), None),
        };
        let Some(locked) = locked else {
            if let Some((other, _)) = matched.iter().find(|(_, n)| n == name) {
                return Err(twice(other, spec));
            }
            matched.push((spec, name.to_owned()));
            continue;
        };
        let Some(versions) = locked.get(name) else {
            let error = Error::new(format!("{flag}: no package `{name}` in Cargo.lock"))
                .detail("cargo would warn that the override matches no package, and ignore it");
            return Err(match crate::suggest::closest(name, locked.keys().map(String::as_str), 3) {
                Some(near) => error.help(format!("did you mean `{near}`?")),
                None => error.help(format!(
                    "if `{name}` was just added as a dependency, `cargo generate-lockfile` (or `cargo update -p {name}`) records it in Cargo.lock; then apply again"
                )),
            });
        };
        let hits: Vec<&String> =
            versions.iter().filter(|v| version.is_none_or(|wanted| lockfile::version_matches(wanted, v))).collect();
        if hits.is_empty() {
            return Err(Error::new(format!(
                "{flag}: Cargo.lock has no `{name}` of version {} (it has {})",
                version.unwrap_or_default(),
                versions.join(", ")
            ))
            .detail("cargo would warn that the override matches no package, and ignore it")
            .help(format!("name a version Cargo.lock has, or `--package {name}` for every version")));
        }
        for hit in hits {
            let package = format!("{name}@{hit}");
            if let Some((other, _)) = matched.iter().find(|(_, p)| *p == package) {
                return Err(twice(other, spec));
            }
            matched.push((spec, package));
        }
    }
    Ok(())
}

fn twice(first: &str, second: &str) -> Error {
    let which = if first == second {
        format!("`--package {first}` is given twice")
    } else {
        format!("`--package {first}` and `--package {second}` match the same package")
    };
    Error::new(which).help("cargo refuses to build when two overrides match one package; name it once")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Library;

    fn composed(names: &[&str], specs: &[&str]) -> Result<Composition> {
        let library = Library::discover(None, None).unwrap();
        let names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
        let specs: Vec<String> = specs.iter().map(|s| (*s).to_owned()).collect();
        crate::compose::compose_unknown_toolchain(&library, &names).unwrap().for_packages(&specs)
    }

    fn keys(composition: &Composition) -> Vec<String> {
        composition.settings.iter().map(|c| c.setting.path.to_string()).collect()
    }

    fn locked() -> BTreeMap<String, Vec<String>> {
        [("app", vec!["0.1.0"]), ("dep", vec!["0.1.0", "0.2.0"]), ("serde_json", vec!["1.0.140"])]
            .into_iter()
            .map(|(n, v)| (n.to_owned(), v.into_iter().map(str::to_owned).collect()))
            .collect()
    }

    #[test]
    fn every_dependency_settings_go_to_each_named_package() {
        let moved = composed(&["deps-opt1-dev"], &["regex", "serde_json@1"]).unwrap();
        assert_eq!(
            keys(&moved),
            [
                "profile.dev.package.regex.opt-level",
                "profile.dev.package.\"serde_json@1\".opt-level",
                "profile.dev.package.regex.debug",
                "profile.dev.package.\"serde_json@1\".debug",
            ]
        );
        assert_eq!(moved.presets[0].settings.len(), 4, "`remove` and `status` look for the same keys");
        assert_eq!(moved.settings[0].setting.why, composed(&["deps-opt1-dev"], &[]).unwrap().settings[0].setting.why);
    }

    #[test]
    fn other_settings_stay_and_without_specs_nothing_moves() {
        let moved = composed(&["fast-dev"], &["dep"]).unwrap();
        let keys = keys(&moved);
        assert!(keys.contains(&"profile.dev.debug".to_owned()), "{keys:?}");
        assert!(keys.contains(&"profile.dev.package.dep.debug".to_owned()), "{keys:?}");
        assert!(!keys.iter().any(|k| k.contains("\"*\"")), "{keys:?}");
        let plain = composed(&["fast-dev"], &[]).unwrap();
        assert!(self::keys(&plain).contains(&"profile.dev.package.\"*\".debug".to_owned()));
    }

    #[test]
    fn a_preset_without_per_dependency_settings_is_refused() {
        let err = composed(&["fast-runtime"], &["dep"]).unwrap_err().to_string();
        assert!(err.contains("`fast-runtime` has no per-dependency settings to give to a package"), "{err}");
    }

    #[test]
    fn templates_for_named_packages_are_left_out_without_specs() {
        let plain = composed(&["hint-mostly-unused"], &[]).unwrap();
        assert!(plain.settings.is_empty(), "{:?}", keys(&plain));
        assert_eq!(plain.named_only(), ["hint-mostly-unused"]);
        let named = composed(&["hint-mostly-unused"], &["dep"]).unwrap();
        assert_eq!(
            keys(&named),
            ["profile.dev.package.dep.hint-mostly-unused", "profile.release.package.dep.hint-mostly-unused"]
        );
    }

    #[test]
    fn specs_are_checked_as_cargo_judges_them() {
        let check = |specs: &[&str]| {
            let specs: Vec<String> = specs.iter().map(|s| (*s).to_owned()).collect();
            check_specs(&specs, Some(&locked())).map_err(|e| e.to_string())
        };
        assert!(check(&["dep", "serde_json@1.0"]).is_ok());
        assert!(check(&["app"]).is_ok(), "a member: cargo applies it");
        let err = check(&["serde-json"]).unwrap_err();
        assert!(
            err.contains("no package `serde-json` in Cargo.lock") && err.contains("did you mean `serde_json`?"),
            "{err}"
        );
        let err = check(&["regex"]).unwrap_err();
        assert!(err.contains("cargo generate-lockfile"), "{err}");
        let err = check(&["dep@0.3"]).unwrap_err();
        assert!(err.contains("has no `dep` of version 0.3 (it has 0.1.0, 0.2.0)"), "{err}");
        assert!(check(&["dep@@1"]).unwrap_err().contains("is not a version"));
        assert!(check(&["a b"]).unwrap_err().contains("is not a package name"));
        assert!(check(&["*"]).unwrap_err().contains("names every dependency"));
        assert!(check(&["dep", "dep@0.2.0"]).unwrap_err().contains("match the same package"));
        assert!(check(&["dep@0.1", "dep@0.2"]).is_ok());
        let unchecked = check_specs(&["nosuch".to_owned()], None);
        assert!(unchecked.is_ok(), "without Cargo.lock only the form is checked");
        assert!(check_specs(&["x".to_owned(), "x".to_owned()], None).unwrap_err().to_string().contains("given twice"));
    }
}
