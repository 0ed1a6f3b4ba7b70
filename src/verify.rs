//! `verify`: what rustc really received, against what the profile says.
//!
//! Pure: takes the units cargo compiled (crate, package, member or not, the rustc arguments) and
//! the layers `explain` reads, and returns the mismatches with their cause. Compared per unit:
//! `opt-level`, `debug`, `codegen-units`, `strip` where set, `incremental`, and `panic` outside
//! tests. rustc applies the last occurrence of an option, and cargo appends the rustflags it
//! takes from the environment or a config file after the profile's settings
//! (`cargo-config.md` R4.4), so a key those rustflags set is expected at their value: that is a
//! note (the profile does not decide it), not a mismatch. The causes found for a mismatch are
//! rustflags and variables cargo reads that the model does not, and package specs that do not
//! match the package a user meant. Host units (build scripts, proc-macros and what they depend
//! on) are compared against cargo's rules for them: `build-override` and host defaults below the
//! package overrides.

use std::collections::BTreeMap;

use crate::cargo::config;
use crate::cargo::effective::UnitRustflags;
use crate::cargo::effective::{Effective, FlagsSource, Layers, Role, Unit, env_name};
use crate::cargo::inherit::ChainError;
use crate::cargo::schema::{Key, Value};

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

#[derive(Debug, PartialEq, Eq, serde::Serialize)]
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

/// A key the rustflags cargo uses set, so that the profile does not decide it: rustc got the
/// rustflags' value in `units` units.
#[derive(Debug, PartialEq, Eq, serde::Serialize)]
pub struct Note {
    pub key: Key,
    pub value: String,
    /// `RUSTFLAGS`, `.cargo/config.toml:3`.
    pub source: String,
    /// The source as reports name it (`` the environment variable `RUSTFLAGS` ``).
    #[serde(skip)]
    pub described: String,
    pub units: usize,
}

/// What `verify` found: a mismatch fails it, a note does not.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub mismatches: Vec<Mismatch>,
    pub notes: Vec<Note>,
}

/// The profile keys rustc sees as `-C` options, and the value rustc takes when the line has
/// none; `None` for a key not compared (whose effect depends on others, as `debug-assertions`
/// follows `opt-level`), which is only noted when rustflags set it.
const OPTIONS: [(Key, &str, Option<&str>); 11] = [
    (Key::OptLevel, "opt-level", Some("0")),
    (Key::Debug, "debuginfo", Some("0")),
    (Key::CodegenUnits, "codegen-units", Some("")),
    (Key::Strip, "strip", Some("none")),
    (Key::Panic, "panic", Some("unwind")),
    (Key::Incremental, "incremental", Some("false")),
    (Key::DebugAssertions, "debug-assertions", None),
    (Key::OverflowChecks, "overflow-checks", None),
    (Key::Lto, "lto", None),
    (Key::SplitDebuginfo, "split-debuginfo", None),
    (Key::Rpath, "rpath", None),
];

/// Whether `verify` reads a variable: those by which cargo changes what rustc gets for the
/// compared keys. The model reads some (`CARGO_PROFILE_*`, `RUSTFLAGS`); all are named as the
/// cause of a mismatch they explain.
pub fn reads_variable(name: &str) -> bool {
    name.starts_with("CARGO_PROFILE_")
        || (name.starts_with("CARGO_TARGET_") && name.ends_with("_RUSTFLAGS"))
        || [
            "CARGO_INCREMENTAL",
            "CARGO_BUILD_INCREMENTAL",
            "RUSTFLAGS",
            "CARGO_ENCODED_RUSTFLAGS",
            "CARGO_BUILD_RUSTFLAGS",
        ]
        .contains(&name)
}

/// Compares every unit with the profile and with the rustflags cargo takes from the environment
/// or a config file, where `rustflags` is known: the model says which kinds of unit get them
/// (where the build names its target, only the units built for it, not build scripts,
/// proc-macros and what they use). `env` holds the variables [`reads_variable`] accepts.
pub fn compare(
    layers: &Layers,
    profile: &str,
    units: &[Compiled],
    rustflags: Option<&UnitRustflags>,
    env: &[(String, String)],
) -> Result<Report, ChainError> {
    let mut mismatches = Vec::new();
    let mut noted: BTreeMap<(usize, String, String), (String, usize)> = BTreeMap::new();
    let host_units_get_them = rustflags.is_none_or(|r| r.host_units_get_them);
    let rustflags = rustflags.map(|r| &r.flags);
    let used = rustflags.map_or(&[][..], |r| &r.used[..]);
    let chain = layers.chain(profile)?;
    for unit in units {
        let line = words(&unit.args);
        // A proc-macro is a host unit for its flags even where it is checked as a member (its
        // profile values are then the target's).
        let host_unit = unit.role != Role::Target || unit.args.contains("--crate-type proc-macro");
        let gets_rustflags = host_units_get_them || !host_unit;
        if gets_rustflags
            && let Some(rustflags) = rustflags
            && !rustflags.used.is_empty()
            && !contains_in_order(&line, &rustflags.flags())
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
        let spec = spec_for(layers, &chain, &unit.package);
        let meant = if spec.is_none() { meant_spec(layers, &chain, &unit.package.name) } else { None };
        let spec = spec.or(meant.clone()).unwrap_or_else(|| unit.package.name.clone());
        let set_by_rustflags = if gets_rustflags { codegen_settings(used) } else { BTreeMap::new() };
        for (index, (key, option, rustc_default)) in OPTIONS.into_iter().enumerate() {
            let from_rustflags = set_by_rustflags.get(option).map(|(value, source)| (rustc_value(key, value), *source));
            let mut note = || {
                if let Some((value, source)) = &from_rustflags {
                    let entry =
                        noted.entry((index, value.clone(), source.source.clone())).or_insert((source.describe(), 0));
                    entry.1 += 1;
                }
            };
            let Some(rustc_default) = rustc_default else {
                note();
                continue;
            };
            if key == Key::Panic && (profile == "test" || profile == "bench") {
                continue; // tests and benches always unwind
            }
            let asked = Unit { package: &spec, member: unit.member, local: unit.local, role: unit.role };
            let effective = layers.effective(profile, key, Some(&asked))?;
            let expected = match &from_rustflags {
                Some((value, _)) => value.clone(),
                None => match expected_value(&effective) {
                    Some(expected) => expected,
                    None => continue,
                },
            };
            let actual =
                last_option(&unit.args, option).map_or_else(|| rustc_default.to_owned(), |v| rustc_value(key, &v));
            if actual == expected {
                note();
                continue;
            }
            let source = match (&from_rustflags, &effective.from, effective.rule) {
                (Some((_, flags)), _, _) => flags.describe(),
                (None, Some(from), _) => from.source.clone(),
                (None, None, Some(rule)) => rule.to_owned(),
                (None, None, None) => format!("the default of profile `{profile}`"),
            };
            let cause = Cause { key, option, actual: &actual, used, env, chain: &chain, expected_from: &source }
                .find()
                .or_else(|| meant.as_ref().map(|spec| spec_cause(spec, &unit.package.name)))
                .unwrap_or_else(|| UNKNOWN.to_owned());
            mismatches.push(Mismatch { package: unit.package.name.clone(), key, expected, actual, source, cause });
        }
    }
    let notes = noted
        .into_iter()
        .map(|((index, value, source), (described, units))| Note {
            key: OPTIONS[index].0,
            value,
            source,
            described,
            units,
        })
        .collect();
    Ok(Report { mismatches, notes })
}

/// The value as compared: rustc's for most keys; for `incremental`, whether rustc got a
/// directory for it at all (`-C incremental=<dir>`), as the profile's `true` or `false`.
fn rustc_value(key: Key, value: &str) -> String {
    match key {
        Key::Incremental => "true".to_owned(),
        _ => value.to_owned(),
    }
}

/// The `-C` options among [`OPTIONS`] that the rustflags cargo uses set, each with its last
/// value and the source that sets it last.
fn codegen_settings(used: &[FlagsSource]) -> BTreeMap<&'static str, (String, &FlagsSource)> {
    let mut settings = BTreeMap::new();
    for source in used {
        for (_, option, _) in OPTIONS {
            if let Some(value) = last_setting(&source.flags, option) {
                settings.insert(option, (value, source));
            }
        }
    }
    settings
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
    last_setting(&words(args), option)
}

/// The last value `flags` give `-C <option>`, as rustc takes it (a bare `-Cdebug-assertions` is
/// `yes`), read by the one parser of flags, [`config::units`].
fn last_setting(flags: &[String], option: &str) -> Option<String> {
    let wanted = format!("-C {option}");
    let flags = config::units(flags).unwrap_or_default();
    flags.into_iter().rfind(|f| f.option == wanted).map(|f| f.value.unwrap_or_else(|| "yes".to_owned()))
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
fn contains_in_order(line: &[String], flags: &[String]) -> bool {
    flags.is_empty() || line.windows(flags.len()).any(|w| w == flags)
}

/// The words of a command line as `cargo -v` prints it, without its quotes.
fn words(args: &str) -> Vec<String> {
    args.split_whitespace().map(|t| t.trim_matches(['`', '\'', '"']).to_owned()).collect()
}

const UNKNOWN: &str = "unknown: compare `cargo presets explain` with the rustc command line (`cargo check -v`)";

/// What is known when looking for the cause of a mismatch.
struct Cause<'a> {
    key: Key,
    option: &'a str,
    actual: &'a str,
    /// The rustflags the model says cargo uses.
    used: &'a [FlagsSource],
    env: &'a [(String, String)],
    chain: &'a [String],
    /// Where the expected value comes from: a variable that is its source is no cause.
    expected_from: &'a str,
}

impl Cause<'_> {
    /// Rustflags that pass the value rustc got, then a variable cargo reads for the key.
    fn find(&self) -> Option<String> {
        let passes = |flags: &[String]| {
            last_setting(flags, self.option).is_some_and(|value| rustc_value(self.key, &value) == self.actual)
        };
        if let Some(source) = self.used.iter().rev().find(|s| passes(&s.flags)) {
            return Some(format!(
                "{} passes `-C {}={}`, which rustc applies after the profile's settings",
                source.describe(),
                self.option,
                self.actual
            ));
        }
        let (name, value) = self.env.iter().find(|(name, _)| self.variable_sets_key(name))?;
        Some(format!("the environment variable `{name}={value}` sets `{}`, which cargo reads over the files", self.key))
    }

    /// `CARGO_PROFILE_<P>_[BUILD_OVERRIDE_]<KEY>` for a profile of the chain, or for
    /// `incremental` the variables that decide it for every profile; not the variable the
    /// expected value already comes from.
    fn variable_sets_key(&self, name: &str) -> bool {
        if name == self.expected_from {
            return false;
        }
        if self.key == Key::Incremental && (name == "CARGO_INCREMENTAL" || name == "CARGO_BUILD_INCREMENTAL") {
            return true;
        }
        let key = env_name(self.key.name());
        self.chain.iter().any(|link| {
            let profile = format!("CARGO_PROFILE_{}_", env_name(link));
            name.strip_prefix(&profile)
                .is_some_and(|rest| rest == key || rest.strip_prefix("BUILD_OVERRIDE_") == Some(key.as_str()))
        })
    }
}

fn spec_cause(spec: &str, package: &str) -> String {
    format!("package spec `{spec}` does not match package `{package}`: cargo does not treat `-` and `_` as the same")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cargo::effective::{Layer, Rustflags};

    fn layers(manifest: &str) -> Layers {
        Layers {
            files: vec![Layer::manifest("Cargo.toml".into(), manifest.into())],
            env: Vec::new(),
            cargo_release: None,
        }
    }

    fn id(name: &str, version: &str) -> PackageId {
        PackageId { name: name.into(), version: version.into(), source: format!("path+file:///w/{name}") }
    }

    /// A unit of the dev profile: incremental, as cargo builds path packages there.
    fn unit(package: &str, member: bool, args: &str) -> Compiled {
        let args = format!("{args} -C incremental=/t/incremental");
        Compiled { package: id(package, "0.1.0"), member, local: true, role: Role::Target, args }
    }

    #[test]
    fn last_option_wins_as_in_rustc() {
        let line = "rustc -C opt-level=1 -Copt-level=3 --cfg x --codegen=debuginfo=1 --codegen debuginfo=2";
        assert_eq!(last_option(line, "opt-level").as_deref(), Some("3"));
        assert_eq!(last_option(line, "debuginfo").as_deref(), Some("2"));
        assert_eq!(
            last_option("rustc -C debuginfo=line-tables-only", "debuginfo").as_deref(),
            Some("line-tables-only")
        );
        assert_eq!(last_option("rustc --crate-name a", "opt-level"), None);
        assert_eq!(
            last_option("rustc -C incremental=/t -Cdebug-assertions", "debug-assertions").as_deref(),
            Some("yes")
        );
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
        let report = compare(&l, "dev", &[unit("dep", false, "-C opt-level=3 -C debuginfo=2")], None, &[]).unwrap();
        assert_eq!(report, Report::default());
        let l = layers("[profile.dev.package.\"dep@0.2.0\"]\nopt-level = 3\n");
        let report = compare(&l, "dev", &[unit("dep", false, "-C debuginfo=2")], None, &[]).unwrap();
        assert_eq!(report, Report::default(), "another version: cargo ignores the spec");
    }

    #[test]
    fn matching_flags_pass_and_a_key_rustflags_set_is_a_note() {
        let l = layers("[profile.dev]\nopt-level = 1\n[profile.dev.package.\"*\"]\nopt-level = 2\n");
        let units =
            [unit("app", true, "-C opt-level=1 -C debuginfo=2"), unit("dep", false, "-C opt-level=2 -C debuginfo=2")];
        assert_eq!(compare(&l, "dev", &units, None, &[]).unwrap(), Report::default());

        let overridden = [
            unit("app", true, "-C opt-level=1 -C debuginfo=2 -C opt-level=3"),
            unit("dep", false, "-C opt-level=2 -C debuginfo=2 -C opt-level=3"),
        ];
        let report = compare(&l, "dev", &overridden, Some(&env_flags(&["-C", "opt-level=3"])), &[]).unwrap();
        assert_eq!(report.mismatches, []);
        assert_eq!(
            report.notes,
            [Note {
                key: Key::OptLevel,
                value: "3".into(),
                source: "RUSTFLAGS".into(),
                described: "the environment variable `RUSTFLAGS`".into(),
                units: 2
            }]
        );
        // The model says RUSTFLAGS sets it but rustc got the profile's: that is a mismatch.
        let found = compare(&l, "dev", &units, Some(&env_flags(&["-Copt-level=3"])), &[]).unwrap().mismatches;
        assert_eq!(found.len(), 2 + 2, "{found:#?}"); // the rustflags are missing too
        let opt = found.iter().find(|m| m.key == Key::OptLevel).unwrap();
        assert_eq!((opt.expected.as_str(), opt.actual.as_str()), ("3", "1"));
        assert_eq!(opt.source, "the environment variable `RUSTFLAGS`");
    }

    fn env_flags(flags: &[&str]) -> UnitRustflags {
        let flags = flags.iter().map(|f| (*f).to_owned()).collect();
        let source = FlagsSource { source: "RUSTFLAGS".into(), file: None, table: None, flags, added: Vec::new() };
        let flags = Rustflags { level: crate::cargo::effective::Level::Env, used: vec![source], ignored: Vec::new() };
        UnitRustflags { target: "x86_64-unknown-linux-gnu".into(), flags, host_units_get_them: true }
    }

    fn env(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn config_variables_reach_the_expectation_through_the_model() {
        // `CARGO_BUILD_RUSTFLAGS` is `[build].rustflags` to cargo: the model reads it, so the
        // unit it sets `opt-level` for passes, with the variable named as the source.
        let mut l = layers("[profile.dev]\nopt-level = 1\n");
        l.env = env(&[("CARGO_BUILD_RUSTFLAGS", "--cfg x  -Copt-level=3")]);
        let flags = l.rustflags(&crate::cargo::machine::tests::linux("1.95.0"));
        let rustflags = UnitRustflags { target: "x86_64-unknown-linux-gnu".into(), flags, host_units_get_them: true };
        let got = [unit("app", true, "-C opt-level=1 -C debuginfo=2 --cfg x -Copt-level=3")];
        let report = compare(&l, "dev", &got, Some(&rustflags), &l.env).unwrap();
        assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
        assert_eq!(report.notes.len(), 1);
        assert_eq!((report.notes[0].key, report.notes[0].source.as_str()), (Key::OptLevel, "CARGO_BUILD_RUSTFLAGS"));
    }

    #[test]
    fn variables_that_set_a_key_are_named_as_the_cause() {
        let l = layers("[profile.dev]\nopt-level = 1\n");
        let got = [unit("app", true, "-C opt-level=1 -C debuginfo=2 -Copt-level=3")];
        let not_incremental = [Compiled { args: "-C opt-level=1 -C debuginfo=2".into(), ..got[0].clone() }];
        for name in ["CARGO_BUILD_INCREMENTAL", "CARGO_INCREMENTAL"] {
            let value = if name == "CARGO_INCREMENTAL" { "2" } else { "false" };
            let found = compare(&l, "dev", &not_incremental, None, &env(&[(name, value)])).unwrap().mismatches;
            assert_eq!(found.len(), 1, "{name}");
            assert_eq!(
                (found[0].key, found[0].expected.as_str(), found[0].actual.as_str()),
                (Key::Incremental, "true", "false")
            );
            assert_eq!(
                found[0].cause,
                format!(
                    "the environment variable `{name}={value}` sets `incremental`, which cargo reads over the files"
                )
            );
        }
        let found = compare(
            &l,
            "dev",
            &[unit("app", true, "-C opt-level=2 -C debuginfo=2")],
            None,
            &env(&[("CARGO_PROFILE_DEV_OPT_LEVEL", "2")]),
        )
        .unwrap()
        .mismatches;
        assert_eq!(
            found[0].cause,
            "the environment variable `CARGO_PROFILE_DEV_OPT_LEVEL=2` sets `opt-level`, which cargo reads over the files"
        );
    }

    #[test]
    fn units_built_for_the_target_must_get_the_rustflags_cargo_uses_in_order() {
        let l = layers("");
        let flags = env_flags(&["-C", "target-cpu=native", "--cfg", "x"]);
        let got = unit("app", true, "rustc --crate-name app -C debuginfo=2 -C target-cpu=native --cfg x`");
        assert_eq!(compare(&l, "dev", &[got], Some(&flags), &[]).unwrap(), Report::default());
        let mut build_script = unit("app", true, "rustc --crate-name build_script_build -C debuginfo=0");
        build_script.role = Role::HostOnly;
        let found = compare(&l, "dev", &[build_script.clone()], Some(&flags), &[]).unwrap();
        assert_eq!(found.mismatches.len(), 1, "all units get them");
        // With a named target, cargo keeps the profile's debug info in host units too.
        build_script.args = "rustc --crate-name build_script_build -C debuginfo=2 -C incremental=/t".into();
        let config = Layer::config("c.toml".into(), "[build]\ntarget = \"x\"\n".into());
        let targeted = Layers { files: vec![config], env: Vec::new(), cargo_release: None };
        let for_target =
            UnitRustflags { host_units_get_them: false, ..env_flags(&["-C", "target-cpu=native", "--cfg", "x"]) };
        assert_eq!(
            compare(&targeted, "dev", &[build_script], Some(&for_target), &[]).unwrap(),
            Report::default(),
            "only units built for the target get them"
        );
        // A member proc-macro, checked: built for the host, so it gets none either.
        let checked_macro = unit("mac", true, "rustc --crate-name mac --crate-type proc-macro -C debuginfo=2");
        assert_eq!(
            compare(&targeted, "dev", std::slice::from_ref(&checked_macro), Some(&for_target), &[]).unwrap(),
            Report::default()
        );
        assert_eq!(compare(&l, "dev", &[checked_macro], Some(&flags), &[]).unwrap().mismatches.len(), 1);
        for args in [
            "rustc --crate-name app",
            "rustc -C target-cpu=native --cfg y --cfg x",
            "rustc --cfg x -C target-cpu=native",
        ] {
            let args = format!("{args} -C debuginfo=2");
            let found = compare(&l, "dev", &[unit("app", true, &args)], Some(&flags), &[]).unwrap().mismatches;
            assert_eq!(found.len(), 1, "{args}");
            assert_eq!((found[0].key, found[0].expected.as_str()), (Key::Rustflags, "-C target-cpu=native --cfg x"));
            assert_eq!(found[0].source, "the environment variable `RUSTFLAGS`");
        }
    }

    #[test]
    fn a_spec_with_the_wrong_separator_is_the_cause() {
        let l = layers("[profile.dev.package.dep_x]\nopt-level = 3\n");
        let found = compare(&l, "dev", &[unit("dep-x", false, "-C debuginfo=2")], None, &[]).unwrap().mismatches;
        assert_eq!(found.len(), 1);
        assert!(found[0].cause.contains("package spec `dep_x` does not match package `dep-x`"), "{}", found[0].cause);
    }
}
