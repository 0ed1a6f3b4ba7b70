//! The file `apply`, `remove`, `status` and the guide work on: the `--to` argument
//! ([`Destination`]) and the file it resolves to ([`Target`]), with cargo's rules for which
//! config file in a directory it reads (the legacy `config` name), and the files of other tools,
//! which are never config.

use std::path::{Path, PathBuf};

use crate::cargo::workspace::Workspace;
use crate::edit::FileKind;
use crate::error::{Error, Result};
use crate::files::normalize;

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
            Destination::User => config_in(crate::cargo::cargo_home().ok_or_else(|| {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_config_is_written_when_it_exists() {
        let dir = crate::scratch_with("destination-legacy", &[("Cargo.toml", "[workspace]\n"), (".cargo/config", "")]);
        let ws = crate::cargo::workspace::locate(&dir, None).unwrap();
        let target = Target::resolve(&Destination::Config, &ws, &dir).unwrap();
        assert_eq!(target.path, dir.join(".cargo/config"));
        assert_eq!(target.legacy, Some(Legacy::Only));
    }
}
