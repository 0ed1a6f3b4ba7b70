//! `cargo presets check` beyond the per-finding fixtures: our own presets pass it, and its JSON
//! output has the shape the README documents.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace(name: &str, extra: &[(&str, &str)]) -> PathBuf {
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"app\"]\nresolver = \"3\"\n"),
        ("app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"),
        ("app/src/main.rs", "fn main() {}\n"),
    ];
    let files: Vec<(&str, &str)> = files.iter().chain(extra).copied().collect();
    common::tree("check", name, &files)
}

fn presets(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
        .arg("presets")
        .args(args)
        .current_dir(dir)
        .env("CARGO_HOME", dir.join("no-cargo-home"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_INCREMENTAL")
        .output()
        .unwrap()
}

#[test]
fn every_built_in_preset_applied_to_a_clean_workspace_passes_check() {
    let stable = [
        "fast-dev",
        "debugging",
        "staging",
        "debuggable-staging",
        "prod",
        "embedded-size",
        "ci",
        "deps-optimized-dev",
        "fast-compile",
        "fast-runtime",
        "profiling",
    ];
    for preset in stable {
        let dir = workspace(preset, &[]);
        assert!(presets(&dir, &["apply", preset]).status.success());
        let output = presets(&dir, &["check", "--deny", "note"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{preset}:\n{stderr}");
        assert!(stderr.contains("no problems found"), "{preset}:\n{stderr}");
    }
    // Cranelift in a nightly workspace: no error; a warning only if the component is missing.
    let dir = workspace("cranelift-dev", &[("rust-toolchain.toml", "[toolchain]\nchannel = \"nightly\"\n")]);
    assert!(presets(&dir, &["apply", "cranelift-dev"]).status.success());
    let output = presets(&dir, &["check", "--deny", "error"]);
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
}

/// The documented shape: `{findings: [...], files, deny, failed}`, each finding with
/// `severity`, `code`, `message`, `file`, `line`, `column`, `help`, `silenced`.
#[test]
fn json_output_has_the_documented_shape() {
    let dir = workspace("json", &[]);
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap()
        + "\n[profile.fast]\nopt-level = 4\n\n[profile.release]\nstrip = false # cargo-presets: allow(explicit-strip-none)\n";
    fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    let output = presets(&dir, &["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("stdout is one JSON document");
    let top = report.as_object().unwrap();
    let mut keys: Vec<&str> = top.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["deny", "failed", "files", "findings"]);
    assert_eq!(report["deny"], "warning");
    assert_eq!(report["failed"], true);
    assert!(report["files"].as_u64().unwrap() >= 2);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3);
    let silenced: Vec<&serde_json::Value> = findings.iter().filter(|f| !f["silenced"].is_null()).collect();
    assert_eq!(silenced.len(), 1);
    assert_eq!((&silenced[0]["code"], &silenced[0]["silenced"]), (&"explicit-strip-none".into(), &"inline".into()));
    for finding in findings {
        let mut keys: Vec<&str> = finding.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["code", "column", "file", "help", "line", "message", "severity", "silenced"]);
        assert!(["error", "warning", "note"].contains(&finding["severity"].as_str().unwrap()));
        assert!(finding["code"].is_string() && finding["message"].is_string());
        assert_eq!(finding["file"], "Cargo.toml");
        assert!(finding["line"].is_u64() && finding["column"].is_u64());
        assert!(finding["help"].as_array().unwrap().iter().all(serde_json::Value::is_string));
    }
    assert!(output.stderr.is_empty(), "JSON mode prints nothing else");
}
