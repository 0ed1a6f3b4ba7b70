//! The write path's promises, through the real binary: an edit is never lost, a file is never
//! exposed or handed to another owner, and nothing is written where it should not be. Races are
//! made deterministic with the handshake `CARGO_PRESETS_DEBUG_HANDSHAKE` ([`common::Paused`]):
//! the run stops at a named point of the write until the test says go.
#![cfg(unix)]

mod common;

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::presets_command as command;

const MANIFEST: &str = "# team workspace\n[workspace]\nmembers = []\n";

/// Another user than the one running the tests, for the ownership cases (root only).
const NOBODY: u32 = 65534;

fn workspace(name: &str) -> PathBuf {
    common::tree("write-path", name, &[("Cargo.toml", MANIFEST)])
}

fn run(command: &mut Command) -> (i32, String) {
    common::status_and_stderr(command.output().unwrap())
}

/// The stderr of a run (as [`run`] gives it) that failed (exit 101) saying `error`.
fn refused((status, stderr): (i32, String), error: &str) -> String {
    assert_eq!(status, 101, "{stderr}");
    assert!(stderr.contains(error), "{stderr}");
    stderr
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

#[test]
fn an_edit_saved_at_the_last_moment_is_never_lost() {
    // Saved in place (most editors' "write") and by renaming a new file over it (atomic saves).
    for (how, save) in [
        ("in-place", (|path: &Path, text: &str| fs::write(path, text).unwrap()) as fn(&Path, &str)),
        ("renamed", |path: &Path, text: &str| {
            let temp = path.with_file_name("editor-save.tmp");
            fs::write(&temp, text).unwrap();
            fs::rename(temp, path).unwrap();
        }),
    ] {
        let dir = workspace(&format!("last-moment-{how}"));
        let edited = format!("{MANIFEST}# saved from an editor at the last moment\n");
        common::a_save_during_apply_is_kept(&dir, &dir.join("../signals-last-moment"), &edited, save, how);
    }
}

/// Eight runs at once into a directory that does not exist yet: each must wait for the others,
/// whichever directories existed when it started, and every preset must end up in the file.
fn concurrent_applies_all_land(name: &str, to: &str, home: &str, file: &str) {
    let presets =
        ["ci", "debugging", "fast-runtime", "fast-compile", "prod", "profiling", "staging", "deps-optimized-dev"];
    for round in 0..50 {
        let dir = workspace(name);
        let runs: Vec<Child> = presets
            .iter()
            .map(|preset| {
                command(&dir, &["apply", preset, "--to", to])
                    .env("CARGO_HOME", dir.join(home))
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for (preset, run) in presets.iter().zip(runs) {
            let output = run.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(output.status.success(), "round {round}, {preset}: {stderr}");
        }
        let output = command(&dir, &["status", "--format", "json"]).env("CARGO_HOME", dir.join(home)).output().unwrap();
        let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let files = status["files"].as_array().unwrap();
        let ours = files.iter().find(|f| f["file"] == file).unwrap_or_else(|| panic!("round {round}: {status:#}"));
        let mut intact: Vec<&str> = ours["presets"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["state"] == "intact")
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        intact.sort();
        let mut expected = presets.to_vec();
        expected.sort();
        assert_eq!(intact, expected, "round {round}: a preset's settings were lost");
        let leftovers: Vec<String> = walkdir::WalkDir::new(&dir)
            .into_iter()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".cargo-presets."))
            .collect();
        assert!(leftovers.is_empty(), "round {round}: {leftovers:?}");
    }
}

#[test]
fn eight_concurrent_applies_into_a_missing_dot_cargo_all_land() {
    concurrent_applies_all_land("concurrent-config", "config", "cargo-home", ".cargo/config.toml");
}

#[test]
fn eight_concurrent_applies_into_a_missing_cargo_home_all_land() {
    concurrent_applies_all_land("concurrent-user", "user", "new/cargo-home", "new/cargo-home/config.toml");
}

#[test]
fn the_temporary_file_is_private_and_owned_like_the_original_from_the_start() {
    let dir = workspace("private");
    let config = dir.join("cargo-home/config.toml");
    fs::create_dir_all(config.parent().unwrap()).unwrap();
    fs::write(&config, "[registry]\ntoken = \"secret\"\n").unwrap();
    fs::set_permissions(&config, fs::Permissions::from_mode(0o600)).unwrap();
    let owner = if is_root() {
        std::os::unix::fs::chown(&config, Some(1234), Some(1234)).unwrap();
        (1234, 1234)
    } else {
        eprintln!("SKIPPED: the owner part needs root; checking the mode only");
        let meta = fs::metadata(&config).unwrap();
        (meta.uid(), meta.gid())
    };
    let paused = common::Paused::start(
        command(&dir, &["apply", "fast-dev", "--to", "user"]),
        &dir.join("../signals-private"),
        "before-rename",
    );
    let temp: Vec<PathBuf> = fs::read_dir(config.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(".config.toml.cargo-presets."))
        .collect();
    assert_eq!(temp.len(), 1, "{temp:?}");
    let meta = fs::metadata(&temp[0]).unwrap();
    assert_eq!(meta.mode() & 0o7777, 0o600, "the temporary file must never be readable by others");
    assert_eq!((meta.uid(), meta.gid()), owner);
    assert!(meta.len() > 0, "the pause is after the text was written");
    let (status, stderr) = paused.go();
    assert_eq!(status, 0, "{stderr}");
    let meta = fs::metadata(&config).unwrap();
    assert_eq!((meta.mode() & 0o7777, meta.uid(), meta.gid()), (0o600, owner.0, owner.1));
    assert!(fs::read_to_string(&config).unwrap().starts_with("[registry]\ntoken = \"secret\"\n"));
}

/// Runs as another user when the tests run as root (who may write anything); `None` otherwise.
fn as_nobody(dir: &Path, mut command: Command) -> Option<Command> {
    if !is_root() {
        eprintln!("SKIPPED: acting as another user needs root");
        return None;
    }
    for entry in walkdir::WalkDir::new(dir) {
        let path = entry.unwrap().into_path();
        std::os::unix::fs::lchown(&path, Some(NOBODY), Some(NOBODY)).unwrap();
    }
    command.uid(NOBODY).gid(NOBODY);
    Some(command)
}

#[test]
fn a_manifest_the_user_cannot_write_is_refused() {
    let dir = workspace("read-only");
    let manifest = dir.join("Cargo.toml");
    let read_only = |command: &mut Command| {
        fs::set_permissions(&manifest, fs::Permissions::from_mode(0o444)).unwrap();
        let error = "error: `Cargo.toml` is not writable (permission denied); nothing was written";
        let stderr = refused(run(command), error);
        assert!(stderr.contains("help: make it writable (`chmod u+w`)"), "{stderr}");
        assert_eq!(fs::read_to_string(&manifest).unwrap(), MANIFEST);
        assert_eq!(fs::metadata(&manifest).unwrap().mode() & 0o777, 0o444);
    };
    if is_root() {
        if let Some(mut command) = as_nobody(&dir, command(&dir, &["apply", "fast-dev"])) {
            read_only(&mut command);
        }
    } else {
        read_only(&mut command(&dir, &["apply", "fast-dev"]));
    }
}

#[test]
fn a_file_of_another_user_keeps_its_owner_or_is_refused() {
    let dir = workspace("foreign");
    let manifest = dir.join("Cargo.toml");
    if !is_root() {
        eprintln!("SKIPPED: files of another user need root to make");
        return;
    }
    // Root edits it for its owner: the owner, group and mode stay.
    std::os::unix::fs::chown(&manifest, Some(1234), Some(4321)).unwrap();
    fs::set_permissions(&manifest, fs::Permissions::from_mode(0o664)).unwrap();
    let (status, stderr) = run(&mut command(&dir, &["apply", "fast-dev"]));
    assert_eq!(status, 0, "{stderr}");
    let meta = fs::metadata(&manifest).unwrap();
    assert_eq!((meta.uid(), meta.gid(), meta.mode() & 0o777), (1234, 4321, 0o664));
    assert!(fs::read_to_string(&manifest).unwrap().contains("[profile.dev]"));

    // Another plain user may write to it (it is world-writable) but could not give it back.
    let dir = workspace("foreign-writable");
    let manifest = dir.join("Cargo.toml");
    let mut command = as_nobody(&dir, command(&dir, &["apply", "fast-dev"])).unwrap();
    std::os::unix::fs::chown(&manifest, Some(0), Some(0)).unwrap();
    fs::set_permissions(&manifest, fs::Permissions::from_mode(0o666)).unwrap();
    refused(run(&mut command), "error: `Cargo.toml` belongs to another user (uid 0); replacing it would make it yours");
    assert_eq!(fs::read_to_string(&manifest).unwrap(), MANIFEST);
    assert_eq!(fs::metadata(&manifest).unwrap().uid(), 0);
}

#[test]
fn a_hard_linked_file_is_refused_and_both_names_keep_their_text() {
    let dir = workspace("hard-link");
    fs::hard_link(dir.join("Cargo.toml"), dir.join("Cargo.toml.orig")).unwrap();
    refused(
        run(&mut command(&dir, &["apply", "fast-dev"])),
        "error: `Cargo.toml` has 2 names (hard links); replacing it would leave the others with the old text",
    );
    assert_eq!(fs::metadata(dir.join("Cargo.toml")).unwrap().nlink(), 2, "still linked");
    assert_eq!(fs::read_to_string(dir.join("Cargo.toml")).unwrap(), MANIFEST);
}

#[test]
fn extended_attributes_are_kept() {
    let dir = workspace("xattr");
    let manifest = dir.join("Cargo.toml");
    let name = "user.cargo-presets-test";
    if let Err(e) = rustix::fs::setxattr(&manifest, name, b"kept", rustix::fs::XattrFlags::empty()) {
        eprintln!("SKIPPED: this file system does not take user extended attributes ({e})");
        return;
    }
    let (status, stderr) = run(&mut command(&dir, &["apply", "fast-dev"]));
    assert_eq!(status, 0, "{stderr}");
    let mut value = [0u8; 16];
    let len = rustix::fs::getxattr(&manifest, name, &mut value[..]).unwrap();
    assert_eq!(&value[..len], b"kept");
    assert!(fs::read_to_string(&manifest).unwrap().contains("[profile.dev]"));
}

#[test]
fn paths_that_are_not_utf8_are_used_as_they_are() {
    let base = common::tree("write-path", "non-utf8", &[] as &[(&str, &str)]);
    let ws = base.join(OsStr::from_bytes(b"ws\xff"));
    fs::create_dir_all(&ws).unwrap();
    fs::write(ws.join("Cargo.toml"), MANIFEST).unwrap();
    let manifest_arg = Path::new(OsStr::from_bytes(b"ws\xff/Cargo.toml"));
    let mut apply = command(&base, &[]);
    apply.arg("apply").arg("fast-dev").arg("--manifest-path").arg(manifest_arg);
    let (status, stderr) = run(&mut apply);
    assert_eq!(status, 0, "{stderr}");
    assert!(fs::read_to_string(ws.join("Cargo.toml")).unwrap().contains("[profile.dev]"));
    assert_eq!(fs::read_dir(&base).unwrap().count(), 1, "no look-alike directory was created");

    let home = base.join(OsStr::from_bytes(b"home\xfe"));
    let (status, stderr) = run(command(&ws, &["apply", "ci", "--to", "user"]).env("CARGO_HOME", &home));
    assert_eq!(status, 0, "{stderr}");
    assert!(fs::read_to_string(home.join("config.toml")).unwrap().contains("[profile.ci]"));
    assert_eq!(fs::read_dir(&base).unwrap().count(), 2, "{:?}", fs::read_dir(&base).unwrap().collect::<Vec<_>>());
}

#[test]
fn remove_deletes_only_a_file_apply_created() {
    // An empty config that was there before: `remove` gives it back empty, it does not delete it.
    let dir = workspace("pre-existing-config");
    fs::create_dir_all(dir.join(".cargo")).unwrap();
    fs::write(dir.join(".cargo/config.toml"), "").unwrap();
    for args in [&["apply", "fast-dev", "--to", "config"], &["remove", "fast-dev", "--to", "config"]] {
        let (status, stderr) = run(&mut command(&dir, args));
        assert_eq!(status, 0, "{stderr}");
    }
    assert_eq!(fs::read(dir.join(".cargo/config.toml")).unwrap(), b"");

    // A symlinked user config: the dotfile it points to stays, and so does the link.
    let dir = workspace("symlinked-user-config");
    fs::create_dir_all(dir.join("dotfiles")).unwrap();
    fs::create_dir_all(dir.join("cargo-home")).unwrap();
    fs::write(dir.join("dotfiles/cargo.toml"), "").unwrap();
    std::os::unix::fs::symlink("../dotfiles/cargo.toml", dir.join("cargo-home/config.toml")).unwrap();
    for args in [&["apply", "fast-dev", "--to", "user"], &["remove", "fast-dev", "--to", "user"]] {
        let (status, stderr) = run(&mut command(&dir, args));
        assert_eq!(status, 0, "{stderr}");
    }
    assert!(fs::symlink_metadata(dir.join("cargo-home/config.toml")).unwrap().file_type().is_symlink());
    assert_eq!(fs::read(dir.join("dotfiles/cargo.toml")).unwrap(), b"");

    // A file apply created goes, and with it nothing else.
    let dir = workspace("created-config");
    for args in [&["apply", "fast-dev", "--to", "config"], &["remove", "fast-dev", "--to", "config"]] {
        let (status, stderr) = run(&mut command(&dir, args));
        assert_eq!(status, 0, "{stderr}");
    }
    assert!(!dir.join(".cargo/config.toml").exists());
}

/// Runs `command`, failing the test instead of hanging if it does not finish in time.
fn run_with_deadline(command: &mut Command) -> (i32, String) {
    let mut child = command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            panic!("the run hung");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    common::status_and_stderr(child.wait_with_output().unwrap())
}

#[test]
fn special_files_are_refused_without_hanging() {
    let dir = workspace("fifo");
    fs::create_dir_all(dir.join(".cargo")).unwrap();
    let fifo = dir.join(".cargo/config.toml");
    rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, rustix::fs::Mode::from_raw_mode(0o644)).unwrap();
    refused(
        run_with_deadline(&mut command(&dir, &["apply", "fast-dev", "--to", "config"])),
        "`.cargo/config.toml` is a named pipe (FIFO), not a regular file",
    );
    refused_by_every_reader(&dir, "`.cargo/config.toml` is a named pipe (FIFO), not a regular file");

    let dir = workspace("dev-zero");
    fs::create_dir_all(dir.join(".cargo")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.join(".cargo/config.toml")).unwrap();
    // `apply` names the file the link points to, since that is the one it would write.
    refused(
        run_with_deadline(&mut command(&dir, &["apply", "fast-dev", "--to", "config"])),
        "`/dev/zero` is a character device, not a regular file",
    );
    refused_by_every_reader(&dir, "`.cargo/config.toml` is a character device, not a regular file");
    assert_eq!(fs::read_to_string(dir.join("Cargo.toml")).unwrap(), MANIFEST);
}

/// Every command that reads the config refuses it with `error`, within a second: cargo itself
/// would block on a FIFO forever and read `/dev/zero` until memory runs out.
fn refused_by_every_reader(dir: &Path, error: &str) {
    for args in ["status", "check", "explain", "verify"].map(|c| [c]) {
        let start = Instant::now();
        let (status, stderr) = run_with_deadline(&mut command(dir, &args));
        assert_eq!(status, 101, "{args:?}: {stderr}");
        assert!(stderr.starts_with(&format!("error: {error}\n")), "{args:?}: {stderr}");
        assert!(start.elapsed() < Duration::from_secs(1), "{args:?} took {:?}", start.elapsed());
    }
}

#[test]
fn init_writes_nothing_when_it_cannot_write_everything() {
    // `.cargo` is a file: the example preset cannot be created, so the manifest is not touched.
    let dir =
        common::tree("write-path", "init-dot-cargo-file", &[("Cargo.toml", MANIFEST), (".cargo", "not a directory")]);
    let before = common::files(&dir);
    refused(
        run(&mut command(&dir, &["init"])),
        "error: cannot create `.cargo/presets/example.toml`: `.cargo` is not a directory; nothing was written",
    );
    assert_eq!(common::files(&dir), before);

    // `.cargo/presets` cannot be written by this user.
    let dir = workspace("init-unwritable");
    fs::create_dir_all(dir.join(".cargo/presets")).unwrap();
    let Some(mut init) = as_nobody(&dir, command(&dir, &["init"])) else { return };
    std::os::unix::fs::chown(dir.join(".cargo/presets"), Some(0), Some(0)).unwrap();
    let before = common::files(&dir);
    refused(
        run(&mut init),
        "error: cannot create `.cargo/presets/example.toml`: `.cargo/presets` is not writable; nothing was written",
    );
    assert_eq!(common::files(&dir), before);
}

#[test]
fn a_failed_write_names_the_users_file_and_leaves_nothing_behind() {
    // An unwritable directory: the temporary file cannot be created beside the manifest.
    let dir = workspace("unwritable-dir");
    if let Some(mut apply) = as_nobody(&dir, command(&dir, &["apply", "fast-dev"])) {
        std::os::unix::fs::chown(&dir, Some(0), Some(0)).unwrap();
        let (status, stderr) = run(&mut apply);
        assert_eq!(status, 101, "{stderr}");
        assert!(stderr.starts_with("error: failed to write `Cargo.toml`: Permission denied\n"), "{stderr}");
        assert!(!stderr.contains(".tmp"), "the temporary file is ours, not the user's: {stderr}");
        assert!(stderr.contains("help: cargo presets writes the new text to a file beside it and swaps it in, so `.` must be writable; `Cargo.toml` was left as it was"), "{stderr}");
        assert_eq!(common::names(&dir), ["Cargo.toml"]);
    }

    // A full disk: a small file system of our own, where root may mount one.
    let dir = workspace("full-disk");
    let mount = dir.join("small");
    fs::create_dir_all(&mount).unwrap();
    let mounted = is_root()
        && Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=8k", "tmpfs"])
            .arg(&mount)
            .status()
            .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("SKIPPED: the full-disk case needs root and tmpfs mounts");
        return;
    }
    let outcome = std::panic::catch_unwind(|| {
        fs::write(mount.join("Cargo.toml"), MANIFEST).unwrap();
        // Fill the rest, so that the next page written fails.
        let filler = mount.join("filler");
        let mut n = 0;
        while fs::write(&filler, vec![0u8; n + 4096]).is_ok() {
            n += 4096;
        }
        fs::write(&filler, vec![0u8; n]).unwrap();
        let before = common::files(&mount);
        let (status, stderr) = run(&mut command(&mount, &["apply", "fast-dev", "--to", "config"]));
        assert_eq!(status, 101, "{stderr}");
        assert!(
            stderr.starts_with("error: failed to write `.cargo/config.toml`: No space left on device\n"),
            "{stderr}"
        );
        assert!(stderr.contains("help: free some space for `.cargo`, then run the command again; `.cargo/config.toml` was left as it was"), "{stderr}");
        assert_eq!(common::files(&mount), before);
        assert_eq!(common::names(&mount), ["Cargo.toml", "filler"], "the `.cargo` it created is gone");
    });
    let _ = Command::new("umount").arg(&mount).status();
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn nothing_is_written_where_cargo_finds_no_workspace() {
    // `package.workspace` naming a directory that does not exist: cargo fails to read it.
    let dir = common::tree(
        "write-path",
        "workspace-nowhere",
        &[("m/Cargo.toml", "[package]\nname = \"m\"\nversion = \"0.1.0\"\nworkspace = \"../nonexistent\"\n")],
    );
    let before = common::files(&dir);
    let stderr = refused(
        run(&mut command(&dir.join("m"), &["apply", "fast-dev"])),
        "nonexistent/Cargo.toml`: No such file or directory",
    );
    assert!(
        stderr.contains("help: point `package.workspace` at the directory of the workspace's root manifest"),
        "{stderr}"
    );
    assert_eq!(common::files(&dir), before);
    assert!(!dir.join("nonexistent").exists());

    // `package.workspace` naming a plain package: cargo says it is not a root.
    let dir = common::tree(
        "write-path",
        "workspace-not-a-root",
        &[
            ("ex/Cargo.toml", "[package]\nname = \"ex\"\nversion = \"0.1.0\"\n"),
            ("m/Cargo.toml", "[package]\nname = \"m\"\nversion = \"0.1.0\"\nworkspace = \"../ex\"\n"),
        ],
    );
    let before = common::files(&dir);
    refused(
        run(&mut command(&dir.join("m"), &["apply", "fast-dev"])),
        "error: root of a workspace inferred but wasn't a root: ",
    );
    assert_eq!(common::files(&dir), before, "profiles went into a package cargo does not read them from");
}

/// One size limit for what is read and what is written: two presets with a 9 MB `why` each
/// would make an 18 MB manifest, beyond what `remove` reads back. The second is refused before
/// anything is written, and the first still comes out.
#[test]
fn a_file_too_large_to_read_back_is_never_written() {
    let why = "x".repeat(9 << 20);
    let preset = |profile: &str| {
        format!("summary = \"large\"\n\n[profile.{profile}]\nopt-level = {{ value = 1, why = \"{why}\" }}\n")
    };
    let dir = common::tree(
        "write-path",
        "too-large",
        &[
            ("Cargo.toml", MANIFEST.to_owned()),
            (".cargo/presets/large-dev.toml", preset("dev")),
            (".cargo/presets/large-release.toml", preset("release")),
        ],
    );
    let (status, stderr) = run(&mut command(&dir, &["apply", "large-dev"]));
    assert_eq!(status, 0, "{stderr}");
    let applied = fs::read(dir.join("Cargo.toml")).unwrap();
    let (status, stderr) = run(&mut command(&dir, &["apply", "large-release"]));
    assert_eq!(status, 101, "{stderr}");
    assert!(
        stderr.starts_with(
            "error: `Cargo.toml` would be 18 MiB, more than the 16 MiB cargo presets reads; nothing was written\n"
        ),
        "{stderr}"
    );
    assert_eq!(fs::read(dir.join("Cargo.toml")).unwrap(), applied);
    let (status, stderr) = run(&mut command(&dir, &["remove", "large-dev"]));
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(fs::read_to_string(dir.join("Cargo.toml")).unwrap(), MANIFEST);
}
