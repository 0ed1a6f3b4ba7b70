//! Real projects: every built-in preset applied to well-known workspaces through the real binary,
//! re-applied, and removed, with real cargo reading each result; and `check` on each project,
//! every finding justified.
//!
//! The corpus is data from public repositories, so it is not committed here: it lives in
//! `../shared/realworld/<owner>__<repo>/` (`Cargo.toml`, and where the project has them
//! `Cargo.lock`, `.cargo/config.toml` and `rust-toolchain(.toml)`; `SOURCE` names the repository
//! and commit), or wherever `CARGO_PRESETS_CORPUS` points. Without it the tests say SKIPPED.
//!
//! Each case starts from the project's own files, its toolchain file included. A preset that
//! only config files can hold goes `--to config`, over the project's `.cargo/config.toml` (or a
//! new one). A refusal must write nothing; a refusal for a hand-written value (a conflict, or a
//! value the preset relies on) must name it, and the case goes on with `--force`. An apply must
//! keep every original line in order (unless forced), a re-apply must write nothing, cargo must
//! accept the result (the flags of a config preset reaching rustc in `cargo check -v`), and
//! `remove` must give back the original tree, directories included.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("CARGO_PRESETS_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realworld"));
    dir.is_dir().then_some(dir)
}

/// The files of a project that travel with it.
const PROJECT_FILES: [&str; 5] =
    ["Cargo.toml", "Cargo.lock", ".cargo/config.toml", "rust-toolchain.toml", "rust-toolchain"];

/// One project of the corpus, with the toolchain to run it with.
struct Project {
    name: String,
    files: Vec<(&'static str, Vec<u8>)>,
    /// `RUSTUP_TOOLCHAIN`, where the project pins a toolchain this machine does not have.
    toolchain: Option<String>,
}

impl Project {
    fn load(dir: &Path, scratch: &Path) -> Project {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let files = PROJECT_FILES.iter().filter_map(|f| Some((*f, fs::read(dir.join(f)).ok()?))).collect();
        let mut project = Project { name, files, toolchain: None };
        project.toolchain = project.missing_toolchain(scratch);
        project
    }

    /// The toolchain to use instead of the one the project pins, if that one is not installed:
    /// the installed nightly for a nightly pin, else stable. Said on the test's output.
    fn missing_toolchain(&self, scratch: &Path) -> Option<String> {
        let pin = self.files.iter().find(|(f, _)| f.starts_with("rust-toolchain"))?;
        let dir = scratch.join("toolchain-probe");
        self.stage(&dir);
        let output = Command::new("rustc").arg("-vV").current_dir(&dir).env_clear().envs(base_env()).output();
        if output.is_ok_and(|o| o.status.success()) {
            return None;
        }
        let pinned = pinned_channel(&String::from_utf8_lossy(&pin.1));
        let fallback = if pinned.contains("nightly") { "nightly" } else { "stable" };
        eprintln!("realworld: {} pins {pinned} ({}), not installed here: using {fallback}", self.name, pin.0);
        Some(fallback.to_owned())
    }

    /// Writes the project's files into a fresh `dir`.
    fn stage(&self, dir: &Path) {
        let _ = fs::remove_dir_all(dir);
        for (file, bytes) in &self.files {
            fs::create_dir_all(dir.join(file).parent().unwrap()).unwrap();
            fs::write(dir.join(file), bytes).unwrap();
        }
    }

    fn file(&self, name: &str) -> Option<String> {
        self.files.iter().find(|(f, _)| *f == name).map(|(_, b)| String::from_utf8_lossy(b).into_owned())
    }

    /// The environment of every command run on the project: no developer settings, an empty
    /// `CARGO_HOME`, the fallback toolchain if needed, and git stopped above the project, so
    /// that it is a project of its own even inside this repository's checkout.
    fn env(&self, dir: &Path) -> Vec<(String, String)> {
        let mut env = base_env();
        env.push(("CARGO_HOME".into(), dir.with_extension("cargo-home").display().to_string()));
        env.push(("GIT_CEILING_DIRECTORIES".into(), dir.parent().unwrap().display().to_string()));
        env.extend(self.toolchain.iter().map(|t| ("RUSTUP_TOOLCHAIN".to_owned(), t.clone())));
        env
    }

    fn presets(&self, dir: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
            .arg("presets")
            .args(args)
            .current_dir(dir)
            .env_clear()
            .envs(self.env(dir))
            .output()
            .unwrap()
    }
}

/// What rustup needs to find toolchains, and nothing of the developer's cargo settings. Rustup
/// must not try to install a pinned toolchain: there may be no network, and it would wait.
fn base_env() -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> =
        ["PATH", "HOME", "RUSTUP_HOME"].iter().filter_map(|k| Some((k.to_string(), std::env::var(k).ok()?))).collect();
    env.push(("RUSTUP_AUTO_INSTALL".into(), "0".into()));
    env.push(("XDG_CACHE_HOME".into(), concat!(env!("CARGO_TARGET_TMPDIR"), "/cache").into()));
    env
}

/// `channel = "…"` of a `rust-toolchain.toml`, or the one line of a legacy `rust-toolchain`.
fn pinned_channel(text: &str) -> String {
    let channel = text.lines().find_map(|l| l.trim().strip_prefix("channel")?.trim().strip_prefix('='));
    channel.unwrap_or(text.lines().find(|l| !l.trim().is_empty()).unwrap_or("")).trim().trim_matches('"').to_owned()
}

/// The corpus's projects, and a fresh `<tmp>/<name>` to stage them in; `None`, saying that the
/// test is skipped, where there is no corpus.
fn projects(name: &str) -> Option<(PathBuf, Vec<Project>)> {
    let Some(corpus) = corpus() else {
        eprintln!("SKIPPED: no real-world corpus (../shared/realworld or CARGO_PRESETS_CORPUS)");
        return None;
    };
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = fs::remove_dir_all(&scratch);
    fs::create_dir_all(&scratch).unwrap();
    let mut dirs: Vec<PathBuf> =
        fs::read_dir(corpus).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("Cargo.toml").is_file()).collect();
    dirs.sort();
    let projects = dirs.iter().map(|d| Project::load(d, &scratch)).collect();
    Some((scratch, projects))
}

/// The built-in presets, and whether only config files can hold each.
fn builtin_presets(scratch: &Path) -> Vec<(String, bool)> {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .args(["presets", "list", "--format", "json"])
        .current_dir(scratch)
        .env_clear()
        .env("CARGO_HOME", scratch.join("no-cargo-home"))
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let presets = list["presets"].as_array().unwrap().iter().filter(|p| p["origin"] == "built-in");
    presets.map(|p| (p["name"].as_str().unwrap().to_owned(), p["config_only"] == true)).collect()
}

/// Every file (with its bytes) and directory (`None`) below `dir`.
fn tree(dir: &Path) -> BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .min_depth(1)
        .into_iter()
        .map(Result::unwrap)
        .map(|e| {
            let bytes = e.file_type().is_file().then(|| fs::read(e.path()).unwrap());
            (e.path().strip_prefix(dir).unwrap().to_owned(), bytes)
        })
        .collect()
}

/// `Err` saying that `what`, unless the run `output` succeeded and left `dir` as `expected`.
fn succeeded_leaving(
    output: &Output,
    dir: &Path,
    expected: &BTreeMap<PathBuf, Option<Vec<u8>>>,
    what: &str,
) -> Result<(), String> {
    if output.status.success() && tree(dir) == *expected {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Err(format!("{what}: {stderr}\n{}", describe_difference(expected, &tree(dir))))
}

fn describe_difference(
    before: &BTreeMap<PathBuf, Option<Vec<u8>>>,
    after: &BTreeMap<PathBuf, Option<Vec<u8>>>,
) -> String {
    let mut out = Vec::new();
    for path in before.keys().chain(after.keys()).collect::<std::collections::BTreeSet<_>>() {
        match (before.get(path), after.get(path)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(Some(a)), Some(Some(b))) => out.push(format!(
                "{} changed:\n{}",
                path.display(),
                similar::TextDiff::from_lines(&*String::from_utf8_lossy(a), &*String::from_utf8_lossy(b))
                    .unified_diff()
            )),
            (None, _) => out.push(format!("{} is new", path.display())),
            (_, None) => out.push(format!("{} is gone", path.display())),
            _ => out.push(format!("{} changed kind", path.display())),
        }
    }
    out.join("\n")
}

/// The lines of `old` that `new` does not hold, in order, each with its new form: a preset may
/// change a line only to add to a list it merges into (`rustflags`, `cargo-features`), and
/// then the new line starts with everything the old one held.
fn changed_lines(old: &str, new: &str) -> Result<(), String> {
    let new_lines: Vec<&str> = new.lines().collect();
    let mut at = 0;
    for line in old.lines() {
        match new_lines[at..].iter().position(|n| *n == line) {
            Some(i) => at += i + 1,
            None => {
                let list = ["rustflags", "cargo-features"].iter().any(|k| line.trim_start().starts_with(k))
                    || line.trim_start().starts_with('"');
                let kept = line.trim_end().trim_end_matches(',').trim_end_matches(']').trim_end();
                let grown = new_lines[at..].iter().position(|n| n.starts_with(kept));
                match grown {
                    Some(i) if list => at += i + 1,
                    _ => return Err(format!("apply lost or reordered the line `{line}`")),
                }
            }
        }
    }
    Ok(())
}

/// A minimal package of its own beside the project (the project's members are not in the
/// corpus), with `files` written into it.
fn probe(dir: &Path, manifest_head: &str, files: &[(&str, String)]) {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir.join("src")).unwrap();
    fs::write(dir.join("src/lib.rs"), "").unwrap();
    let package = "[package]\nname = \"probe\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n";
    fs::write(dir.join("Cargo.toml"), format!("{manifest_head}\n{package}")).unwrap();
    for (name, text) in files {
        fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
        fs::write(dir.join(name), text).unwrap();
    }
}

/// Real cargo reads the profiles of `manifest`, in a probe package holding them.
fn cargo_accepts_manifest(project: &Project, manifest: &str, dir: &Path) -> Result<(), String> {
    let doc: toml_edit::DocumentMut = manifest.parse().map_err(|e| format!("{e}"))?;
    let mut head = toml_edit::DocumentMut::new();
    for key in ["cargo-features", "profile"] {
        if let Some(item) = doc.get(key) {
            head.insert(key, item.clone());
        }
    }
    let toolchain: Vec<(&str, String)> =
        PROJECT_FILES[3..].iter().filter_map(|f| Some((*f, project.file(f)?))).collect();
    probe(dir, &head.to_string(), &toolchain);
    let output = cargo(project, dir, &["metadata", "--no-deps", "--format-version", "1", "--offline"]);
    if output.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&output.stderr).into_owned()) }
}

/// Real cargo reads the project's config file as the preset left it: `cargo check -v` on a
/// probe package carrying it (and the project's toolchain file) passes the settings the preset
/// wrote to rustc.
fn cargo_obeys_config(
    project: &Project,
    config: &str,
    changes: &[(String, serde_json::Value)],
    dir: &Path,
) -> Result<(), String> {
    let mut files: Vec<(&str, String)> =
        PROJECT_FILES[3..].iter().filter_map(|f| Some((*f, project.file(f)?))).collect();
    files.push((".cargo/config.toml", config.to_owned()));
    probe(dir, "", &files);
    let output = cargo(project, dir, &["check", "-v", "--offline"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(stderr.into_owned());
    }
    // A project's own keys may be newer than this cargo (polars' `unstable.min-publish-age`);
    // the preset's may not.
    let ignored = |line: &&str| changes.iter().any(|(key, _)| line.contains(&format!("unused config key `{key}`")));
    if let Some(line) = stderr.lines().find(ignored) {
        return Err(format!("cargo ignores a setting: {line}"));
    }
    let rustc = stderr.lines().find(|l| l.contains("--crate-name probe")).ok_or("no rustc line for the probe")?;
    let words: Vec<&str> = rustc.split_whitespace().map(|w| w.trim_matches(['`', '\''])).collect();
    for (key, value) in changes {
        let wanted: Vec<&str> = match value {
            serde_json::Value::Array(flags) if key.ends_with("rustflags") => {
                flags.iter().filter_map(|f| f.as_str()).collect()
            }
            serde_json::Value::String(flags) if key.ends_with("rustflags") => flags.split_whitespace().collect(),
            serde_json::Value::String(program) if key.ends_with("rustc-wrapper") => vec![program.as_str()],
            // Settings that change what cargo does, not rustc's line: accepted without a
            // warning is what can be seen.
            _ => continue,
        };
        if !words.windows(wanted.len()).any(|w| w.iter().zip(&wanted).all(|(a, b)| a.ends_with(b))) {
            return Err(format!("`{key}` = {value} does not reach rustc: {rustc}"));
        }
    }
    Ok(())
}

fn cargo(project: &Project, dir: &Path, args: &[&str]) -> Output {
    Command::new("cargo")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .envs(project.env(dir))
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .unwrap()
}

/// What happened to one project and preset.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum Outcome {
    /// Applied, re-applied as a no-op, read by cargo, removed back to the original tree.
    Held,
    /// Refused for a hand-written value, then applied with `--force` and held.
    HeldForced,
    /// Refused with a reason that `--force` does not lift (a toolchain or program it needs),
    /// writing nothing.
    Refused,
}

/// A refusal that `--force` is for: a hand-written value the preset would replace, or one it
/// relies on. The message must name the value and where it is.
fn forceable(stderr: &str) -> Option<Result<(), String>> {
    if stderr.contains(" differently from the presets") {
        let named = stderr.lines().any(|l| l.trim_start().starts_with('`') && l.contains(".toml:"));
        return Some(if named { Ok(()) } else { Err(format!("the conflict names no key and line: {stderr}")) });
    }
    if stderr.contains(" relies on `") {
        // `relies on `profile.release.opt-level = 3`, but `Cargo.toml:481` sets it to "z"`
        let line = stderr.lines().find(|l| l.contains(" relies on `")).unwrap();
        let at = line.split_once(", but `").and_then(|(_, rest)| rest.split_once('`')).map(|(at, _)| at);
        let names_line = at.is_some_and(|at| at.rsplit_once(':').is_some_and(|(_, n)| n.parse::<u32>().is_ok()));
        let named = names_line && line.contains(" sets it to ");
        return Some(if named { Ok(()) } else { Err(format!("the refusal names no value and line: {stderr}")) });
    }
    None
}

/// The reasons a refusal may give that `--force` does not lift.
const REASONS: [&str; 2] = ["which needs nightly cargo", "which is not on PATH"];

fn run_case(project: &Project, preset: &str, config_only: bool, dir: &Path) -> Result<(Outcome, String), String> {
    project.stage(dir);
    let original = tree(dir);
    let mut args = vec!["apply", preset, "--format", "json"];
    if config_only {
        args.extend(["--to", "config"]);
    }
    let mut output = project.presets(dir, &args);
    let mut outcome = Outcome::Held;
    let mut reason = String::new();
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        if tree(dir) != original {
            return Err(format!("a refused apply changed the tree:\n{}", describe_difference(&original, &tree(dir))));
        }
        // A reason `--force` does not lift leads the message, whatever else it lists.
        let first = stderr.lines().next().unwrap_or("");
        if let Some(reason) = REASONS.iter().find(|r| first.contains(*r)) {
            return match output.status.code() {
                Some(101) => Ok((Outcome::Refused, (*reason).to_owned())),
                _ => Err(format!("apply failed: {stderr}")),
            };
        }
        forceable(&stderr).ok_or_else(|| format!("apply failed: {stderr}"))??;
        reason = stderr.lines().next().unwrap_or("").to_owned();
        outcome = Outcome::HeldForced;
        args.push("--force");
        output = project.presets(dir, &args);
        if !output.status.success() {
            return Err(format!("apply --force failed: {}", String::from_utf8_lossy(&output.stderr)));
        }
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).map_err(|e| format!("apply's JSON: {e}"))?;
    let applied = tree(dir);
    if outcome == Outcome::Held {
        for file in ["Cargo.toml", ".cargo/config.toml"] {
            let text = |t: &BTreeMap<PathBuf, Option<Vec<u8>>>| {
                t.get(Path::new(file)).cloned().flatten().map(|b| String::from_utf8(b).unwrap())
            };
            if let (Some(old), Some(new)) = (text(&original), text(&applied)) {
                changed_lines(&old, &new).map_err(|e| format!("{file}: {e}"))?;
            }
        }
    }
    succeeded_leaving(&project.presets(dir, &args), dir, &applied, "the re-apply changed the tree")?;
    let probe_dir = dir.with_extension("probe");
    if config_only {
        let changes: Vec<(String, serde_json::Value)> = report["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["key"].as_str().unwrap().to_owned(), c["value"].clone()))
            .collect();
        if let Some(Some(config)) = applied.get(Path::new(".cargo/config.toml")) {
            cargo_obeys_config(project, &String::from_utf8_lossy(config), &changes, &probe_dir)
                .map_err(|e| format!("cargo does not obey the config: {e}"))?;
        } else if !changes.is_empty() {
            return Err("changes reported, but no config file".into());
        }
    } else {
        let manifest = String::from_utf8_lossy(applied[Path::new("Cargo.toml")].as_ref().unwrap()).into_owned();
        cargo_accepts_manifest(project, &manifest, &probe_dir).map_err(|e| format!("cargo rejects the result: {e}"))?;
    }
    let mut remove = vec!["remove", preset];
    if config_only {
        remove.extend(["--to", "config"]);
    }
    succeeded_leaving(&project.presets(dir, &remove), dir, &original, "remove did not give the tree back")?;
    Ok((outcome, reason))
}

#[test]
fn every_built_in_preset_round_trips_on_every_real_project() {
    let Some((scratch, projects)) = projects("realworld") else { return };
    let presets = builtin_presets(&scratch);
    let mut failures = Vec::new();
    let mut outcomes: BTreeMap<Outcome, usize> = BTreeMap::new();
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    for project in &projects {
        for (preset, config_only) in &presets {
            let dir = scratch.join(&project.name);
            match run_case(project, preset, *config_only, &dir) {
                Ok((outcome, reason)) => {
                    *outcomes.entry(outcome).or_default() += 1;
                    if outcome == Outcome::Refused {
                        *reasons.entry(format!("refused ({reason})")).or_default() += 1;
                    } else if outcome == Outcome::HeldForced {
                        let kind = if reason.contains("relies on") { "a relied-on value" } else { "a conflict" };
                        *reasons.entry(format!("forced past {kind}")).or_default() += 1;
                    }
                }
                Err(e) => failures.push(format!("{} + {preset}: {e}", project.name)),
            }
        }
    }
    let count = |o: Outcome| outcomes.get(&o).copied().unwrap_or(0);
    eprintln!(
        "realworld: {} projects x {} built-in presets = {} cases: {} held ({} of them after --force), {} refused with a reason, {} failed",
        projects.len(),
        presets.len(),
        projects.len() * presets.len(),
        count(Outcome::Held) + count(Outcome::HeldForced),
        count(Outcome::HeldForced),
        count(Outcome::Refused),
        failures.len()
    );
    for (reason, n) in &reasons {
        eprintln!("realworld:   {n} {reason}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every finding `check` makes on the corpus (each project's files as above, toolchain file
/// included), and why each one is true. Anything else is a false alarm, and fails the test.
const EXPECTED_FINDINGS: &[(&str, &str, &str, &str)] = &[
    (
        "BurntSushi__ripgrep",
        "note",
        "env-collision",
        "`[profile.release-lto]`: a `CARGO_PROFILE_RELEASE_LTO_*` variable would be read as `profile.release.lto.*` and fail every build; no such variable is set, hence a note",
    ),
    (
        "bevyengine__bevy",
        "note",
        "spec-unmatched",
        "`[profile.dev.package.bevy_mobile_example]` names a member whose manifest the corpus does not hold, and bevy commits no Cargo.lock; the note says it cannot be checked",
    ),
    (
        "denoland__deno",
        "warning",
        "ignored-panic",
        "`[profile.bench] panic = \"abort\"`: cargo ignores `panic` for benches, which always unwind, though the manifest says bench and release must stay the same",
    ),
    (
        "foundry-rs__foundry",
        "note",
        "release-without-assertions",
        "`[profile.fuzz]` inherits `release` with debug info but no `debug-assertions`: fuzzing exists to trip assertions (cargo-fuzz turns them on by default), and this profile runs without `debug_assert!`",
    ),
    (
        "nushell__nushell",
        "warning",
        "explicit-strip-none",
        "`[profile.ci] debug = false, strip = false`: symbols kept that cargo would strip along with std's debug info, about 4 MB a binary",
    ),
    (
        "rerun-io__rerun",
        "note",
        "star-excludes-members",
        "`package.\"*\"` sets `opt-level` for dependencies only, never the workspace's own crates: informational, and usually the point",
    ),
    (
        "risingwavelabs__risingwave",
        "note",
        "star-excludes-members",
        "`[profile.ci-dev.package.\"*\"]` sets `opt-level` for dependencies only, never the workspace's own crates: informational",
    ),
    (
        "typst__typst",
        "note",
        "star-excludes-members",
        "`package.\"*\"` sets `opt-level` for dependencies only, never the workspace's own crates: informational",
    ),
    (
        "zed-industries__zed",
        "note",
        "spec-unmatched",
        "`[profile.dev.package]` names transitive dependencies (taffy, cranelift-codegen, resvg, rustybuzz, ttf-parser, wasmtime-cranelift) and the corpus holds no zed Cargo.lock; the notes say this cannot be checked",
    ),
];

/// Findings true of every staged project because of what the corpus is, not of the project.
const CORPUS_FINDINGS: &[(&str, &str)] = &[(
    "member-missing",
    "the corpus holds root manifests only (see its README): every member the root lists is missing from the staged tree, and cargo would refuse that tree too",
)];

#[test]
fn check_on_real_projects_reports_only_true_findings() {
    let Some((scratch, projects)) = projects("realworld-check") else { return };
    let mut found = Vec::new();
    let mut artifacts: BTreeMap<(String, &str), usize> = BTreeMap::new();
    for project in &projects {
        let dir = scratch.join(&project.name);
        project.stage(&dir);
        let output = project.presets(&dir, &["check", "--format", "json", "--deny", "error"]);
        let report: serde_json::Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{}: {e}: {}", project.name, String::from_utf8_lossy(&output.stderr)));
        for finding in report["findings"].as_array().unwrap() {
            let (severity, code) = (finding["severity"].as_str().unwrap(), finding["code"].as_str().unwrap());
            if let Some((_, why)) = CORPUS_FINDINGS.iter().find(|(c, _)| *c == code) {
                *artifacts.entry((code.to_owned(), *why)).or_insert(0) += 1;
                continue;
            }
            found.push((project.name.clone(), severity.to_owned(), code.to_owned(), finding["message"].to_string()));
        }
    }
    let expected = |p: &str, s: &str, c: &str| EXPECTED_FINDINGS.iter().any(|e| (e.0, e.1, e.2) == (p, s, c));
    let unexpected: Vec<String> = found
        .iter()
        .filter(|(p, s, c, _)| !expected(p, s, c))
        .map(|(p, s, c, m)| format!("{p}: {s}[{c}] {m}"))
        .collect();
    let missing: Vec<String> = EXPECTED_FINDINGS
        .iter()
        .filter(|(p, s, c, _)| {
            projects.iter().any(|project| project.name == *p)
                && !found.iter().any(|f| (f.0.as_str(), f.1.as_str(), f.2.as_str()) == (*p, *s, *c))
        })
        .map(|(p, s, c, _)| format!("{p}: {s}[{c}]"))
        .collect();
    eprintln!("realworld check: {} projects, {} findings, each justified:", projects.len(), found.len());
    for ((code, why), n) in &artifacts {
        eprintln!("realworld check:   {n} x {code} across the corpus: {why}");
    }
    for (p, s, c, why) in EXPECTED_FINDINGS {
        let n = found.iter().filter(|f| (f.0.as_str(), f.1.as_str(), f.2.as_str()) == (*p, *s, *c)).count();
        eprintln!("realworld check:   {p}: {n} x {s}[{c}]: {why}");
    }
    assert!(
        unexpected.is_empty() && missing.is_empty(),
        "false alarms:\n{}\n\nmissed:\n{}",
        unexpected.join("\n"),
        missing.join("\n")
    );
}
