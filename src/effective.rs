//! The effective settings of a profile, and where each came from, in cargo's precedence order
//! (`cargo-profiles.md` §2.6): built-in defaults, then the `inherits` chain, and at each profile,
//! from lowest to highest, the root `Cargo.toml`, `$CARGO_HOME/config.toml`, the config files
//! from the root of the file system down to the current directory (nearer wins), and
//! `CARGO_PROFILE_<NAME>_<KEY>` variables. For package overrides, a named spec beats `"*"`,
//! which beats the profile itself; `"*"` never applies to workspace members.
//!
//! Pure: `ops` reads the files. Used by `explain` (what and why) and `verify` (what cargo should
//! pass to rustc).

use toml_edit::{Item, TableLike};

use crate::edit::marker;
use crate::inherit::{self, ChainError};
use crate::schema::{self, Key, Scope, Value};

/// One source of profile settings.
pub struct Layer {
    /// As shown: a file path, or `environment`.
    pub name: String,
    pub text: String,
    doc: Option<toml_edit::Document<String>>,
}

impl Layer {
    /// A manifest or config file; one that does not parse contributes nothing (`check` reports it).
    pub fn file(name: String, text: String) -> Layer {
        let doc = toml_edit::Document::parse(text.clone()).ok();
        Layer { name, text, doc }
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
    /// `None` for a built-in default.
    pub from: Option<Definition>,
    /// Lower-precedence definitions that lost to it.
    pub overrides: Vec<Definition>,
}

/// Every layer, lowest precedence first, and the environment.
pub struct Layers {
    pub files: Vec<Layer>,
    pub env: Vec<(String, String)>,
}

impl Layers {
    /// The profile and the ones it inherits from, ending at `dev` or `release`.
    pub fn chain(&self, profile: &str) -> Result<Vec<String>, ChainError> {
        let parent_of = |name: &str| match self.definitions(name, &Scope::Profile, Key::Inherits).pop() {
            Some(Definition { value: Value::Str(parent), .. }) => Some(parent),
            _ => None,
        };
        inherit::chain(profile, parent_of, |name| self.defines(name))
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

    /// Whether a file or a variable defines `profile` (cargo takes a profile that exists only in
    /// the environment, such as `CARGO_PROFILE_CI_INHERITS=release`).
    fn defines(&self, profile: &str) -> bool {
        let prefix = format!("CARGO_PROFILE_{}_", env_name(profile));
        self.files.iter().any(|l| l.doc.as_ref().and_then(|d| d.get("profile")).and_then(|p| p.get(profile)).is_some())
            || self.env.iter().any(|(k, _)| k.starts_with(&prefix))
    }

    /// Where `key` is set for `profile` in `scope`, lowest precedence first.
    pub fn definitions(&self, profile: &str, scope: &Scope, key: Key) -> Vec<Definition> {
        let mut found = Vec::new();
        let table_path = schema::TablePath { profile: profile.to_owned(), scope: scope.clone() };
        let table_keys = table_path.keys();
        for layer in &self.files {
            let Some(doc) = &layer.doc else { continue };
            let mut table: Option<&dyn TableLike> = Some(doc.as_table());
            for k in &table_keys {
                table = table.and_then(|t| t.get(k)).and_then(Item::as_table_like);
            }
            let Some(table) = table else { continue };
            let Some((k, item)) = table.get_key_value(key.name()) else { continue };
            let Some(value) = item.as_value().and_then(Value::from_toml) else { continue };
            let line = k.span().map(|s| layer.text[..s.start].matches('\n').count() + 1);
            // A parsed document keeps comments as spans into its text.
            let prefix = k.leaf_decor().prefix().and_then(|p| p.span()).map_or("", |span| &layer.text[span]);
            let preset = marker::markers(prefix).find(|m| m.tag.is_none()).map(|m| m.preset.to_owned());
            let source = match line {
                Some(line) => format!("{}:{line}", layer.name),
                None => layer.name.clone(),
            };
            found.push(Definition { value, source, profile: profile.to_owned(), preset });
        }
        let scope_part = match scope {
            Scope::Profile => Some(String::new()),
            Scope::BuildOverride => Some("BUILD_OVERRIDE_".to_owned()),
            // Cargo reads no package overrides from the environment.
            Scope::Package(_) => None,
        };
        if let Some(scope_part) = scope_part {
            let name = format!("CARGO_PROFILE_{}_{scope_part}{}", env_name(profile), env_name(key.name()));
            if let Some((_, raw)) = self.env.iter().find(|(k, _)| *k == name) {
                found.push(Definition {
                    value: env_value(raw),
                    source: name,
                    profile: profile.to_owned(),
                    preset: None,
                });
            }
        }
        found
    }

    /// The effective value of `key` in `profile` for a unit: a member (`member = true`) or a
    /// dependency, named `package` (for package overrides; `None` for the profile itself).
    pub fn effective(&self, profile: &str, key: Key, package: Option<(&str, bool)>) -> Result<Effective, ChainError> {
        self.effective_in(profile, key, package, None)
    }

    /// The same for a host unit (a build script, a proc-macro, or a dependency built for them):
    /// cargo's order (`cargo-profiles.md` §2.3) is the named spec, then `"*"` (not for members),
    /// then `build-override`, then its own host defaults for `opt-level` (0), `codegen-units`
    /// (unset) and, for a unit no target unit shares (`host_only`), `debug` (none); the profile
    /// for the other keys.
    pub fn effective_for_host(
        &self,
        profile: &str,
        key: Key,
        package: (&str, bool),
        host_only: bool,
    ) -> Result<Effective, ChainError> {
        self.effective_in(profile, key, Some(package), Some(host_only))
    }

    /// `host`: `None` for a target unit, else whether the host unit is host-only.
    fn effective_in(
        &self,
        profile: &str,
        key: Key,
        package: Option<(&str, bool)>,
        host: Option<bool>,
    ) -> Result<Effective, ChainError> {
        let chain = self.chain(profile)?;
        let mut scopes = Vec::new();
        if let Some((name, member)) = package {
            scopes.push(Scope::Package(name.to_owned()));
            if !member {
                scopes.push(Scope::Package("*".to_owned()));
            }
        }
        if let Some(host_only) = host {
            scopes.push(Scope::BuildOverride);
            let forced = match key {
                Key::OptLevel => Some(Some(Value::Int(0))),
                Key::Debug if host_only => Some(Some(Value::Bool(false))),
                Key::CodegenUnits => Some(None),
                _ => None,
            };
            if let Some(value) = forced {
                return Ok(self.first_set(&chain, &scopes, key).unwrap_or(Effective {
                    key,
                    value,
                    from: None,
                    overrides: Vec::new(),
                }));
            }
        }
        scopes.push(Scope::Profile);
        if let Some(found) = self.first_set(&chain, &scopes, key) {
            return Ok(found);
        }
        let root = chain.last().expect("a chain ends at a root");
        Ok(Effective { key, value: default(root, key), from: None, overrides: Vec::new() })
    }

    /// The first scope, in order, that some profile of the chain sets `key` in.
    fn first_set(&self, chain: &[String], scopes: &[Scope], key: Key) -> Option<Effective> {
        for scope in scopes {
            for link in chain {
                let mut defs = self.definitions(link, scope, key);
                if let Some(winner) = defs.pop() {
                    defs.reverse();
                    return Some(Effective {
                        key,
                        value: Some(winner.value.clone()),
                        from: Some(winner),
                        overrides: defs,
                    });
                }
            }
        }
        None
    }
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
        (Key::Lto, "false") => "thin local LTO, within each crate",
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
mod tests {
    use super::*;
    use crate::inherit::Broken;

    fn layers(files: &[(&str, &str)], env: &[(&str, &str)]) -> Layers {
        Layers {
            files: files.iter().map(|(n, t)| Layer::file((*n).to_owned(), (*t).to_owned())).collect(),
            env: env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
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
        assert_eq!(l.effective("dev", Key::OptLevel, Some(("dep", false))).unwrap().value, Some(Value::Int(3)));
        assert_eq!(l.effective("dev", Key::OptLevel, Some(("other", false))).unwrap().value, Some(Value::Int(2)));
        assert_eq!(l.effective("dev", Key::OptLevel, Some(("app", true))).unwrap().value, Some(Value::Int(0)));
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
    }
}
