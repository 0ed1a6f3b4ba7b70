//! Version control: whether a file is shared with everyone who clones the repository, which
//! decides where machine-specific settings may be written.

use std::path::{Path, PathBuf};

/// Whether a file is shared through git: inside a git work tree and not ignored. When git
/// cannot say, the file counts as shared, the safe answer for machine-specific settings. Runs
/// git only inside a work tree.
pub fn shared_through_git(path: &Path) -> bool {
    let dir = crate::files::dir_of(path);
    // Git looks for the repository up to, not into, `GIT_CEILING_DIRECTORIES`.
    let ceilings: Vec<PathBuf> =
        std::env::var_os("GIT_CEILING_DIRECTORIES").map(|v| std::env::split_paths(&v).collect()).unwrap_or_default();
    let in_work_tree =
        dir.ancestors().take_while(|d| !ceilings.iter().any(|c| c == d)).any(|d| d.join(".git").exists());
    if !in_work_tree {
        return false;
    }
    let status = std::process::Command::new("git")
        .args(["check-ignore", "-q", "--no-index"])
        .arg(path)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    // 0: ignored; 1: not ignored; anything else: git could not tell.
    !matches!(status.map(|s| s.code()), Ok(Some(0)))
}
