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
