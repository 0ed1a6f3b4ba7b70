//! Every pair of built-in presets, applied together to a fresh workspace through the real binary:
//! either refused with its reason (an `error:` line and a `help:` line, and nothing written), or
//! written so that real cargo obeys it: `verify`, which compares cargo's rustc lines with what the
//! files say, passes for every profile the pair writes (and for `dev` when it writes only config
//! settings, whose flags `verify` expects on every unit).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A member and a path dependency outside the members, so that `package."*"` reaches something.
fn workspace(name: &str) -> PathBuf {
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"app\"]\nexclude = [\"vendor\"]\nresolver = \"3\"\n"),
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\ndep-x = { path = \"../vendor/dep-x\" }\n",
        ),
        ("app/src/main.rs", "fn main() {\n    dep_x::f();\n}\n"),
        ("vendor/dep-x/Cargo.toml", "[package]\nname = \"dep-x\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"),
        ("vendor/dep-x/src/lib.rs", "pub fn f() {}\n"),
    ];
    common::tree("pairs", name, &files)
}

/// What `apply` needs besides the emptied environment: rustc for the presets that ask the
/// machine, and git stopped above the copy, so that it is a project of its own.
fn apply_env(dir: &Path) -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> =
        ["PATH", "HOME", "RUSTUP_HOME"].iter().filter_map(|k| Some((k.to_string(), std::env::var(k).ok()?))).collect();
    env.push(("GIT_CEILING_DIRECTORIES".into(), dir.parent().unwrap().display().to_string()));
    env
}

/// The built-in presets, and whether only config files can hold each.
fn builtins() -> Vec<(String, bool)> {
    let output = common::presets(Path::new(env!("CARGO_TARGET_TMPDIR")), &["list", "--format", "json"]);
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let presets = list["presets"].as_array().unwrap().iter().filter(|p| p["origin"] == "built-in");
    presets.map(|p| (p["name"].as_str().unwrap().to_owned(), p["config_only"] == true)).collect()
}

/// `verify PROFILE` with none of the variables it reads, offline.
fn verify(dir: &Path, profile: &str) -> Result<(), String> {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-presets"));
    command.env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"));
    command.args(["presets", "verify", profile]).current_dir(dir).env("CARGO_NET_OFFLINE", "true");
    for (key, _) in std::env::vars() {
        if cargo_presets::verify::reads_variable(&key) || key == "CARGO_BUILD_TARGET" {
            command.env_remove(key);
        }
    }
    let output = command.output().unwrap();
    match output.status.success() {
        true => Ok(()),
        false => Err(format!("verify {profile}: {}", String::from_utf8_lossy(&output.stderr))),
    }
}

#[test]
fn every_pair_of_built_in_presets_composes_into_what_cargo_obeys_or_is_refused() {
    let presets = builtins();
    let (mut obeyed, mut refused, mut failures) = (0, Vec::new(), Vec::new());
    for (i, (a, a_config)) in presets.iter().enumerate() {
        for (b, b_config) in &presets[i + 1..] {
            let dir = workspace(&format!("{a}+{b}"));
            let before = common::files(&dir);
            let mut args = vec!["apply", a.as_str(), b.as_str(), "--format", "json"];
            if *a_config || *b_config {
                args.extend(["--to", "config"]);
            }
            let output = common::presets_with(&dir, &args, &apply_env(&dir));
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            if !output.status.success() {
                // Status lines (`Choosing …`) may come first.
                let first = stderr.lines().find(|l| l.starts_with("error: ")).unwrap_or("");
                if common::files(&dir) != before {
                    failures.push(format!("{a} + {b}: a refusal changed files"));
                } else if !first.starts_with("error: ") || !stderr.contains("\nhelp: ") {
                    failures.push(format!("{a} + {b}: refused without a reason and a way out:\n{stderr}"));
                } else {
                    refused.push(format!("{a} + {b}: {}", first.trim_start_matches("error: ")));
                }
                continue;
            }
            let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            let keys: Vec<&str> =
                report["changes"].as_array().unwrap().iter().filter_map(|c| c["key"].as_str()).collect();
            let mut profiles: BTreeSet<&str> =
                keys.iter().filter_map(|k| k.strip_prefix("profile.")?.split('.').next()).collect();
            if profiles.is_empty() && !keys.is_empty() {
                profiles.insert("dev");
            }
            let verified: Result<Vec<()>, String> = profiles.iter().map(|p| verify(&dir, p)).collect();
            match verified {
                Ok(_) => obeyed += 1,
                Err(e) => failures.push(format!("{a} + {b}: {e}")),
            }
        }
    }
    eprintln!(
        "pairs: {} pairs of {} built-in presets: {obeyed} written and obeyed by cargo, {} refused with a reason, {} failed",
        presets.len() * (presets.len() - 1) / 2,
        presets.len(),
        refused.len(),
        failures.len()
    );
    for line in &refused {
        eprintln!("pairs:   refused {line}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
