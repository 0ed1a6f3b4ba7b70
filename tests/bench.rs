//! `cargo presets bench` on a tiny registry-free workspace, so CI stays fast: the table's shape,
//! the ratios' sanity, and the user's files left exactly as they were.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace(name: &str) -> PathBuf {
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"app\"]\nexclude = [\"vendor\"]\nresolver = \"3\"\n"),
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\ndep = { path = \"../vendor/dep\" }\n",
        ),
        (
            "app/src/main.rs",
            "fn main() {\n    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10);\n    println!(\"{}\", dep::sum(n));\n}\n",
        ),
        ("vendor/dep/Cargo.toml", "[package]\nname = \"dep\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"),
        ("vendor/dep/src/lib.rs", "pub fn sum(n: u64) -> u64 {\n    (0..n).map(|i| i * i % 7).sum()\n}\n"),
    ];
    common::tree("bench", name, &files)
}

/// `cargo presets bench <args>` in `dir`, as [`common::measuring`] runs it.
fn bench_command(dir: &Path, args: &[&str]) -> Command {
    common::measuring(dir, &[&["bench"], args].concat())
}

fn bench(dir: &Path, args: &[&str]) -> Output {
    bench_command(dir, args).output().unwrap()
}

#[test]
fn json_report_has_every_variant_and_workflow_with_sane_ratios_and_files_untouched() {
    let dir = workspace("json");
    let before = common::snapshot(&dir, true);
    let output = bench(
        &dir,
        &[
            "fast-dev",
            "fast-compile",
            "--workflow",
            "check,build,rebuild,test,size,target-size,run",
            "--run-args",
            "1000",
            "--format",
            "json",
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    // Debug info acts only in code generation: each preset's `check` ratio is noise, and it says so.
    for name in ["fast-dev", "fast-compile"] {
        assert!(stderr.contains(&format!("note: `{name}` cannot change `check`: its settings (debug)")), "{stderr}");
    }
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    common::assert_report_shape("bench", &report);

    let variants = common::string_pairs(&report["variants"], "name", "profile");
    assert_eq!(variants, [("dev", "dev"), ("fast-dev", "dev"), ("fast-compile", "dev")]);
    let metrics: Vec<&str> =
        report["metrics"].as_array().unwrap().iter().map(|m| m["metric"].as_str().unwrap()).collect();
    for expected in
        ["check (wall)", "build (wall)", "binary size", "target dir", "run", "rebuild (wall)", "test build (wall)"]
    {
        assert!(metrics.contains(&expected), "{expected} missing from {metrics:?}");
    }
    let metric =
        |name: &str| report["metrics"].as_array().unwrap().iter().find(|m| m["metric"] == name).unwrap().clone();
    for m in report["metrics"].as_array().unwrap() {
        let values = m["values"].as_array().unwrap();
        assert_eq!(values.len(), 3, "{m}");
        assert!(values[0]["ratio"].is_null(), "the baseline has no ratio: {m}");
        for value in &values[1..] {
            let ratio = value["ratio"].as_f64().unwrap_or_else(|| panic!("no ratio: {m}"));
            assert!(ratio.is_finite() && ratio > 0.0, "{m}");
            assert!(value["median"].as_f64().unwrap() >= 0.0);
        }
    }
    // Debug info is what these presets cut, so the outputs shrink: sizes are deterministic.
    let ratio = |name: &str, variant: usize| metric(name)["values"][variant]["ratio"].as_f64().unwrap();
    assert!(ratio("binary size", 2) < 0.5, "fast-compile binary: {}", metric("binary size"));
    assert!(ratio("target dir", 2) < 0.5, "fast-compile target dir: {}", metric("target dir"));
    assert!(ratio("target dir", 1) <= 1.05, "fast-dev target dir: {}", metric("target dir"));

    assert!(common::snapshot(&dir, true) == before, "bench changed the workspace's files");
    assert!(!dir.join("Cargo.lock").exists(), "the builds resolve the copy: no Cargo.lock in the workspace");
    let chart = fs::read_to_string(chart(&dir)).unwrap();
    assert!(chart.starts_with("<svg") && chart.contains("fast-compile") && chart.contains("lower is better"));
    assert!(stderr.contains("one run per variant cannot tell a difference from noise"), "{stderr}");
}

/// The chart a run wrote: `target/cargo-presets/bench-<time>.svg`, a name per run.
fn chart(dir: &Path) -> PathBuf {
    let charts: Vec<PathBuf> = fs::read_dir(dir.join("target/cargo-presets"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with("bench-"))
        .collect();
    assert_eq!(charts.len(), 1, "{charts:?}");
    charts[0].clone()
}

#[test]
fn a_baseline_that_already_has_the_preset_is_named_and_missing_components_stop_before_building() {
    let dir = workspace("overlap");
    let apply = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
        .args(["presets", "apply", "fast-compile"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(apply.status.success());
    let output = bench(&dir, &["fast-compile", "--workflow", "size"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("the current settings already have every value of `fast-compile`")
            && stderr.contains("cargo presets remove fast-compile"),
        "{stderr}"
    );

    // rustup as it answers where nightly lacks rust-src, whatever this machine has.
    let bin = dir.join("fake-bin");
    common::executable(
        &bin.join("rustup"),
        "#!/bin/sh\nprintf 'cargo-x86_64-unknown-linux-gnu\\nrustc-x86_64-unknown-linux-gnu\\n'\n",
    );
    let args = ["embedded-size-nightly", "--workflow", "size"];
    let output = bench_command(&dir, &args).env("PATH", common::path_with(bin)).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(101), "{stderr}");
    assert!(stderr.contains("needs the rustup component `rust-src`") && !stderr.contains("Building"), "{stderr}");
}

/// `embedded-size-nightly` works only with std rebuilt (`-Zbuild-std`, `--target <host>`, from
/// the preset's `[requires] cargo-args`): bench passes those arguments to the preset's builds,
/// and finds the binary below the triple. Needs nightly with rust-src (`.ci/run` installs it).
#[test]
fn a_preset_that_rebuilds_std_is_built_with_its_arguments() {
    let rust_src = Command::new("rustup")
        .args(["component", "list", "--installed", "--toolchain", "nightly"])
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.starts_with("rust-src")));
    if !rust_src {
        eprintln!(
            "SKIPPED: nightly with rust-src is not installed (rustup component add rust-src --toolchain nightly)"
        );
        return;
    }
    let dir = workspace("build-std");
    let output = bench(&dir, &["embedded-size", "embedded-size-nightly", "--workflow", "size", "--format", "json"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let sizes: Vec<f64> = report["metrics"][0]["values"]
        .as_array()
        .unwrap_or_else(|| panic!("{report:#}"))
        .iter()
        .map(|v| v["median"].as_f64().unwrap_or_else(|| panic!("{report:#}")))
        .collect();
    // release, embedded-size, embedded-size-nightly: immediate abort leaves out the panic
    // machinery, which rebuilding std lets go.
    assert_eq!(sizes.len(), 3, "{report:#}");
    assert!(sizes[2] > 0.0 && sizes[2] < sizes[1], "{report:#}");
}

#[test]
fn human_table_puts_variants_side_by_side() {
    let dir = workspace("table");
    let output = bench(&dir, &["fast-compile", "--workflow", "size"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let table = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 2, "{table}");
    assert!(lines[0].contains("dev (baseline)") && lines[0].contains("fast-compile [dev]"), "{table}");
    assert!(lines[1].starts_with("binary size") && lines[1].contains(" x0."), "{table}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let chart = chart(&dir);
    let chart = chart.strip_prefix(&dir).unwrap().display().to_string();
    assert!(stderr.contains("Building dev (build, run 1/1)") && stderr.contains(&format!("Chart {chart}")), "{stderr}");
    // Sizes need no repeated runs, so no warning about noise.
    assert!(!stderr.contains("one run per variant"), "{stderr}");

    // `-v` shows cargo's own output as it builds.
    let output = bench(&dir, &["fast-compile", "--workflow", "size", "-v"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && stderr.contains("Compiling app"), "{stderr}");
}

#[test]
fn presets_for_different_kinds_of_build_are_refused() {
    let dir = workspace("mixed");
    let output = bench(&dir, &["fast-dev", "embedded-size"]);
    assert_eq!(output.status.code(), Some(101));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("preset `embedded-size` is for `release` builds, the others for `dev`"), "{stderr}");
}

/// Config presets are benched too, through the same `--config` file: their flags reach rustc in
/// the preset's builds only (a `RUSTC_WRAPPER` logs each rustc command line with its target
/// directory), and `PRESET:VARIANT` picks a variant other than this machine's.
#[test]
fn config_presets_and_their_variants_reach_rustc_in_their_own_builds_only() {
    let dir = workspace("config-presets");
    let (wrapper, log) = rustc_logger(&dir);
    let mold = Command::new("mold").arg("--version").output().is_ok();
    let mut presets = vec!["native-cpu"];
    if mold {
        presets.push("fast-link:mold");
    } else {
        eprintln!("SKIPPED: the fast-link:mold part (mold is not installed)");
    }
    let output = bench_command(&dir, &[&presets[..], &["--workflow", "size"]].concat())
        .env("RUSTC_WRAPPER", &wrapper)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let log = fs::read_to_string(&log).unwrap();
    let app = |target: &str| -> Vec<&str> {
        log.lines().filter(|l| l.contains(&format!("/{target}/")) && l.contains("--crate-name app")).collect()
    };
    let (baseline, native) = (app("target-baseline"), app("target-0"));
    assert!(!baseline.is_empty() && !native.is_empty(), "{log}");
    assert!(baseline.iter().all(|l| !l.contains("target-cpu=native") && !l.contains("fuse-ld")), "{log}");
    assert!(native.iter().all(|l| l.contains("-C target-cpu=native")), "{log}");
    if mold {
        assert!(stderr.contains("Choosing `fast-link` variant `mold` (chosen by name)"), "{stderr}");
        assert!(app("target-1").iter().any(|l| l.contains("-fuse-ld=mold")), "{log}");
    }

    // A variant that does not exist, or a preset without variants, stops before any build.
    for (name, message) in [
        ("fast-link:nope", "help: `fast-link` has: rust-lld, mold, wild, lld, macos, windows-msvc"),
        ("fast-dev:mold", "none of the presets has a variant named `mold`"),
    ] {
        let output = bench(&dir, &[name, "--workflow", "size"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(101), "{stderr}");
        assert!(stderr.contains(message) && !stderr.contains("Building"), "{stderr}");
    }
}

/// A `RUSTC_WRAPPER` that logs each rustc command line, after the target directory and the
/// toolchain rustup runs, to the returned log file.
fn rustc_logger(dir: &Path) -> (PathBuf, PathBuf) {
    let log = dir.join("rustc.log");
    let wrapper = dir.join("log-rustc.sh");
    let script = format!(
        "#!/bin/sh\necho \"$CARGO_TARGET_DIR toolchain=$RUSTUP_TOOLCHAIN $*\" >> '{}'\nexec \"$@\"\n",
        log.display()
    );
    common::executable(&wrapper, &script);
    (wrapper, log)
}

/// A nightly preset is measured against a baseline built with the same nightly toolchain, so the
/// ratio is the preset's, not the toolchain's.
#[test]
fn a_nightly_preset_is_measured_against_a_nightly_baseline() {
    if Command::new("cargo").args(["+nightly", "--version"]).output().map_or(true, |o| !o.status.success()) {
        eprintln!("SKIPPED: no nightly toolchain");
        return;
    }
    let dir = workspace("nightly-baseline");
    let (wrapper, log) = rustc_logger(&dir);
    let output = bench_command(&dir, &["parallel-frontend", "--workflow", "size"])
        .env("RUSTC_WRAPPER", &wrapper)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("every variant builds with nightly cargo"), "{stderr}");
    let log = fs::read_to_string(&log).unwrap();
    let app = |target: &str| -> Vec<&str> {
        log.lines().filter(|l| l.contains(&format!("/{target}/")) && l.contains("--crate-name app")).collect()
    };
    let (baseline, preset) = (app("target-baseline"), app("target-0"));
    assert!(!baseline.is_empty() && !preset.is_empty(), "{log}");
    assert!(baseline.iter().all(|l| l.contains("toolchain=nightly") && !l.contains("-Zthreads")), "{log}");
    assert!(preset.iter().all(|l| l.contains("toolchain=nightly") && l.contains("-Zthreads=")), "{log}");
}

/// `--chart` writes a new file or replaces a chart this tool wrote; any other file (a source
/// file given by mistake) is refused before any build, and kept as it was.
#[test]
fn chart_replaces_only_a_chart_this_tool_wrote() {
    let dir = workspace("chart");
    let source = dir.join("app/src/main.rs");
    let before = common::snapshot(&dir, true);
    let output = bench(&dir, &["fast-compile", "--workflow", "size", "--chart", "app/src/main.rs"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(101), "{stderr}");
    assert!(
        stderr.contains("`app/src/main.rs` exists and is not a chart cargo-presets wrote")
            && !stderr.contains("Building"),
        "{stderr}"
    );
    assert!(common::snapshot(&dir, true) == before, "the refused file changed");
    assert!(fs::read_to_string(&source).unwrap().starts_with("fn main()"));

    for _ in 0..2 {
        let output = bench(&dir, &["fast-compile", "--workflow", "size", "--chart", "out.svg"]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let chart = fs::read_to_string(dir.join("out.svg")).unwrap();
        assert!(chart.starts_with("<svg") && chart.contains("<!-- cargo-presets chart -->"), "{chart}");
    }
}

/// A workspace in `<dir>/ws`, a temporary directory of its own in `<dir>/tmp`, and a
/// `RUSTC_WRAPPER` that pauses the first compile of `app` ([`common::pause_wrapper`]).
fn paused_workspace(name: &str) -> PathBuf {
    let dir = common::tree("bench-paused", name, &[("tmp/.keep", "")]);
    fs::remove_file(dir.join("tmp/.keep")).unwrap();
    let ws = workspace(name);
    fs::rename(&ws, dir.join("ws")).unwrap();
    common::pause_wrapper(&dir, "app");
    dir
}

/// Starts `bench` in `<dir>/ws` with the pausing wrapper, and returns once the build is paused.
fn start_paused(dir: &Path, args: &[&str]) -> std::process::Child {
    let mut command = bench_command(&dir.join("ws"), args);
    command
        .env("RUSTC_WRAPPER", dir.join("pause-rustc.sh"))
        .env("TMPDIR", dir.join("tmp"))
        .env_remove("CARGO_TARGET_DIR");
    common::spawn_paused(dir, &mut command)
}

/// The scratch directories in `<dir>/tmp`.
fn scratch_dirs(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir.join("tmp")).unwrap().map(|e| e.unwrap().path()).collect()
}

/// The builds happen in a private copy: an edit saved to a source file during the run keeps its
/// bytes and time, the `Cargo.lock` the builds create is the copy's, and the scratch directory
/// has a random name only its owner can enter, and goes at the end.
#[test]
fn an_edit_saved_during_a_run_is_kept_and_the_builds_happen_in_a_private_copy() {
    use std::os::unix::fs::PermissionsExt;
    let dir = paused_workspace("edit");
    let ws = dir.join("ws");
    let before = common::snapshot(&ws, true);
    let child = start_paused(&dir, &["fast-compile", "--workflow", "build,rebuild"]);

    let scratch = scratch_dirs(&dir);
    assert_eq!(scratch.len(), 1, "{scratch:?}");
    let name = scratch[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("cargo-presets-bench-") && name != format!("cargo-presets-bench-{}", child.id()),
        "{name}"
    );
    assert_eq!(fs::symlink_metadata(&scratch[0]).unwrap().permissions().mode() & 0o777, 0o700);
    let copy_lock = walkdir::WalkDir::new(&scratch[0]).into_iter().flatten().any(|e| e.file_name() == "Cargo.lock");
    assert!(copy_lock, "cargo resolved the copy");
    assert!(!ws.join("Cargo.lock").exists());

    // The user saves an edit while the build runs.
    let source = ws.join("app/src/main.rs");
    let edited = "fn main() {\n    println!(\"edited during the run\");\n}\n";
    fs::write(&source, edited).unwrap();
    let saved = fs::metadata(&source).unwrap().modified().unwrap();
    fs::write(dir.join("go"), "").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    assert_eq!(fs::read_to_string(&source).unwrap(), edited);
    assert_eq!(fs::metadata(&source).unwrap().modified().unwrap(), saved);
    let mut after = common::snapshot(&ws, true);
    after.remove(&source);
    let mut expected = before;
    expected.remove(&source);
    assert!(after == expected, "bench changed the workspace's other files");
    assert!(!ws.join("Cargo.lock").exists(), "no Cargo.lock in the workspace");
    assert!(scratch_dirs(&dir).is_empty(), "the scratch directory is removed");
}

/// SIGTERM or SIGHUP in the middle of a build ends the run soon, as Ctrl-C does: the workspace
/// as it was, the scratch directory gone, exit 128 + the signal.
#[test]
fn sigterm_and_sighup_stop_the_run_and_remove_the_scratch_directory() {
    for signal in ["TERM", "HUP"] {
        let dir = paused_workspace(&format!("sig{signal}"));
        let ws = dir.join("ws");
        let before = common::snapshot(&ws, true);
        let child = start_paused(&dir, &["fast-compile", "--workflow", "build"]);
        common::stop_with(&dir, child, signal);
        assert!(scratch_dirs(&dir).is_empty(), "{signal}: {:?}", scratch_dirs(&dir));
        assert!(common::snapshot(&ws, true) == before, "{signal}: the workspace changed");
    }
}

/// What a SIGKILLed run left is removed by the next run, once its process is gone; another
/// live run's directory, a directory without an owner file and a link are left alone (a link
/// is never followed).
#[test]
fn the_next_run_removes_what_a_killed_run_left_and_nothing_else() {
    let dir = paused_workspace("sigkill");
    let ws = dir.join("ws");
    let before = common::snapshot(&ws, true);
    let tmp = dir.join("tmp");
    // Decoys: a live owner (this test), no owner file, and a link to a dead run's directory.
    let live = tmp.join("cargo-presets-bench-live");
    fs::create_dir(&live).unwrap();
    fs::write(live.join("owner.pid"), std::process::id().to_string()).unwrap();
    let unowned = tmp.join("cargo-presets-bench-unowned");
    fs::create_dir(&unowned).unwrap();
    let elsewhere = dir.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("owner.pid"), "999999999").unwrap();
    std::os::unix::fs::symlink(&elsewhere, tmp.join("cargo-presets-bench-link")).unwrap();
    let decoys = scratch_dirs(&dir);

    let mut child = start_paused(&dir, &["fast-compile", "--workflow", "build"]);
    let killed: Vec<PathBuf> = scratch_dirs(&dir).into_iter().filter(|d| !decoys.contains(d)).collect();
    assert_eq!(killed.len(), 1, "{killed:?}");
    child.kill().unwrap();
    child.wait().unwrap();
    // Its cargo, in a process group of its own, is stopped too, as a user would.
    let wrapper = fs::read_to_string(dir.join("reached")).unwrap();
    let stat = fs::read_to_string(format!("/proc/{}/stat", wrapper.trim())).unwrap();
    let group = stat.rsplit_once(')').unwrap().1.split_whitespace().nth(2).unwrap().to_owned();
    Command::new("kill").args(["-KILL", "--", &format!("-{group}")]).status().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(killed[0].exists());

    let output = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
        .args(["presets", "bench", "fast-compile", "--workflow", "size"])
        .current_dir(&ws)
        .env("TMPDIR", &tmp)
        .env("CARGO_NET_OFFLINE", "true")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut left = scratch_dirs(&dir);
    left.sort();
    let mut decoys = decoys;
    decoys.sort();
    assert_eq!(left, decoys, "only the killed run's directory is removed");
    assert!(elsewhere.join("owner.pid").exists(), "a link is not followed");
    assert!(common::snapshot(&ws, true) == before, "the workspace changed");
}

/// A FIFO where cargo would find a config file above the workspace is not copied (a copy would
/// block on it): the run stops at once with the config readers' error, and writes nothing.
#[test]
fn a_fifo_config_above_the_workspace_is_refused_not_copied() {
    let dir = paused_workspace("fifo");
    fs::create_dir_all(dir.join(".cargo")).unwrap();
    assert!(Command::new("mkfifo").arg(dir.join(".cargo/config.toml")).status().unwrap().success());
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
        .args(["presets", "bench", "fast-compile", "--workflow", "size"])
        .current_dir(dir.join("ws"))
        .env("TMPDIR", dir.join("tmp"))
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > std::time::Duration::from_secs(10) {
            child.kill().unwrap();
            panic!("bench blocked on the FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(101), "{stderr}");
    assert!(stderr.contains("`../.cargo/config.toml` is a named pipe (FIFO), not a regular file"), "{stderr}");
    assert!(scratch_dirs(&dir).is_empty());
}

/// A `rustup override set` for the workspace is kept by path in `$RUSTUP_HOME/settings.toml`,
/// so rustup would not find it from the copy: the builds there get its toolchain all the same.
#[test]
fn a_rustup_directory_override_reaches_the_builds_in_the_copy() {
    let real = std::env::var_os("RUSTUP_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".rustup")));
    let toolchains = real.map(|home| home.join("toolchains")).filter(|t| t.is_dir());
    let nightly = Command::new("cargo").args(["+nightly", "--version"]).output().is_ok_and(|o| o.status.success());
    let (Some(toolchains), true) = (toolchains, nightly) else {
        eprintln!("SKIPPED: needs rustup with a nightly toolchain");
        return;
    };
    let dir = workspace("rustup-override");
    let (wrapper, log) = rustc_logger(&dir);
    // A private rustup home: the machine's toolchains, and an override for this workspace only.
    let home = common::tree("bench-rustup", "home", &[("x", "")]);
    std::os::unix::fs::symlink(&toolchains, home.join("toolchains")).unwrap();
    let key = dir.canonicalize().unwrap().display().to_string();
    let settings = format!(
        "version = \"12\"\ndefault_toolchain = \"stable\"\nprofile = \"minimal\"\n\n[overrides]\n{key:?} = \"nightly\"\n"
    );
    fs::write(home.join("settings.toml"), settings).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-presets"));
    command.args(["presets", "bench", "fast-compile", "--workflow", "size"]).current_dir(&dir);
    let output = command
        .env("RUSTC_WRAPPER", &wrapper)
        .env("RUSTUP_HOME", &home)
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("RUSTUP_TOOLCHAIN")
        // `cargo` from PATH, which is rustup's: it picks the toolchain as a user's shell would.
        .env_remove("CARGO")
        .env_remove("RUSTC")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let log = fs::read_to_string(&log).unwrap();
    let app: Vec<&str> = log.lines().filter(|l| l.contains("--crate-name app")).collect();
    assert_eq!(app.len(), 2, "{log}");
    assert!(app.iter().all(|l| l.contains("toolchains/nightly")), "{log}");
}
