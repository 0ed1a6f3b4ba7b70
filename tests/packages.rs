//! `apply PRESET --package SPEC`, with cargo as the judge: a workspace whose member `app` depends
//! on two path packages outside it, `dep` and `other` (so overrides apply to them as to crates
//! from crates.io), and real `cargo check -v` (offline, private target directory) showing which
//! crates got the settings. Nightly-only settings are checked where nightly cargo is installed,
//! and the test says SKIPPED where it is not.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// `<tmp>/packages/<name>`: member `app` (bin) depending on `vendor/dep` and `vendor/other`
/// (excluded from the workspace), with a `Cargo.lock` unless `lock` is false.
fn workspace(name: &str, lock: bool) -> PathBuf {
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"app\"]\nexclude = [\"vendor\"]\nresolver = \"2\"\n"),
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\ndep = { path = \"../vendor/dep\" }\nother = { path = \"../vendor/other\" }\n",
        ),
        ("app/src/main.rs", "fn main() {\n    println!(\"{}\", dep::answer() + other::answer());\n}\n"),
        ("vendor/dep/Cargo.toml", "[package]\nname = \"dep\"\nversion = \"0.2.0\"\nedition = \"2021\"\n"),
        ("vendor/dep/src/lib.rs", "pub fn answer() -> u32 {\n    42\n}\n"),
        ("vendor/other/Cargo.toml", "[package]\nname = \"other\"\nversion = \"1.0.0\"\nedition = \"2021\"\n"),
        ("vendor/other/src/lib.rs", "pub fn answer() -> u32 {\n    1\n}\n"),
    ];
    let dir = common::tree("packages", name, &files);
    if lock {
        let output = common::cargo(&dir, None, &["generate-lockfile"]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    dir
}

/// `cargo presets <args>` in `dir`, which must succeed; its stderr.
fn presets(dir: &Path, args: &[&str]) -> String {
    let output = common::presets(dir, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "cargo presets {args:?} failed:\n{stderr}");
    stderr
}

/// `cargo check -v <extra>` on a fresh target, which must succeed: the line that runs rustc for
/// each crate.
fn rustc_lines(dir: &Path, toolchain: Option<&str>, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["check", "-v"];
    args.extend(extra);
    let output = common::cargo(dir, toolchain, &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    ["app", "dep", "other"]
        .into_iter()
        .map(|name| {
            let needle = format!("--crate-name {name} ");
            let line = stderr.lines().find(|l| l.contains("Running") && l.contains(&needle));
            (name.to_owned(), line.unwrap_or_else(|| panic!("no rustc line for {name}:\n{stderr}")).to_owned())
        })
        .collect()
}

/// The crates whose rustc line contains `flag`.
fn crates_with(lines: &[(String, String)], flag: &str) -> Vec<String> {
    lines.iter().filter(|(_, line)| line.contains(flag)).map(|(name, _)| name.clone()).collect()
}

fn nightly_available() -> bool {
    Command::new("cargo").args(["+nightly", "--version"]).output().is_ok_and(|o| o.status.success())
}

#[test]
fn deps_opt1_dev_for_one_package_reaches_only_it_and_comes_back_out() {
    let dir = workspace("deps-opt1-dev", true);
    let original = fs::read(dir.join("Cargo.toml")).unwrap();
    presets(&dir, &["apply", "deps-opt1-dev", "--package", "dep"]);
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("[profile.dev.package.dep]\n"), "{manifest}");
    assert!(!manifest.contains("\"*\""), "{manifest}");

    let lines = rustc_lines(&dir, None, &[]);
    assert_eq!(crates_with(&lines, "-C opt-level=1"), ["dep"], "{lines:#?}");
    assert_eq!(crates_with(&lines, "-C debuginfo=2"), ["app", "other"], "debug = false for dep only: {lines:#?}");

    let status = String::from_utf8_lossy(&common::presets(&dir, &["status"]).stdout).into_owned();
    assert!(status.contains("deps-opt1-dev for dep intact (2 keys)"), "{status}");
    presets(&dir, &["remove", "deps-opt1-dev"]);
    assert_eq!(fs::read(dir.join("Cargo.toml")).unwrap(), original, "remove gives the bytes back");
}

/// With `--profile`, the named tables move to the new profile too, which cargo obeys there only.
#[test]
fn with_profile_the_named_tables_go_to_that_profile() {
    let dir = workspace("with-profile", true);
    let original = fs::read(dir.join("Cargo.toml")).unwrap();
    presets(&dir, &["apply", "deps-opt1-dev", "--profile", "quick", "--package", "other"]);
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("[profile.quick.package.other]\n"), "{manifest}");
    let quick = rustc_lines(&dir, None, &["--profile", "quick"]);
    assert_eq!(crates_with(&quick, "-C opt-level=1"), ["other"], "{quick:#?}");
    assert!(crates_with(&rustc_lines(&dir, None, &[]), "-C opt-level=1").is_empty(), "dev is as it was");
    presets(&dir, &["remove", "deps-opt1-dev", "--profile", "quick"]);
    assert_eq!(fs::read(dir.join("Cargo.toml")).unwrap(), original);
}

#[test]
fn a_name_cargo_would_not_match_is_refused_and_nothing_is_written() {
    let dir = workspace("unknown-name", true);
    let before = common::snapshot(&dir, true);
    for (spec, says) in [
        ("depp", "help: did you mean `dep`?"),
        ("regex", "help: if `regex` was just added as a dependency, `cargo generate-lockfile`"),
        ("dep@0.3", "Cargo.lock has no `dep` of version 0.3 (it has 0.2.0)"),
        ("dep@@1", "is not a version like \"1.32\""),
    ] {
        let output = common::presets(&dir, &["apply", "deps-opt1-dev", "--package", spec]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(101), "{stderr}");
        assert!(stderr.contains(&format!("`--package {spec}`")), "names the package: {stderr}");
        assert!(stderr.contains(says), "{stderr}");
    }
    assert_eq!(common::snapshot(&dir, true), before, "file bytes and times unchanged");
}

#[test]
fn without_cargo_lock_the_names_are_written_with_a_warning() {
    let dir = workspace("no-lock", false);
    let stderr = presets(&dir, &["apply", "deps-opt1-dev", "--package", "dep"]);
    assert!(stderr.contains("warning: no Cargo.lock beside Cargo.toml: `dep` could not be checked"), "{stderr}");
    assert!(fs::read_to_string(dir.join("Cargo.toml")).unwrap().contains("[profile.dev.package.dep]"));
}

/// On stable the refusal gives the way forward, `--package` included; nothing is written.
#[test]
fn hint_mostly_unused_for_a_package_on_stable_is_refused_with_the_way_forward() {
    let dir = workspace("hint-stable", true);
    let before = common::snapshot(&dir, true);
    let output = common::presets(&dir, &["apply", "hint-mostly-unused", "--package", "dep", "--to", "config"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(101), "{stderr}");
    assert!(stderr.contains("stable cargo ignores, with a warning on every command"), "{stderr}");
    assert!(
        stderr.contains("cargo presets apply hint-mostly-unused --package dep --to .cargo/hint-mostly-unused.toml"),
        "{stderr}"
    );
    assert_eq!(common::snapshot(&dir, true), before);
}

#[test]
fn hint_mostly_unused_for_a_package_reaches_only_it_on_nightly() {
    if !nightly_available() {
        eprintln!("SKIPPED: nightly cargo is not installed");
        return;
    }
    let dir = workspace("hint-nightly", true);
    presets(&dir, &["apply", "hint-mostly-unused", "--package", "dep", "--to", ".cargo/nightly.toml"]);
    let config = fs::read_to_string(dir.join(".cargo/nightly.toml")).unwrap();
    assert!(config.contains("[profile.dev.package.dep]") && config.contains("[profile.release.package.dep]"));
    assert!(config.contains("profile-hint-mostly-unused = true") && !config.contains("\"*\""), "{config}");
    let lines = rustc_lines(&dir, Some("nightly"), &["--config", ".cargo/nightly.toml"]);
    assert_eq!(crates_with(&lines, "-Zhint-mostly-unused"), ["dep"], "{lines:#?}");
    presets(&dir, &["remove", "hint-mostly-unused", "--to", ".cargo/nightly.toml"]);
    assert!(!dir.join(".cargo").exists(), "the file and directory apply created are gone again");
}
