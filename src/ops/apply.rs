//! `cargo presets apply`: compose presets and write them into one file.

pub(super) mod config;

use std::path::PathBuf;

use serde::Serialize;

use crate::cargo::effective::{Layer, Layers};
use crate::cargo::reading;
use crate::cargo::schema::{Key, Value};
use crate::cargo::toolchain;
use crate::cargo::workspace::Workspace;
use crate::compose::{self, Composition};
use crate::destination::{Destination, Target};
use crate::edit::{self, Change, Edit, FileKind};
use crate::error::{Error, Result};
use crate::files;
use crate::library::Library;
use crate::ops::write::{self, Pending, Purpose, Written};
use crate::ops::{Context, Format};
use crate::plan::{ExistingProfiles, Plan, plan};
use crate::render::Renderer;
use crate::shell::plural;

pub fn run(ctx: &mut Context<'_>, args: &ApplyOptions) -> Result<i32> {
    let (workspace, library) = ctx.workspace_for(&args.to)?;
    let (target, _) = write::target(ctx, &workspace, &args.to, Purpose::Write)?;
    // Held from before the file is read until after it is replaced: a concurrent run waits and
    // then sees our result.
    let mut lock = if args.dry_run { None } else { Some(files::lock(&[&target.path])?) };
    let prepared = prepare(ctx, &workspace, &library, args, &target)?;
    note_shadowing(ctx, &library, &prepared.composition);
    if args.packages.is_empty() {
        note_named_only(ctx, &prepared.composition);
    }
    let profiles = prepared.profiles();
    let result = finish(ctx, prepared, lock.as_mut(), &[])?;
    if result.action != Action::Unchanged {
        note_library_only(ctx, &workspace, &profiles, &args.to);
    }
    if args.format == Format::Json {
        ctx.shell.print(&crate::report::json(&result)?)?;
    }
    Ok(0)
}

/// One `apply`: what to write, where, and how to report it. `init` and the guide ask for theirs
/// through it too.
pub struct ApplyOptions {
    /// The presets to compose, in order.
    pub presets: Vec<String>,
    /// The variant asked for with `--variant`.
    pub variant: Option<String>,
    pub to: Destination,
    /// Replace hand-written values (`--force`).
    pub force: bool,
    /// Keys whose hand-written value stays (`--keep`).
    pub keep: Vec<String>,
    /// The profile the presets' one profile is written as (`--profile`).
    pub profile: Option<String>,
    /// The packages the presets' settings for every dependency are written for (`--package`).
    pub packages: Vec<String>,
    /// Show the change as a diff and write nothing.
    pub dry_run: bool,
    pub format: Format,
}

impl ApplyOptions {
    /// The presets and the `--package` flags, as the command that wrote a file names them.
    pub(super) fn command_words(&self) -> Vec<String> {
        let flags = self.packages.iter().flat_map(|p| ["--package".to_owned(), p.clone()]);
        self.presets.iter().cloned().chain(flags).collect()
    }
}

/// What `apply` did to one file: its report, and what `--format json` prints.
#[derive(Serialize)]
pub struct Applied {
    /// The file as the user names it from here.
    file: String,
    action: Action,
    presets: Vec<String>,
    /// The profile of `--profile`.
    profile: Option<String>,
    /// The variant taken for each preset that has variants, and why.
    variants: Vec<crate::preset::Choice>,
    changes: Vec<KeyChange>,
    tables_added: usize,
    /// The change, for a dry run.
    diff: Option<String>,
}

/// What became of a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Created,
    Updated,
    Unchanged,
    /// Would be created or updated: a dry run writes nothing.
    DryRun,
}

/// A key the presets write, and what happened to it.
#[derive(Serialize)]
struct KeyChange {
    key: String,
    value: Value,
    preset: String,
    /// `added`, `updated`, `forced`, `kept` or `kept-yours`.
    change: &'static str,
}

/// In a workspace of libraries only, a profile for what is shipped (any but `dev` and `test`)
/// never reaches the builds that matter: cargo uses the profiles of the workspace it builds and
/// ignores a dependency's, so the users of these libraries never get it. Says so.
fn note_library_only(ctx: &mut Context<'_>, workspace: &Workspace, profiles: &[String], to: &Destination) {
    let shipping: Vec<String> =
        profiles.iter().filter(|p| !matches!(p.as_str(), "dev" | "test")).map(|p| format!("`[profile.{p}]`")).collect();
    // `--to user` reaches every project on the machine; a standalone file, the builds that use it.
    let here = matches!(to, Destination::Manifest | Destination::Config);
    if shipping.is_empty() || !here || workspace.member_names.is_empty() || !workspace.linked_members().is_empty() {
        return;
    }
    ctx.shell.note(format!(
        "this workspace has no binary target, only libraries: {} reaches only its own tests, benches and examples, never the builds of crates that depend on it (cargo ignores dependencies' profiles)",
        shipping.join(", ")
    ));
}

/// `--package` names are checked against `Cargo.lock` (no process): a name cargo would not
/// match leaves an override that silently does nothing. Without a lock file they cannot be.
fn check_packages(ctx: &mut Context<'_>, workspace: &Workspace, specs: &[String]) -> Result<()> {
    let locked = crate::cargo::lockfile::locked_versions(workspace.root());
    crate::packages::check_specs(specs, locked.as_ref())?;
    if locked.is_none() {
        let names: Vec<String> = specs.iter().map(|s| format!("`{s}`")).collect();
        ctx.shell.warn(format!(
            "no Cargo.lock beside {}: {} could not be checked; cargo ignores an override that matches no package, with a warning\nhelp: `cargo generate-lockfile` writes it, and `cargo presets check` then checks the names",
            ctx.display(&workspace.manifest),
            names.join(", ")
        ));
    }
    Ok(())
}

/// A preset whose per-package settings are only for named packages (`hint-mostly-unused`)
/// applied without `--package`: its other settings went in; says how to name the packages.
fn note_named_only(ctx: &mut Context<'_>, composition: &Composition) {
    for preset in composition.named_only() {
        ctx.shell.note(format!(
            "preset `{preset}` writes its per-package settings only for the packages you name, never for every dependency: `cargo presets apply {preset} --package CRATE`"
        ));
    }
}

/// A project or personal preset with the name of another (usually a built-in) is what `apply`
/// uses: say so, since the name promises the other one.
pub fn note_shadowing(ctx: &mut Context<'_>, library: &Library, composition: &Composition) {
    for preset in &composition.presets {
        let Some(entry) = library.entry(&preset.name) else { continue };
        let (Some(hidden), Some(path)) = (entry.shadows.first(), entry.origin.path()) else { continue };
        ctx.shell.note(format!(
            "preset `{}` is the {} one in `{}`, which shadows the {} preset of that name",
            preset.name,
            entry.origin.kind(),
            ctx.display(path),
            hidden.kind()
        ));
    }
}

/// Everything `apply` decided, before anything is written.
pub struct Prepared<'a> {
    /// The file as the user names it from here; also the path for I/O (lossless).
    file: PathBuf,
    /// The file as found, and the workspace root, which diffs name files relative to.
    path: PathBuf,
    root: PathBuf,
    original: Option<String>,
    outcome: edit::Outcome,
    plan: Plan,
    composition: Composition,
    request: &'a ApplyOptions,
    /// Written already, in one commit with other files ([`finish_together`]): `finish` reports.
    committed: bool,
}

impl Prepared<'_> {
    pub fn composition(&self) -> &Composition {
        &self.composition
    }

    /// The hand-written values `--force` replaces.
    pub fn forced(&self) -> &[edit::Conflict] {
        &self.outcome.forced
    }

    /// The change as a unified diff; `None` when there is none.
    pub fn diff(&self, ctx: &Context<'_>) -> Option<String> {
        let unchanged = self.original.as_deref() == Some(self.outcome.text.as_str());
        (!unchanged).then(|| ctx.diff(&self.root, &self.path, self.original.as_deref(), Some(&self.outcome.text)))
    }

    /// The write that makes the file what the diff shows; `None` when there is nothing to write.
    fn change(&self) -> Option<files::Change<'_>> {
        let unchanged = self.original.as_deref() == Some(self.outcome.text.as_str());
        let write =
            files::Change::Write { path: &self.file, expected: self.original.as_deref(), text: &self.outcome.text };
        (!unchanged).then_some(write)
    }

    /// The profiles the presets write, each once.
    pub fn profiles(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for table in &self.plan.tables {
            if !names.contains(&table.path.profile) {
                names.push(table.path.profile.clone());
            }
        }
        names
    }
}

/// The profiles there are for presets written into a file of `kind` parsed as `parsed`, with
/// their `inherits`: the file's, and for a config file the manifest's too.
fn existing_profiles(workspace: &Workspace, parsed: &edit::Parsed, kind: FileKind) -> ExistingProfiles {
    let mut existing = parsed.profiles();
    if kind == FileKind::Config {
        // A config profile may inherit one the manifest defines.
        for (name, parent) in workspace.parsed.profiles() {
            existing.entry(name).or_insert(parent);
        }
    }
    existing
}

/// The profiles there are for presets written into `target` as it is now (read, not locked: the
/// guide asks with them, and `prepare` reads the file again).
pub fn profiles_at(ctx: &Context<'_>, workspace: &Workspace, target: &Target) -> Result<ExistingProfiles> {
    let file = ctx.relative(&target.path);
    let parsed = edit::parse(&file, files::read_optional(&file)?.as_deref().unwrap_or(""))?;
    Ok(existing_profiles(workspace, &parsed, target.kind))
}

/// Reads the target file and works out its new text. Pure apart from reading: nothing is
/// written, so a caller can check everything it will write before writing any of it.
pub fn prepare<'a>(
    ctx: &mut Context<'_>,
    workspace: &Workspace,
    library: &Library,
    request: &'a ApplyOptions,
    target: &Target,
) -> Result<Prepared<'a>> {
    let args = request;
    // Where cargo refuses to load its configuration, every cargo command fails: presets written
    // now would never be read, whichever file they go to (the refusing one included: apply does
    // not rewrite a key it does not own, and cargo does not follow that `include` until it is
    // fixed, so what the included file sets is not known here). Nothing is written.
    let configs = reading::configuration(ctx)?;
    let (mut composition, machine) = config::compose(ctx, workspace, library, args, target)?;
    config::check_target(ctx, &composition, machine.as_ref(), target, args)?;
    let file = ctx.relative(&target.path);
    // The manifest must exist (it was found); any other file may be created.
    let original = match target.kind {
        FileKind::Manifest => Some(files::read(&file)?),
        FileKind::Config => files::read_optional(&file)?,
    };
    let original_text = original.as_deref().unwrap_or("");
    check_declared_in_file(ctx, library, &composition, original_text, &file, args.force)?;
    let creates_directory = original.is_none() && !files::dir_of(&file).is_dir();
    // Discovery parsed the manifest already; read again under the lock, it is usually the same.
    let reparsed;
    let parsed = match original.as_deref() {
        Some(text) if workspace.parsed.is_of(text) => workspace.parsed.as_ref(),
        _ => {
            reparsed = edit::parse(&file, original_text)?;
            &reparsed
        }
    };
    let existing = existing_profiles(workspace, parsed, target.kind);
    composition = composition.for_packages(&args.packages)?;
    if !args.packages.is_empty() {
        check_packages(ctx, workspace, &args.packages)?;
    }
    if let Some(to) = &args.profile {
        composition = composition.to_profile(to, &existing)?;
    }
    let plan = plan(&composition, &existing)?;
    let gate = check_gates(ctx, &plan, &composition, target, workspace, args)?;
    // Where flags go is said as it is decided; after a refusal for a gate it would be news about
    // a write that cannot happen here, so they stay where the presets put them.
    if gate.is_none()
        && let Some(machine) = &machine
        && composition.config.iter().any(|c| c.setting.path.is_rustflags())
    {
        let shown = ctx.display(&target.path);
        let layers = config::layers_with(ctx, workspace, configs, &shown, original_text)?;
        config::place_flags(ctx, &mut composition, machine, &layers, &shown, args.force)?;
    }

    check_keep(&composition, &args.keep)?;
    let edit = Edit {
        file: &file,
        kind: target.kind,
        force: args.force,
        keep: &args.keep,
        // Only a file we create gets our header: it is how `remove` knows the file is ours, and
        // whether its directory is ours too.
        new_file_header: if original.is_none() {
            new_file_header(&args.to, &args.command_words(), ctx, &plan, &composition, creates_directory)
        } else {
            Vec::new()
        },
        creates_directory,
    };
    // Every problem apply would meet is named in one refusal, each with its way out, rather than
    // one per run.
    let mut problems = Vec::new();
    // A preset moved with `--profile` or `--package` wrote its values under the new names: look
    // it up as moved.
    let moved = args.profile.is_some() || !args.packages.is_empty();
    let preset = |name: &str| {
        let as_moved = moved.then(|| composition.presets.iter().find(|p| p.name == name).cloned()).flatten();
        as_moved.or_else(|| library.get(name).ok())
    };
    let mut outcome = match edit::apply(parsed, &plan, &composition, &edit, &preset) {
        Ok(outcome) => outcome,
        Err(conflicts) if !args.force => {
            // The text `--force` would write shows what else is in the way (a value relied on).
            let forced = Edit { force: true, new_file_header: edit.new_file_header.clone(), ..edit };
            let Ok(outcome) = edit::apply(parsed, &plan, &composition, &forced, &preset) else {
                return Err(gate.unwrap_or(conflicts));
            };
            problems.push(conflicts);
            outcome
        }
        Err(error) => return Err(gate.unwrap_or(error)),
    };
    let relied = Relied {
        composition: &composition,
        library,
        workspace,
        target,
        file: &file,
        original: original_text,
        existing: &existing,
    };
    if let Some(gate) = gate {
        // Its way out is mostly another file, where this one's problems do not arise; whoever
        // pins nightly instead gets them too, one line each.
        let mut text = outcome.text.clone();
        let mut brief: Vec<String> = outcome.forced.iter().map(|c| conflict_brief(c, &file)).collect();
        brief.extend(check_relied(ctx, &relied, &mut text, false)?.into_iter().flat_map(|p| p.brief));
        return Err(match brief.is_empty() {
            true => gate,
            false => brief.into_iter().fold(
                gate.detail(format!("with nightly pinned, applying to `{}` would also meet:", file.display())),
                |error, line| error.detail(format!("  {line}")),
            ),
        });
    }
    problems.extend(check_relied(ctx, &relied, &mut outcome.text, args.force)?.map(|p| p.error));
    if !problems.is_empty() {
        return Err(Error::several(format!("`{}` cannot take these presets as it is", file.display()), problems));
    }
    Ok(Prepared {
        file,
        path: target.path.clone(),
        root: workspace.root().to_owned(),
        original,
        outcome,
        plan,
        composition,
        request,
        committed: false,
    })
}

/// Writes what `prepare` decided, together with `also` (other files of the same command, in one
/// all-or-nothing commit), and says what happened: the [`Applied`] report tools get. Status
/// lines and, for a human dry run, the diff, are printed on the way. `lock` is `None` for a dry
/// run, and for a file [`finish_together`] wrote.
pub fn finish(
    ctx: &mut Context<'_>,
    prepared: Prepared<'_>,
    lock: Option<&mut files::Lock>,
    also: &[files::Change<'_>],
) -> Result<Applied> {
    let Prepared { file, path, root, original, outcome, plan, composition, request: args, committed } = prepared;
    let shown = ctx.display(&path);
    let names: Vec<&str> = composition.presets.iter().map(|p| p.name.as_str()).collect();
    let report = |action: Action, diff: Option<String>| {
        let changes = outcome
            .changes
            .iter()
            .filter_map(|(path, change)| {
                let composed = composition.settings.iter().find(|c| c.setting.path == *path)?;
                Some(KeyChange {
                    key: path.to_string(),
                    value: composed.setting.value.clone(),
                    preset: composed.preset.clone(),
                    change: change_name(change),
                })
            })
            .chain(outcome.config_changes.iter().filter_map(|(path, preset, change)| {
                let composed = composition.config.iter().find(|c| c.setting.path == *path && c.preset == *preset)?;
                Some(KeyChange {
                    key: path.to_string(),
                    value: composed.setting.value.clone(),
                    preset: preset.clone(),
                    change: change_name(change),
                })
            }))
            .collect();
        Applied {
            file: shown.clone(),
            action,
            presets: names.iter().map(|n| (*n).to_owned()).collect(),
            profile: args.profile.clone(),
            variants: composition.choices.clone(),
            changes,
            tables_added: outcome.tables_added,
            diff,
        }
    };
    let names = names.join(", ");
    if composition.settings.is_empty() && composition.config.is_empty() {
        ctx.shell.status("Unchanged", format!("{shown} ({names}: nothing to write on this machine)"));
        return Ok(report(Action::Unchanged, None));
    }
    let written = if committed {
        // `finish_together` wrote the changed ones with the other files of the command.
        if original.as_deref() == Some(outcome.text.as_str()) { Written::Unchanged } else { Written::Committed }
    } else {
        let pending =
            Pending { path: &path, file: &file, root: &root, original: original.as_deref(), text: Some(&outcome.text) };
        write::show_or_commit(ctx, "apply", &pending, args.dry_run, args.format, lock, also)?
    };
    match written {
        Written::Unchanged => {
            ctx.shell.status("Unchanged", format!("{shown} ({names}: {})", unchanged_because(&outcome)));
            return Ok(report(Action::Unchanged, None));
        }
        Written::DryRun(diff) => return Ok(report(Action::DryRun, Some(diff))),
        Written::Committed => {}
    }

    for (path, change) in &outcome.changes {
        let Some(composed) = composition.settings.iter().find(|c| c.setting.path == *path) else { continue };
        let (verb, note) = match change {
            Change::Added => ("Adding", String::new()),
            Change::Updated { from } => ("Replacing", format!(", replacing `{from}`'s value")),
            Change::Forced => ("Replacing", ", replacing a hand-written value".to_owned()),
            Change::Kept => ("Keeping", ", already set".to_owned()),
            Change::KeptYours => ("Keeping", ", your value instead of the preset's (--keep)".to_owned()),
        };
        ctx.shell.verbose_status(verb, format!("{path} = {} ({}{note})", composed.setting.value, composed.preset));
    }
    for (path, preset, change) in &outcome.config_changes {
        let Some(composed) = composition.config.iter().find(|c| c.setting.path == *path && c.preset == *preset) else {
            continue;
        };
        let verb = if matches!(change, Change::Kept | Change::KeptYours) { "Keeping" } else { "Adding" };
        let op = if path.is_rustflags() { "+=" } else { "=" };
        ctx.shell.verbose_status(verb, format!("{path} {op} {} ({preset})", composed.setting.value));
    }
    let verb = if original.is_some() { "Updating" } else { "Creating" };
    ctx.shell.status(verb, format!("{shown} ({names}: {})", summary(&outcome)));
    let custom: Vec<&str> = plan.custom_profiles().into_iter().collect();
    if !custom.is_empty() {
        let examples: Vec<String> = custom.iter().map(|p| format!("`cargo build --profile {p}`")).collect();
        ctx.shell.note(format!("select the new profiles with {}", examples.join(", ")));
    }
    match &args.to {
        Destination::File(_) => {
            ctx.shell.note(format!("use it with `{}`", build_command(&plan, &composition, &shown)))
        }
        Destination::User => ctx.shell.warn(format!(
            "{shown} applies to every project you build on this machine, and config files beat Cargo.toml: these settings override what each project commits"
        )),
        _ => {}
    }
    behaviour_notes(ctx, &composition, &outcome, &args.presets);
    check_components(ctx, &composition, &plan);
    Ok(report(if original.is_some() { Action::Updated } else { Action::Created }, None))
}

/// `finish` for files of one command prepared apart (the guide's split selection): written in
/// one commit under `lock`, all or none, then each reported as `finish` reports it.
pub fn finish_together(ctx: &mut Context<'_>, prepared: Vec<Prepared<'_>>, lock: &mut files::Lock) -> Result<()> {
    let changes: Vec<files::Change<'_>> = prepared.iter().filter_map(Prepared::change).collect();
    files::commit(lock, &changes)?;
    for prepared in prepared {
        finish(ctx, Prepared { committed: true, ..prepared }, None, &[])?;
    }
    Ok(())
}

/// Why a file needs no change: the presets are there, or `--keep` kept everything they would
/// change.
fn unchanged_because(outcome: &edit::Outcome) -> &'static str {
    let changes = outcome.changes.iter().map(|(_, c)| c).chain(outcome.config_changes.iter().map(|(_, _, c)| c));
    if changes.clone().any(|c| *c == Change::KeptYours) {
        "your values kept with --keep, nothing to change"
    } else {
        "already applied"
    }
}

/// Each `--keep` key must be one the presets set: a misspelt key would silently keep nothing.
fn check_keep(composition: &Composition, keep: &[String]) -> Result<()> {
    let keys: Vec<String> = composition
        .settings
        .iter()
        .map(|c| c.setting.path.to_string())
        .chain(composition.config.iter().map(|c| c.setting.path.to_string()))
        .collect();
    for key in keep {
        if !keys.contains(key) {
            let mut error = Error::new(format!("`--keep {key}` names no key these presets set"));
            if let Some(near) = crate::suggest::closest(key, keys.iter().map(String::as_str), 4) {
                error = error.help(format!("did you mean `{near}`?"));
            }
            return Err(error.help(format!("their keys are: {}", keys.join(", "))));
        }
    }
    Ok(())
}

fn change_name(change: &Change) -> &'static str {
    match change {
        Change::Added => "added",
        Change::Updated { .. } => "updated",
        Change::Forced => "forced",
        Change::Kept => "kept",
        Change::KeptYours => "kept-yours",
    }
}

/// Says what the written settings change beyond speed (`panic = "abort"` turns `catch_unwind`
/// off), and which presets came along because a named one extends them.
fn behaviour_notes(ctx: &mut Context<'_>, composition: &Composition, outcome: &edit::Outcome, named: &[String]) {
    for preset in composition.presets.iter().filter(|p| !named.contains(&p.name)) {
        if let Some(by) = composition.extended_by(&preset.name).next() {
            ctx.shell.note(format!("`{}` was applied too, since `{}` extends it", preset.name, by.name));
        }
    }
    for (path, change) in &outcome.changes {
        if matches!(change, Change::Kept | Change::KeptYours)
            || path.table.scope != crate::cargo::schema::Scope::Profile
        {
            continue;
        }
        let Some(composed) = composition.settings.iter().find(|c| c.setting.path == *path) else { continue };
        if let Some(effect) = path.key.behaviour(&composed.setting.value) {
            ctx.shell.note(format!(
                "`{path} = {}` ({}) changes behaviour: {effect}",
                composed.setting.value, composed.preset
            ));
        }
    }
}

/// A cargo command that builds with a standalone config file: nightly where a setting or an
/// argument needs it, the profile the file sets up, and the arguments the presets need
/// (`-Zbuild-std=…`, `--target <host>`).
fn build_command(plan: &Plan, composition: &Composition, file: &str) -> String {
    let mut command = vec!["cargo".to_owned()];
    if needs_nightly(plan, composition) {
        command.push("+nightly".to_owned());
    }
    command.extend(["--config".to_owned(), file.to_owned(), "build".to_owned()]);
    let profiles: Vec<&str> = plan.tables.iter().map(|t| t.path.profile.as_str()).collect();
    if profiles.contains(&"release") {
        command.push("--release".to_owned());
    } else if let Some(custom) = profiles.iter().find(|p| !crate::cargo::schema::is_builtin_profile(p)) {
        command.extend(["--profile".to_owned(), (*custom).to_owned()]);
    }
    command.extend(composition.cargo_args(|| {
        crate::cargo::machine::host_triple(std::path::Path::new(".")).unwrap_or_else(|| "<target-triple>".to_owned())
    }));
    command.join(" ")
}

/// Whether the settings need nightly cargo: a gated profile key, a nightly config setting, or
/// an unstable flag a preset needs on the command line (`-Zbuild-std`).
pub(super) fn needs_nightly(plan: &Plan, composition: &Composition) -> bool {
    !plan.gates.is_empty()
        || composition.config.iter().any(|c| c.setting.path.needs_nightly(&c.setting.value))
        || composition.presets.iter().flat_map(|p| &p.cargo_args).any(|a| a.starts_with("-Z"))
}

/// `3 keys set, 1 table added`, leaving out what did not happen.
fn summary(outcome: &edit::Outcome) -> String {
    // Flags of several presets in one `rustflags` count as one key.
    let mut config: Vec<(&crate::cargo::config::ConfigPath, &Change)> = Vec::new();
    for (path, _, change) in &outcome.config_changes {
        match config.iter_mut().find(|(p, _)| *p == path) {
            Some(entry) if matches!(entry.1, Change::Kept) => entry.1 = change,
            Some(_) => {}
            None => config.push((path, change)),
        }
    }
    let all = outcome.changes.iter().map(|(_, c)| c).chain(config.iter().map(|(_, c)| *c));
    let count = |wanted: fn(&Change) -> bool| all.clone().filter(|c| wanted(c)).count();
    let set = count(|c| !matches!(c, Change::Kept | Change::Forced | Change::KeptYours));
    let mut parts = vec![plural(set, "key set", "keys set")];
    let forced = count(|c| matches!(c, Change::Forced));
    if forced > 0 {
        parts.push(format!("{forced} replaced with --force"));
    }
    let kept = count(|c| matches!(c, Change::Kept));
    if kept > 0 {
        parts.push(format!("{kept} already set"));
    }
    let yours = count(|c| matches!(c, Change::KeptYours));
    if yours > 0 {
        parts.push(format!("{yours} of yours kept with --keep"));
    }
    if outcome.tables_added > 0 {
        parts.push(plural(outcome.tables_added, "table added", "tables added"));
    }
    parts.join(", ")
}

/// The comment at the top of a config file `apply` creates (it never creates a manifest).
pub fn new_file_header(
    to: &Destination,
    presets: &[String],
    ctx: &Context<'_>,
    plan: &Plan,
    composition: &Composition,
    creates_directory: bool,
) -> Vec<String> {
    let renderer = Renderer::default();
    match to {
        Destination::Manifest => Vec::new(),
        Destination::File(path) => renderer.file(
            presets,
            Some(&ctx.display(&ctx.cwd.join(path))),
            needs_nightly(plan, composition),
            creates_directory,
        ),
        Destination::Config | Destination::User => renderer.file(presets, None, false, creates_directory),
    }
}

/// A hand-written value `--force` would replace, in one line, with its ways out.
fn conflict_brief(conflict: &edit::Conflict, file: &std::path::Path) -> String {
    let place = conflict.line.map(|line| format!(" ({}:{line})", file.display())).unwrap_or_default();
    let keep = if conflict.flag { String::new() } else { format!("`--keep {}` or ", conflict.path) };
    format!(
        "`{}` is {}{place}, where preset `{}` sets {}: {keep}`--force`",
        conflict.path, conflict.current, conflict.preset, conflict.wanted
    )
}

/// Values the presets rely on that the file does not give: the refusal, and each in one line.
struct Unmet {
    error: Error,
    brief: Vec<String>,
}

/// What `check_relied` looks at: the presets, and the file `apply` writes.
/// Presets asked for now must not contradict, by a declared conflict, those applied to the file
/// before (found by their markers). A preset asked for again is settled with those already
/// there: applying it again (after `--force`, say) is refused by nothing it was not refused by.
fn check_declared_in_file(
    ctx: &mut Context<'_>,
    library: &Library,
    composition: &Composition,
    text: &str,
    file: &std::path::Path,
    force: bool,
) -> Result<()> {
    let applied: std::collections::BTreeSet<&str> =
        text.lines().filter_map(edit::marker::Marker::parse).map(|m| m.preset).collect();
    let (again, new): (Vec<_>, Vec<_>) =
        composition.presets.iter().map(|p| p.name.clone()).partition(|n| applied.contains(n.as_str()));
    let earlier: Vec<String> =
        applied.iter().filter(|n| !again.contains(&n.to_string())).map(|n| n.to_string()).collect();
    if new.is_empty() || earlier.is_empty() {
        return Ok(());
    }
    let Some(error) = compose::declared_conflict_in_file(library, &new, &earlier, &file.display().to_string()) else {
        return Ok(());
    };
    if !force {
        return Err(error);
    }
    ctx.shell.warn(format!("{error}\nnote: applying anyway (--force)"));
    Ok(())
}

struct Relied<'a> {
    composition: &'a Composition,
    library: &'a Library,
    workspace: &'a Workspace,
    target: &'a Target,
    file: &'a std::path::Path,
    /// The file's text as it is (empty for a file not there yet).
    original: &'a str,
    /// The profiles the file had: a relied-on value in one the presets create can be set only
    /// after applying.
    existing: &'a crate::plan::ExistingProfiles,
}

/// The values the presets rely on, and those the presets already in the file rely on, in the
/// files as they will be (`text`): a contradiction is a problem, or with `--force` a warning and
/// a `forced` record in `text` above a key of the relying preset, so that later runs accept
/// that value (and only that one) instead of failing on what `--force` already settled.
fn check_relied(ctx: &mut Context<'_>, relied: &Relied<'_>, text: &mut String, force: bool) -> Result<Option<Unmet>> {
    let Relied { composition, library, workspace, target, file, original, existing } = *relied;
    let applied: std::collections::BTreeSet<&str> =
        text.lines().filter_map(edit::marker::Marker::parse).map(|m| m.preset).collect();
    let earlier: Vec<crate::compose::Composed> = applied
        .into_iter()
        .filter(|name| composition.preset(name).is_none())
        .filter_map(|name| library.get(name).ok())
        .flat_map(|p| crate::compose::Composed::relied_on_by(&p).collect::<Vec<_>>())
        .collect();
    if composition.relied.is_empty() && earlier.is_empty() {
        return Ok(None);
    }
    let shown = file.display().to_string();
    let manifest = match target.kind {
        FileKind::Manifest => String::new(),
        FileKind::Config => files::read_optional(&ctx.relative(&workspace.manifest))?.unwrap_or_default(),
    };
    let layers = |text: &str| {
        let files = match target.kind {
            FileKind::Manifest => vec![Layer::manifest(shown.clone(), text.to_owned())],
            FileKind::Config => vec![
                Layer::manifest(ctx.display(&workspace.manifest), manifest.clone()),
                Layer::config(shown.clone(), text.to_owned()),
            ],
        };
        Layers { files, env: Vec::new(), cargo_release: None }
    };
    let mut unmet = composition.unmet(&layers(text), &earlier);
    // A hand-written value is named at its line in the file as it is, not as it would be written
    // (our comments and `cargo-features` above it move it down).
    let before = layers(original);
    for u in &mut unmet {
        let path = &u.relied.setting.path;
        if let Ok(found) = before.effective(&path.table.profile, path.key, None)
            && found.value == u.found.value
            && found.from.as_ref().is_some_and(|d| d.preset.is_none())
        {
            u.found = found;
        }
    }
    let accepted: Vec<edit::marker::Marker<'_>> =
        text.lines().filter_map(edit::marker::Marker::parse).filter(|m| m.tag == Some(edit::marker::FORCED)).collect();
    unmet.retain(|u| !accepted.iter().any(|m| m.preset == u.relied.preset && m.text == u.forced_record()));
    if unmet.is_empty() {
        return Ok(None);
    }
    let error = compose::unmet_error(&unmet, &|profile| existing.contains_key(profile));
    if !force {
        return Ok(Some(Unmet { error, brief: unmet.iter().map(compose::Unmet::brief).collect() }));
    }
    ctx.shell.warn(format!("{error}\nnote: applying anyway (--force)"));
    let mut records: Vec<(&str, &str, Vec<String>)> = Vec::new();
    for u in &unmet {
        let line = edit::marker::format(&u.relied.preset, Some(edit::marker::FORCED), &u.forced_record());
        match records.iter_mut().find(|(preset, _, _)| *preset == u.relied.preset) {
            Some((_, _, lines)) => lines.push(line),
            None => records.push((&u.relied.preset, &u.relied.setting.path.table.profile, vec![line])),
        }
    }
    for (preset, profile, lines) in records {
        *text = edit::add_records(file, text, preset, profile, edit::marker::FORCED, &lines)?;
    }
    Ok(None)
}

/// Unstable settings need nightly cargo. Where stable cargo reads the file on every command, a
/// gate would break every stable build of the workspace (or, for `--to user`, of every project
/// on the machine), so we refuse (`Some`) and offer the standalone-file alternative. A gate
/// Cargo.toml cannot switch on at all is an error right away.
fn check_gates(
    ctx: &Context<'_>,
    plan: &Plan,
    composition: &Composition,
    target: &Target,
    workspace: &Workspace,
    args: &ApplyOptions,
) -> Result<Option<Error>> {
    let to = &args.to;
    // The first setting that needs nightly: a gated profile key, or a config setting.
    let (key, preset, feature) = match plan.gates.iter().next() {
        Some((gate, first_use)) => {
            let key = &first_use.setting.path;
            let preset = &first_use.preset;
            if target.kind == FileKind::Manifest && gate.manifest_feature.is_none() {
                return Err(Error::new(format!(
                    "`{key}` (preset `{preset}`) cannot be switched on from Cargo.toml: cargo has no `cargo-features` entry for it and would ignore it"
                ))
                .help(format!(
                    "it needs `[unstable] {} = true` in a config file; {}",
                    gate.unstable_key,
                    separate_file(ctx, composition, workspace, preset, &args.packages)
                )));
            }
            let feature = gate.manifest_feature.unwrap_or(gate.unstable_key);
            // Stable cargo 1.95 warns on every command that it ignores this one, and goes on.
            let effect = match key.key {
                Key::HintMostlyUnused => {
                    "would leave a setting stable cargo ignores, with a warning on every command".to_owned()
                }
                _ => format!(
                    "would make every stable cargo command fail there (the `{feature}` feature requires a nightly version of Cargo)"
                ),
            };
            (key.to_string(), preset.clone(), effect)
        }
        None => match composition.config.iter().find(|c| c.setting.path.needs_nightly(&c.setting.value)) {
            Some(c) if c.setting.path.is_rustflags() => (
                c.setting.path.to_string(),
                c.preset.clone(),
                "would make every stable build there fail (stable rustc refuses `-Z` flags)".to_owned(),
            ),
            Some(c) => (
                c.setting.path.to_string(),
                c.preset.clone(),
                "would leave a setting stable cargo ignores, with a warning on every command".to_owned(),
            ),
            None => return Ok(None),
        },
    };
    if !target.read_by_default {
        return Ok(None);
    }
    let (nightly, whose, or_else) = match to {
        Destination::User => (
            toolchain::default_toolchain_is_nightly(),
            "every project on this machine builds with stable cargo by default",
            "or make nightly your default toolchain first (`rustup default nightly`)",
        ),
        _ => (
            workspace.pins_nightly(),
            "this workspace builds on stable (no nightly `rust-toolchain.toml`)",
            "or pin nightly for the whole workspace in `rust-toolchain.toml` (`[toolchain] channel = \"nightly\"`)",
        ),
    };
    if nightly {
        return Ok(None);
    }
    let file = ctx.display(&target.path);
    Ok(Some(
        Error::new(format!("preset `{preset}` sets `{key}`, which needs nightly cargo, but {whose}"))
            .detail(format!("writing it into `{file}` {feature}"))
            .help(separate_file(ctx, composition, workspace, &preset, &args.packages))
            .help(or_else),
    ))
}

/// How to keep nightly settings out of stable builds: a separate config file nightly commands
/// opt into.
fn separate_file(
    ctx: &Context<'_>,
    composition: &Composition,
    workspace: &Workspace,
    preset: &str,
    packages: &[String],
) -> String {
    let mut names: Vec<&str> = composition.presets.iter().map(|p| p.name.as_str()).collect();
    names.extend(packages.iter().flat_map(|p| ["--package", p.as_str()]));
    let alternative = ctx.display(&workspace.root().join(".cargo").join(format!("{preset}.toml")));
    format!(
        "write it to a separate config file that only nightly commands read:\n    cargo presets apply {} --to {alternative}\n    cargo +nightly --config {alternative} build",
        names.join(" ")
    )
}

/// The rustup components the presets need that `toolchain` lacks, as `(preset, component)`;
/// `Err` when rustup cannot say. Only runs `rustup` when a preset needs a component, so a plain
/// apply starts no process.
pub fn missing_components(composition: &Composition, toolchain: &str) -> Result<Vec<(String, String)>, String> {
    let needed: Vec<(&str, &str)> = composition
        .presets
        .iter()
        .flat_map(|p| p.components.iter().map(move |c| (p.name.as_str(), c.as_str())))
        .collect();
    if needed.is_empty() {
        return Ok(Vec::new());
    }
    let installed = toolchain::installed_components(toolchain)?;
    Ok(needed
        .into_iter()
        .filter(|(_, c)| !toolchain::has_component(&installed, c))
        .map(|(p, c)| (p.to_owned(), c.to_owned()))
        .collect())
}

/// Says whether the rustup components the presets need are installed.
fn check_components(ctx: &mut Context<'_>, composition: &Composition, plan: &Plan) {
    let toolchain = if plan.gates.is_empty() { "stable" } else { "nightly" };
    let missing = match missing_components(composition, toolchain) {
        Ok(missing) => missing,
        Err(reason) => {
            ctx.shell.warn(format!("could not run `rustup` to check the components the presets need: {reason}"));
            return;
        }
    };
    for preset in &composition.presets {
        for component in preset.components.iter().filter(|c| !missing.iter().any(|(_, m)| m == *c)) {
            ctx.shell.verbose_status("Checked", format!("rustup component `{component}` is installed for {toolchain}"));
        }
    }
    for (preset, component) in missing {
        ctx.shell.warn(format!(
            "preset `{preset}` needs the rustup component `{component}`, which is not installed for {toolchain}; builds with these settings fail until it is\n\
             help: install it with `rustup component add {component} --toolchain {toolchain}`"
        ));
    }
}
