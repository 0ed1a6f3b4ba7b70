//! `explain --package NAME --format json` against the flags real cargo passes to rustc, for every
//! unit of a generated workspace: random profiles (custom ones inheriting), package overrides,
//! `"*"` and `build-override`, a config file with an `include`d one, `build.incremental`, and
//! `CARGO_PROFILE_*` / `CARGO_INCREMENTAL` / `CARGO_BUILD_INCREMENTAL` variables.
//!
//! And rustflags: `[build]`, the host's `[target.<triple>]` and `cfg(unix)`, `cfg(target_os =
//! "linux")`, `cfg(windows)` and `cfg(rf_ws_build0)` (which a `--cfg` in `[build]` switches on)
//! tables, as strings or arrays, in the workspace's config file and
//! in `$CARGO_HOME/config.toml`, with `RUSTFLAGS`, `CARGO_BUILD_RUSTFLAGS` and
//! `CARGO_TARGET_<HOST>_RUSTFLAGS`. Every flag is a `--cfg rf_…` named after where it is set, so
//! the ones at the end of each rustc line are easy to pick out. Where cargo refuses the setup (a
//! string meeting an array), `check` must report an error. Some setups name the host's own triple
//! as the build's target (`build.target` or `CARGO_BUILD_TARGET`): cargo then gives the build
//! script, the proc-macro and what they use no rustflags, and builds them apart from the units
//! built for the target.
//!
//! The workspace has every kind of unit cargo treats differently: the root package `app` (a
//! binary with a build script), a member by glob (`crates/lib1`) and one by path dependency
//! (`pathmember`), and outside the root a proc-macro `pm`, `shared` (used by `pm` and by `lib1`,
//! so built for the host and the target), `bdep` (used only by the build script) and `dep`. All
//! are path packages, so no registry is needed.
//!
//! `EXPLAIN_VS_CARGO_CASES=N` runs N setups (40 by default; the README records a longer run).

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::Rng;
use serde_json::Value;

const SETTINGS: &[(&str, &[&str])] = &[
    ("opt-level", &["0", "1", "2", "3", "\"s\"", "\"z\""]),
    ("debug", &["true", "false", "0", "1", "2", "\"line-tables-only\"", "\"limited\"", "\"full\"", "\"none\""]),
    ("debug-assertions", &["true", "false"]),
    ("overflow-checks", &["true", "false"]),
    ("codegen-units", &["1", "4", "16"]),
    ("strip", &["true", "false", "\"none\"", "\"debuginfo\"", "\"symbols\""]),
    ("incremental", &["true", "false"]),
    ("split-debuginfo", &["\"off\"", "\"packed\"", "\"unpacked\""]),
    // Whole-program keys: profiles only.
    ("panic", &["\"abort\"", "\"unwind\""]),
    ("lto", &["true", "false", "\"thin\"", "\"fat\"", "\"off\""]),
    ("rpath", &["true", "false"]),
];
/// The keys an override may set: all but the last three.
const OVERRIDE_KEYS: usize = SETTINGS.len() - 3;
const SPECS: [&str; 7] = ["\"*\"", "dep", "shared", "bdep", "pm", "lib1", "app"];

fn settings(rng: &mut Rng, keys: &[(&str, &[&str])], max: u64) -> String {
    let mut out = String::new();
    let mut used = Vec::new();
    for _ in 0..rng.next() % (max + 1) {
        let (key, values) = keys[rng.below(keys.len())];
        if !used.contains(&key) {
            used.push(key);
            let _ = writeln!(out, "{key} = {}", rng.pick(values));
        }
    }
    out
}

/// A profile table with random settings, overrides and build-override.
fn profile(rng: &mut Rng, name: &str, parent: Option<&str>) -> String {
    let mut out = format!("\n[profile.{name}]\n");
    if let Some(parent) = parent {
        let _ = writeln!(out, "inherits = \"{parent}\"");
    }
    out.push_str(&settings(rng, SETTINGS, 4));
    for _ in 0..rng.next() % 3 {
        let _ = writeln!(out, "[profile.{name}.package.{}]", rng.pick(&SPECS));
        out.push_str(&settings(rng, &SETTINGS[..OVERRIDE_KEYS], 2));
    }
    if rng.chance(40) {
        let _ = writeln!(out, "[profile.{name}.build-override]");
        out.push_str(&settings(rng, &SETTINGS[..OVERRIDE_KEYS], 2));
    }
    out
}

struct Setup {
    manifest: String,
    config: String,
    included: String,
    /// `$CARGO_HOME/config.toml`.
    home_config: String,
    env: Vec<(String, String)>,
    profile: String,
}

/// A `rustflags` value naming where it is set, as a string or an array.
fn flags_value(rng: &mut Rng, name: &str) -> String {
    let flags: Vec<String> = (0..1 + rng.below(2)).map(|i| format!("rf_{name}{i}")).collect();
    if rng.chance(50) {
        format!("\"{}\"", flags.iter().map(|f| format!("--cfg {f}")).collect::<Vec<_>>().join(" "))
    } else {
        format!("[{}]", flags.iter().map(|f| format!("\"--cfg\", \"{f}\"")).collect::<Vec<_>>().join(", "))
    }
}

/// Rustflags for one config file: the `[build]` line, and target tables.
fn config_rustflags(rng: &mut Rng, place: &str, host: &str) -> (String, String) {
    let build = if rng.chance(40) {
        format!("rustflags = {}\n", flags_value(rng, &format!("{place}_build")))
    } else {
        String::new()
    };
    let mut targets = String::new();
    // The last matches only through a `--cfg` in the workspace's `[build]` rustflags.
    let tables = [
        (host, "triple"),
        ("'cfg(unix)'", "unix"),
        ("'cfg(target_os = \"linux\")'", "linux"),
        ("'cfg(windows)'", "windows"),
        ("'cfg(rf_ws_build0)'", "via_build"),
    ];
    for (table, name) in tables {
        if rng.chance(25) {
            let _ = writeln!(targets, "[target.{table}]\nrustflags = {}", flags_value(rng, &format!("{place}_{name}")));
        }
    }
    (build, targets)
}

fn setup(rng: &mut Rng, flags_rng: &mut Rng, target_rng: &mut Rng, host: &str) -> Setup {
    let root = rng.pick(&["dev", "release"]);
    let custom = rng.chance(50);
    let mut manifest = profile(rng, root, None);
    if custom {
        manifest.push_str(&profile(rng, "ci", Some(root)));
    }
    let selected = if custom { "ci" } else { root };
    let mut config = String::new();
    let mut included = String::new();
    if rng.chance(50) {
        config.push_str("include = [\"profiles.toml\"]\n");
        included.push_str(&profile(rng, selected, None));
    }
    let mut build = String::new();
    if rng.chance(20) {
        let _ = writeln!(build, "incremental = {}", rng.pick(&["true", "false"]));
    }
    // Rustflags draw from their own generator, so the profile cases stay what they were; the
    // build's target from a third.
    let (ws_build, ws_targets) = config_rustflags(flags_rng, "ws", host);
    build.push_str(&ws_build);
    let mut env = Vec::new();
    if target_rng.chance(30) {
        match target_rng.chance(50) {
            true => writeln!(build, "target = \"{host}\"").unwrap(),
            false => env.push(("CARGO_BUILD_TARGET".to_owned(), host.to_owned())),
        }
    }
    if !build.is_empty() {
        let _ = writeln!(config, "[build]\n{build}");
    }
    config.push_str(&ws_targets);
    if rng.chance(50) {
        config.push_str(&profile(rng, selected, None));
    }
    let (home_build, home_targets) = config_rustflags(flags_rng, "home", host);
    let mut home_config = home_targets;
    if !home_build.is_empty() {
        home_config = format!("[build]\n{home_build}\n{home_config}");
    }
    if rng.chance(30) {
        let key = rng.pick(&["OPT_LEVEL", "DEBUG", "CODEGEN_UNITS", "DEBUG_ASSERTIONS", "STRIP", "INCREMENTAL"]);
        let value = match key {
            "OPT_LEVEL" => rng.pick(&["1", "3", "s"]),
            "CODEGEN_UNITS" => rng.pick(&["2", "8"]),
            "STRIP" => rng.pick(&["none", "symbols", "debuginfo"]),
            _ => rng.pick(&["true", "false"]),
        };
        env.push((format!("CARGO_PROFILE_{}_{key}", selected.to_uppercase()), value.to_owned()));
    }
    if rng.chance(10) {
        env.push(("CARGO_INCREMENTAL".to_owned(), rng.pick(&["0", "1"]).to_owned()));
    }
    if flags_rng.chance(10) {
        env.push(("CARGO_BUILD_INCREMENTAL".to_owned(), flags_rng.pick(&["true", "false"]).to_owned()));
    }
    let triple_variable = format!("CARGO_TARGET_{}_RUSTFLAGS", host.to_uppercase().replace(['-', '.'], "_"));
    for (variable, percent, name) in
        [("RUSTFLAGS", 8, "env"), ("CARGO_BUILD_RUSTFLAGS", 25, "build_env"), (&triple_variable, 20, "triple_env")]
    {
        if flags_rng.chance(percent) {
            // Cargo splits the config variables on any whitespace, `RUSTFLAGS` on the space alone.
            let gap = if variable == "RUSTFLAGS" { "  " } else { "\t" };
            env.push((variable.to_owned(), format!(" --cfg rf_{name}0{gap}--cfg  rf_{name}1")));
        }
    }
    Setup { manifest, config, included, home_config, env, profile: selected.to_owned() }
}

fn package(name: &str, kind: &str, deps: &[&str], build_deps: &[&str]) -> String {
    let mut text =
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{kind}\n[dependencies]\n");
    for dep in deps {
        let _ = writeln!(text, "{} = {{ path = \"{}\" }}", dep.rsplit('/').next().unwrap(), dep);
    }
    if !build_deps.is_empty() {
        text.push_str("[build-dependencies]\n");
        for dep in build_deps {
            let _ = writeln!(text, "{} = {{ path = \"{}\" }}", dep.rsplit('/').next().unwrap(), dep);
        }
    }
    text
}

/// The packages, shared by every case (outside the root, so not members).
fn external(base: &Path) {
    let files = [
        ("ext/shared/Cargo.toml", package("shared", "", &[], &[])),
        ("ext/shared/src/lib.rs", "pub fn s() -> u32 { 1 }\n".into()),
        ("ext/pm/Cargo.toml", package("pm", "[lib]\nproc-macro = true\n", &["../shared"], &[])),
        (
            "ext/pm/src/lib.rs",
            "extern crate proc_macro;\nuse proc_macro::TokenStream;\n#[proc_macro]\npub fn m(_: TokenStream) -> TokenStream { let _ = shared::s(); TokenStream::new() }\n".into(),
        ),
        ("ext/bdep/Cargo.toml", package("bdep", "", &[], &[])),
        ("ext/bdep/src/lib.rs", "pub fn b() {}\n".into()),
        ("ext/dep/Cargo.toml", package("dep", "", &[], &[])),
        ("ext/dep/src/lib.rs", "pub fn d() {}\n".into()),
    ];
    write(base, &files);
}

/// Writes each (path, text) below `dir`.
fn write(dir: &Path, files: &[(&str, String)]) {
    for (path, text) in files {
        fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
        fs::write(dir.join(path), text).unwrap();
    }
}

fn workspace(ws: &Path, setup: &Setup) {
    let root = format!(
        "{}[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n{}",
        package("app", "", &["crates/lib1", "pathmember", "../ext/pm", "../ext/dep"], &["../ext/bdep"]),
        setup.manifest
    );
    let files = [
        ("Cargo.toml", root),
        ("build.rs", "fn main() { bdep::b() }\n".into()),
        ("src/main.rs", "pm::m!();\nfn main() { lib1::l(); pathmember::p(); dep::d(); }\n".into()),
        ("crates/lib1/Cargo.toml", package("lib1", "", &["../../../ext/shared"], &[])),
        ("crates/lib1/src/lib.rs", "pub fn l() { let _ = shared::s(); }\n".into()),
        ("pathmember/Cargo.toml", package("pathmember", "", &[], &[])),
        ("pathmember/src/lib.rs", "pub fn p() {}\n".into()),
    ];
    write(ws, &files);
    if !setup.home_config.is_empty() {
        write(&home(ws), &[("config.toml", setup.home_config.clone())]);
    }
    if !setup.config.is_empty() || !setup.included.is_empty() {
        fs::create_dir_all(ws.join(".cargo")).unwrap();
        fs::write(ws.join(".cargo/config.toml"), &setup.config).unwrap();
        fs::write(ws.join(".cargo/profiles.toml"), &setup.included).unwrap();
    }
}

/// A case's `$CARGO_HOME`, beside its workspace.
fn home(ws: &Path) -> std::path::PathBuf {
    ws.with_extension("home")
}

/// The rustflags this test sets, as they end a rustc line (`--cfg rf_…`).
fn test_flags<'a>(tokens: impl Iterator<Item = &'a str>) -> String {
    let tokens: Vec<&str> = tokens.map(|t| t.trim_matches(['`', '\''])).collect();
    let flags = tokens.windows(2).filter(|w| w[0] == "--cfg" && w[1].starts_with("rf_"));
    flags.map(|w| format!("--cfg {}", w[1])).collect::<Vec<_>>().join(" ")
}

/// One rustc invocation: its crate, and the value of each flag this test compares.
struct Invocation {
    crate_name: String,
    args: String,
}

impl Invocation {
    /// The value of the last `-C name=value` (`Some("")` for a bare `-C name`).
    fn flag(&self, name: &str) -> Option<String> {
        let mut tokens = self.args.split_whitespace();
        let mut last = None;
        while let Some(token) = tokens.next() {
            if token == "-C"
                && let Some(setting) = tokens.next()
            {
                let setting = setting.trim_matches(['`', '\'']);
                match setting.split_once('=') {
                    Some((n, v)) if n == name => last = Some(v.to_owned()),
                    None if setting == name => last = Some(String::new()),
                    _ => {}
                }
            }
        }
        last
    }

    fn output(&self) -> Option<String> {
        Some(format!("lib{}{}", self.crate_name, self.flag("extra-filename")?))
    }

    fn externs(&self) -> Vec<String> {
        self.args
            .split("--extern ")
            .skip(1)
            .filter_map(|r| r.split_whitespace().next()?.rsplit('/').next()?.split('.').next().map(str::to_owned))
            .collect()
    }
}

/// Each unit's package and role (`target`, `host`, `host-shared`), from the graph of `--extern`
/// paths: what a proc-macro uses is built for the host, and a unit both the host and the target
/// side use is shared.
fn roles(units: &[Invocation]) -> Vec<(String, &'static str)> {
    let by_output: BTreeMap<String, usize> =
        units.iter().enumerate().filter_map(|(i, u)| Some((u.output()?, i))).collect();
    let deps =
        |i: usize| -> Vec<usize> { units[i].externs().iter().filter_map(|o| by_output.get(o).copied()).collect() };
    // Everything reachable from `roots`, not entering a proc-macro unless `into_pm`.
    let closure = |roots: Vec<usize>, into_pm: bool| {
        let mut seen = std::collections::BTreeSet::new();
        let mut todo = roots;
        while let Some(i) = todo.pop() {
            if seen.insert(i) {
                todo.extend(deps(i).into_iter().filter(|d| into_pm || units[*d].crate_name != "pm"));
            }
        }
        seen
    };
    let is_host_root = |u: &Invocation| ["build_script_build", "pm"].contains(&u.crate_name.as_str());
    let host = closure((0..units.len()).filter(|&i| is_host_root(&units[i])).collect(), true);
    // What target code links: a proc-macro is run, not linked.
    let target = closure((0..units.len()).filter(|i| !host.contains(i)).collect(), false);
    units
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let package = if u.crate_name == "build_script_build" { "app".to_owned() } else { u.crate_name.clone() };
            let role = match (host.contains(&i), target.contains(&i)) {
                (true, true) => "host-shared",
                (true, false) => "host",
                (false, _) => "target",
            };
            (package, role)
        })
        .collect()
}

/// What rustc gets for `key`, as a comparable string, from a unit's flags.
fn actual(unit: &Invocation, key: &str) -> String {
    let opt_zero = unit.flag("opt-level").is_none_or(|o| o == "0");
    let on_off = |v: Option<String>, default: bool| match v.as_deref() {
        Some("on" | "yes" | "y" | "") => "true".to_owned(),
        Some(_) => "false".to_owned(),
        None => default.to_string(),
    };
    match key {
        "opt-level" => unit.flag("opt-level").unwrap_or_else(|| "0".into()),
        "debug" => unit.flag("debuginfo").unwrap_or_else(|| "0".into()),
        "debug-assertions" => on_off(unit.flag("debug-assertions"), opt_zero),
        "overflow-checks" => {
            let assertions = actual(unit, "debug-assertions") == "true";
            on_off(unit.flag("overflow-checks"), assertions)
        }
        "codegen-units" => unit.flag("codegen-units").unwrap_or_else(|| "unset".into()),
        "panic" => unit.flag("panic").unwrap_or_else(|| "unwind".into()),
        "lto" => match unit.flag("lto") {
            Some(v) if v.is_empty() => "true".into(),
            Some(v) => v,
            None => "false".into(),
        },
        "strip" => unit.flag("strip").unwrap_or_else(|| "none".into()),
        "incremental" => unit.flag("incremental").is_some().to_string(),
        "rpath" => unit.flag("rpath").is_some().to_string(),
        "split-debuginfo" => unit.flag("split-debuginfo").unwrap_or_else(|| "unset".into()),
        _ => unreachable!("{key}"),
    }
}

/// What `explain` predicts for `key`, in the same terms.
fn predicted(settings: &[Value], key: &str) -> Option<String> {
    let value = |k: &str| settings.iter().find(|s| s["key"] == k).map(|s| s["value"].clone()).unwrap_or(Value::Null);
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let opt_zero = matches!(text(&value("opt-level")).as_str(), "0");
    let v = value(key);
    Some(match key {
        "debug" => match text(&v).as_str() {
            "true" | "2" | "full" => "2".into(),
            "1" | "limited" => "1".into(),
            "false" | "0" | "none" | "null" => "0".into(),
            other => other.into(),
        },
        "debug-assertions" | "overflow-checks" | "incremental" | "rpath" if v.is_null() => {
            if key == "debug-assertions" { opt_zero.to_string() } else { "false".into() }
        }
        "codegen-units" | "split-debuginfo" if v.is_null() => "unset".into(),
        "strip" => match text(&v).as_str() {
            "null" => "deferred".into(),
            "true" => "symbols".into(),
            "false" => "none".into(),
            other => other.into(),
        },
        _ => text(&v),
    })
}

/// The settings `explain` gives a package in a role.
fn unit_settings<'r>(report: &'r Value, role: &str) -> &'r [Value] {
    report["units"]
        .as_array()
        .and_then(|units| units.iter().find(|u| u["role"] == role))
        .and_then(|u| u["settings"].as_array())
        .unwrap_or_else(|| panic!("no `{role}` unit in {report}"))
}

/// The units `unit` names with `--extern`.
fn direct_deps<'u>(units: &'u [Invocation], unit: &Invocation) -> Vec<&'u Invocation> {
    let wanted = unit.externs();
    units.iter().filter(|u| u.output().is_some_and(|o| wanted.contains(&o))).collect()
}

#[test]
fn explain_predicts_every_flag_of_every_unit() {
    let cases: u64 = std::env::var("EXPLAIN_VS_CARGO_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(40);
    // Per process: a recorded run may go on beside the test suite.
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("explain-vs-cargo-{}", std::process::id()));
    let _ = fs::remove_dir_all(&base);
    external(&base);
    let version = Command::new("rustc").arg("-vV").output().unwrap();
    let version = String::from_utf8(version.stdout).unwrap();
    let host = version.lines().find_map(|l| l.strip_prefix("host: ")).unwrap().to_owned();
    // Ours runs with only what it needs: rustc (for the `cfg` values target tables match) and
    // the case's variables.
    let passed: Vec<(String, String)> = std::env::vars()
        .filter(|(k, _)| ["PATH", "HOME", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN"].contains(&k.as_str()))
        .collect();
    let ours = |ws: &Path, setup: &Setup, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
            .arg("presets")
            .args(args)
            .current_dir(ws)
            .env_clear()
            .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
            .envs(passed.iter().cloned())
            .env("CARGO_HOME", home(ws))
            .envs(setup.env.iter().cloned())
            .output()
            .unwrap()
    };
    let (mut compared, mut units_seen, mut refused, mut unmergeable, mut with_flags, mut cfg_loops, mut with_target) =
        (0, 0, 0, 0, 0, 0, 0);
    let mut misses = Vec::new();
    for seed in 1..=cases {
        let mut rng = Rng::for_case(seed);
        let mut flags_rng = Rng::for_case(seed + 1_000_000);
        let mut target_rng = Rng::for_case(seed + 2_000_000);
        let setup = setup(&mut rng, &mut flags_rng, &mut target_rng, &host);
        let names_target =
            setup.config.contains("target = ") || setup.env.iter().any(|(k, _)| k == "CARGO_BUILD_TARGET");
        with_target += usize::from(names_target);
        let ws = base.join(format!("case-{seed}"));
        workspace(&ws, &setup);
        let mut cargo = Command::new("cargo");
        for (variable, _) in std::env::vars().filter(|(k, _)| {
            k.contains("RUSTFLAGS")
                || ["CARGO_INCREMENTAL", "CARGO_BUILD_INCREMENTAL", "CARGO_BUILD_TARGET"].contains(&k.as_str())
        }) {
            cargo.env_remove(variable);
        }
        let cargo = cargo
            .args(["check", "-v", "--offline", "--profile", &setup.profile])
            .current_dir(&ws)
            .env("CARGO_TARGET_DIR", ws.join("target"))
            .env("CARGO_HOME", home(&ws))
            .envs(setup.env.iter().cloned())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&cargo.stderr).into_owned();
        if !cargo.status.success() {
            // What cargo refuses must be a `check` error (the profile rules are tested more
            // widely in tests/check_vs_cargo.rs).
            refused += 1;
            let out = ours(&ws, &setup, &["check", "--format", "json", "--deny", "error"]);
            // Either an error finding, or `check` itself stops on the file (a duplicate table).
            let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
            let stopped = String::from_utf8_lossy(&out.stderr).starts_with("error:");
            let findings = report["findings"].as_array().cloned().unwrap_or_default();
            if findings.iter().any(|f| f["code"] == "rustflags-merge") {
                unmergeable += 1;
            }
            if !stopped && !findings.iter().any(|f| f["severity"] == "error") {
                misses.push(format!(
                    "case {seed}: cargo refuses, check finds no error\n{stderr}\n{}",
                    String::from_utf8_lossy(&out.stdout)
                ));
            }
            continue;
        }
        let units: Vec<Invocation> = stderr
            .lines()
            .filter(|l| l.trim_start().starts_with("Running `") && l.contains("--crate-name "))
            .map(|l| Invocation {
                crate_name: l.split("--crate-name ").nth(1).unwrap().split_whitespace().next().unwrap().to_owned(),
                args: l.to_owned(),
            })
            .collect();
        assert!(units.len() >= 8, "case {seed}: expected every unit to be compiled\n{stderr}");
        // Where a `cfg` table may depend on the flags, cargo's warning about it is `check`'s too.
        if setup.config.contains("cfg(rf_ws_build0)") || setup.home_config.contains("cfg(rf_ws_build0)") {
            let cargo_warns = stderr.contains("non-trivial mutual dependency");
            let out = ours(&ws, &setup, &["check", "--format", "json"]);
            let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
            let findings = report["findings"].as_array().cloned().unwrap_or_default();
            let check_warns = findings.iter().any(|f| f["code"] == "rustflags-cfg-loop");
            cfg_loops += usize::from(cargo_warns);
            if cargo_warns != check_warns {
                misses.push(format!("case {seed}: cargo warns of a cfg loop: {cargo_warns}, check: {check_warns}"));
            }
        }
        let mut explained: BTreeMap<String, Value> = BTreeMap::new();
        for (unit, (package, role)) in units.iter().zip(roles(&units)) {
            units_seen += 1;
            let report = explained.entry(package.clone()).or_insert_with(|| {
                let out = ours(&ws, &setup, &["explain", &setup.profile, "--package", &package, "--format", "json"]);
                assert!(out.status.success(), "case {seed}: {}", String::from_utf8_lossy(&out.stderr));
                serde_json::from_slice(&out.stdout).unwrap()
            });
            // Every unit gets the same rustflags, host units too, unless the build names a target:
            // then explain says what host units get.
            let rustflags = &report["rustflags"];
            let for_unit = match &rustflags["host_units"] {
                Value::Object(host_units) if role != "target" => &host_units["flags"],
                _ => &rustflags["flags"],
            };
            let predicted_flags = match for_unit {
                Value::Array(flags) => test_flags(flags.iter().filter_map(Value::as_str)),
                _ if rustflags.is_null() => String::new(),
                _ => format!("(explain cannot tell: {rustflags})"),
            };
            let got_flags = test_flags(unit.args.split_whitespace());
            compared += 1;
            if !got_flags.is_empty() {
                with_flags += 1;
            }
            if predicted_flags != got_flags {
                misses.push(format!(
                    "case {seed}: {package} ({role}) rustflags: explain says `{predicted_flags}`, rustc got `{got_flags}`"
                ));
            }
            let settings = unit_settings(report, role);
            for (key, _) in SETTINGS {
                // LTO is decided for the whole graph: the binary gets the profile's, what it
                // links gets bitcode flags instead.
                if *key == "lto" && !(unit.crate_name == "app" && role == "target") {
                    continue;
                }
                let Some(mut expected) = predicted(settings, key) else { continue };
                if expected == "deferred" {
                    // Cargo strips debug info where the unit (before a host unit's own default)
                    // and each unit it directly depends on have none.
                    let before_host = if role == "host" { "host-shared" } else { role };
                    let own = unit_settings(report, before_host);
                    let deps_have_none = direct_deps(&units, unit).iter().all(|d| actual(d, "debug") == "0");
                    let none = predicted(own, "debug").as_deref() == Some("0") && deps_have_none;
                    expected = if none { "debuginfo" } else { "none" }.to_owned();
                }
                compared += 1;
                let actual = actual(unit, key);
                if expected != actual {
                    misses.push(format!(
                        "case {seed}: {package} ({role}) {key}: explain says {expected}, rustc got {actual}"
                    ));
                }
            }
        }
        if misses.len() > 30 {
            break;
        }
        let _ = fs::remove_dir_all(ws.join("target"));
    }
    eprintln!(
        "explain vs cargo: {cases} setups ({refused} refused by cargo, {unmergeable} of them for rustflags; {with_target} naming the host as target), {units_seen} units ({with_flags} with rustflags, {cfg_loops} setups with a cfg loop), {compared} values compared, {} differ",
        misses.len()
    );
    assert!(misses.is_empty(), "{}", misses.join("\n"));
    let _ = fs::remove_dir_all(&base);
}
