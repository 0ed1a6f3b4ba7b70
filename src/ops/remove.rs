//! `cargo presets remove`: takes back exactly what `apply` wrote for a preset (and the presets
//! it extends, which `apply` wrote with it), through the write pipeline of `apply`
//! ([`crate::ops::write`]): the same file, the same warnings about it, the same dry-run diff.

use std::rc::Rc;

use serde::Serialize;

use crate::cargo::workspace::Workspace;
use crate::compose::compose;
use crate::destination::Destination;
use crate::edit::{self, marker};
use crate::error::Result;
use crate::files;
use crate::library::Library;
use crate::ops::write::{self, Pending, Purpose, Written};
use crate::ops::{Context, Format};
use crate::preset::Preset;
use crate::shell::plural;

/// What `remove` is asked.
pub struct RemoveOptions {
    /// The presets to take back.
    pub presets: Vec<String>,
    /// The profile `apply --profile` wrote them as.
    pub profile: Option<String>,
    /// The file to take them out of, as for `apply`.
    pub to: Destination,
    /// Show the change as a diff and write nothing.
    pub dry_run: bool,
    pub format: Format,
}

/// What `remove` did, as `--format json` prints it: shaped like `apply`'s report.
#[derive(Serialize)]
pub struct RemoveReport {
    /// The file, as the user would name it from here.
    pub file: String,
    /// `updated`, `deleted` (a file `apply` created, left with nothing else), `unchanged` or
    /// `dry-run`.
    pub action: &'static str,
    /// The presets taken back, with those they extend.
    pub presets: Vec<String>,
    /// The profile of `--profile`, or null.
    pub profile: Option<String>,
    pub changes: Vec<KeyChange>,
    /// The directory deleted with the file (`apply` created both), or null.
    pub directory_removed: Option<String>,
    /// The change as a unified diff, for a dry run; null otherwise.
    pub diff: Option<String>,
}

/// One key `remove` took back, or left alone.
#[derive(Serialize)]
pub struct KeyChange {
    pub key: String,
    pub preset: String,
    /// `removed`; `restored` (the hand-written value `--force` replaced is back); or `left` (the
    /// value was changed after the preset wrote it).
    pub change: &'static str,
    /// The flags taken out of a `rustflags`, or the value `left`; null otherwise.
    pub value: Option<String>,
}

pub fn run(ctx: &mut Context<'_>, args: &RemoveOptions) -> Result<i32> {
    let (workspace, library) = ctx.workspace_for(&args.to)?;
    let presets = presets(ctx, &workspace, &library, args)?;
    let (target, link) = write::target(ctx, &workspace, &args.to, Purpose::TakeBack)?;
    let file = ctx.relative(&target.path);
    let shown = ctx.display(&target.path);
    let mut report = RemoveReport {
        file: shown.clone(),
        action: "unchanged",
        presets: presets.iter().map(|p| p.name.clone()).collect(),
        profile: args.profile.clone(),
        changes: Vec::new(),
        directory_removed: None,
        diff: None,
    };
    let mut lock = if args.dry_run { None } else { Some(files::lock(&[&target.path])?) };
    let Some(original) = files::read_optional(&file)? else {
        ctx.shell.status("Unchanged", format!("{shown} does not exist"));
        return print(ctx, args.format, &report);
    };

    // Last applied first, as `apply` layered them.
    let mut text = original.clone();
    for preset in presets.iter().rev() {
        let parsed = edit::parse(&file, &text)?;
        // Tables `apply --package` wrote for named packages go too.
        let preset = preset.for_packages(&edit::marked_packages(&parsed, &preset.name));
        let removal = edit::remove(&parsed, &preset, target.kind)?;
        text = removal.text;
        let change = |key: String, change, value| KeyChange { key, preset: preset.name.clone(), change, value };
        report.changes.extend(removal.removed.into_iter().map(|(key, flags)| change(key, "removed", flags)));
        report.changes.extend(removal.restored.into_iter().map(|key| change(key, "restored", None)));
        report.changes.extend(removal.changed.into_iter().map(|(key, current)| change(key, "left", Some(current))));
    }
    for left in report.changes.iter().filter(|c| c.change == "left") {
        let (key, current) = (&left.key, left.value.as_deref().unwrap_or_default());
        ctx.shell.warn(format!("left `{key} = {current}` in {shown}: it was changed after the preset wrote it"));
    }
    let names = report.presets.join(", ");
    // Through a symlink the file is someone's dotfile: never delete it, even if we made it.
    let delete = text != original && link.is_none() && marker::only_our_header(&original, &text);
    let pending = Pending {
        path: &target.path,
        file: &file,
        root: workspace.root(),
        original: Some(&original),
        text: (!delete).then_some(text.as_str()),
    };
    let written = write::show_or_commit(ctx, "remove", &pending, args.dry_run, args.format, lock.as_mut(), &[])?;
    let count = |change: &str| report.changes.iter().filter(|c| c.change == change).count();
    let mut summary = vec![plural(count("removed"), "key removed", "keys removed")];
    if count("restored") > 0 {
        summary.push(plural(count("restored"), "hand-written value restored", "hand-written values restored"));
    }
    let summary = summary.join(", ");
    match written {
        Written::Unchanged => ctx.shell.status("Unchanged", format!("{shown} ({names}: nothing of it here)")),
        Written::DryRun(diff) => {
            report.action = "dry-run";
            report.diff = Some(diff);
        }
        Written::Committed if delete => {
            report.action = "deleted";
            // The directory `apply` created for the file goes too, unless something else is in it.
            let message = if marker::created_its_directory(&original) && files::remove_empty_dir(files::dir_of(&file)) {
                let directory = ctx.display(files::dir_of(&target.path));
                let message = format!(
                    "{shown} and {directory} ({names}: {summary}; cargo presets created them and nothing else is in them)"
                );
                report.directory_removed = Some(directory);
                message
            } else {
                format!("{shown} ({names}: {summary}; cargo presets created it and nothing else is in it)")
            };
            ctx.shell.status("Removing", message);
        }
        Written::Committed => {
            report.action = "updated";
            ctx.shell.status("Updating", format!("{shown} ({names}: {summary})"));
        }
    }
    print(ctx, args.format, &report)
}

/// The presets to take back, each with those it extends, each once. Each named preset is
/// composed on its own: presets applied one after the other (one with `--force`) may not compose
/// together.
fn presets(
    ctx: &Context<'_>,
    workspace: &Workspace,
    library: &Library,
    args: &RemoveOptions,
) -> Result<Vec<Rc<Preset>>> {
    let mut presets: Vec<Rc<Preset>> = Vec::new();
    for name in &args.presets {
        let mut composition = compose(library, std::slice::from_ref(name))?;
        if let Some(to) = &args.profile {
            // Moved as `apply --profile` moved it (the variant this toolchain takes); an
            // `inherits` the file had before has no marker of ours, so it stays.
            let names = std::slice::from_ref(name);
            composition = super::show::for_toolchain(ctx, Some(workspace), library, composition, names)?.0;
            composition = composition.to_profile(to, &Default::default())?;
        }
        for preset in composition.presets {
            if !presets.iter().any(|p| p.name == preset.name) {
                presets.push(preset);
            }
        }
    }
    Ok(presets)
}

fn print(ctx: &mut Context<'_>, format: Format, report: &RemoveReport) -> Result<i32> {
    if format == Format::Json {
        ctx.shell.print(&crate::report::json(report)?)?;
    }
    Ok(0)
}
