//! What `apply` checks for presets beyond `[profile]`: the machine they are for (variant,
//! conditions, programs), where cargo reads config settings (never `Cargo.toml`, never a file a
//! team shares for a machine-specific setting), and where flags must go for cargo to use them.

use crate::cargo::config::ConfigTable;
use crate::cargo::config_files::ConfigFiles;
use crate::cargo::effective::{Layer, Layers, Level};
use crate::cargo::machine::Machine;
use crate::cargo::reading::Reading;
use crate::cargo::workspace::Workspace;
use crate::compose::{self, Composition, For};
use crate::destination::{Destination, Target};
use crate::edit::FileKind;
use crate::error::{Error, Result};
use crate::library::Library;
use crate::ops::Context;

use super::ApplyOptions;

/// Composes the presets, for the machine when one of them depends on it (the only case that
/// runs rustc), and says which variants were chosen and why.
pub fn compose(
    ctx: &mut Context<'_>,
    workspace: &Workspace,
    library: &Library,
    request: &ApplyOptions,
    target: &Target,
) -> Result<(Composition, Option<Machine>)> {
    if let Some(error) = compose::declared_conflict(library, &request.presets) {
        if !request.force {
            return Err(error);
        }
        ctx.shell.warn(format!("{error}\nnote: applying anyway (--force)"));
    }
    let plain = compose::compose_for(library, &request.presets, None)?;
    refuse_manifest(&plain, target, request)?;
    for_machine(ctx, workspace, library, plain, &request.presets, request.variant.as_deref())
}

/// `plain` (the presets composed without a machine) composed again for this machine where one
/// of them depends on it, with `variant` where one was asked for; `apply` and `bench` share it.
/// Where only the toolchain decides, its pin tells without a process, else `rustc -vV`; an
/// unknown release takes what every cargo accepts (each preset's fallback).
pub fn for_machine(
    ctx: &mut Context<'_>,
    workspace: &Workspace,
    library: &Library,
    plain: Composition,
    presets: &[String],
    variant: Option<&str>,
) -> Result<(Composition, Option<Machine>)> {
    let needs_machine: Vec<&str> = plain
        .presets
        .iter()
        .filter(|p| p.depends_on_machine() || p.config.iter().any(|c| c.path.is_rustflags()))
        .map(|p| p.name.as_str())
        .collect();
    if needs_machine.is_empty() {
        if let Some(variant) = variant {
            return Err(Error::new(format!("none of the presets has a variant named `{variant}`")));
        }
        return Ok((plain, None));
    }
    let pinned = workspace.pinned_release();
    let toolchain_only = plain
        .presets
        .iter()
        .filter(|p| needs_machine.contains(&p.name.as_str()))
        .all(|p| p.depends_on_toolchain_only());
    let machine = if toolchain_only {
        Machine::toolchain(workspace.root(), pinned.as_ref().map(|(release, _)| *release))
    } else {
        let mut machine = Machine::probe(workspace.root()).map_err(|why| {
            Error::new(format!(
                "cannot tell what this machine is, which {} depends on: {why}",
                needs_machine.join(", ")
            ))
            .help("cargo-presets asks `rustc -vV` (or `$RUSTC`); install Rust with rustup, or set `RUSTC`")
        })?;
        if let Some((release, _)) = &pinned {
            machine.release = Some(*release);
        }
        machine
    };
    match (&pinned, machine.release) {
        (Some((release, file)), _) => {
            let from = ctx.pin_source(file.as_deref());
            ctx.shell.verbose_status("Toolchain", format!("{release}, pinned by {from}"));
        }
        (None, Some(release)) => ctx.shell.verbose_status("Toolchain", format!("{release}, from `rustc -vV`")),
        (None, None) => {
            ctx.shell.verbose_status("Toolchain", "unknown (`rustc -vV` did not answer): what every cargo accepts")
        }
    }
    let composition = compose::compose_for(library, presets, Some(&For { machine: &machine, variant }))?;
    for choice in &composition.choices {
        let line = format!("`{}` variant `{}` ({})", choice.preset, choice.variant, choice.because);
        let note = crate::render::one_line(&choice.note);
        // Where only the toolchain decides, its fallback is what every cargo accepts, as the
        // preset always wrote: said with `-v` only.
        let fallback = plain
            .preset(&choice.preset)
            .and_then(|p| p.variants.iter().find(|v| v.name == choice.variant))
            .is_some_and(|v| v.when.is_always());
        if toolchain_only && fallback {
            ctx.shell.verbose_status("Choosing", line);
            if !note.is_empty() {
                ctx.shell.verbose_status("Note", note);
            }
            continue;
        }
        ctx.shell.status("Choosing", line);
        if !note.is_empty() {
            ctx.shell.note(note);
        }
    }
    for redundant in redundant_here(&composition) {
        ctx.shell.note(redundant);
    }
    Ok((composition, Some(machine)))
}

/// The settings cargo would make the same by itself at the composition's release, said so:
/// written all the same, for older cargo and for the cases `because` leaves out.
fn redundant_here(composition: &Composition) -> impl Iterator<Item = String> + '_ {
    let release = composition.cargo;
    composition.settings.iter().filter_map(move |c| {
        let redundant = c.setting.redundant.as_ref()?;
        let release = release.filter(|r| redundant.rustc.contains(*r))?;
        Some(format!(
            "`{} = {}` (preset `{}`) is redundant on cargo {release}: {}; it is written for older cargo",
            c.setting.path, c.setting.value, c.preset, redundant.because
        ))
    })
}

/// Config settings go where cargo reads them: never the manifest.
fn refuse_manifest(composition: &Composition, target: &Target, request: &ApplyOptions) -> Result<()> {
    let Some(preset) = composition.presets.iter().find(|p| p.needs_config_file()) else { return Ok(()) };
    if target.kind != FileKind::Manifest {
        return Ok(());
    }
    let first = preset.config.first().or_else(|| preset.variants.iter().find_map(|v| v.config.first()));
    let key = first.map(|s| s.path.to_string()).unwrap_or_default();
    let names = request.command_words().join(" ");
    let to = if composition.presets.iter().any(|p| p.machine_specific) { "user" } else { "config" };
    Err(Error::new(format!(
        "preset `{}` sets `{key}`, which cargo reads from config files only, never from Cargo.toml",
        preset.name
    ))
    .help(format!("apply it to a config file instead:\n    cargo presets apply {names} --to {to}")))
}

/// Refuses programs that are missing, and machine-specific settings in a file a team shares.
pub fn check_target(
    ctx: &mut Context<'_>,
    composition: &Composition,
    machine: Option<&Machine>,
    target: &Target,
    request: &ApplyOptions,
) -> Result<()> {
    if let Some(machine) = machine {
        check_programs(ctx, composition, machine, request.force)?;
    }
    let Some(preset) = composition.presets.iter().find(|p| p.machine_specific) else { return Ok(()) };
    let shared = match &request.to {
        Destination::User => false,
        _ => crate::files::vcs::shared_through_git(&target.path),
    };
    if !shared {
        return Ok(());
    }
    let file = ctx.display(&target.path);
    let (mine, shared): (Vec<&str>, Vec<&str>) =
        request.presets.iter().map(String::as_str).partition(|name| machine_specific(composition, name));
    // The others may stay in the file asked for: only the machine's presets move.
    let way_out = match shared.is_empty() {
        true => format!("apply it to your own config file: `cargo presets apply {} --to user`", mine.join(" ")),
        false => format!(
            "apply it to your own config file, and the others here: `cargo presets apply {} --to user` and `cargo presets apply {} --to {}`",
            mine.join(" "),
            shared.join(" "),
            request.to.arg()
        ),
    };
    let error =
        Error::new(format!("preset `{}` is for this machine only, and `{file}` is shared through git", preset.name))
            .detail("everyone who clones the repository would build with settings chosen for this machine")
            .help(way_out)
            .help("or `--force` if this file stays on this machine (for example, it is about to be git-ignored)");
    if !request.force {
        return Err(error);
    }
    ctx.shell.warn(format!("{error}\nnote: applying anyway (--force)"));
    Ok(())
}

/// Whether the preset `name` of the composition is for this machine only.
fn machine_specific(composition: &Composition, name: &str) -> bool {
    composition.presets.iter().any(|p| p.name == name && p.machine_specific)
}

/// Every program the presets run must be on PATH; the error says how to install it.
fn check_programs(ctx: &mut Context<'_>, composition: &Composition, machine: &Machine, force: bool) -> Result<()> {
    for preset in &composition.presets {
        for program in &preset.programs {
            match machine.program(program) {
                Some(path) => ctx.shell.verbose_status("Found", format!("`{program}` at {}", path.display())),
                None => {
                    let error = Error::new(format!("preset `{}` needs `{program}`, which is not on PATH", preset.name))
                        .detail("builds with these settings would fail until it is installed")
                        .help(preset.install_hint(program));
                    if !force {
                        return Err(error);
                    }
                    ctx.shell.warn(format!("{error}\nnote: applying anyway (--force)"));
                }
            }
        }
    }
    Ok(())
}

/// Puts flags where cargo reads them on this machine (`cargo-profiles.md` and the cargo book:
/// the first set of `CARGO_ENCODED_RUSTFLAGS`, `RUSTFLAGS`, matching `[target]` tables, and
/// `[build]`, never merged). A preset's `[build]` flags join a `[target]` table of the file
/// that cargo uses instead, or the matching `[target]` table another preset of this apply
/// writes (which would hide them too); flags that would go unread, or a `[target]` table that
/// would hide the user's `[build]` flags, stop `apply` (a warning with `--force`). So do flags
/// of a machine-specific preset in a workspace that builds for another machine.
pub fn place_flags(
    ctx: &mut Context<'_>,
    composition: &mut Composition,
    machine: &Machine,
    layers: &Layers,
    file: &str,
    force: bool,
) -> Result<()> {
    let rustflags = layers.rustflags(machine);
    let mut problems = Vec::new();
    if let Some(error) = foreign_build_target(composition, machine, layers) {
        problems.push(error);
    }
    // The first `[target]` table of this apply's own presets that cargo reads on this machine.
    let own_target = composition.config.iter().find_map(|c| match &c.setting.path.table {
        ConfigTable::Target(key) if c.setting.path.is_rustflags() && machine.matches_target(key).unwrap_or(false) => {
            Some((ConfigTable::Target(key.clone()), c.preset.clone()))
        }
        _ => None,
    });
    for composed in composition.config.iter_mut().filter(|c| c.setting.path.is_rustflags()) {
        let path = &mut composed.setting.path;
        let what = format!("the flags of preset `{}` (`{path}`)", composed.preset);
        if let (ConfigTable::Build, Level::Build | Level::Unset, Some((table, preset))) =
            (&path.table, rustflags.level, &own_target)
        {
            ctx.shell.note(format!(
                "adding {what} to `{table}.rustflags`, which preset `{preset}` writes: on this machine cargo reads that table and ignores `[build].rustflags`"
            ));
            path.table = table.clone();
            continue;
        }
        if matches!(rustflags.level, Level::Env | Level::EncodedEnv) {
            let variable = &rustflags.used[0].source;
            problems.push(
                Error::new(format!("{what} would do nothing while `{variable}` is set: cargo then ignores every rustflags of its config files"))
                    .help(format!("unset `{variable}` (or add the flags to it) for these settings to apply")),
            );
            continue;
        }
        match &path.table {
            ConfigTable::Build if rustflags.level == Level::Target => {
                match rustflags.used.iter().find(|s| s.file.as_deref() == Some(file)).and_then(|s| s.table.clone()) {
                    Some(table) => {
                        ctx.shell.note(format!(
                            "adding {what} to `{table}.rustflags` in {file}: on this machine cargo reads that table and ignores `[build].rustflags`"
                        ));
                        path.table = table;
                    }
                    None => {
                        let used: Vec<String> =
                            rustflags.used.iter().map(crate::cargo::effective::FlagsSource::describe).collect();
                        problems.push(
                            Error::new(format!("{what} would do nothing: on this machine cargo takes rustflags from {} and ignores `[build].rustflags`", used.join(", ")))
                                .help("apply the preset to that file with `--to <file>`, or move those flags into `[build].rustflags`"),
                        );
                    }
                }
            }
            ConfigTable::Target(key)
                if rustflags.level == Level::Build && machine.matches_target(key).unwrap_or(false) =>
            {
                let hidden: Vec<&str> = rustflags.used.iter().map(|s| s.source.as_str()).collect();
                problems.push(
                    Error::new(format!(
                        "{what} would make cargo ignore the `[build].rustflags` at {} on this machine",
                        hidden.join(", ")
                    ))
                    .help(format!(
                        "move those flags into `[{}].rustflags` first, or `--force` to apply anyway",
                        ConfigTable::Target(key.clone())
                    )),
                );
            }
            _ => {}
        }
        // Written as an array (or joined to this file's own string), they would meet another
        // file's string for the same table, and cargo fails on every command (cargo 1.95).
        let strings = layers.string_rustflags(&path.table);
        if !strings.iter().any(|s| s.file.as_deref() == Some(file))
            && let Some(other) = strings.first()
        {
            problems.push(
                Error::new(format!(
                    "{what} would make every cargo command fail: `{}.rustflags` is a string at {}, and cargo cannot merge a string with the array written to {file}",
                    path.table, other.source
                ))
                .help(format!("write the flags at {} as an array (`rustflags = [\"--cfg\", \"x\"]`) first", other.source)),
            );
        }
    }
    for error in problems {
        if !force {
            return Err(error);
        }
        ctx.shell.warn(format!("{error}\nnote: applying anyway (--force)"));
    }
    Ok(())
}

/// A machine-specific preset (`-C target-cpu=native`) in a workspace whose `build.target` is
/// another machine's: rustc would tune code for a CPU it does not run on, or reject the flag.
fn foreign_build_target(composition: &Composition, machine: &Machine, layers: &Layers) -> Option<Error> {
    let preset = composition.presets.iter().find(|p| p.machine_specific)?;
    let targets = layers.build_targets()?;
    let foreign: Vec<&String> = targets.iter().filter(|t| **t != machine.host && *t != "host-tuple").collect();
    if foreign.is_empty() {
        return None;
    }
    let names: Vec<String> = foreign.iter().map(|t| format!("`{t}`")).collect();
    Some(
        Error::new(format!(
            "preset `{}` is for this machine ({}), but this workspace builds for {} (`build.target`)",
            preset.name,
            machine.host,
            names.join(", ")
        ))
        .detail("its flags would tune code for a CPU it never runs on")
        .help("leave it out here, or apply it to a workspace that builds for this machine"),
    )
}

/// The layers cargo reads from here, its config files `configs` as found before, with the file
/// being written (a standalone `--config` file is read on top of the rest).
pub fn layers_with(
    ctx: &Context<'_>,
    workspace: &Workspace,
    configs: ConfigFiles,
    file: &str,
    text: &str,
) -> Result<Layers> {
    let mut layers = Reading::of(workspace, ctx, configs)?.layers;
    match layers.files.iter_mut().find(|l| l.name == file) {
        Some(layer) => *layer = Layer::config(file.to_owned(), text.to_owned()),
        None => layers.files.push(Layer::config(file.to_owned(), text.to_owned())),
    }
    Ok(layers)
}
