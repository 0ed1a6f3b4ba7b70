//! The one way a command changes the user's files, shared by `apply`, `remove`, `init` and the
//! guide: resolve the target file ([`target`]: the file cargo reads, with a warning for a legacy
//! name and a note for a symlink), take the lock (a real run), read the file and prepare its new
//! text (each command its own way), then [`show_or_commit`]: for a dry run the change as a diff,
//! and nothing written; otherwise the change committed, all or nothing.

use std::path::{Path, PathBuf};

use crate::cargo::workspace::Workspace;
use crate::destination::{Destination, Legacy, Target};
use crate::error::Result;
use crate::files;
use crate::ops::{Context, Format};

/// What a command does to its file, as its warnings say.
#[derive(Clone, Copy)]
pub enum Purpose {
    /// `apply`, `init`, the guide: the presets' settings go in.
    Write,
    /// `remove`: what presets wrote comes out.
    TakeBack,
}

/// The file a command edits for `to`, with a symlink resolved to the file it points to
/// (replacing the link with a file would silently detach it from what it points to), and the
/// link, if it was one. Says so, and warns about legacy config file names.
pub fn target(
    ctx: &mut Context<'_>,
    workspace: &Workspace,
    to: &Destination,
    purpose: Purpose,
) -> Result<(Target, Option<PathBuf>)> {
    let target = Target::resolve(to, workspace, &ctx.cwd)?;
    let so = match purpose {
        Purpose::Write => "the settings go there",
        Purpose::TakeBack => "the presets are taken out of it",
    };
    match &target.legacy {
        Some(Legacy::Only) => ctx
            .shell
            .warn(format!("`{}` uses the legacy file name; cargo still reads it, so {so}", ctx.display(&target.path))),
        Some(Legacy::Shadows(ignored)) => ctx.shell.warn(format!(
            "both `{}` and `{}` exist; cargo reads only `{0}`, so {so}",
            ctx.display(&target.path),
            ctx.display(ignored)
        )),
        None => {}
    }
    let (target, link) = target.follow_symlink()?;
    if let Some(link) = &link {
        let real = ctx.display(&target.path);
        ctx.shell.note(format!("`{}` is a symlink; editing the file it points to, `{real}`", ctx.display(link)));
    }
    Ok((target, link))
}

/// A file's new text, prepared and not yet written.
pub struct Pending<'a> {
    /// The file as found (a resolved target's path), which messages and diffs name.
    pub path: &'a Path,
    /// The same file for I/O from here (lossless).
    pub file: &'a Path,
    /// The workspace root: diffs name files relative to it, as git does.
    pub root: &'a Path,
    /// The text as read, under the lock; `None` for a file not there yet.
    pub original: Option<&'a str>,
    /// The new text; `None` deletes the file.
    pub text: Option<&'a str>,
}

/// What [`show_or_commit`] did.
pub enum Written {
    /// The file already had the new text; only `also` was written.
    Unchanged,
    /// A dry run: the change as a unified diff, nothing written.
    DryRun(String),
    /// The change is on disk.
    Committed,
}

/// The last step: for a dry run, the diff, printed for people (JSON carries it in the command's
/// report), and a warning that `command` wrote nothing; otherwise the change together with
/// `also` (other files of the same command) in one all-or-nothing commit under `lock`, which a
/// real run took before it read the file.
pub fn show_or_commit(
    ctx: &mut Context<'_>,
    command: &str,
    pending: &Pending<'_>,
    dry_run: bool,
    format: Format,
    lock: Option<&mut files::Lock>,
    also: &[files::Change<'_>],
) -> Result<Written> {
    let unchanged = pending.original == pending.text;
    if dry_run {
        if unchanged {
            return Ok(Written::Unchanged);
        }
        let diff = ctx.diff(pending.root, pending.path, pending.original, pending.text);
        if format == Format::Human {
            ctx.shell.print(&crate::shell::colour_diff(&diff))?;
        }
        ctx.shell.warn(format!("aborting {command} due to dry run"));
        return Ok(Written::DryRun(diff));
    }
    let ours = match (pending.original, pending.text) {
        (Some(expected), None) => Some(files::Change::Remove { path: pending.file, expected }),
        (expected, Some(text)) if !unchanged => Some(files::Change::Write { path: pending.file, expected, text }),
        _ => None,
    };
    let changes: Vec<files::Change<'_>> = ours.into_iter().chain(also.iter().copied()).collect();
    files::commit(lock.expect("a real run holds the lock"), &changes)?;
    Ok(if unchanged { Written::Unchanged } else { Written::Committed })
}
