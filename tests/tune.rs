//! `cargo presets tune` through the real binary and real cargo, on a tiny registry-free
//! workspace with a short budget. A `RUSTC_WRAPPER` (and, for the linker, a `cc` on `PATH`)
//! makes what should lose sleep two seconds, so that the search has a known winner whatever
//! the machine's noise; the builds themselves are real.

#![cfg(unix)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A member and a path dependency outside the workspace (so `package."*"` applies to it), and
/// a wrapper that sleeps `delay` seconds before each rustc run whose arguments contain `slow`.
fn workspace(name: &str, slow: &str, delay: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("tune").join(name);
    let _ = fs::remove_dir_all(&dir);
    common::app_and_dependency("tune", &format!("{name}/ws"), "dep", "");
    let wrapper = format!("#!/bin/sh\ncase \"$*\" in *{slow}*) sleep {delay};; esac\nexec \"$@\"\n");
    common::executable(&dir.join("slow-rustc"), &wrapper);
    fs::create_dir_all(dir.join("tmp")).unwrap();
    dir
}

fn tune(dir: &Path, args: &[&str]) -> Command {
    let mut command = common::measuring(&dir.join("ws"), &[&["tune"], args].concat());
    command
        .env("RUSTC_WRAPPER", dir.join("slow-rustc"))
        // The scratch directory goes here, where the test can see that it is removed.
        .env("TMPDIR", dir.join("tmp"))
        .env("CARGO_HOME", std::env::var_os("CARGO_HOME").unwrap_or_default())
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET_DIR");
    command
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_setting_that_wins_is_saved_as_a_preset_that_loads_and_nothing_else_changes() {
    // Two seconds per crate with full debug info, on clean builds only: the sleeps, which load
    // cannot shorten, dwarf the compile times, which it makes noisy (with half a second, and a
    // rebuild that recompiles one crate, a busy machine ran out of pairs on a tie).
    let dir = workspace("wins", "debuginfo=2", "2");
    let before = common::snapshot(&dir.join("ws"), false);
    let start = Instant::now();
    let output = tune(&dir, &["--workflow", "build", "--budget", "60s", "--max-pairs", "4", "--format", "json"])
        .output()
        .unwrap();
    let took = start.elapsed();
    assert!(output.status.success(), "{}", stderr(&output));
    // Within the budget, give or take the pair in progress and the start-up.
    assert!(took < Duration::from_secs(80), "{took:?}");
    // Each build's progress line says the time left when it starts (on a terminal, counting down).
    let log = stderr(&output);
    assert!(log.lines().any(|l| l.contains("current, pair 1/4: build, ") && l.ends_with(" left")), "{log}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    common::assert_report_shape("tune", &json);
    assert_eq!(json["saved"], ".cargo/presets/tuned.toml", "{json:#}");
    assert_eq!(json["saved_as"], "project", "{json:#}");
    // Full debug info is what the wrapper makes slow, for every crate: dropping it, for the
    // dependencies or for the workspace's own crates (whichever the search reaches first on a
    // busy machine), is what wins. Which one is a decision on real timings, not asserted here.
    let first_kept = json["kept"][0]["setting"].as_str().unwrap_or_default();
    assert!(["debug info of dependencies", "debug info of your crates"].contains(&first_kept), "{json:#}");
    let trials = json["trials"].as_array().unwrap();
    let kept = trials.iter().find(|t| t["verdict"] == "kept").unwrap();
    assert!(kept["ratio"].as_f64().unwrap() < 0.9, "{kept:#}");
    assert!(kept["pairs"].as_u64().unwrap() >= 3);

    // The preset loads, and its comments carry the figures.
    let saved = fs::read_to_string(dir.join("ws/.cargo/presets/tuned.toml")).unwrap();
    assert!(saved.contains("why = \"measured faster here: build "), "{saved}");
    let show = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
        .args(["presets", "show", "tuned"])
        .current_dir(dir.join("ws"))
        .output()
        .unwrap();
    assert!(show.status.success(), "{}", stderr(&show));
    let table =
        if first_kept == "debug info of dependencies" { "[profile.dev.package.\"*\"]" } else { "[profile.dev]" };
    assert!(String::from_utf8_lossy(&show.stdout).contains(table), "{}", String::from_utf8_lossy(&show.stdout));

    // Every file that was there is as it was, bytes and times; the only new ones are the
    // preset and the chart; no Cargo.lock, no build in target/, no scratch directory.
    let after = common::snapshot(&dir.join("ws"), false);
    for (path, was) in &before {
        assert_eq!(after.get(path), Some(was), "{}", path.display());
    }
    let new: Vec<String> = after
        .keys()
        .filter(|p| !before.contains_key(*p))
        .map(|p| p.strip_prefix(dir.join("ws")).unwrap().display().to_string())
        .collect();
    assert_eq!(new.len(), 2, "{new:?}");
    assert!(new.contains(&".cargo/presets/tuned.toml".to_owned()), "{new:?}");
    assert!(new.iter().any(|p| p.starts_with("target/cargo-presets/tune-") && p.ends_with(".svg")), "{new:?}");
    assert_eq!(fs::read_dir(dir.join("tmp")).unwrap().count(), 0);
}

#[test]
fn ctrl_c_stops_the_builds_writes_nothing_and_removes_the_temporary_files() {
    // Every compile is slow, so that the signal comes during a build.
    let dir = workspace("ctrl-c", "--crate-name", "3");
    let before = common::snapshot(&dir.join("ws"), false);
    let mut child = tune(&dir, &["--budget", "10m"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while fs::read_dir(dir.join("tmp")).unwrap().count() == 0 {
        assert!(Instant::now() < deadline, "no scratch directory appeared");
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(1500));
    let sent = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let start = Instant::now();
    let status = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut err).unwrap();
    // The build in progress was stopped, not waited for.
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
    assert_eq!(status.code(), Some(130), "{err}");
    assert!(err.contains("Interrupted nothing written; the temporary files are removed"), "{err}");
    assert_eq!(fs::read_dir(dir.join("tmp")).unwrap().count(), 0);
    assert_eq!(common::snapshot(&dir.join("ws"), false), before);
}

#[test]
fn a_candidate_that_fails_to_build_is_reported_and_dropped() {
    // A `mold` whose linker driver fails: the candidate that links with it cannot build.
    let dir = workspace("fails", "never-slow", "0");
    let bin = dir.join("bin");
    for name in ["mold", "ld.mold"] {
        common::executable(&bin.join(name), "#!/bin/sh\necho 'fake mold: cannot link' >&2\nexit 1\n");
    }
    let path = common::path_with(bin);
    let output = tune(&dir, &["--workflow", "build", "--budget", "2m", "--max-pairs", "3", "--format", "json"])
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    common::assert_report_shape("tune", &json);
    let trials = json["trials"].as_array().unwrap();
    let failed = trials.iter().position(|t| t["setting"] == "linker").expect("the linker was tried");
    assert_eq!(trials[failed]["value"], "mold");
    assert_eq!(trials[failed]["verdict"], "failed", "{json:#}");
    assert!(trials[failed]["error"].as_str().unwrap().contains("linking with"), "{json:#}");
    // The search went on without it.
    assert!(trials[failed + 1..].iter().any(|t| t["setting"] == "codegen-units"), "{json:#}");
    assert!(json["kept"].as_array().unwrap().iter().all(|k| k["setting"] != "linker"));
    assert_eq!(fs::read_dir(dir.join("tmp")).unwrap().count(), 0);
}

/// A real linker wins beside a profile setting, and the result is split where each part may
/// live, then applied: the default link goes through a `cc` that sleeps two seconds first, while
/// a link with mold skips the sleep (its flag is on the `cc` line), and line-tables debug info
/// makes each compile of `app` sleep two seconds, so no verdict can flip on a loaded machine.
/// Only `rebuild` is measured and dependencies have no debug info: the debug info of your crates
/// and the linker are the two settings searched.
#[test]
fn a_winning_linker_is_saved_as_your_own_preset_beside_the_projects_and_both_apply() {
    let real_cc = ["/usr/bin/cc", "/bin/cc"].into_iter().find(|cc| Path::new(cc).exists());
    let mold = Command::new("mold").arg("--version").output().is_ok_and(|o| o.status.success());
    let (Some(real_cc), true) = (real_cc, mold) else {
        eprintln!("SKIPPED: a linker win needs mold and a `cc` (`.ci/run` installs mold)");
        return;
    };
    let dir = workspace("linker-wins", "debuginfo=line-tables-only", "2");
    let manifest = dir.join("ws/Cargo.toml");
    let profile = "\n[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\ndebug = false\n";
    fs::write(&manifest, fs::read_to_string(&manifest).unwrap() + profile).unwrap();
    let bin = dir.join("bin");
    let cc = format!("#!/bin/sh\ncase \"$*\" in *-fuse-ld=mold*) ;; *) sleep 2;; esac\nexec {real_cc} \"$@\"\n");
    common::executable(&bin.join("cc"), &cc);
    let path = common::path_with(bin);
    let home = dir.join("cargo-home");
    let before = common::snapshot(&dir.join("ws"), false);
    let output = tune(&dir, &["--workflow", "rebuild", "--budget", "3m", "--max-pairs", "3", "--format", "json"])
        .env("PATH", &path)
        .env("CARGO_HOME", &home)
        .output()
        .unwrap();
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let kept = common::string_pairs(&json["kept"], "setting", "value");
    assert_eq!(kept, [("debug info of your crates", "false"), ("linker", "mold")], "{json:#}\n{log}");
    let (project, personal) = (".cargo/presets/tuned.toml", "$CARGO_HOME/presets/tuned-linker.toml");
    let files = serde_json::json!([{ "path": project, "as": "project" }, { "path": personal, "as": "user" }]);
    assert_eq!(json["saved_files"], files, "{json:#}");
    assert_eq!((&json["saved"], &json["saved_as"]), (&project.into(), &"project".into()));
    for line in [
        format!("Wrote {project} (1 setting)"),
        format!("Wrote {personal} (1 setting)"),
        "note: `tuned-linker` is your own preset: it names a program".to_owned(),
        "apply them with `cargo presets apply tuned tuned-linker --to config`".to_owned(),
    ] {
        assert!(log.contains(&line), "no `{line}` in:\n{log}");
    }
    let linker = fs::read_to_string(home.join("presets/tuned-linker.toml")).unwrap();
    assert!(linker.contains("fuse-ld=mold") && !linker.contains("[profile"), "{linker}");
    let tuned = fs::read_to_string(dir.join("ws/.cargo/presets/tuned.toml")).unwrap();
    assert!(tuned.contains("[profile.dev]") && !tuned.contains("mold\""), "{tuned}");
    // The preset and the chart are the only new files in the workspace.
    let after = common::snapshot(&dir.join("ws"), false);
    assert_eq!(after.len(), before.len() + 2, "{:?}", after.keys().collect::<Vec<_>>());

    // Both apply, and cargo then builds `app` without debug info and links it with mold.
    let apply = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .args(["presets", "apply", "tuned", "tuned-linker", "--to", "config"])
        .current_dir(dir.join("ws"))
        .env("CARGO_HOME", &home)
        .output()
        .unwrap();
    assert!(apply.status.success(), "{}", stderr(&apply));
    let build = Command::new("cargo")
        .args(["build", "-v", "--offline"])
        .current_dir(dir.join("ws"))
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .output()
        .unwrap();
    let build_log = stderr(&build);
    assert!(build.status.success(), "{build_log}");
    let app = build_log.lines().find(|l| l.contains("--crate-name app")).unwrap_or_else(|| panic!("{build_log}"));
    assert!(app.contains("link-arg=-fuse-ld=mold") && !app.contains("debuginfo=line-tables-only"), "{app}");
}

/// SIGTERM or SIGHUP in the middle of a build ends the run soon, as Ctrl-C does: nothing
/// written, the scratch directory gone, exit 128 + the signal.
#[test]
fn sigterm_and_sighup_stop_the_builds_write_nothing_and_remove_the_temporary_files() {
    for signal in ["TERM", "HUP"] {
        let dir = workspace(&format!("sig{signal}"), "never-slow", "0");
        let wrapper = common::pause_wrapper(&dir, "app");
        let before = common::snapshot(&dir.join("ws"), false);
        let mut command = tune(&dir, &["--budget", "10m"]);
        command.env("RUSTC_WRAPPER", &wrapper);
        let stderr = common::stop_with(&dir, common::spawn_paused(&dir, &mut command), signal);
        assert!(stderr.contains("Interrupted nothing written; the temporary files are removed"), "{stderr}");
        assert_eq!(fs::read_dir(dir.join("tmp")).unwrap().count(), 0, "{signal}");
        assert_eq!(common::snapshot(&dir.join("ws"), false), before, "{signal}");
    }
}

/// The builds happen in a private copy: a source edit and a `Cargo.lock` the user saves while
/// `tune` builds keep their bytes and times; nothing else in the workspace changes but the preset
/// `tune` may save.
#[test]
fn an_edit_and_a_lock_file_saved_during_a_run_are_kept() {
    let dir = workspace("edit", "never-slow", "0");
    let ws = dir.join("ws");
    let wrapper = common::pause_wrapper(&dir, "app");
    // `target/` holds the chart `tune` draws, as `bench`'s.
    let before = common::snapshot(&ws, true);
    let mut command = tune(&dir, &["--workflow", "build", "--budget", "1m", "--max-pairs", "3"]);
    command.env("RUSTC_WRAPPER", &wrapper);
    let child = common::spawn_paused(&dir, &mut command);

    let source = ws.join("app/src/main.rs");
    let edited = "fn main() {\n    println!(\"edited during the run: {}\", dep::sum(3));\n}\n";
    fs::write(&source, edited).unwrap();
    let lock = ws.join("Cargo.lock");
    let lock_text =
        "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n";
    fs::write(&lock, lock_text).unwrap();
    let saved = [
        (&source, fs::metadata(&source).unwrap().modified().unwrap()),
        (&lock, fs::metadata(&lock).unwrap().modified().unwrap()),
    ];
    fs::write(dir.join("go"), "").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", stderr(&output));

    assert_eq!(fs::read_to_string(&source).unwrap(), edited);
    assert_eq!(fs::read_to_string(&lock).unwrap(), lock_text);
    for (file, time) in saved {
        assert_eq!(fs::metadata(file).unwrap().modified().unwrap(), time, "{}", file.display());
    }
    let mut after = common::snapshot(&ws, true);
    after.retain(|path, _| !path.starts_with(ws.join(".cargo/presets")) && *path != source && *path != lock);
    let mut expected = before;
    expected.remove(&source);
    assert!(after == expected, "tune changed the workspace's other files");
    assert_eq!(fs::read_dir(dir.join("tmp")).unwrap().count(), 0, "the scratch directory is removed");
}

/// SIGKILL at moments the test does not choose (a pseudo-random delay per round) leaves the
/// workspace byte- and time-identical; what the killed run left is removed by the next run.
#[test]
fn sigkill_at_any_moment_leaves_the_workspace_as_it_was_and_the_next_run_cleans_up() {
    let dir = workspace("sigkill", "never-slow", "0");
    let ws = dir.join("ws");
    let before = common::snapshot(&ws, false);
    let seed = std::process::id() as u64;
    for round in 0..3u64 {
        // 0.2 to 3 s: before the copy, during the first build, or between comparisons.
        let delay =
            200 + (seed.wrapping_mul(6364136223846793005).wrapping_add(round * 1442695040888963407) >> 33) % 2800;
        let mut child = tune(&dir, &["--workflow", "build", "--budget", "1m"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        child.kill().unwrap();
        child.wait().unwrap();
        // Its cargo runs in a process group of its own and finishes its build; wait for it.
        let start = Instant::now();
        let scratch = dir.join("tmp");
        while Command::new("pgrep").args(["-f", &scratch.display().to_string()]).status().unwrap().success() {
            assert!(start.elapsed() < Duration::from_secs(60), "the killed run's builds never ended");
            std::thread::sleep(Duration::from_millis(100));
        }
        assert!(
            common::snapshot(&ws, false) == before,
            "round {round} (killed after {delay} ms): the workspace changed"
        );
    }
    // The next run (any command that builds in a copy) removes what the killed runs left.
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
        .args(["presets", "bench", "fast-compile", "--workflow", "size"])
        .current_dir(&ws)
        .env("TMPDIR", dir.join("tmp"))
        .env("CARGO_NET_OFFLINE", "true")
        .env("RUSTC_WRAPPER", dir.join("slow-rustc"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(fs::read_dir(dir.join("tmp")).unwrap().count(), 0, "leftovers of the killed runs are removed");
    // `bench` adds its chart to `target/`, and nothing else.
    let mut after = common::snapshot(&ws, false);
    after.retain(|path, _| !path.starts_with(ws.join("target/cargo-presets")));
    assert!(after == before, "the next run changed the workspace");
}
