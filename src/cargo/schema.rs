//! The rules of Cargo profiles, as cargo 1.95 and nightly 1.97 enforce them.
//!
//! This is the validation schema: every profile key, its value domain, where it may appear, and
//! the feature gate it needs. It is stricter than Cargo where Cargo silently accepts something
//! that does nothing (`inherits` inside an override, `dir-name`, an empty profile name,
//! `opt-level = 4`, which only fails later in rustc). Source: `cargo-profiles.md` §1-2.

use std::fmt;

/// A value a preset writes. Profiles only ever hold these four shapes, which JSON has too: a
/// report gives the value as it is (`3`, `"s"`, `true`, `["-Ctarget-cpu=native"]`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Str(String),
    Array(Vec<String>),
}

impl Value {
    /// Reads a TOML value; `None` for shapes no profile key takes (floats, dates, tables).
    pub fn from_toml(value: &toml_edit::Value) -> Option<Value> {
        match value {
            toml_edit::Value::Boolean(b) => Some(Value::Bool(*b.value())),
            toml_edit::Value::Integer(i) => Some(Value::Int(*i.value())),
            toml_edit::Value::String(s) => Some(Value::Str(s.value().clone())),
            toml_edit::Value::Array(a) => {
                a.iter().map(|v| v.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>().map(Value::Array)
            }
            _ => None,
        }
    }

    pub fn to_toml(&self) -> toml_edit::Value {
        match self {
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::Str(s) => s.as_str().into(),
            Value::Array(items) => items.iter().map(String::as_str).collect::<toml_edit::Array>().into(),
        }
    }

    /// The name of the value's TOML type, for "expected …, found …" messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Str(_) => "a string",
            Value::Array(_) => "an array",
        }
    }
}

impl fmt::Display for Value {
    /// Formats the value as TOML, which is how users will recognise it in their files.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.to_toml().to_string().trim())
    }
}

/// A key of a profile table (`[profile.<name>]`, an override, or a build-override).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Inherits,
    OptLevel,
    Debug,
    SplitDebuginfo,
    Strip,
    DebugAssertions,
    OverflowChecks,
    Lto,
    Panic,
    Incremental,
    CodegenUnits,
    Rpath,
    CodegenBackend,
    Rustflags,
    TrimPaths,
    HintMostlyUnused,
}

/// How an unstable key is switched on: the `cargo-features` entry for a manifest (none where
/// Cargo has no manifest gate) and the `[unstable]` key for a config file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Gate {
    pub manifest_feature: Option<&'static str>,
    pub unstable_key: &'static str,
}

const GATE_CODEGEN_BACKEND: Gate = Gate { manifest_feature: Some("codegen-backend"), unstable_key: "codegen-backend" };
const GATE_PROFILE_RUSTFLAGS: Gate =
    Gate { manifest_feature: Some("profile-rustflags"), unstable_key: "profile-rustflags" };
const GATE_TRIM_PATHS: Gate = Gate { manifest_feature: Some("trim-paths"), unstable_key: "trim-paths" };
const GATE_PANIC_IMMEDIATE_ABORT: Gate =
    Gate { manifest_feature: Some("panic-immediate-abort"), unstable_key: "panic-immediate-abort" };
// Cargo has no manifest feature for this one: in Cargo.toml it is accepted and ignored.
const GATE_HINT_MOSTLY_UNUSED: Gate = Gate { manifest_feature: None, unstable_key: "profile-hint-mostly-unused" };

impl Key {
    pub const ALL: [Key; 16] = [
        Key::Inherits,
        Key::OptLevel,
        Key::Debug,
        Key::SplitDebuginfo,
        Key::Strip,
        Key::DebugAssertions,
        Key::OverflowChecks,
        Key::Lto,
        Key::Panic,
        Key::Incremental,
        Key::CodegenUnits,
        Key::Rpath,
        Key::CodegenBackend,
        Key::Rustflags,
        Key::TrimPaths,
        Key::HintMostlyUnused,
    ];

    /// Whether the key acts only in code generation and linking, which `cargo check` does not
    /// run: such a setting cannot change a check. The others may (`incremental`, flags, and
    /// anything that sets a `cfg` such as `debug-assertions` or `panic`).
    pub fn codegen_only(self) -> bool {
        matches!(
            self,
            Key::Debug
                | Key::SplitDebuginfo
                | Key::Strip
                | Key::Lto
                | Key::CodegenUnits
                | Key::Rpath
                | Key::CodegenBackend
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Key::Inherits => "inherits",
            Key::OptLevel => "opt-level",
            Key::Debug => "debug",
            Key::SplitDebuginfo => "split-debuginfo",
            Key::Strip => "strip",
            Key::DebugAssertions => "debug-assertions",
            Key::OverflowChecks => "overflow-checks",
            Key::Lto => "lto",
            Key::Panic => "panic",
            Key::Incremental => "incremental",
            Key::CodegenUnits => "codegen-units",
            Key::Rpath => "rpath",
            Key::CodegenBackend => "codegen-backend",
            Key::Rustflags => "rustflags",
            Key::TrimPaths => "trim-paths",
            Key::HintMostlyUnused => "hint-mostly-unused",
        }
    }

    pub fn from_name(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }

    /// `panic`, `lto` and `rpath` are whole-program settings Cargo refuses in overrides;
    /// `inherits` there is silently ignored by Cargo, so we refuse it too.
    pub fn allowed_in_override(self) -> bool {
        !matches!(self, Key::Panic | Key::Lto | Key::Rpath | Key::Inherits)
    }

    /// The gate a value needs, if any. Only `panic = "immediate-abort"` is gated by value.
    pub fn gate(self, value: &Value) -> Option<Gate> {
        match self {
            Key::CodegenBackend => Some(GATE_CODEGEN_BACKEND),
            Key::Rustflags => Some(GATE_PROFILE_RUSTFLAGS),
            Key::TrimPaths => Some(GATE_TRIM_PATHS),
            Key::HintMostlyUnused => Some(GATE_HINT_MOSTLY_UNUSED),
            Key::Panic if *value == Value::Str("immediate-abort".into()) => Some(GATE_PANIC_IMMEDIATE_ABORT),
            _ => None,
        }
    }

    /// What the key accepts, worded for an error message.
    pub fn expected(self) -> &'static str {
        match self {
            Key::Inherits => "the name of another profile",
            Key::OptLevel => "`0`, `1`, `2`, `3`, `\"s\"` or `\"z\"`",
            Key::Debug => {
                "`true`, `false`, `0`, `1`, `2`, `\"none\"`, `\"line-directives-only\"`, \
                 `\"line-tables-only\"`, `\"limited\"` or `\"full\"`"
            }
            Key::SplitDebuginfo => "`\"off\"`, `\"packed\"` or `\"unpacked\"`",
            Key::Strip => "`true`, `false`, `\"none\"`, `\"debuginfo\"` or `\"symbols\"`",
            Key::Lto => "`true`, `false`, `\"fat\"`, `\"thin\"` or `\"off\"`",
            Key::Panic => "`\"unwind\"`, `\"abort\"` or `\"immediate-abort\"`",
            Key::CodegenUnits => "an integer from 1 to 4294967295",
            Key::CodegenBackend => "a backend name such as `\"llvm\"` or `\"cranelift\"` (not a path)",
            Key::Rustflags => {
                "an array of rustc flags that neither run nor load anything: lints (`-D`, `-W`, `-A`, \
                 `-F`), `--cfg`, `-C` target-cpu, target-feature, force-frame-pointers, \
                 force-unwind-tables, symbol-mangling-version, instrument-coverage, relocation-model, \
                 code-model, and `-Z` threads, share-generics, location-detail, fmt-debug"
            }
            Key::TrimPaths => {
                "`true`, `false`, `\"none\"`, `\"macro\"`, `\"diagnostics\"`, `\"object\"`, `\"all\"` \
                 or an array of `\"macro\"`, `\"diagnostics\"`, `\"object\"`"
            }
            Key::DebugAssertions | Key::OverflowChecks | Key::Incremental | Key::Rpath | Key::HintMostlyUnused => {
                "`true` or `false`"
            }
        }
    }

    /// Whether `value` is in the domain Cargo and rustc both accept (the "valid" column of the
    /// reference, not the wider set Cargo lets through to fail later in rustc).
    pub fn accepts(self, value: &Value) -> bool {
        fn one_of(value: &Value, allowed: &[&str]) -> bool {
            matches!(value, Value::Str(s) if allowed.contains(&s.as_str()))
        }
        match self {
            Key::Inherits => matches!(value, Value::Str(s) if !s.is_empty()),
            Key::OptLevel => matches!(value, Value::Int(0..=3)) || one_of(value, &["s", "z"]),
            Key::Debug => {
                matches!(value, Value::Bool(_) | Value::Int(0..=2))
                    || one_of(value, &["none", "line-directives-only", "line-tables-only", "limited", "full"])
            }
            Key::SplitDebuginfo => one_of(value, &["off", "packed", "unpacked"]),
            Key::Strip => matches!(value, Value::Bool(_)) || one_of(value, &["none", "debuginfo", "symbols"]),
            Key::Lto => matches!(value, Value::Bool(_)) || one_of(value, &["fat", "thin", "off"]),
            Key::Panic => one_of(value, &["unwind", "abort", "immediate-abort"]),
            Key::CodegenUnits => matches!(value, Value::Int(1..=4_294_967_295)),
            // A name, never a path: rustc loads a backend given as a path as a library.
            Key::CodegenBackend => {
                matches!(value, Value::Str(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            }
            Key::Rustflags => matches!(value, Value::Array(flags) if check_rustflags(flags).is_ok()),
            Key::TrimPaths => match value {
                Value::Bool(_) => true,
                Value::Array(items) => items.iter().all(|s| ["macro", "diagnostics", "object"].contains(&s.as_str())),
                _ => one_of(value, &["none", "macro", "diagnostics", "object", "all"]),
            },
            Key::DebugAssertions | Key::OverflowChecks | Key::Incremental | Key::Rpath | Key::HintMostlyUnused => {
                matches!(value, Value::Bool(_))
            }
        }
    }

    /// Checks a value against the key's domain; the error says what was expected, or for
    /// `rustflags`, which flag is refused and why.
    pub fn check(self, value: &Value) -> Result<(), String> {
        if let (Key::Rustflags, Value::Array(flags)) = (self, value) {
            return check_rustflags(flags)
                .map_err(|why| format!("{why}: presets may not make rustc run a program or load a library"));
        }
        if self.accepts(value) { Ok(()) } else { Err(format!("expected {}", self.expected())) }
    }

    /// What a profile value changes in how the program behaves, beyond build speed and size:
    /// `apply` says it, since a faster build must not change behaviour by surprise.
    pub fn behaviour(self, value: &Value) -> Option<&'static str> {
        let is = |s: &str| self.same_meaning(value, &Value::Str(s.to_owned()));
        match self {
            Key::Panic if !is("unwind") => Some(
                "a panic ends the process: `catch_unwind` and per-thread or per-request panic isolation stop working",
            ),
            Key::OverflowChecks if *value == Value::Bool(true) => Some("integer overflow panics instead of wrapping"),
            Key::OverflowChecks => Some("integer overflow wraps silently instead of panicking"),
            Key::DebugAssertions if *value == Value::Bool(true) => {
                Some("`debug_assert!` checks and `cfg(debug_assertions)` code run")
            }
            Key::DebugAssertions => Some("`debug_assert!` checks and `cfg(debug_assertions)` code are left out"),
            Key::Strip if is("symbols") => Some("panic backtraces and profilers show no function names"),
            Key::Debug if is("none") => Some("panic backtraces show no file and line numbers"),
            _ => None,
        }
    }

    /// Whether two values mean the same to Cargo (`debug = 2` is `debug = "full"`), so that a
    /// user who spelled a setting differently is not reported as a conflict.
    pub fn same_meaning(self, a: &Value, b: &Value) -> bool {
        canonical(self, a) == canonical(self, b)
    }
}

fn canonical(key: Key, value: &Value) -> Value {
    let named = |s: &str| Value::Str(s.to_owned());
    match (key, value) {
        (Key::Debug, Value::Bool(false) | Value::Int(0)) => named("none"),
        (Key::Debug, Value::Int(1)) => named("limited"),
        (Key::Debug, Value::Bool(true) | Value::Int(2)) => named("full"),
        (Key::Strip, Value::Bool(true)) => named("symbols"),
        (Key::Strip, Value::Bool(false)) => named("none"),
        (Key::Lto, Value::Bool(true)) => named("fat"),
        (Key::TrimPaths, Value::Bool(true)) => named("all"),
        (Key::TrimPaths, Value::Bool(false)) => named("none"),
        _ => value.clone(),
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A key in a report is its name, as in the files.
impl serde::Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// The part of a profile a setting lives in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// `[profile.<name>]` itself.
    Profile,
    /// `[profile.<name>.package.<spec>]`; `"*"` is every non-member package.
    Package(String),
    /// `[profile.<name>.build-override]`: build scripts, proc-macros and their dependencies.
    BuildOverride,
}

impl Scope {
    /// `[profile.<name>.package."*"]`: every package but the workspace's own.
    pub fn is_every_package(&self) -> bool {
        matches!(self, Scope::Package(spec) if spec == "*")
    }
}

/// The table a setting lives in: a profile and a scope within it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TablePath {
    pub profile: String,
    pub scope: Scope,
}

impl TablePath {
    /// The TOML key path below the document root.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys = vec!["profile", self.profile.as_str()];
        match &self.scope {
            Scope::Profile => {}
            Scope::Package(spec) => keys.extend(["package", spec.as_str()]),
            Scope::BuildOverride => keys.push("build-override"),
        }
        keys
    }
}

impl fmt::Display for TablePath {
    /// Formats as TOML would (`profile.dev.package."*"`), the way it appears in error messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<String> =
            self.keys().into_iter().map(|k| toml_edit::Key::new(k).display_repr().into_owned()).collect();
        f.write_str(&keys.join("."))
    }
}

/// A single setting's address: `profile.dev.package."*".debug`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyPath {
    pub table: TablePath,
    pub key: Key,
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.table, self.key)
    }
}

/// The profiles Cargo defines itself. `dev` and `release` are roots; `test` and `bench` inherit
/// them implicitly.
pub const BUILTIN_PROFILES: [&str; 4] = ["dev", "release", "test", "bench"];

/// The first cargo with a built-in `debug` profile (`inherits = "dev"`), rust-lang/cargo#17214.
pub const DEBUG_PROFILE_SINCE: crate::cargo::machine::Version = crate::cargo::machine::Version(1, 99, 0);

/// Whether `cargo` (a release, or unknown) has the built-in `debug` profile.
pub fn has_debug_profile(cargo: Option<crate::cargo::machine::Version>) -> bool {
    cargo.is_some_and(|release| release >= DEBUG_PROFILE_SINCE)
}

pub fn is_root_profile(name: &str) -> bool {
    name == "dev" || name == "release"
}

pub fn is_builtin_profile(name: &str) -> bool {
    BUILTIN_PROFILES.contains(&name)
}

/// The profile names cargo refuses, compared without case (`validate_profile_name`), besides every
/// name starting with `cargo`. `doc` is not among them: cargo accepts it, deprecated and unused.
pub const RESERVED_PROFILE_NAMES: [&str; 21] = [
    "debug",
    "build-override",
    "build",
    "check",
    "clean",
    "config",
    "fetch",
    "fix",
    "install",
    "metadata",
    "package",
    "publish",
    "report",
    "root",
    "run",
    "rust",
    "rustc",
    "rustdoc",
    "target",
    "tmp",
    "uninstall",
];

/// Why a profile name is refused, with a hint where Cargo gives one.
#[derive(Debug, PartialEq, Eq)]
pub struct BadProfileName {
    pub reason: String,
    pub help: Option<String>,
}

/// Checks a profile name the way Cargo's `validate_profile_name` does, plus the empty name and
/// the deprecated `doc` profile, which Cargo accepts but which never take effect. `debug` is
/// `cargo`'s own profile from 1.99, reserved before (and when the release is unknown).
pub fn check_profile_name(name: &str, cargo: Option<crate::cargo::machine::Version>) -> Result<(), BadProfileName> {
    let bad = |reason: String, help: Option<&str>| Err(BadProfileName { reason, help: help.map(str::to_owned) });
    if name.is_empty() {
        return bad(
            "profile name is empty".into(),
            Some("Cargo accepts `[profile.\"\"]` but no command can select it"),
        );
    }
    if let Some(c) = name.chars().find(|c| !(c.is_alphanumeric() || *c == '_' || *c == '-')) {
        return bad(
            format!("invalid character `{c}` in profile name `{name}`"),
            Some("allowed characters are letters, numbers, underscore, and hyphen"),
        );
    }
    let lower = name.to_lowercase();
    let builtin_debug = lower == "debug" && has_debug_profile(cargo);
    if lower == "debug" && !builtin_debug {
        return bad(
            format!("profile name `{name}` is reserved by cargo"),
            Some("name a full-debug-info profile `debugging`, or configure the default one as [profile.dev]"),
        );
    }
    if lower == "build-override" {
        return bad(
            format!("profile name `{name}` is reserved by cargo"),
            Some(
                "to configure build dependencies, use [profile.dev.build-override] or [profile.release.build-override]",
            ),
        );
    }
    if (RESERVED_PROFILE_NAMES.contains(&lower.as_str()) && !builtin_debug) || lower.starts_with("cargo") {
        return bad(format!("profile name `{name}` is reserved by cargo"), Some("choose a different name"));
    }
    if name == "doc" {
        return bad(
            "profile `doc` is deprecated and has no effect".into(),
            Some("`cargo doc` uses the `dev` profile; configure that instead"),
        );
    }
    Ok(())
}

/// Checks profile `rustflags` from a preset. Presets are shared between teams and found in
/// cloned repositories, so they may only pass flags that change how code is compiled, never
/// ones that make rustc run a program or load a library (`-C linker=`, `-C link-arg=-fuse-ld=…`,
/// `-Z codegen-backend=<path>`, `-L`, …): an allow-list, so a new dangerous flag is refused too.
pub fn check_rustflags(flags: &[String]) -> Result<(), String> {
    const CODEGEN: [&str; 10] = [
        "target-cpu",
        "target-feature",
        "force-frame-pointers",
        "force-unwind-tables",
        "symbol-mangling-version",
        "instrument-coverage",
        "relocation-model",
        "code-model",
        "debug-assertions",
        "overflow-checks",
    ];
    const UNSTABLE: [&str; 4] = ["threads", "share-generics", "location-detail", "fmt-debug"];
    let mut tokens = flags.iter().map(String::as_str);
    while let Some(flag) = tokens.next() {
        // Options whose argument may be attached (`-Cx=y`) or the next token (`-C x=y`).
        let Some(option) = ["-C", "-Z", "-D", "-W", "-A", "-F", "--cfg", "--check-cfg", "--cap-lints"]
            .into_iter()
            .find(|o| flag.starts_with(o))
        else {
            return Err(format!("`{flag}` is not allowed in a preset's rustflags"));
        };
        let rest = &flag[option.len()..];
        let argument = if rest.is_empty() {
            tokens.next().ok_or_else(|| format!("`{flag}` needs an argument"))?
        } else if option.len() == 2 {
            rest // `-Ctarget-cpu=native`, `-Dwarnings`
        } else if let Some(value) = rest.strip_prefix('=') {
            value // `--cfg=foo`
        } else {
            return Err(format!("`{flag}` is not allowed in a preset's rustflags"));
        };
        let name = argument.split('=').next().unwrap_or_default();
        let allowed = match option {
            "-C" => CODEGEN.contains(&name),
            "-Z" => UNSTABLE.contains(&name),
            _ => true,
        };
        if !allowed {
            return Err(format!("`{option} {argument}` is not allowed in a preset's rustflags"));
        }
    }
    Ok(())
}

/// Checks the form of a package spec in `[profile.<p>.package.<spec>]`: `"*"`, a name, or
/// `name@version`. Cargo accepts URL forms too; presets are shared between projects, so they
/// name packages, not paths on one machine.
pub fn check_package_spec(spec: &str) -> Result<(), String> {
    if spec == "*" {
        return Ok(());
    }
    let (name, version) = match spec.split_once(['@', ':']) {
        Some((name, version)) => (name, Some(version)),
        None => (spec, None),
    };
    if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_') {
        return Err(format!("`{spec}` is not a package name, `name@version` or `\"*\"`"));
    }
    if let Some(version) = version {
        let parts: Vec<&str> = version.split('.').collect();
        let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        let ok =
            parts.len() <= 3 && parts.iter().take(2).all(|p| numeric(p)) && parts.get(2).is_none_or(|p| !p.is_empty());
        if !ok {
            return Err(format!("`{version}` in `{spec}` is not a version like \"1.32\""));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::Str(v.into())
    }

    #[test]
    fn opt_level_rejects_string_digits_and_out_of_range_integers() {
        assert!(Key::OptLevel.accepts(&Value::Int(3)));
        assert!(Key::OptLevel.accepts(&s("z")));
        assert!(!Key::OptLevel.accepts(&s("3")));
        assert!(!Key::OptLevel.accepts(&s("S")));
        assert!(!Key::OptLevel.accepts(&Value::Int(4)));
        assert!(!Key::OptLevel.accepts(&Value::Int(-1)));
    }

    #[test]
    fn values_rustc_would_reject_later_are_refused_now() {
        assert!(!Key::CodegenUnits.accepts(&Value::Int(0)));
        assert!(!Key::Strip.accepts(&s("all")));
        assert!(!Key::Lto.accepts(&s("full")));
        assert!(!Key::Lto.accepts(&s("true")));
        assert!(!Key::Panic.accepts(&s("Abort")));
        assert!(!Key::Debug.accepts(&Value::Int(3)));
        assert!(!Key::SplitDebuginfo.accepts(&s("foo")));
    }

    #[test]
    fn equivalent_spellings_have_the_same_meaning() {
        assert!(Key::Debug.same_meaning(&Value::Int(2), &Value::Bool(true)));
        assert!(Key::Debug.same_meaning(&s("full"), &Value::Bool(true)));
        assert!(!Key::Debug.same_meaning(&Value::Int(1), &s("line-tables-only")));
        assert!(Key::Strip.same_meaning(&Value::Bool(true), &s("symbols")));
        // `lto = false` is thin-local LTO, not "off".
        assert!(!Key::Lto.same_meaning(&Value::Bool(false), &s("off")));
    }

    #[test]
    fn only_immediate_abort_is_gated_among_panic_values() {
        assert_eq!(Key::Panic.gate(&s("abort")), None);
        assert_eq!(Key::Panic.gate(&s("immediate-abort")).unwrap().unstable_key, "panic-immediate-abort");
        assert_eq!(Key::HintMostlyUnused.gate(&Value::Bool(true)).unwrap().manifest_feature, None);
    }

    #[test]
    fn profile_names_follow_cargo_and_refuse_what_never_works() {
        for ok in ["dev", "release", "test", "bench", "staging", "1x", "ünï_code-2", "Release"] {
            assert_eq!(check_profile_name(ok, None), Ok(()), "{ok}");
        }
        for bad in ["", "a.b", "foo bar", ";;", "debug", "DEBUG", "check", "build", "package", "cargo-x", "doc"] {
            assert!(check_profile_name(bad, None).is_err(), "{bad}");
        }
        assert!(check_profile_name("debug", None).unwrap_err().help.unwrap().contains("debugging"));
        let cargo = |minor| Some(crate::cargo::machine::Version(1, minor, 0));
        assert!(check_profile_name("debug", cargo(98)).is_err());
        assert_eq!(check_profile_name("debug", cargo(99)), Ok(()));
    }

    #[test]
    fn rustflags_that_run_or_load_programs_are_refused() {
        let flags = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        for ok in [
            &["-C", "target-cpu=x86-64-v3"][..],
            &["-Ctarget-cpu=native"],
            &["-C", "force-frame-pointers=yes", "--cfg", "tokio_unstable"],
            &["-Dwarnings", "-W", "unused"],
            &["-Zthreads=8"],
        ] {
            assert_eq!(check_rustflags(&flags(ok)), Ok(()), "{ok:?}");
        }
        for bad in [
            &["-C", "linker=./evil.sh"][..],
            &["-Clinker=cc"],
            &["-C", "link-arg=-fuse-ld=/tmp/ld"],
            &["-Z", "codegen-backend=/tmp/x.so"],
            &["-L", "/tmp"],
            &["--extern", "x=/tmp/libx.rlib"],
            &["-C"],
            &["--cfgx"],
        ] {
            assert!(check_rustflags(&flags(bad)).is_err(), "{bad:?}");
        }
        assert!(!Key::CodegenBackend.accepts(&Value::Str("/tmp/evil.so".into())));
        assert!(Key::CodegenBackend.accepts(&Value::Str("cranelift".into())));
    }

    #[test]
    fn package_specs_are_names_or_name_at_version() {
        for ok in ["*", "serde", "dep_x", "dep@0.2.0", "dep@0.2", "dep:1"] {
            assert_eq!(check_package_spec(ok), Ok(()), "{ok}");
        }
        for bad in ["", "a b", "dep@x.y", "dep@", "https://x/y"] {
            assert!(check_package_spec(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn key_paths_display_as_toml() {
        let path =
            KeyPath { table: TablePath { profile: "dev".into(), scope: Scope::Package("*".into()) }, key: Key::Debug };
        assert_eq!(path.to_string(), "profile.dev.package.\"*\".debug");
    }
}
