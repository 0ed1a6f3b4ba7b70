//! The effective settings of a profile, and where each came from, in cargo's precedence order
//! (`cargo-profiles.md` §2.6): built-in defaults, then the `inherits` chain, and at each profile,
//! from lowest to highest, the root `Cargo.toml`, `$CARGO_HOME/config.toml`, the config files
//! from the root of the file system down to the current directory (nearer wins), and
//! `CARGO_PROFILE_<NAME>_<KEY>` variables. For package overrides, a named spec beats `"*"`,
//! which beats the profile itself; `"*"` never applies to workspace members.
//!
//! Pure: the reading ([`crate::cargo::reading`]) reads the files. Used by every command: `explain`
//! (what and why), `verify` (what cargo should pass to rustc), `check`, `apply`, `status`.

mod rustflags;

pub use rustflags::{
    FlagsSource, HOST_UNITS_RULE, Level, MergeConflict, RULE as RUSTFLAGS_RULE, Rustflags, STRING_RULE, UnitRustflags,
    is_rustflags_variable,
};

use std::rc::Rc;

use toml_edit::{Item, TableLike};

use crate::cargo::inherit::{self, ChainError};
use crate::cargo::schema::{self, Key, Scope, Value};
use crate::edit::marker;

/// One source of profile settings.
pub struct Layer {
    /// As shown: a file path.
    pub name: String,
    pub text: String,
    /// A config file (whose `[build]` table counts), not the manifest.
    pub config: bool,
    doc: Option<Rc<toml_edit::Document<String>>>,
    lines: crate::error::Lines,
}

impl Layer {
    /// The root manifest; one that does not parse contributes nothing (`check` reports it).
    pub fn manifest(name: String, text: String) -> Layer {
        Layer::parse(name, text, false)
    }

    /// A config file.
    pub fn config(name: String, text: String) -> Layer {
        Layer::parse(name, text, true)
    }

    fn parse(name: String, text: String, config: bool) -> Layer {
        let doc = toml_edit::Document::parse(text.clone()).ok().map(Rc::new);
        Layer::parsed(name, text, config, doc)
    }

    /// A file parsed already (`check` parses each once, for its rules and for this model):
    /// `doc` must be the parse of all of `text`, or `None` where it does not parse.
    pub fn parsed(name: String, text: String, config: bool, doc: Option<Rc<toml_edit::Document<String>>>) -> Layer {
        let lines = crate::error::Lines::new(&text);
        Layer { name, text, config, doc, lines }
    }

    /// Our markers in the comment above a key (a parsed document keeps comments as spans into
    /// its text).
    fn comments_above<'a>(&'a self, key: &toml_edit::Key) -> impl Iterator<Item = marker::Marker<'a>> {
        let prefix = key.leaf_decor().prefix().and_then(|p| p.span()).map_or("", |span| &self.text[span]);
        marker::markers(prefix)
    }

    /// `file:line` of a key.
    fn source_of(&self, key: &toml_edit::Key) -> String {
        match key.span() {
            Some(span) => format!("{}:{}", self.name, self.lines.line_of(span.start)),
            None => self.name.clone(),
        }
    }
}

/// A value set somewhere, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Definition {
    pub value: Value,
    /// `Cargo.toml:12`, or `CARGO_PROFILE_RELEASE_DEBUG` for the environment.
    pub source: String,
    /// The profile whose table holds it (differs from the one asked for when inherited).
    pub profile: String,
    /// The preset that wrote it, if we did.
    pub preset: Option<String>,
}

/// The value a key has in a profile, and how it got it.
#[derive(Debug)]
pub struct Effective {
    pub key: Key,
    /// `None` when nothing sets it and cargo passes nothing (rustc's default applies).
    pub value: Option<Value>,
    /// `None` for a built-in default or a rule of cargo's.
    pub from: Option<Definition>,
    /// The rule of cargo's that decided it, where no setting did.
    pub rule: Option<&'static str>,
    /// Lower-precedence definitions that lost to it.
    pub overrides: Vec<Definition>,
}

impl Effective {
    fn by_rule(key: Key, value: Value, rule: &'static str) -> Effective {
        Effective { key, value: Some(value), from: None, rule: Some(rule), overrides: Vec::new() }
    }

    fn unset_by_rule(key: Key, rule: &'static str) -> Effective {
        Effective { key, value: None, from: None, rule: Some(rule), overrides: Vec::new() }
    }

    fn set_by(key: Key, from: Definition) -> Effective {
        Effective { key, value: Some(from.value.clone()), from: Some(from), rule: None, overrides: Vec::new() }
    }
}

/// What cargo does with a unit whose `strip` nothing sets.
pub const AUTO_STRIP: &str =
    "unset: cargo strips debug info from a unit when neither it nor what it directly depends on has any";

/// Why a build script, a proc-macro or what they use has its own defaults.
pub const HOST_RULE: &str = "cargo's default for build scripts, proc-macros and their dependencies";

/// One unit a profile's value is asked for.
#[derive(Clone, Copy, Debug)]
pub struct Unit<'a> {
    /// As package overrides name it.
    pub package: &'a str,
    /// A workspace member (`package."*"` never applies to those).
    pub member: bool,
    /// A path package: cargo builds only those incrementally.
    pub local: bool,
    pub role: Role,
}

/// What a unit is built for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The code being built.
    Target,
    /// A build script, a proc-macro or a dependency of one, that target code also uses: cargo
    /// builds it once, keeping the profile's debug info.
    HostShared,
    /// The same, used only during the build: no debug info unless asked for (or unless the
    /// build names its target, see [`Layers::build_targets`]).
    HostOnly,
}

/// A value a preset wrote into the manifest that a config file or a variable replaces, so the
/// preset is not what builds get.
#[derive(Debug)]
pub struct Overridden {
    pub path: schema::KeyPath,
    pub written: Definition,
    pub by: Definition,
}

/// Every layer, lowest precedence first, and the environment.
pub struct Layers {
    pub files: Vec<Layer>,
    pub env: Vec<(String, String)>,
    /// The release of the workspace's cargo, where a rule depends on it (`CI` turns incremental
    /// off from 1.99); `None` when nothing needed to ask, and then no such rule applies.
    pub cargo_release: Option<crate::cargo::machine::Version>,
}

/// The first cargo whose incremental default follows the `CI` variable (rust-lang/cargo#17220).
const INCREMENTAL_FOLLOWS_CI: crate::cargo::machine::Version = crate::cargo::machine::Version(1, 99, 0);

/// Whether cargo takes the process to run in CI: `CI` or `TF_BUILD` set, to any value.
pub fn in_ci(env: &[(String, String)]) -> bool {
    env.iter().any(|(k, _)| k == "CI" || k == "TF_BUILD")
}

impl Layers {
    /// The profile and the ones it inherits from, ending at `dev` or `release`.
    pub fn chain(&self, profile: &str) -> Result<Vec<String>, ChainError> {
        let parent_of = |name: &str| match self.winning_value(name, &Scope::Profile, Key::Inherits) {
            Some(Value::Str(parent)) => Some(parent),
            _ => None,
        };
        inherit::chain(profile, self.cargo_release, parent_of, |name| self.defines(name))
    }

    /// The values presets wrote into the manifest (the first layer) that a higher layer sets
    /// differently.
    pub fn overridden_presets(&self) -> Vec<Overridden> {
        let Some(manifest) = self.files.first().filter(|l| !l.config) else { return Vec::new() };
        // Nothing a preset wrote, or nothing above the manifest to replace it: no walk over
        // every key of the manifest's profiles.
        if !marker::any_in(&manifest.text) || (self.files.len() == 1 && !self.profile_variables()) {
            return Vec::new();
        }
        let Some(profile) = manifest.doc.as_ref().and_then(|d| d.get("profile")) else { return Vec::new() };
        let mut found = Vec::new();
        for entry in crate::cargo::profiles::walk(profile, self.cargo_release).entries {
            let path = entry.path;
            let mut defs = self.definitions(&path.table.profile, &path.table.scope, path.key).into_iter();
            let Some(written) = defs.next().filter(|d| d.preset.is_some()) else { continue };
            let Some(by) = defs.next_back() else { continue };
            if !path.key.same_meaning(&written.value, &by.value) {
                found.push(Overridden { path, written, by });
            }
        }
        found
    }

    /// The package specs of `profile` that set `key`, in any layer.
    pub fn specs(&self, profile: &str, key: Key) -> Vec<String> {
        let mut specs: Vec<String> = Vec::new();
        for layer in &self.files {
            let package =
                layer.doc.as_ref().and_then(|d| d.get("profile")?.get(profile)?.get("package")?.as_table_like());
            for (spec, _) in package.into_iter().flat_map(|p| p.iter()) {
                if !specs.iter().any(|s| s == spec)
                    && !self.definitions(profile, &Scope::Package(spec.to_owned()), key).is_empty()
                {
                    specs.push(spec.to_owned());
                }
            }
        }
        specs
    }

    /// Every profile cargo knows here: the predefined ones and those the files define.
    pub fn profile_names(&self) -> Vec<String> {
        let mut names: Vec<String> = ["dev", "release", "test", "bench"].map(str::to_owned).to_vec();
        for layer in &self.files {
            let profiles = layer.doc.as_ref().and_then(|d| d.get("profile")).and_then(Item::as_table_like);
            for (name, _) in profiles.into_iter().flat_map(|p| p.iter()) {
                if !names.iter().any(|n| n == name) {
                    names.push(name.to_owned());
                }
            }
        }
        names
    }

    /// Whether a file or a variable defines `profile` (cargo takes a profile that exists only in
    /// the environment, such as `CARGO_PROFILE_CI_INHERITS=release`).
    fn defines(&self, profile: &str) -> bool {
        self.files.iter().any(|l| l.doc.as_ref().and_then(|d| d.get("profile")).and_then(|p| p.get(profile)).is_some())
            || self.profile_variables() && {
                let prefix = format!("CARGO_PROFILE_{}_", env_name(profile));
                self.env.iter().any(|(k, _)| k.starts_with(&prefix))
            }
    }

    /// Whether any `CARGO_PROFILE_*` variable is set: asked before spelling a variable's name,
    /// which for thousands of profiles costs more than the lookup in the files.
    fn profile_variables(&self) -> bool {
        self.env.iter().any(|(k, _)| k.starts_with("CARGO_PROFILE_"))
    }

    /// Where `key` is set for `profile` in `scope`, lowest precedence first.
    pub fn definitions(&self, profile: &str, scope: &Scope, key: Key) -> Vec<Definition> {
        let mut found: Vec<Definition> = self
            .set_in_files(profile, scope, key)
            .map(|(layer, k, value)| {
                let preset = layer.comments_above(k).find(|m| m.tag.is_none()).map(|m| m.preset.to_owned());
                Definition { value, source: layer.source_of(k), profile: profile.to_owned(), preset }
            })
            .collect();
        if let Some((name, raw)) = self.variable(profile, scope, key) {
            found.push(Definition { value: env_value(raw), source: name, profile: profile.to_owned(), preset: None });
        }
        found
    }

    /// The value of `key` that wins, the last of [`Layers::definitions`], without naming where it
    /// is set: inheritance chains ask it of every profile, and need no line numbers.
    fn winning_value(&self, profile: &str, scope: &Scope, key: Key) -> Option<Value> {
        match self.variable(profile, scope, key) {
            Some((_, raw)) => Some(env_value(raw)),
            None => self.set_in_files(profile, scope, key).last().map(|(_, _, value)| value),
        }
    }

    /// The files that set `key` for `profile` in `scope`, lowest precedence first, each with the
    /// key as written and its value.
    fn set_in_files<'a>(
        &'a self,
        profile: &str,
        scope: &Scope,
        key: Key,
    ) -> impl Iterator<Item = (&'a Layer, &'a toml_edit::Key, Value)> + use<'a> {
        let table_path = schema::TablePath { profile: profile.to_owned(), scope: scope.clone() };
        self.files.iter().filter_map(move |layer| {
            let mut table: &dyn TableLike = layer.doc.as_ref()?.as_table();
            for k in table_path.keys() {
                table = table.get(k)?.as_table_like()?;
            }
            let (k, item) = table.get_key_value(key.name())?;
            Some((layer, k, item.as_value().and_then(Value::from_toml)?))
        })
    }

    /// The `CARGO_PROFILE_*` variable that sets `key` for `profile` in `scope`, if one does: its
    /// name and its value as set.
    fn variable(&self, profile: &str, scope: &Scope, key: Key) -> Option<(String, &str)> {
        let scope_part = match scope {
            Scope::Profile => "",
            Scope::BuildOverride => "BUILD_OVERRIDE_",
            // Cargo reads no package overrides from the environment.
            Scope::Package(_) => return None,
        };
        if !self.profile_variables() {
            return None;
        }
        let name = format!("CARGO_PROFILE_{}_{scope_part}{}", env_name(profile), env_name(key.name()));
        let (_, raw) = self.env.iter().find(|(k, _)| *k == name)?;
        Some((name, raw))
    }

    /// The effective value of `key` in `profile`: for the profile itself (`None`), or for one
    /// unit, after cargo's overrides and its own rules for that kind of unit.
    pub fn effective(&self, profile: &str, key: Key, unit: Option<&Unit<'_>>) -> Result<Effective, ChainError> {
        let chain = self.chain(profile)?;
        let Some(unit) = unit else {
            return Ok(self.first_set(&chain, &[Scope::Profile], key).unwrap_or_else(|| default_of(&chain, key)));
        };
        // Decided by cargo for the unit, whatever the profile says.
        if key == Key::Incremental {
            if !unit.local {
                return Ok(Effective::by_rule(
                    key,
                    Value::Bool(false),
                    "cargo never builds registry or git packages incrementally",
                ));
            }
            if let Some(global) = self.global_incremental() {
                return Ok(global);
            }
        }
        if key == Key::Panic && unit.role != Role::Target {
            return Ok(Effective::by_rule(
                key,
                Value::Str("unwind".into()),
                "what runs during the build always unwinds",
            ));
        }
        if key == Key::SplitDebuginfo {
            let debug = self.effective(profile, Key::Debug, Some(unit))?;
            if debug.value.as_ref().is_none_or(|v| Key::Debug.same_meaning(v, &Value::Bool(false))) {
                return Ok(Effective::unset_by_rule(key, "cargo passes `split-debuginfo` only with debug info"));
            }
        }
        // Cargo's order (`cargo-profiles.md` §2.3), highest first: the named spec, `"*"` (not for
        // members), `build-override` (host units), cargo's host defaults, the profile.
        let mut scopes = vec![Scope::Package(unit.package.to_owned())];
        if !unit.member {
            scopes.push(Scope::Package("*".to_owned()));
        }
        if unit.role != Role::Target {
            scopes.push(Scope::BuildOverride);
            let host_default = match key {
                Key::OptLevel => Some(Some(Value::Int(0))),
                Key::CodegenUnits => Some(None),
                // Cargo lowers a host unit's debug info only when it builds for the host alone
                // (no `--target`, no `build.target`); otherwise the profile's stays (cargo 1.95).
                Key::Debug if unit.role == Role::HostOnly && self.build_targets().is_none() => {
                    Some(Some(Value::Bool(false)))
                }
                _ => None,
            };
            if let Some(value) = host_default {
                return Ok(self.first_set(&chain, &scopes, key).unwrap_or(Effective {
                    key,
                    value,
                    from: None,
                    rule: Some(HOST_RULE),
                    overrides: Vec::new(),
                }));
            }
        }
        // `strip` comes from the highest override table that matches the unit, set or not: cargo
        // 1.95 starts each override it merges from an unset `strip` (`cargo-profiles.md`,
        // check's `strip-skips-override`).
        let matched = scopes.iter().find(|scope| chain.iter().any(|link| self.has_table(link, scope))).cloned();
        scopes.push(Scope::Profile);
        if key != Key::Strip {
            return Ok(self.first_set(&chain, &scopes, key).unwrap_or_else(|| default_of(&chain, key)));
        }
        let deciding = matched.map_or(scopes.clone(), |scope| vec![scope]);
        Ok(self.first_set(&chain, &deciding, key).unwrap_or_else(|| Effective::unset_by_rule(key, AUTO_STRIP)))
    }

    /// Whether a file has the table of `scope` in `profile` (with or without keys).
    fn has_table(&self, profile: &str, scope: &Scope) -> bool {
        let path = schema::TablePath { profile: profile.to_owned(), scope: scope.clone() };
        let keys = path.keys();
        self.files.iter().filter_map(|l| l.doc.as_ref()).any(|doc| {
            let mut item: Option<&Item> = Some(doc.as_item());
            for k in &keys {
                item = item.and_then(|i| i.get(k));
            }
            item.is_some_and(Item::is_table_like)
        })
    }

    /// `CARGO_INCREMENTAL` (on only for exactly `1`), else `build.incremental` (from
    /// `CARGO_BUILD_INCREMENTAL`, else the nearest config file), which win over every profile
    /// (`cargo-config.md` R5.1).
    pub fn global_incremental(&self) -> Option<Effective> {
        if let Some((name, raw)) = self.env.iter().find(|(k, _)| k == "CARGO_INCREMENTAL") {
            let from = Definition {
                value: Value::Bool(raw == "1"),
                source: name.clone(),
                profile: String::new(),
                preset: None,
            };
            return Some(Effective::set_by(Key::Incremental, from));
        }
        let mut defs = Vec::new();
        for layer in self.files.iter().filter(|l| l.config) {
            let Some(doc) = &layer.doc else { continue };
            let Some((k, item)) =
                doc.get("build").and_then(Item::as_table_like).and_then(|b| b.get_key_value("incremental"))
            else {
                continue;
            };
            let Some(value) = item.as_bool() else { continue };
            defs.push(Definition {
                value: Value::Bool(value),
                source: layer.source_of(k),
                profile: String::new(),
                preset: None,
            });
        }
        // The variable is `build.incremental` in the environment, above every file; cargo
        // refuses any value but `true` and `false` (`check` says so).
        if let Some((name, raw)) = self.env.iter().find(|(k, _)| k == "CARGO_BUILD_INCREMENTAL")
            && let Value::Bool(value) = env_value(raw)
        {
            let source = name.clone();
            defs.push(Definition { value: Value::Bool(value), source, profile: String::new(), preset: None });
        }
        let Some(winner) = defs.pop() else {
            // Cargo 1.99 and later: in CI, off unless one of the above says otherwise.
            let ci = self.env.iter().find(|(k, _)| k == "CI" || k == "TF_BUILD");
            return match (ci, self.cargo_release) {
                (Some((name, _)), Some(release)) if release >= INCREMENTAL_FOLLOWS_CI => {
                    let source = format!("`{name}`: cargo {release} builds without incremental in CI");
                    let from = Definition { value: Value::Bool(false), source, profile: String::new(), preset: None };
                    Some(Effective::set_by(Key::Incremental, from))
                }
                _ => None,
            };
        };
        defs.reverse();
        Some(Effective { overrides: defs, ..Effective::set_by(Key::Incremental, winner) })
    }

    /// The first scope, in order, that some profile of the chain sets `key` in.
    fn first_set(&self, chain: &[String], scopes: &[Scope], key: Key) -> Option<Effective> {
        for scope in scopes {
            for link in chain {
                let mut defs = self.definitions(link, scope, key);
                if let Some(winner) = defs.pop() {
                    defs.reverse();
                    return Some(Effective { overrides: defs, ..Effective::set_by(key, winner) });
                }
            }
        }
        None
    }
}

/// The built-in value at the root of `chain`.
fn default_of(chain: &[String], key: Key) -> Effective {
    let root = chain.last().expect("a chain ends at a root");
    Effective { key, value: default(root, key), from: None, rule: None, overrides: Vec::new() }
}

/// Whether a variable changes what a profile gives a unit.
pub fn is_build_variable(name: &str) -> bool {
    name.starts_with("CARGO_PROFILE_")
        || is_rustflags_variable(name)
        || ["CARGO_INCREMENTAL", "CARGO_BUILD_INCREMENTAL", "CARGO_BUILD_TARGET", "CI", "TF_BUILD"].contains(&name)
}

/// `my-profile` → `MY_PROFILE`, as cargo names environment variables.
pub fn env_name(name: &str) -> String {
    name.to_uppercase().replace(['-', '.'], "_")
}

/// An environment value as cargo reads it: a boolean, an integer, or else a string.
pub fn env_value(raw: &str) -> Value {
    match raw {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => raw.parse().map(Value::Int).unwrap_or_else(|_| Value::Str(raw.to_owned())),
    }
}

/// Cargo's built-in value for `key` in a root profile; `None` where cargo passes nothing.
pub fn default(root: &str, key: Key) -> Option<Value> {
    let release = root == "release";
    let v = match key {
        Key::OptLevel => Value::Int(if release { 3 } else { 0 }),
        Key::Debug | Key::DebugAssertions | Key::OverflowChecks => Value::Bool(!release),
        Key::Incremental => Value::Bool(!release),
        Key::Lto | Key::Rpath => Value::Bool(false),
        Key::Panic => Value::Str("unwind".into()),
        _ => return None,
    };
    Some(v)
}

/// What a value does, in a few words.
pub fn meaning(key: Key, value: Option<&Value>) -> String {
    let Some(value) = value else {
        return match key {
            Key::CodegenUnits => "unset: rustc's default, 256 with incremental, 16 without".into(),
            Key::Strip => "unset: cargo strips debug info when no debug info is requested".into(),
            Key::SplitDebuginfo => "unset: the platform's default".into(),
            _ => "unset".into(),
        };
    };
    let text = match (key, value.to_string().trim_matches('"')) {
        (Key::OptLevel, "0") => "no optimisation: fastest to build, slowest to run",
        (Key::OptLevel, "1") => "basic optimisation",
        (Key::OptLevel, "2") => "most optimisations",
        (Key::OptLevel, "3") => "all optimisations",
        (Key::OptLevel, "s") => "optimise for size",
        (Key::OptLevel, "z") => "optimise harder for size, and turn off loop vectorisation",
        (Key::Debug, v) => match Key::Debug.same_meaning(value, &Value::Bool(true)) {
            true => "full debug info: variables and types for a debugger",
            false => match v {
                "line-tables-only" => "file:line in backtraces, no variables",
                "line-directives-only" => "line info for profilers only",
                "limited" | "1" => "line tables and functions, no variables or types",
                _ => "no debug info",
            },
        },
        (Key::DebugAssertions, "true") => "`debug_assert!` and `cfg(debug_assertions)` code runs",
        (Key::DebugAssertions, _) => "`debug_assert!` checks are compiled out",
        (Key::OverflowChecks, "true") => "integer overflow panics",
        (Key::OverflowChecks, _) => "integer overflow wraps silently",
        (Key::Lto, "false") => "thin LTO within each crate when optimised, none at opt-level 0",
        (Key::Lto, "off") => "no LTO",
        (Key::Lto, "thin") => "thin LTO across crates",
        (Key::Lto, _) => "fat LTO across all crates: slowest to link, fastest code",
        (Key::Panic, "abort") => "a panic ends the process: no unwinding, no `catch_unwind`",
        (Key::Panic, _) => "a panic unwinds the stack",
        (Key::Incremental, "true") => "incremental compilation of workspace crates",
        (Key::Incremental, _) => "no incremental compilation",
        (Key::CodegenUnits, "1") => "one codegen unit per crate: best code, serial codegen",
        (Key::CodegenUnits, _) => "codegen split into parallel units",
        (Key::Strip, "none" | "false") => "nothing stripped, not even std's debug info",
        (Key::Strip, "debuginfo") => "debug info stripped",
        (Key::Strip, _) => "symbols stripped: backtraces lose function names",
        (Key::Inherits, _) => "the profile this one starts from",
        (Key::Rpath, "true") => "the binary embeds a library search path",
        (Key::Rpath, _) => "no embedded library search path",
        _ => "",
    };
    text.to_owned()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::cargo::inherit::Broken;

    /// Layers from `(name, text)` files (a name with `config` in it is a config file).
    pub(crate) fn layers(files: &[(&str, &str)], env: &[(&str, &str)]) -> Layers {
        Layers {
            files: files
                .iter()
                .map(|(n, t)| match n.contains("config") {
                    true => Layer::config((*n).to_owned(), (*t).to_owned()),
                    false => Layer::manifest((*n).to_owned(), (*t).to_owned()),
                })
                .collect(),
            env: env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            cargo_release: None,
        }
    }

    #[test]
    fn each_layer_beats_the_one_below() {
        let l = layers(
            &[
                (
                    "Cargo.toml",
                    "[profile.release]\nopt-level = 1\ndebug = 2\ncodegen-units = 5\n[profile.custom]\ninherits = \"release\"\n",
                ),
                ("home/config.toml", "[profile.release]\ndebug = 1\n"),
                (".cargo/config.toml", "[profile.release]\n# cargo-presets(mine): why\ndebug = \"line-tables-only\"\n"),
            ],
            &[("CARGO_PROFILE_RELEASE_OPT_LEVEL", "2")],
        );
        let debug = l.effective("custom", Key::Debug, None).unwrap();
        assert_eq!(debug.from.as_ref().unwrap().preset.as_deref(), Some("mine"));
        assert_eq!(debug.value, Some(Value::Str("line-tables-only".into())));
        let from = debug.from.unwrap();
        assert_eq!((from.source.as_str(), from.profile.as_str()), (".cargo/config.toml:3", "release"));
        let overridden: Vec<&str> = debug.overrides.iter().map(|d| d.source.as_str()).collect();
        assert_eq!(overridden, ["home/config.toml:2", "Cargo.toml:3"]);
        assert_eq!(l.effective("custom", Key::OptLevel, None).unwrap().value, Some(Value::Int(2)));
        assert_eq!(l.effective("custom", Key::CodegenUnits, None).unwrap().from.unwrap().source, "Cargo.toml:4");
        let panic = l.effective("custom", Key::Panic, None).unwrap();
        assert_eq!((panic.value, panic.from), (Some(Value::Str("unwind".into())), None));
    }

    #[test]
    fn package_overrides_name_beats_star_and_star_skips_members() {
        let l = layers(
            &[("Cargo.toml", "[profile.dev.package.\"*\"]\nopt-level = 2\n[profile.dev.package.dep]\nopt-level = 3\n")],
            &[],
        );
        let opt = |package, member, role| {
            let unit = Unit { package, member, local: true, role };
            l.effective("dev", Key::OptLevel, Some(&unit)).unwrap().value
        };
        assert_eq!(opt("dep", false, Role::Target), Some(Value::Int(3)));
        assert_eq!(opt("other", false, Role::Target), Some(Value::Int(2)));
        assert_eq!(opt("app", true, Role::Target), Some(Value::Int(0)));
        // `"*"` outranks cargo's host default; a member's build script gets the default.
        assert_eq!(opt("other", false, Role::HostOnly), Some(Value::Int(2)));
        assert_eq!(opt("app", true, Role::HostOnly), Some(Value::Int(0)));
    }

    #[test]
    fn in_ci_cargo_1_99_builds_without_incremental_unless_a_setting_says_otherwise() {
        let files = [("Cargo.toml", "[profile.dev]\nincremental = true\n")];
        let with = |env: &[(&str, &str)], release: &str| {
            let mut l = layers(&files, env);
            l.cargo_release = crate::cargo::machine::Version::parse(release);
            l.global_incremental().map(|e| (e.value, e.from.map(|d| d.source)))
        };
        let off = with(&[("CI", "true")], "1.99.0").unwrap();
        assert_eq!(off.0, Some(Value::Bool(false)));
        assert!(off.1.unwrap().starts_with("`CI`: cargo 1.99.0"));
        assert_eq!(with(&[("TF_BUILD", "")], "1.100.0").unwrap().0, Some(Value::Bool(false)));
        // Not before 1.99, and never above `CARGO_INCREMENTAL` or `build.incremental`.
        assert!(with(&[("CI", "true")], "1.98.0").is_none());
        assert!(with(&[], "1.99.0").is_none());
        assert_eq!(with(&[("CI", "1"), ("CARGO_INCREMENTAL", "1")], "1.99.0").unwrap().0, Some(Value::Bool(true)));
    }

    #[test]
    fn incremental_is_decided_by_the_environment_then_build_incremental_then_the_profile() {
        let files = [
            ("Cargo.toml", "[profile.dev]\nincremental = true\n"),
            (".cargo/config.toml", "[build]\nincremental = false\n"),
        ];
        let incremental = |l: &Layers, local| {
            let unit = Unit { package: "a", member: true, local, role: Role::Target };
            let e = l.effective("dev", Key::Incremental, Some(&unit)).unwrap();
            (e.value, e.from.map(|d| d.source), e.rule.is_some())
        };
        let l = layers(&files, &[]);
        assert_eq!(incremental(&l, true), (Some(Value::Bool(false)), Some(".cargo/config.toml:2".into()), false));
        // `CARGO_BUILD_INCREMENTAL` is `build.incremental`, above the files; only `true` and
        // `false` count (cargo refuses the rest).
        let l = layers(&files, &[("CARGO_BUILD_INCREMENTAL", "true")]);
        assert_eq!(incremental(&l, true), (Some(Value::Bool(true)), Some("CARGO_BUILD_INCREMENTAL".into()), false));
        let l = layers(&files, &[("CARGO_BUILD_INCREMENTAL", "1")]);
        assert_eq!(incremental(&l, true).1, Some(".cargo/config.toml:2".into()));
        let l = layers(&files, &[("CARGO_INCREMENTAL", ""), ("CARGO_BUILD_INCREMENTAL", "true")]);
        assert_eq!(incremental(&l, true), (Some(Value::Bool(false)), Some("CARGO_INCREMENTAL".into()), false));
        let l = layers(&files, &[("CARGO_INCREMENTAL", "1")]);
        assert_eq!(incremental(&l, true), (Some(Value::Bool(true)), Some("CARGO_INCREMENTAL".into()), false));
        assert_eq!(incremental(&l, false), (Some(Value::Bool(false)), None, true));
        // The profile itself still says what it says.
        assert_eq!(l.effective("dev", Key::Incremental, None).unwrap().value, Some(Value::Bool(true)));
    }

    #[test]
    fn chains_and_their_errors() {
        let l = layers(
            &[(
                "Cargo.toml",
                "[profile.a]\ninherits = \"b\"\n[profile.b]\ninherits = \"release\"\n[profile.c]\nopt-level = 1\n",
            )],
            &[],
        );
        assert_eq!(l.chain("a").unwrap(), ["a", "b", "release"]);
        assert_eq!(l.chain("test").unwrap(), ["test", "dev"]);
        assert_eq!(l.chain("c").unwrap_err().broken, Broken::Missing);
        assert_eq!(l.chain("nope").unwrap_err().broken, Broken::NotDefined);
        // The same model as the preset planner's and `check`'s: `doc` is a parent cargo accepts,
        // and a profile may exist only in the environment.
        let l = layers(
            &[("Cargo.toml", "[profile.x]\ninherits = \"doc\"\n")],
            &[("CARGO_PROFILE_ENVONLY_INHERITS", "release")],
        );
        assert_eq!(l.chain("x").unwrap(), ["x", "doc", "dev"]);
        assert_eq!(l.chain("envonly").unwrap(), ["envonly", "release"]);
        // The parent that wins, as `definitions` orders them: a config file over the manifest, a
        // variable over both.
        let l = layers(
            &[
                ("Cargo.toml", "[profile.y]\ninherits = \"dev\"\n[profile.z]\ninherits = \"dev\"\n"),
                (".cargo/config.toml", "[profile.y]\ninherits = \"release\"\n[profile.z]\ninherits = \"release\"\n"),
            ],
            &[("CARGO_PROFILE_Z_INHERITS", "dev")],
        );
        assert_eq!(l.chain("y").unwrap(), ["y", "release"]);
        assert_eq!(l.chain("z").unwrap(), ["z", "dev"]);
    }
}
