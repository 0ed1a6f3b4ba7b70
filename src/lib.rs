//! `cargo presets`: Cargo build profiles from composable, explained preset files.
//!
//! The flow of `apply`: find the workspace ([`cargo::workspace`]) → find the presets ([`library`]) →
//! parse and validate them ([`preset`], [`schema`]) → compose them in order ([`compose`]) →
//! check the result against Cargo's profile rules and group it into tables ([`plan`]) → write it
//! into the file's text with explanatory comments ([`edit`], [`render`]) → write only what
//! changed, atomically ([`files`]). Everything between reading and writing works on strings.

// Output goes through `shell::Shell`, so that `-q`, colour and broken pipes are handled once.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod cargo;
pub mod cli;
pub mod compose;
pub mod destination;
pub mod edit;
pub mod error;
pub mod files;
pub mod json_schema;
pub mod library;
pub mod lint;
pub mod measure;
pub mod ops;
pub mod packages;
pub mod plan;
pub mod preset;
pub mod prompt;
pub mod render;
pub mod report;
pub mod retarget;
pub mod shell;
pub mod suggest;
pub mod verify;

use std::ffi::OsString;

use shell::{Shell, Verbosity};

/// A fresh folder for a unit test, `name` unique per test: one place per checkout, emptied each
/// time, so that test runs do not pile up folders in the temporary directory, and two checkouts
/// testing at once (or two users) never empty each other's.
#[cfg(test)]
pub(crate) fn scratch(name: &str) -> std::path::PathBuf {
    use std::hash::{Hash, Hasher};
    let mut checkout = std::collections::hash_map::DefaultHasher::new();
    env!("CARGO_MANIFEST_DIR").hash(&mut checkout);
    let user = std::env::var("USER").unwrap_or_default();
    let folder = format!("cargo-presets-unit-tests-{user}-{:016x}", checkout.finish());
    let dir = std::env::temp_dir().join(folder).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A [`scratch`] folder holding `files` (path, text).
#[cfg(test)]
pub(crate) fn scratch_with(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = scratch(name);
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a file has a parent")).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// Exit status for failures other than usage errors, as cargo uses.
pub const FAILURE: i32 = 101;

/// Runs the command line and returns the exit status.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let mut args: Vec<OsString> = args.into_iter().collect();
    // Run as `cargo presets …`, cargo passes `presets` as the first argument.
    if args.get(1).is_some_and(|a| a == "presets") {
        args.remove(1);
    }
    // What the completion scripts ask as they complete. Not a clap subcommand: clap_complete
    // offers even hidden subcommands for completion, and this one is not for people.
    if args.get(1).is_some_and(|a| a == "__complete") {
        let mut shell = Shell::new(Shell::color_choice(None), Verbosity::Normal);
        return match std::env::current_dir() {
            Ok(cwd) => {
                let mut ctx = ops::Context { cwd, manifest_path: None, shell: &mut shell };
                ops::generate::candidates(&mut ctx, &args[2..])
            }
            Err(_) => 0,
        };
    }
    let cli = match cli::parse(args) {
        Ok(cli) => cli,
        Err(status) => return status,
    };
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, 1..) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let mut shell = Shell::new(Shell::color_choice(cli.color.map(Into::into)), verbosity);
    let result = std::env::current_dir()
        .map_err(|e| error::Error::new(format!("cannot read the current directory: {e}")))
        .and_then(|cwd| {
            let mut ctx = ops::Context { cwd, manifest_path: cli.manifest_path, shell: &mut shell };
            cli::run(cli.command, &mut ctx)
        });
    match result {
        Ok(status) => status,
        Err(e) => {
            shell.error(&e);
            FAILURE
        }
    }
}
