//! What cargo reads, and how: the one model of cargo's rules that every command asks.
//!
//! Which rustc and what it says about the machine ([`machine`]); which toolchain rustup picks
//! and what it has installed ([`toolchain`]); the workspace and its members ([`workspace`]),
//! and the packages its `Cargo.lock` lists ([`lockfile`]); `$CARGO_HOME` ([`cargo_home`]); the
//! config files cargo finds ([`config_files`]); everything cargo reads for a workspace, read
//! once per run ([`reading`]); the config files and environment variables, merged in cargo's
//! precedence ([`effective`], with rustflags in its own module); profile structure, values and
//! `inherits` chains ([`profiles`], [`schema`], [`inherit`]); the config keys a preset may write
//! ([`config`]). Sources: `../shared/reference/cargo-profiles.md` and `cargo-config.md`, cargo
//! 1.95 as measured. Nothing here knows a command: commands live in `ops` and ask this.
pub mod config;
pub mod config_files;
pub mod effective;
pub mod inherit;
pub mod lockfile;
pub mod machine;
pub mod profiles;
pub mod reading;
pub mod schema;
pub mod toolchain;
pub mod workspace;

/// `$CARGO_HOME` as cargo finds it, with the `home` crate cargo itself uses: the variable (a
/// relative value taken from the current directory), or `.cargo` in the home directory.
pub fn cargo_home() -> Option<std::path::PathBuf> {
    home::cargo_home().ok()
}
