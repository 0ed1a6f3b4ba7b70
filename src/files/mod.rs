//! Reading and writing the files we edit: the one path every command takes to the disk.
//!
//! Reads are bounded and refuse what is not a regular file: a FIFO would block forever and
//! `/dev/zero` never ends. Writes go through [`commit`], under a [`Lock`] taken before the files
//! were read: each new text goes to a temporary file beside its target, created with the
//! target's mode, owner and extended attributes, made durable, and swapped into place; what the
//! swap displaced is compared with what was read, so an edit that landed meanwhile is put back,
//! never lost. A command that writes several files checks them all before writing any, and
//! undoes its earlier writes if a later one fails. Whether a file is shared through git is
//! [`vcs`]'s question.

mod lock;
mod platform;
pub mod vcs;
mod write;

pub use lock::{Lock, lock};
pub use write::{Change, commit};

use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// Far beyond any real manifest (the largest real one we know is 160 KB), and small enough to
/// hold in memory. The one limit for every file: what we read (manifests, config files,
/// presets) and what we write, so that what `apply` wrote `remove` can read.
const MAX_LEN: u64 = 16 * 1024 * 1024;

/// Reads a text file, refusing what is not UTF-8 (TOML must be).
pub fn read(path: &Path) -> Result<String> {
    // ENOENT, for the operating system's own wording.
    read_optional(path)?.ok_or_else(|| Error::io("read", path, &std::io::Error::from_raw_os_error(2)))
}

/// Reads a file that may not exist yet; a missing file is `None`.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    let meta = match fs::metadata(path) {
        // Below a file that is not a directory, nothing exists either.
        Err(e) if matches!(e.kind(), std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory) => {
            return Ok(None);
        }
        other => other.map_err(|e| Error::io("read", path, &e))?,
    };
    regular_file(path, &meta)?;
    let file = platform::open_for_reading(path).map_err(|e| Error::io("read", path, &e))?;
    // Checked again on what was opened: the name may point elsewhere by now.
    let meta = file.metadata().map_err(|e| Error::io("read", path, &e))?;
    regular_file(path, &meta)?;
    let mut bytes = Vec::with_capacity(meta.len().min(MAX_LEN) as usize);
    file.take(MAX_LEN + 1).read_to_end(&mut bytes).map_err(|e| Error::io("read", path, &e))?;
    if bytes.len() as u64 > MAX_LEN {
        return Err(Error::new(format!("`{}` is larger than {} MiB", path.display(), MAX_LEN >> 20))
            .help("manifests and config files are far smaller; check that this is the file you meant"));
    }
    String::from_utf8(bytes).map(Some).map_err(|e| {
        Error::new(format!(
            "`{}` is not valid UTF-8 (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
        .help("TOML files must be UTF-8; re-save the file in that encoding")
    })
}

/// Refuses a directory, FIFO, socket or device where a file is expected.
pub fn regular_file(path: &Path, meta: &fs::Metadata) -> Result<()> {
    if meta.is_file() {
        return Ok(());
    }
    let kind = kind_of(&meta.file_type());
    Err(Error::new(format!("`{}` is {kind}, not a regular file", path.display()))
        .help("cargo presets reads and writes only regular files; point it at a `.toml` file"))
}

fn kind_of(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_char_device() {
            return "a character device";
        }
        if file_type.is_block_device() {
            return "a block device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() { "a directory" } else { "not a file" }
}

/// The directory `path` is in, as a path that can be opened: `.` for a bare file name.
/// Removes `dir` if it is empty; whether it did. A directory someone put a file in stays.
pub fn remove_empty_dir(dir: &Path) -> bool {
    fs::remove_dir(dir).is_ok()
}

/// Resolves `.` and `..` without touching the file system, as cargo's `normalize_path` does.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

pub fn dir_of(path: &Path) -> &Path {
    as_dir(path.parent().unwrap_or(Path::new("")))
}

/// `dir`, or `.` for the empty path a relative file name has as its parent.
fn as_dir(dir: &Path) -> &Path {
    if dir.as_os_str().is_empty() { Path::new(".") } else { dir }
}

/// The suffix of a temporary file (a new text, or the old one set aside).
const TEMP_FILE: &str = "tmp";
/// The suffix of a temporary directory (a missing `.cargo` or `$CARGO_HOME`, built before it is
/// renamed into place).
const TEMP_DIR: &str = "dir";

/// `.Cargo.toml.cargo-presets.<pid>.<suffix>` beside `path`: hidden, and not ending in `.toml`,
/// so no tool mistakes it for a manifest or a config file.
fn temp_name(path: &Path, suffix: &str) -> PathBuf {
    path.with_file_name(format!("{}{}.{suffix}", leftover_prefix(path), std::process::id()))
}

fn leftover_prefix(path: &Path) -> String {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    format!(".{name}.cargo-presets.")
}

/// Removes what a killed run left beside `path` (temporary files and directories). Only when
/// `locked`: then no live run can be writing them, since a run holds the lock while it does.
fn remove_leftovers(path: &Path, locked: bool) {
    if !locked {
        return;
    }
    let prefix = leftover_prefix(path);
    let Ok(entries) = fs::read_dir(dir_of(path)) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(&prefix) {
            continue;
        }
        match name.rsplit('.').next() {
            Some(TEMP_FILE) => drop(fs::remove_file(entry.path())),
            Some(TEMP_DIR) => drop(fs::remove_dir_all(entry.path())),
            _ => {}
        }
    }
}

/// A test hook at the named moments of a run (`before-rename`: the file is read, the lock held
/// and the new text written beside it; `lock-busy`: another run holds the lock this one waits
/// for):
/// - `CARGO_PRESETS_DEBUG_PAUSE_MS` sleeps there, to spread kills and overlapping runs;
/// - `CARGO_PRESETS_DEBUG_HANDSHAKE=<dir>` makes the run create `<dir>/<point>.reached` and
///   wait until the test creates `<dir>/<point>.go`, so a test acts at that exact moment.
///
/// In every build, so the tests that rely on it also run under `cargo test --release`: it costs
/// two environment lookups at moments that are rare and then wait on the disk anyway.
fn debug_pause(point: &str) {
    if let Some(ms) = std::env::var("CARGO_PRESETS_DEBUG_PAUSE_MS").ok().and_then(|v| v.parse().ok()) {
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    if let Some(dir) = std::env::var_os("CARGO_PRESETS_DEBUG_HANDSHAKE").map(PathBuf::from) {
        let _ = fs::write(dir.join(format!("{point}.reached")), std::process::id().to_string());
        let go = dir.join(format!("{point}.go"));
        let start = std::time::Instant::now();
        while !go.exists() && start.elapsed() < std::time::Duration::from_secs(60) {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn scratch(name: &str) -> PathBuf {
        crate::scratch(&format!("files-{name}"))
    }

    #[test]
    fn invalid_utf8_is_a_clear_error() {
        let dir = scratch("utf8");
        let path = dir.join("Cargo.toml");
        fs::write(&path, b"a = \"\xff\"\n").unwrap();
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("is not valid UTF-8 (invalid byte at offset 5)"), "{err}");
    }

    #[test]
    fn a_missing_file_is_none_or_a_clear_error() {
        let dir = scratch("missing");
        assert_eq!(read_optional(&dir.join("config.toml")).unwrap(), None);
        let err = read(&dir.join("config.toml")).unwrap_err().to_string();
        assert!(err.ends_with("config.toml`: No such file or directory"), "{err}");
    }

    #[test]
    fn a_directory_is_not_read() {
        let dir = scratch("dir");
        let err = read(&dir).unwrap_err().to_string();
        assert!(err.lines().next().unwrap().ends_with("is a directory, not a regular file"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        let err = read(Path::new("/dev/zero")).unwrap_err().to_string();
        assert_eq!(err.lines().next(), Some("`/dev/zero` is a character device, not a regular file"));
    }
}
