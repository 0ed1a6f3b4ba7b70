//! The findings model: what the rules read (the sources cargo would read, as [`Inputs`]) and
//! what they say about it ([`Finding`]: a rule's code, a severity, a place, help).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

use crate::error::{Error, Location};
use crate::lint::rules::{Code, Severity};

/// One problem: what, where, and how to fix it.
#[derive(Debug)]
pub struct Finding {
    pub severity: Severity,
    /// The rule it breaks.
    pub code: Code,
    pub message: String,
    pub location: Option<Location>,
    pub help: Vec<String>,
    /// Set when a lint level or an allow comment silences it ([`crate::lint::levels`]).
    pub silenced: Option<Silenced>,
}

impl fmt::Display for Finding {
    /// `warning[code]: message`, then the place with the line, then `help:` lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut body = Error::new(&self.message);
        if let Some(location) = &self.location {
            body = body.at(location.clone());
        }
        let body = self.help.iter().cloned().fold(body, Error::help);
        write!(f, "{}[{}]: {body}", self.severity.name(), self.code.as_str())
    }
}

/// Why a finding is not reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Silenced {
    /// `code = "allow"` in the manifest's lint levels.
    Manifest,
    /// A `# cargo-presets: allow(code)` comment.
    Inline,
}

impl Silenced {
    pub fn name(self) -> &'static str {
        match self {
            Silenced::Manifest => "manifest",
            Silenced::Inline => "inline",
        }
    }
}

pub use crate::cargo::reading::{Source, SourceKind};

/// Everything `check` looks at.
pub struct Inputs {
    pub sources: Vec<Source>,
    /// `CARGO_PROFILE_*`, `RUSTFLAGS`, `CARGO_ENCODED_RUSTFLAGS`, `CARGO_INCREMENTAL`, as set.
    pub env: Vec<(String, String)>,
    /// Whether the workspace pins a nightly toolchain.
    pub nightly: bool,
    /// The package names package specs may match.
    pub packages: BTreeSet<String>,
    /// Whether `packages` is the whole dependency graph (from `Cargo.lock`) or only the members
    /// and their direct dependencies.
    pub packages_complete: bool,
    /// The versions `Cargo.lock` lists for each package (none without a lock).
    pub versions: BTreeMap<String, Vec<String>>,
    /// The members that link something (a binary, a `cdylib`, …), where `strip` matters.
    pub linked_members: BTreeSet<String>,
    /// Config files cargo ignores, each with the legacy file it reads instead.
    pub shadowed_configs: Vec<(PathBuf, PathBuf)>,
    /// Members the root lists that have no `Cargo.toml` (as shown); cargo fails to load them.
    pub missing_members: Vec<PathBuf>,
    /// Whether the Cranelift backend is installed, where a profile asks for it (`None`: unknown
    /// or not asked for).
    pub cranelift_installed: Option<bool>,
    /// The `split-debuginfo` values the host target supports, where a profile sets one (`None`:
    /// unknown or not asked for). Cargo silently drops the others.
    pub split_debuginfo_supported: Option<Vec<String>>,
    /// The machine, where a config file sets `rustflags` (which of them cargo uses depends on
    /// the host); `None`: unknown or not asked for.
    pub machine: Option<crate::cargo::machine::Machine>,
}
