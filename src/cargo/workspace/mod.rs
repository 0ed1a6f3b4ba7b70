//! The workspace: its root manifest and members, found in-process and the way cargo finds them.
//!
//! Profiles only take effect in the workspace root manifest, so that is where they go, whichever
//! member directory the user runs from. Discovery ([`discovery`]) follows cargo's own rules. No
//! `cargo metadata`, no child process, no lock file or network.

mod discovery;

pub use discovery::{Load, outside_path_dependencies, outside_path_dependencies_with};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use toml_edit::Item;

use crate::edit::Parsed;

use crate::error::{Error, Result};

/// Manifests as parsed, by absolute path.
type Parses = HashMap<PathBuf, Parsed>;

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
    pub parsed: Rc<Parsed>,
    /// Every other manifest discovery read and parsed (the members, and the path dependencies
    /// and ancestors it looked at), by absolute path: the readers of the workspace take these
    /// parses rather than parse the files again.
    manifests: Rc<Parses>,
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
        let parsed = Rc::new(crate::edit::parse(&manifest, "")?);
        Ok(Workspace {
            manifest,
            members: Vec::new(),
            member_names: Default::default(),
            parsed,
            manifests: Default::default(),
            unloaded: Vec::new(),
        })
    }

    /// The parse discovery made of `manifest` (absolute), if it made one.
    pub fn discovered(&self, manifest: &Path) -> Option<&Parsed> {
        match manifest == self.manifest {
            true => Some(&self.parsed),
            false => self.manifests.get(manifest),
        }
    }

    /// The document discovery parsed from `manifest`, to keep, if it is the parse of all of
    /// `text` as read now (the file did not change since, and no byte-order mark shifts spans).
    pub fn parse_of(&self, manifest: &Path, text: &str) -> Option<Rc<toml_edit::Document<String>>> {
        self.discovered(manifest)?.doc_of(text)
    }

    pub fn root(&self) -> &Path {
        self.manifest.parent().expect("a manifest path has a parent")
    }

    /// Whether the workspace pins a nightly toolchain (`rust-toolchain.toml` or `rust-toolchain`,
    /// found the way rustup finds it: in the root or an ancestor).
    pub fn pins_nightly(&self) -> bool {
        crate::cargo::toolchain::pinned_channel(self.root()).is_some_and(|c| c.starts_with("nightly"))
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
        let (dir, name) =
            self.root().ancestors().find_map(|dir| Some((dir, crate::cargo::toolchain::toolchain_channel(dir)?)))?;
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
            // Every member was parsed by discovery.
            let Some(doc) = self.discovered(manifest).map(Parsed::doc) else { continue };
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

/// Finds the workspace from `--manifest-path` or from the current directory.
pub fn locate(cwd: &Path, manifest_path: Option<&Path>) -> Result<Workspace> {
    let start = match manifest_path {
        Some(path) => {
            let given = path;
            let path = crate::files::normalize(&cwd.join(path));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_directory_leads_to_the_root() {
        let dir = crate::scratch_with(
            "ws-member",
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
        let dir = crate::scratch_with(
            "ws-excluded",
            &[("Cargo.toml", "[workspace]\nexclude = [\"x\"]\n"), ("x/Cargo.toml", "[package]\nname = \"x\"\n")],
        );
        assert_eq!(locate(&dir.join("x"), None).unwrap().manifest, dir.join("x/Cargo.toml"));
    }

    #[test]
    fn package_workspace_key_points_at_the_root() {
        let dir = crate::scratch_with(
            "ws-explicit",
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
    fn toolchain_file_pins_nightly() {
        let dir = crate::scratch_with(
            "ws-nightly",
            &[
                ("Cargo.toml", "[workspace]\n"),
                ("rust-toolchain.toml", "[toolchain]\nchannel = \"nightly-2026-05-19\"\n"),
            ],
        );
        assert!(locate(&dir, None).unwrap().pins_nightly());
        let dir = crate::scratch_with("ws-plain", &[("Cargo.toml", "[workspace]\n"), ("rust-toolchain", "stable\n")]);
        assert!(!locate(&dir, None).unwrap().pins_nightly());
    }
}
