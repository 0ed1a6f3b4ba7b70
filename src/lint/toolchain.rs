//! Toolchain rules: unstable settings on a stable toolchain, feature gates, and what a setting
//! needs installed or rebuilt (Cranelift, `build-std`).

use std::collections::BTreeSet;

use toml_edit::Item;

use crate::cargo::profiles;
use crate::cargo::schema::{Key, Value};
use crate::lint::findings::{Inputs, SourceKind};
use crate::lint::pass::Lint;
use crate::lint::rules::{Code, Severity};

/// The feature gates switched on anywhere: the root manifest's `cargo-features`, and
/// `[unstable]` in any config file.
pub(super) fn enabled_gates(inputs: &Inputs, parsed: &[Option<&toml_edit::Document<String>>]) -> BTreeSet<String> {
    let mut gates = BTreeSet::new();
    for (source, doc) in inputs.sources.iter().zip(parsed) {
        let Some(doc) = doc else { continue };
        match source.kind {
            SourceKind::RootManifest => {
                let features = doc.get("cargo-features").and_then(Item::as_array);
                gates.extend(features.into_iter().flatten().filter_map(|v| v.as_str()).map(str::to_owned));
            }
            SourceKind::Config | SourceKind::UserConfig => {
                let unstable = doc.get("unstable").and_then(Item::as_table_like);
                gates.extend(
                    unstable
                        .into_iter()
                        .flat_map(|t| t.iter())
                        // A flag, or a list (`build-std = ["std", "panic_abort"]`).
                        .filter(|(_, v)| v.as_bool() == Some(true) || v.as_array().is_some_and(|a| !a.is_empty()))
                        .map(|(k, _)| k.to_owned()),
                );
            }
            SourceKind::MemberManifest | SourceKind::DependencyManifest => {}
        }
    }
    gates
}

impl Lint<'_> {
    /// `cargo-features` in the root manifest: every one of them is nightly-only, so stable cargo
    /// refuses the manifest whatever the names.
    pub(super) fn cargo_features(&mut self, i: usize, doc: &toml_edit::Document<String>) {
        let Some((key, item)) = doc.as_table().get_key_value("cargo-features") else { return };
        let names: Vec<&str> = item.as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
        if names.is_empty() || self.inputs.nightly {
            return;
        }
        let list = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        self.push(
            Severity::Error,
            Code::NeedsNightly,
            key.span().map(|s| (i, s)),
            format!("`cargo-features = [{list}]` needs nightly cargo, but this workspace builds on stable"),
            &["stable cargo refuses the manifest; pin nightly in `rust-toolchain.toml`, or move the unstable settings to a config file used only with nightly (`cargo +nightly --config <file> …`)"],
        );
    }

    /// An unstable setting: on stable, without its gate, or needing what is not there (a
    /// rebuilt std, the Cranelift component).
    pub(super) fn unstable(&mut self, i: usize, entry: &profiles::Entry<'_>, value: &Value, gates: &BTreeSet<String>) {
        let path = &entry.path;
        let at = entry.item.span().map(|s| (i, s));
        if let Some(gate) = path.key.gate(value) {
            let enabled = gate.manifest_feature.is_some_and(|f| gates.contains(f)) || gates.contains(gate.unstable_key);
            if gate.manifest_feature.is_none() && !self.inputs.nightly {
                self.push(
                    Severity::Warning,
                    Code::IgnoredOnStable,
                    at.clone(),
                    format!("`{path}` is ignored on stable cargo"),
                    &[&format!("it takes effect only on nightly with `[unstable] {} = true`", gate.unstable_key)],
                );
            } else if !self.inputs.nightly {
                self.push(Severity::Error, Code::NeedsNightly, at.clone(), format!("`{path}` needs nightly cargo, but this workspace builds on stable"), &[
                    "stable cargo refuses this file; move the setting to a standalone file used as `cargo +nightly --config <file> …`",
                ]);
            } else if !enabled {
                let how = match gate.manifest_feature {
                    Some(feature) => format!(
                        "add `cargo-features = [\"{feature}\"]` at the top of the root Cargo.toml, or `[unstable] {} = true` to a config file",
                        gate.unstable_key
                    ),
                    None => format!("add `[unstable] {} = true` to a config file", gate.unstable_key),
                };
                // A key with no manifest feature is only ignored (with cargo's warning) without
                // its gate, not refused: `hint-mostly-unused`.
                let severity = if gate.manifest_feature.is_none() { Severity::Warning } else { Severity::Error };
                let message = match severity {
                    Severity::Error => format!("`{path}` is unstable and its feature is not enabled"),
                    _ => format!("`{path}` is ignored: its unstable feature is not enabled"),
                };
                self.push(severity, Code::MissingGate, at.clone(), message, &[&how]);
            }
        }
        if path.key == Key::Panic && *value == Value::Str("immediate-abort".into()) && !gates.contains("build-std") {
            self.push(
                Severity::Warning,
                Code::ImmediateAbortWithoutBuildStd,
                at.clone(),
                format!("`{path} = \"immediate-abort\"` fails every binary, test and example built with it unless std is rebuilt"),
                &["run cargo with `-Z build-std=std,panic_abort`, or add `[unstable] build-std = [\"std\", \"panic_abort\"]` to a config file used with this profile"],
            );
        }
        if path.key == Key::CodegenBackend
            && *value == Value::Str("cranelift".into())
            && self.inputs.cranelift_installed == Some(false)
        {
            self.push(
                Severity::Warning,
                Code::CraneliftMissing,
                at.clone(),
                format!("`{path}` asks for Cranelift, but its rustup component is not installed"),
                &["install it with `rustup component add rustc-codegen-cranelift-preview --toolchain nightly`"],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{check, inputs};
    use crate::lint::{Code, Severity};

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
}
