//! What killed runs left behind: their scratch directories, found and removed by the next run
//! once their owner process is gone, never through a link and never another user's.

use std::path::Path;
use std::time::Duration;

use super::OWNER;

/// Removes the scratch directories of runs that were killed (SIGKILL, a crash, a power cut):
/// this user's `cargo-presets-*` directories whose owner process is gone. A link is never
/// followed, and a directory without an owner file is not ours to remove, unless an earlier
/// version named it after its process ([`legacy_owner`]).
pub(super) fn remove_abandoned(temp: &Path) {
    let Ok(entries) = std::fs::read_dir(temp) else { return };
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with("cargo-presets-") {
            continue;
        }
        let dir = entry.path();
        // `DirEntry::metadata` does not follow a link.
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_dir() || !owned_by_me(&meta) {
            continue;
        }
        let owner = dir.join(OWNER);
        let pid = match std::fs::symlink_metadata(&owner) {
            Ok(meta) => {
                meta.is_file().then(|| std::fs::read_to_string(&owner).ok()?.trim().parse::<u32>().ok()).flatten()
            }
            Err(_) => legacy_owner(&entry.file_name().to_string_lossy(), &meta),
        };
        if pid.is_some_and(|pid| !alive(pid)) {
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
}

/// The process that made a scratch directory of an earlier version, which named it
/// `cargo-presets-{bench,tune,verify}-<pid>` and wrote no owner file. A random name of today
/// may be all digits too, before its owner file is written: a directory changed in the last
/// minute is not taken for an old one.
fn legacy_owner(name: &str, meta: &std::fs::Metadata) -> Option<u32> {
    let pid =
        ["bench", "tune", "verify"].iter().find_map(|what| name.strip_prefix(&format!("cargo-presets-{what}-")))?;
    let old = meta.modified().ok()?.elapsed().is_ok_and(|age| age > Duration::from_secs(60));
    (old && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then(|| pid.parse().ok()).flatten()
}

#[cfg(unix)]
fn owned_by_me(meta: &std::fs::Metadata) -> bool {
    std::os::unix::fs::MetadataExt::uid(meta) == rustix::process::geteuid().as_raw()
}

#[cfg(not(unix))]
fn owned_by_me(_: &std::fs::Metadata) -> bool {
    true
}

/// Whether a process with this id exists (one of another user's answers "not permitted").
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) else { return false };
    !matches!(rustix::process::test_kill_process(pid), Err(rustix::io::Errno::SRCH))
}

/// Without a way to ask, every owner counts as alive: nothing is removed.
#[cfg(not(unix))]
fn alive(_: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::sandbox::tests::write_file;
    use std::time::SystemTime;

    /// Leftovers of earlier versions, named after their process and without an owner file, go
    /// once that process is gone; a link, a live process's directory and a fresh one stay.
    #[test]
    fn old_named_leftovers_of_dead_runs_are_removed_and_nothing_else() {
        let temp = crate::scratch("sandbox-legacy");
        let elsewhere = temp.join("elsewhere");
        write_file(&elsewhere.join("keep"), "");
        let old = SystemTime::now() - Duration::from_secs(3600);
        let make = |name: &str, age: Option<SystemTime>| {
            let dir = temp.join(name);
            write_file(&dir.join("copy/Cargo.toml"), "");
            if let Some(time) = age {
                std::fs::File::open(&dir).unwrap().set_modified(time).unwrap();
            }
            dir
        };
        let dead = ["bench", "tune", "verify"].map(|what| make(&format!("cargo-presets-{what}-999999999"), Some(old)));
        let live = make(&format!("cargo-presets-tune-{}", std::process::id()), Some(old));
        let fresh = make("cargo-presets-bench-999999998", None);
        let unowned = make("cargo-presets-bench-x99", Some(old));
        #[cfg(unix)]
        std::os::unix::fs::symlink(&elsewhere, temp.join("cargo-presets-verify-999999997")).unwrap();
        remove_abandoned(&temp);
        assert!(dead.iter().all(|d| !d.exists()), "{dead:?}");
        assert!(live.exists() && fresh.exists() && unowned.exists());
        assert!(elsewhere.join("keep").exists() && temp.join("cargo-presets-verify-999999997").exists());
    }
}
