//! Preset files: declarative, composable descriptions of profile settings.
//!
//! ```toml
//! summary = "Faster dev builds: line tables for your code, no debug info for dependencies"
//! description = "When to use it, when not, and what it costs."
//! extends = ["debugging"]          # presets composed first
//! overrides = []                   # presets whose values this one may replace
//! sources = ["Cargo book, Optimizing Build Performance: https://…"]
//! conflicts-with = [               # presets it cannot go with, and why
//!   { preset = "fast-compile", why = "both decide dev's debug info: line tables or none" },
//! ]
//! packages = "named"               # `package."*"` tables only for `apply --package CRATE`
//!
//! [requires]
//! components = []                  # rustup components the settings need
//! cargo-args = []                  # what a cargo command needs to use the settings
//!
//! [profile.dev]
//! debug = { value = "line-tables-only", why = "keeps file:line in backtraces" }
//! incremental = { value = false, why = "…", redundant = { rustc = ">=1.99", because = "…" } }
//! split-debuginfo = { value = "unpacked", why = "…", rustc = ">=1.65" }   # written only there
//!
//! [profile.dev.package."*"]
//! debug = { value = false, why = "dependencies are rarely stepped through" }
//!
//! [relies-on.profile.release]        # values it needs but does not write
//! opt-level = { value = 3, why = "LTO pays off in optimised code" }
//!
//! [build]                              # config-only settings: `apply --to config|user|FILE`
//! rustflags = { value = ["-C", "target-cpu=native"], why = "…" }
//! ```
//!
//! A preset may also say where it applies (`[when]`: host, os, arch, channel, min-rustc, rustc),
//! what it needs (`[requires] programs`), and offer `[[variant]]`s, each with its own `when`,
//! `requires`, `note` and settings, of which `apply` picks the first that fits the machine.
//! A setting may name the rustc (and cargo) releases it is written for (`rustc`) and those on
//! which cargo does the same by itself (`redundant`, said when applying). Releases come from the
//! workspace's toolchain file when it names one, else from `rustc -vV`, asked only then.
//!
//! Parsing is strict: an unknown field, a wrong type, an unknown profile key, a value outside
//! Cargo's domain or a key Cargo forbids in an override is an error naming the file, line and
//! key. A preset that parses is valid on its own; `compose` checks how presets fit together.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml_edit::{Item, TableLike};

use crate::cargo::config::{self, ConfigPath, ConfigTable};
use crate::cargo::machine::{Machine, Releases, Version, When};
use crate::cargo::profiles;
use crate::cargo::schema::{Key, KeyPath, Value};
use crate::error::{Error, Location, Result};

/// Where a preset was found. Project presets come from a cloned repository: they are data from
/// strangers, and `list` says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    Builtin,
    /// `<workspace>/.cargo/presets/`
    Project(PathBuf),
    /// `$CARGO_HOME/presets/`
    User(PathBuf),
}

impl Origin {
    pub fn kind(&self) -> &'static str {
        match self {
            Origin::Builtin => "built-in",
            Origin::Project(_) => "project",
            Origin::User(_) => "user",
        }
    }

    pub fn path(&self) -> Option<&Path> {
        match self {
            Origin::Builtin => None,
            Origin::Project(path) | Origin::User(path) => Some(path),
        }
    }
}

/// Presets from a cloned repository cannot make cargo or rustc run a program or load a
/// file; built-in ones pick only among known tool names. `tune` asks it too, to save a result
/// where it may load.
pub fn check_trust(path: &ConfigPath, value: &Value, origin: &Origin) -> std::result::Result<(), String> {
    let builtin = *origin == Origin::Builtin;
    if matches!(origin, Origin::User(_)) {
        return Ok(());
    }
    if path.runs_a_program() {
        return match value {
            Value::Str(program) if builtin && config::KNOWN_PROGRAMS.contains(&program.as_str()) => Ok(()),
            _ => Err(format!("names a program to run, which a project preset may not do ({value})")),
        };
    }
    if let Value::Array(flags) = value {
        for flag in config::units(flags)? {
            if let Some(why) = config::runs_or_loads(&flag, builtin) {
                return Err(format!("has `{flag}`, which {why}: a project preset may not do that"));
            }
        }
    }
    Ok(())
}

/// One setting of a preset: where it goes, its value, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub path: KeyPath,
    pub value: Value,
    pub why: String,
    /// The releases it is written for (every one by default).
    pub rustc: Releases,
    /// The releases on which cargo does the same by itself, and when.
    pub redundant: Option<Redundant>,
}

/// Releases of cargo on which a setting is redundant, and why (`because` may name a condition:
/// "when `CI` is set").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redundant {
    pub rustc: Releases,
    pub because: String,
}

/// One cargo config setting of a preset (`build.rustflags`, `target.<t>.linker`, …).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigSetting {
    pub path: ConfigPath,
    pub value: Value,
    pub why: String,
}

/// A preset this one cannot go with, and why: `apply`, `show` and the guided mode refuse the two
/// together with this reason before composing them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredConflict {
    pub preset: String,
    pub why: String,
}

/// A variant of a preset for some machines: its settings are added to the preset's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    pub name: String,
    pub when: When,
    pub programs: Vec<String>,
    /// Said when the variant is chosen (a variant without settings says why none are needed).
    pub note: String,
    pub settings: Vec<Setting>,
    pub config: Vec<ConfigSetting>,
}

/// A validated preset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preset {
    pub name: String,
    pub origin: Origin,
    pub summary: String,
    pub description: String,
    pub extends: Vec<String>,
    pub overrides: Vec<String>,
    /// The presets it cannot go with (either side may declare it).
    pub conflicts_with: Vec<DeclaredConflict>,
    pub sources: Vec<String>,
    pub components: Vec<String>,
    /// Arguments a cargo command needs to use the settings (`-Zbuild-std=…`); `{host}` stands
    /// for the host's target triple.
    pub cargo_args: Vec<String>,
    pub settings: Vec<Setting>,
    /// Values the preset needs but does not write (`[relies-on.profile.*]`): composing it with
    /// a preset, or applying it over a file, that gives them another value is a conflict.
    pub relies_on: Vec<Setting>,
    /// Cargo config settings, which only config files can hold.
    pub config: Vec<ConfigSetting>,
    /// Where the preset applies at all.
    pub when: When,
    /// Programs the settings run, which must be on PATH.
    pub programs: Vec<String>,
    /// How to install a program it needs: `mold` gives `sudo apt-get install mold`.
    pub install: Vec<(String, String)>,
    /// Settings right for one machine only (`-C target-cpu=native`): refused in files a team
    /// shares unless forced.
    pub machine_specific: bool,
    /// Empty, or the variants `apply` chooses from (the first that fits).
    pub variants: Vec<Variant>,
    /// `packages = "named"`: the `package."*"` tables are templates for the packages named with
    /// `apply --package`, never written for every dependency.
    pub named_packages: bool,
}

/// The variant `apply` chose for a machine, and why.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Choice {
    pub preset: String,
    pub variant: String,
    pub because: String,
    pub note: String,
}

impl Preset {
    /// The file name shown in messages: the real path, or `presets/<name>.toml` for built-ins.
    pub fn file(&self) -> PathBuf {
        match self.origin.path() {
            Some(path) => path.to_owned(),
            None => PathBuf::from(format!("presets/{}.toml", self.name)),
        }
    }

    /// The value this preset gives `path`, if it sets it.
    pub fn value_of(&self, path: &KeyPath) -> Option<&Value> {
        self.settings.iter().find(|s| &s.path == path).map(|s| &s.value)
    }

    /// The value this preset (in any variant) gives a config key, if it sets it.
    pub fn config_value_of(&self, path: &ConfigPath) -> Option<&Value> {
        let variants = self.variants.iter().flat_map(|v| v.config.iter());
        self.config.iter().chain(variants).find(|s| &s.path == path).map(|s| &s.value)
    }

    /// Whether the preset (or one of its variants) sets config keys, which only config files
    /// hold.
    pub fn needs_config_file(&self) -> bool {
        !self.config.is_empty() || self.variants.iter().any(|v| !v.config.is_empty())
    }

    /// Whether the preset needs to know the machine: conditions, programs, variants, settings
    /// for some releases.
    pub fn depends_on_machine(&self) -> bool {
        let versioned = |s: &Setting| !s.rustc.is_any() || s.redundant.is_some();
        !self.when.is_always()
            || !self.programs.is_empty()
            || !self.variants.is_empty()
            || self.settings.iter().chain(self.variants.iter().flat_map(|v| &v.settings)).any(versioned)
    }

    /// Whether the toolchain alone (its release and channel) decides how the preset applies:
    /// then a toolchain file can tell, and no rustc need be started.
    pub fn depends_on_toolchain_only(&self) -> bool {
        let only = |when: &When, programs: &[String], config: &[ConfigSetting]| {
            when.toolchain_only() && programs.is_empty() && !config.iter().any(|c| c.path.is_rustflags())
        };
        only(&self.when, &self.programs, &self.config)
            && self.variants.iter().all(|v| only(&v.when, &v.programs, &v.config))
    }

    /// The preset as it applies to `machine`: its variant chosen (the one named by `chosen`, or
    /// the first whose conditions hold) and merged in, and `{threads}` in flags resolved. The
    /// error says what did not fit.
    pub fn for_machine(&self, machine: &Machine, chosen: Option<&str>) -> Result<(Preset, Option<Choice>)> {
        if let Err(why) = self.when.check(machine) {
            return Err(Error::new(format!("preset `{}` does not apply to this machine: {why}", self.name)));
        }
        let mut preset = self.clone();
        preset.variants = Vec::new();
        let threads = machine.cores.clamp(1, 8).to_string();
        let resolve = |setting: &ConfigSetting| {
            let mut setting = setting.clone();
            if let Value::Array(flags) = &mut setting.value {
                for flag in flags {
                    *flag = flag.replace("{threads}", &threads);
                }
            }
            setting
        };
        preset.config = self.config.iter().map(resolve).collect();
        // A setting for some releases only; an unknown release meets none of its bounds.
        preset.settings.retain(|s| s.rustc.is_any() || s.rustc.check(machine.release).is_ok());
        if self.variants.is_empty() {
            return Ok((preset, None));
        }
        let (variant, because) = self.pick_variant(machine, chosen)?;
        let fits = |s: &&Setting| s.rustc.is_any() || s.rustc.check(machine.release).is_ok();
        preset.settings.extend(variant.settings.iter().filter(fits).cloned());
        preset.config.extend(variant.config.iter().map(resolve));
        preset.programs.extend(variant.programs.iter().cloned());
        let choice =
            Choice { preset: self.name.clone(), variant: variant.name.clone(), because, note: variant.note.clone() };
        Ok((preset, Some(choice)))
    }

    fn pick_variant(&self, machine: &Machine, chosen: Option<&str>) -> Result<(&Variant, String)> {
        if let Some(name) = chosen {
            let variant = self.variants.iter().find(|v| v.name == name).ok_or_else(|| {
                let names: Vec<&str> = self.variants.iter().map(|v| v.name.as_str()).collect();
                Error::new(format!("preset `{}` has no variant `{name}`", self.name))
                    .help(format!("its variants are: {}", names.join(", ")))
            })?;
            return Ok((variant, "chosen by name".to_owned()));
        }
        let mut why_not = Vec::new();
        let mut installs = Vec::new();
        for variant in &self.variants {
            let held = match variant.when.check(machine) {
                // The fallback: what the variants before it lacked says why it was chosen.
                Ok(_) if variant.when.is_always() && !why_not.is_empty() => why_not.join("; "),
                Ok(_) if variant.when.is_always() => "the fallback".to_owned(),
                Ok(held) => held,
                Err(why) => {
                    why_not.push(format!("`{}`: {why}", variant.name));
                    continue;
                }
            };
            let missing: Vec<&String> = variant.programs.iter().filter(|p| machine.program(p).is_none()).collect();
            if missing.is_empty() {
                let found = variant.programs.iter().map(|p| format!("`{p}` found"));
                return Ok((variant, std::iter::once(held).chain(found).collect::<Vec<_>>().join(", ")));
            }
            for program in missing {
                why_not.push(format!("`{}`: needs `{program}`, which is not on PATH", variant.name));
                installs.push(self.install_hint(program));
            }
        }
        let error =
            Error::new(format!("no variant of preset `{}` applies to this machine ({})", self.name, machine.host));
        let error = why_not.into_iter().fold(error, Error::detail);
        Err(installs.into_iter().fold(error, Error::help))
    }

    /// The preset as a file holds it, for `status`: with the settings of the first variant whose
    /// profiles all have tables of this preset there (`marked`), as written when none has.
    pub fn as_written_in(&self, marked: &[String]) -> Preset {
        let fits =
            |v: &&Variant| !v.settings.is_empty() && v.settings.iter().all(|s| marked.contains(&s.path.table.profile));
        let mut preset = self.clone();
        if let Some(variant) = self.variants.iter().find(fits) {
            preset.settings.extend(variant.settings.iter().cloned());
        }
        preset
    }

    /// How to install `program`, as the preset says, or a generic hint.
    pub fn install_hint(&self, program: &str) -> String {
        match self.install.iter().find(|(p, _)| p == program) {
            Some((_, how)) => format!("install `{program}` with `{how}` (or your system's package manager)"),
            None => format!("install `{program}` with your system's package manager"),
        }
    }
}

impl fmt::Display for Preset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`", self.name)
    }
}

/// The top-level fields; `profile` is walked separately from the spanned document so that
/// errors inside it can name the exact key path.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPreset {
    summary: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    extends: Vec<String>,
    #[serde(default)]
    overrides: Vec<String>,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    requires: RawRequires,
    /// Read from the spanned document instead, for exact error locations.
    #[serde(default, rename = "profile")]
    _profile: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "conflicts-with")]
    _conflicts_with: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "relies-on")]
    _relies_on: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "build")]
    _build: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "target")]
    _target: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "resolver")]
    _resolver: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "unstable")]
    _unstable: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "when")]
    _when: Option<serde::de::IgnoredAny>,
    #[serde(default, rename = "variant")]
    _variant: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    machine_specific: bool,
    /// Read from the spanned document instead, for exact error locations.
    #[serde(default, rename = "packages")]
    _packages: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRequires {
    #[serde(default)]
    components: Vec<String>,
    #[serde(default)]
    cargo_args: Vec<String>,
    #[serde(default)]
    programs: Vec<String>,
    /// Program name to install command.
    #[serde(default)]
    install: std::collections::BTreeMap<String, String>,
}

/// Whether `name` can name a preset: the same characters Cargo allows in profile names, so a
/// name never smuggles in a path (`../x`) or needs quoting.
pub fn check_name(name: &str) -> std::result::Result<(), String> {
    if name.is_empty() {
        return Err("a preset name cannot be empty".into());
    }
    match name.chars().find(|c| !(c.is_alphanumeric() || *c == '-' || *c == '_')) {
        Some(c) => Err(format!(
            "invalid character `{c}` in preset name `{name}`: use letters, numbers, `-` and `_` (presets are named by their file name, not a path)"
        )),
        None => Ok(()),
    }
}

/// Parses and validates one preset file.
pub fn parse(name: &str, origin: Origin, text: &str) -> Result<Preset> {
    let file = match origin.path() {
        Some(path) => path.to_owned(),
        None => PathBuf::from(format!("presets/{name}.toml")),
    };
    let doc = toml_edit::Document::parse(text.to_owned()).map_err(|e| Error::toml(&file, text, &e))?;
    let reader = Reader { file: &file, text };
    reader.shown_as_written("", doc.as_table())?;
    let raw: RawPreset = toml_edit::de::from_document(doc.clone()).map_err(|e| {
        let error = Error::new(format!("invalid preset `{}`: {}", file.display(), e.message()));
        match e.span() {
            Some(span) => error.at(Location::of_span(&file, text, span)),
            None => error,
        }
    })?;

    if raw.summary.trim().is_empty() {
        return Err(reader
            .error(doc.get("summary"), "`summary` is empty")
            .help("say in one line what the preset is for"));
    }
    for (field, names) in [("extends", &raw.extends), ("overrides", &raw.overrides)] {
        for entry in names {
            check_name(entry)
                .map_err(|why| reader.error(doc.get(field), &format!("`{field}` entry `{entry}`: {why}")))?;
        }
    }
    let conflicts_with = match doc.get("conflicts-with") {
        None => Vec::new(),
        Some(item) => reader.conflicts_with(item, name, &raw.extends)?,
    };
    let when = match doc.get("when") {
        None => When::default(),
        Some(item) => reader.when(item)?,
    };
    let settings = match doc.get("profile") {
        None => Vec::new(),
        Some(item) => reader.profiles(item, when.rustc.from)?,
    };
    let relies_on = match doc.get("relies-on") {
        None => Vec::new(),
        Some(item) => reader.relies_on(item, when.rustc.from)?,
    };
    let config = reader.config(doc.as_table(), &origin)?;
    for program in &raw.requires.programs {
        reader.program(doc.get("requires"), program)?;
    }
    let variants = match doc.get("variant") {
        None => Vec::new(),
        Some(item) => reader.variants(item, &origin)?,
    };
    let named_packages = match doc.get("packages") {
        None => false,
        Some(item) => reader.packages(item, &settings)?,
    };
    Ok(Preset {
        name: name.to_owned(),
        origin,
        summary: raw.summary,
        description: raw.description,
        extends: raw.extends,
        overrides: raw.overrides,
        conflicts_with,
        sources: raw.sources,
        components: raw.requires.components,
        cargo_args: raw.requires.cargo_args,
        settings,
        relies_on,
        config,
        when,
        programs: raw.requires.programs,
        install: raw.requires.install.into_iter().collect(),
        machine_specific: raw.machine_specific,
        variants,
        named_packages,
    })
}

/// Walks the `profile` table of a spanned preset document.
struct Reader<'a> {
    file: &'a Path,
    text: &'a str,
}

impl Reader<'_> {
    fn error(&self, item: Option<&Item>, message: &str) -> Error {
        let error = Error::new(format!("invalid preset `{}`: {message}", self.file.display()));
        match item.and_then(Item::span) {
            Some(span) => error.at(Location::of_span(self.file, self.text, span)),
            None => error,
        }
    }

    fn key_error(&self, table: &dyn TableLike, key: &str, message: &str) -> Error {
        self.error_at(table.get_key_value(key).and_then(|(k, _)| k.span()), message)
    }

    fn error_at(&self, span: Option<std::ops::Range<usize>>, message: &str) -> Error {
        let error = Error::new(format!("invalid preset `{}`: {message}", self.file.display()));
        match span {
            Some(span) => error.at(Location::of_span(self.file, self.text, span)),
            None => error,
        }
    }

    /// Refuses a key or string a terminal would act on instead of showing (`render::acts_on_terminal`):
    /// a preset's text reaches terminals (`list`, `show`, the guide) and comments in the files
    /// it writes, and a project preset comes with whatever repository was cloned.
    fn shown_as_written(&self, path: &str, table: &dyn TableLike) -> Result<()> {
        for (key, item) in table.iter() {
            let path = if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
            self.refuse_hidden(&path, key, table.get_key_value(key).and_then(|(k, _)| k.span()))?;
            match item {
                Item::Value(value) => self.value_shown_as_written(&path, value)?,
                Item::Table(table) => self.shown_as_written(&path, table)?,
                Item::ArrayOfTables(tables) => {
                    for (i, table) in tables.iter().enumerate() {
                        self.shown_as_written(&format!("{path}[{i}]"), table)?;
                    }
                }
                Item::None => {}
            }
        }
        Ok(())
    }

    fn value_shown_as_written(&self, path: &str, value: &toml_edit::Value) -> Result<()> {
        match value {
            toml_edit::Value::String(text) => self.refuse_hidden(path, text.value(), text.span()),
            toml_edit::Value::Array(values) => {
                values.iter().enumerate().try_for_each(|(i, v)| self.value_shown_as_written(&format!("{path}[{i}]"), v))
            }
            toml_edit::Value::InlineTable(table) => self.shown_as_written(path, table),
            _ => Ok(()),
        }
    }

    fn refuse_hidden(&self, path: &str, text: &str, span: Option<std::ops::Range<usize>>) -> Result<()> {
        // A multi-line string in a file checked out with CRLF line ends holds them as written.
        let lines = text.replace("\r\n", "\n");
        let Some(c) = lines.chars().find(|&c| crate::render::acts_on_terminal(c)) else { return Ok(()) };
        Err(self
            .error_at(
                span,
                &format!("`{path}` holds {}, a character terminals act on instead of showing", c.escape_unicode()),
            )
            .help("remove it: preset text is shown on terminals as it is written"))
    }

    /// The settings of the `profile` tree; the first structural problem is the error.
    /// `cargo` is the oldest release the settings are for (a variant's `when.rustc`): from 1.99
    /// they may write cargo's own `debug` profile.
    fn profiles(&self, item: &Item, cargo: Option<Version>) -> Result<Vec<Setting>> {
        let walk = profiles::walk(item, cargo);
        if let Some(problem) = walk.problems.into_iter().next() {
            let error = self.error_at(problem.span, &problem.message);
            return Err(problem.help.into_iter().fold(error, Error::help));
        }
        walk.entries.iter().map(|entry| self.setting(entry)).collect()
    }

    /// `packages = "named"`, the one value there is, on a preset with `package."*"` tables (which
    /// it makes templates for `apply --package`).
    fn packages(&self, item: &Item, settings: &[Setting]) -> Result<bool> {
        if item.as_str() != Some("named") {
            return Err(self
                .error(Some(item), "`packages` must be \"named\"")
                .help("`packages = \"named\"` makes the `package.\"*\"` tables templates for `apply --package CRATE`; leave it out for tables that apply to every dependency"));
        }
        if !settings.iter().any(|s| s.path.table.scope.is_every_package()) {
            return Err(self
                .error(
                    Some(item),
                    "`packages = \"named\"` but the preset has no `[profile.<name>.package.\"*\"]` table",
                )
                .help("add the settings for the named packages under `[profile.<name>.package.\"*\"]`"));
        }
        Ok(true)
    }

    /// `conflicts-with = [{ preset = "…", why = "…" }, …]`: each a preset name other than this
    /// one and those it extends (which it composes with by definition), once, with a reason.
    fn conflicts_with(&self, item: &Item, name: &str, extends: &[String]) -> Result<Vec<DeclaredConflict>> {
        let expected = "`conflicts-with` must be an array of `{ preset = \"…\", why = \"…\" }`";
        let entries: Vec<&dyn TableLike> = match item {
            Item::Value(toml_edit::Value::Array(array)) => array
                .iter()
                .map(|v| v.as_inline_table().map(|t| t as &dyn TableLike))
                .collect::<Option<_>>()
                .ok_or_else(|| self.error(Some(item), expected))?,
            Item::ArrayOfTables(tables) => tables.iter().map(|t| t as &dyn TableLike).collect(),
            _ => return Err(self.error(Some(item), expected)),
        };
        let mut declared: Vec<DeclaredConflict> = Vec::new();
        for (i, entry) in entries.into_iter().enumerate() {
            let at = |key: &str, message: &str| self.key_error(entry, key, message);
            if let Some((extra, _)) = entry.iter().find(|(k, _)| *k != "preset" && *k != "why") {
                return Err(at(
                    extra,
                    &format!("unknown field `{extra}` in `conflicts-with[{i}]`, expected `preset` or `why`"),
                ));
            }
            let text = |key: &str| -> Result<&str> {
                let value = entry.get(key).ok_or_else(|| {
                    self.error(Some(item), &format!("`conflicts-with[{i}]` has no `{key}`"))
                        .help("write each entry as `{ preset = \"NAME\", why = \"what contradicts what\" }`")
                })?;
                value.as_str().filter(|t| !t.trim().is_empty()).ok_or_else(|| {
                    self.error(Some(value), &format!("`conflicts-with[{i}].{key}` must be a non-empty string"))
                })
            };
            let (preset, why) = (text("preset")?, text("why")?);
            let named = |message: String| at("preset", &message);
            check_name(preset).map_err(|why| named(format!("`conflicts-with[{i}].preset`: {why}")))?;
            if preset == name || extends.iter().any(|e| e == preset) {
                return Err(named(format!("preset `{name}` cannot conflict with `{preset}`, which it is or extends")));
            }
            if declared.iter().any(|d| d.preset == preset) {
                return Err(named(format!("`conflicts-with` names `{preset}` twice")));
            }
            declared.push(DeclaredConflict { preset: preset.to_owned(), why: why.to_owned() });
        }
        Ok(declared)
    }

    /// `[relies-on.profile.<name>]`: profile keys only, since what a preset relies on is what
    /// the profile gives its own crates.
    fn relies_on(&self, item: &Item, cargo: Option<Version>) -> Result<Vec<Setting>> {
        let table = item.as_table_like().ok_or_else(|| self.error(Some(item), "`relies-on` must be a table"))?;
        if let Some((extra, _)) = table.iter().find(|(k, _)| *k != "profile") {
            return Err(self.key_error(
                table,
                extra,
                &format!("unknown field `relies-on.{extra}`, expected `profile`"),
            ));
        }
        let Some(profiles) = table.get("profile") else { return Ok(Vec::new()) };
        let settings = self.profiles(profiles, cargo)?;
        if let Some(scoped) = settings.iter().find(|s| s.path.table.scope != crate::cargo::schema::Scope::Profile) {
            return Err(
                self.error(Some(profiles), &format!("`relies-on` takes profile keys only, not `{}`", scoped.path))
            );
        }
        Ok(settings)
    }

    /// The config tables of a preset (or variant) table: `build`, `target`, `resolver`,
    /// `unstable`. A preset from a cloned repository may not make cargo run a program.
    fn config(&self, table: &dyn TableLike, origin: &Origin) -> Result<Vec<ConfigSetting>> {
        let mut settings = Vec::new();
        for (name, config_table) in
            [("build", ConfigTable::Build), ("resolver", ConfigTable::Resolver), ("unstable", ConfigTable::Unstable)]
        {
            if let Some(item) = table.get(name) {
                settings.extend(self.config_table(item, &config_table, origin)?);
            }
        }
        let Some(targets) = table.get("target") else { return Ok(settings) };
        let targets = targets.as_table_like().ok_or_else(|| self.error(Some(targets), "`target` must be a table"))?;
        for (target, item) in targets.iter() {
            let shown = ConfigTable::Target(target.to_owned());
            let bad = |why: String| self.key_error(targets, target, &format!("`{shown}`: {why}"));
            match target.strip_prefix("cfg(") {
                Some(_) => crate::cargo::machine::check_cfg(target).map_err(bad)?,
                None if target.is_empty()
                    || !target.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) =>
                {
                    return Err(bad("expected a target triple or `cfg(…)`".to_owned()));
                }
                None => {}
            }
            settings.extend(self.config_table(item, &ConfigTable::Target(target.to_owned()), origin)?);
        }
        Ok(settings)
    }

    fn config_table(&self, item: &Item, table: &ConfigTable, origin: &Origin) -> Result<Vec<ConfigSetting>> {
        let keys = item.as_table_like().ok_or_else(|| self.error(Some(item), &format!("`{table}` must be a table")))?;
        let mut settings = Vec::new();
        for (key, value) in keys.iter() {
            let known = table.known_keys();
            let form_ok = key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            if !(known.contains(&key) || known.is_empty() && form_ok && !key.is_empty()) {
                let mut error = self.key_error(
                    keys,
                    key,
                    &format!(
                        "unknown key `{table}.{key}`, expected {}",
                        known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(" or ")
                    ),
                );
                if let Some(similar) = crate::suggest::closest(key, known.iter().copied(), 3) {
                    error = error.help(format!("did you mean `{similar}`?"));
                }
                return Err(error);
            }
            let path = ConfigPath { table: table.clone(), key: key.to_owned() };
            let (value_item, why) = self.value_and_why(value, &path.to_string(), false, &[])?;
            let invalid = |why: String| self.error(Some(value_item), &format!("invalid value for `{path}`: {why}"));
            let value = value_item
                .as_value()
                .and_then(Value::from_toml)
                .ok_or_else(|| invalid(format!("expected {}", path.expected())))?;
            path.check(&value).map_err(invalid)?;
            check_trust(&path, &value, origin).map_err(|why| {
                self.error(Some(value_item), &format!("`{path}` {why}")).help(
                    "only built-in presets and your own (in `$CARGO_HOME/presets/`) may choose programs for cargo to run",
                )
            })?;
            settings.push(ConfigSetting { path, value, why });
        }
        Ok(settings)
    }

    /// `when = { host = [...], os = [...], arch = [...], channel = "nightly", min-rustc = "1.90" }`,
    /// or `rustc = ">=1.92, <1.99"` for a range of releases.
    fn when(&self, item: &Item) -> Result<When> {
        let table = item.as_table_like().ok_or_else(|| self.error(Some(item), "`when` must be a table"))?;
        let mut when = When::default();
        for (key, value) in table.iter() {
            let strings = || -> Result<Vec<String>> {
                value
                    .as_array()
                    .and_then(|a| a.iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>())
                    .ok_or_else(|| self.error(Some(value), &format!("`when.{key}` must be an array of strings")))
            };
            let string =
                || value.as_str().ok_or_else(|| self.error(Some(value), &format!("`when.{key}` must be a string")));
            match key {
                "host" => when.host = strings()?,
                "os" => when.os = strings()?,
                "arch" => when.arch = strings()?,
                "channel" => {
                    let channel = string()?;
                    if !["stable", "beta", "nightly"].contains(&channel) {
                        return Err(
                            self.error(Some(value), "`when.channel` must be \"stable\", \"beta\" or \"nightly\"")
                        );
                    }
                    when.channel = Some(channel.to_owned());
                }
                "min-rustc" | "rustc" if !when.rustc.is_any() => {
                    return Err(self.key_error(table, key, "give one of `when.min-rustc` and `when.rustc`, not both"));
                }
                "min-rustc" => {
                    let text = string()?;
                    when.rustc.from = Some(Version::parse(text).ok_or_else(|| {
                        self.error(
                            Some(value),
                            &format!("`when.min-rustc` must be a version like \"1.90\", not \"{text}\""),
                        )
                    })?);
                }
                "rustc" => when.rustc = self.releases(value, "when.rustc")?,
                other => {
                    return Err(self.key_error(
                        table,
                        other,
                        &format!(
                            "unknown field `when.{other}`, expected `host`, `os`, `arch`, `channel`, `min-rustc` or `rustc`"
                        ),
                    ));
                }
            }
        }
        Ok(when)
    }

    /// A range of releases: `">=1.99"`, `"<1.99"`, `">=1.92, <1.99"`.
    fn releases(&self, item: &Item, key: &str) -> Result<Releases> {
        let text = item.as_str().ok_or_else(|| self.error(Some(item), &format!("`{key}` must be a string")))?;
        Releases::parse(text).map_err(|why| self.error(Some(item), &format!("`{key}`: {why}")))
    }

    /// A program a preset needs: a plain name, looked up on PATH.
    fn program(&self, item: Option<&Item>, program: &str) -> Result<()> {
        config::check_program(program).map_err(|why| self.error(item, &why))
    }

    /// `[[variant]]` entries: `name`, `when`, `requires = { programs }`, `note`, and settings.
    fn variants(&self, item: &Item, origin: &Origin) -> Result<Vec<Variant>> {
        let tables = item.as_array_of_tables().ok_or_else(|| {
            self.error(Some(item), "`variant` must be an array of tables: write each as `[[variant]]`")
        })?;
        let mut variants: Vec<Variant> = Vec::new();
        for table in tables.iter() {
            let field = |key: &str| table.get(key);
            let name = field("name")
                .and_then(Item::as_str)
                .ok_or_else(|| self.error_at(table.span(), "each `[[variant]]` needs a `name`"))?;
            check_name(name).map_err(|why| self.error(field("name"), &why))?;
            if variants.iter().any(|v| v.name == name) {
                return Err(self.error(field("name"), &format!("two variants are named `{name}`")));
            }
            let allowed = ["name", "when", "requires", "note", "profile", "build", "target", "resolver", "unstable"];
            if let Some((extra, _)) = table.iter().find(|(k, _)| !allowed.contains(k)) {
                return Err(self.key_error(
                    table,
                    extra,
                    &format!("unknown field `{extra}` in variant `{name}`, expected one of {}", allowed.join(", ")),
                ));
            }
            let when = field("when").map(|w| self.when(w)).transpose()?.unwrap_or_default();
            let mut programs = Vec::new();
            if let Some(requires) = field("requires") {
                let requires =
                    requires.as_table_like().ok_or_else(|| self.error(Some(requires), "`requires` must be a table"))?;
                if let Some((extra, _)) = requires.iter().find(|(k, _)| *k != "programs") {
                    return Err(self.key_error(
                        requires,
                        extra,
                        &format!("unknown field `{extra}` in a variant's `requires`, expected `programs`"),
                    ));
                }
                let list = requires.get("programs");
                for program in list.and_then(Item::as_array).into_iter().flat_map(|a| a.iter()) {
                    let program =
                        program.as_str().ok_or_else(|| self.error(list, "`programs` must be an array of names"))?;
                    self.program(list, program)?;
                    programs.push(program.to_owned());
                }
            }
            let note = field("note").and_then(Item::as_str).unwrap_or_default().to_owned();
            let settings = match field("profile") {
                Some(profile) => self.profiles(profile, when.rustc.from)?,
                None => Vec::new(),
            };
            let config = self.config(table, origin)?;
            variants.push(Variant { name: name.to_owned(), when, programs, note, settings, config });
        }
        Ok(variants)
    }

    fn setting(&self, entry: &profiles::Entry<'_>) -> Result<Setting> {
        let path = &entry.path;
        let shown = path.to_string();
        let (value_item, why) =
            self.value_and_why(entry.item, &shown, path.key == Key::Inherits, &["rustc", "redundant"])?;
        let invalid = |why: String| self.error(Some(value_item), &format!("invalid value for `{path}`: {why}"));
        let value = value_item
            .as_value()
            .and_then(Value::from_toml)
            .ok_or_else(|| invalid(format!("expected {}", path.key.expected())))?;
        path.key.check(&value).map_err(invalid)?;
        let field = |key: &str| entry.item.as_table_like().and_then(|t| t.get(key));
        let rustc = field("rustc").map(|item| self.releases(item, &format!("{shown}.rustc"))).transpose()?;
        let redundant =
            field("redundant").map(|item| self.redundant(item, &format!("{shown}.redundant"))).transpose()?;
        Ok(Setting { path: path.clone(), value, why, rustc: rustc.unwrap_or_default(), redundant })
    }

    /// `redundant = { rustc = ">=1.99", because = "cargo 1.99 does the same when `CI` is set" }`.
    fn redundant(&self, item: &Item, key: &str) -> Result<Redundant> {
        let table = item.as_table_like().ok_or_else(|| self.error(Some(item), &format!("`{key}` must be a table")))?;
        if let Some((extra, _)) = table.iter().find(|(k, _)| !["rustc", "because"].contains(k)) {
            return Err(self.key_error(
                table,
                extra,
                &format!("unknown field `{extra}` in `{key}`, expected `rustc` or `because`"),
            ));
        }
        let rustc = table.get("rustc").ok_or_else(|| {
            self.error(Some(item), &format!("`{key}` has no `rustc`"))
                .help("name the releases, as in `rustc = \">=1.99\"`")
        })?;
        let rustc = self.releases(rustc, &format!("{key}.rustc"))?;
        let because = table.get("because").and_then(Item::as_str).filter(|b| !b.trim().is_empty());
        let because = because.ok_or_else(|| {
            self.error(Some(item), &format!("`{key}` has no `because`"))
                .help("say what cargo does by itself on those releases")
        })?;
        Ok(Redundant { rustc, because: because.to_owned() })
    }

    /// Settings are written `key = { value = …, why = "…" }`; `inherits` may be a bare string
    /// (`bare`), since the profile's purpose is its reason. `also` are the other fields the
    /// caller reads from the table.
    fn value_and_why<'i>(&self, item: &'i Item, path: &str, bare: bool, also: &[&str]) -> Result<(&'i Item, String)> {
        let Some(table) = item.as_table_like() else {
            if bare {
                return Ok((item, String::new()));
            }
            let key = path.rsplit('.').next().unwrap_or(path);
            return Err(
                self.error(Some(item), &format!("`{path}` must say why: write `{key} = {{ value = …, why = \"…\" }}`"))
            );
        };
        let fields: Vec<&str> = ["value", "why"].iter().chain(also).copied().collect();
        if let Some((extra, _)) = table.iter().find(|(k, _)| !fields.contains(k)) {
            let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
            let (last, first) = names.split_last().expect("two fields at least");
            return Err(self.key_error(
                table,
                extra,
                &format!("unknown field `{extra}` in `{path}`, expected {} or {last}", first.join(", ")),
            ));
        }
        let value = table.get("value").ok_or_else(|| self.error(Some(item), &format!("`{path}` has no `value`")))?;
        let why = match table.get("why") {
            Some(why) => {
                why.as_str().ok_or_else(|| self.error(Some(why), &format!("`{path}.why` must be a string")))?
            }
            None => "",
        };
        if why.trim().is_empty() && !bare {
            return Err(self
                .error(Some(item), &format!("`{path}` has no `why`"))
                .help("give each setting a short reason; it is written next to the key"));
        }
        Ok((value, why.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(text: &str) -> String {
        parse("t", Origin::Builtin, text).unwrap_err().to_string()
    }

    #[test]
    fn text_a_terminal_acts_on_is_refused_with_its_key() {
        let err = parse_err("summary = \"s\"\n[profile.dev]\ndebug = { value = 1, why = \"a\u{202e}b\" }\n");
        assert!(err.contains("`profile.dev.debug.why` holds \\u{202e}"), "{err}");
        let err = parse_err("summary = \"s\"\n[[variant]]\nname = \"v\"\nnote = \"\\u001b]0;title\\u0007\"\n");
        assert!(err.contains("`variant[0].note` holds \\u{1b}"), "{err}");
        assert!(parse("t", Origin::Builtin, "summary = \"s\"\ndescription = \"one\\n\\ttwo\"\n").is_ok());
        let crlf = "summary = \"s\"\r\ndescription = \"\"\"\r\none\r\ntwo\r\n\"\"\"\r\n";
        assert_eq!(parse("t", Origin::Builtin, crlf).unwrap().description, "one\r\ntwo\r\n");
    }

    #[test]
    fn reads_settings_in_file_order_with_scopes() {
        let preset = parse(
            "t",
            Origin::Builtin,
            r#"summary = "s"
[profile.staging]
inherits = "release"
debug = { value = "line-tables-only", why = "w1" }
[profile.staging.package."*"]
opt-level = { value = 1, why = "w2" }
[profile.staging.build-override]
opt-level = { value = 0, why = "w3" }
"#,
        )
        .unwrap();
        let paths: Vec<String> = preset.settings.iter().map(|s| s.path.to_string()).collect();
        assert_eq!(
            paths,
            [
                "profile.staging.inherits",
                "profile.staging.debug",
                "profile.staging.package.\"*\".opt-level",
                "profile.staging.build-override.opt-level"
            ]
        );
        assert_eq!(preset.settings[1].why, "w1");
    }

    #[test]
    fn unknown_top_level_field_names_the_line_and_the_expected_fields() {
        let err = parse_err("summary = \"s\"\nextend = []\n");
        assert!(err.contains("unknown field `extend`, expected one of"), "{err}");
        assert!(err.contains("--> presets/t.toml:2:1"), "{err}");
    }

    #[test]
    fn snake_case_key_gets_a_suggestion() {
        let err = parse_err("summary = \"s\"\n[profile.dev]\nopt_level = { value = 1, why = \"w\" }\n");
        assert!(err.contains("unknown profile key `profile.dev.opt_level`"), "{err}");
        assert!(err.contains("help: did you mean `opt-level`?"), "{err}");
        assert!(err.contains(":3:1"), "{err}");
    }

    #[test]
    fn value_outside_cargo_domain_is_refused_with_the_domain() {
        let err = parse_err("summary = \"s\"\n[profile.release]\nopt-level = { value = \"3\", why = \"w\" }\n");
        assert!(err.contains("invalid value for `profile.release.opt-level`: expected `0`, `1`"), "{err}");
        assert!(err.contains(":3:23"), "{err}");
    }

    #[test]
    fn packages_named_makes_every_dependency_tables_templates_and_is_checked_with_its_line() {
        let table = "[profile.dev.package.\"*\"]\nhint-mostly-unused = { value = true, why = \"w\" }\n";
        let preset = parse("t", Origin::Builtin, &format!("summary = \"s\"\npackages = \"named\"\n{table}")).unwrap();
        assert!(preset.named_packages);
        assert!(!parse("t", Origin::Builtin, &format!("summary = \"s\"\n{table}")).unwrap().named_packages);
        let err = parse_err(&format!("summary = \"s\"\npackages = \"all\"\n{table}"));
        assert!(err.contains("`packages` must be \"named\"") && err.contains("presets/t.toml:2:12"), "{err}");
        let err =
            parse_err("summary = \"s\"\npackages = \"named\"\n[profile.dev]\ndebug = { value = 1, why = \"w\" }\n");
        assert!(err.contains("has no `[profile.<name>.package.\"*\"]` table") && err.contains(":2:12"), "{err}");
    }

    #[test]
    fn override_only_keys_and_nesting_are_refused() {
        let err =
            parse_err("summary = \"s\"\n[profile.dev.package.\"*\"]\npanic = { value = \"abort\", why = \"w\" }\n");
        assert!(err.contains("`panic` may not be specified in a `package` profile"), "{err}");
        let err = parse_err("summary = \"s\"\n[profile.dev.build-override]\ninherits = \"dev\"\n");
        assert!(err.contains("`inherits` may not be specified in a `build-override` profile"), "{err}");
        let err = parse_err(
            "summary = \"s\"\n[profile.dev.build-override.package.x]\nopt-level = { value = 1, why = \"w\" }\n",
        );
        assert!(err.contains("cannot be nested"), "{err}");
    }

    #[test]
    fn every_setting_needs_a_reason() {
        let err = parse_err("summary = \"s\"\n[profile.dev]\ndebug = false\n");
        assert!(err.contains("must say why"), "{err}");
        let err = parse_err("summary = \"s\"\n[profile.dev]\ndebug = { value = false }\n");
        assert!(err.contains("has no `why`"), "{err}");
    }

    #[test]
    fn declared_conflicts_are_read_and_checked_with_their_line() {
        let preset = parse(
            "t",
            Origin::Builtin,
            "summary = \"s\"\nconflicts-with = [{ preset = \"u\", why = \"w\" }]\n[[variant]]\nname = \"v\"\n",
        )
        .unwrap();
        assert_eq!(preset.conflicts_with, [DeclaredConflict { preset: "u".into(), why: "w".into() }]);
        let err = parse_err("summary = \"s\"\nconflicts-with = [{ preset = \"u\" }]\n");
        assert!(err.contains("`conflicts-with[0]` has no `why`") && err.contains(":2:"), "{err}");
        let err = parse_err("summary = \"s\"\nconflicts-with = [{ preset = \"u\", why = \"w\", whom = 1 }]\n");
        assert!(err.contains("unknown field `whom` in `conflicts-with[0]`") && err.contains(":2:"), "{err}");
        let err = parse_err("summary = \"s\"\nconflicts-with = [\"u\"]\n");
        assert!(err.contains("`conflicts-with` must be an array of"), "{err}");
        let err = parse_err("summary = \"s\"\nextends = [\"u\"]\nconflicts-with = [{ preset = \"u\", why = \"w\" }]\n");
        assert!(err.contains("cannot conflict with `u`, which it is or extends"), "{err}");
        let err = parse_err("summary = \"s\"\nconflicts-with = [{ preset = \"../u\", why = \"w\" }]\n");
        assert!(err.contains("invalid character `.`"), "{err}");
        let twice =
            "summary = \"s\"\nconflicts-with = [{ preset = \"u\", why = \"w\" }, { preset = \"u\", why = \"x\" }]\n";
        assert!(parse_err(twice).contains("names `u` twice"));
    }

    #[test]
    fn reserved_profile_names_and_path_like_extends_are_refused() {
        let err = parse_err("summary = \"s\"\n[profile.debug]\ninherits = \"dev\"\n");
        assert!(err.contains("profile name `debug` is reserved"), "{err}");
        let err = parse_err("summary = \"s\"\nextends = [\"../../x\"]\n");
        assert!(err.contains("invalid character `.` in preset name `../../x`"), "{err}");
    }

    #[test]
    fn release_ranges_are_checked_with_file_line_and_key() {
        let err = parse_err("summary = \"s\"\n[profile.dev]\ndebug = { value = 1, why = \"w\", rustc = \"1.99\" }\n");
        assert!(err.contains("`profile.dev.debug.rustc`: expected releases like \">=1.99\""), "{err}");
        assert!(err.contains("--> presets/t.toml:3:41"), "{err}");
        let err = parse_err("summary = \"s\"\n[[variant]]\nname = \"v\"\nwhen = { rustc = \">=1.99, <1.90\" }\n");
        assert!(err.contains("`when.rustc`: \">=1.99, <1.90\" holds no release") && err.contains(":4:18"), "{err}");
        let err = parse_err("summary = \"s\"\n[when]\nmin-rustc = \"1.90\"\nrustc = \"<2.0\"\n");
        assert!(
            err.contains("give one of `when.min-rustc` and `when.rustc`, not both") && err.contains(":4:1"),
            "{err}"
        );
        let err = parse_err(
            "summary = \"s\"\n[profile.dev]\nincremental = { value = false, why = \"w\", redundant = { rustc = \">=1.99\" } }\n",
        );
        assert!(err.contains("`profile.dev.incremental.redundant` has no `because`"), "{err}");
        let err = parse_err(
            "summary = \"s\"\n[build]\nrustc-wrapper = { value = \"sccache\", why = \"w\", rustc = \">=1.99\" }\n",
        );
        assert!(err.contains("unknown field `rustc` in `build.rustc-wrapper`, expected `value` or `why`"), "{err}");
    }

    #[test]
    fn cargo_s_own_debug_profile_only_in_a_variant_for_1_99_and_later() {
        let variant = |when: &str| {
            format!(
                "summary = \"s\"\n[[variant]]\nname = \"v\"\n{when}\n[variant.profile.debug]\ndebug = {{ value = true, why = \"w\" }}\n"
            )
        };
        assert!(parse("t", Origin::Builtin, &variant("when = { rustc = \">=1.99\" }")).is_ok());
        assert!(parse_err(&variant("when = { rustc = \">=1.98\" }")).contains("profile name `debug` is reserved"));
        assert!(parse_err(&variant("")).contains("profile name `debug` is reserved"));
    }

    #[test]
    fn settings_for_some_releases_are_kept_only_there() {
        let preset = parse(
            "t",
            Origin::Builtin,
            "summary = \"s\"\n[profile.dev]\ndebug = { value = 1, why = \"w\", rustc = \"<1.99\" }\nincremental = { value = false, why = \"w\", redundant = { rustc = \">=1.99\", because = \"b\" } }\n",
        )
        .unwrap();
        assert!(preset.depends_on_machine() && preset.depends_on_toolchain_only());
        let keys = |release: Option<&str>| {
            let machine = Machine::of_release(release.and_then(Version::parse), None);
            let (preset, _) = preset.for_machine(&machine, None).unwrap();
            preset.settings.iter().map(|s| s.path.key.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(keys(Some("1.95.0")), ["debug", "incremental"]);
        assert_eq!(keys(Some("1.99.0")), ["incremental"]);
        // An unknown release meets no bound: the setting is for older cargo only.
        assert_eq!(keys(None), ["incremental"]);
        assert_eq!(preset.settings[1].redundant.as_ref().unwrap().because, "b");
    }
}
