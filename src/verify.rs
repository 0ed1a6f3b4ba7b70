//! `verify`: what rustc really received, against what the profile says.
//!
//! Pure: takes the units cargo compiled (crate, package, member or not, the rustc arguments) and
//! the layers `explain` reads, and returns the mismatches with their cause. Compared per unit:
//! `opt-level`, `debug`, `codegen-units` and `strip` where set, and `panic` outside tests.
//! rustc applies the last occurrence of an option, so flags appended by RUSTFLAGS or a config
//! file's `rustflags` win over the profile's; those, and package specs that do not match the
//! package a user meant, are the causes found. Host units (build scripts, proc-macros and what
//! they depend on) are compared against cargo's rules for them: `build-override` and host
//! defaults below the package overrides.

use crate::check::codegen_flags;
use crate::effective::{Effective, FlagsSource, Layers, Role, Rustflags, Unit};
use crate::inherit::ChainError;
use crate::schema::{Key, Value};

/// One compiled crate.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// The package, as cargo's package id names it.
    pub package: PackageId,
    pub member: bool,
    /// A path package.
    pub local: bool,
    pub role: Role,
    /// The rustc command line, as `cargo -v` printed it.
    pub args: String,
}

/// A package as cargo's package id names it, which is what package specs match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageId {
    pub name: String,
    pub version: String,
    /// `path+file:///…/dep-x`.
    pub source: String,
}

impl PackageId {
    /// `path+file:///a/dep-x#0.1.0` (the name is the last segment of the URL) or
    /// `path+file:///a/vendor#dep-x@0.1.0`.
    pub fn parse(id: &str) -> Option<PackageId> {
        let (source, fragment) = id.rsplit_once('#')?;
        let (name, version) = match fragment.split_once('@') {
            Some((name, version)) => (name, version),
            None => (source.rsplit('/').next()?, fragment),
        };
        Some(PackageId { name: name.to_owned(), version: version.to_owned(), source: source.to_owned() })
    }

    /// Whether a `[profile.*.package.<spec>]` key names this package, as cargo 1.95 matches it:
    /// `name`, `name@version` or the legacy `name:version`, where the version may be partial
    /// (`dep@0.2` matches 0.2.x), or a URL with an optional `#name@version`, `#version` or `#name`.
    pub fn matches(&self, spec: &str) -> bool {
        let (url, rest) = match spec.split_once("://") {
            Some(_) => match spec.rsplit_once('#') {
                Some((url, fragment)) => (Some(url), fragment),
                None => (Some(spec), ""),
            },
            None => (None, spec),
        };
        let url_name = url.and_then(|u| u.rsplit('/').next()).unwrap_or_default();
        let (name, version) = match rest.split_once(['@', ':']) {
            Some((name, version)) => (name, Some(version)),
            None if url.is_some() && rest.starts_with(|c: char| c.is_ascii_digit()) => (url_name, Some(rest)),
            None if rest.is_empty() => (url_name, None),
            None => (rest, None),
        };
        name == self.name
            && version.is_none_or(|v| self.version_matches(v))
            && url.is_none_or(|u| u == self.source || u == without_kind(&self.source))
    }

    /// As cargo matches a partial version: `0.2` matches `0.2.x` and `0` matches `0.x.y`; each
    /// part given (pre-release, build metadata) must be equal, and a pre-release version is
    /// matched only by a spec that names its pre-release.
    fn version_matches(&self, spec: &str) -> bool {
        let (version, spec) = (parts(&self.version), parts(spec));
        (version.pre.is_none() || spec.pre.is_some())
            && spec.numbers.len() <= version.numbers.len()
            && spec.numbers.iter().zip(&version.numbers).all(|(s, v)| s == v)
            && spec.pre.is_none_or(|p| Some(p) == version.pre)
            && spec.build.is_none_or(|b| Some(b) == version.build)
    }
}

/// A version's parts as text: `1.2.3-rc.1+abc` → `[1, 2, 3]`, `rc.1`, `abc`.
struct VersionParts<'a> {
    numbers: Vec<&'a str>,
    pre: Option<&'a str>,
    build: Option<&'a str>,
}

fn parts(version: &str) -> VersionParts<'_> {
    let (version, build) = version.split_once('+').map_or((version, None), |(v, b)| (v, Some(b)));
    let (numbers, pre) = version.split_once('-').map_or((version, None), |(n, p)| (n, Some(p)));
    VersionParts { numbers: numbers.split('.').collect(), pre, build }
}

/// A URL without its kind: `file:///…` names the same place as `path+file:///…`.
fn without_kind(url: &str) -> &str {
    url.split_once('+').filter(|(kind, _)| !kind.contains('/')).map_or(url, |(_, rest)| rest)
}

#[derive(Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub package: String,
    pub key: Key,
    /// The value as rustc takes it (`-C opt-level=…` without the prefix).
    pub expected: String,
    pub actual: String,
    /// Where the expected value comes from, as `explain` says it.
    pub source: String,
    pub cause: String,
}

const KEYS: [(Key, &str, &str); 5] = [
    (Key::OptLevel, "opt-level", "0"),
    (Key::Debug, "debuginfo", "0"),
    (Key::CodegenUnits, "codegen-units", ""),
    (Key::Strip, "strip", "none"),
    (Key::Panic, "panic", "unwind"),
];

/// Compares every unit with the profile, and, where `rustflags` is known, with the flags cargo
/// takes from the environment or a config file: every unit gets them, but where the build names
/// its target (`build.target`) only the units compiled for it (`--target` in their command
/// line), not build scripts, proc-macros and what they use.
pub fn compare(
    layers: &Layers,
    profile: &str,
    units: &[Compiled],
    rustflags: Option<&Rustflags>,
) -> Result<Vec<Mismatch>, ChainError> {
    let mut mismatches = Vec::new();
    let used = rustflags.map_or(&[][..], |r| &r.used[..]);
    let targets_named = layers.build_targets().is_some();
    let chain = layers.chain(profile)?;
    for unit in units {
        if (!targets_named || unit.args.contains("--target "))
            && let Some(rustflags) = rustflags
            && !rustflags.used.is_empty()
            && !contains_in_order(&unit.args, &rustflags.flags())
        {
            let sources: Vec<String> = rustflags.used.iter().map(FlagsSource::describe).collect();
            mismatches.push(Mismatch {
                package: unit.package.name.clone(),
                key: Key::Rustflags,
                expected: rustflags.flags().join(" "),
                actual: "missing".to_owned(),
                source: sources.join(", "),
                cause: UNKNOWN.to_owned(),
            });
        }
        // The spec that names the package (`dep@0.2.0`), else one a user meant for it (`dep_x`
        // for `dep-x`), which is then asked for as if it matched.
        let spec = spec_for(layers, &chain, &unit.package);
        let meant = if spec.is_none() { meant_spec(layers, &chain, &unit.package.name) } else { None };
        let spec = spec.or(meant.clone()).unwrap_or_else(|| unit.package.name.clone());
        for (key, option, rustc_default) in KEYS {
            if key == Key::Panic && (profile == "test" || profile == "bench") {
                continue; // tests and benches always unwind
            }
            let asked = Unit { package: &spec, member: unit.member, local: unit.local, role: unit.role };
            let effective = layers.effective(profile, key, Some(&asked))?;
            let Some(expected) = expected_value(&effective) else { continue };
            let actual = last_option(&unit.args, option).unwrap_or_else(|| rustc_default.to_owned());
            if actual == expected {
                continue;
            }
            let source = match (&effective.from, effective.rule) {
                (Some(from), _) => from.source.clone(),
                (None, Some(rule)) => rule.to_owned(),
                (None, None) => format!("the default of profile `{profile}`"),
            };
            let cause = cause(option, &actual, used, meant.as_deref(), &unit.package.name);
            mismatches.push(Mismatch { package: unit.package.name.clone(), key, expected, actual, source, cause });
        }
    }
    Ok(mismatches)
}

/// The rustc value the profile asks for; `None` where the profile leaves the choice to cargo or
/// rustc (an unset `codegen-units`, an unset `strip`, which cargo decides per build).
fn expected_value(effective: &Effective) -> Option<String> {
    let value = effective.value.as_ref()?;
    match effective.key {
        Key::Debug => Some(
            match value.to_string().trim_matches('"') {
                "true" | "2" | "full" => "2",
                "1" | "limited" => "1",
                "false" | "0" | "none" => "0",
                other => return Some(other.to_owned()),
            }
            .to_owned(),
        ),
        Key::Strip if effective.from.is_none() => None,
        Key::Strip => Some(
            match value {
                Value::Bool(true) => "symbols",
                Value::Bool(false) => "none",
                Value::Str(s) => s.as_str(),
                _ => return None,
            }
            .to_owned(),
        ),
        _ => Some(value.to_string().trim_matches('"').to_owned()),
    }
}

/// The value of the last `-C <option>=…` in a rustc command line.
pub fn last_option(args: &str, option: &str) -> Option<String> {
    let mut tokens = tokens(args);
    let mut last = None;
    while let Some(token) = tokens.next() {
        let setting = match token {
            "-C" | "--codegen" => tokens.next(),
            _ => token.strip_prefix("-C"),
        };
        if let Some(value) = setting.and_then(|s| s.strip_prefix(option)).and_then(|s| s.strip_prefix('=')) {
            last = Some(value.to_owned());
        }
    }
    last
}

/// The spec in the files that names `package` (`dep`, `dep@0.2.0`, `dep:0.2`): what cargo
/// applies to it. The exact name first, as the model reads that one whatever the others.
fn spec_for(layers: &Layers, chain: &[String], package: &PackageId) -> Option<String> {
    let specs = all_specs(layers, chain);
    specs.iter().find(|s| **s == package.name).or_else(|| specs.iter().find(|s| package.matches(s))).cloned()
}

/// The spec a user evidently meant for `package`: no match, but the same name with `-` and `_`
/// swapped, which cargo does not treat as the same.
fn meant_spec(layers: &Layers, chain: &[String], package: &str) -> Option<String> {
    let normal = package.replace('-', "_");
    all_specs(layers, chain).into_iter().find(|spec| {
        let name = spec.split(['@', ':']).next().unwrap_or_default();
        name != package && name.replace('-', "_") == normal
    })
}

/// Every package spec that sets a key in a profile of `chain`.
fn all_specs(layers: &Layers, chain: &[String]) -> Vec<String> {
    let mut specs: Vec<String> = Vec::new();
    for link in chain {
        for key in Key::ALL {
            for spec in layers.specs(link, key) {
                if !specs.contains(&spec) {
                    specs.push(spec);
                }
            }
        }
    }
    specs
}

/// Whether rustc's command line holds `flags`, in order and together, as cargo appends them.
fn contains_in_order(args: &str, flags: &[String]) -> bool {
    let tokens: Vec<&str> = tokens(args).collect();
    flags.is_empty() || tokens.windows(flags.len()).any(|w| w == flags)
}

/// The words of a command line as `cargo -v` prints it, without its quotes.
fn tokens(args: &str) -> impl Iterator<Item = &str> {
    args.split_whitespace().map(|t| t.trim_matches(['`', '\'', '"']))
}

const UNKNOWN: &str = "unknown: compare `cargo presets explain` with the rustc command line (`cargo check -v`)";

fn cause(option: &str, actual: &str, used: &[FlagsSource], meant: Option<&str>, package: &str) -> String {
    let flag = format!("{option}={actual}");
    let passes = |s: &&FlagsSource| codegen_flags(&s.flags.join(" ")).iter().any(|f| f.ends_with(&flag));
    if let Some(source) = used.iter().rev().find(passes) {
        return format!("{} passes `-C {flag}`, which rustc applies after the profile's settings", source.describe());
    }
    if let Some(spec) = meant {
        return format!(
            "package spec `{spec}` does not match package `{package}`: cargo does not treat `-` and `_` as the same"
        );
    }
    UNKNOWN.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::effective::Layer;

    fn layers(manifest: &str) -> Layers {
        Layers { files: vec![Layer::manifest("Cargo.toml".into(), manifest.into())], env: Vec::new() }
    }

    fn id(name: &str, version: &str) -> PackageId {
        PackageId { name: name.into(), version: version.into(), source: format!("path+file:///w/{name}") }
    }

    fn unit(package: &str, member: bool, args: &str) -> Compiled {
        Compiled { package: id(package, "0.1.0"), member, local: true, role: Role::Target, args: args.into() }
    }

    #[test]
    fn last_option_wins_as_in_rustc() {
        assert_eq!(last_option("rustc -C opt-level=1 -Copt-level=3 --cfg x", "opt-level").as_deref(), Some("3"));
        assert_eq!(
            last_option("rustc -C debuginfo=line-tables-only", "debuginfo").as_deref(),
            Some("line-tables-only")
        );
        assert_eq!(last_option("rustc --crate-name a", "opt-level"), None);
    }

    #[test]
    fn package_ids_and_specs_match_as_in_cargo() {
        let dep = PackageId::parse("path+file:///w/dep#0.2.0").unwrap();
        assert_eq!(dep, PackageId { name: "dep".into(), version: "0.2.0".into(), source: "path+file:///w/dep".into() });
        let renamed = PackageId::parse("path+file:///w/vendor#dep-x@1.0.0-rc.1").unwrap();
        assert_eq!((renamed.name.as_str(), renamed.version.as_str()), ("dep-x", "1.0.0-rc.1"));
        // Measured with cargo 1.95: each of these applies to dep 0.2.0 …
        for spec in [
            "dep",
            "dep@0.2.0",
            "dep:0.2.0",
            "dep@0.2",
            "dep:0.2",
            "dep@0",
            "path+file:///w/dep#0.2.0",
            "path+file:///w/dep#dep@0.2.0",
            "path+file:///w/dep",
        ] {
            assert!(dep.matches(spec), "{spec}");
        }
        // … and these do not (cargo warns that the version or URL matches nothing).
        for spec in ["dep@0.3.0", "dep:0.3.0", "dep@0.2.0-alpha", "dep@0.20", "https://example.com/dep#0.2.0", "dep_x"]
        {
            assert!(!dep.matches(spec), "{spec}");
        }
        assert!(renamed.matches("dep-x@1.0.0-rc.1") && !renamed.matches("dep-x@1.0"));
    }

    #[test]
    fn a_versioned_spec_applies_to_the_package_it_names() {
        let l = layers(
            "[profile.dev.package.\"dep@0.1.0\"]\nopt-level = 3\n[profile.dev.package.\"other@0.2\"]\nopt-level = 1\n",
        );
        let found = compare(&l, "dev", &[unit("dep", false, "-C opt-level=3 -C debuginfo=2")], None).unwrap();
        assert_eq!(found, []);
        let l = layers("[profile.dev.package.\"dep@0.2.0\"]\nopt-level = 3\n");
        let found = compare(&l, "dev", &[unit("dep", false, "-C debuginfo=2")], None).unwrap();
        assert_eq!(found, [], "another version: cargo ignores the spec");
    }

    #[test]
    fn matching_flags_pass_and_rustflags_are_named_as_the_cause() {
        let l = layers("[profile.dev]\nopt-level = 1\n[profile.dev.package.\"*\"]\nopt-level = 2\n");
        let units =
            [unit("app", true, "-C opt-level=1 -C debuginfo=2"), unit("dep", false, "-C opt-level=2 -C debuginfo=2")];
        assert_eq!(compare(&l, "dev", &units, None).unwrap(), []);

        let overridden = [unit("app", true, "-C opt-level=1 -C debuginfo=2 -C opt-level=3")];
        let found = compare(&l, "dev", &overridden, Some(&env_flags(&["-C", "opt-level=3"]))).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].expected.as_str(), found[0].actual.as_str()), ("1", "3"));
        assert!(found[0].cause.starts_with("the environment variable `RUSTFLAGS` passes `-C opt-level=3`"));
    }

    fn env_flags(flags: &[&str]) -> Rustflags {
        let flags = flags.iter().map(|f| (*f).to_owned()).collect();
        let source = FlagsSource { source: "RUSTFLAGS".into(), file: None, table: None, flags, added: Vec::new() };
        Rustflags { level: crate::effective::Level::Env, used: vec![source], ignored: Vec::new() }
    }

    #[test]
    fn units_built_for_the_target_must_get_the_rustflags_cargo_uses_in_order() {
        let l = layers("");
        let flags = env_flags(&["-C", "target-cpu=native", "--cfg", "x"]);
        let got = unit("app", true, "rustc --crate-name app -C debuginfo=2 -C target-cpu=native --cfg x`");
        assert_eq!(compare(&l, "dev", &[got], Some(&flags)).unwrap(), []);
        let mut build_script = unit("app", true, "rustc --crate-name build_script_build -C debuginfo=0");
        build_script.role = Role::HostOnly;
        assert_eq!(compare(&l, "dev", &[build_script.clone()], Some(&flags)).unwrap().len(), 1, "all units get them");
        // With a named target, cargo keeps the profile's debug info in host units too.
        build_script.args = "rustc --crate-name build_script_build -C debuginfo=2".into();
        let config = Layer::config("c.toml".into(), "[build]\ntarget = \"x\"\n".into());
        let targeted = Layers { files: vec![config], env: Vec::new() };
        assert_eq!(
            compare(&targeted, "dev", &[build_script], Some(&flags)).unwrap(),
            [],
            "only --target units get them"
        );
        for args in [
            "rustc --crate-name app",
            "rustc -C target-cpu=native --cfg y --cfg x",
            "rustc --cfg x -C target-cpu=native",
        ] {
            let args = format!("{args} -C debuginfo=2");
            let found = compare(&l, "dev", &[unit("app", true, &args)], Some(&flags)).unwrap();
            assert_eq!(found.len(), 1, "{args}");
            assert_eq!((found[0].key, found[0].expected.as_str()), (Key::Rustflags, "-C target-cpu=native --cfg x"));
            assert_eq!(found[0].source, "the environment variable `RUSTFLAGS`");
        }
    }

    #[test]
    fn a_spec_with_the_wrong_separator_is_the_cause() {
        let l = layers("[profile.dev.package.dep_x]\nopt-level = 3\n");
        let found = compare(&l, "dev", &[unit("dep-x", false, "-C debuginfo=2")], None).unwrap();
        assert_eq!(found.len(), 1);
        assert!(found[0].cause.contains("package spec `dep_x` does not match package `dep-x`"), "{}", found[0].cause);
    }
}
