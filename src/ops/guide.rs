//! The guided mode (`cargo presets` on a terminal, `apply --interactive`): pick presets, pick the
//! file, settle each conflict, see the diff, confirm. It drives the same `apply` as the command
//! line (`prepare` and `finish`), so every guarantee holds, and ends with the command line that
//! does the same without questions.

mod packages;

use crate::cargo::workspace::Workspace;
use crate::compose;
use crate::destination::{Destination, Target};
use crate::edit::FileKind;
use crate::error::{Error, Result};
use crate::files;
use crate::library::Library;
use crate::ops::apply::{self, ApplyOptions};
use crate::ops::write::{self, Purpose};
use crate::ops::{Context, Format};
use crate::plan::plan;
use crate::prompt::{self, Confirm, Input, Item, MultiSelect, Select};
use crate::shell::Verbosity;

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
    compose::compose(&library, &presets)?;

    // 2. The file. Presets for this machine only may not go into a file shared through git: in
    // a selection that mixes them with others, the file asked for is the others', and the
    // machine's presets go to the personal config file where that one would refuse them.
    let (mine, others): (Vec<String>, Vec<String>) =
        presets.iter().cloned().partition(|name| library.get(name).is_ok_and(|p| p.machine_specific));
    let mixed = !mine.is_empty() && !others.is_empty();
    let (asked_for, moved): (&[String], &[String]) = if mixed { (&others, &mine) } else { (&presets, &[]) };
    let Some(to) = ask_file(colour, workspace.is_some(), &library, asked_for, moved)? else {
        return Ok(cancelled(ctx));
    };
    let all = Part::new(ctx, presets.clone(), to)?;
    let mut parts = match mixed && all.refuses(&library, &mine) {
        true => {
            let personal = Part::new(ctx, mine, Destination::User)?;
            ctx.shell.note(format!(
                "{} is for this machine only: it goes to `{}`, the others to `{}`",
                personal.presets.join(", "),
                ctx.display(&personal.target.path),
                ctx.display(&all.target.path)
            ));
            vec![Part { presets: others, ..all }, personal]
        }
        false => vec![all],
    };

    // 3. The profile, for one preset that writes one: its own, or another (`--profile`).
    if let [part] = &mut parts[..]
        && !ask_profile(ctx, colour, part)?
    {
        return Ok(cancelled(ctx));
    }
    // Then, for presets whose settings are for dependencies, which packages (`--package`).
    for part in &mut parts {
        if !packages::ask(ctx, colour, part)? {
            return Ok(cancelled(ctx));
        }
    }

    // 4. Each conflict with a hand-written value: keep it, or take the preset's.
    for part in &mut parts {
        if !part.settle_conflicts(ctx, colour)? {
            return Ok(cancelled(ctx));
        }
    }

    // 5. The diffs, and the question.
    let requests: Vec<ApplyOptions> = parts.iter().map(Part::request).collect();
    // No lock while the person reads the diff and answers, which can take all afternoon: other
    // runs would wait on it and give up. The lock is taken to write, and the write checks under
    // it that each file is still what its diff was made from (writing nothing if not).
    let mut changed = Vec::new();
    for (part, request) in parts.iter().zip(&requests) {
        let prepared = apply::prepare(ctx, &part.workspace, &part.library, request, &part.target)?;
        match prepared.diff(ctx) {
            Some(diff) => {
                ctx.shell.print(&crate::shell::colour_diff(&diff))?;
                changed.push((prepared, &part.target.path));
            }
            None => ctx.shell.status("Unchanged", format!("{}: already applied", ctx.display(&part.target.path))),
        }
    }
    if changed.is_empty() {
        return Ok(0);
    }
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
    let mut profiles: Vec<String> = Vec::new();
    for profile in changed.iter().flat_map(|(prepared, _)| prepared.profiles()) {
        if !profiles.contains(&profile) {
            profiles.push(profile);
        }
    }
    let paths: Vec<&std::path::Path> = changed.iter().map(|(_, path)| path.as_path()).collect();
    let mut lock = files::lock(&paths)?;
    apply::finish_together(ctx, changed.into_iter().map(|(prepared, _)| prepared).collect(), &mut lock)?;

    // 6. What next.
    ctx.shell.print(&next_steps(&profiles, &parts))?;
    Ok(0)
}

/// Asks which file the presets `asked_for` go into; `None` when cancelled. `moved`, presets for
/// this machine only picked with them, are said to go elsewhere where that file would refuse them.
fn ask_file(
    colour: bool,
    in_workspace: bool,
    library: &Library,
    asked_for: &[String],
    moved: &[String],
) -> Result<Option<Destination>> {
    let mixed = !moved.is_empty();
    let config_only: Vec<&str> = asked_for
        .iter()
        .filter(|name| library.get(name).is_ok_and(|p| p.needs_config_file()))
        .map(String::as_str)
        .collect();
    let mut places = Vec::new();
    if in_workspace && config_only.is_empty() {
        places.push((
            Destination::Manifest,
            "the workspace Cargo.toml",
            "committed with the project; every clone gets it",
        ));
    }
    if in_workspace {
        places.push((Destination::Config, ".cargo/config.toml", "the workspace's config file; it beats Cargo.toml"));
    }
    places.push((Destination::User, "your $CARGO_HOME/config.toml", "yours alone, for every project you build"));
    let mut title = match mixed {
        true => format!("Where should {} go?", asked_for.join(", ")),
        false => "Where should they go?".to_owned(),
    };
    if !config_only.is_empty() {
        title.push_str(&format!(" ({} only go into config files)", config_only.join(", ")));
    }
    // Where the machine's presets go depends on the file: say so under each but the personal one.
    let moves = format!(
        "\n\n{} is for this machine only: if this file is Cargo.toml or shared through git, it goes to your $CARGO_HOME/config.toml instead.",
        moved.join(", ")
    );
    let items = places
        .iter()
        .map(|(place, label, detail)| match mixed && *place != Destination::User {
            true => item(label, &format!("{detail}{moves}")),
            false => item(label, detail),
        })
        .collect();
    let mut select = Select::new(title, items);
    let place = prompt::ask(colour, &mut select, |&i| format!("File: {}", places[i].1)).map_err(ask_failed)?;
    Ok(place.map(|i| places[i].0.clone()))
}

/// Asks which profile the one preset of `part` goes into, where it writes one profile that
/// `--profile` can move: its own (the default), one the file has already that `apply --profile`
/// would take, or a name typed, refused inline as `apply --profile` refuses it. `false` when
/// cancelled; no question for other presets.
fn ask_profile(ctx: &Context<'_>, colour: bool, part: &mut Part) -> Result<bool> {
    let [preset] = &part.presets[..] else { return Ok(true) };
    let Some(own) = compose::compose(&part.library, &part.presets)?.movable_profile().map(str::to_owned) else {
        return Ok(true);
    };
    let existing = apply::profiles_at(ctx, &part.workspace, &part.target)?;
    let refusal = |name: &str| {
        let moved = compose::compose(&part.library, &part.presets)?.to_profile(name, &existing)?;
        plan(&moved, &existing).map(|_| ())
    };
    let mut names = vec![own.clone()];
    let mut items =
        vec![item(&format!("{own}, the preset's own"), &format!("`[profile.{own}]`, as `{preset}` is written"))];
    for (name, parent) in &existing {
        if *name != own && refusal(name).is_ok() {
            let inherits = parent.as_ref().map(|p| format!(" (inherits {p})")).unwrap_or_default();
            let detail = format!(
                "`[profile.{name}]`{inherits}, which this workspace has: the settings of `{preset}` go into it"
            );
            items.push(item(name, &detail));
            names.push(name.clone());
        }
    }
    items.push(item(
        "another name…",
        &format!(
            "A profile of your own: `[profile.NAME]`, created with the `inherits` the settings of `{preset}` need"
        ),
    ));
    let title = format!("Which profile should {preset} go into?");
    let mut select = Select::new(title.clone(), items);
    let summary = |name: &String| format!("Profile: {name}");
    let chosen = match prompt::ask(colour, &mut select, |&i| match names.get(i) {
        Some(name) => summary(name),
        None => "Profile: another name…".to_owned(),
    })
    .map_err(ask_failed)?
    {
        None => return Ok(false),
        Some(i) if i < names.len() => names[i].clone(),
        Some(_) => {
            let hint =
                format!("The settings of `{preset}` go into `[profile.NAME]`; cargo builds it with `--profile NAME`.");
            let mut input = Input::new(format!("Profile for {preset}, a name of your own:"), hint, |name: &str| {
                refusal(name).map_err(|e| e.to_string())
            });
            match prompt::ask(colour, &mut input, summary).map_err(ask_failed)? {
                Some(name) => name,
                None => return Ok(false),
            }
        }
    };
    part.profile = (chosen != own).then_some(chosen);
    Ok(true)
}

/// The builds to try next, and the commands that do the same without questions.
fn next_steps(profiles: &[String], parts: &[Part]) -> String {
    let mut next: Vec<String> = profiles
        .iter()
        .map(|p| match p.as_str() {
            "dev" => "  cargo build".to_owned(),
            "release" => "  cargo build --release".to_owned(),
            other => format!("  cargo build --profile {other}"),
        })
        .collect();
    next.push("  cargo presets check".to_owned());
    let commands: Vec<String> = parts.iter().map(|part| format!("  {}", shell_words(&part.command()))).collect();
    format!("\nNext:\n{}\n\nThe same without questions, for a script:\n{}\n", next.join("\n"), commands.join("\n"))
}

/// Presets going into one file, with the answers about it.
struct Part {
    presets: Vec<String>,
    to: Destination,
    workspace: Workspace,
    library: Library,
    target: Target,
    /// Hand-written values kept (`--keep`); the other conflicts take the preset's (`--force`).
    keep: Vec<String>,
    force: bool,
    /// The profile the preset's one profile is written as (`--profile`).
    profile: Option<String>,
    /// The packages the settings for every dependency are written for (`--package`).
    packages: Vec<String>,
}

impl Part {
    fn new(ctx: &mut Context<'_>, presets: Vec<String>, to: Destination) -> Result<Part> {
        let (workspace, library) = ctx.workspace_for(&to)?;
        let (target, _) = write::target(ctx, &workspace, &to, Purpose::Write)?;
        Ok(Part {
            presets,
            to,
            workspace,
            library,
            target,
            keep: Vec::new(),
            force: false,
            profile: None,
            packages: Vec::new(),
        })
    }

    fn request(&self) -> ApplyOptions {
        ApplyOptions {
            presets: self.presets.clone(),
            variant: None,
            to: self.to.clone(),
            force: self.force,
            keep: self.keep.clone(),
            profile: self.profile.clone(),
            packages: self.packages.clone(),
            dry_run: false,
            format: Format::Human,
        }
    }

    /// Whether `apply` would refuse the presets `mine` (for this machine only) in this file: it
    /// is Cargo.toml and they need a config file, or it is shared through git (the personal
    /// config file never counts as shared, wherever `$CARGO_HOME` is).
    fn refuses(&self, library: &Library, mine: &[String]) -> bool {
        if self.to == Destination::User {
            return false;
        }
        let need_config = mine.iter().any(|name| library.get(name).is_ok_and(|p| p.needs_config_file()));
        (self.target.kind == FileKind::Manifest && need_config) || files::vcs::shared_through_git(&self.target.path)
    }

    /// Asks about each hand-written value the presets would replace; `false` when cancelled.
    fn settle_conflicts(&mut self, ctx: &mut Context<'_>, colour: bool) -> Result<bool> {
        let probe = ApplyOptions { force: true, dry_run: true, ..self.request() };
        // The probe's `--force` turns some refusals into warnings; the real run says what
        // applies, so the probe says nothing.
        let said = ctx.shell.set_verbosity(Verbosity::Quiet);
        let probed =
            apply::prepare(ctx, &self.workspace, &self.library, &probe, &self.target).map(|p| p.forced().to_vec());
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
                return Ok(false);
            };
            if answer == 0 {
                keep.push(conflict.path.clone());
            }
        }
        self.force = keep.len() < conflicts.len();
        self.keep = keep;
        Ok(true)
    }

    /// The command line that writes this part without questions.
    fn command(&self) -> Vec<String> {
        let mut command = vec!["cargo".to_owned(), "presets".to_owned(), "apply".to_owned()];
        command.extend(self.presets.iter().cloned());
        if let Some(profile) = &self.profile {
            command.extend(["--profile".to_owned(), profile.clone()]);
        }
        for package in &self.packages {
            command.extend(["--package".to_owned(), package.clone()]);
        }
        if self.to != Destination::Manifest {
            command.extend(["--to".to_owned(), self.to.arg()]);
        }
        for key in &self.keep {
            command.extend(["--keep".to_owned(), key.clone()]);
        }
        if self.force {
            command.push("--force".to_owned());
        }
        command
    }
}

fn ask_failed(e: std::io::Error) -> Error {
    Error::new(format!("cannot read the terminal: {e}"))
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
