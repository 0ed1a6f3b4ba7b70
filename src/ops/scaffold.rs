//! `cargo presets init` and `cargo presets new`: setting a repository up, and starting a preset.

use std::path::PathBuf;

use serde::Serialize;

use crate::destination::Destination;
use crate::error::{Error, Result};
use crate::files;
use crate::ops::apply::{self, Action, Applied, ApplyOptions};
use crate::ops::write::{self, Purpose};
use crate::ops::{Context, Format};
use crate::preset::{self, Origin};
use crate::render::Renderer;

/// The presets `init` applies when none are named.
pub const DEFAULT_INIT: [&str; 1] = ["fast-dev"];

/// The preset file `init` creates to show the format.
const EXAMPLE: &str = "example";

/// What `init` is asked.
pub struct InitOptions {
    /// The presets to apply; none for [`DEFAULT_INIT`].
    pub presets: Vec<String>,
    /// Where they go, and how they are written, as for `apply`.
    pub to: Destination,
    pub dry_run: bool,
    pub force: bool,
    pub format: Format,
}

/// What `new` is asked.
pub struct NewOptions {
    /// The preset's name, which is its file name.
    pub name: String,
    /// The presets it builds on.
    pub extends: Vec<String>,
    /// In `$CARGO_HOME/presets/` instead of the project's.
    pub user: bool,
    pub format: Format,
}

pub fn init(ctx: &mut Context<'_>, args: &InitOptions) -> Result<i32> {
    let workspace = ctx.workspace()?;
    let library = ctx.library(Some(&workspace))?;
    let presets: Vec<String> = if args.presets.is_empty() {
        DEFAULT_INIT.iter().map(|p| (*p).to_owned()).collect()
    } else {
        args.presets.clone()
    };
    let request = ApplyOptions {
        presets: presets.clone(),
        variant: None,
        to: args.to.clone(),
        force: args.force,
        keep: Vec::new(),
        profile: None,
        packages: Vec::new(),
        dry_run: args.dry_run,
        format: args.format,
    };
    let (target, _) = write::target(ctx, &workspace, &request.to, Purpose::Write)?;
    let dir = workspace.root().join(".cargo").join("presets");
    let example = dir.join(format!("{EXAMPLE}.toml"));
    // Both files under one lock and in one commit: checked before either is written, and the
    // manifest put back if the example cannot be written.
    let mut lock = if args.dry_run { None } else { Some(files::lock(&[&target.path, &example])?) };
    let prepared = apply::prepare(ctx, &workspace, &library, &request, &target)?;
    apply::note_shadowing(ctx, &library, prepared.composition());
    let has_presets = std::fs::read_dir(&dir).is_ok_and(|mut entries| entries.next().is_some());
    let example_file = ctx.relative(&example);
    let example_text = Renderer::default().preset_file(EXAMPLE, &presets);
    let also = match has_presets || args.dry_run {
        true => Vec::new(),
        false => vec![files::Change::Write { path: &example_file, expected: None, text: &example_text }],
    };
    let applied = apply::finish(ctx, prepared, lock.as_mut(), &also)?;
    let example_action = if has_presets {
        ctx.shell.status("Unchanged", format!("{} (the project already has presets)", ctx.display(&dir)));
        Action::Unchanged
    } else if args.dry_run {
        ctx.shell.status("Would create", format!("{} (an example preset)", ctx.display(&example)));
        Action::DryRun
    } else {
        ctx.shell.status("Creating", format!("{} (an example preset; rename or delete it)", ctx.display(&example)));
        Action::Created
    };
    let written = ctx.display(&target.path);
    // A personal config file is not the project's to commit.
    let personal = args.to == Destination::User;
    let to_commit: Vec<String> =
        if personal { vec![ctx.display(&dir)] } else { vec![written.clone(), ctx.display(&dir)] };
    if !args.dry_run {
        let files: Vec<String> = to_commit.iter().map(|f| format!("`{f}`")).collect();
        let yours = if personal { format!(" (`{written}` is yours alone)") } else { String::new() };
        ctx.shell.note(format!("commit {}{yours}; `cargo presets check` in CI keeps them right", files.join(" and ")));
    }
    if args.format == Format::Json {
        let example = Written { file: ctx.display(&example), action: example_action };
        ctx.shell.print(&crate::report::json(&Init { files: (applied, example), commit: to_commit })?)?;
    }
    Ok(0)
}

/// `init`'s report: the file the presets went into, the example preset, and what to commit.
#[derive(Serialize)]
struct Init {
    files: (Applied, Written),
    commit: Vec<String>,
}

/// A file a command wrote (or would write, or left as it was).
#[derive(Serialize)]
struct Written {
    file: String,
    action: Action,
}

/// `new`'s report: the preset file.
#[derive(Serialize)]
struct New {
    files: [Written; 1],
}

pub fn new(ctx: &mut Context<'_>, args: &NewOptions) -> Result<i32> {
    preset::check_name(&args.name).map_err(Error::new)?;
    let workspace = if args.user { None } else { Some(ctx.workspace()?) };
    let library = ctx.library(workspace.as_ref())?;
    for parent in &args.extends {
        library.get(parent).map_err(|e| Error::new(format!("`--extends {parent}`: {}", e.message())))?;
    }
    let dir: PathBuf = match &workspace {
        Some(ws) => ws.root().join(".cargo").join("presets"),
        None => crate::cargo::cargo_home()
            .ok_or_else(|| Error::new("cannot find the cargo home directory").help("set `CARGO_HOME` (or `HOME`)"))?
            .join("presets"),
    };
    let path = ctx.relative(&dir.join(format!("{}.toml", args.name)));
    let shown = path.display().to_string();
    let text = Renderer::default().preset_file(&args.name, &args.extends);
    let mut lock = files::lock(&[&path])?;
    if let Some(existing) = files::read_optional(&path)? {
        // Running the same `new` twice is fine; replacing someone's preset is not.
        if existing == text {
            ctx.shell.status("Unchanged", format!("{shown} (preset `{}`)", args.name));
            return report(ctx, args.format, shown, Action::Unchanged);
        }
        return Err(Error::new(format!("`{shown}` already exists")).help("edit it, or choose another name"));
    }
    // It must be valid as written: a scaffold that does not load teaches the wrong thing.
    preset::parse(&args.name, Origin::Project(path.clone()), &text)?;
    files::commit(&mut lock, &[files::Change::Write { path: &path, expected: None, text: &text }])?;
    ctx.shell.status("Creating", format!("{shown} (preset `{}`)", args.name));
    if let Some(entry) = library.entry(&args.name).filter(|e| e.origin.path() != Some(path.as_path())) {
        ctx.shell.warn(format!(
            "`{}` is also the name of a {} preset; this file hides it {}: `cargo presets apply {0}` will use this file",
            args.name,
            entry.origin.kind(),
            if args.user { "in every project without a preset of that name" } else { "in this project" }
        ));
    }
    ctx.shell.note(format!("add its settings, then try it with `cargo presets show {}`", args.name));
    report(ctx, args.format, shown, Action::Created)
}

fn report(ctx: &mut Context<'_>, format: Format, file: String, action: Action) -> Result<i32> {
    if format == Format::Json {
        ctx.shell.print(&crate::report::json(&New { files: [Written { file, action }] })?)?;
    }
    Ok(0)
}
