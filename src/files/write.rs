//! Committing new file contents: every check first, then each write, undone on failure.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{
    Lock, MAX_LEN, TEMP_FILE, as_dir, debug_pause, dir_of, platform, read_optional, regular_file, remove_leftovers,
    temp_name,
};
use crate::error::{Error, Result};

/// One file's change. `expected` is the text the command read (`None`: the file did not exist);
/// the change is made only if the file still holds it.
#[derive(Clone, Copy, Debug)]
pub enum Change<'a> {
    /// Replaces the file's text, or creates the file.
    Write { path: &'a Path, expected: Option<&'a str>, text: &'a str },
    /// Deletes the file.
    Remove { path: &'a Path, expected: &'a str },
}

impl<'a> Change<'a> {
    fn path(&self) -> &'a Path {
        match *self {
            Change::Write { path, .. } | Change::Remove { path, .. } => path,
        }
    }

    fn expected(&self) -> Option<&'a str> {
        match *self {
            Change::Write { expected, .. } => expected,
            Change::Remove { expected, .. } => Some(expected),
        }
    }

    /// The change that puts back what was there before this one.
    fn undo(&self) -> Change<'a> {
        match *self {
            Change::Write { path, expected: Some(old), text } => {
                Change::Write { path, expected: Some(text), text: old }
            }
            Change::Write { path, expected: None, text } => Change::Remove { path, expected: text },
            Change::Remove { path, expected } => Change::Write { path, expected: None, text: expected },
        }
    }
}

/// Makes every change, or none: all are checked before the first is made, and if one fails the
/// ones made before it are undone and the directories created for them removed.
pub fn commit(lock: &mut Lock, changes: &[Change<'_>]) -> Result<()> {
    for change in changes {
        check(change)?;
    }
    let mut done: Vec<(Change<'_>, Option<PathBuf>)> = Vec::new();
    for change in changes {
        match make(lock, change) {
            Ok(created) => done.push((*change, created)),
            Err(error) => {
                for (change, created) in done.iter().rev() {
                    // Best effort: the error below is what the user must see.
                    let _ = make(lock, &change.undo());
                    remove_created(created.as_deref());
                }
                return Err(error);
            }
        }
    }
    Ok(())
}

fn changed_meanwhile(path: &Path) -> Error {
    Error::new(format!("`{}` changed while cargo presets was editing it; nothing was written", path.display()))
        .help("run the command again to apply the presets to the new content")
}

/// Everything that can be known before writing: the file is still what was read, is a regular
/// file with one name, and may be replaced by this user without changing its owner.
fn check(change: &Change<'_>) -> Result<()> {
    let path = change.path();
    // What we write must be readable again, by `remove` above all.
    if let Change::Write { text, .. } = change
        && text.len() as u64 > MAX_LEN
    {
        return Err(Error::new(format!(
            "`{}` would be {} MiB, more than the {} MiB cargo presets reads; nothing was written",
            path.display(),
            text.len() >> 20,
            MAX_LEN >> 20
        ))
        .help("shorten the presets' text (a `why` or a summary) that makes it this large"));
    }
    if read_optional(path)?.as_deref() != change.expected() {
        return Err(changed_meanwhile(path));
    }
    let Ok(meta) = fs::metadata(path) else {
        return check_creatable(path);
    };
    regular_file(path, &meta)?;
    if let Change::Remove { .. } = change {
        return Ok(());
    }
    let links = platform::link_count(&meta);
    if links > 1 {
        return Err(Error::new(format!(
            "`{}` has {links} names (hard links); replacing it would leave the others with the old text",
            path.display()
        ))
        .help("edit it by hand, or make it a file of its own first (copy it, then move the copy over it)"));
    }
    if let Err(e) = fs::OpenOptions::new().write(true).open(path) {
        let reason =
            if e.kind() == io::ErrorKind::PermissionDenied { "permission denied".to_owned() } else { e.to_string() };
        return Err(Error::new(format!("`{}` is not writable ({reason}); nothing was written", path.display()))
            .help("make it writable (`chmod u+w`), or run as a user who may edit it"));
    }
    let me = platform::effective_uid();
    if let (Some(me), Some((owner, _))) = (me, platform::owner(&meta))
        && me != 0
        && me != owner
    {
        return Err(Error::new(format!(
            "`{}` belongs to another user (uid {owner}); replacing it would make it yours",
            path.display()
        ))
        .help("run the command as the file's owner"));
    }
    Ok(())
}

/// A new file's directory must be a directory (or creatable) and writable.
fn check_creatable(path: &Path) -> Result<()> {
    let ancestors = dir_of(path).ancestors();
    let Some(existing) = ancestors.map(as_dir).find(|d| fs::symlink_metadata(d).is_ok()) else { return Ok(()) };
    if !existing.is_dir() {
        return Err(Error::new(format!(
            "cannot create `{}`: `{}` is not a directory; nothing was written",
            path.display(),
            existing.display()
        ))
        .help(format!("move `{}` out of the way, then run the command again", existing.display())));
    }
    if !platform::can_create_in(existing) {
        return Err(Error::new(format!(
            "cannot create `{}`: `{}` is not writable; nothing was written",
            path.display(),
            existing.display()
        ))
        .help("make that directory writable, or run as a user who may write there"));
    }
    Ok(())
}

/// Makes one change. Returns the topmost directory it created, if any.
fn make(lock: &mut Lock, change: &Change<'_>) -> Result<Option<PathBuf>> {
    let path = change.path();
    let dir = dir_of(path);
    let created = lock.create_dir_all(dir).map_err(|e| failed(path, &e))?;
    remove_leftovers(path, lock.holds(dir) || created.is_some());
    let result = match *change {
        Change::Write { path, expected, text } => write(path, expected, text),
        Change::Remove { path, expected } => remove(path, expected),
    };
    if result.is_err() {
        remove_created(created.as_deref());
    }
    result.map(|()| created)
}

/// Removes the directories a failed write created, if they hold nothing (they hold nothing of
/// anyone else's: they were made under the lock).
fn remove_created(top: Option<&Path>) {
    if let Some(top) = top {
        let mut dirs: Vec<PathBuf> = walkdir::WalkDir::new(top).into_iter().flatten().map(|e| e.into_path()).collect();
        dirs.reverse();
        for dir in dirs {
            let _ = fs::remove_dir(dir);
        }
    }
}

/// The write itself: a temporary file that is the old file's twin in everything but its text,
/// made durable, then swapped in.
fn write(path: &Path, expected: Option<&str>, text: &str) -> Result<()> {
    let temp = temp_name(path, TEMP_FILE);
    let old = match expected {
        Some(_) => Some(fs::File::open(path).map_err(|e| failed(path, &e))?),
        None => None,
    };
    let old_meta = old.as_ref().map(fs::File::metadata).transpose().map_err(|e| failed(path, &e))?;
    let made = (|| -> Result<()> {
        let mut file =
            platform::create_new(&temp, old_meta.as_ref().and_then(platform::mode)).map_err(|e| failed(path, &e))?;
        if let (Some(old), Some(meta)) = (&old, &old_meta) {
            keep_identity(path, old, meta, &file)?;
        }
        file.write_all(text.as_bytes()).map_err(|e| failed(path, &e))?;
        file.sync_all().map_err(|e| failed(path, &e))?;
        swap_in(&temp, path, expected)
    })();
    if made.is_err() {
        let _ = fs::remove_file(&temp);
    }
    made
}

/// Gives the new file the old one's owner, group, mode and extended attributes, before it holds
/// any text, so that a private file is never readable by others, not even for a moment.
fn keep_identity(path: &Path, old: &fs::File, meta: &fs::Metadata, new: &fs::File) -> Result<()> {
    let new_meta = new.metadata().map_err(|e| failed(path, &e))?;
    if let Some(owner) = platform::owner(meta).filter(|o| Some(*o) != platform::owner(&new_meta)) {
        platform::set_owner(new, owner).map_err(|e| {
            Error::new(format!("cannot keep the owner and group of `{}`: {e}; nothing was written", path.display()))
                .help("run the command as the file's owner")
        })?;
    }
    if let Some(mode) = platform::mode(meta) {
        platform::set_mode(new, mode).map_err(|e| failed(path, &e))?;
    }
    platform::copy_xattrs(old, new).map_err(|(name, e)| {
        Error::new(format!(
            "cannot keep the extended attribute `{name}` of `{}`: {e}; nothing was written",
            path.display()
        ))
        .help("run the command as a user who may set that attribute, or edit the file by hand")
    })
}

/// Puts `temp` in `path`'s place, provided `path` held `expected` up to that instant. Where
/// the file system can swap two names atomically, the check is made on what the swap displaced,
/// and a change found there is swapped back: an edit saved at any moment is kept.
fn swap_in(temp: &Path, path: &Path, expected: Option<&str>) -> Result<()> {
    let dir = dir_of(path);
    let Some(expected) = expected else {
        debug_pause("before-rename");
        return match platform::rename_noreplace(temp, path) {
            Ok(()) => {
                platform::sync_dir(dir);
                Ok(())
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(changed_meanwhile(path)),
            Err(e) => Err(failed(path, &e)),
        };
    };
    if read_optional(path)?.as_deref() != Some(expected) {
        return Err(changed_meanwhile(path));
    }
    // The last check before the swap: an edit landing from here on is caught after it.
    debug_pause("before-rename");
    if !platform::exchange(temp, path).map_err(|e| failed(path, &e))? {
        fs::rename(temp, path).map_err(|e| failed(path, &e))?;
        platform::sync_dir(dir);
        return Ok(());
    }
    // `temp` now holds what was at `path`.
    if read_optional(temp)?.as_deref() != Some(expected) {
        platform::exchange(temp, path).map_err(|e| failed(path, &e))?;
        return Err(changed_meanwhile(path));
    }
    platform::sync_dir(dir);
    let _ = fs::remove_file(temp);
    Ok(())
}

/// Deletes `path`: moved aside first, so that what is deleted is what was checked.
fn remove(path: &Path, expected: &str) -> Result<()> {
    let aside = temp_name(path, TEMP_FILE);
    platform::rename_noreplace(path, &aside).map_err(|e| failed(path, &e))?;
    if read_optional(&aside)?.as_deref() != Some(expected) {
        // Put back exactly what is there now; a file saved at `path` meanwhile wins.
        let _ = platform::rename_noreplace(&aside, path);
        return Err(changed_meanwhile(path));
    }
    fs::remove_file(&aside).map_err(|e| failed(path, &e))?;
    platform::sync_dir(dir_of(path));
    Ok(())
}

/// An I/O failure while writing `path`, named as the user knows it (never the temporary file),
/// with what to do about it.
fn failed(path: &Path, err: &io::Error) -> Error {
    let dir = dir_of(path);
    let error = Error::io("write", path, err);
    let help = match err.kind() {
        io::ErrorKind::PermissionDenied => format!(
            "cargo presets writes the new text to a file beside it and swaps it in, so `{}` must be writable",
            dir.display()
        ),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded | io::ErrorKind::FileTooLarge => {
            format!("free some space for `{}`, then run the command again", dir.display())
        }
        io::ErrorKind::ReadOnlyFilesystem => "the file system is mounted read-only".to_owned(),
        _ => "run the command again once the cause is fixed".to_owned(),
    };
    error.help(format!("{help}; `{}` was left as it was", path.display()))
}

#[cfg(test)]
mod tests {
    use super::super::{lock, tests::scratch};
    use super::*;

    fn commit_one(change: Change<'_>) -> Result<()> {
        let mut held = lock(&[change.path()])?;
        commit(&mut held, &[change])
    }

    #[test]
    fn write_replaces_content_and_leaves_no_temp_file() {
        let dir = scratch("replace");
        let path = dir.join("Cargo.toml");
        fs::write(&path, "old").unwrap();
        commit_one(Change::Write { path: &path, expected: Some("old"), text: "new" }).unwrap();
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
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        commit_one(Change::Write { path: &path, expected: Some(""), text: "x = 1\n" }).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o7777, 0o640);
    }

    #[test]
    fn write_creates_missing_directories() {
        let dir = scratch("mkdir");
        let path = dir.join(".cargo").join("config.toml");
        commit_one(Change::Write { path: &path, expected: None, text: "x = 1\n" }).unwrap();
        assert_eq!(fs::read_to_string(path).unwrap(), "x = 1\n");
    }

    #[test]
    fn write_refuses_a_file_that_changed_since_it_was_read() {
        let dir = scratch("changed");
        let path = dir.join("Cargo.toml");
        fs::write(&path, "edited by someone else").unwrap();
        let err = commit_one(Change::Write { path: &path, expected: Some("what we read"), text: "ours" });
        let err = err.unwrap_err().to_string();
        assert!(err.contains("changed while cargo presets was editing it; nothing was written"), "{err}");
        assert_eq!(fs::read_to_string(&path).unwrap(), "edited by someone else");
        let gone = dir.join("config.toml");
        let err = commit_one(Change::Write { path: &gone, expected: Some(""), text: "ours" }).unwrap_err();
        assert!(err.to_string().contains("changed while"), "a file that vanished is a change too: {err}");
    }

    /// The names of the entries in `dir`, a file left behind among them.
    fn names_in(dir: &Path) -> Vec<String> {
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
    }

    #[test]
    fn write_removes_temp_files_left_by_a_killed_run() {
        let dir = scratch("stale");
        let path = dir.join("Cargo.toml");
        fs::write(&path, "old").unwrap();
        fs::write(dir.join(".Cargo.toml.cargo-presets.99999.tmp"), "half").unwrap();
        commit_one(Change::Write { path: &path, expected: Some("old"), text: "new" }).unwrap();
        assert_eq!(names_in(&dir), ["Cargo.toml"]);
    }

    #[test]
    fn a_failed_later_change_undoes_the_earlier_ones_and_their_directories() {
        let dir = scratch("undo");
        let manifest = dir.join("Cargo.toml");
        fs::write(&manifest, "old").unwrap();
        let new = dir.join("new/deep/a.toml");
        let mut held = lock(&[&manifest, &new]).unwrap();
        // Both creations pass the checks; the second then finds the file the first made.
        let changes = [
            Change::Write { path: &manifest, expected: Some("old"), text: "new" },
            Change::Write { path: &new, expected: None, text: "a" },
            Change::Write { path: &new, expected: None, text: "b" },
        ];
        let err = commit(&mut held, &changes).unwrap_err().to_string();
        assert!(err.contains("changed while cargo presets was editing it"), "{err}");
        assert_eq!(fs::read_to_string(&manifest).unwrap(), "old");
        assert!(!dir.join("new").exists(), "the directories made for the undone write are gone");
        assert_eq!(names_in(&dir), ["Cargo.toml"]);
    }

    #[test]
    fn removal_moves_aside_then_deletes() {
        let dir = scratch("remove");
        let path = dir.join("config.toml");
        fs::write(&path, "x").unwrap();
        commit_one(Change::Remove { path: &path, expected: "x" }).unwrap();
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
    }
}
