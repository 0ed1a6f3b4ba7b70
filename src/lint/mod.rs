//! `check`: the profiles a workspace really has, linted against Cargo's rules and the pitfall
//! catalogue of the reference (`cargo-profiles.md` §6).
//!
//! Pure: takes the text of every source cargo would read (the root manifest, member manifests,
//! config files), the environment and a few facts, and returns findings. `ops::check` gathers the
//! inputs and prints. The structural rules are the ones presets are held to
//! ([`crate::cargo::profiles::walk`]); values in a user's own files may name a linker or a backend
//! path, which presets may not.
//!
//! [`rules`] is the catalogue (every code, its default level and its documentation), [`findings`]
//! what the rules read and say, [`levels`] what the project says about each rule. The rules
//! themselves are grouped by family, one module each, all methods of one `pass::Lint`:
//! `structure` walks each `[profile]` tree and hands every setting to `values` and `toolchain`,
//! and every profile to the traps in `inherits` and `specs`; `specs`, `inherits`, `members`,
//! `config`, `environment` and `rustflags` also look across sources. This module runs them in
//! order (the order of the findings within a severity).

mod config;
mod environment;
pub mod findings;
mod inherits;
pub mod levels;
mod members;
mod pass;
pub mod rules;
mod rustflags;
mod specs;
mod structure;
mod toolchain;
mod values;

use std::collections::BTreeMap;

use crate::cargo::effective::{self, Layer, Layers};

pub use findings::{Finding, Inputs, Source, SourceKind};
pub use rules::{Code, Severity};

use pass::{Defined, Lint};

/// Every finding about `inputs`, the most severe first, with the project's lint levels applied.
pub fn check(inputs: &Inputs) -> Vec<Finding> {
    let mut lint = Lint::new(inputs, layers(&inputs.sources, &inputs.env));
    let parsed: Vec<Option<&toml_edit::Document<String>>> =
        inputs.sources.iter().enumerate().map(|(i, source)| lint.parse(i, source)).collect();
    let gates = toolchain::enabled_gates(inputs, &parsed);
    for (i, doc) in parsed.iter().enumerate() {
        if let (SourceKind::RootManifest, Some(doc)) = (inputs.sources[i].kind, doc) {
            lint.cargo_features(i, doc);
        }
    }
    let mut defined: BTreeMap<String, Vec<Defined>> = BTreeMap::new();
    for (i, doc) in parsed.iter().enumerate() {
        if let Some((key, profile)) = doc.as_ref().and_then(|d| d.as_table().get_key_value("profile")) {
            lint.member_profiles(i, key.span());
            lint.profile_tree(i, profile, &gates, &mut defined);
        }
    }
    lint.inheritance(&defined);
    lint.inherited_specs(&parsed, &defined);
    lint.strip_and_overrides(&parsed);
    lint.names(&defined);
    lint.missing_members();
    lint.config_files();
    lint.preset_overrides();
    lint.environment();
    lint.includes(&parsed);
    lint.rustflags_conflicts();
    lint.unread_rustflags();
    lint.unstable_rustflags();
    lint.cfg_loop();
    let mut findings = lint.findings;
    let root = inputs.sources.iter().position(|s| s.kind == SourceKind::RootManifest);
    levels::apply(inputs, root.and_then(|i| parsed[i]), &mut findings);
    findings
}

/// The sources cargo takes profiles from, lowest precedence first (the root manifest, then the
/// config files from the user's down to the nearest), and the `CARGO_PROFILE_*` variables.
pub fn layers(sources: &[Source], env: &[(String, String)]) -> Layers {
    let file = |s: &Source| {
        let config = s.kind != SourceKind::RootManifest;
        Layer::parsed(s.path.display().to_string(), s.text.clone(), config, s.doc.as_ref().ok().cloned())
    };
    let root = sources.iter().filter(|s| s.kind == SourceKind::RootManifest);
    let configs = sources.iter().filter(|s| matches!(s.kind, SourceKind::Config | SourceKind::UserConfig)).rev();
    let env = env.iter().filter(|(k, _)| effective::is_build_variable(k)).cloned().collect();
    Layers { files: root.chain(configs).map(file).collect(), env, cargo_release: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn inputs(manifest: &str) -> Inputs {
        Inputs {
            sources: vec![Source::new(SourceKind::RootManifest, "Cargo.toml".into(), manifest.into())],
            env: Vec::new(),
            nightly: false,
            packages: ["app", "dep-x"].into_iter().map(str::to_owned).collect(),
            versions: BTreeMap::new(),
            linked_members: BTreeSet::new(),
            packages_complete: true,
            shadowed_configs: Vec::new(),
            missing_members: Vec::new(),
            cranelift_installed: None,
            split_debuginfo_supported: Some(vec!["packed".into()]),
            machine: None,
        }
    }

    #[test]
    fn build_rustflags_hidden_by_a_matching_target_table_are_unread_and_others_are_not() {
        let mut inputs = inputs("[workspace]\n");
        inputs.machine = Some(crate::cargo::machine::tests::linux("1.95.0"));
        inputs.sources.push(config(
            "[build]\nrustflags = [\"-Ctarget-cpu=native\"]\n[target.'cfg(unix)']\nrustflags = [\"-Cforce-frame-pointers=yes\"]\n",
        ));
        let findings = check(&inputs);
        let unread: Vec<&Finding> = findings.iter().filter(|f| f.code == Code::RustflagsUnread).collect();
        assert_eq!(unread.len(), 1, "{findings:?}");
        let shown = unread[0].to_string();
        assert!(shown.contains("`[build].rustflags` (-Ctarget-cpu=native) is ignored on this machine"), "{shown}");
        assert!(shown.contains(".cargo/config.toml:2"), "{shown}");
        // A target table for another platform hides nothing here.
        inputs.sources[1] =
            config("[build]\nrustflags = [\"-Cx=1\"]\n[target.'cfg(windows)']\nrustflags = [\"-Cy=1\"]\n");
        assert!(!check(&inputs).iter().any(|f| f.code == Code::RustflagsUnread));
        // `CARGO_BUILD_RUSTFLAGS` is part of `[build]`, so a target table hides it too; a target
        // table's own string replaced by a nearer one is not this rule's.
        inputs.sources[1] = config("[target.'cfg(unix)']\nrustflags = \"--cfg a\"\n");
        inputs.sources.push(config("[target.'cfg(unix)']\nrustflags = \"--cfg b\"\n"));
        inputs.env = vec![("CARGO_BUILD_RUSTFLAGS".into(), "--cfg e".into())];
        let shown: Vec<String> =
            check(&inputs).iter().filter(|f| f.code == Code::RustflagsUnread).map(ToString::to_string).collect();
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(shown[0].contains("`CARGO_BUILD_RUSTFLAGS` (--cfg e) is ignored on this machine"), "{shown:?}");
    }

    fn codes(manifest: &str) -> Vec<Code> {
        check(&inputs(manifest)).into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_clean_manifest_has_no_findings() {
        assert!(codes("[workspace]\n[profile.dev]\ndebug = \"line-tables-only\"\n[profile.staging]\ninherits = \"release\"\ndebug-assertions = true\n").is_empty());
    }

    #[test]
    fn values_cargo_accepts_but_gets_wrong() {
        let found = codes(
            "[profile.release]\nopt-level = 4\nstrip = \"all\"\nlto = \"full\"\ncodegen-units = 0\nsplit-debuginfo = \"foo\"\nopt_level = 3\n",
        );
        assert_eq!(
            found,
            [
                Code::UnknownKey,
                Code::InvalidValue,
                Code::InvalidValue,
                Code::InvalidValue,
                Code::InvalidValue,
                Code::InvalidValue
            ]
        );
    }

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
    fn split_debuginfo_the_target_drops() {
        assert_eq!(codes("[profile.dev]\nsplit-debuginfo = \"unpacked\"\n"), [Code::SplitDebuginfoUnsupported]);
        assert!(codes("[profile.dev]\nsplit-debuginfo = \"packed\"\n").is_empty());
    }

    #[test]
    fn the_seed_traps() {
        let found =
            codes("[profile.staging]\ninherits = \"release\"\ndebug = true\n[profile.release]\nstrip = \"none\"\n");
        assert_eq!(found, [Code::ExplicitStripNone, Code::ReleaseWithoutAssertions]);
        let found = codes("[profile.dev.package.dep_x]\nopt-level = 1\n[profile.dev.package.nope]\nopt-level = 1\n");
        assert_eq!(
            found,
            [Code::SpecMismatch, Code::SpecUnmatched, Code::StarExcludesMembers]
                .into_iter()
                .filter(|c| *c != Code::StarExcludesMembers)
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_hint_without_its_gate_on_nightly_is_ignored_not_refused() {
        let mut nightly = inputs("[profile.dev]\nhint-mostly-unused = false\n");
        nightly.nightly = true;
        let found = check(&nightly);
        assert_eq!((found[0].code, found[0].severity), (Code::MissingGate, Severity::Warning));
        let mut backend = inputs("[profile.dev]\ncodegen-backend = \"cranelift\"\n");
        backend.nightly = true;
        assert_eq!(check(&backend)[0].severity, Severity::Error, "cargo refuses this one");
    }

    #[test]
    fn gated_keys_on_stable_and_rustflags_in_the_environment() {
        assert_eq!(codes("[profile.dev]\ncodegen-backend = \"cranelift\"\n"), [Code::NeedsNightly]);
        let mut with_env = inputs("[workspace]\n");
        with_env.env = vec![("RUSTFLAGS".into(), "-C opt-level=3".into())];
        let found = check(&with_env);
        assert_eq!(found[0].code, Code::EnvRustflags);
        assert!(found[0].help[0].starts_with("`-C opt-level=3` fights the profile settings"), "{:?}", found[0].help);
    }

    fn config(text: &str) -> Source {
        Source::new(SourceKind::Config, ".cargo/config.toml".into(), text.into())
    }

    #[test]
    fn a_string_and_an_array_rustflags_in_two_config_files_is_an_error_naming_both() {
        let mut inputs = inputs("[workspace]\n");
        inputs.sources.push(config("[build]\nrustflags = \"--cfg app\"\n"));
        inputs.sources.push(Source::new(
            SourceKind::UserConfig,
            "home/config.toml".into(),
            "[build]\njobs = 2\nrustflags = [\"--cfg\", \"home\"]\n".into(),
        ));
        let found: Vec<Finding> = check(&inputs).into_iter().filter(|f| f.code == Code::RustflagsMerge).collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
        let shown = found[0].to_string();
        assert!(shown.contains("`build.rustflags` is a string in one config file and an array in the other (home/config.toml:3 and .cargo/config.toml:2)"), "{shown}");
        assert_eq!(found[0].location.as_ref().map(|l| l.line), Some(2));
    }

    #[test]
    fn a_cfg_table_switched_on_by_the_flags_it_hides_is_a_warning() {
        let mut inputs = inputs("[workspace]\n");
        inputs.machine = Some(crate::cargo::machine::tests::linux("1.95.0"));
        inputs.sources.push(config(
            "[build]\nrustflags = [\"--cfg\", \"foo\"]\n[target.'cfg(foo)']\nrustflags = [\"--cfg\", \"bar\"]\n",
        ));
        let found: Vec<String> = check(&inputs).iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("warning[rustflags-unread]"), "{found:?}");
        assert!(found[1].starts_with("warning[rustflags-cfg-loop]"), "{found:?}");
        assert!(found[1].contains("and passes --cfg bar"), "{found:?}");
    }

    #[test]
    fn include_as_a_string_is_an_error() {
        let mut inputs = inputs("[workspace]\n");
        inputs.sources.push(config("include = \"extra.toml\"\n"));
        let found = check(&inputs);
        assert_eq!(found.iter().map(|f| f.code).collect::<Vec<_>>(), [Code::IncludeForm]);
        assert!(
            found[0].help[1].ends_with("but found string at `include` in `.cargo/config.toml"),
            "{:?}",
            found[0].help
        );
        inputs.sources[1] = config("include = [\"extra.toml\"]\n");
        assert!(check(&inputs).is_empty());
    }

    #[test]
    fn a_z_flag_in_the_rustflags_cargo_uses_on_stable_is_an_error() {
        let mut inputs = inputs("[workspace]\n");
        inputs.machine = Some(crate::cargo::machine::tests::linux("1.95.0"));
        inputs.sources.push(config("[build]\nrustflags = [\"-Z\", \"share-generics\"]\n"));
        let codes = |inputs: &Inputs| check(inputs).into_iter().map(|f| f.code).collect::<Vec<_>>();
        assert_eq!(codes(&inputs), [Code::UnstableRustflags]);
        // Hidden by a variable, it is not passed; the variable's own `-Z` is.
        inputs.env = vec![("RUSTFLAGS".into(), "--cfg x".into())];
        assert!(!codes(&inputs).contains(&Code::UnstableRustflags));
        inputs.env = vec![("CARGO_BUILD_RUSTFLAGS".into(), "-Zshare-generics".into())];
        inputs.sources.pop();
        assert_eq!(codes(&inputs), [Code::UnstableRustflags]);
        inputs.nightly = true;
        assert!(codes(&inputs).is_empty());
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
        let mut with_file = super::tests::inputs("[workspace]\n[profile.release]\nopt-level = 2\n");
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

    #[test]
    fn cargo_build_incremental_takes_only_true_or_false() {
        let mut inputs = inputs("[workspace]\n");
        inputs.env = vec![("CARGO_BUILD_INCREMENTAL".into(), "1".into())];
        let found: Vec<(Code, Severity)> = check(&inputs).iter().map(|f| (f.code, f.severity)).collect();
        assert_eq!(found, [(Code::InvalidValue, Severity::Error)]);
    }
}
