//! What cargo reads, and how: the one model of cargo's rules that every command asks.
//!
//! Which rustc and what it says about the machine ([`machine`]); the workspace and its members
//! ([`workspace`]); the config files cargo finds ([`config_files`]); everything cargo reads for a
//! workspace, read once per run ([`reading`]); the config files and environment variables, merged
//! in cargo's precedence ([`effective`], with rustflags in its own module); profile structure, values and `inherits`
//! chains ([`profiles`], [`schema`], [`inherit`]); the config keys a preset may write
//! ([`config`]). Sources: `../shared/reference/cargo-profiles.md` and `cargo-config.md`, cargo
//! 1.95 as measured. Nothing here knows a command: commands live in `ops` and ask this.
pub mod config;
pub mod config_files;
pub mod effective;
pub mod inherit;
pub mod machine;
pub mod profiles;
pub mod reading;
pub mod schema;
pub mod workspace;
