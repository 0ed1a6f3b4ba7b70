//! Every pair of built-in presets, applied together to a fresh workspace through the real binary:
//! either refused with its reason (an `error:` line and a `help:` line, and nothing written), or
//! written so that real cargo obeys it: `verify`, which compares cargo's rustc lines with what the
//! files say, passes for every profile the pair writes (and for `dev` when it writes only config
//! settings, whose flags `verify` expects on every unit).
//!
//! Contradictions are declared in the presets (`conflicts-with`), and the test holds them to it
//! both ways: a declared pair is refused with the declared reason, and any other refusal is for
//! something that is not a contradiction between the two presets (`NOT_CONTRADICTIONS`).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

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

/// Refusals that say nothing about how two presets fit together: the machine or the workspace
/// lacks what one of them needs (nightly cargo on this stable workspace, a program such as
/// `sccache`, an operating system or architecture its conditions name).
const NOT_CONTRADICTIONS: &[&str] =
    &["which needs nightly cargo", "which is not on PATH", "does not apply to this machine", "no variant of preset"];

/// For each pair of built-in presets that cannot go together, the `why` one of them declares:
/// a preset goes with everything it extends, so a declaration covers the presets extending it.
fn declared() -> BTreeMap<(String, String), String> {
    use cargo_presets::preset::{Origin, parse};
    let presets: BTreeMap<&str, _> = cargo_presets::library::BUILTIN
        .iter()
        .map(|(name, text)| (*name, parse(name, Origin::Builtin, text).unwrap()))
        .collect();
    let with_parents = |name: &str| {
        let (mut found, mut stack) = (Vec::new(), vec![name.to_owned()]);
        while let Some(next) = stack.pop() {
            stack.extend(presets[next.as_str()].extends.iter().cloned());
            found.push(next);
        }
        found
    };
    let mut pairs = BTreeMap::new();
    for a in presets.keys() {
        for b in presets.keys().filter(|b| a < *b) {
            let (ours, theirs) = (with_parents(a), with_parents(b));
            let declares = |mine: &[String], other: &[String]| {
                mine.iter().flat_map(|m| presets[m.as_str()].conflicts_with.iter()).find(|d| other.contains(&d.preset))
            };
            if let Some(d) = declares(&ours, &theirs).or_else(|| declares(&theirs, &ours)) {
                pairs.insert((a.to_string(), b.to_string()), d.why.clone());
            }
        }
    }
    pairs
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
    let declared = declared();
    assert!(!declared.is_empty(), "no built-in preset declares a conflict: the reader is broken");
    let (mut obeyed, mut refused, mut failures) = (0, Vec::new(), Vec::new());
    for (i, (a, a_config)) in presets.iter().enumerate() {
        for (b, b_config) in &presets[i + 1..] {
            let dir = common::app_and_dependency("pairs", &format!("{a}+{b}"), "dep-x", "");
            let before = common::files(&dir);
            let mut args = vec!["apply", a.as_str(), b.as_str(), "--format", "json"];
            if *a_config || *b_config {
                args.extend(["--to", "config"]);
            }
            let output = common::presets_with(&dir, &args, &apply_env(&dir));
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            let key = if a < b { (a.clone(), b.clone()) } else { (b.clone(), a.clone()) };
            let why = declared.get(&key);
            if let Some(why) = why
                && (output.status.success() || !stderr.contains(" cannot go with ") || !stderr.contains(why.as_str()))
            {
                failures.push(format!("{a} + {b}: declared a conflict ({why}), but not refused with it:\n{stderr}"));
                continue;
            }
            if !output.status.success() {
                // Status lines (`Choosing …`) may come first.
                let first = stderr.lines().find(|l| l.starts_with("error: ")).unwrap_or("");
                if common::files(&dir) != before {
                    failures.push(format!("{a} + {b}: a refusal changed files"));
                } else if !first.starts_with("error: ") || !stderr.contains("\nhelp: ") {
                    failures.push(format!("{a} + {b}: refused without a reason and a way out:\n{stderr}"));
                } else if why.is_none() && !NOT_CONTRADICTIONS.iter().any(|r| first.contains(r)) {
                    failures.push(format!("{a} + {b}: refused for a contradiction no preset declares: {first}"));
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
        "pairs: {} pairs of {} built-in presets: {obeyed} written and obeyed by cargo, {} refused with a reason ({} declared conflicts), {} failed",
        presets.len() * (presets.len() - 1) / 2,
        presets.len(),
        refused.len(),
        declared.len(),
        failures.len()
    );
    for line in &refused {
        eprintln!("pairs:   refused {line}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
