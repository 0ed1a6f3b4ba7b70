//! What the write path asks of the operating system beyond `std`: opening without blocking,
//! the owner and extended attributes of a file, and renames that refuse to replace or that swap
//! two names atomically. Where a platform or file system lacks one, the caller falls back to
//! the plain `std` operation and says nothing (the result is the same, minus the guarantee).

use std::fs;
use std::io;
use std::path::Path;

/// Opens `path` for reading without blocking, so that a FIFO that slipped past the metadata
/// check (swapped in between) fails the regular-file check instead of hanging the run.
pub fn open_for_reading(path: &Path) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path)
}

/// The effective user, as file ownership sees it; `None` where there is no such notion.
pub fn effective_uid() -> Option<u32> {
    #[cfg(unix)]
    let uid = Some(rustix::process::geteuid().as_raw());
    #[cfg(not(unix))]
    let uid = None;
    uid
}

/// `(uid, gid)` of a file.
pub fn owner(meta: &fs::Metadata) -> Option<(u32, u32)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((meta.uid(), meta.gid()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// How many names (hard links) the file has.
pub fn link_count(meta: &fs::Metadata) -> u64 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.nlink()
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        1
    }
}

/// Creates `path` (which must not exist) with at most `mode`'s permissions from the start: the
/// umask can only take bits away, and `set_permissions` then sets exactly `mode`.
pub fn create_new(path: &Path, mode: Option<u32>) -> io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode & 0o7777);
    }
    let file = options.open(path)?;
    #[cfg(not(unix))]
    let _ = mode;
    Ok(file)
}

/// Gives `file` the owner and group `(uid, gid)`.
pub fn set_owner(file: &fs::File, owner: (u32, u32)) -> io::Result<()> {
    #[cfg(unix)]
    {
        use rustix::fs::{Gid, Uid};
        rustix::fs::fchown(file, Some(Uid::from_raw(owner.0)), Some(Gid::from_raw(owner.1)))?;
    }
    #[cfg(not(unix))]
    let _ = (file, owner);
    Ok(())
}

/// Sets exactly `mode` (after `set_owner`, which may clear set-id bits).
pub fn set_mode(file: &fs::File, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(mode & 0o7777))?;
    }
    #[cfg(not(unix))]
    let _ = (file, mode);
    Ok(())
}

/// The permission bits of a file.
pub fn mode(meta: &fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(meta.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

/// Copies every extended attribute of `from` onto `to`. An attribute `to` cannot take is an
/// error naming it, so that the caller can refuse the write rather than drop it silently.
/// One `to` already has with the same value (a security label the directory gives every new
/// file) is left alone.
pub fn copy_xattrs(from: &fs::File, to: &fs::File) -> Result<(), (String, io::Error)> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{XattrFlags, fgetxattr, fgetxattr_query, flistxattr, flistxattr_query, fsetxattr};
        let whole = |e: io::Error| (String::new(), e);
        let size = match flistxattr_query(from) {
            Ok(size) => size,
            // The file system has no extended attributes at all.
            Err(e) if e == rustix::io::Errno::NOTSUP => return Ok(()),
            Err(e) => return Err(whole(e.into())),
        };
        let mut list = vec![0u8; size];
        let len = flistxattr(from, &mut list[..]).map_err(|e| whole(e.into()))?;
        for name in list[..len].split(|b| *b == 0).filter(|n| !n.is_empty()) {
            let shown = String::from_utf8_lossy(name).into_owned();
            let read = |file: &fs::File| -> io::Result<Vec<u8>> {
                let mut value = vec![0u8; fgetxattr_query(file, name)?];
                let len = fgetxattr(file, name, &mut value[..])?;
                value.truncate(len);
                Ok(value)
            };
            let value = read(from).map_err(|e| (shown.clone(), e))?;
            if read(to).is_ok_and(|v| v == value) {
                continue;
            }
            fsetxattr(to, name, &value, XattrFlags::empty()).map_err(|e| (shown, e.into()))?;
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (from, to);
    Ok(())
}

/// Renames `from` to `to` only if `to` does not exist; `AlreadyExists` otherwise.
pub fn rename_noreplace(from: &Path, to: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            other => return other.map_err(Into::into),
        }
    }
    // Not atomic, but only a run that ignores our lock could create `to` in between.
    if fs::symlink_metadata(to).is_ok() {
        return Err(io::Error::from(io::ErrorKind::AlreadyExists));
    }
    fs::rename(from, to)
}

/// Swaps the files at `a` and `b` in one step. `Ok(false)` where the file system cannot.
pub fn exchange(a: &Path, b: &Path) -> io::Result<bool> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(true),
            Err(e) if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS => {}
            Err(e) => return Err(e.into()),
        }
    }
    let _ = (a, b);
    Ok(false)
}

/// Makes a rename in `dir` durable. Best effort: not every platform can sync a directory.
pub fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Whether the current user may create files in `dir`.
#[cfg(unix)]
pub fn can_create_in(dir: &Path) -> bool {
    use rustix::fs::{Access, AtFlags, CWD, accessat};
    // As the effective user, who is the one creating the file.
    accessat(CWD, dir, Access::WRITE_OK | Access::EXEC_OK, AtFlags::EACCESS).is_ok()
}

/// Whether the current user may create files in `dir`.
#[cfg(not(unix))]
pub fn can_create_in(dir: &Path) -> bool {
    !fs::metadata(dir).is_ok_and(|m| m.permissions().readonly())
}
