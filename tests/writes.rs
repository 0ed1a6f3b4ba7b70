//! Writes under faults, through the real binary: a file changed while we edit it, two runs at
//! once, and runs killed at random moments. The hook `CARGO_PRESETS_DEBUG_HANDSHAKE` holds a run
//! at a named moment while the test acts ([`common::Paused`]); `CARGO_PRESETS_DEBUG_PAUSE_MS`
//! widens the moment between reading a file and replacing it, to spread the kills.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::thread::sleep;
use std::time::Duration;

use common::presets_command as command;

const MANIFEST: &str = "# team workspace\n[workspace]\nmembers = []\n";

fn workspace(name: &str) -> PathBuf {
    common::tree("writes", name, &[("Cargo.toml", MANIFEST)])
}

fn spawn(dir: &Path, args: &[&str], pause_ms: u64) -> Child {
    command(dir, args)
        .env("CARGO_PRESETS_DEBUG_PAUSE_MS", pause_ms.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// A directory for one run's handshake files, outside the workspace.
fn signals(dir: &Path, run: &str) -> PathBuf {
    dir.with_file_name(format!("{}-signals-{run}", dir.file_name().unwrap().to_string_lossy()))
}

fn finish(child: Child) -> (i32, String) {
    common::status_and_stderr(child.wait_with_output().unwrap())
}

/// The run is held after it read the manifest and wrote the new text beside it; an editor saves
/// then. The run must notice and write nothing.
#[test]
fn a_file_edited_during_apply_is_not_overwritten() {
    let dir = workspace("changed-underneath");
    let edited = format!("{MANIFEST}# saved from an editor meanwhile\n");
    let save = |path: &Path, text: &str| fs::write(path, text).unwrap();
    common::a_save_during_apply_is_kept(&dir, &signals(&dir, "run"), &edited, save, "saved in place");
}

/// The first run is held just before it replaces the manifest; the second starts then. The
/// second must find the lock taken (without the lock it would read the old manifest and one
/// preset would be lost, or the first would fail), and edit the first one's result.
#[test]
fn two_applies_at_once_both_land() {
    let dir = workspace("concurrent");
    let first = common::Paused::start(command(&dir, &["apply", "fast-dev"]), &signals(&dir, "first"), "before-rename");
    let second_signals = signals(&dir, "second");
    let second = common::Paused::start(command(&dir, &["apply", "staging"]), &second_signals, "lock-busy");
    // Once it has the lock, the second goes through its own write without stopping.
    fs::write(second_signals.join("before-rename.go"), "").unwrap();
    let (status, stderr) = first.go();
    assert_eq!(status, 0, "{stderr}");
    let (status, stderr) = second.go();
    assert_eq!(status, 0, "{stderr}");
    let text = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(text.starts_with(MANIFEST), "{text}");
    assert!(text.contains("[profile.dev]\n") && text.contains("[profile.debugging]\n"), "fast-dev was lost:\n{text}");
    assert!(text.contains("[profile.staging]\n"), "staging was lost:\n{text}");
}

/// Kills runs at moments spread over the whole apply, many times: each time the manifest is
/// either the old or the new text, never a mix, and the next run cleans up any temp file.
#[test]
fn a_killed_apply_leaves_the_old_or_the_new_file() {
    let dir = workspace("killed");
    let manifest = dir.join("Cargo.toml");
    let finished = {
        let (status, stderr) = finish(spawn(&dir, &["apply", "embedded-size"], 0));
        assert_eq!(status, 0, "{stderr}");
        fs::read_to_string(&manifest).unwrap()
    };
    let mut outcomes = [0, 0]; // old, new
    for round in 0..40u64 {
        fs::write(&manifest, MANIFEST).unwrap();
        // A pause of a few ms places the kill before, during and after the write.
        let mut run = spawn(&dir, &["apply", "embedded-size"], round % 4);
        sleep(Duration::from_micros(500 + round * 150));
        let _ = run.kill();
        let _ = run.wait();
        let text = fs::read_to_string(&manifest).unwrap();
        match text.as_str() {
            MANIFEST => outcomes[0] += 1,
            t if t == finished => outcomes[1] += 1,
            other => panic!("round {round}: the manifest is neither old nor new:\n{other}"),
        }
        for name in common::names(&dir) {
            assert!(
                name == "Cargo.toml" || (name.starts_with(".Cargo.toml.cargo-presets.") && name.ends_with(".tmp")),
                "{name}"
            );
        }
    }
    let (status, stderr) = finish(spawn(&dir, &["apply", "embedded-size"], 0));
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(common::names(&dir), ["Cargo.toml"], "the next run removes what a killed one left");
    assert!(outcomes[0] > 0, "no kill landed before the write: {outcomes:?}");
    eprintln!("killed runs: {} left the old file, {} the new one", outcomes[0], outcomes[1]);
}

/// `apply` edits the file a symlinked manifest points to, and `remove` finds it the same way:
/// both say so, and the link stays.
#[cfg(unix)]
#[test]
fn a_symlinked_manifest_is_edited_and_taken_back_where_it_points_and_stays_a_link() {
    let dir = workspace("symlink");
    fs::create_dir_all(dir.join("shared")).unwrap();
    fs::rename(dir.join("Cargo.toml"), dir.join("shared/Cargo.toml")).unwrap();
    std::os::unix::fs::symlink("shared/Cargo.toml", dir.join("Cargo.toml")).unwrap();
    let (status, stderr) = finish(spawn(&dir, &["apply", "fast-dev"], 0));
    assert_eq!(status, 0, "{stderr}");
    let note = "note: `Cargo.toml` is a symlink; editing the file it points to, `shared/Cargo.toml`";
    assert!(stderr.contains(note), "{stderr}");
    assert!(fs::symlink_metadata(dir.join("Cargo.toml")).unwrap().file_type().is_symlink(), "still a link");
    assert!(fs::read_to_string(dir.join("shared/Cargo.toml")).unwrap().contains("[profile.dev]"));

    for args in [&["remove", "fast-dev", "--dry-run"][..], &["remove", "fast-dev"]] {
        let (status, stderr) = finish(spawn(&dir, args, 0));
        assert_eq!(status, 0, "{stderr}");
        assert!(stderr.contains(note), "{args:?}: {stderr}");
    }
    assert!(fs::symlink_metadata(dir.join("Cargo.toml")).unwrap().file_type().is_symlink(), "still a link");
    assert_eq!(fs::read_to_string(dir.join("shared/Cargo.toml")).unwrap(), MANIFEST);
}

/// A killed run can leave its temporary file beside a manifest that already holds the new text:
/// the next run clears it even when it has nothing to write.
#[test]
fn a_run_with_nothing_to_write_still_clears_what_a_killed_run_left() {
    let dir = workspace("leftover-unchanged");
    let (status, stderr) = finish(spawn(&dir, &["apply", "embedded-size"], 0));
    assert_eq!(status, 0, "{stderr}");
    fs::write(dir.join(".Cargo.toml.cargo-presets.99999.tmp"), "half").unwrap();
    let (status, stderr) = finish(spawn(&dir, &["apply", "embedded-size"], 0));
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("Unchanged"), "{stderr}");
    assert_eq!(common::names(&dir), ["Cargo.toml"]);
}

/// A run killed while it built a missing `.cargo` leaves the directory under its temporary name:
/// the next run, holding the lock that run held, clears it.
#[test]
fn a_directory_a_killed_run_was_building_is_cleared() {
    let dir = workspace("leftover-dir");
    fs::create_dir_all(dir.join("..cargo.cargo-presets.99999.dir")).unwrap();
    fs::write(dir.join("..cargo.cargo-presets.99999.dir/.config.toml.cargo-presets.99999.tmp"), "half").unwrap();
    let (status, stderr) = finish(spawn(&dir, &["apply", "fast-dev", "--to", "config"], 0));
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(common::names(&dir), [".cargo", "Cargo.toml"]);
    assert_eq!(common::names(&dir.join(".cargo")), ["config.toml"]);

    // Also once `.cargo` exists (made by hand meanwhile): the next run holds `.cargo`, and
    // finds the workspace root free, so no run is building there.
    fs::create_dir_all(dir.join("..cargo.cargo-presets.99999.dir")).unwrap();
    let (status, stderr) = finish(spawn(&dir, &["apply", "staging", "--to", "config"], 0));
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(common::names(&dir), [".cargo", "Cargo.toml"]);
}
