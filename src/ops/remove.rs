//! `cargo presets remove`: takes back exactly what `apply` wrote for a preset (and the presets
//! it extends, which `apply` wrote with it).

use crate::cargo::workspace::Target;
use crate::cli::RemoveArgs;
use crate::compose::compose;
use crate::edit::{self, Removal, marker};
use crate::error::Result;
use crate::files;
use crate::ops::Context;
use crate::shell::plural;

pub fn run(ctx: &mut Context<'_>, args: &RemoveArgs) -> Result<i32> {
    let (workspace, library) = ctx.workspace_for(&args.to)?;
    // Each preset on its own: presets applied one after the other (one with `--force`) may not
    // compose together.
    let mut presets: Vec<std::rc::Rc<crate::preset::Preset>> = Vec::new();
    for name in &args.presets {
        let mut composition = compose(&library, std::slice::from_ref(name))?;
        if let Some(to) = &args.profile {
            // Moved as `apply --profile` moved it (the variant this toolchain takes); an
            // `inherits` the file had before has no marker of ours, so it stays.
            let names = std::slice::from_ref(name);
            composition = super::show::for_toolchain(ctx, Some(&workspace), &library, composition, names)?.0;
            composition = composition.to_profile(to, &Default::default())?;
        }
        for preset in composition.presets {
            if !presets.iter().any(|p| p.name == preset.name) {
                presets.push(preset);
            }
        }
    }
    let (target, link) = Target::resolve(&args.to, &workspace, &ctx.cwd)?.follow_symlink()?;
    let file = ctx.relative(&target.path);
    let shown = ctx.display(&target.path);
    let mut lock = if args.dry_run { None } else { Some(files::lock(&[&target.path])?) };
    let Some(original) = files::read_optional(&file)? else {
        ctx.shell.status("Unchanged", format!("{shown} does not exist"));
        return Ok(0);
    };

    // Last applied first, as `apply` layered them.
    let mut text = original.clone();
    let mut total = Removal::default();
    for preset in presets.iter().rev() {
        let removal = edit::remove(&edit::parse(&file, &text)?, preset, target.kind)?;
        text = removal.text;
        total.removed.extend(removal.removed);
        total.restored.extend(removal.restored);
        total.changed.extend(removal.changed);
    }
    for (path, current) in &total.changed {
        ctx.shell.warn(format!("left `{path} = {current}` in {shown}: it was changed after the preset wrote it"));
    }
    let names: Vec<&str> = presets.iter().map(|p| p.name.as_str()).collect();
    let names = names.join(", ");
    if text == original {
        ctx.shell.status("Unchanged", format!("{shown} ({names}: nothing of it here)"));
        return Ok(0);
    }
    // Through a symlink the file is someone's dotfile: never delete it, even if we made it.
    let delete = link.is_none() && marker::only_our_header(&original, &text);
    if args.dry_run {
        let new = if delete { None } else { Some(text.as_str()) };
        let diff = ctx.diff(workspace.root(), &target.path, Some(&original), new);
        ctx.shell.print(&crate::shell::colour_diff(&diff))?;
        ctx.shell.warn("aborting remove due to dry run");
        return Ok(0);
    }
    let lock = lock.as_mut().expect("a real run holds the lock");
    let mut summary = vec![plural(total.removed.len(), "key removed", "keys removed")];
    if !total.restored.is_empty() {
        summary.push(plural(total.restored.len(), "hand-written value restored", "hand-written values restored"));
    }
    if delete {
        files::commit(lock, &[files::Change::Remove { path: &file, expected: &original }])?;
        // The directory `apply` created for the file goes too, unless something else is in it.
        let summary = summary.join(", ");
        let message = if marker::created_its_directory(&original) && files::remove_empty_dir(files::dir_of(&file)) {
            let directory = ctx.display(files::dir_of(&target.path));
            format!(
                "{shown} and {directory} ({names}: {summary}; cargo presets created them and nothing else is in them)"
            )
        } else {
            format!("{shown} ({names}: {summary}; cargo presets created it and nothing else is in it)")
        };
        ctx.shell.status("Removing", message);
    } else {
        files::commit(lock, &[files::Change::Write { path: &file, expected: Some(&original), text: &text }])?;
        ctx.shell.status("Updating", format!("{shown} ({names}: {})", summary.join(", ")));
    }
    Ok(0)
}
