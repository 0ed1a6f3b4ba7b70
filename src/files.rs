//! Reading and writing the files we edit.
//!
//! A write never leaves a half-written file: the new text goes to a temporary file in the same
//! directory (same file system, so the rename is atomic), is flushed to disk, takes the old
//! file's permissions, and then replaces the old file in one `rename`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// Reads a text file, refusing what is not UTF-8 (TOML must be).
pub fn read(path: &Path) -> Result<String> {
    let bytes = fs::read(path).map_err(|e| Error::io("read", path, &e))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::new(format!(
            "`{}` is not valid UTF-8 (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
        .help("TOML files must be UTF-8; re-save the file in that encoding")
    })
}

/// Reads a file that may not exist yet; a missing file is empty.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    match fs::metadata(path) {
        Ok(_) => read(path).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path, &e)),
    }
}

/// An advisory lock on the directory of a file being edited, held from before the file is read
/// until after it is replaced, so that two `cargo presets` runs edit one after the other instead
/// of losing an update. The OS releases it when the process ends, even if it is killed, so no
/// stale lock is ever left behind.
pub struct DirLock {
    _dir: fs::File,
}

/// How long to wait for another run to finish before giving up.
const LOCK_TIMEOUT: Duration = Duration::from_secs(30);

/// Locks the nearest existing directory of `path` (a file we may create, in a directory we may
/// create). Where the platform cannot lock a directory, returns `None` and the compare before
/// the rename still catches a concurrent change.
pub fn lock_dir_of(path: &Path) -> Result<Option<DirLock>> {
    let Some(dir) = path.ancestors().skip(1).find(|d| d.is_dir()) else { return Ok(None) };
    let Ok(handle) = fs::File::open(dir) else { return Ok(None) };
    let start = Instant::now();
    loop {
        match handle.try_lock() {
            Ok(()) => return Ok(Some(DirLock { _dir: handle })),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < LOCK_TIMEOUT => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::new(format!(
                    "another `cargo presets` run has been editing files in `{}` for {} seconds",
                    dir.display(),
                    LOCK_TIMEOUT.as_secs()
                ))
                .help("wait for it to finish, or stop it, and try again"));
            }
            Err(fs::TryLockError::Error(_)) => return Ok(None),
        }
    }
}

/// Replaces `path` with `text` atomically, provided the file still holds `expected` (`None`: it
/// must not exist), so that an edit made by someone else since we read it is never overwritten.
/// Creates the parent directory if needed.
pub fn write_atomic(path: &Path, expected: Option<&str>, text: &str) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, &e))?;
    remove_stale_temp_files(path);
    debug_pause();
    if read_optional(path)?.as_deref() != expected {
        return Err(Error::new(format!(
            "`{}` changed while cargo presets was editing it; nothing was written",
            path.display()
        ))
        .help("run the command again to apply the presets to the new content"));
    }
    let temp = temp_path(path);
    let result = write_then_rename(path, &temp, text);
    if result.is_err() {
        // Best effort: the temp file is ours and must not be left behind.
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Deletes `path`, provided it still holds `expected` (see [`write_atomic`]).
pub fn remove_if_unchanged(path: &Path, expected: &str) -> Result<()> {
    debug_pause();
    if read_optional(path)?.as_deref() != Some(expected) {
        return Err(Error::new(format!(
            "`{}` changed while cargo presets was editing it; nothing was written",
            path.display()
        ))
        .help("run the command again"));
    }
    fs::remove_file(path).map_err(|e| Error::io("remove", path, &e))
}

/// A test hook in debug builds only: `CARGO_PRESETS_DEBUG_PAUSE_MS` stretches the moment between
/// reading a file and replacing it, so tests can change the file, start a second run, or kill
/// the process there.
fn debug_pause() {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("CARGO_PRESETS_DEBUG_PAUSE_MS").ok().and_then(|v| v.parse().ok()) {
        std::thread::sleep(Duration::from_millis(ms));
    }
}

fn write_then_rename(path: &Path, temp: &Path, text: &str) -> Result<()> {
    let mut file =
        fs::OpenOptions::new().write(true).create_new(true).open(temp).map_err(|e| Error::io("create", temp, &e))?;
    file.write_all(text.as_bytes()).map_err(|e| Error::io("write", temp, &e))?;
    file.sync_all().map_err(|e| Error::io("write", temp, &e))?;
    if let Ok(meta) = fs::metadata(path) {
        fs::set_permissions(temp, meta.permissions()).map_err(|e| Error::io("set permissions of", temp, &e))?;
    }
    fs::rename(temp, path).map_err(|e| Error::io("replace", path, &e))
}

/// `.Cargo.toml.cargo-presets.<pid>.tmp` beside the file: hidden, and not ending in `.toml`, so
/// no tool mistakes it for a manifest or a config file.
fn temp_path(path: &Path) -> PathBuf {
    path.with_file_name(format!("{}{}.tmp", temp_prefix(path), std::process::id()))
}

fn temp_prefix(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!(".{name}.cargo-presets.")
}

/// Removes temp files a killed run left beside `path`. Called under the directory lock, so no
/// live run is writing one.
fn remove_stale_temp_files(path: &Path) {
    let (Some(dir), prefix) = (path.parent(), temp_prefix(path)) else { return };
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&prefix) && name.ends_with(".tmp") {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("cargo-presets-files-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn write_replaces_content_and_leaves_no_temp_file() {
        let dir = scratch("replace");
        let path = dir.join("Cargo.toml");
        fs::write(&path, "old").unwrap();
        write_atomic(&path, Some("old"), "new").unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn write_keeps_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("perms");
        let path = dir.join("config.toml");
        fs::write(&path, "").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&path, Some(""), "x = 1\n").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn write_creates_missing_directories() {
        let dir = scratch("mkdir");
        let path = dir.join(".cargo").join("config.toml");
        write_atomic(&path, None, "x = 1\n").unwrap();
        assert_eq!(fs::read_to_string(path).unwrap(), "x = 1\n");
    }

    #[test]
    fn write_refuses_a_file_that_changed_since_it_was_read() {
        let dir = scratch("changed");
        let path = dir.join("Cargo.toml");
        fs::write(&path, "edited by someone else").unwrap();
        let err = write_atomic(&path, Some("what we read"), "ours").unwrap_err().to_string();
        assert!(err.contains("changed while cargo presets was editing it; nothing was written"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited by someone else");
        let err = write_atomic(&dir.join("config.toml"), Some(""), "ours").unwrap_err().to_string();
        assert!(err.contains("changed while"), "a file that vanished is a change too: {err}");
    }

    #[test]
    fn write_removes_temp_files_left_by_a_killed_run() {
        let dir = scratch("stale");
        let path = dir.join("Cargo.toml");
        fs::write(&path, "old").unwrap();
        fs::write(dir.join(".Cargo.toml.cargo-presets.99999.tmp"), "half").unwrap();
        write_atomic(&path, Some("old"), "new").unwrap();
        let names: Vec<String> =
            fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["Cargo.toml"]);
    }

    #[test]
    fn a_held_lock_makes_a_second_locker_wait() {
        let dir = scratch("lock");
        let path = dir.join("Cargo.toml");
        let first = lock_dir_of(&path).unwrap().expect("directories can be locked here");
        let handle = fs::File::open(&dir).unwrap();
        assert!(matches!(handle.try_lock(), Err(fs::TryLockError::WouldBlock)));
        drop(first);
        assert!(handle.try_lock().is_ok());
    }

    #[test]
    fn invalid_utf8_is_a_clear_error() {
        let dir = scratch("utf8");
        let path = dir.join("Cargo.toml");
        fs::write(&path, b"a = \"\xff\"\n").unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("is not valid UTF-8 (invalid byte at offset 5)"), "{err}");
    }
}
