//! The guided mode (`cargo presets` on a terminal, `apply --interactive`): pick presets, pick the
//! file, settle each conflict, see the diff, confirm. It drives the same `apply` as the command
//! line (`prepare` and `finish`), so every guarantee holds, and ends with the command line that
//! does the same without questions.

use crate::destination::Destination;
use crate::error::{Error, Result};
use crate::ops::Context;
use crate::ops::apply::{self, Request};
use crate::prompt::{self, Confirm, Item, MultiSelect, Select};
use crate::shell::Verbosity;
use crate::{cli::Format, files};

/// Exit status when the person cancels (Esc, Ctrl-C), as a shell reports an interrupt.
pub const CANCELLED: i32 = 130;

/// Exit status when there is no terminal to ask on: a usage error.
pub const NO_TERMINAL: i32 = 2;

pub fn run(ctx: &mut Context<'_>) -> Result<i32> {
    if !prompt::at_a_terminal() {
        ctx.shell.error(
            &Error::new("`--interactive` needs a terminal on stdin and stderr")
                .help("name the presets instead: `cargo presets apply PRESET…` (`cargo presets list` shows them)"),
        );
        return Ok(NO_TERMINAL);
    }
    let colour = ctx.shell.colour_on_stderr();
    let ask_failed = |e: std::io::Error| Error::new(format!("cannot read the terminal: {e}"));

    // 1. The presets.
    let workspace = ctx.optional_workspace()?;
    let library = ctx.library(workspace.as_ref())?;
    let mut items = Vec::new();
    let width = library.entries().iter().map(|e| e.name.len()).max().unwrap_or(0);
    for entry in library.entries() {
        let preset = library.get(&entry.name)?;
        let mut detail = preset.description.trim().to_owned();
        if preset.needs_config_file() {
            detail.push_str("\n\nCargo reads its settings from config files only.");
        }
        items.push(Item {
            label: format!("{:width$}  {}  [{}]", entry.name, preset.summary, entry.origin.kind()),
            name: entry.name.clone(),
            detail,
        });
    }
    let mut picker = MultiSelect::new("Which presets?", items);
    let Some(presets) =
        prompt::ask(colour, &mut picker, |names| format!("Presets: {}", names.join(" "))).map_err(ask_failed)?
    else {
        return Ok(cancelled(ctx));
    };

    // Presets that cannot go together are refused now, not after the file and each conflict
    // were asked for: the composition is the same wherever the presets go.
    crate::compose::compose(&library, &presets)?;

    // 2. The file.
    let config_only: Vec<&str> = presets
        .iter()
        .filter(|name| library.get(name).is_ok_and(|p| p.needs_config_file()))
        .map(String::as_str)
        .collect();
    let mut places = Vec::new();
    if workspace.is_some() && config_only.is_empty() {
        places.push((
            Destination::Manifest,
            "the workspace Cargo.toml",
            "committed with the project; every clone gets it",
        ));
    }
    if workspace.is_some() {
        places.push((Destination::Config, ".cargo/config.toml", "the workspace's config file; it beats Cargo.toml"));
    }
    places.push((Destination::User, "your $CARGO_HOME/config.toml", "yours alone, for every project you build"));
    let mut title = "Where should they go?".to_owned();
    if !config_only.is_empty() {
        title.push_str(&format!(" ({} only go into config files)", config_only.join(", ")));
    }
    let items = places.iter().map(|(_, label, detail)| item(label, detail)).collect();
    let mut select = Select::new(title, items);
    let Some(place) = prompt::ask(colour, &mut select, |&i| format!("File: {}", places[i].1)).map_err(ask_failed)?
    else {
        return Ok(cancelled(ctx));
    };
    let to = places[place].0.clone();

    // 3. Each conflict with a hand-written value: keep it, or take the preset's.
    let (workspace, library) = ctx.workspace_for(&to)?;
    let target = apply::target(ctx, &workspace, &to)?;
    let probe = Request {
        presets: &presets,
        variant: None,
        to: &to,
        force: true,
        keep: &[],
        profile: None,
        dry_run: true,
        format: Format::Human,
    };
    // The probe's `--force` turns some refusals into warnings; the real run below says what
    // applies, so the probe says nothing.
    let said = ctx.shell.set_verbosity(Verbosity::Quiet);
    let probed = apply::prepare(ctx, &workspace, &library, &probe, &target).map(|p| p.forced().to_vec());
    ctx.shell.set_verbosity(said);
    let conflicts = probed?;
    let mut keep = Vec::new();
    for conflict in &conflicts {
        let place = conflict.line.map(|l| format!(" (line {l})")).unwrap_or_default();
        let title = format!(
            "`{}` is {}{place}; preset `{}` sets {}",
            conflict.path, conflict.current, conflict.preset, conflict.wanted
        );
        let options = vec![
            item("keep yours (the preset's value is skipped)", ""),
            item("take the preset's (your line is kept in a comment)", ""),
        ];
        let mut select = Select::new(title, options);
        let path = conflict.path.clone();
        let Some(answer) = prompt::ask(colour, &mut select, |&a| {
            format!("{path}: {}", if a == 0 { "yours kept" } else { "the preset's taken" })
        })
        .map_err(ask_failed)?
        else {
            return Ok(cancelled(ctx));
        };
        if answer == 0 {
            keep.push(conflict.path.clone());
        }
    }
    let force = keep.len() < conflicts.len();

    // 4. The diff, and the question.
    let request = Request {
        presets: &presets,
        variant: None,
        to: &to,
        force,
        keep: &keep,
        profile: None,
        dry_run: false,
        format: Format::Human,
    };
    // No lock while the person reads the diff and answers, which can take all afternoon: other
    // runs would wait on it and give up. The lock is taken to write, and the write checks under
    // it that the file is still what the diff was made from (writing nothing if not).
    let prepared = apply::prepare(ctx, &workspace, &library, &request, &target)?;
    let Some(diff) = prepared.diff(ctx) else {
        ctx.shell.status("Unchanged", format!("{}: already applied", ctx.display(&target.path)));
        return Ok(0);
    };
    ctx.shell.print(&crate::shell::colour_diff(&diff))?;
    let Some(yes) = prompt::ask(colour, &mut Confirm("Apply these changes?".to_owned()), |&yes| {
        format!("Apply these changes? {}", if yes { "yes" } else { "no" })
    })
    .map_err(ask_failed)?
    else {
        return Ok(cancelled(ctx));
    };
    if !yes {
        ctx.shell.status("Skipped", "nothing was written");
        return Ok(0);
    }
    let profiles = prepared.profiles();
    let mut lock = files::lock(&[&target.path])?;
    apply::finish(ctx, prepared, Some(&mut lock), &[])?;

    // 5. What next.
    let mut command = vec!["cargo".to_owned(), "presets".to_owned(), "apply".to_owned()];
    command.extend(presets.iter().cloned());
    if to != Destination::Manifest {
        command.extend(["--to".to_owned(), to.arg()]);
    }
    for key in &keep {
        command.extend(["--keep".to_owned(), key.clone()]);
    }
    if force {
        command.push("--force".to_owned());
    }
    let mut next: Vec<String> = profiles
        .iter()
        .map(|p| match p.as_str() {
            "dev" => "  cargo build".to_owned(),
            "release" => "  cargo build --release".to_owned(),
            other => format!("  cargo build --profile {other}"),
        })
        .collect();
    next.push("  cargo presets check".to_owned());
    ctx.shell.print(&format!(
        "\nNext:\n{}\n\nThe same without questions, for a script:\n  {}\n",
        next.join("\n"),
        shell_words(&command)
    ))?;
    Ok(0)
}

/// Words as a POSIX shell reads them: quoted where they hold anything but plain characters.
fn shell_words(words: &[String]) -> String {
    let plain = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_./=:@+".contains(c));
    let quoted = words.iter().map(|w| if plain(w) { w.clone() } else { format!("'{}'", w.replace('\'', "'\\''")) });
    quoted.collect::<Vec<_>>().join(" ")
}

fn item(label: &str, detail: &str) -> Item {
    Item { label: label.to_owned(), name: label.to_owned(), detail: detail.to_owned() }
}

fn cancelled(ctx: &mut Context<'_>) -> i32 {
    ctx.shell.status("Cancelled", "nothing was written");
    CANCELLED
}
