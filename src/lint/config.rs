//! Config files: ones cargo ignores or reads for every project, a malformed `include`, values
//! that replace what a preset wrote.

use crate::cargo::config_files;
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

    /// `include = "extra.toml"` (or any form but a list or `[[include]]`): cargo 1.95 refuses to
    /// load the config.
    pub(super) fn includes(&mut self, parsed: &[Option<&toml_edit::Document<String>>]) {
        for (i, doc) in parsed.iter().enumerate() {
            if !matches!(self.inputs.sources[i].kind, SourceKind::Config | SourceKind::UserConfig) {
                continue;
            }
            let Some(refused) = doc.and_then(config_files::refused_include) else { continue };
            let file = self.inputs.sources[i].path.display().to_string();
            let (help, cargo_says) = (refused.help(), refused.cargo_says(&file));
            let at = refused.span.clone().map(|s| (i, s));
            self.push(Severity::Error, Code::IncludeForm, at, refused.message(&file), &[&help, &cargo_says]);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{check, config, inputs};
    use crate::lint::{Code, Finding};

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
    fn an_include_that_is_not_a_list_is_an_error_in_cargos_words() {
        for (include, kind, help) in [
            ("\"extra.toml\"", "string", "write `include = [\"extra.toml\"]`"),
            ("1", "integer", "write a list: `include = [\"other.toml\"]`"),
        ] {
            let mut inputs = inputs("[workspace]\n");
            inputs.sources.push(config(&format!("include = {include}\n")));
            let found: Vec<Finding> = check(&inputs).into_iter().filter(|f| f.code == Code::IncludeForm).collect();
            assert_eq!(found.len(), 1, "{include}");
            assert_eq!(
                found[0].message,
                format!(
                    "`include` in `.cargo/config.toml` is a {kind}: cargo wants a list, so every cargo command fails"
                )
            );
            assert!(found[0].help[0].starts_with(help), "{:?}", found[0].help);
        }
        let mut inputs = inputs("[workspace]\n");
        inputs.sources.push(config("include = [\"a.toml\", { path = \"b.toml\", optional = true }]\n"));
        assert!(!check(&inputs).iter().any(|f| f.code == Code::IncludeForm));
    }
}
