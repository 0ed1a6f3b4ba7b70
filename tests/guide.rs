//! The guided mode, driven as a person would: the real binary in a pseudo-terminal, keys typed,
//! the screen read. Every flow ends by comparing files with what the scripted command writes.
#![cfg(unix)]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession as Session;
use expectrl::{Eof, Expect, Regex};

const MANIFEST: &str = "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2024\"\n";

/// A package whose `[profile.dev]` sets `debug` by hand, which `fast-dev` would change.
const HAND_WRITTEN: &str =
    "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[profile.dev]\ndebug = 1 # ours\n";

fn workspace(name: &str, manifest: &str) -> PathBuf {
    let dir = common::tree("guide", name, &[("Cargo.toml", manifest), ("src/main.rs", "fn main() {}\n")]);
    fs::create_dir_all(dir.join("home")).unwrap();
    dir
}

fn bin(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-presets"));
    command.env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"));
    command.args(args).current_dir(dir).env("CARGO_HOME", dir.join("home")).env("NO_COLOR", "1").env("TERM", "xterm");
    command.env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap());
    command
}

fn spawn(dir: &Path, args: &[&str]) -> Session {
    let mut session = Session::spawn(bin(dir, args)).unwrap();
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    session
}

fn typed(session: &mut Session, keys: &str) {
    session.send(keys).unwrap();
}

/// Picks `name` in the preset list (typed to filter it, Space to tick it) and accepts the list.
fn pick_one(session: &mut Session, name: &str) {
    session.expect("Which presets?").unwrap();
    typed(session, name);
    typed(session, " ");
    session.expect(format!("> [x] {name}").as_str()).unwrap();
    typed(session, "\r");
}

/// Waits for the end; the exit status, and everything printed after the last expectation.
fn finished(mut session: Session) -> (i32, String) {
    let rest = session.expect(Eof).unwrap();
    let text = String::from_utf8_lossy(rest.as_bytes()).into_owned();
    let status = match session.get_process_mut().wait().unwrap() {
        WaitStatus::Exited(_, code) => code,
        other => panic!("{other:?}"),
    };
    (status, text)
}

const BACKSPACE: &str = "\x7f";
const ESC: &str = "\x1b";

/// Picks `debugging` and `fast-dev` by typing and Space.
fn pick_two(session: &mut Session) {
    session.expect("Which presets?").unwrap();
    typed(session, "fast-d");
    session.expect("> [ ] fast-dev").unwrap();
    typed(session, " ");
    session.expect("> [x] fast-dev").unwrap();
    typed(session, &BACKSPACE.repeat(6));
    typed(session, "debugging");
    session.expect("> [ ] debugging").unwrap();
    typed(session, " ");
    session.expect("> [x] debugging").unwrap();
    typed(session, "\r");
}

/// The scripted command the guide printed, run on a fresh copy, gives the same bytes.
fn same_as_printed_command(out: &str, name: &str, manifest: &str, result: &Path) {
    let line = out.lines().map(str::trim).find(|l| l.starts_with("cargo presets apply")).expect(out);
    let args: Vec<&str> = line.split_whitespace().skip(1).collect();
    let fresh = workspace(name, manifest);
    let output = bin(&fresh, &args).output().unwrap();
    assert!(output.status.success(), "{line}: {}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(fs::read_to_string(fresh.join("Cargo.toml")).unwrap(), fs::read_to_string(result).unwrap(), "{line}");
}

#[test]
fn two_presets_by_typing_and_space_the_default_file_and_yes_write_what_apply_writes() {
    let dir = workspace("yes", MANIFEST);
    let mut session = spawn(&dir, &["presets"]);
    pick_two(&mut session);
    session.expect("Presets: debugging fast-dev").unwrap();
    session.expect("Where should they go?").unwrap();
    session.expect("> the workspace Cargo.toml (default)").unwrap();
    typed(&mut session, "\r");
    session.expect("+[profile.debugging]").unwrap();
    session.expect("Apply these changes? [y/N]").unwrap();
    typed(&mut session, "y");
    let (status, out) = finished(session);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("cargo build --profile debugging") && out.contains("cargo presets check"), "{out}");
    assert!(out.contains("cargo presets apply debugging fast-dev\r\n"), "{out}");
    same_as_printed_command(&out, "yes-scripted", MANIFEST, &dir.join("Cargo.toml"));
}

#[test]
fn no_writes_nothing() {
    let dir = workspace("no", MANIFEST);
    let before = common::files(&dir);
    let mut session = spawn(&dir, &["presets", "apply", "--interactive"]);
    pick_two(&mut session);
    session.expect("Where should they go?").unwrap();
    typed(&mut session, "\r");
    session.expect("Apply these changes? [y/N]").unwrap();
    typed(&mut session, "n");
    let (status, out) = finished(session);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("nothing was written"), "{out}");
    assert_eq!(common::files(&dir), before);
}

#[test]
fn esc_at_each_step_and_ctrl_c_write_nothing_and_exit_130() {
    // The keys that reach each step; Esc there.
    let steps: [(&str, &[&str]); 5] = [
        ("presets", &[]),
        ("presets-ctrl-c", &[]),
        ("file", &["fast-dev", " ", "\r"]),
        ("conflict", &["fast-dev", " ", "\r", "\r"]),
        ("confirm", &["fast-dev", " ", "\r", "\r", "\r"]),
    ];
    for (step, keys) in steps {
        let dir = workspace(&format!("esc-{step}"), HAND_WRITTEN);
        let before = common::files(&dir);
        let mut session = spawn(&dir, &["presets"]);
        session.expect("Which presets?").unwrap();
        for key in keys {
            typed(&mut session, key);
            std::thread::sleep(Duration::from_millis(100));
        }
        let waiting_for = match step {
            "presets" | "presets-ctrl-c" => None,
            "file" => Some("Where should they go?"),
            "conflict" => Some("keep yours"),
            _ => Some("Apply these changes?"),
        };
        if let Some(text) = waiting_for {
            session.expect(text).unwrap();
        }
        typed(&mut session, if step.ends_with("ctrl-c") { "\x03" } else { ESC });
        let (status, out) = finished(session);
        assert_eq!(status, 130, "{step}: {out}");
        assert!(out.contains("Cancelled nothing was written"), "{step}: {out}");
        assert_eq!(common::files(&dir), before, "{step}");
    }
}

/// `fast-dev` into a manifest that sets `profile.dev.debug` by hand, the conflict answered with
/// `answer` (keys on the "keep yours / take the preset's" list). The manifest and what was printed.
fn conflict_answered(name: &str, answer: &str) -> (PathBuf, String) {
    let dir = workspace(name, HAND_WRITTEN);
    let mut session = spawn(&dir, &["presets"]);
    pick_one(&mut session, "fast-dev");
    session.expect("Where should they go?").unwrap();
    typed(&mut session, "\r");
    session.expect("`profile.dev.debug` is 1 (line 7); preset `fast-dev` sets \"line-tables-only\"").unwrap();
    session.expect("> keep yours").unwrap();
    typed(&mut session, answer);
    session.expect("Apply these changes? [y/N]").unwrap();
    typed(&mut session, "y");
    let (status, out) = finished(session);
    assert_eq!(status, 0, "{out}");
    (dir.join("Cargo.toml"), out)
}

#[test]
fn a_conflict_answered_keep_mine_leaves_the_hand_written_line() {
    let (path, out) = conflict_answered("keep", "\r");
    let manifest = fs::read_to_string(&path).unwrap();
    assert!(manifest.contains("\ndebug = 1 # ours\n"), "{manifest}");
    assert!(manifest.contains("[profile.dev.package.\"*\"]"), "the rest of fast-dev is written: {manifest}");
    assert!(out.contains("cargo presets apply fast-dev --keep profile.dev.debug\r\n"), "{out}");
    same_as_printed_command(&out, "keep-scripted", HAND_WRITTEN, &path);
}

/// Taking the preset's value is `--force`: the old line stays in a comment.
#[test]
fn a_conflict_answered_take_the_presets_is_force() {
    let (path, out) = conflict_answered("take", "\x1b[B\r");
    let manifest = fs::read_to_string(&path).unwrap();
    assert!(manifest.contains("\ndebug = \"line-tables-only\""), "{manifest}");
    assert!(manifest.lines().any(|l| l.starts_with('#') && l.contains("debug = 1")), "{manifest}");
    assert!(out.contains("cargo presets apply fast-dev --force\r\n"), "{out}");
    same_as_printed_command(&out, "take-scripted", HAND_WRITTEN, &path);
}

/// Scripts and CI never wait: without a terminal, `cargo presets` prints the usage and exits 2
/// at once, and `apply --interactive` says it needs one.
#[test]
fn without_a_terminal_it_never_waits() {
    let dir = workspace("no-terminal", MANIFEST);
    let start = std::time::Instant::now();
    let output = bin(&dir, &["presets"]).stdin(std::process::Stdio::null()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Usage: cargo presets [OPTIONS] [COMMAND]"), "{stderr}");
    let output = bin(&dir, &["presets", "apply", "-i"]).stdin(std::process::Stdio::null()).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("needs a terminal"));
    assert!(start.elapsed() < Duration::from_secs(10));
}

/// A preset only config files hold is offered config files only, and the machine it is chosen
/// for is said once (the conflict probe before the real run says nothing).
#[test]
fn a_config_preset_goes_to_a_config_file_and_its_choice_is_said_once() {
    let dir = workspace("config-preset", MANIFEST);
    let mut session = spawn(&dir, &["presets"]);
    pick_one(&mut session, "fast-link");
    session.expect("Where should they go? (fast-link only go into config files)").unwrap();
    session.expect("> .cargo/config.toml (default)").unwrap();
    typed(&mut session, "\r");
    session.expect("File: .cargo/config.toml").unwrap();
    // Either nothing to write on this machine (x86_64 Linux), or a diff to confirm.
    let seen = session.expect(Regex("Apply these changes\\? \\[y/N\\]|Unchanged")).unwrap();
    let mut text = String::from_utf8_lossy(seen.as_bytes()).into_owned();
    if text.contains("Apply these changes") {
        typed(&mut session, "n");
    }
    let (status, out) = finished(session);
    text.push_str(&out);
    assert_eq!(status, 0, "{text}");
    assert_eq!(text.matches("Choosing `fast-link`").count(), 1, "{text}");
    assert_eq!(fs::read_to_string(dir.join("Cargo.toml")).unwrap(), MANIFEST);
    assert!(!dir.join(".cargo/config.toml").exists(), "nothing written: {text}");
}

/// A terminal closed under a guide that ignores SIGHUP (started from `nohup`, or a shell that
/// traps it) ends the guide at once: it never waits on, or spins reading, a terminal that is
/// gone. The guide runs under a shell that ignores SIGHUP and outlives it; closing the
/// pseudo-terminal is dropping the session, which ends the shell.
#[test]
fn a_closed_terminal_ends_the_guide_at_once() {
    let dir = workspace("closed", MANIFEST);
    let mut command = bin(&dir, &[]);
    command.env("GUIDE", env!("CARGO_BIN_EXE_cargo-presets"));
    let mut shell = Command::new("sh");
    shell.args(["-c", "trap '' HUP; exec 3<&0; \"$GUIDE\" presets <&3 3<&- & echo $! > pid; wait"]);
    shell.current_dir(&dir);
    for (key, value) in command.get_envs() {
        shell.env(key, value.unwrap());
    }
    let mut session = Session::spawn(shell).unwrap();
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    session.expect("Which presets?").unwrap();
    let pid = fs::read_to_string(dir.join("pid")).unwrap().trim().to_owned();
    drop(session);
    let start = std::time::Instant::now();
    let running = || fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| !stat.contains(") Z "));
    while running() && start.elapsed() < Duration::from_secs(1) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!running(), "the guide still runs {:?} after its terminal closed", start.elapsed());
}

/// The guide holds no lock while it waits for an answer: another `apply` in the workspace runs
/// at once. Answering yes after that refuses, as the file is no longer what the diff showed.
#[test]
fn no_lock_while_it_asks_and_a_file_changed_meanwhile_is_not_written() {
    let dir = workspace("changed-meanwhile", MANIFEST);
    let mut session = spawn(&dir, &["presets"]);
    pick_one(&mut session, "fast-dev");
    session.expect("Where should they go?").unwrap();
    typed(&mut session, "\r");
    session.expect("Apply these changes? [y/N]").unwrap();
    let start = std::time::Instant::now();
    let output = bin(&dir, &["presets", "apply", "debugging"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(start.elapsed() < Duration::from_secs(10), "waited {:?} for the guide's lock", start.elapsed());
    let theirs = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    typed(&mut session, "y");
    let (status, out) = finished(session);
    assert_eq!(status, 101, "{out}");
    assert!(out.contains("changed while cargo presets was editing it; nothing was written"), "{out}");
    assert_eq!(fs::read_to_string(dir.join("Cargo.toml")).unwrap(), theirs);
}

/// Presets that cannot go together are refused as soon as they are picked, before the file is
/// asked for.
#[test]
fn presets_that_contradict_each_other_are_refused_before_the_next_question() {
    let dir = workspace("contradict", MANIFEST);
    let before = common::files(&dir);
    let mut session = spawn(&dir, &["presets"]);
    session.expect("Which presets?").unwrap();
    for name in ["fast-compile", "fast-dev"] {
        typed(&mut session, name);
        session.expect(format!("> [ ] {name}").as_str()).unwrap();
        typed(&mut session, " ");
        session.expect(format!("> [x] {name}").as_str()).unwrap();
        typed(&mut session, &BACKSPACE.repeat(name.len()));
    }
    typed(&mut session, "\r");
    let (status, out) = finished(session);
    assert_eq!(status, 101, "{out}");
    assert!(out.contains("presets `fast-compile` and `fast-dev` set `profile.dev.debug` differently"), "{out}");
    assert!(!out.contains("Where should they go?"), "{out}");
    assert_eq!(common::files(&dir), before);
}
