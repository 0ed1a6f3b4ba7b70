//! Helpers shared by the integration tests (each test file is its own crate and uses a subset).

use std::fs;
use std::path::{Path, PathBuf};

/// A fresh directory `<CARGO_TARGET_TMPDIR>/<group>/<name>` holding `files` (path, contents).
pub fn tree<C: AsRef<[u8]>>(group: &str, name: &str, files: &[(&str, C)]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(group).join(name);
    let _ = fs::remove_dir_all(&dir);
    for (path, contents) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("a file has a parent")).unwrap();
        fs::write(path, contents).unwrap();
    }
    dir
}
