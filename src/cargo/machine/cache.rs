//! rustc's answers kept across runs. A command asks rustc when a config file sets rustflags
//! (which of them cargo uses depends on the host and its `cfg`), and one rustc process through
//! rustup's proxy costs several times the whole command: a second run reads the answer instead.
//!
//! An answer is reused only for the same question to the same compiler, named as cargo names it
//! for `target/.rustc_info.json` (`rustc_fingerprint` in cargo's `src/cargo/util/rustc.rs`): the
//! rustc found and its modification time (here also the file it links to, its size and its
//! identity, so a replaced file is a new compiler even with an old time); where `RUSTUP_HOME`
//! and `RUSTUP_TOOLCHAIN` are set (rustup's proxy sets them for cargo, and cargo passes them to
//! `cargo presets`), both, and the modification time of that toolchain's own rustc, which
//! `rustup update` replaces in place. A rustc that looks like rustup's proxy without those
//! variables runs whichever toolchain a toolchain file, an override or the default names from
//! the directory it runs in: like cargo, this asks it every run, since a stale answer is worse
//! than a slow one. The question is the arguments and the variables that change rustc's answers.
//!
//! cargo keeps its answers per target directory; these are kept for every workspace, so the
//! directory rustc runs in is part of the key wherever it can matter: for any launcher (asdf's
//! or mise's shim, a wrapper script) that may pick a compiler by directory as rustup does. Only a
//! compiler itself (its sysroot's `lib/rustlib` beside its `bin`), or rustup's proxy told the
//! toolchain, answers the same everywhere.
//!
//! The answers live in one small file in the user's cache directory, never in the workspace,
//! replaced atomically through [`files`]. A file that cannot be read or parsed counts as empty,
//! one that cannot be written stays as it is: the cache only ever saves time.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::files;

/// The variables rustc reads that change what it prints here: `RUSTC_BOOTSTRAP` unlocks
/// nightly-only `cfg` values, `RUSTC_OVERRIDE_VERSION_STRING` replaces the version `-vV` prints,
/// and `RUST_TARGET_PATH` is where a `--target` that is not built in is read from a JSON file.
const VARIABLES: [&str; 3] = ["RUSTC_BOOTSTRAP", "RUSTC_OVERRIDE_VERSION_STRING", TARGET_PATH];
const TARGET_PATH: &str = "RUST_TARGET_PATH";

/// How many answers the file keeps, the newest: a few questions for each of a few toolchains.
const KEPT: usize = 32;

/// The file's layout; a file in another one counts as empty.
const FORMAT: u32 = 1;

/// A file's state: rewritten, replaced or touched, it changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Stamp {
    /// Seconds and nanoseconds since the Unix epoch.
    modified: (u64, u32),
    len: u64,
    /// Device and inode, where the platform has them.
    id: Option<(u64, u64)>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        Some(Stamp { modified: (modified.as_secs(), modified.subsec_nanos()), len: meta.len(), id: file_id(&meta) })
    }
}

#[cfg(unix)]
fn file_id(meta: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

#[cfg(not(unix))]
fn file_id(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The toolchain rustup's proxy runs, as cargo passed it on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Toolchain {
    home: String,
    name: String,
    /// `$RUSTUP_HOME/toolchains/$RUSTUP_TOOLCHAIN/bin/rustc`.
    rustc: Stamp,
}

/// What rustup's variables say about the compiler.
#[derive(Debug)]
enum Rustup {
    /// `RUSTUP_HOME` or `RUSTUP_TOOLCHAIN` is not set.
    Unset,
    Toolchain(Toolchain),
    /// Both are set, but the toolchain's rustc cannot be found: nothing names the compiler.
    Unknown,
}

/// The rustc a question goes to, as found.
#[derive(Debug)]
struct Found {
    /// The program started: `$RUSTC`, or `rustc` found on PATH.
    program: String,
    /// The file it is, links followed.
    file: String,
    stamp: Stamp,
    /// Whether `file` is a compiler in its sysroot, not a launcher.
    compiler: bool,
}

/// Everything an answer depends on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Key {
    program: String,
    file: String,
    stamp: Stamp,
    toolchain: Option<Toolchain>,
    /// Where rustc runs, where that can change the answer.
    dir: Option<String>,
    variables: Vec<(String, Option<String>)>,
    args: Vec<String>,
}

/// The key for asking `program` (`$RUSTC` or `rustc`) `args` in `dir`, or `None` where no key
/// can name the compiler that would answer (then rustc is asked, as before there was a cache).
pub(super) fn key(program: &OsStr, dir: &Path, args: &[&str]) -> Option<Key> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let path = locate(program, var("PATH"))?;
    let file = std::fs::canonicalize(&path).ok()?;
    let compiler = file.parent().and_then(Path::parent).is_some_and(|root| root.join("lib").join("rustlib").is_dir());
    let found =
        Found { program: utf8(path.as_os_str())?, file: utf8(file.as_os_str())?, stamp: Stamp::of(&file)?, compiler };
    let cargo_bin = crate::cargo::cargo_home().map(|home| home.join("bin"));
    let cargo_bins: Vec<PathBuf> =
        cargo_bin.into_iter().flat_map(|bin| [std::fs::canonicalize(&bin).ok(), Some(bin)]).flatten().collect();
    let proxy = looks_like_proxy(&path, &file, &cargo_bins, |dir| {
        ["rustup", "rustup-init"]
            .iter()
            .any(|name| dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX)).is_file())
    });
    let rustup = match (var("RUSTUP_HOME"), var("RUSTUP_TOOLCHAIN")) {
        (Some(home), Some(name)) => toolchain(&home, &name).map_or(Rustup::Unknown, Rustup::Toolchain),
        _ => Rustup::Unset,
    };
    let variables = VARIABLES.iter().map(|name| {
        let value = match std::env::var_os(name) {
            Some(value) => Some(utf8(&value)?),
            None => None,
        };
        Some(((*name).to_owned(), value))
    });
    let dir = std::fs::canonicalize(dir).ok().and_then(|dir| utf8(dir.as_os_str()));
    key_for(found, proxy, rustup, dir, variables.collect::<Option<_>>()?, args)
}

/// The key, from what was found (pure, for tests). `dir` is where rustc runs (`None`: it has no
/// name to key by).
fn key_for(
    found: Found,
    proxy: bool,
    rustup: Rustup,
    dir: Option<String>,
    variables: Vec<(String, Option<String>)>,
    args: &[&str],
) -> Option<Key> {
    // A target given as a file, or one that may be read from `$RUST_TARGET_PATH`: rustc reads
    // the file, and its contents are not in the key.
    let target_file = args.iter().any(|a| Path::new(a).extension().is_some_and(|e| e.eq_ignore_ascii_case("json")))
        || (args.contains(&"--target") && variables.iter().any(|(name, value)| name == TARGET_PATH && value.is_some()));
    if target_file {
        return None;
    }
    let toolchain = match rustup {
        Rustup::Toolchain(toolchain) => Some(toolchain),
        Rustup::Unknown => return None,
        Rustup::Unset if proxy => return None,
        Rustup::Unset => None,
    };
    let dir = match (found.compiler, proxy && toolchain.is_some()) {
        (false, false) => Some(dir?),
        _ => None,
    };
    Some(Key {
        program: found.program,
        file: found.file,
        stamp: found.stamp,
        toolchain,
        dir,
        variables,
        args: args.iter().map(|a| (*a).to_owned()).collect(),
    })
}

/// Where `program` is, as the process started for it will find it: a path as given, a bare name
/// on PATH. `None` where that depends on the directory rustc runs in (a relative path, or a
/// relative PATH entry searched before the program is found).
fn locate(program: &OsStr, search: Option<OsString>) -> Option<PathBuf> {
    let path = Path::new(program);
    if path.components().count() > 1 || path.is_absolute() {
        return path.is_absolute().then(|| path.to_owned());
    }
    for dir in std::env::split_paths(&search?) {
        if !dir.is_absolute() {
            return None;
        }
        let mut name = program.to_owned();
        name.push(std::env::consts::EXE_SUFFIX);
        let candidate = dir.join(name);
        if super::is_executable(&candidate) {
            return Some(candidate);
        }
    }
    None
}

/// Whether `path` (links followed: `file`) may be rustup's proxy, which picks a toolchain from
/// where it runs: it is in `$CARGO_HOME/bin` (`cargo_bins`: as named and links followed), is
/// rustup under another name, or has rustup beside it (`rustup_in` says whether a directory
/// holds it) as its links or copies do.
fn looks_like_proxy(path: &Path, file: &Path, cargo_bins: &[PathBuf], rustup_in: impl Fn(&Path) -> bool) -> bool {
    let in_cargo_bin = cargo_bins.iter().any(|bin| path.parent() == Some(bin) || file.parent() == Some(bin));
    let is_rustup = file.file_stem().is_some_and(|stem| stem == "rustup" || stem == "rustup-init");
    in_cargo_bin || is_rustup || [path.parent(), file.parent()].into_iter().flatten().any(rustup_in)
}

/// `$RUSTUP_HOME/toolchains/$RUSTUP_TOOLCHAIN/bin/rustc`, as cargo finds it (a toolchain given
/// as a path is that path).
fn toolchain(home: &OsStr, name: &OsStr) -> Option<Toolchain> {
    let rustc = Path::new(home)
        .join("toolchains")
        .join(name)
        .join("bin")
        .join(format!("rustc{}", std::env::consts::EXE_SUFFIX));
    Some(Toolchain { home: utf8(home)?, name: utf8(name)?, rustc: Stamp::of(&rustc)? })
}

/// A path or value as text; one that is not UTF-8 is not cached, rather than keyed lossily.
fn utf8(text: &OsStr) -> Option<String> {
    text.to_str().map(str::to_owned)
}

/// What the cache file holds.
#[derive(Serialize, Deserialize)]
struct Kept {
    format: u32,
    /// Oldest first.
    answers: Vec<Answer>,
}

#[derive(Serialize, Deserialize)]
struct Answer {
    key: Key,
    answer: Result<String, String>,
}

/// The kept answer to `key`, if there is one.
pub(super) fn recall(key: &Key) -> Option<Result<String, String>> {
    let text = files::read_optional(&file()?).ok()??;
    recall_in(&text, key)
}

/// Keeps `answer` to `key` for the next runs; silently does nothing where the cache cannot be
/// written.
pub(super) fn keep(key: &Key, answer: &Result<String, String>) {
    let Some(path) = file() else { return };
    let _ = (|| -> crate::error::Result<()> {
        let mut lock = files::lock(&[&path])?;
        // A file that cannot be read as text holds nothing of use: it is replaced.
        let old = files::read_optional(&path).unwrap_or_else(|_| {
            let _ = std::fs::remove_file(&path);
            None
        });
        let text = with_answer(old.as_deref(), key, answer);
        files::commit(&mut lock, &[files::Change::Write { path: &path, expected: old.as_deref(), text: &text }])
    })();
}

fn recall_in(text: &str, key: &Key) -> Option<Result<String, String>> {
    let kept: Kept = serde_json::from_str(text).ok().filter(|k: &Kept| k.format == FORMAT)?;
    kept.answers.into_iter().rev().find(|a| a.key == *key).map(|a| a.answer)
}

/// The file's new text: what it held (unless unreadable), with `answer` to `key` as the newest
/// and the oldest beyond [`KEPT`] dropped.
fn with_answer(old: Option<&str>, key: &Key, answer: &Result<String, String>) -> String {
    let mut answers = old
        .and_then(|text| serde_json::from_str::<Kept>(text).ok())
        .filter(|kept| kept.format == FORMAT)
        .map_or_else(Vec::new, |kept| kept.answers);
    answers.retain(|a| a.key != *key);
    answers.push(Answer { key: key.clone(), answer: answer.clone() });
    let extra = answers.len().saturating_sub(KEPT);
    answers.drain(..extra);
    serde_json::to_string(&Kept { format: FORMAT, answers }).unwrap_or_default() + "\n"
}

/// `<cache directory>/cargo-presets/rustc-answers.json`.
fn file() -> Option<PathBuf> {
    let dir = cache_dir(std::env::consts::OS, |name| std::env::var_os(name))?;
    Some(dir.join("cargo-presets").join("rustc-answers.json"))
}

/// The user's cache directory, by the platform's convention: `$XDG_CACHE_HOME`, else
/// `~/.cache` (Linux and other Unix systems), `~/Library/Caches` (macOS), `%LOCALAPPDATA%`
/// (Windows). A relative path is ignored, as the XDG specification asks, and no home means no
/// cache.
fn cache_dir(os: &str, var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    let absolute = |name: &str| var(name).map(PathBuf::from).filter(|path| path.is_absolute());
    match os {
        "macos" => absolute("HOME").map(|home| home.join("Library").join("Caches")),
        "windows" => absolute("LOCALAPPDATA"),
        _ => absolute("XDG_CACHE_HOME").or_else(|| absolute("HOME").map(|home| home.join(".cache"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(seconds: u64) -> Stamp {
        Stamp { modified: (seconds, 0), len: 10, id: Some((1, 2)) }
    }

    fn found() -> Found {
        Found {
            program: "/usr/bin/rustc".into(),
            file: "/usr/lib/rust/bin/rustc".into(),
            stamp: stamp(1),
            compiler: true,
        }
    }

    fn ws() -> Option<String> {
        Some("/home/u/ws".into())
    }

    fn stable() -> Toolchain {
        Toolchain { home: "/h/.rustup".into(), name: "stable-x86_64-unknown-linux-gnu".into(), rustc: stamp(5) }
    }

    const CFG: [&str; 4] = ["--print", "host-tuple", "--print", "cfg"];

    #[test]
    fn a_plain_rustc_is_keyed_by_its_file_and_the_question() {
        let key = key_for(found(), false, Rustup::Unset, ws(), vec![], &CFG).unwrap();
        assert_eq!(key.file, "/usr/lib/rust/bin/rustc");
        assert_eq!(key.args, CFG);
        assert_eq!(key.toolchain, None);
        let touched = Found { stamp: stamp(2), ..found() };
        assert_ne!(key_for(touched, false, Rustup::Unset, ws(), vec![], &CFG), Some(key.clone()));
        assert_ne!(key_for(found(), false, Rustup::Unset, ws(), vec![], &["-vV"]), Some(key.clone()));
        let bootstrap = vec![("RUSTC_BOOTSTRAP".to_owned(), Some("1".to_owned()))];
        assert_ne!(key_for(found(), false, Rustup::Unset, ws(), bootstrap, &CFG), Some(key));
    }

    #[test]
    fn rustups_toolchain_is_part_of_the_key() {
        let key = key_for(found(), true, Rustup::Toolchain(stable()), ws(), vec![], &CFG).unwrap();
        assert_eq!(key.toolchain, Some(stable()));
        let updated = Toolchain { rustc: stamp(6), ..stable() };
        assert_ne!(key_for(found(), true, Rustup::Toolchain(updated), ws(), vec![], &CFG), Some(key.clone()));
        let nightly = Toolchain { name: "nightly-x86_64-unknown-linux-gnu".into(), ..stable() };
        assert_ne!(key_for(found(), true, Rustup::Toolchain(nightly), ws(), vec![], &CFG), Some(key));
    }

    #[test]
    fn nothing_is_kept_where_the_compiler_cannot_be_named() {
        assert!(key_for(found(), true, Rustup::Unset, ws(), vec![], &CFG).is_none(), "a proxy, toolchain unknown");
        assert!(
            key_for(found(), false, Rustup::Unknown, ws(), vec![], &CFG).is_none(),
            "a toolchain without its rustc"
        );
        let target = ["--print", "cfg", "--target", "boards/thumb.json"];
        assert!(key_for(found(), false, Rustup::Unset, ws(), vec![], &target).is_none(), "a target file's contents");
        let builtin = ["--print", "cfg", "--target", "thumbv6m-none-eabi"];
        assert!(key_for(found(), false, Rustup::Unset, ws(), vec![], &builtin).is_some());
        let searched = vec![(TARGET_PATH.to_owned(), Some("/boards".to_owned()))];
        assert!(key_for(found(), false, Rustup::Unset, ws(), searched.clone(), &builtin).is_none(), "maybe a file");
        assert!(key_for(found(), false, Rustup::Unset, ws(), searched, &CFG).is_some(), "no target asked");
    }

    #[test]
    fn the_directory_is_in_the_key_only_for_a_launcher() {
        let key = |found, proxy, rustup| key_for(found, proxy, rustup, ws(), vec![], &CFG).unwrap().dir;
        assert_eq!(key(found(), false, Rustup::Unset), None, "a compiler answers the same everywhere");
        assert_eq!(key(found(), true, Rustup::Toolchain(stable())), None);
        let launcher = || Found { compiler: false, ..found() };
        assert_eq!(key(launcher(), false, Rustup::Unset), ws(), "a shim may pick a compiler by directory");
        assert_eq!(key(launcher(), false, Rustup::Toolchain(stable())), ws(), "and may ignore rustup's variables");
        assert_eq!(key(launcher(), true, Rustup::Toolchain(stable())), None, "rustup's proxy obeys them");
        assert!(key_for(launcher(), false, Rustup::Unset, None, vec![], &CFG).is_none());
    }

    #[test]
    fn a_proxy_is_recognised_by_where_it_is_and_what_is_beside_it() {
        let bins = [PathBuf::from("/home/u/.cargo/bin"), PathBuf::from("/data/cargo/bin")];
        let nowhere = |_: &Path| false;
        let proxy = |path: &str, file: &str| looks_like_proxy(Path::new(path), Path::new(file), &bins, nowhere);
        assert!(proxy("/home/u/.cargo/bin/rustc", "/home/u/.cargo/bin/rustc"), "a copy in $CARGO_HOME/bin");
        assert!(proxy("/home/u/bin/rustc", "/data/cargo/bin/rustc"), "a link into it");
        assert!(proxy("/usr/bin/rustc", "/usr/bin/rustup"), "a link to rustup");
        assert!(!proxy("/usr/bin/rustc", "/usr/lib/rust/bin/rustc"), "a distribution's rustc");
        let beside = |dir: &Path| dir == Path::new("/opt/rust/bin");
        assert!(looks_like_proxy(Path::new("/opt/rust/bin/rustc"), Path::new("/opt/rust/bin/rustc"), &[], beside));
    }

    #[test]
    fn rustc_is_found_as_the_process_will_find_it() {
        let dir = crate::scratch("rustc-cache-locate");
        let rustc = dir.join("bin").join("rustc");
        std::fs::create_dir_all(rustc.parent().unwrap()).unwrap();
        std::fs::write(&rustc, "#!/bin/sh\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&rustc, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let path = |entries: &[&Path]| Some(std::env::join_paths(entries).unwrap());
        let empty = dir.join("empty");
        assert_eq!(locate(OsStr::new("rustc"), path(&[&empty, &dir.join("bin")])), Some(rustc.clone()));
        assert_eq!(locate(OsStr::new("rustc"), path(&[Path::new("bin"), &dir.join("bin")])), None);
        assert_eq!(locate(rustc.as_os_str(), None), Some(rustc.clone()));
        assert_eq!(locate(OsStr::new("./rustc"), None), None, "relative to where it runs");
        assert_eq!(locate(OsStr::new("rustc"), path(&[&empty])), None);
    }

    #[test]
    fn answers_are_recalled_by_key_and_the_newest_are_kept() {
        let key =
            |n: u64| key_for(Found { stamp: stamp(n), ..found() }, false, Rustup::Unset, ws(), vec![], &CFG).unwrap();
        let mut text = with_answer(None, &key(0), &Ok("x86_64\nunix\n".into()));
        assert_eq!(recall_in(&text, &key(0)), Some(Ok("x86_64\nunix\n".into())));
        assert_eq!(recall_in(&text, &key(1)), None);
        text = with_answer(Some(&text), &key(0), &Err("`rustc -vV` failed".into()));
        assert_eq!(recall_in(&text, &key(0)), Some(Err("`rustc -vV` failed".into())), "replaced");
        for n in 1..=KEPT as u64 {
            text = with_answer(Some(&text), &key(n), &Ok(n.to_string()));
        }
        assert_eq!(recall_in(&text, &key(0)), None, "the oldest is dropped");
        assert_eq!(recall_in(&text, &key(KEPT as u64)), Some(Ok(KEPT.to_string())));
    }

    #[test]
    fn a_corrupt_file_holds_nothing_and_is_replaced() {
        let key = key_for(found(), false, Rustup::Unset, ws(), vec![], &CFG).unwrap();
        for corrupt in ["", "{", "null", "{\"format\":1}", "{\"format\":99,\"answers\":[]}"] {
            assert_eq!(recall_in(corrupt, &key), None, "{corrupt:?}");
            let text = with_answer(Some(corrupt), &key, &Ok("a".into()));
            assert_eq!(recall_in(&text, &key), Some(Ok("a".into())), "{corrupt:?}");
        }
    }

    #[test]
    fn the_cache_directory_follows_the_platform() {
        let vars = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| OsString::from(v))
        };
        let both = vars(&[("XDG_CACHE_HOME", "/x/cache"), ("HOME", "/home/u")]);
        assert_eq!(cache_dir("linux", both), Some(PathBuf::from("/x/cache")));
        assert_eq!(cache_dir("macos", both), Some(PathBuf::from("/home/u/Library/Caches")));
        let relative = vars(&[("XDG_CACHE_HOME", "cache"), ("HOME", "/home/u")]);
        assert_eq!(cache_dir("freebsd", relative), Some(PathBuf::from("/home/u/.cache")));
        assert_eq!(cache_dir("linux", vars(&[])), None);
    }
}
