//! Config files: ones cargo ignores or reads for every project, a malformed `include`, values
//! that replace what a preset wrote.

use crate::lint::findings::SourceKind;
use crate::lint::pass::Lint;
use crate::lint::rules::{Code, Severity};

impl Lint<'_> {
    /// A config file cargo ignores for a legacy one beside it, and profiles in the user's, which
    /// every project reads.
    pub(super) fn config_files(&mut self) {
        for (ignored, used) in &self.inputs.shadowed_configs {
            self.push(
                Severity::Warning,
                Code::ShadowedConfig,
                None,
                format!(
                    "`{}` is ignored: cargo reads the legacy `{}` beside it instead",
                    ignored.display(),
                    used.display()
                ),
                &["merge the two files into `config.toml` and delete the legacy one"],
            );
        }
        let user_profiles: Vec<usize> = (0..self.inputs.sources.len())
            .filter(|i| {
                self.inputs.sources[*i].kind == SourceKind::UserConfig
                    && self.inputs.sources[*i].text.contains("profile")
            })
            .collect();
        for i in user_profiles {
            let file = self.inputs.sources[i].path.display().to_string();
            self.push(
                Severity::Note,
                Code::UserProfiles,
                None,
                format!("profiles in `{file}` apply to every project on this machine and to `cargo install`"),
                &["config beats Cargo.toml: they override what each project commits"],
            );
        }
    }

    /// A value a preset wrote into the manifest that a config file or a variable replaces: the
    /// preset the project committed is not what builds here get.
    pub(super) fn preset_overrides(&mut self) {
        for o in self.layers.overridden_presets() {
            let at = self.place(&o.by.source);
            let preset = o.written.preset.as_deref().unwrap_or_default();
            self.push(
                Severity::Note,
                Code::PresetOverridden,
                at,
                format!(
                    "`{}` overrides preset `{preset}`: `{}` is {} here, not the {} the preset wrote in {}",
                    o.by.source, o.path, o.by.value, o.written.value, o.written.source
                ),
                &["remove it there if the preset should apply; `cargo presets explain` shows every value's source"],
            );
        }
    }

    /// `include = "extra.toml"`: cargo 1.95 wants a list and refuses to load the config.
    pub(super) fn includes(&mut self, parsed: &[Option<&toml_edit::Document<String>>]) {
        for (i, doc) in parsed.iter().enumerate() {
            if !matches!(self.inputs.sources[i].kind, SourceKind::Config | SourceKind::UserConfig) {
                continue;
            }
            let Some((key, item)) = doc.as_ref().and_then(|d| d.as_table().get_key_value("include")) else {
                continue;
            };
            let Some(path) = item.as_str() else { continue };
            let file = self.inputs.sources[i].path.display().to_string();
            // Cargo's own words, with its unbalanced backtick.
            let cargo_says = format!(
                "cargo says: expected a list of strings or a list of tables, but found string at `include` in `{file}"
            );
            self.push(
                Severity::Error,
                Code::IncludeForm,
                key.span().map(|s| (i, s)),
                format!("`include` in `{file}` is a string: cargo wants a list, so every cargo command fails"),
                &[&format!("write `include = [\"{path}\"]`"), &cargo_says],
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{config, inputs};
    use crate::lint::{Code, check};

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
}
