//! `inherits` chains, by cargo's rules ([`crate::cargo::inherit`]): missing, looping, naming
//! what is not there, from a file or from `CARGO_PROFILE_<NAME>_INHERITS`; and what a profile
//! loses by inheriting `release`.

use std::collections::{BTreeMap, BTreeSet};

use toml_edit::Item;

use crate::cargo::effective;
use crate::cargo::inherit::Broken;
use crate::cargo::schema::{self, Key};
use crate::lint::pass::{Defined, Lint, profile_key_span};
use crate::lint::rules::{Code, Severity};

impl Lint<'_> {
    /// The way out of `missing-inherits`.
    const ADD_INHERITS: &'static str =
        "add `inherits = \"release\"` or `inherits = \"dev\"`: cargo refuses every command while it is missing";

    /// `inherits` across every source, by cargo's rules ([`crate::cargo::inherit::chain`]),
    /// reported at the profile at fault. A config file's value wins over the manifest's, as in
    /// cargo.
    pub(super) fn inheritance(&mut self, defined: &BTreeMap<String, Vec<Defined>>) {
        // A loop is reported once, at its first profile, not once per profile in it.
        let mut in_reported_loop: BTreeSet<String> = BTreeSet::new();
        for (name, list) in defined {
            let Some(first) = list.iter().find(|d| self.inputs.sources[d.source].kind.profiles_apply()) else {
                continue;
            };
            let at = first.span.clone().map(|s| (first.source, s));
            let Err(error) = self.layers.chain(name) else { continue };
            let (code, help): (Code, &[&str]) = match &error.broken {
                // Only a profile in the loop (its chain comes back to it) is at fault.
                Broken::Loop(chain) if chain.last() != Some(name) || in_reported_loop.contains(name) => continue,
                Broken::Loop(chain) => {
                    in_reported_loop.extend(chain.iter().cloned());
                    (Code::InheritsLoop, &[])
                }
                _ if error.profile != *name => continue,
                // The variable is at fault, and reported as such below.
                Broken::RootInherits if self.env_inherits(name) => continue,
                Broken::RootInherits => (Code::RootInherits, &[]),
                Broken::Missing => (Code::MissingInherits, &[Self::ADD_INHERITS]),
                Broken::InheritsDebug => (Code::InheritsDebug, &["use `inherits = \"dev\"`"]),
                Broken::UndefinedParent(_) => (Code::UndefinedParent, &[]),
                Broken::NotDefined => continue,
            };
            self.push(Severity::Error, code, at, error.to_string(), help);
        }
        self.env_inheritance(defined);
    }

    /// Whether `CARGO_PROFILE_<NAME>_INHERITS` is set for `profile`.
    fn env_inherits(&self, profile: &str) -> bool {
        let var = format!("CARGO_PROFILE_{}_INHERITS", effective::env_name(profile));
        self.inputs.env.iter().any(|(k, _)| *k == var)
    }

    /// `CARGO_PROFILE_<NAME>_INHERITS` for a profile no file defines, or for a root profile.
    /// Cargo reads `dev`'s and `release`'s for every command and refuses `inherits` there; a
    /// profile that exists only in the environment is checked only when a build uses it (cargo
    /// 1.95).
    pub(super) fn env_inheritance(&mut self, defined: &BTreeMap<String, Vec<Defined>>) {
        let env = self.inputs.env.clone();
        for (var, value) in env {
            let Some(upper) = var.strip_prefix("CARGO_PROFILE_").and_then(|v| v.strip_suffix("_INHERITS")) else {
                continue;
            };
            let name = defined.keys().find(|n| effective::env_name(n) == upper).cloned();
            // A profile a file defines is reported at the file, unless the variable alone is at
            // fault: `inherits` in a root profile.
            let name = match name {
                Some(name) if !schema::is_root_profile(&name) => continue,
                Some(name) => name,
                None => upper.to_lowercase(),
            };
            let Err(error) = self.layers.chain(&name) else { continue };
            let (severity, code, when) = match error.broken {
                Broken::RootInherits => (Severity::Error, Code::RootInherits, "every cargo command fails"),
                Broken::Missing => (Severity::Warning, Code::MissingInherits, "cargo fails when a build uses it"),
                Broken::InheritsDebug => (Severity::Warning, Code::InheritsDebug, "cargo fails when a build uses it"),
                Broken::UndefinedParent(_) => {
                    (Severity::Warning, Code::UndefinedParent, "cargo fails when a build uses it")
                }
                Broken::Loop(_) => (Severity::Warning, Code::InheritsLoop, "cargo fails when a build uses it"),
                Broken::NotDefined => continue,
            };
            self.push(
                severity,
                code,
                None,
                format!("`{var}={value}`: {error}"),
                &[&format!("{when}; unset the variable or fix its value")],
            );
        }
    }

    /// A testing profile (staging, qa, ci) that inherits `release` for speed, asks for debug
    /// info, and so looks like a debug build, but runs without assertions. Not a profile meant
    /// for profiling, benchmarking or shipping: there that is the point.
    pub(super) fn release_without_assertions(&mut self, i: usize, profile: &Item, name: &str) {
        let meant_without = ["prof", "bench", "perf", "flame", "rel", "prod", "dist", "ship", "deploy", "publish"];
        let from_release = self.layers.chain(name).is_ok_and(|chain| chain.last().is_some_and(|r| r == "release"));
        if from_release
            && !schema::is_builtin_profile(name)
            && !meant_without.iter().any(|w| name.contains(w))
            && self.effective_on(name, Key::Debug) == Some(true)
            && self.effective_on(name, Key::DebugAssertions) == Some(false)
        {
            self.push(Severity::Note, Code::ReleaseWithoutAssertions, profile_key_span(profile, name).map(|s| (i, s)), format!(
                "profile `{name}` has debug info but inherits `debug-assertions = false` from `release`"
            ), &["`debug` is symbols, not checks: add `debug-assertions = true` if `debug_assert!` should fire in this profile"]);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{check, codes, inputs};
    use crate::lint::{Code, Severity};

    #[test]
    fn inherits_rules_and_env_name_collisions() {
        assert_eq!(codes("[profile.fast]\nopt-level = 1\n"), [Code::MissingInherits]);
        assert_eq!(codes("[profile.dev]\ninherits = \"release\"\n"), [Code::RootInherits]);
        assert_eq!(codes("[profile.a]\ninherits = \"b\"\n[profile.b]\ninherits = \"a\"\n"), [Code::InheritsLoop]);
        // Only the profiles in a loop are at fault, not one inheriting into it.
        assert_eq!(
            codes("[profile.a]\ninherits = \"b\"\n[profile.b]\ninherits = \"a\"\n[profile.c]\ninherits = \"a\"\n"),
            [Code::InheritsLoop]
        );
        assert!(codes("[profile.x]\ninherits = \"doc\"\n[profile.y]\ninherits = \"test\"\n").is_empty());
        assert_eq!(codes("[profile.a]\ninherits = \"debug\"\n"), [Code::InheritsDebug]);
        assert_eq!(codes("[profile.a]\ninherits = \"nope\"\n"), [Code::UndefinedParent]);
        assert_eq!(codes("[profile.release-lto]\ninherits = \"release\"\nlto = true\n"), [Code::EnvCollision]);
    }

    #[test]
    fn inherits_from_the_environment() {
        let mut inputs = inputs("[workspace]\n");
        inputs.env = vec![("CARGO_PROFILE_RELEASE_INHERITS".into(), "dev".into())];
        let found = check(&inputs);
        let found: Vec<(Code, Severity)> =
            found.iter().filter(|f| f.code != Code::EnvOverride).map(|f| (f.code, f.severity)).collect();
        assert_eq!(found, [(Code::RootInherits, Severity::Error)]);
        // Reported once, as the variable's, where a file defines the profile too.
        let mut with_file = crate::lint::tests::inputs("[workspace]\n[profile.release]\nopt-level = 2\n");
        with_file.env.clone_from(&inputs.env);
        let found: Vec<String> =
            check(&with_file).iter().filter(|f| f.code == Code::RootInherits).map(|f| f.message.clone()).collect();
        assert_eq!(
            found,
            ["`CARGO_PROFILE_RELEASE_INHERITS=dev`: `inherits` must not be specified in root profile `release`"]
        );
        // A profile only the environment defines is checked when a build uses it.
        inputs.env = vec![("CARGO_PROFILE_CI_INHERITS".into(), "nope".into())];
        let found = check(&inputs);
        let found: Vec<(Code, Severity)> =
            found.iter().filter(|f| f.code != Code::EnvOverride).map(|f| (f.code, f.severity)).collect();
        assert_eq!(found, [(Code::UndefinedParent, Severity::Warning)]);
        inputs.env = vec![("CARGO_PROFILE_CI_INHERITS".into(), "release".into())];
        assert!(check(&inputs).iter().all(|f| f.code == Code::EnvOverride));
    }
}
