//! Preset files: declarative, composable descriptions of profile settings.
//!
//! ```toml
//! summary = "Faster dev builds: line tables for your code, no debug info for dependencies"
//! description = "When to use it, when not, and what it costs."
//! extends = ["debugging"]          # presets composed first
//! overrides = []                   # presets whose values this one may replace
//! sources = ["Cargo book, Optimizing Build Performance: https://…"]
//!
//! [requires]
//! components = []                  # rustup components the settings need
//! cargo-args = []                  # what a cargo command needs to use the settings
//!
//! [profile.dev]
//! debug = { value = "line-tables-only", why = "keeps file:line in backtraces" }
//!
//! [profile.dev.package."*"]
//! debug = { value = false, why = "dependencies are rarely stepped through" }
//!
//! [relies-on.profile.release]        # values it needs but does not write
//! opt-level = { value = 3, why = "LTO pays off in optimised code" }
//! ```
//!
//! Parsing is strict: an unknown field, a wrong type, an unknown profile key, a value outside
//! Cargo's domain or a key Cargo forbids in an override is an error naming the file, line and
//! key. A preset that parses is valid on its own; `compose` checks how presets fit together.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml_edit::{Item, TableLike};

use crate::error::{Error, Location, Result};
use crate::profiles;
use crate::schema::{Key, KeyPath, Value};

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

/// One setting of a preset: where it goes, its value, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub path: KeyPath,
    pub value: Value,
    pub why: String,
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
    pub sources: Vec<String>,
    pub components: Vec<String>,
    /// Arguments a cargo command needs to use the settings (`-Zbuild-std=…`); `{host}` stands
    /// for the host's target triple.
    pub cargo_args: Vec<String>,
    pub settings: Vec<Setting>,
    /// Values the preset needs but does not write (`[relies-on.profile.*]`): composing it with
    /// a preset, or applying it over a file, that gives them another value is a conflict.
    pub relies_on: Vec<Setting>,
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
    #[serde(default, rename = "relies-on")]
    _relies_on: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRequires {
    #[serde(default)]
    components: Vec<String>,
    #[serde(default)]
    cargo_args: Vec<String>,
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
    let raw: RawPreset = toml_edit::de::from_document(doc.clone()).map_err(|e| {
        let error = Error::new(format!("invalid preset `{}`: {}", file.display(), e.message()));
        match e.span() {
            Some(span) => error.at(Location::of_span(&file, text, span)),
            None => error,
        }
    })?;
    let reader = Reader { file: &file, text };

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
    let settings = match doc.get("profile") {
        None => Vec::new(),
        Some(item) => reader.profiles(item)?,
    };
    let relies_on = match doc.get("relies-on") {
        None => Vec::new(),
        Some(item) => reader.relies_on(item)?,
    };
    Ok(Preset {
        name: name.to_owned(),
        origin,
        summary: raw.summary,
        description: raw.description,
        extends: raw.extends,
        overrides: raw.overrides,
        sources: raw.sources,
        components: raw.requires.components,
        cargo_args: raw.requires.cargo_args,
        settings,
        relies_on,
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

    /// The settings of the `profile` tree; the first structural problem is the error.
    fn profiles(&self, item: &Item) -> Result<Vec<Setting>> {
        let walk = profiles::walk(item);
        if let Some(problem) = walk.problems.into_iter().next() {
            let error = self.error_at(problem.span, &problem.message);
            return Err(problem.help.into_iter().fold(error, Error::help));
        }
        walk.entries.iter().map(|entry| self.setting(entry)).collect()
    }

    /// `[relies-on.profile.<name>]`: profile keys only, since what a preset relies on is what
    /// the profile gives its own crates.
    fn relies_on(&self, item: &Item) -> Result<Vec<Setting>> {
        let table = item.as_table_like().ok_or_else(|| self.error(Some(item), "`relies-on` must be a table"))?;
        if let Some((extra, _)) = table.iter().find(|(k, _)| *k != "profile") {
            return Err(self.key_error(
                table,
                extra,
                &format!("unknown field `relies-on.{extra}`, expected `profile`"),
            ));
        }
        let Some(profiles) = table.get("profile") else { return Ok(Vec::new()) };
        let settings = self.profiles(profiles)?;
        if let Some(scoped) = settings.iter().find(|s| s.path.table.scope != crate::schema::Scope::Profile) {
            return Err(
                self.error(Some(profiles), &format!("`relies-on` takes profile keys only, not `{}`", scoped.path))
            );
        }
        Ok(settings)
    }

    fn setting(&self, entry: &profiles::Entry<'_>) -> Result<Setting> {
        let path = &entry.path;
        let (value_item, why) = self.value_and_why(entry.item, path)?;
        let invalid = |why: String| self.error(Some(value_item), &format!("invalid value for `{path}`: {why}"));
        let value = value_item
            .as_value()
            .and_then(Value::from_toml)
            .ok_or_else(|| invalid(format!("expected {}", path.key.expected())))?;
        path.key.check(&value).map_err(invalid)?;
        Ok(Setting { path: path.clone(), value, why })
    }

    /// Settings are written `key = { value = …, why = "…" }`; `inherits` may be a bare string,
    /// since the profile's purpose is its reason.
    fn value_and_why<'i>(&self, item: &'i Item, path: &KeyPath) -> Result<(&'i Item, String)> {
        let Some(table) = item.as_table_like() else {
            if path.key == Key::Inherits {
                return Ok((item, String::new()));
            }
            return Err(self.error(
                Some(item),
                &format!("`{path}` must say why: write `{} = {{ value = …, why = \"…\" }}`", path.key),
            ));
        };
        if let Some((extra, _)) = table.iter().find(|(k, _)| *k != "value" && *k != "why") {
            return Err(self.key_error(
                table,
                extra,
                &format!("unknown field `{extra}` in `{path}`, expected `value` or `why`"),
            ));
        }
        let value = table.get("value").ok_or_else(|| self.error(Some(item), &format!("`{path}` has no `value`")))?;
        let why = match table.get("why") {
            Some(why) => {
                why.as_str().ok_or_else(|| self.error(Some(why), &format!("`{path}.why` must be a string")))?
            }
            None => "",
        };
        if why.trim().is_empty() && path.key != Key::Inherits {
            return Err(self
                .error(Some(item), &format!("`{path}` has no `why`"))
                .help("give each setting a short reason; it is written next to the key"));
        }
        Ok((value, why.to_owned()))
    }
}

/// The candidate nearest to `typed`, within `max` edits, for "did you mean" suggestions (ties go
/// to the first in sort order).
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>, max: usize) -> Option<&'a str> {
    candidates.into_iter().map(|c| (edit_distance(typed, c), c)).filter(|(d, _)| *d <= max).min().map(|(_, c)| c)
}

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(text: &str) -> String {
        parse("t", Origin::Builtin, text).unwrap_err().to_string()
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
    fn reserved_profile_names_and_path_like_extends_are_refused() {
        let err = parse_err("summary = \"s\"\n[profile.debug]\ninherits = \"dev\"\n");
        assert!(err.contains("profile name `debug` is reserved"), "{err}");
        let err = parse_err("summary = \"s\"\nextends = [\"../../x\"]\n");
        assert!(err.contains("invalid character `.` in preset name `../../x`"), "{err}");
    }

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("opt-levle", "opt-level"), 2);
        assert_eq!(edit_distance("fast-dve", "fast-dev"), 2);
        assert_eq!(edit_distance("abc", "abc"), 0);
    }
}
