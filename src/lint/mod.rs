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

use crate::cargo::effective::Layers;

pub use findings::{Finding, Inputs, Source, SourceKind};
pub use rules::{Code, Severity};

use pass::{Defined, Lint};

/// Every finding about `inputs`, whose model of cargo is `layers` (the reading's), the most
/// severe first, with the project's lint levels applied.
pub fn check(inputs: &Inputs, layers: &Layers) -> Vec<Finding> {
    let mut lint = Lint::new(inputs, layers);
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

#[cfg(test)]
mod tests {
    //! The inputs the tests of every family start from, and the tests of the whole.
    use super::*;

    /// The findings, with the model of cargo over the inputs' own sources, as a reading makes it.
    pub(crate) fn check(inputs: &Inputs) -> Vec<Finding> {
        let env = inputs.env.iter().filter(|(k, _)| crate::cargo::effective::is_build_variable(k)).cloned().collect();
        let files = crate::cargo::reading::model_files(&inputs.sources);
        super::check(inputs, &Layers { files, env, cargo_release: None })
    }
    use std::collections::BTreeSet;

    pub(super) fn inputs(manifest: &str) -> Inputs {
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

    pub(super) fn codes(manifest: &str) -> Vec<Code> {
        check(&inputs(manifest)).into_iter().map(|f| f.code).collect()
    }

    pub(super) fn config(text: &str) -> Source {
        Source::new(SourceKind::Config, ".cargo/config.toml".into(), text.into())
    }

    #[test]
    fn a_clean_manifest_has_no_findings() {
        assert!(codes("[workspace]\n[profile.dev]\ndebug = \"line-tables-only\"\n[profile.staging]\ninherits = \"release\"\ndebug-assertions = true\n").is_empty());
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
}
