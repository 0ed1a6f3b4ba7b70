//! Which extra flags cargo gives rustc, and from where: the first that is set of
//! `CARGO_ENCODED_RUSTFLAGS`, `RUSTFLAGS`, every `[target.<triple>]` and `[target.'cfg(…)']`
//! `rustflags` that matches the machine (joined), and `[build] rustflags` (joined across config
//! files). Cargo never merges two of these sources: a higher one hides every lower one, which is
//! how a flag written into the wrong table silently does nothing. `apply`, `check` and `explain`
//! all ask here.

use toml_edit::Item;

use super::Layers;
use crate::config::ConfigTable;
use crate::edit::FlagsRecord;
use crate::machine::Machine;

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
    /// The config table, for a config file.
    pub table: Option<ConfigTable>,
    pub flags: Vec<String>,
    /// The flags each preset recorded adding here (`# cargo-presets(p) rustflags += …`).
    pub added: Vec<(String, Vec<String>)>,
}

impl FlagsSource {
    /// `` `[target.x86_64-unknown-linux-gnu].rustflags` (.cargo/config.toml:5) ``, or
    /// `` the environment variable `RUSTFLAGS` ``.
    pub fn describe(&self) -> String {
        match &self.table {
            Some(table) => format!("`[{table}].rustflags` ({})", self.source),
            None => format!("the environment variable `{}`", self.source),
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

impl Rustflags {
    /// The flags rustc gets.
    pub fn flags(&self) -> Vec<String> {
        self.used.iter().flat_map(|s| s.flags.iter().cloned()).collect()
    }
}

impl Layers {
    /// The rustflags cargo passes on `machine`, for code built for the host.
    pub fn rustflags(&self, machine: &Machine) -> Rustflags {
        let mut by_level: Vec<(Level, FlagsSource)> = Vec::new();
        for (name, level) in [("CARGO_ENCODED_RUSTFLAGS", Level::EncodedEnv), ("RUSTFLAGS", Level::Env)] {
            if let Some((_, value)) = self.env.iter().find(|(k, _)| k == name) {
                let flags = if level == Level::EncodedEnv {
                    value.split('\u{1f}').filter(|f| !f.is_empty()).map(str::to_owned).collect()
                } else {
                    value.split_whitespace().map(str::to_owned).collect()
                };
                let source = name.to_owned();
                by_level.push((level, FlagsSource { source, file: None, table: None, flags, added: Vec::new() }));
            }
        }
        // Cargo merges config files lowest precedence first, so flags from `$CARGO_HOME` come
        // before the workspace's; the host's triple table comes first, then each matching
        // `cfg(…)` table in the order of its key as a string (measured with cargo 1.95).
        let mut targets: Vec<(Option<String>, FlagsSource)> = Vec::new();
        let mut builds = Vec::new();
        for layer in self.files.iter().filter(|l| l.config) {
            let Some(doc) = &layer.doc else { continue };
            let tables = doc.get("target").and_then(Item::as_table_like);
            for (key, table) in tables.into_iter().flat_map(|t| t.iter()) {
                if !machine.matches_target(key).unwrap_or(false) {
                    continue;
                }
                if let Some(found) = flags_in(layer, table, ConfigTable::Target(key.to_owned())) {
                    targets.push((key.starts_with("cfg(").then(|| key.to_owned()), found));
                }
            }
            builds.extend(doc.get("build").and_then(|b| flags_in(layer, b, ConfigTable::Build)));
        }
        targets.sort_by(|(a, _), (b, _)| a.cmp(b));
        by_level.extend(targets.into_iter().map(|(_, found)| (Level::Target, found)));
        by_level.extend(builds.into_iter().map(|found| (Level::Build, found)));
        let level = by_level.iter().map(|(l, _)| *l).min().unwrap_or(Level::Unset);
        let (used, ignored) = by_level.into_iter().partition::<Vec<_>, _>(|(l, _)| *l == level);
        Rustflags {
            level,
            used: used.into_iter().map(|(_, s)| s).collect(),
            ignored: ignored.into_iter().map(|(_, s)| s).collect(),
        }
    }
}

impl Layers {
    /// Whether any source of rustflags is set (then which one cargo uses depends on the machine).
    pub fn sets_rustflags(&self) -> bool {
        self.env.iter().any(|(k, _)| k == "RUSTFLAGS" || k == "CARGO_ENCODED_RUSTFLAGS")
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

/// The `rustflags` of a config table, as an array or a space-separated string, and what our
/// presets recorded adding there.
fn flags_in(layer: &super::Layer, table: &Item, config_table: ConfigTable) -> Option<FlagsSource> {
    let (key, item) = table.as_table_like()?.get_key_value("rustflags")?;
    let flags = crate::edit::flags_in_value(item.as_value()?)?;
    let added = layer
        .comments_above(key)
        .filter_map(|marker| Some((marker.preset.to_owned(), FlagsRecord::parse(&marker)?.flags)))
        .collect();
    Some(FlagsSource {
        source: layer.source_of(key),
        file: Some(layer.name.clone()),
        table: Some(config_table),
        flags,
        added,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::machine::tests::linux;

    /// Config files named `config0.toml`, `config1.toml`, … lowest precedence first.
    fn layers(configs: &[&str], env: &[(&str, &str)]) -> Layers {
        let names: Vec<String> = (0..configs.len()).map(|i| format!("config{i}.toml")).collect();
        let files: Vec<(&str, &str)> = names.iter().map(String::as_str).zip(configs.iter().copied()).collect();
        crate::effective::tests::layers(&files, env)
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
        let l = layers(&["[build]\nrustflags = \"-Ca=1 -Cb=2\"\n", "[build]\nrustflags = [\"-Cc=3\"]\n"], &[]);
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
}
