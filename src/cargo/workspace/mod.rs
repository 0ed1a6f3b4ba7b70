//! The workspace and the files to write, found in-process and the way cargo finds them.
//!
//! Profiles only take effect in the workspace root manifest, so that is where they go, whichever
//! member directory the user runs from. Discovery ([`discovery`]) follows cargo's own rules. No
//! `cargo metadata`, no child process, no lock file or network.

mod discovery;

pub use discovery::outside_path_dependencies;

use std::path::{Component, Path, PathBuf};

use toml_edit::{DocumentMut, Item};

use crate::edit::FileKind;
use crate::error::{Error, Result};

/// The workspace being configured.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The root `Cargo.toml`, absolute.
    pub manifest: PathBuf,
    /// The manifests of its members as cargo finds them (the root's included), absolute.
    pub members: Vec<PathBuf>,
    /// Their package names (a virtual root has none).
    pub member_names: std::collections::BTreeSet<String>,
    /// The root manifest as discovery read and parsed it: a command that reads it again (under
    /// its lock) and finds the same text need not parse it again.
    pub parsed: std::rc::Rc<crate::edit::Parsed>,
    /// Members the root lists whose manifest is missing or does not parse: found from the root,
    /// discovery passes over them as `cargo locate-project` does, but every build fails on
    /// them, so `check` reports them.
    pub unloaded: Vec<PathBuf>,
}

impl Workspace {
    /// No project at all, for `apply --to user` run anywhere: `dir` stands for the root, with an
    /// empty manifest that is never read or written.
    pub fn outside(dir: &Path) -> Result<Workspace> {
        let manifest = dir.join("Cargo.toml");
        let parsed = std::rc::Rc::new(crate::edit::parse(&manifest, "")?);
        Ok(Workspace { manifest, members: Vec::new(), member_names: Default::default(), parsed, unloaded: Vec::new() })
    }

    pub fn root(&self) -> &Path {
        self.manifest.parent().expect("a manifest path has a parent")
    }

    /// Whether the workspace pins a nightly toolchain (`rust-toolchain.toml` or `rust-toolchain`,
    /// found the way rustup finds it: in the root or an ancestor).
    pub fn pins_nightly(&self) -> bool {
        self.root().ancestors().find_map(toolchain_channel).is_some_and(|c| c.starts_with("nightly"))
    }

    /// The release the workspace's toolchain pin names, and where: `RUSTUP_TOOLCHAIN` (which
    /// rustup puts above files), else the nearest `rust-toolchain.toml` or `rust-toolchain`
    /// from the root upwards. `None` when the pin names a channel (`stable`,
    /// `nightly-2026-05-01`) rather than a release, or there is none: then rustc must say.
    /// The file is `None` for the variable.
    pub fn pinned_release(&self) -> Option<(crate::cargo::machine::Version, Option<PathBuf>)> {
        let release = |name: &str| {
            let numbered = name.starts_with(|c: char| c.is_ascii_digit());
            crate::cargo::machine::Version::parse(name).filter(|_| numbered)
        };
        if let Some(name) = std::env::var("RUSTUP_TOOLCHAIN").ok().filter(|n| !n.is_empty()) {
            return release(&name).map(|v| (v, None));
        }
        let (dir, name) = self.root().ancestors().find_map(|dir| Some((dir, toolchain_channel(dir)?)))?;
        let file = ["rust-toolchain.toml", "rust-toolchain"].into_iter().map(|f| dir.join(f)).find(|p| p.is_file());
        release(&name).map(|v| (v, file))
    }

    /// The release of the cargo that builds here: the pin's ([`Workspace::pinned_release`]),
    /// else `rustc -vV`'s (a process); `None` when neither says.
    pub fn cargo_release(&self) -> Option<crate::cargo::machine::Version> {
        let pinned = self.pinned_release().map(|(release, _)| release);
        pinned.or_else(|| crate::cargo::machine::release(self.root()))
    }

    /// The members that link something: a binary target (`src/main.rs`, `src/bin/`, `[[bin]]`) or a
    /// library of a linked crate type.
    pub fn linked_members(&self) -> std::collections::BTreeSet<String> {
        let mut linked = std::collections::BTreeSet::new();
        for manifest in &self.members {
            let dir = manifest.parent().expect("a manifest path has a parent");
            let Ok(doc) = crate::files::read(manifest).and_then(|t| crate::edit::parse(manifest, &t)) else { continue };
            let doc = doc.doc();
            let Some(name) = doc.get("package").and_then(|p| p.get("name")).and_then(Item::as_str) else { continue };
            let crate_types = doc.get("lib").and_then(|l| l.get("crate-type")).and_then(Item::as_array);
            let linked_lib = crate_types
                .into_iter()
                .flatten()
                .any(|t| matches!(t.as_str(), Some("cdylib" | "dylib" | "staticlib" | "bin")));
            if linked_lib
                || doc.contains_key("bin")
                || dir.join("src/main.rs").is_file()
                || dir.join("src/bin").is_dir()
            {
                linked.insert(name.to_owned());
            }
        }
        linked
    }
}

/// Whether a file's text may name cargo's `debug` profile (`[profile.debug]`, `inherits =
/// "debug"`), whose rules changed in cargo 1.99: only then is the cargo release worth asking.
pub fn may_name_debug_profile(text: &str) -> bool {
    text.contains("profile.debug") || text.contains("\"debug\"")
}

/// The channel a toolchain file in `dir` names, if there is one.
fn toolchain_channel(dir: &Path) -> Option<String> {
    if let Ok(text) = crate::files::read(&dir.join("rust-toolchain.toml")) {
        let doc: DocumentMut = text.parse().ok()?;
        return doc.get("toolchain")?.get("channel")?.as_str().map(str::to_owned);
    }
    let text = crate::files::read(&dir.join("rust-toolchain")).ok()?;
    match text.parse::<DocumentMut>() {
        Ok(doc) if doc.contains_key("toolchain") => doc["toolchain"].get("channel")?.as_str().map(str::to_owned),
        _ => Some(text.trim().to_owned()),
    }
}

/// Finds the workspace from `--manifest-path` or from the current directory.
pub fn locate(cwd: &Path, manifest_path: Option<&Path>) -> Result<Workspace> {
    let start = match manifest_path {
        Some(path) => {
            let given = path;
            let path = normalize(&cwd.join(path));
            if path.file_name().is_none_or(|n| n != "Cargo.toml") {
                let error =
                    Error::new(format!("the manifest-path must be a path to a Cargo.toml file: `{}`", path.display()));
                // A directory is the usual slip: name the file in it, as the user spelt the path.
                return Err(match path.join("Cargo.toml").is_file() {
                    true => {
                        error.help(format!("did you mean `--manifest-path {}`?", given.join("Cargo.toml").display()))
                    }
                    false => error,
                });
            }
            if !path.is_file() {
                return Err(Error::new(format!("manifest path `{}` does not exist", path.display())));
            }
            path
        }
        None => cwd.ancestors().map(|dir| dir.join("Cargo.toml")).find(|p| p.is_file()).ok_or_else(|| {
            Error::new(format!("could not find `Cargo.toml` in `{}` or any parent directory", cwd.display()))
                .help("run this inside a Cargo workspace, or point at one with `--manifest-path`")
        })?,
    };
    discovery::discover(&start)
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

/// `$CARGO_HOME`, or `~/.cargo`.
pub fn cargo_home() -> Option<PathBuf> {
    std::env::var_os("CARGO_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| home_dir().map(|home| home.join(".cargo")))
}

fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME").or_else(|| std::env::var_os("USERPROFILE")).filter(|v| !v.is_empty()).map(PathBuf::from)
}

/// Whether rustup's default toolchain is a nightly (for settings in `$CARGO_HOME`, which every
/// project on the machine reads).
pub fn default_toolchain_is_nightly() -> bool {
    let rustup_home =
        std::env::var_os("RUSTUP_HOME").map(PathBuf::from).or_else(|| home_dir().map(|h| h.join(".rustup")));
    let Some(text) = rustup_home.and_then(|dir| crate::files::read(&dir.join("settings.toml")).ok()) else {
        return false;
    };
    let default =
        text.parse::<DocumentMut>().ok().and_then(|doc| doc.get("default_toolchain")?.as_str().map(str::to_owned));
    default.is_some_and(|name| name.starts_with("nightly"))
}

/// The rustup components installed for `toolchain`, one per line as rustup lists them
/// (`rustc-codegen-cranelift-preview-x86_64-unknown-linux-gnu`). Runs rustup: call it only when
/// a component matters. The error says why rustup could not be asked (`it is not on PATH`).
pub fn installed_components(toolchain: &str) -> Result<Vec<String>, String> {
    let output = std::process::Command::new("rustup")
        .args(["component", "list", "--installed", "--toolchain", toolchain])
        .output()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound { "it is not on PATH".to_owned() } else { e.to_string() }
        })?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    Ok(String::from_utf8_lossy(&output.stdout).lines().map(|l| l.trim().to_owned()).collect())
}

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

/// Whether `component` is among `installed`, with or without its target suffix.
pub fn has_component(installed: &[String], component: &str) -> bool {
    installed.iter().any(|line| line == component || line.starts_with(&format!("{component}-")))
}

/// Where `apply --to` writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// The workspace root `Cargo.toml`.
    Manifest,
    /// `<workspace>/.cargo/config.toml`.
    Config,
    /// `$CARGO_HOME/config.toml`.
    User,
    /// A standalone config file, used with `cargo --config <file>`.
    File(PathBuf),
}

impl Destination {
    /// Parses the `--to` argument.
    pub fn parse(arg: &str) -> Result<Destination, String> {
        match arg {
            "manifest" => Ok(Destination::Manifest),
            "config" => Ok(Destination::Config),
            "user" => Ok(Destination::User),
            // Any file name: whether cargo would read it as config is for `Target::resolve` to
            // say, with the file's name and a way out.
            path if path.contains(['/', '.']) || path == "config" => Ok(Destination::File(PathBuf::from(path))),
            _ => Err("expected `manifest`, `config`, `user`, or the path of a config file ending in `.toml`".into()),
        }
    }

    /// The `--to` argument that names it.
    pub fn arg(&self) -> String {
        match self {
            Destination::Manifest => "manifest".to_owned(),
            Destination::Config => "config".to_owned(),
            Destination::User => "user".to_owned(),
            Destination::File(path) => path.display().to_string(),
        }
    }
}

/// The file to write, resolved.
#[derive(Debug)]
pub struct Target {
    pub path: PathBuf,
    pub kind: FileKind,
    /// Whether cargo reads this file without being told to: gated settings there would break
    /// every stable command.
    pub read_by_default: bool,
    /// `path` is a legacy `.cargo/config`, which cargo reads instead of `config.toml`.
    pub legacy: Option<Legacy>,
}

/// Why we write a legacy `config` file rather than `config.toml`.
#[derive(Debug, PartialEq, Eq)]
pub enum Legacy {
    /// Only the legacy file exists.
    Only,
    /// Both exist; cargo ignores this `config.toml`.
    Shadows(PathBuf),
}

impl Target {
    pub fn resolve(destination: &Destination, workspace: &Workspace, cwd: &Path) -> Result<Target> {
        let config_in = |dir: PathBuf| -> Target {
            let (path, legacy) = config_file_cargo_reads(&dir);
            Target { path, kind: FileKind::Config, read_by_default: true, legacy }
        };
        Ok(match destination {
            Destination::Manifest => Target {
                path: workspace.manifest.clone(),
                kind: FileKind::Manifest,
                read_by_default: true,
                legacy: None,
            },
            Destination::Config => config_in(workspace.root().join(".cargo")),
            Destination::User => config_in(cargo_home().ok_or_else(|| {
                Error::new("cannot find the cargo home directory").help("set `CARGO_HOME` (or `HOME`) and try again")
            })?),
            Destination::File(given) => {
                let path = normalize(&cwd.join(given));
                let in_dot_cargo = path.parent().and_then(Path::file_name).is_some_and(|d| d == ".cargo");
                let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
                if name == "Cargo.toml" {
                    return Err(Error::new(format!("`{}` is a manifest, not a config file", path.display()))
                        .help("write to the workspace manifest with `--to manifest`"));
                }
                if let Some(owner) = other_tools_file(name) {
                    return Err(Error::new(format!(
                        "`{}` is {owner}, not a cargo config file",
                        given.display()
                    ))
                    .help("name a file of its own, such as `--to .cargo/presets.toml`, and pass it to cargo with `--config`"));
                }
                // `config` is the legacy name cargo still reads in `.cargo`; `--config` loads
                // any file, but cargo's own config files all end in `.toml`.
                if !(name.ends_with(".toml") || (in_dot_cargo && name == "config")) {
                    return Err(Error::new(format!("`{}` is not a config file name", given.display()))
                        .help("config files end in `.toml`, such as `--to .cargo/presets.toml`"));
                }
                let read_by_default = in_dot_cargo && (name == "config.toml" || name == "config");
                Target { path, kind: FileKind::Config, read_by_default, legacy: None }
            }
        })
    }
}

impl Target {
    /// The target with a symlink resolved to the file it points to, and the link, if it was one.
    pub fn follow_symlink(self) -> Result<(Target, Option<PathBuf>)> {
        let is_link = std::fs::symlink_metadata(&self.path).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            return Ok((self, None));
        }
        let real = std::fs::canonicalize(&self.path).map_err(|e| Error::io("follow the symlink", &self.path, &e))?;
        let link = self.path.clone();
        Ok((Target { path: real, ..self }, Some(link)))
    }
}

/// What uses a file named `name` that is not cargo config, if a known tool does: writing
/// profiles there would break that tool, or be read by nobody.
fn other_tools_file(name: &str) -> Option<&'static str> {
    Some(match name {
        "Cargo.lock" => "cargo's lock file",
        "rustfmt.toml" | ".rustfmt.toml" => "rustfmt's configuration",
        "clippy.toml" | ".clippy.toml" => "clippy's configuration",
        "rust-toolchain.toml" | "rust-toolchain" => "rustup's toolchain file",
        "deny.toml" => "cargo-deny's configuration",
        "Cross.toml" => "cross's configuration",
        "release.toml" => "cargo-release's configuration",
        "taplo.toml" | ".taplo.toml" => "taplo's configuration",
        "typos.toml" | "_typos.toml" | ".typos.toml" => "typos' configuration",
        "dist-workspace.toml" => "cargo-dist's configuration",
        "Makefile.toml" => "cargo-make's task file",
        "nextest.toml" => "cargo-nextest's configuration",
        "pyproject.toml" => "a Python project file",
        _ => return None,
    })
}

/// `config.toml` in `dir`, unless a legacy `config` is there: cargo reads that one instead, and
/// anything written to `config.toml` beside it would be ignored.
fn config_file_cargo_reads(dir: &Path) -> (PathBuf, Option<Legacy>) {
    let modern = dir.join("config.toml");
    let legacy = dir.join("config");
    if !legacy.exists() {
        return (modern, None);
    }
    let why = if modern.exists() { Legacy::Shadows(modern) } else { Legacy::Only };
    (legacy, Some(why))
}

/// The packages `Cargo.lock` lists beside the root manifest, each with whether it is a path
/// package (no `source`); `None` without a lock file.
pub fn locked_packages(root: &Path) -> Option<std::collections::BTreeMap<String, bool>> {
    let text = crate::files::read_optional(&root.join("Cargo.lock")).ok()??;
    let doc = text.parse::<DocumentMut>().ok()?;
    let packages = doc.get("package")?.as_array_of_tables()?;
    let mut found = std::collections::BTreeMap::new();
    for package in packages.iter() {
        if let Some(name) = package.get("name").and_then(|n| n.as_str()) {
            let local = package.get("source").is_none();
            *found.entry(name.to_owned()).or_insert(local) |= local;
        }
    }
    Some(found)
}

/// Where a config file is: in a directory cargo walks through, or the user's `$CARGO_HOME`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigScope {
    Directory,
    User,
}

/// The config files cargo reads, highest precedence first: `.cargo/config.toml` (or the legacy
/// `.cargo/config`, which wins) in the current directory and each parent, then `$CARGO_HOME`'s,
/// each followed by the files it `include`s. Also the `config.toml` files a legacy file shadows.
pub fn config_files(cwd: &Path) -> ConfigFiles {
    let home = cargo_home();
    let mut dirs: Vec<(ConfigScope, PathBuf)> =
        cwd.ancestors().map(|d| (ConfigScope::Directory, d.join(".cargo"))).collect();
    if let Some(home) = home {
        dirs.retain(|(_, d)| *d != home);
        dirs.push((ConfigScope::User, home));
    }
    let mut found = Vec::new();
    let mut shadowed = Vec::new();
    for (kind, dir) in dirs {
        let (modern, legacy) = (dir.join("config.toml"), dir.join("config"));
        // Whatever is there, not only regular files: cargo reads a FIFO or a device too (and
        // hangs on it, `cargo-config.md` R7.1), so each reader must see it and refuse it.
        match (legacy.exists(), modern.exists()) {
            (true, true) => {
                shadowed.push((modern, legacy.clone()));
                with_includes(kind, legacy, &mut found);
            }
            (true, false) => with_includes(kind, legacy, &mut found),
            (false, true) => with_includes(kind, modern, &mut found),
            (false, false) => {}
        }
    }
    ConfigFiles { read: found, shadowed }
}

/// `file`, then the files its `include` names, highest precedence first: cargo loads the included
/// files in order (a later one wins over an earlier one), then the including file's own keys
/// over them (`cargo-profiles.md` §2.6). Paths are relative to the including file; one that is
/// missing or already read adds nothing (cargo reports a missing one itself).
fn with_includes(scope: ConfigScope, file: PathBuf, found: &mut Vec<(ConfigScope, PathBuf)>) {
    let same = |a: &Path, b: &Path| a == b || std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok();
    if found.iter().any(|(_, f)| same(f, &file)) {
        return;
    }
    let text = crate::files::read(&file).unwrap_or_default();
    found.push((scope, file.clone()));
    let Ok(doc) = text.parse::<DocumentMut>() else { return };
    let dir = crate::files::dir_of(&file);
    let includes: Vec<&str> = match doc.get("include") {
        Some(item) if item.is_str() => item.as_str().into_iter().collect(),
        Some(item) => item
            .as_array()
            .into_iter()
            .flat_map(|a| a.iter())
            .filter_map(|v| v.as_str().or_else(|| v.as_inline_table()?.get("path")?.as_str()))
            .collect(),
        None => Vec::new(),
    };
    for include in includes.into_iter().rev() {
        let path = dir.join(include);
        if path.exists() {
            with_includes(scope, path, found);
        }
    }
}

/// The config files cargo reads, and the ones a legacy file beside them hides (with that file).
pub struct ConfigFiles {
    pub read: Vec<(ConfigScope, PathBuf)>,
    pub shadowed: Vec<(PathBuf, PathBuf)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = crate::scratch(&format!("ws-{name}"));
        for (path, text) in files {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        dir
    }

    #[test]
    fn member_directory_leads_to_the_root() {
        let dir = tree(
            "member",
            &[
                ("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n"),
                ("a/Cargo.toml", "[package]\nname = \"a\"\n"),
                ("a/src/x", ""),
            ],
        );
        let ws = locate(&dir.join("a/src"), None).unwrap();
        assert_eq!(ws.manifest, dir.join("Cargo.toml"));
    }

    #[test]
    fn excluded_member_is_its_own_root() {
        let dir = tree(
            "excluded",
            &[("Cargo.toml", "[workspace]\nexclude = [\"x\"]\n"), ("x/Cargo.toml", "[package]\nname = \"x\"\n")],
        );
        assert_eq!(locate(&dir.join("x"), None).unwrap().manifest, dir.join("x/Cargo.toml"));
    }

    #[test]
    fn package_workspace_key_points_at_the_root() {
        let dir = tree(
            "explicit",
            &[
                ("ws/Cargo.toml", "[workspace]\nmembers = [\"../p\"]\n"),
                ("p/Cargo.toml", "[package]\nname = \"p\"\nworkspace = \"../ws\"\n"),
            ],
        );
        assert_eq!(locate(&dir, Some(Path::new("p/Cargo.toml"))).unwrap().manifest, dir.join("ws/Cargo.toml"));
    }

    #[test]
    fn manifest_path_must_name_a_cargo_toml() {
        let err = locate(Path::new("/"), Some(Path::new("x/foo.toml"))).unwrap_err().to_string();
        assert!(err.contains("must be a path to a Cargo.toml file"), "{err}");
    }

    #[test]
    fn legacy_config_is_written_when_it_exists() {
        let dir = tree("legacy", &[("Cargo.toml", "[workspace]\n"), (".cargo/config", "")]);
        let ws = locate(&dir, None).unwrap();
        let target = Target::resolve(&Destination::Config, &ws, &dir).unwrap();
        assert_eq!(target.path, dir.join(".cargo/config"));
        assert_eq!(target.legacy, Some(Legacy::Only));
    }

    #[test]
    fn included_config_files_come_below_the_file_that_includes_them() {
        let dir = tree(
            "include",
            &[
                (
                    ".cargo/config.toml",
                    "include = [\"a.toml\", { path = \"b.toml\", optional = true }, \"gone.toml\"]\n",
                ),
                (".cargo/a.toml", "include = \"sub/c.toml\"\n"),
                (".cargo/sub/c.toml", "include = [\"../config.toml\"]\n"),
                (".cargo/b.toml", ""),
            ],
        );
        let read: Vec<PathBuf> =
            config_files(&dir).read.into_iter().map(|(_, p)| p).take_while(|p| p.starts_with(&dir)).collect();
        let cargo = dir.join(".cargo");
        // b wins over a (listed later), a over what it includes; a loop adds nothing.
        assert_eq!(
            read,
            [cargo.join("config.toml"), cargo.join("b.toml"), cargo.join("a.toml"), cargo.join("sub/c.toml")]
        );
    }

    #[test]
    fn toolchain_file_pins_nightly() {
        let dir = tree(
            "nightly",
            &[
                ("Cargo.toml", "[workspace]\n"),
                ("rust-toolchain.toml", "[toolchain]\nchannel = \"nightly-2026-05-19\"\n"),
            ],
        );
        assert!(locate(&dir, None).unwrap().pins_nightly());
        let dir = tree("plain", &[("Cargo.toml", "[workspace]\n"), ("rust-toolchain", "stable\n")]);
        assert!(!locate(&dir, None).unwrap().pins_nightly());
    }
}
