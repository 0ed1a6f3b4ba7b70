//! `check` against real cargo on random profile setups: profile tables with valid and invalid
//! values, package overrides and build-override, `inherits` chains (broken ones too), a config
//! file's profiles, and `CARGO_PROFILE_*` variables, on a small workspace with a path dependency.
//! Whatever makes `cargo check --profile P` fail must be a `check` error; whatever cargo warns
//! about must be a `check` finding.
//!
//! `CHECK_VS_CARGO_CASES=N` runs N setups (40 by default; the README records a longer run).

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::Rng;

/// Keys with values cargo accepts and values it refuses or ignores.
const SETTINGS: &[(&str, &[&str])] = &[
    ("opt-level", &["0", "1", "3", "\"s\"", "\"z\"", "4", "\"fast\""]),
    ("debug", &["true", "false", "0", "2", "\"line-tables-only\"", "3", "\"some\""]),
    ("codegen-units", &["1", "16", "0"]),
    ("lto", &["true", "false", "\"thin\"", "\"off\"", "\"full\"", "\"yes\""]),
    ("panic", &["\"abort\"", "\"unwind\"", "\"foo\""]),
    ("strip", &["true", "false", "\"none\"", "\"symbols\"", "\"all\""]),
    ("incremental", &["true", "false", "\"yes\""]),
    ("debug-assertions", &["true", "false"]),
    ("overflow-checks", &["true", "false"]),
    ("split-debuginfo", &["\"off\"", "\"packed\"", "\"unpacked\""]),
    ("opt_level", &["1"]),
];

const OVERRIDE_SETTINGS: &[(&str, &[&str])] = &[
    ("opt-level", &["0", "3", "\"z\""]),
    ("debug", &["false", "\"line-tables-only\""]),
    ("codegen-units", &["4"]),
    ("panic", &["\"abort\""]),
    ("lto", &["true"]),
    ("strip", &["true"]),
];

fn settings(rng: &mut Rng, table: &[(&str, &[&str])], max: u64) -> String {
    let mut out = String::new();
    let mut used = Vec::new();
    for _ in 0..rng.next() % (max + 1) {
        let (key, values) = table[(rng.next() % table.len() as u64) as usize];
        if !used.contains(&key) {
            used.push(key);
            let _ = writeln!(out, "{key} = {}", rng.pick(values));
        }
    }
    out
}

/// One setup: the profile tables of the manifest, of the config file, the environment, and the
/// profile cargo is asked to use.
fn setup(rng: &mut Rng) -> (String, String, String, Vec<(String, String)>, String) {
    const PROFILES: [&str; 7] = ["dev", "release", "test", "bench", "ci", "x-y", "doc"];
    const PARENTS: [&str; 7] = ["dev", "release", "ci", "x-y", "nope", "debug", "test"];
    const SPECS: [&str; 6] = ["dep", "\"dep@0.2.0\"", "\"dep@0.3.0\"", "dep_x", "\"*\"", "app"];
    let mut defined = Vec::new();
    let mut manifest = String::new();
    let mut features = String::new();
    if rng.chance(8) {
        let _ = writeln!(features, "cargo-features = [\"{}\"]", rng.pick(&["profile-rustflags", "no-such-feature"]));
    }
    for _ in 0..1 + rng.next() % 3 {
        let profile = rng.pick(&PROFILES);
        if defined.contains(&profile) {
            continue;
        }
        defined.push(profile);
        let _ = writeln!(manifest, "\n[profile.{profile}]");
        let custom = !["dev", "release", "test", "bench", "doc"].contains(&profile);
        if (custom && rng.chance(85)) || rng.chance(5) {
            let _ = writeln!(manifest, "inherits = \"{}\"", rng.pick(&PARENTS));
        }
        manifest.push_str(&settings(rng, SETTINGS, 3));
        if rng.chance(35) {
            let _ = writeln!(manifest, "\n[profile.{profile}.package.{}]", rng.pick(&SPECS));
            manifest.push_str(&settings(rng, OVERRIDE_SETTINGS, 2));
        }
        if rng.chance(20) {
            let _ = writeln!(manifest, "\n[profile.{profile}.build-override]");
            manifest.push_str(&settings(rng, OVERRIDE_SETTINGS, 2));
        }
    }
    let mut config = String::new();
    if rng.chance(30) {
        let profile = rng.pick(&PROFILES);
        let _ = writeln!(config, "[profile.{profile}]");
        if !["dev", "release", "test", "bench"].contains(&profile) && !defined.contains(&profile) && rng.chance(70) {
            let _ = writeln!(config, "inherits = \"{}\"", rng.pick(&["dev", "release"]));
        }
        config.push_str(&settings(rng, SETTINGS, 2));
    }
    let mut env = Vec::new();
    if rng.chance(20) {
        let key = rng.pick(&["OPT_LEVEL", "DEBUG", "CODEGEN_UNITS", "LTO"]);
        let value = rng.pick(&["1", "fast", "0", "true", "off"]);
        env.push((format!("CARGO_PROFILE_{}_{key}", rng.pick(&["DEV", "RELEASE"])), value.to_owned()));
    }
    let selectable: Vec<&str> = defined.iter().copied().filter(|p| *p != "doc").collect();
    let selected = if selectable.is_empty() || rng.chance(30) { "dev" } else { rng.pick(&selectable) };
    (features, manifest, config, env, selected.to_owned())
}

#[test]
fn every_cargo_error_is_a_check_error_and_every_warning_a_finding() {
    let cases: u64 = std::env::var("CHECK_VS_CARGO_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(40);
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("check-vs-cargo");
    let _ = fs::remove_dir_all(&base);
    fs::create_dir_all(base.join("dep/src")).unwrap();
    fs::write(base.join("dep/Cargo.toml"), "[package]\nname = \"dep\"\nversion = \"0.2.0\"\nedition = \"2021\"\n")
        .unwrap();
    fs::write(base.join("dep/src/lib.rs"), "pub fn f() {}\n").unwrap();
    let (mut errors, mut warnings, mut clean) = (0, 0, 0);
    let mut misses = Vec::new();
    for seed in 1..=cases {
        let mut rng = Rng::for_case(seed);
        let (features, profiles, config, env, selected) = setup(&mut rng);
        let ws = base.join(format!("case-{seed}"));
        let _ = fs::remove_dir_all(&ws);
        fs::create_dir_all(ws.join("app/src")).unwrap();
        fs::write(
            ws.join("Cargo.toml"),
            format!("{features}[workspace]\nmembers = [\"app\"]\nresolver = \"2\"\n{profiles}"),
        )
        .unwrap();
        fs::write(
            ws.join("app/Cargo.toml"),
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ndep = { path = \"../../dep\" }\n",
        )
        .unwrap();
        fs::write(ws.join("app/src/lib.rs"), "pub fn g() { dep::f() }\n").unwrap();
        if !config.is_empty() {
            fs::create_dir_all(ws.join(".cargo")).unwrap();
            fs::write(ws.join(".cargo/config.toml"), &config).unwrap();
        }
        let cargo = Command::new("cargo")
            .args(["check", "--offline", "--profile", &selected, "--message-format", "short"])
            .current_dir(&ws)
            .env("CARGO_TARGET_DIR", base.join("target"))
            .env("CARGO_HOME", base.join("no-cargo-home"))
            .envs(env.iter().cloned())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&cargo.stderr).into_owned();
        let cargo_warnings: Vec<&str> = stderr.lines().filter(|l| l.starts_with("warning:")).collect();
        let ours = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
            .args(["presets", "check", "--format", "json", "--deny", "error"])
            .current_dir(&ws)
            .env_clear()
            .env("CARGO_HOME", base.join("no-cargo-home"))
            .envs(env.iter().cloned())
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&ours.stdout).unwrap_or_default();
        let findings: Vec<&serde_json::Value> =
            report["findings"].as_array().map(|a| a.iter().collect()).unwrap_or_default();
        let has = |severity: &str| findings.iter().any(|f| f["severity"] == severity);
        let describe = || {
            format!(
                "case {seed}: cargo check --profile {selected} {env:?}\n--- Cargo.toml\n{features}{profiles}\n--- config\n{config}\n--- cargo\n{stderr}\n--- check\n{}",
                String::from_utf8_lossy(&ours.stderr)
            )
        };
        if !cargo.status.success() {
            errors += 1;
            if !has("error") {
                misses.push(describe());
            }
        } else if !cargo_warnings.is_empty() {
            warnings += 1;
            if findings.is_empty() {
                misses.push(describe());
            }
        } else {
            clean += 1;
        }
    }
    eprintln!(
        "check vs cargo: {cases} setups ({errors} cargo errors, {warnings} with cargo warnings, {clean} clean), {} missed",
        misses.len()
    );
    assert!(misses.is_empty(), "{}", misses.join("\n\n"));
}

/// Config mistakes that make cargo refuse every command, each a `check` error with its code: a
/// string `rustflags` meeting an array in a parent directory's config file, a string `include`,
/// a `-Z` flag in the rustflags on stable, and `inherits` for a root profile from the
/// environment.
#[test]
fn config_errors_cargo_refuses_are_check_errors() {
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("check-vs-cargo-config");
    let _ = fs::remove_dir_all(&base);
    let array = "[build]\nrustflags = [\"--cfg\", \"outer\"]\n";
    // (name, files below the case's directory, variables, the code `check` must give)
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case<'_>] = &[
        (
            "merge",
            &[(".cargo/config.toml", array), ("ws/.cargo/config.toml", "[build]\nrustflags = \"--cfg ws\"\n")],
            &[],
            "rustflags-merge",
        ),
        (
            "include",
            &[("ws/.cargo/config.toml", "include = \"extra.toml\"\n"), ("ws/.cargo/extra.toml", "")],
            &[],
            "include-form",
        ),
        (
            "unstable",
            &[("ws/.cargo/config.toml", "[target.'cfg(unix)']\nrustflags = [\"-Zshare-generics\"]\n")],
            &[],
            "unstable-rustflags",
        ),
        ("unstable-env", &[], &[("CARGO_BUILD_RUSTFLAGS", "-Z share-generics")], "unstable-rustflags"),
        ("release-inherits", &[], &[("CARGO_PROFILE_RELEASE_INHERITS", "dev")], "root-inherits"),
        ("dev-inherits", &[], &[("CARGO_PROFILE_DEV_INHERITS", "release")], "root-inherits"),
        ("build-incremental", &[], &[("CARGO_BUILD_INCREMENTAL", "1")], "invalid-value"),
    ];
    let mut misses = Vec::new();
    for (name, files, env, code) in cases {
        let dir = base.join(name);
        let ws = dir.join("ws");
        fs::create_dir_all(ws.join("src")).unwrap();
        fs::write(
            ws.join("Cargo.toml"),
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[workspace]\n",
        )
        .unwrap();
        fs::write(ws.join("src/lib.rs"), "").unwrap();
        for (path, text) in *files {
            fs::create_dir_all(dir.join(path).parent().unwrap()).unwrap();
            fs::write(dir.join(path), text).unwrap();
        }
        let env: Vec<(String, String)> = env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        let cargo = Command::new("cargo")
            .args(["check", "--offline"])
            .current_dir(&ws)
            .env("CARGO_TARGET_DIR", base.join("target"))
            .env("CARGO_HOME", base.join("no-cargo-home"))
            .env_remove("RUSTFLAGS")
            .envs(env.iter().cloned())
            .output()
            .unwrap();
        let ours = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
            .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
            .args(["presets", "check", "--format", "json", "--deny", "error"])
            .current_dir(&ws)
            .env("CARGO_HOME", base.join("no-cargo-home"))
            .env_remove("RUSTFLAGS")
            .envs(env.iter().cloned())
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&ours.stdout).unwrap_or_default();
        let found = report["findings"]
            .as_array()
            .is_some_and(|a| a.iter().any(|f| f["code"] == *code && f["severity"] == "error"));
        if cargo.status.success() || !found {
            misses.push(format!(
                "{name}: cargo {}, check found {code}: {found}\n--- cargo\n{}\n--- check\n{}",
                cargo.status,
                String::from_utf8_lossy(&cargo.stderr),
                String::from_utf8_lossy(&ours.stdout)
            ));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n\n"));
}
