//! One module per subcommand. Each takes its options (a plain struct the command line fills in)
//! and a [`Context`], does its work through the library modules, and reports through the shell.

pub mod apply;
pub mod bench;
pub mod check;
pub mod explain;
pub mod generate;
pub mod guide;
pub mod list;
pub mod remove;
pub mod scaffold;
pub mod show;
pub mod status;
pub mod tune;
pub mod verify;
pub mod write;

use std::path::{Component, Path, PathBuf};

use crate::cargo::reading::{Here, Reading};
use crate::cargo::workspace::{self, Workspace};
use crate::destination::Destination;
use crate::error::Result;
use crate::library::Library;
use crate::shell::Shell;

/// How a command prints its result: for people, or as one JSON document on stdout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
}

pub struct Context<'a> {
    pub cwd: PathBuf,
    pub manifest_path: Option<PathBuf>,
    pub shell: &'a mut Shell,
}

impl Context<'_> {
    pub fn workspace(&self) -> Result<Workspace> {
        workspace::locate(&self.cwd, self.manifest_path.as_deref())
    }

    /// The workspace if there is one: `list` and `show` also work outside any workspace, with
    /// the built-in and personal presets.
    pub fn optional_workspace(&self) -> Result<Option<Workspace>> {
        let in_workspace = self.manifest_path.is_some() || self.cwd.ancestors().any(|d| d.join("Cargo.toml").is_file());
        if in_workspace { self.workspace().map(Some) } else { Ok(None) }
    }

    /// The workspace a write to `to` goes with, and the presets visible from it. Your own config
    /// file needs no project: for `--to user` outside any, the current directory stands in for
    /// the root, and only built-in and personal presets are visible.
    pub fn workspace_for(&self, to: &Destination) -> Result<(Workspace, Library)> {
        // Discovery once: it reads and parses the manifest.
        let found = if *to == Destination::User { self.optional_workspace()? } else { None };
        let (workspace, inside) = match found {
            Some(workspace) => (workspace, true),
            None if *to == Destination::User => (Workspace::outside(&self.cwd)?, false),
            None => (self.workspace()?, true),
        };
        let library = self.library(inside.then_some(&workspace))?;
        Ok((workspace, library))
    }

    /// The presets visible from `workspace`: built-in, personal, and the project's (found
    /// relative to here, so messages name them as the user would).
    pub fn library(&self, workspace: Option<&Workspace>) -> Result<Library> {
        let project = workspace.map(|ws| relative(&ws.root().join(".cargo").join("presets"), &self.cwd));
        let user = crate::cargo::cargo_home().map(|home| home.join("presets"));
        Library::discover(project.as_deref(), user.as_deref())
    }

    /// What pins the toolchain, as messages name it: its file, or `RUSTUP_TOOLCHAIN` (`None`).
    pub fn pin_source(&self, file: Option<&Path>) -> String {
        file.map_or_else(|| "`RUSTUP_TOOLCHAIN`".to_owned(), |file| format!("`{}`", self.display(file)))
    }

    /// A path as the user would type it from here (`Cargo.toml`, `../Cargo.toml`), for messages;
    /// a file in the cargo home as `$CARGO_HOME/config.toml` (or `~/.cargo/…`), not a climb of
    /// `../` from here.
    pub fn display(&self, path: &Path) -> String {
        if let Some(home) = crate::cargo::cargo_home()
            && !self.cwd.starts_with(&home)
            && let Ok(rest) = path.strip_prefix(&home)
        {
            let named = std::env::var_os("CARGO_HOME").is_some_and(|v| !v.is_empty());
            return Path::new(if named { "$CARGO_HOME" } else { "~/.cargo" }).join(rest).display().to_string();
        }
        self.relative(path).display().to_string()
    }

    /// A unified diff of a file's change, named as git names files: `a/Cargo.toml` relative to
    /// the workspace `root`; a file elsewhere by its shown name. `None` for a file that did not
    /// exist, or is deleted.
    pub fn diff(&self, root: &Path, path: &Path, old: Option<&str>, new: Option<&str>) -> String {
        let (a, b) = match path.strip_prefix(root) {
            Ok(inside) => (format!("a/{}", inside.display()), format!("b/{}", inside.display())),
            Err(_) => (self.display(path), self.display(path)),
        };
        let a = if old.is_some() { a } else { "/dev/null".to_owned() };
        let b = if new.is_some() { b } else { "/dev/null".to_owned() };
        let diff = similar::TextDiff::from_lines(old.unwrap_or(""), new.unwrap_or(""));
        diff.unified_diff().context_radius(3).header(&a, &b).to_string()
    }

    /// The same path, losslessly (it may not be UTF-8), for I/O: the process runs in `cwd`.
    pub fn relative(&self, path: &Path) -> PathBuf {
        relative(path, &self.cwd)
    }

    /// What cargo reads for `workspace`, from here; an error where cargo refuses to load its
    /// configuration, as every cargo command then fails.
    pub fn reading(&self, workspace: &Workspace) -> Result<Reading> {
        Reading::new(workspace, self)
    }
}

impl Here for Context<'_> {
    fn cwd(&self) -> &Path {
        &self.cwd
    }

    fn shown(&self, path: &Path) -> String {
        self.display(path)
    }

    fn io_path(&self, path: &Path) -> PathBuf {
        self.relative(path)
    }
}

/// `path` relative to `base`, with `..` where needed; `path` itself if they share nothing but
/// the root (`/dev/zero`, not `../../../dev/zero`).
fn relative(path: &Path, base: &Path) -> PathBuf {
    let common = path.components().zip(base.components()).take_while(|(a, b)| a == b).count();
    let only_the_root = path.has_root()
        && common <= path.components().take_while(|c| matches!(c, Component::RootDir | Component::Prefix(_))).count();
    if common == 0 || only_the_root {
        return path.to_owned();
    }
    let ups = base.components().count() - common;
    let mut out: PathBuf = std::iter::repeat_n(Component::ParentDir, ups).collect();
    out.extend(path.components().skip(common));
    out
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn relative_paths_climb_with_dot_dot() {
        assert_eq!(relative(Path::new("/w/Cargo.toml"), Path::new("/w")), Path::new("Cargo.toml"));
        assert_eq!(relative(Path::new("/w/Cargo.toml"), Path::new("/w/app/src")), Path::new("../../Cargo.toml"));
        assert_eq!(relative(Path::new("/w/.cargo/x.toml"), Path::new("/w/app")), Path::new("../.cargo/x.toml"));
        assert_eq!(relative(Path::new("/dev/zero"), Path::new("/w/app")), Path::new("/dev/zero"));
    }
}
