//! The cargo config settings a preset may write besides profiles: `[build]` `rustflags` and
//! `rustc-wrapper`, `[target.<triple>]` and `[target.'cfg(…)']` `linker` and `rustflags`,
//! `[resolver]` and `[unstable]` keys. Cargo reads them from config files only, never from
//! `Cargo.toml`.
//!
//! Also the rules of `rustflags` as cargo and rustc apply them: a flag is a unit of one or two
//! tokens (`-C target-cpu=native`, `-Ctarget-cpu=native`), and the same option with another
//! value (`-C target-cpu=x86-64-v3`) is a different choice of the same thing.

use std::fmt;

use crate::cargo::schema::Value;

/// The config table a setting lives in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConfigTable {
    Build,
    /// `[target.<triple>]` or `[target.'cfg(…)']`, by its key as written.
    Target(String),
    Resolver,
    Unstable,
}

impl ConfigTable {
    /// The TOML key path below the document root.
    pub fn keys(&self) -> Vec<&str> {
        match self {
            ConfigTable::Build => vec!["build"],
            ConfigTable::Target(target) => vec!["target", target.as_str()],
            ConfigTable::Resolver => vec!["resolver"],
            ConfigTable::Unstable => vec!["unstable"],
        }
    }

    /// The keys a preset may set in this table.
    pub fn known_keys(&self) -> &'static [&'static str] {
        match self {
            ConfigTable::Build => &["rustflags", "rustc-wrapper"],
            ConfigTable::Target(_) => &["linker", "rustflags"],
            ConfigTable::Resolver => &["feature-unification", "incompatible-rust-versions"],
            // Cargo's `-Z` flags, each a key; checked for form only, cargo knows the list.
            ConfigTable::Unstable => &[],
        }
    }
}

impl fmt::Display for ConfigTable {
    /// As cargo's documentation writes it: `target.'cfg(unix)'`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<String> = self.keys().into_iter().map(key_text).collect();
        f.write_str(&keys.join("."))
    }
}

/// A TOML key as a person writes it: bare where it can be, else in single quotes (which need no
/// escapes for `cfg(target_os = "linux")`), else in double quotes.
pub fn key_text(key: &str) -> String {
    let repr = toml_edit::Key::new(key).display_repr().into_owned();
    if repr == key || key.contains(['\'', '\n']) { repr } else { format!("'{key}'") }
}

/// One config key's address: `target.'cfg(target_os = "linux")'.rustflags`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConfigPath {
    pub table: ConfigTable,
    pub key: String,
}

impl ConfigPath {
    pub fn is_rustflags(&self) -> bool {
        self.key == "rustflags"
    }

    /// Whether the value names a program that cargo will run: only built-in and personal
    /// presets may do that.
    pub fn runs_a_program(&self) -> bool {
        self.key == "linker" || self.key == "rustc-wrapper"
    }

    /// Whether the setting needs nightly cargo or rustc: every `[unstable]` key, the resolver's
    /// `feature-unification`, and `-Z` flags (stable rustc refuses them, failing every build).
    pub fn needs_nightly(&self, value: &Value) -> bool {
        match (&self.table, self.key.as_str(), value) {
            (ConfigTable::Unstable, ..) => true,
            (ConfigTable::Resolver, "feature-unification", _) => true,
            (_, "rustflags", Value::Array(flags)) => flags.iter().any(|f| f.starts_with("-Z")),
            _ => false,
        }
    }

    /// Checks a value's type and domain; the error says what was expected.
    pub fn check(&self, value: &Value) -> Result<(), String> {
        let ok = match (&self.table, self.key.as_str(), value) {
            (_, "rustflags", Value::Array(flags)) => return check_flag_text(flags),
            (_, "rustc-wrapper" | "linker", Value::Str(program)) => return check_program(program),
            (ConfigTable::Resolver, "feature-unification", Value::Str(s)) => {
                ["selected", "workspace", "package"].contains(&s.as_str())
            }
            (ConfigTable::Resolver, "incompatible-rust-versions", Value::Str(s)) => {
                ["allow", "fallback"].contains(&s.as_str())
            }
            (ConfigTable::Unstable, _, Value::Bool(_) | Value::Array(_)) => true,
            _ => false,
        };
        if ok { Ok(()) } else { Err(format!("expected {}", self.expected())) }
    }

    pub fn expected(&self) -> &'static str {
        match (&self.table, self.key.as_str()) {
            (_, "rustflags") => "an array of rustc flags",
            (_, "rustc-wrapper" | "linker") => "the name of a program",
            (ConfigTable::Resolver, "feature-unification") => "`\"selected\"`, `\"workspace\"` or `\"package\"`",
            (ConfigTable::Resolver, _) => "`\"allow\"` or `\"fallback\"`",
            _ => "`true`, `false` or an array of strings",
        }
    }
}

impl fmt::Display for ConfigPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.table, key_text(&self.key))
    }
}

/// Flags are written into comments (the record of what a preset added, for `remove`), so each
/// must fit on one line and not end the record early.
fn check_flag_text(flags: &[String]) -> Result<(), String> {
    if let Some(flag) = flags.iter().find(|f| f.trim().is_empty() || f.contains(['\n', '\r', '`']) || f.contains(": "))
    {
        return Err(format!("`{flag}` cannot be a flag: flags are single-line text without backticks or `: `"));
    }
    units(flags).map(|_| ())
}

/// A program cargo looks up on PATH: a plain name. A path would make the setting depend on one
/// machine's layout, and is how a shared file would run something it ships.
pub fn check_program(program: &str) -> Result<(), String> {
    let plain = !program.is_empty()
        && program.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'))
        && !program.starts_with('.');
    if plain { Ok(()) } else { Err(format!("`{program}` is not a program name (presets name programs, not paths)")) }
}

/// The programs built-in presets may name: known tools, looked up on PATH.
pub const KNOWN_PROGRAMS: [&str; 8] = ["sccache", "clang", "gcc", "cc", "mold", "lld", "wild", "rust-lld.exe"];

/// One flag: its tokens as written, and what it sets. `-C target-cpu=native` sets
/// `-C target-cpu` to `native`; `-C link-arg=-fuse-ld=mold` sets `-C link-arg=-fuse-ld`, so that
/// another linker is a different choice but other link arguments are not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Flag {
    pub tokens: Vec<String>,
    /// What the flag sets, spelled one way (`-C target-cpu`), whatever the spelling.
    pub option: String,
    pub value: Option<String>,
}

impl Flag {
    /// Whether `other` sets the same option (whatever the value).
    pub fn same_option(&self, other: &Flag) -> bool {
        self.option == other.option
    }

    pub fn text(&self) -> String {
        self.tokens.join(" ")
    }
}

impl fmt::Display for Flag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

/// Options whose argument may be attached (`-Cx=y`, `--codegen=x=y`) or the next token
/// (`-C x=y`).
const WITH_ARGUMENT: [&str; 10] =
    ["-C", "--codegen", "-Z", "-D", "-W", "-A", "-F", "--cfg", "--check-cfg", "--cap-lints"];

/// Splits flags into units. A token that is no option stands alone (cargo passes it as is).
pub fn units(flags: &[String]) -> Result<Vec<Flag>, String> {
    let mut out = Vec::new();
    let mut tokens = flags.iter();
    while let Some(first) = tokens.next() {
        let Some(option) = WITH_ARGUMENT.into_iter().find(|o| first.starts_with(o)) else {
            out.push(Flag { tokens: vec![first.clone()], option: first.clone(), value: None });
            continue;
        };
        let rest = &first[option.len()..];
        let (argument, tokens_of) = if rest.is_empty() {
            let next = tokens.next().ok_or_else(|| format!("`{first}` needs an argument"))?;
            (next.as_str(), vec![first.clone(), next.clone()])
        } else if option.len() == 2 {
            (rest, vec![first.clone()])
        } else if let Some(value) = rest.strip_prefix('=') {
            (value, vec![first.clone()])
        } else {
            out.push(Flag { tokens: vec![first.clone()], option: first.clone(), value: None });
            continue;
        };
        let (option, value) = match option {
            // `--codegen` is rustc's long name for `-C`: the same option, so spelled the same.
            "-C" | "--codegen" => codegen(argument),
            // A lint's level is its value: `-D x` and `-A x` are two choices for lint `x`.
            "-D" | "-W" | "-A" | "-F" => (format!("lint {argument}"), Some(option.to_owned())),
            "--cfg" | "--check-cfg" => (format!("{option} {argument}"), None),
            _ => match argument.split_once('=') {
                Some((name, value)) => (format!("{option} {name}"), Some(value.to_owned())),
                None => (format!("{option} {argument}"), None),
            },
        };
        out.push(Flag { tokens: tokens_of, option, value });
    }
    Ok(out)
}

/// What a `-C` argument sets, and to what.
fn codegen(argument: &str) -> (String, Option<String>) {
    match argument.split_once('=') {
        // `-C link-arg=-fuse-ld=mold`: the linker argument's own option is what it sets.
        Some(("link-arg", arg)) => match arg.split_once('=') {
            Some((name, value)) => (format!("-C link-arg={name}"), Some(value.to_owned())),
            None => (format!("-C link-arg={arg}"), None),
        },
        Some((name, value)) => (format!("-C {name}"), Some(value.to_owned())),
        None => (format!("-C {argument}"), None),
    }
}

/// What a flag makes rustc do that a preset from a cloned repository may not ask for: run a
/// program or load a file. `None` for a flag that only changes how code is compiled. Built-in
/// presets may choose a linker among [`KNOWN_PROGRAMS`] (`-C link-arg=-fuse-ld=mold`).
pub fn runs_or_loads(flag: &Flag, builtin: bool) -> Option<&'static str> {
    let option = flag.option.as_str();
    let value = flag.value.as_deref().unwrap_or("");
    if option == "-C link-arg=-fuse-ld" {
        return (!(builtin && KNOWN_PROGRAMS.contains(&value))).then_some("chooses the linker rustc runs");
    }
    let dangerous = [
        ("-C linker", "names the linker rustc runs"),
        ("-C link-arg", "passes arguments to the linker"),
        ("-C link-args", "passes arguments to the linker"),
        ("-C link-self-contained", "changes which linker rustc runs"),
        ("-C linker-flavor", "changes which linker rustc runs"),
        ("-Z codegen-backend", "loads a code generator"),
        ("-Z llvm-plugins", "loads a library into rustc"),
        ("-C llvm-args", "passes raw options to LLVM"),
        ("-C profile-use", "reads a file"),
    ];
    if let Some((_, why)) = dangerous.iter().find(|(o, _)| option == *o || option.starts_with(&format!("{o}="))) {
        return Some(why);
    }
    if option.starts_with("-C link-arg=") {
        return Some("passes arguments to the linker");
    }
    match flag.tokens[0].as_str() {
        t if t.starts_with("-L") || t.starts_with("-l") || t.starts_with("--extern") || t.starts_with("@") => {
            Some("makes rustc read files")
        }
        t if !t.starts_with('-') => Some("is not an option"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn both_spellings_of_a_flag_set_the_same_option() {
        let a = units(&strings(&["-C", "target-cpu=native"])).unwrap();
        let b = units(&strings(&["-Ctarget-cpu=x86-64-v3"])).unwrap();
        assert_eq!(a[0].option, "-C target-cpu");
        assert!(a[0].same_option(&b[0]));
        assert_ne!(a[0].value, b[0].value);
        assert_eq!(a[0].tokens, ["-C", "target-cpu=native"]);
        for long in [&["--codegen", "target-cpu=native"][..], &["--codegen=target-cpu=native"]] {
            let c = units(&strings(long)).unwrap();
            assert_eq!((c[0].option.as_str(), c[0].value.as_deref()), ("-C target-cpu", Some("native")), "{long:?}");
        }
    }

    #[test]
    fn link_arguments_differ_by_their_own_option() {
        let flags = units(&strings(&["-C", "link-arg=-fuse-ld=mold", "-Clink-arg=-Wl,--as-needed"])).unwrap();
        assert_eq!(flags[0].option, "-C link-arg=-fuse-ld");
        assert_eq!(flags[0].value.as_deref(), Some("mold"));
        assert!(!flags[0].same_option(&flags[1]));
    }

    #[test]
    fn lints_conflict_by_level() {
        let flags = units(&strings(&["-D", "warnings", "-Awarnings"])).unwrap();
        assert!(flags[0].same_option(&flags[1]));
        assert_ne!(flags[0].value, flags[1].value);
    }

    #[test]
    fn programs_and_files_are_only_for_trusted_presets() {
        let check = |list: &[&str], builtin| runs_or_loads(&units(&strings(list)).unwrap()[0], builtin);
        assert_eq!(check(&["-C", "target-cpu=native"], false), None);
        assert_eq!(check(&["-Zthreads=8"], false), None);
        assert!(check(&["-C", "link-arg=-fuse-ld=mold"], false).is_some());
        assert_eq!(check(&["-C", "link-arg=-fuse-ld=mold"], true), None);
        assert!(check(&["-C", "link-arg=-fuse-ld=/tmp/evil"], true).is_some());
        assert!(check(&["-Clinker=./x.sh"], true).is_some());
        assert!(check(&["-Z", "codegen-backend=/tmp/x.so"], true).is_some());
        assert!(check(&["-L/tmp"], true).is_some());
        assert!(check(&["@/tmp/args"], true).is_some());
    }

    #[test]
    fn values_are_checked_per_key() {
        let path = |table, key: &str| ConfigPath { table, key: key.to_owned() };
        assert!(path(ConfigTable::Build, "rustc-wrapper").check(&Value::Str("sccache".into())).is_ok());
        assert!(path(ConfigTable::Build, "rustc-wrapper").check(&Value::Str("/tmp/x".into())).is_err());
        assert!(path(ConfigTable::Resolver, "feature-unification").check(&Value::Str("workspace".into())).is_ok());
        assert!(path(ConfigTable::Resolver, "feature-unification").check(&Value::Str("all".into())).is_err());
        assert!(path(ConfigTable::Build, "rustflags").check(&Value::Array(strings(&["-C"]))).is_err());
        assert!(path(ConfigTable::Build, "rustflags").check(&Value::Array(strings(&["a: b"]))).is_err());
        assert!(path(ConfigTable::Unstable, "build-std").check(&Value::Array(strings(&["std"]))).is_ok());
        let wrapper = path(ConfigTable::Build, "rustflags");
        assert!(wrapper.needs_nightly(&Value::Array(strings(&["-Zthreads=8"]))));
        assert!(!wrapper.needs_nightly(&Value::Array(strings(&["-Ctarget-cpu=native"]))));
    }
}
