//! Which extra flags cargo gives rustc, and from where: the first that is set of
//! `CARGO_ENCODED_RUSTFLAGS`, `RUSTFLAGS`, every `[target.<triple>]` and `[target.'cfg(…)']`
//! `rustflags` that matches the machine (joined, `CARGO_TARGET_<TRIPLE>_RUSTFLAGS` appended to
//! the triple's), and `[build] rustflags` (`CARGO_BUILD_RUSTFLAGS` appended). Cargo never merges
//! two of these sources: a higher one hides every lower one, which is how a flag written into the
//! wrong table silently does nothing. Across config files, arrays join and a string replaces
//! (`cargo-config.md` §3, §4, verified with cargo 1.95). `apply`, `check` and `explain` all ask
//! here.

use toml_edit::Item;

use super::Layers;
use crate::cargo::config::ConfigTable;
use crate::cargo::machine::Machine;
use crate::edit::FlagsRecord;

/// The source cargo takes flags from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    EncodedEnv,
    Env,
    Target,
    Build,
    Unset,
}

/// Flags set in one place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagsSource {
    /// `file:line`, or the variable's name.
    pub source: String,
    /// The file as named in the layers, for a config file.
    pub file: Option<String>,
    /// The config table, for a config file or a variable that appends to one
    /// (`CARGO_BUILD_RUSTFLAGS`, `CARGO_TARGET_<TRIPLE>_RUSTFLAGS`).
    pub table: Option<ConfigTable>,
    pub flags: Vec<String>,
    /// The flags each preset recorded adding here (`# cargo-presets(p) rustflags += …`).
    pub added: Vec<(String, Vec<String>)>,
}

impl FlagsSource {
    /// `` `[target.x86_64-unknown-linux-gnu].rustflags` (.cargo/config.toml:5) ``, or
    /// `` the environment variable `RUSTFLAGS` ``.
    pub fn describe(&self) -> String {
        match (&self.table, &self.file) {
            (Some(table), Some(_)) => format!("`[{table}].rustflags` ({})", self.source),
            (Some(table), None) => {
                format!("the environment variable `{}` (cargo appends it to `[{table}].rustflags`)", self.source)
            }
            (None, _) => format!("the environment variable `{}`", self.source),
        }
    }
}

/// What cargo does with the rustflags it finds.
#[derive(Debug)]
pub struct Rustflags {
    pub level: Level,
    /// The sources cargo passes to rustc, in order.
    pub used: Vec<FlagsSource>,
    /// Sources set but hidden by a higher one.
    pub ignored: Vec<FlagsSource>,
}

impl Level {
    /// How the source is named in reports.
    pub fn name(self) -> &'static str {
        match self {
            Level::EncodedEnv => "CARGO_ENCODED_RUSTFLAGS",
            Level::Env => "RUSTFLAGS",
            Level::Target => "target",
            Level::Build => "build",
            Level::Unset => "unset",
        }
    }
}

/// Cargo's rule, as `explain` states it.
pub const RULE: &str = "cargo takes rustflags from the first source that is set of CARGO_ENCODED_RUSTFLAGS, RUSTFLAGS, the matching `[target]` tables and `[build]`, and never merges two of them";

/// Why a string `rustflags` in a config file can do nothing, as `explain` states it.
pub const STRING_RULE: &str = "a string `rustflags` replaces the same table's in the config files below it (only arrays join), and a string meeting an array makes cargo fail";

impl Rustflags {
    /// Whether an ignored source was replaced by a nearer string of its own table, which cargo
    /// reads (rather than hidden by a higher source).
    pub fn replaced(&self, ignored: &FlagsSource) -> bool {
        ignored.table.is_some() && self.used.iter().any(|u| u.table == ignored.table)
    }

    /// The flags rustc gets.
    pub fn flags(&self) -> Vec<String> {
        self.used.iter().flat_map(|s| s.flags.iter().cloned()).collect()
    }
}

/// The rustflags of each kind of unit.
#[derive(Debug)]
pub struct UnitRustflags {
    /// The triple the units are built for.
    pub target: String,
    /// What the units built for the target get.
    pub flags: Rustflags,
    /// Whether build scripts, proc-macros and what they use get the same flags: not when the
    /// build names a target (`build.target`, `--target`), the host's own triple included
    /// (`cargo-config.md` R4.5; they would get `[host]` flags, which are nightly-only).
    pub host_units_get_them: bool,
}

/// Why host units get no rustflags, as `explain` states it.
pub const HOST_UNITS_RULE: &str = "cargo gives build scripts, proc-macros and what they use no rustflags when the build names a target (`build.target` or `CARGO_BUILD_TARGET`), even the host's own triple";

/// A string `rustflags` in one config file and an array in another for the same table: cargo
/// cannot merge the two and every command fails (`failed to merge config value`, cargo 1.95).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeConflict {
    pub table: ConfigTable,
    /// The two definitions, lower precedence first, as `file:line`.
    pub lower: String,
    pub higher: String,
}

impl std::fmt::Display for MergeConflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}.rustflags` is a string in one config file and an array in the other ({} and {}): cargo cannot merge the two, so every cargo command fails",
            self.table, self.lower, self.higher
        )
    }
}

/// One config file's `rustflags` for one table, and whether it is written as a string.
struct Written {
    source: FlagsSource,
    string: bool,
}

/// One table's `rustflags` as cargo merges them across config files (lowest precedence first):
/// arrays join, and a string replaces whatever came before it, since cargo merges the string
/// form as a scalar and splits it only when reading (`cargo-config.md` R3.3, R3.4).
fn merge(written: Vec<Written>) -> (Vec<FlagsSource>, Vec<FlagsSource>) {
    let (mut kept, mut dropped) = (Vec::new(), Vec::new());
    for w in written {
        if w.string {
            dropped.append(&mut kept);
        }
        kept.push(w.source);
    }
    (kept, dropped)
}

/// The flags a config variable holds: cargo splits `CARGO_BUILD_RUSTFLAGS` and
/// `CARGO_TARGET_<TRIPLE>_RUSTFLAGS` on any whitespace, like a string in a file.
fn env_source(name: &str, value: &str, table: ConfigTable) -> FlagsSource {
    let flags = value.split_whitespace().map(str::to_owned).collect();
    FlagsSource { source: name.to_owned(), file: None, table: Some(table), flags, added: Vec::new() }
}

impl Layers {
    /// The rustflags cargo passes on `machine`, for code built for the host.
    pub fn rustflags(&self, machine: &Machine) -> Rustflags {
        // Cargo matches `cfg(…)` tables against what rustc says given the flags found without
        // them, so a `--cfg foo` in `[build]` switches `[target.'cfg(foo)']` on, which then hides
        // `[build]`. Cargo asks once more with the new flags and, if they would switch the table
        // off again, warns and keeps them anyway (`cargo-config.md` R4.6).
        let before_cfg_tables = self.collect_rustflags(machine, false);
        self.collect_rustflags(&machine.with_cfg_flags(&before_cfg_tables.flags()), true)
    }

    /// The rustflags of each kind of unit, building for `machine` (the build's target).
    pub fn unit_rustflags(&self, machine: &Machine) -> UnitRustflags {
        let host_units_get_them = self.build_targets().is_none();
        UnitRustflags { target: machine.host.clone(), flags: self.rustflags(machine), host_units_get_them }
    }

    /// Whether cargo's second look at the `cfg(…)` tables, given the flags its first look chose,
    /// switches them differently: cargo then warns (`non-trivial mutual dependency between
    /// target-specific configuration and RUSTFLAGS`) and keeps the first look's flags.
    pub fn cfg_tables_unsettled(&self, machine: &Machine) -> bool {
        let chosen = self.rustflags(machine).flags();
        self.collect_rustflags(&machine.with_cfg_flags(&chosen), true).flags() != chosen
    }

    /// The rustflags, with or without the `cfg(…)` tables.
    fn collect_rustflags(&self, machine: &Machine, cfg_tables: bool) -> Rustflags {
        let mut by_level: Vec<(Level, FlagsSource)> = Vec::new();
        let mut dropped = Vec::new();
        for (name, level) in [("CARGO_ENCODED_RUSTFLAGS", Level::EncodedEnv), ("RUSTFLAGS", Level::Env)] {
            if let Some(value) = self.var(name) {
                // Cargo splits `RUSTFLAGS` on the space alone: a tab stays inside an argument.
                let flags = match level {
                    Level::EncodedEnv => value.split('\u{1f}').filter(|f| !f.is_empty()).map(str::to_owned).collect(),
                    _ => value.split(' ').map(str::trim).filter(|f| !f.is_empty()).map(str::to_owned).collect(),
                };
                let source = name.to_owned();
                by_level.push((level, FlagsSource { source, file: None, table: None, flags, added: Vec::new() }));
            }
        }
        // The host's triple table comes first, then each matching `cfg(…)` table in the order of
        // its key as a string (measured with cargo 1.95); a config variable appends to its table.
        let mut targets: Vec<(Option<String>, Vec<FlagsSource>)> = Vec::new();
        let mut builds = Vec::new();
        for (table, written) in self.written_rustflags() {
            let (kept, lost) = merge(written);
            match &table {
                ConfigTable::Target(key)
                    if (cfg_tables || !key.starts_with("cfg(")) && machine.matches_target(key).unwrap_or(false) =>
                {
                    dropped.extend(lost);
                    targets.push((key.starts_with("cfg(").then(|| key.clone()), kept));
                }
                ConfigTable::Build => {
                    dropped.extend(lost);
                    builds = kept;
                }
                _ => {}
            }
        }
        let triple_var = format!("CARGO_TARGET_{}_RUSTFLAGS", super::env_name(&machine.host));
        if let Some(value) = self.var(&triple_var) {
            let source = env_source(&triple_var, value, ConfigTable::Target(machine.host.clone()));
            match targets.iter_mut().find(|(cfg, _)| cfg.is_none()) {
                Some((_, list)) => list.push(source),
                None => targets.push((None, vec![source])),
            }
        }
        if let Some(value) = self.var("CARGO_BUILD_RUSTFLAGS") {
            builds.push(env_source("CARGO_BUILD_RUSTFLAGS", value, ConfigTable::Build));
        }
        targets.sort_by(|(a, _), (b, _)| a.cmp(b));
        let targets: Vec<FlagsSource> = targets.into_iter().flat_map(|(_, list)| list).collect();
        // The target tables count only when they hold a flag: an empty list hides nothing.
        let target_level = match targets.iter().any(|s| !s.flags.is_empty()) {
            true => Level::Target,
            false => Level::Unset,
        };
        by_level.extend(targets.into_iter().map(|found| (target_level, found)));
        by_level.extend(builds.into_iter().map(|found| (Level::Build, found)));
        let level = by_level.iter().map(|(l, _)| *l).min().unwrap_or(Level::Unset);
        let (used, ignored) =
            by_level.into_iter().partition::<Vec<_>, _>(|(l, _)| *l == level && level != Level::Unset);
        let mut ignored: Vec<FlagsSource> = ignored.into_iter().map(|(_, s)| s).collect();
        ignored.extend(dropped);
        Rustflags { level, used: used.into_iter().map(|(_, s)| s).collect(), ignored }
    }

    /// Where cargo fails to merge `rustflags`, on any machine: it merges every config table,
    /// those for other platforms too, before reading one.
    pub fn rustflags_conflicts(&self) -> Vec<MergeConflict> {
        let mut conflicts = Vec::new();
        for (table, written) in self.written_rustflags() {
            if let Some(pair) = written.windows(2).find(|pair| pair[0].string != pair[1].string) {
                let (lower, higher) = (pair[0].source.source.clone(), pair[1].source.source.clone());
                conflicts.push(MergeConflict { table, lower, higher });
            }
        }
        conflicts
    }

    /// The config files that write `table`'s `rustflags` as a string, lowest precedence first.
    pub fn string_rustflags(&self, table: &ConfigTable) -> Vec<FlagsSource> {
        let written = self.written_rustflags().into_iter().filter(|(t, _)| t == table).flat_map(|(_, w)| w);
        written.filter(|w| w.string).map(|w| w.source).collect()
    }

    /// Each config table that has `rustflags` in some file (`[build]`, each `[target]` key, in
    /// the order first met), with every file's, lowest precedence first.
    fn written_rustflags(&self) -> Vec<(ConfigTable, Vec<Written>)> {
        let mut tables: Vec<(ConfigTable, Vec<Written>)> = Vec::new();
        for layer in self.files.iter().filter(|l| l.config) {
            let Some(doc) = &layer.doc else { continue };
            let targets = doc.get("target").and_then(Item::as_table_like);
            let found =
                doc.get("build").map(|b| (ConfigTable::Build, b)).into_iter().chain(
                    targets.into_iter().flat_map(|t| t.iter()).map(|(k, t)| (ConfigTable::Target(k.to_owned()), t)),
                );
            for (table, item) in found {
                let Some(written) = flags_in(layer, item, table.clone()) else { continue };
                match tables.iter_mut().find(|(t, _)| *t == table) {
                    Some((_, list)) => list.push(written),
                    None => tables.push((table, vec![written])),
                }
            }
        }
        tables
    }

    /// The value of a variable cargo reads, if set.
    fn var(&self, name: &str) -> Option<&str> {
        self.env.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

impl Layers {
    /// Whether any source of rustflags is set (then which one cargo uses depends on the machine).
    pub fn sets_rustflags(&self) -> bool {
        self.env.iter().any(|(k, _)| is_rustflags_variable(k))
            || self.files.iter().any(|l| l.config && l.text.contains("rustflags"))
    }

    /// The targets cargo builds for when no `--target` is given: `CARGO_BUILD_TARGET`, else the
    /// nearest config file's `[build] target` (a triple, or a list of them); `None` for the host.
    /// Rustflags then match those targets' tables, and build scripts and proc-macros get none.
    pub fn build_targets(&self) -> Option<Vec<String>> {
        if let Some((_, value)) = self.env.iter().find(|(k, _)| k == "CARGO_BUILD_TARGET") {
            return Some(value.split(',').map(|t| t.trim().to_owned()).collect());
        }
        let configs = self.files.iter().rev().filter(|l| l.config);
        let target = configs.filter_map(|l| l.doc.as_ref()?.get("build")?.get("target")?.as_value().cloned()).next()?;
        match target {
            toml_edit::Value::String(triple) => Some(vec![triple.into_value()]),
            toml_edit::Value::Array(list) => Some(list.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect()),
            _ => None,
        }
    }
}

/// Whether cargo takes rustflags from this variable: `RUSTFLAGS`, `CARGO_ENCODED_RUSTFLAGS`, or
/// one that appends to a config table's (`CARGO_BUILD_RUSTFLAGS`,
/// `CARGO_TARGET_<TRIPLE>_RUSTFLAGS`).
pub fn is_rustflags_variable(name: &str) -> bool {
    ["RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "CARGO_BUILD_RUSTFLAGS"].contains(&name)
        || name.starts_with("CARGO_TARGET_") && name.ends_with("_RUSTFLAGS")
}

/// The `rustflags` of a config table, as an array or a space-separated string, and what our
/// presets recorded adding there.
fn flags_in(layer: &super::Layer, table: &Item, config_table: ConfigTable) -> Option<Written> {
    let (key, item) = table.as_table_like()?.get_key_value("rustflags")?;
    let value = item.as_value()?;
    let flags = crate::edit::flags_in_value(value)?;
    let added = layer
        .comments_above(key)
        .filter_map(|marker| Some((marker.preset.to_owned(), FlagsRecord::parse(&marker)?.flags)))
        .collect();
    let source = FlagsSource {
        source: layer.source_of(key),
        file: Some(layer.name.clone()),
        table: Some(config_table),
        flags,
        added,
    };
    Some(Written { source, string: value.is_str() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cargo::machine::tests::linux;

    /// Config files named `config0.toml`, `config1.toml`, … lowest precedence first.
    fn layers(configs: &[&str], env: &[(&str, &str)]) -> Layers {
        let names: Vec<String> = (0..configs.len()).map(|i| format!("config{i}.toml")).collect();
        let files: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(configs.iter().copied()).collect();
        crate::cargo::effective::tests::layers(&files, env)
    }

    #[test]
    fn a_matching_target_table_hides_build_rustflags() {
        let l = layers(
            &[
                "[build]\nrustflags = [\"-Cdebug-assertions\"]\n[target.x86_64-unknown-linux-gnu]\nrustflags = [\"-C\", \"force-frame-pointers=yes\"]\n[target.'cfg(windows)']\nrustflags = [\"-Cx\"]\n",
            ],
            &[],
        );
        let r = l.rustflags(&linux("1.95.0"));
        assert_eq!(r.level, Level::Target);
        assert_eq!(r.flags(), ["-C", "force-frame-pointers=yes"]);
        assert_eq!(r.ignored.len(), 1);
        assert_eq!(r.ignored[0].source, "config0.toml:2");
    }

    #[test]
    fn matching_cfg_and_triple_tables_are_joined_and_build_tables_too() {
        let l = layers(&["[build]\nrustflags = [\"-Ca=1\", \"-Cb=2\"]\n", "[build]\nrustflags = [\"-Cc=3\"]\n"], &[]);
        assert_eq!(l.rustflags(&linux("1.95.0")).flags(), ["-Ca=1", "-Cb=2", "-Cc=3"]);
        let l = layers(
            &[
                "[target.'cfg(unix)']\nrustflags = [\"-Cu=1\"]\n[target.x86_64-unknown-linux-gnu]\nrustflags = [\"-Ct=1\"]\n",
            ],
            &[],
        );
        assert_eq!(l.rustflags(&linux("1.95.0")).flags(), ["-Ct=1", "-Cu=1"]);
        // The order cargo 1.95 gives: the triple's tables, then each `cfg` key sorted as a
        // string, each joined across files lowest precedence first.
        let home = "[target.'cfg(unix)']\nrustflags = [\"u_home\"]\n[target.x86_64-unknown-linux-gnu]\nrustflags = [\"t_home\"]\n";
        let workspace = "[target.'cfg(unix)']\nrustflags = [\"u_ws\"]\n[target.x86_64-unknown-linux-gnu]\nrustflags = [\"t_ws\"]\n[target.'cfg(target_os = \"linux\")']\nrustflags = [\"l_ws\"]\n[target.'cfg(all(unix))']\nrustflags = [\"a_ws\"]\n";
        let l = layers(&[home, workspace], &[]);
        assert_eq!(l.rustflags(&linux("1.95.0")).flags(), ["t_home", "t_ws", "a_ws", "l_ws", "u_home", "u_ws"]);
    }

    #[test]
    fn the_environment_beats_every_file() {
        let l = layers(&["[build]\nrustflags = [\"-Cx=1\"]\n"], &[("RUSTFLAGS", "-Dwarnings")]);
        let r = l.rustflags(&linux("1.95.0"));
        assert_eq!((r.level, r.flags()), (Level::Env, vec!["-Dwarnings".to_owned()]));
        let l = layers(&[], &[("RUSTFLAGS", "-Dwarnings"), ("CARGO_ENCODED_RUSTFLAGS", "-C\u{1f}x=1")]);
        assert_eq!(l.rustflags(&linux("1.95.0")).flags(), ["-C", "x=1"]);
    }

    #[test]
    fn cargo_build_rustflags_appends_to_build_and_alone_makes_the_build_level() {
        let env = [("CARGO_BUILD_RUSTFLAGS", "--cfg e1\t--cfg  e2")];
        let l = layers(&["[build]\nrustflags = \"--cfg file\"\n"], &env);
        let r = l.rustflags(&linux("1.95.0"));
        assert_eq!(
            (r.level, r.flags()),
            (Level::Build, ["--cfg", "file", "--cfg", "e1", "--cfg", "e2"].map(String::from).to_vec())
        );
        assert_eq!(
            r.used[1].describe(),
            "the environment variable `CARGO_BUILD_RUSTFLAGS` (cargo appends it to `[build].rustflags`)"
        );
        let r = layers(&[], &env).rustflags(&linux("1.95.0"));
        assert_eq!((r.level, r.flags().len()), (Level::Build, 4));
        // A matching target table still hides it, as it hides the file's `[build]`.
        let l = layers(&["[target.'cfg(unix)']\nrustflags = [\"--cfg\", \"u\"]\n"], &env);
        assert_eq!(l.rustflags(&linux("1.95.0")).flags(), ["--cfg", "u"]);
    }

    #[test]
    fn cargo_target_triple_rustflags_appends_to_the_triple_and_alone_hides_build() {
        let env = [("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS", "--cfg tenv")];
        let files = [
            "[build]\nrustflags = [\"--cfg\", \"b\"]\n[target.'cfg(unix)']\nrustflags = [\"--cfg\", \"u\"]\n[target.x86_64-unknown-linux-gnu]\nrustflags = \"--cfg triple\"\n",
        ];
        let r = layers(&files, &env).rustflags(&linux("1.95.0"));
        assert_eq!(r.level, Level::Target);
        assert_eq!(r.flags().join(" "), "--cfg triple --cfg tenv --cfg u");
        let r = layers(&["[build]\nrustflags = [\"--cfg\", \"b\"]\n"], &env).rustflags(&linux("1.95.0"));
        assert_eq!((r.level, r.flags().join(" ")), (Level::Target, "--cfg tenv".to_owned()));
        assert_eq!(r.ignored[0].source, "config0.toml:2");
        // Another triple's variable, or an empty one, is nothing here.
        let other = [
            ("CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS", "--cfg a"),
            ("CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS", ""),
        ];
        let r = layers(&["[build]\nrustflags = [\"--cfg\", \"b\"]\n"], &other).rustflags(&linux("1.95.0"));
        assert_eq!((r.level, r.flags().join(" ")), (Level::Build, "--cfg b".to_owned()));
    }

    #[test]
    fn two_strings_keep_the_nearer_and_arrays_join_lowest_first() {
        let outer = "[build]\nrustflags = \"--cfg outer_str\"\n";
        let near = "[build]\nrustflags = \"--cfg app_str\"\n";
        let r = layers(&[outer, near], &[("CARGO_BUILD_RUSTFLAGS", "--cfg env")]).rustflags(&linux("1.95.0"));
        assert_eq!(r.flags().join(" "), "--cfg app_str --cfg env");
        assert_eq!(r.ignored.iter().map(|s| s.source.as_str()).collect::<Vec<_>>(), ["config0.toml:2"]);
        assert!(r.replaced(&r.ignored[0]));
        // A string after arrays would be an error (below); arrays after a string join onto it.
        let r = layers(&[outer, "[build]\nrustflags = [\"--cfg\", \"a\"]\n"], &[]);
        assert_eq!(r.rustflags_conflicts().len(), 1);
        let home = "[target.'cfg(unix)']\nrustflags = [\"--cfg\", \"home\"]\n";
        let ws = "[target.'cfg(unix)']\nrustflags = [\"--cfg\", \"ws\"]\n";
        assert_eq!(layers(&[home, ws], &[]).rustflags(&linux("1.95.0")).flags().join(" "), "--cfg home --cfg ws");
    }

    #[test]
    fn a_string_meeting_an_array_is_a_conflict_on_every_machine() {
        let outer = "[target.'cfg(windows)']\nrustflags = [\"--cfg\", \"w\"]\n";
        let near = "[build]\nrustflags = []\n[target.'cfg(windows)']\nrustflags = \"--cfg w2\"\n";
        let conflicts = layers(&[outer, near], &[]).rustflags_conflicts();
        assert_eq!(conflicts.len(), 1);
        assert_eq!(
            conflicts[0].to_string(),
            "`target.'cfg(windows)'.rustflags` is a string in one config file and an array in the other (config0.toml:2 and config1.toml:4): cargo cannot merge the two, so every cargo command fails"
        );
        assert!(layers(&[near, near], &[]).rustflags_conflicts().is_empty());
    }

    #[test]
    fn rustflags_split_on_the_space_alone() {
        let l = layers(&[], &[("RUSTFLAGS", " --cfg\tx  --cfg y ")]);
        assert_eq!(l.rustflags(&linux("1.95.0")).flags(), ["--cfg\tx", "--cfg", "y"]);
    }

    #[test]
    fn a_cfg_in_build_rustflags_switches_a_cfg_table_on_which_then_hides_build() {
        // Measured with cargo 1.95: only `--cfg bar` reaches rustc (with a warning that the
        // table and the flags depend on each other).
        let config =
            "[build]\nrustflags = [\"--cfg\", \"foo\"]\n[target.'cfg(foo)']\nrustflags = [\"--cfg\", \"bar\"]\n";
        let r = layers(&[config], &[]).rustflags(&linux("1.95.0"));
        assert_eq!((r.level, r.flags().join(" ")), (Level::Target, "--cfg bar".to_owned()));
        // A `--cfg` from `RUSTFLAGS` cannot: it hides every table.
        assert!(layers(&[config], &[]).cfg_tables_unsettled(&linux("1.95.0")));
        // Settled where the table keeps its own switch on.
        let settled = config.replace("\"bar\"]", "\"bar\", \"--cfg\", \"foo\"]");
        assert!(!layers(&[&settled], &[]).cfg_tables_unsettled(&linux("1.95.0")));
        let r = layers(&[config], &[("RUSTFLAGS", "--cfg=foo")]).rustflags(&linux("1.95.0"));
        assert_eq!(r.flags(), ["--cfg=foo"]);
        let m = linux("1.95.0").with_cfg_flags(&["--cfg".into(), "x".into(), "--cfg=k=\"v\"".into()]);
        assert!(m.matches_target("cfg(all(x, k = \"v\"))").unwrap());
    }
}
