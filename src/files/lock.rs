//! Locks that make `cargo presets` runs edit a file one after another instead of losing an
//! update.
//!
//! The lock is an advisory lock on the file's directory, which the OS releases when the process
//! ends, even if it is killed, so no stale lock is ever left behind. A file whose directory does
//! not exist yet (`.cargo/config.toml` in a fresh workspace, a new `$CARGO_HOME`) is locked
//! through its nearest existing ancestor; the run that creates the missing directories builds
//! them under a temporary name, locks the new directory, and only then renames it into place.
//! So whoever sees the directory sees it locked, and a run that waited on the ancestor finds
//! the directory there once it gets the lock and moves its lock down to it. Every run editing
//! one file therefore ends up holding the same lock, whichever directories existed when it
//! started.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How long to wait for another run to finish before giving up.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The locks held for the files one command edits.
pub struct Lock {
    held: Vec<(PathBuf, fs::File)>,
}

/// Locks the files a command is about to read and then write, before it reads them.
pub fn lock(files: &[&Path]) -> Result<Lock> {
    loop {
        let wanted: BTreeSet<PathBuf> = files.iter().map(|f| nearest_dir(f)).collect();
        // In one order for every run, so two runs never each hold what the other waits for.
        let mut held = Vec::new();
        for dir in &wanted {
            if let Some(handle) = lock_dir(dir)? {
                held.push((absolute(dir), handle));
            }
        }
        // A run that held an ancestor may have created a file's directory while we waited:
        // then that directory is where the lock for the file is now.
        let now: BTreeSet<PathBuf> = files.iter().map(|f| nearest_dir(f)).collect();
        if now == wanted {
            let lock = Lock { held };
            // Temporary files beside a locked file can only be left by a run that was killed:
            // clear them now, also for a run that then finds nothing to write.
            for file in files {
                let dir = super::dir_of(file);
                super::remove_leftovers(file, lock.holds(dir));
                if lock.holds(dir) {
                    remove_abandoned_build(&lock, dir);
                }
            }
            return Ok(lock);
        }
    }
}

impl Lock {
    /// Whether `dir` is locked by this run, so that temporary files there can only be left
    /// over from a run that was killed.
    pub fn holds(&self, dir: &Path) -> bool {
        let dir = absolute(dir);
        self.held.iter().any(|(d, _)| *d == dir)
    }

    /// Creates `dir` and its missing parents, locked before anyone else can see them (see the
    /// module docs). Returns the topmost directory created, for undoing; `None` if `dir` was
    /// there already.
    pub fn create_dir_all(&mut self, dir: &Path) -> std::io::Result<Option<PathBuf>> {
        if dir.is_dir() {
            return Ok(None);
        }
        let anchor = nearest_existing(dir);
        let rest = dir.strip_prefix(anchor).map_err(std::io::Error::other)?;
        let mut parts = rest.components();
        let top = anchor.join(parts.next().ok_or_else(|| std::io::Error::other("no directory to create"))?);
        let temp = super::temp_name(&top, super::TEMP_DIR);
        super::remove_leftovers(&top, self.holds(super::as_dir(anchor)));
        fs::create_dir(&temp)?;
        let built = (|| -> std::io::Result<fs::File> {
            let deepest = temp.join(parts.as_path());
            fs::create_dir_all(&deepest)?;
            let handle = fs::File::open(&deepest)?;
            // Nobody else knows this directory yet: the lock is ours at once.
            let _ = handle.try_lock();
            super::platform::rename_noreplace(&temp, &top)?;
            Ok(handle)
        })();
        match built {
            Ok(handle) => {
                self.held.push((absolute(dir), handle));
                super::platform::sync_dir(super::as_dir(anchor));
                Ok(Some(top))
            }
            Err(e) => {
                let _ = fs::remove_dir_all(&temp);
                if e.kind() != std::io::ErrorKind::AlreadyExists {
                    return Err(e);
                }
                // Someone who does not take our lock made it meanwhile: use theirs.
                fs::create_dir_all(dir)?;
                if let Ok(Some(handle)) = lock_dir(dir) {
                    self.held.push((absolute(dir), handle));
                }
                Ok(None)
            }
        }
    }
}

/// Removes what a killed run left beside `dir` while it built it under a temporary name
/// (`..cargo.cargo-presets.<pid>.dir`), if this run holds `dir`'s parent or can lock it at once:
/// a run building there holds that lock until it is done, so none is. Never waits: another run
/// may hold it for an edit of its own, and then it is cleared another time.
fn remove_abandoned_build(lock: &Lock, dir: &Path) {
    let (Some(_), Some(parent)) = (dir.file_name(), dir.parent()) else { return };
    let parent = super::as_dir(parent);
    let free = || fs::File::open(parent).is_ok_and(|handle| handle.try_lock().is_ok());
    if lock.holds(parent) || free() {
        super::remove_leftovers(dir, true);
    }
}

/// The directory of `file`, or its nearest ancestor that exists.
fn nearest_dir(file: &Path) -> PathBuf {
    super::as_dir(nearest_existing(file.parent().unwrap_or(Path::new("")))).to_owned()
}

/// `dir` or its nearest ancestor that exists; `""` for the current directory of a relative path.
fn nearest_existing(dir: &Path) -> &Path {
    dir.ancestors().find(|d| d.as_os_str().is_empty() || d.is_dir()).unwrap_or(Path::new(""))
}

/// `dir` from the root, so that a file named relatively and absolutely is one file to `holds`.
fn absolute(dir: &Path) -> PathBuf {
    super::normalize(&std::path::absolute(dir).unwrap_or_else(|_| dir.to_owned()))
}

/// Locks `dir`, waiting for another run to finish. `None` where the platform cannot lock a
/// directory: the check of the file's content around the replacement still catches a
/// concurrent change.
fn lock_dir(dir: &Path) -> Result<Option<fs::File>> {
    let Ok(handle) = fs::File::open(dir) else { return Ok(None) };
    let start = Instant::now();
    let mut waited = false;
    loop {
        match handle.try_lock() {
            Ok(()) => return Ok(Some(handle)),
            Err(fs::TryLockError::WouldBlock) if start.elapsed() < TIMEOUT => {
                if !std::mem::replace(&mut waited, true) {
                    super::debug_pause("lock-busy");
                }
                std::thread::sleep(Duration::from_millis(5));
            }
            Err(fs::TryLockError::WouldBlock) => {
                return Err(Error::new(format!(
                    "another `cargo presets` run has been editing files in `{}` for {} seconds",
                    dir.display(),
                    TIMEOUT.as_secs()
                ))
                .help("wait for it to finish, or stop it, and try again"));
            }
            Err(fs::TryLockError::Error(_)) => return Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::scratch;
    use super::*;

    #[test]
    fn a_held_lock_makes_a_second_locker_wait() {
        let dir = scratch("lock-wait");
        let first = lock(&[&dir.join("Cargo.toml")]).unwrap();
        assert!(first.holds(&dir));
        let handle = fs::File::open(&dir).unwrap();
        assert!(matches!(handle.try_lock(), Err(fs::TryLockError::WouldBlock)));
        drop(first);
        assert!(handle.try_lock().is_ok());
    }

    #[test]
    fn a_missing_directory_is_locked_through_its_ancestor_and_created_locked() {
        let dir = scratch("lock-create");
        let file = dir.join(".cargo/deep/config.toml");
        let mut held = lock(&[&file]).unwrap();
        assert!(held.holds(&dir));
        let created = held.create_dir_all(&dir.join(".cargo/deep")).unwrap();
        assert_eq!(created, Some(dir.join(".cargo")));
        // Whoever opens the new directory finds it locked already.
        let handle = fs::File::open(dir.join(".cargo/deep")).unwrap();
        assert!(matches!(handle.try_lock(), Err(fs::TryLockError::WouldBlock)));
        let names: Vec<_> = fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, [".cargo"], "no temporary directory is left");
    }

    #[test]
    fn relative_paths_start_from_the_current_directory() {
        assert_eq!(nearest_dir(Path::new("Cargo.toml")), Path::new("."));
        assert_eq!(nearest_existing(Path::new("no-such-dir/.cargo")), Path::new(""));
    }
}
