//! Reading and writing the files we edit.
//!
//! A write never leaves a half-written file: the new text goes to a temporary file in the same
//! directory (same file system, so the rename is atomic), is flushed to disk, takes the old
//! file's permissions, and then replaces the old file in one `rename`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

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

/// Replaces `path` with `text` atomically, creating the parent directory if needed.
pub fn write_atomic(path: &Path, text: &str) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(|e| Error::io("create directory", dir, &e))?;
    let temp = temp_path(path);
    let result = write_then_rename(path, &temp, text);
    if result.is_err() {
        // Best effort: the temp file is ours and must not be left for cargo to find.
        let _ = fs::remove_file(&temp);
    }
    result
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
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.cargo-presets.{}.tmp", std::process::id()))
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
        write_atomic(&path, "new").unwrap();
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
        write_atomic(&path, "x = 1\n").unwrap();
        assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }

    #[test]
    fn write_creates_missing_directories() {
        let dir = scratch("mkdir");
        let path = dir.join(".cargo").join("config.toml");
        write_atomic(&path, "x = 1\n").unwrap();
        assert_eq!(fs::read_to_string(path).unwrap(), "x = 1\n");
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
