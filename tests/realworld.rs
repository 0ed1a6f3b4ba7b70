//! Real projects' manifests: every built-in preset applied to the root manifest of well-known
//! workspaces (refused for a hand-written value, then forced), re-applied, and removed, through
//! the real binary; real cargo must accept each result.
//!
//! The corpus is data from public repositories, so it is not committed here: it lives in
//! `../shared/realworld/<owner>__<repo>/` (`Cargo.toml`, and `Cargo.lock` and
//! `.cargo/config.toml` where the project has them, and `SOURCE` naming the repository and
//! commit), or wherever `CARGO_PRESETS_CORPUS` points. Without it the test says SKIPPED.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("CARGO_PRESETS_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realworld"));
    dir.is_dir().then_some(dir)
}

fn projects(corpus: &Path) -> Vec<PathBuf> {
    let mut projects: Vec<PathBuf> =
        fs::read_dir(corpus).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("Cargo.toml").is_file()).collect();
    projects.sort();
    projects
}

fn presets(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .arg("presets")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("CARGO_HOME", dir.join("no-cargo-home"))
        .output()
        .unwrap()
}

/// The built-in presets.
fn builtin_presets() -> Vec<String> {
    let dir = std::env::temp_dir();
    let list: serde_json::Value = serde_json::from_slice(&presets(&dir, &["list", "--format", "json"]).stdout).unwrap();
    list["presets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["origin"] == "built-in")
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Whether `old`'s lines all appear in `new`, in order.
fn keeps_every_line(old: &str, new: &str) -> bool {
    let mut new_lines = new.lines();
    old.lines().all(|line| new_lines.any(|n| n == line))
}

/// Real cargo reads the profiles of `manifest`: they go into a one-package workspace of their
/// own (the project's members are not here), and `cargo metadata` must accept it.
fn cargo_accepts(manifest: &str, scratch: &Path) -> Result<(), String> {
    let doc: toml_edit::DocumentMut = manifest.parse().map_err(|e| format!("{e}"))?;
    let mut out = toml_edit::DocumentMut::new();
    for key in ["cargo-features", "profile"] {
        if let Some(item) = doc.get(key) {
            out.insert(key, item.clone());
        }
    }
    let text = format!("{out}\n[package]\nname = \"probe\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
    let _ = fs::remove_dir_all(scratch);
    fs::create_dir_all(scratch.join("src")).unwrap();
    fs::write(scratch.join("src/lib.rs"), "").unwrap();
    fs::write(scratch.join("Cargo.toml"), &text).unwrap();
    let nightly = doc.contains_key("cargo-features");
    let mut cargo = Command::new(if nightly { "rustup" } else { "cargo" });
    if nightly {
        cargo.args(["run", "nightly", "cargo"]);
    }
    let output = cargo
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
        .current_dir(scratch)
        .env("CARGO_HOME", scratch.join("no-cargo-home"))
        .output()
        .unwrap();
    match output.status.success() {
        true => Ok(()),
        false => Err(String::from_utf8_lossy(&output.stderr).into_owned()),
    }
}

#[test]
fn every_built_in_preset_round_trips_on_every_real_manifest() {
    let Some(corpus) = corpus() else {
        eprintln!("SKIPPED: no real-world corpus (../shared/realworld or CARGO_PRESETS_CORPUS)");
        return;
    };
    let projects = projects(&corpus);
    let presets_list = builtin_presets();
    let mut failures = Vec::new();
    let mut runs = 0;
    for project in &projects {
        let name = project.file_name().unwrap().to_string_lossy().into_owned();
        let original = fs::read_to_string(project.join("Cargo.toml")).unwrap();
        for preset in &presets_list {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("realworld").join(&name);
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(&dir).unwrap();
            fs::write(dir.join("Cargo.toml"), &original).unwrap();
            let mut fail = |what: String| failures.push(format!("{name} + {preset}: {what}"));
            let mut args = vec!["apply", preset.as_str()];
            let mut output = presets(&dir, &args);
            if String::from_utf8_lossy(&output.stderr).contains("which needs nightly cargo") {
                // Refused on a stable workspace, as it must be: nothing may have changed.
                if fs::read_to_string(dir.join("Cargo.toml")).unwrap() != original {
                    fail("a refused nightly preset changed the file".into());
                }
                continue;
            }
            if output.status.code() == Some(101)
                && String::from_utf8_lossy(&output.stderr).contains("differently from the presets")
            {
                if fs::read_to_string(dir.join("Cargo.toml")).unwrap() != original {
                    fail("a refused apply changed the file".into());
                    continue;
                }
                args.push("--force");
                output = presets(&dir, &args);
            }
            runs += 1;
            if !output.status.success() {
                fail(format!("apply failed: {}", String::from_utf8_lossy(&output.stderr)));
                continue;
            }
            let applied = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
            if !args.contains(&"--force") && !keeps_every_line(&original, &applied) {
                fail("apply lost or reordered a line".into());
            }
            let again = presets(&dir, &args);
            if fs::read_to_string(dir.join("Cargo.toml")).unwrap() != applied || !again.status.success() {
                fail(format!("re-apply changed the file: {}", String::from_utf8_lossy(&again.stderr)));
            }
            if let Err(e) = cargo_accepts(&applied, &dir.with_file_name(format!("{name}-probe"))) {
                fail(format!("cargo rejects the result: {e}"));
            }
            let removed = presets(&dir, &["remove", preset]);
            let after = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
            if !removed.status.success() || after != original {
                let diff = similar::TextDiff::from_lines(&original, &after).unified_diff().to_string();
                fail(format!(
                    "remove did not give the bytes back: {}\n{diff}",
                    String::from_utf8_lossy(&removed.stderr)
                ));
            }
        }
    }
    eprintln!(
        "realworld: {} projects x {} presets = {runs} applies, {} failures",
        projects.len(),
        presets_list.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every finding `check` makes on the corpus (root manifest, `Cargo.lock` and `.cargo/config.toml`
/// of each project, at the commits its `SOURCE` names), and why each one is true. Anything else
/// is a false alarm, and fails the test.
const EXPECTED_FINDINGS: &[(&str, &str, &str)] = &[
    // `[profile.release-lto]`: any `CARGO_PROFILE_RELEASE_LTO_*` variable would be read as
    // `profile.release.lto.*` and fail every build. A note: no such variable is set.
    ("BurntSushi__ripgrep", "note", "env-collision"),
    // `[profile.dev.package.bevy_mobile_example]` names a member whose manifest the corpus does
    // not hold (root manifests only), and bevy commits no Cargo.lock; in a checkout it matches.
    ("bevyengine__bevy", "note", "spec-unmatched"),
    // `[profile.bench] panic = "abort"`: cargo ignores `panic` for benches, which always unwind,
    // though the manifest says bench and release "must remain EXACTLY the same".
    ("denoland__deno", "warning", "ignored-panic"),
    // `[profile.release] strip = "none"` with no debug info asked for: cargo would strip std's
    // debug info by itself; the key keeps about 4 MB in every binary.
    ("firecracker-microvm__firecracker", "warning", "explicit-strip-none"),
    // `[profile.ci] debug = false, strip = false`: the same (symbols for `perf` survive cargo's
    // automatic `strip = "debuginfo"`).
    ("nushell__nushell", "warning", "explicit-strip-none"),
    // `package."*"` with `opt-level` covers dependencies, never the workspace's own crates:
    // informational, as the note says, and usually the point.
    ("rerun-io__rerun", "note", "star-excludes-members"),
    ("typst__typst", "note", "star-excludes-members"),
];

#[test]
fn check_on_real_projects_reports_only_true_findings() {
    let Some(corpus) = corpus() else {
        eprintln!("SKIPPED: no real-world corpus (../shared/realworld or CARGO_PRESETS_CORPUS)");
        return;
    };
    let mut found = Vec::new();
    for project in projects(&corpus) {
        let name = project.file_name().unwrap().to_string_lossy().into_owned();
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("realworld-check").join(&name);
        let _ = fs::remove_dir_all(&dir);
        for file in ["Cargo.toml", "Cargo.lock", ".cargo/config.toml"] {
            if project.join(file).is_file() {
                fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
                fs::copy(project.join(file), dir.join(file)).unwrap();
            }
        }
        let output = presets(&dir, &["check", "--format", "json", "--deny", "error"]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{name}: {e}: {}", String::from_utf8_lossy(&output.stderr)));
        for finding in report["findings"].as_array().unwrap() {
            let (severity, code) = (finding["severity"].as_str().unwrap(), finding["code"].as_str().unwrap());
            found.push((name.clone(), severity.to_owned(), code.to_owned(), finding["message"].to_string()));
        }
    }
    let unexpected: Vec<String> = found
        .iter()
        .filter(|(p, s, c, _)| !EXPECTED_FINDINGS.contains(&(p.as_str(), s.as_str(), c.as_str())))
        .map(|(p, s, c, m)| format!("{p}: {s}[{c}] {m}"))
        .collect();
    let missing: Vec<String> = EXPECTED_FINDINGS
        .iter()
        .filter(|(p, s, c)| {
            corpus.join(p).is_dir() && !found.iter().any(|f| (f.0.as_str(), f.1.as_str(), f.2.as_str()) == (*p, *s, *c))
        })
        .map(|(p, s, c)| format!("{p}: {s}[{c}]"))
        .collect();
    eprintln!("realworld check: {} findings, all expected", found.len());
    assert!(
        unexpected.is_empty() && missing.is_empty(),
        "false alarms:\n{}\n\nmissed:\n{}",
        unexpected.join("\n"),
        missing.join("\n")
    );
}
