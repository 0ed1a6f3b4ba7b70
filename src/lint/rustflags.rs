//! `rustflags` across config files, as cargo picks them for this machine: ones that cannot
//! merge, ones a `[target]` table hides, `cfg(…)` tables that depend on them, `-Z` on stable.

use crate::cargo::effective;
use crate::lint::pass::Lint;
use crate::lint::rules::{Code, Severity};

impl Lint<'_> {
    /// A string `rustflags` in one config file and an array in another for the same table.
    pub(super) fn rustflags_conflicts(&mut self) {
        for conflict in self.layers.rustflags_conflicts() {
            let at = self.place(&conflict.higher);
            self.push(Severity::Error, Code::RustflagsMerge, at, conflict.to_string(), &[
                "write both as arrays (`rustflags = [\"--cfg\", \"x\"]`): arrays join across config files, lowest precedence first",
            ]);
        }
    }

    /// `[target.'cfg(…)']` tables switched on by a `--cfg` in the flags they then hide: cargo
    /// warns and keeps the tables' flags.
    pub(super) fn cfg_loop(&mut self) {
        let Some(machine) = &self.inputs.machine else { return };
        if !self.layers.cfg_tables_unsettled(machine) {
            return;
        }
        let rustflags = self.layers.rustflags(machine);
        let at = rustflags.used.first().and_then(|s| self.place(&s.source));
        let message = format!(
            "the `[target.'cfg(…)']` tables and the rustflags depend on each other: cargo warns (`non-trivial mutual dependency between target-specific configuration and RUSTFLAGS`) and passes {}",
            rustflags.flags().join(" ")
        );
        self.push(Severity::Warning, Code::RustflagsCfgLoop, at, message, &[
            "a `cfg(…)` table that a `--cfg` in `[build].rustflags` switches on hides `[build]`; repeat that `--cfg` in the table, or match on something else",
        ]);
    }

    /// A `-Z` flag in the rustflags cargo uses, where rustc is not nightly: cargo passes them to
    /// its first rustc query, so every command fails (`cargo metadata` too; cargo 1.95: "the
    /// option `Z` is only accepted on the nightly compiler").
    pub(super) fn unstable_rustflags(&mut self) {
        let Some(machine) = &self.inputs.machine else { return };
        // `None` when no `-Z` flag is used (the channel is then not asked) or rustc cannot say.
        let Some(channel) = &machine.channel else { return };
        if ["nightly", "dev"].contains(&channel.as_str()) || self.inputs.nightly {
            return;
        }
        let rustflags = self.layers.rustflags(machine);
        for source in &rustflags.used {
            let Some(flag) = source.flags.iter().find(|f| f.starts_with("-Z")) else { continue };
            let at = self.place(&source.source);
            let message = format!(
                "{} passes `{flag}` to rustc, which is {}: `-Z` flags need nightly, so every cargo command fails",
                source.describe(),
                channel
            );
            self.push(Severity::Error, Code::UnstableRustflags, at, message, &[
                "remove the flag, or use it only with nightly (`cargo +nightly --config <file> …`, or pin nightly in `rust-toolchain.toml`)",
            ]);
        }
    }

    /// Config `rustflags` that cargo ignores on this machine: a `[build].rustflags` hidden by a
    /// `[target]` table that matches the host (cargo never merges the two). Flags hidden by a
    /// variable are `env-rustflags`' to report.
    pub(super) fn unread_rustflags(&mut self) {
        let Some(machine) = &self.inputs.machine else { return };
        let rustflags = self.layers.rustflags(machine);
        if rustflags.level != effective::Level::Target {
            return;
        }
        let used: Vec<String> = rustflags.used.iter().map(effective::FlagsSource::describe).collect();
        // `[build]`'s, from a file or `CARGO_BUILD_RUSTFLAGS`; not a target table's string that a
        // nearer string replaced, which no table hides.
        let hidden = rustflags.ignored.iter().filter(|s| s.table == Some(crate::cargo::config::ConfigTable::Build));
        for hidden in hidden {
            let flags = hidden.flags.join(" ");
            let what = match &hidden.file {
                Some(_) => "`[build].rustflags`".to_owned(),
                None => format!("`{}`", hidden.source),
            };
            let message = format!(
                "{what} ({flags}) is ignored on this machine ({}): cargo takes rustflags from {} instead",
                machine.host,
                used.join(", ")
            );
            let help = ["move these flags into that table, or remove them; cargo never merges the two"];
            let at = self.place(&hidden.source);
            self.push(Severity::Warning, Code::RustflagsUnread, at, message, &help);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::tests::{check, config, inputs};
    use crate::lint::{Code, Finding, Inputs, Severity, Source, SourceKind};

    /// A workspace on Linux (rustc 1.95) whose `.cargo/config.toml` holds `text`.
    fn on_linux_with_config(text: &str) -> Inputs {
        let mut inputs = inputs("[workspace]\n");
        inputs.machine = Some(crate::cargo::machine::tests::linux("1.95.0"));
        inputs.sources.push(config(text));
        inputs
    }

    #[test]
    fn build_rustflags_hidden_by_a_matching_target_table_are_unread_and_others_are_not() {
        let mut inputs = on_linux_with_config(
            "[build]\nrustflags = [\"-Ctarget-cpu=native\"]\n[target.'cfg(unix)']\nrustflags = [\"-Cforce-frame-pointers=yes\"]\n",
        );
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
        let inputs = on_linux_with_config(
            "[build]\nrustflags = [\"--cfg\", \"foo\"]\n[target.'cfg(foo)']\nrustflags = [\"--cfg\", \"bar\"]\n",
        );
        let found: Vec<String> = check(&inputs).iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("warning[rustflags-unread]"), "{found:?}");
        assert!(found[1].starts_with("warning[rustflags-cfg-loop]"), "{found:?}");
        assert!(found[1].contains("and passes --cfg bar"), "{found:?}");
    }

    #[test]
    fn a_z_flag_in_the_rustflags_cargo_uses_on_stable_is_an_error() {
        let mut inputs = on_linux_with_config("[build]\nrustflags = [\"-Z\", \"share-generics\"]\n");
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
}
