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

/// Waits for `prompt`, then types `keys`.
fn reply(session: &mut Session, prompt: &str, keys: &str) {
    session.expect(prompt).unwrap();
    typed(session, keys);
}

/// Picks `names` in the preset list (each typed to filter it, Space to tick it, the filter
/// erased) and accepts the list.
fn pick(session: &mut Session, names: &[&str]) {
    session.expect("Which presets?").unwrap();
    for name in names {
        typed(session, name);
        session.expect(format!("> [ ] {name}").as_str()).unwrap();
        typed(session, " ");
        session.expect(format!("> [x] {name}").as_str()).unwrap();
        typed(session, &BACKSPACE.repeat(name.len()));
    }
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

/// The scripted commands the guide printed, run in order in `fresh` (a copy of the workspace as
/// it was), write the same bytes to each of `files` as the guide wrote in `dir`.
fn same_as_printed_commands(out: &str, fresh: &Path, dir: &Path, files: &[&str]) {
    let lines: Vec<&str> = out.lines().map(str::trim).filter(|l| l.starts_with("cargo presets apply")).collect();
    assert!(!lines.is_empty(), "{out}");
    for line in &lines {
        let args: Vec<&str> = line.split_whitespace().skip(1).collect();
        let output = bin(fresh, &args).output().unwrap();
        assert!(output.status.success(), "{line}: {}", String::from_utf8_lossy(&output.stderr));
    }
    for file in files {
        let read = |dir: &Path| fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(read(fresh), read(dir), "{file} after {lines:?}");
    }
}

#[test]
fn two_presets_by_typing_and_space_the_default_file_and_yes_write_what_apply_writes() {
    let dir = workspace("yes", MANIFEST);
    let mut session = spawn(&dir, &["presets"]);
    pick(&mut session, &["fast-dev", "debugging"]);
    session.expect("Presets: debugging fast-dev").unwrap();
    session.expect("Where should they go?").unwrap();
    reply(&mut session, "> the workspace Cargo.toml (default)", "\r");
    session.expect("+[profile.debugging]").unwrap();
    reply(&mut session, "Apply these changes? [y/N]", "y");
    let (status, out) = finished(session);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("cargo build --profile debugging") && out.contains("cargo presets check"), "{out}");
    assert!(out.contains("cargo presets apply debugging fast-dev\r\n"), "{out}");
    same_as_printed_commands(&out, &workspace("yes-scripted", MANIFEST), &dir, &["Cargo.toml"]);
}

#[test]
fn no_writes_nothing() {
    let dir = workspace("no", MANIFEST);
    let before = common::files(&dir);
    let mut session = spawn(&dir, &["presets", "apply", "--interactive"]);
    pick(&mut session, &["fast-dev", "debugging"]);
    reply(&mut session, "Where should they go?", "\r");
    reply(&mut session, "Apply these changes? [y/N]", "n");
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

/// The guide in a fresh workspace `name` holding `manifest`: `presets` picked and the default
/// file taken.
fn into_the_default_file(name: &str, manifest: &str, presets: &[&str]) -> (PathBuf, Session) {
    let dir = workspace(name, manifest);
    let mut session = spawn(&dir, &["presets"]);
    pick(&mut session, presets);
    reply(&mut session, "Where should they go?", "\r");
    (dir, session)
}

/// `fast-dev` into a manifest that sets `profile.dev.debug` by hand, the conflict answered with
/// `answer` (keys on the "keep yours / take the preset's" list). The workspace and what was printed.
fn conflict_answered(name: &str, answer: &str) -> (PathBuf, String) {
    let (dir, mut session) = into_the_default_file(name, HAND_WRITTEN, &["fast-dev"]);
    session.expect("`profile.dev.debug` is 1 (line 7); preset `fast-dev` sets \"line-tables-only\"").unwrap();
    reply(&mut session, "> keep yours", answer);
    reply(&mut session, "Apply these changes? [y/N]", "y");
    let (status, out) = finished(session);
    assert_eq!(status, 0, "{out}");
    (dir, out)
}

#[test]
fn a_conflict_answered_keep_mine_leaves_the_hand_written_line() {
    let (dir, out) = conflict_answered("keep", "\r");
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\ndebug = 1 # ours\n"), "{manifest}");
    assert!(manifest.contains("[profile.dev.package.\"*\"]"), "the rest of fast-dev is written: {manifest}");
    assert!(out.contains("cargo presets apply fast-dev --keep profile.dev.debug\r\n"), "{out}");
    same_as_printed_commands(&out, &workspace("keep-scripted", HAND_WRITTEN), &dir, &["Cargo.toml"]);
}

/// Taking the preset's value is `--force`: the old line stays in a comment.
#[test]
fn a_conflict_answered_take_the_presets_is_force() {
    let (dir, out) = conflict_answered("take", "\x1b[B\r");
    let manifest = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("\ndebug = \"line-tables-only\""), "{manifest}");
    assert!(manifest.lines().any(|l| l.starts_with('#') && l.contains("debug = 1")), "{manifest}");
    assert!(out.contains("cargo presets apply fast-dev --force\r\n"), "{out}");
    same_as_printed_commands(&out, &workspace("take-scripted", HAND_WRITTEN), &dir, &["Cargo.toml"]);
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
    pick(&mut session, &["fast-link"]);
    session.expect("Where should they go? (fast-link only go into config files)").unwrap();
    reply(&mut session, "> .cargo/config.toml (default)", "\r");
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
    let (dir, mut session) = into_the_default_file("changed-meanwhile", MANIFEST, &["fast-dev"]);
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
    pick(&mut session, &["fast-compile", "fast-dev"]);
    let (status, out) = finished(session);
    assert_eq!(status, 101, "{out}");
    // The reason `fast-compile` declares for not going with `fast-dev`, not the first clashing key.
    assert!(out.contains("preset `fast-compile` cannot go with `fast-dev`"), "{out}");
    assert!(out.contains("both decide dev's debug info"), "{out}");
    assert!(!out.contains("Where should they go?"), "{out}");
    assert_eq!(common::files(&dir), before);
}

/// A selection that mixes a project preset (`fast-dev`) with one for this machine only
/// (`native-cpu`), for a file shared through git: each goes where it may live, `fast-dev` to the
/// file asked for and `native-cpu` to the personal config, two diffs before one question. Yes
/// writes both files as the two printed commands do; no writes neither.
#[test]
fn a_mixed_selection_puts_each_preset_where_it_may_live() {
    let git =
        |dir: &Path| assert!(Command::new("git").args(["init", "-q"]).current_dir(dir).status().unwrap().success());
    for answer in ["y", "n"] {
        let dir = workspace(&format!("split-{answer}"), MANIFEST);
        git(&dir);
        let before = common::files(&dir);
        let mut session = spawn(&dir, &["presets"]);
        pick(&mut session, &["fast-dev", "native-cpu"]);
        session.expect("Where should fast-dev go?").unwrap();
        reply(&mut session, "> the workspace Cargo.toml (default)", "\x1b[B");
        session.expect("> .cargo/config.toml").unwrap();
        reply(&mut session, "native-cpu is for this machine only", "\r");
        session.expect("+++ b/.cargo/config.toml").unwrap();
        session.expect("+++ b/home/config.toml").unwrap();
        session.expect("Apply these changes? [y/N]").unwrap();
        let Some(out) = confirmed(session, answer, &dir, &before) else { continue };
        assert!(out.contains("cargo presets apply fast-dev --to config\r\n"), "{out}");
        assert!(out.contains("cargo presets apply native-cpu --to user\r\n"), "{out}");
        let config = fs::read_to_string(dir.join(".cargo/config.toml")).unwrap();
        assert!(config.contains("[profile.dev]") && !config.contains("target-cpu"), "{config}");
        assert!(fs::read_to_string(dir.join("home/config.toml")).unwrap().contains("target-cpu=native"));
        let fresh = workspace("split-scripted", MANIFEST);
        git(&fresh);
        same_as_printed_commands(&out, &fresh, &dir, &[".cargo/config.toml", "home/config.toml"]);
    }
}

/// The same selection for the personal config file goes there whole, as one command.
#[test]
fn a_mixed_selection_for_the_personal_file_stays_together() {
    let dir = workspace("split-user", MANIFEST);
    assert!(Command::new("git").args(["init", "-q"]).current_dir(&dir).status().unwrap().success());
    let mut session = spawn(&dir, &["presets"]);
    pick(&mut session, &["fast-dev", "native-cpu"]);
    reply(&mut session, "Where should fast-dev go?", "\x1b[B\x1b[B");
    reply(&mut session, "> your $CARGO_HOME/config.toml", "\r");
    session.expect("+++ b/home/config.toml").unwrap();
    reply(&mut session, "Apply these changes? [y/N]", "y");
    let (status, out) = finished(session);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("cargo presets apply fast-dev native-cpu --to user\r\n"), "{out}");
    assert!(!dir.join(".cargo").exists(), "{out}");
    let fresh = workspace("split-user-scripted", MANIFEST);
    same_as_printed_commands(&out, &fresh, &dir, &["Cargo.toml", "home/config.toml"]);
}

/// The terminal as a person sees it: the guide's output through a terminal emulator (xterm's
/// rules, scrollback included), kept at the size the pseudo-terminal is given.
struct Terminal(vt100::Parser);

impl Terminal {
    fn new(session: &mut Session, cols: u16, rows: u16) -> Terminal {
        let mut terminal = Terminal(vt100::Parser::new(size(rows), size(cols), 1000));
        terminal.resize(session, cols, rows);
        terminal
    }

    /// Resizes the terminal, then the pseudo-terminal (which sends SIGWINCH), as a window does.
    fn resize(&mut self, session: &mut Session, cols: u16, rows: u16) {
        self.0.screen_mut().set_size(size(rows), size(cols));
        session.get_process_mut().set_window_size(cols, rows).unwrap();
    }

    /// Reads the output through the end of the next drawing (each ends by clearing what is below).
    fn next_drawing(&mut self, session: &mut Session) {
        let read = session.expect("\x1b[J").unwrap_or_else(|e| panic!("{e}; on screen: {:#?}", self.rows()));
        self.0.process(read.as_bytes());
    }

    /// The rows on screen, without their trailing blanks.
    fn rows(&self) -> Vec<String> {
        let screen = self.0.screen();
        screen.rows(0, screen.size().1.get()).map(|r| r.trim_end().to_owned()).collect()
    }

    /// Everything in the scrollback and on the main screen, a screenful at a time.
    fn history(&mut self) -> String {
        let screen = self.0.screen_mut();
        let rows = usize::from(screen.size().0.get());
        let mut offset = screen.scrollback_len();
        let mut text = String::new();
        loop {
            screen.set_scrollback(offset);
            text.push_str(&screen.contents());
            text.push('\n');
            if offset == 0 {
                return text;
            }
            offset = offset.saturating_sub(rows);
        }
    }
}

fn size(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n).unwrap()
}

/// A terminal resized while a list is open is drawn again at once, for the new size: the filter
/// line on top, the highlighted row in view, the list in the rows there are; and no copy of a
/// list ever stays in the scrollback, whatever the resizes pushed there.
#[test]
fn a_resized_terminal_is_drawn_again_at_once_and_keeps_no_copy_of_the_list() {
    let dir = workspace("resize", MANIFEST);
    let mut session = spawn(&dir, &["presets"]);
    let mut terminal = Terminal::new(&mut session, 80, 24);
    // Drawn for `cols`×`rows`: the title first, the highlighted row, the help line, nothing wider.
    let shows = |terminal: &Terminal, cols: usize, rows: usize, title: &str, highlighted: &str| {
        let on_screen = terminal.rows();
        let fits = on_screen[0].starts_with(title)
            && on_screen.iter().any(|r| r.starts_with(highlighted))
            && on_screen.iter().any(|r| r.starts_with("type to filter") || r.starts_with("↑/↓ move"))
            && on_screen.iter().all(|r| r.chars().count() <= cols);
        fits && on_screen.len() == rows
    };
    let wait_for = |terminal: &mut Terminal, session: &mut Session, cols, rows, title: &str, highlighted: &str| {
        while !shows(terminal, cols, rows, title, highlighted) {
            terminal.next_drawing(session);
        }
    };
    wait_for(&mut terminal, &mut session, 80, 24, "Which presets? filter: _", "> [ ]");
    for _ in 0..12 {
        typed(&mut session, "\x1b[B");
    }
    typed(&mut session, " ");
    wait_for(&mut terminal, &mut session, 80, 24, "Which presets? filter: _", "> [x]");
    for (cols, rows) in [(40, 12), (60, 16), (80, 24), (40, 12)] {
        terminal.resize(&mut session, cols, rows);
        // No key: the drawing for the new size comes on its own, or this waits until the timeout.
        wait_for(&mut terminal, &mut session, cols.into(), rows.into(), "Which presets? filter: _", "> [x]");
    }
    typed(&mut session, "\r");
    wait_for(&mut terminal, &mut session, 40, 12, "Where should they go?", "> ");
    terminal.resize(&mut session, 80, 24);
    wait_for(&mut terminal, &mut session, 80, 24, "Where should they go?", "> ");
    typed(&mut session, ESC);
    let rest = session.expect(Eof).unwrap();
    terminal.0.process(rest.as_bytes());
    assert!(!terminal.0.screen().alternate_screen());
    let history = terminal.history();
    assert!(history.contains("Presets: ") && history.contains("Cancelled nothing was written"), "{history}");
    for list in ["Which presets?", "[x]", "[ ]", "Where should they go?", "type to filter"] {
        assert!(!history.contains(list), "a copy of the list stays: {history}");
    }
}

/// A package with a `dist` profile of its own, as cargo-dist writes it.
const WITH_DIST: &str = "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[profile.dist]\ninherits = \"release\"\nlto = \"thin\"\n";

/// Picks `prod` alone, takes the default file, and waits for the question about its profile.
fn prod_profile_question(name: &str, manifest: &str) -> (PathBuf, Session) {
    let (dir, mut session) = into_the_default_file(name, manifest, &["prod"]);
    session.expect("Which profile should prod go into?").unwrap();
    session.expect("> prod, the preset's own (default)").unwrap();
    (dir, session)
}

/// Answers yes to the diff; the printed command, run on a fresh copy, writes the same bytes,
/// and `status` there reports the preset under its new profile.
fn applied_as(dir: &Path, mut session: Session, manifest: &str, profile: &str, command: &str) {
    session.expect(format!("[profile.{profile}]").as_str()).unwrap();
    reply(&mut session, "Apply these changes? [y/N]", "y");
    let (status, out) = finished(session);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains(&format!("cargo build --profile {profile}")), "{out}");
    assert!(out.contains(&format!("{command}\r\n")), "{out}");
    let fresh = workspace(&format!("{}-scripted", dir.file_name().unwrap().to_string_lossy()), manifest);
    same_as_printed_commands(&out, &fresh, dir, &["Cargo.toml"]);
    let status = bin(dir, &["presets", "status"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&status.stdout);
    assert!(stdout.contains(&format!("prod as {profile}")), "{stdout}");
}

/// One preset that writes one profile is asked where: a custom profile the workspace has is
/// offered (the roots `prod` cannot go into are not), and choosing it is `--profile`.
#[test]
fn one_preset_goes_into_a_profile_the_workspace_has() {
    let manifest = format!("{WITH_DIST}\n[profile.dev]\nopt-level = 1\n");
    let (dir, mut session) = prod_profile_question("profile-existing", &manifest);
    let offered = session.expect("another name…").unwrap();
    let offered = String::from_utf8_lossy(offered.before()).into_owned();
    assert!(!offered.contains("  dev"), "prod cannot go into `dev`: {offered}");
    typed(&mut session, "\x1b[B");
    session.expect("> dist").unwrap();
    reply(&mut session, "`[profile.dist]` (inherits release), which this workspace has", "\r");
    session.expect("Profile: dist").unwrap();
    // The conflicts are the moved profile's: `dist` sets its own `lto`.
    reply(&mut session, "`profile.dist.lto` is \"thin\" (line 8); preset `prod` sets true", "\r");
    applied_as(&dir, session, &manifest, "dist", "cargo presets apply prod --profile dist --keep profile.dist.lto");
    assert!(fs::read_to_string(dir.join("Cargo.toml")).unwrap().contains("\nlto = \"thin\"\n"));
}

/// "another name…" takes a name typed; one `apply --profile` refuses is refused inline, with
/// its reason, and the next is taken.
#[test]
fn a_profile_name_typed_is_refused_inline_until_it_is_one_cargo_takes() {
    let (dir, mut session) = prod_profile_question("profile-typed", MANIFEST);
    typed(&mut session, "\x1b[B");
    reply(&mut session, "> another name…", "\r");
    reply(&mut session, "a name of your own:", "debug\r");
    reply(&mut session, "profile name `debug` is reserved by cargo", &BACKSPACE.repeat(5));
    typed(&mut session, "dev\r");
    reply(&mut session, "`dev` cannot inherit `release`", &BACKSPACE.repeat(3));
    typed(&mut session, "release-small\r");
    session.expect("Profile: release-small").unwrap();
    applied_as(&dir, session, MANIFEST, "release-small", "cargo presets apply prod --profile release-small");
}

/// Esc at the question about the profile, or while a name is typed, writes nothing.
#[test]
fn esc_at_the_profile_question_writes_nothing() {
    for (step, keys) in [("profile-esc", ""), ("profile-name-esc", "\x1b[B\x1b[B\rdi")] {
        let (dir, mut session) = prod_profile_question(step, WITH_DIST);
        let before = common::files(&dir);
        typed(&mut session, keys);
        if !keys.is_empty() {
            session.expect("a name of your own:").unwrap();
            session.expect("> di_").unwrap();
        }
        typed(&mut session, ESC);
        let (status, out) = finished(session);
        assert_eq!(status, 130, "{step}: {out}");
        assert!(out.contains("Cancelled nothing was written"), "{step}: {out}");
        assert_eq!(common::files(&dir), before, "{step}");
    }
}

/// On a 40×12 terminal the name typed and the whole refusal show, with its `help:`.
#[test]
fn a_refused_profile_name_shows_whole_at_40x12() {
    let dir = workspace("profile-small", MANIFEST);
    let before = common::files(&dir);
    let (rows, status) = at_40x12(
        &dir,
        &[
            ("Which presets?", "prod "),
            ("> [x] prod", "\r"),
            ("Where should they go?", "\r"),
            ("Which profile should prod go into?", "\x1b[B"),
            ("> another name…", "\r"),
            ("Profile for prod, a name of your own:", "cargo-x\r"),
            ("  help: choose a different name", ESC),
        ],
    );
    assert_eq!(
        rows[..4],
        ["Profile for prod, a name of your own:", "> cargo-x_", "", "  `--profile cargo-x`: profile name"],
        "{rows:#?}"
    );
    assert!(rows[4].starts_with("  `cargo-x` is reserved by cargo"), "{rows:#?}");
    assert_eq!(status, 130);
    assert_eq!(common::files(&dir), before);
}

/// Types `answer` ("y" or "n") to "Apply these changes?" and waits for the end: `None` for "n",
/// which wrote nothing (`dir` is still `before`), else the output.
fn confirmed(
    mut session: Session,
    answer: &str,
    dir: &Path,
    before: &std::collections::BTreeMap<PathBuf, Vec<u8>>,
) -> Option<String> {
    typed(&mut session, answer);
    let (status, out) = finished(session);
    assert_eq!(status, 0, "{out}");
    if answer == "n" {
        assert!(out.contains("nothing was written"), "{out}");
        assert_eq!(&common::files(dir), before);
        return None;
    }
    Some(out)
}

/// The guided mode on a 40×12 terminal in `dir`: each step waits until a row starts with its
/// text, then types its keys. The rows on screen after the last step, and the exit status.
fn at_40x12(dir: &Path, steps: &[(&str, &str)]) -> (Vec<String>, i32) {
    let mut session = spawn(dir, &["presets"]);
    let mut terminal = Terminal::new(&mut session, 40, 12);
    for (waiting_for, keys) in steps {
        while !terminal.rows().iter().any(|r| r.starts_with(waiting_for)) {
            terminal.next_drawing(&mut session);
        }
        typed(&mut session, keys);
    }
    let rows = terminal.rows();
    let (status, _) = finished(session);
    (rows, status)
}

/// A package depending on two path packages, `fastmath` and `other`, with its `Cargo.lock`.
const WITH_DEPENDENCIES: &str = "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nfastmath = { path = \"vendor/fastmath\" }\nother = { path = \"vendor/other\" }\n";

const LOCK: &str = "version = 4\n\n[[package]]\nname = \"demo\"\nversion = \"0.1.0\"\ndependencies = [\n \"fastmath\",\n \"other\",\n]\n\n[[package]]\nname = \"fastmath\"\nversion = \"0.2.0\"\n\n[[package]]\nname = \"other\"\nversion = \"1.0.0\"\n";

/// [`WITH_DEPENDENCIES`] in a fresh workspace `name`, with `extra` files.
fn with_dependencies(name: &str, extra: &[(&str, &str)]) -> PathBuf {
    let dir = workspace(name, WITH_DEPENDENCIES);
    common::write_all(&dir, &[("Cargo.lock", LOCK)]);
    for package in ["fastmath", "other"] {
        let manifest = format!("[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n");
        common::write_all(&dir, &[(format!("vendor/{package}/Cargo.toml").as_str(), manifest.as_str())]);
    }
    common::write_all(&dir, extra);
    dir
}

/// `deps-opt1-dev` for named packages: a misspelt name is refused in place with the nearest
/// one, the corrected names go into the diff (the named tables, no `package."*"`) and the
/// printed command (`--package` each); yes writes what that command writes, no writes nothing.
#[test]
fn a_preset_for_dependencies_goes_to_the_packages_named() {
    for answer in ["y", "n"] {
        let dir = with_dependencies(&format!("packages-named-{answer}"), &[]);
        let before = common::files(&dir);
        let mut session = spawn(&dir, &["presets"]);
        pick(&mut session, &["deps-opt1-dev"]);
        reply(&mut session, "Where should they go?", "\r");
        reply(&mut session, "> dev, the preset's own (default)", "\r");
        session.expect("Which packages should deps-opt1-dev apply to?").unwrap();
        session.expect("> every dependency, as written (default)").unwrap();
        reply(&mut session, "`[profile.dev.package.\"*\"]`, as `deps-opt1-dev` is written", "\x1b[B");
        reply(&mut session, "> named packages…", "\r");
        reply(&mut session, "Packages for deps-opt1-dev, as Cargo.lock names them:", "\r");
        reply(&mut session, "no package named", "fastmth\r");
        session.expect("`--package fastmth`: no package `fastmth` in Cargo.lock").unwrap();
        reply(&mut session, "help: did you mean `fastmath`?", &BACKSPACE.repeat(7));
        typed(&mut session, "fastmath, other\r");
        session.expect("Packages: fastmath other").unwrap();
        let diff = session.expect("Apply these changes? [y/N]").unwrap();
        let diff = String::from_utf8_lossy(diff.before()).into_owned();
        assert!(diff.contains("+[profile.dev.package.fastmath]") && diff.contains("+[profile.dev.package.other]"));
        assert!(!diff.contains("\"*\""), "{diff}");
        let Some(out) = confirmed(session, answer, &dir, &before) else { continue };
        assert!(out.contains("cargo presets apply deps-opt1-dev --package fastmath --package other\r\n"), "{out}");
        let fresh = with_dependencies("packages-named-scripted", &[]);
        same_as_printed_commands(&out, &fresh, &dir, &["Cargo.toml"]);
    }
}

/// The default answer, every dependency, writes the preset as written: the command has no
/// `--package`.
#[test]
fn a_preset_for_dependencies_goes_to_every_dependency_by_default() {
    let dir = with_dependencies("packages-every", &[]);
    let mut session = spawn(&dir, &["presets"]);
    pick(&mut session, &["deps-opt1-test"]);
    reply(&mut session, "Where should they go?", "\r");
    reply(&mut session, "> test, the preset's own (default)", "\r");
    reply(&mut session, "> every dependency, as written (default)", "\r");
    session.expect("Packages: every dependency").unwrap();
    session.expect("+[profile.test.package.\"*\"]").unwrap();
    reply(&mut session, "Apply these changes? [y/N]", "y");
    let (status, out) = finished(session);
    assert_eq!(status, 0, "{out}");
    assert!(out.contains("cargo presets apply deps-opt1-test\r\n"), "{out}");
    same_as_printed_commands(&out, &with_dependencies("packages-every-scripted", &[]), &dir, &["Cargo.toml"]);
}

/// `hint-mostly-unused` (tables only for named packages, in a workspace on nightly) is never
/// offered for every dependency: none writes the rest of it, named packages get the tables.
#[test]
fn a_preset_only_for_named_packages_is_not_offered_every_dependency() {
    let nightly = [("rust-toolchain.toml", "[toolchain]\nchannel = \"nightly\"\n")];
    for (answer, keys, command) in [
        ("none", "\r", "cargo presets apply hint-mostly-unused --to config\r\n"),
        ("named", "\x1b[B\rfastmath\r", "cargo presets apply hint-mostly-unused --package fastmath --to config\r\n"),
    ] {
        let dir = with_dependencies(&format!("packages-only-named-{answer}"), &nightly);
        let mut session = spawn(&dir, &["presets"]);
        pick(&mut session, &["hint-mostly-unused"]);
        reply(&mut session, "> .cargo/config.toml (default)", "\r");
        session.expect("Which packages should hint-mostly-unused apply to?").unwrap();
        let offered = session.expect("named packages…").unwrap();
        let offered = String::from_utf8_lossy(offered.before()).into_owned();
        assert!(offered.contains("> none: only the rest of the preset (default)"), "{offered}");
        assert!(!offered.contains("every dependency, as written"), "{offered}");
        typed(&mut session, keys);
        reply(&mut session, "Apply these changes? [y/N]", "y");
        let (status, out) = finished(session);
        assert_eq!(status, 0, "{out}");
        assert!(out.contains(command), "{out}");
        let config = fs::read_to_string(dir.join(".cargo/config.toml")).unwrap();
        assert!(config.contains("[unstable]"), "{config}");
        assert_eq!(config.contains("[profile.release.package.fastmath]"), answer == "named", "{config}");
        let fresh = with_dependencies(&format!("packages-only-named-{answer}-scripted"), &nightly);
        same_as_printed_commands(&out, &fresh, &dir, &[".cargo/config.toml"]);
    }
}

/// On a 40×12 terminal the names typed and the whole refusal show, with its `help:`; Esc there
/// writes nothing.
#[test]
fn a_refused_package_name_shows_whole_at_40x12() {
    let dir = with_dependencies("packages-small", &[]);
    let before = common::files(&dir);
    let (rows, status) = at_40x12(
        &dir,
        &[
            ("Which presets?", "deps-opt1-dev "),
            ("> [x] deps-opt1-dev", "\r"),
            ("Where should they go?", "\r"),
            ("Which profile should deps-opt1-dev", "\r"),
            ("Which packages should deps-opt1-dev", "\x1b[B"),
            ("> named packages…", "\r"),
            ("Packages for deps-opt1-dev, as", "other fastmth\r"),
            ("  help: did you mean `fastmath`?", ESC),
        ],
    );
    assert_eq!(rows[1], "> other fastmth_", "{rows:#?}");
    assert!(rows[3].starts_with("  `--package fastmth`: no package"), "{rows:#?}");
    assert_eq!(status, 130);
    assert_eq!(common::files(&dir), before);
}

/// Without a `Cargo.lock` the names cannot be checked: the question says so, takes them, and the
/// diff comes with `apply --package`'s warning.
#[test]
fn without_cargo_lock_the_names_typed_are_taken_with_a_warning() {
    let (dir, mut session) = into_the_default_file("packages-no-lock", WITH_DEPENDENCIES, &["deps-opt1-dev"]);
    let before = common::files(&dir);
    reply(&mut session, "Which profile should deps-opt1-dev go into?", "\r");
    reply(&mut session, "Which packages should deps-opt1-dev apply to?", "\x1b[B\r");
    reply(&mut session, "No Cargo.lock beside Cargo.toml: the names cannot be checked", "fastmth\r");
    session.expect("Packages: fastmth").unwrap();
    session.expect("`fastmth` could not be checked").unwrap();
    session.expect("+[profile.dev.package.fastmth]").unwrap();
    reply(&mut session, "Apply these changes? [y/N]", "n");
    let (status, out) = finished(session);
    assert_eq!(status, 0, "{out}");
    assert_eq!(common::files(&dir), before);
}
