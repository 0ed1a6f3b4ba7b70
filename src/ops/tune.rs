//! `cargo presets tune`: the search of [`crate::measure::tune`], run with real builds.
//!
//! Each candidate is an ordinary preset made in memory, composed, planned and rendered into a
//! private config file like any preset `bench` measures, and built in its own target directory
//! of a [`Sandbox`], a private copy of the workspace: the user's files are not touched.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::cargo::effective::{Layers, Level, Role, Unit};
use crate::cargo::machine::{Machine, Version};
use crate::cargo::schema::{Key, Scope, Value};
use crate::cargo::toolchain;
use crate::cargo::workspace::Workspace;
use crate::compose::compose;
use crate::error::{Error, Result};
use crate::files;
use crate::library::Library;
use crate::measure::builder::Cargo;
use crate::measure::tune::report::{self, Measured};
use crate::measure::tune::space::{self, Facts, Linker};
use crate::measure::tune::workflows::Workflows;
use crate::measure::tune::{self, Dimension, Limits};
use crate::measure::workflow::Workflow;
use crate::ops::bench::MeasureOptions;
use crate::ops::{Context, Format};
use crate::plan::plan;
use crate::preset::{self, Origin};
use crate::shell::plural;

use crate::measure::sandbox::{Sandbox, Variant, check_chart, write_chart, write_config};

/// The name candidates are composed under: not a name a user can give a preset.
const CANDIDATE: &str = "tune-candidate";

/// What `tune` is asked.
pub struct TuneOptions {
    /// What to make faster (each counts the same).
    pub workflow: Vec<Workflow>,
    /// How long the search may take.
    pub budget: Duration,
    /// Most run pairs per candidate before an undecided comparison counts as a tie.
    pub max_pairs: u32,
    /// The name of the preset to write, in `.cargo/presets/`.
    pub save: String,
    pub report: MeasureOptions,
}

pub fn run(ctx: &mut Context<'_>, args: &TuneOptions) -> Result<i32> {
    let budget = args.budget;
    let workflows = workflows(&args.workflow)?;
    preset::check_name(&args.save).map_err(|why| Error::new(format!("invalid `--save` name: {why}")))?;
    let workspace = ctx.workspace()?;
    let places = Places {
        name: args.save.clone(),
        project: workspace.root().join(".cargo").join("presets"),
        personal: crate::cargo::cargo_home().map(|home| home.join("presets")),
    };
    // Refused before any build: a preset someone wrote by hand is not replaced, in either place
    // the result may go (which one is known only once something wins).
    for path in places.paths() {
        if files::read_optional(&path)?.is_some_and(|text| !text.starts_with(report::HEADER)) {
            return Err(Error::new(format!(
                "`{}` exists and was not written by `cargo presets tune`",
                ctx.display(&path)
            ))
            .help("save under another name with `--save NAME`, or remove that file first"));
        }
    }
    if let Some(chart) = &args.report.chart {
        check_chart(ctx, chart)?;
    }
    let reading = ctx.reading(&workspace)?;
    let layers = &reading.layers;
    let machine = reading.build_machine().map_err(|why| {
        Error::new(format!("cannot tell what this machine is: {why}"))
            .help("cargo-presets asks `rustc -vV` (or `$RUSTC`); install Rust with rustup, or set `RUSTC`")
    })?;
    let facts = facts(&workspace, layers, &machine, &workflows)?;
    let (dimensions, skipped) = space::dimensions(&facts);
    for skip in &skipped {
        ctx.shell.verbose_status("Skipping", format!("{}: {}", skip.dimension, skip.reason));
    }
    let library = ctx.library(Some(&workspace))?;
    let measured = Measured {
        command: command_line(args),
        machine: format!(
            "{}, {} cores, rustc {}",
            machine.host,
            machine.cores,
            machine.release.map_or_else(|| "unknown".to_owned(), |r| r.to_string())
        ),
        date: report::date(SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs())),
        workflows: workflows.iter().map(|w| w.name().to_owned()).collect(),
    };
    if dimensions.is_empty() {
        for skip in &skipped {
            ctx.shell.note(format!("not tried: {}: {}", skip.dimension, skip.reason));
        }
        ctx.shell.status(
            "Finished",
            "no setting can change these workflows on this machine: nothing measured, nothing written",
        );
        return Ok(0);
    }
    let limits = Limits { budget, max_pairs: args.max_pairs as usize, ..Limits::default() };
    ctx.shell.status(
        "Tuning",
        format!(
            "{} for {} within {} (from the current settings; each change is kept only if it wins beyond the noise)",
            plural(dimensions.len(), "setting", "settings"),
            measured.workflows.join(" and "),
            tune::minutes(budget)
        ),
    );

    let mut sandbox = Sandbox::new(&workspace, &ctx.cwd, "tune")?;
    let started = Instant::now();
    sandbox.deadline = Some(started + budget);
    let result = {
        let mut library = library;
        let mut builder = Cargo::new(ctx, &sandbox, args.report.run_args.as_deref().unwrap_or(""));
        let prepare =
            |config: &[usize], index: usize| prepare(&mut library, &workspace, &sandbox, &dimensions, config, index);
        let mut workflows = Workflows::new(&mut builder, &workflows, &measured.workflows, prepare);
        tune::search(&dimensions, &limits, &mut workflows)
    };
    if let Some(code) = sandbox.remove(ctx.shell, "nothing written") {
        return Ok(code);
    }
    let mut outcome = result?;
    outcome.skipped.splice(0..0, skipped);

    // Where each part of the result may load, found (and each checked to load there) before
    // anything is shown.
    let parts = places.split(&dimensions, &outcome, &measured)?;
    let saved: Vec<(String, &str)> = parts.iter().map(|p| (ctx.display(&p.path), kind(p.personal))).collect();
    match args.report.format {
        Format::Json => {
            let report = report::Tuned::new(&dimensions, &outcome, &measured, &saved);
            ctx.shell.print(&crate::report::json(&report)?)?;
        }
        Format::Human => ctx.shell.print(&report::table(&dimensions, &outcome, &measured, budget))?,
    }
    if !outcome.trials.is_empty() {
        let svg = report::chart(&dimensions, &outcome, &measured);
        write_chart(ctx, &workspace, args.report.chart.as_deref(), "tune", &svg)?;
    }
    if parts.is_empty() {
        ctx.shell.status("Finished", "nothing beat the current settings beyond the noise: nothing written");
        return Ok(0);
    }
    let written = places.save(&parts)?;
    for dir in &written.created {
        ctx.shell.verbose_status("Created", ctx.display(dir));
    }
    for ((part, replaced), (shown, _)) in parts.iter().zip(&written.replaced).zip(&saved) {
        let action = if *replaced { "Replaced" } else { "Wrote" };
        ctx.shell.status(action, format!("{shown} ({})", plural(part.settings, "setting", "settings")));
    }
    if let Some(stale) = &written.removed {
        ctx.shell.status(
            "Removed",
            format!("{} (an earlier result; this run's is your own preset `{}`)", ctx.display(stale), parts[0].name),
        );
    }
    if let Some(personal) = parts.iter().find(|p| p.personal) {
        ctx.shell.note(format!(
            "`{}` is your own preset: it names a program for cargo to run (a linker), which only \
             presets in `$CARGO_HOME/presets/` may do",
            personal.name
        ));
    }
    let to = if outcome
        .kept()
        .any(|t| dimensions[t.dimension].options[t.option].writes.iter().any(|w| w.table[0] != "profile"))
    {
        " --to config"
    } else {
        ""
    };
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    let show: Vec<String> = names.iter().map(|n| format!("`cargo presets show {n}`")).collect();
    let it = if names.len() == 1 { "it" } else { "them" };
    ctx.shell.note(format!(
        "see {it} with {}, apply {it} with `cargo presets apply {}{to}`",
        show.join(" and "),
        names.join(" ")
    ));
    Ok(0)
}

/// The two folders a result may be saved in, under one name.
pub(crate) struct Places {
    pub(crate) name: String,
    pub(crate) project: PathBuf,
    pub(crate) personal: Option<PathBuf>,
}

/// One file of a result: a project preset, or the user's own for what names a program.
pub(crate) struct Part {
    pub(crate) name: String,
    pub(crate) path: PathBuf,
    pub(crate) personal: bool,
    pub(crate) text: String,
    /// The changes kept in it.
    pub(crate) settings: usize,
}

/// What saving did.
pub(crate) struct Written {
    /// Per part, whether it replaced an earlier result.
    pub(crate) replaced: Vec<bool>,
    /// Folders made to hold the presets.
    pub(crate) created: Vec<PathBuf>,
    /// An earlier result in the project, where this run's result is all the user's own.
    pub(crate) removed: Option<PathBuf>,
}

impl Places {
    fn project_file(&self) -> PathBuf {
        self.project.join(format!("{}.toml", self.name))
    }

    /// The user's own part: `<name>-linker`.
    fn personal_name(&self) -> String {
        format!("{}-linker", self.name)
    }

    fn personal_file(&self) -> Option<PathBuf> {
        self.personal.as_ref().map(|dir| dir.join(format!("{}.toml", self.personal_name())))
    }

    fn paths(&self) -> Vec<PathBuf> {
        std::iter::once(self.project_file()).chain(self.personal_file()).collect()
    }

    /// The result split where each part may load: what names a program for cargo to run (a
    /// linker, a C compiler to link through), which a project preset may not do, goes to the
    /// user's own preset `<name>-linker`; the rest to the project's `<name>`. The project part
    /// comes first; each is checked to load where it goes. Empty when nothing won.
    pub(crate) fn split(
        &self,
        dimensions: &[Dimension],
        outcome: &tune::Outcome,
        measured: &Measured,
    ) -> Result<Vec<Part>> {
        let project = self.project_file();
        let mut personal = vec![false; dimensions.len()];
        for (d, dimension) in dimensions.iter().enumerate() {
            let writes = &dimension.options[outcome.best[d]].writes;
            if !writes.is_empty() {
                let text = report::candidate_text(writes);
                preset::parse(&self.name, Origin::User(project.clone()), &text)?;
                personal[d] = preset::parse(&self.name, Origin::Project(project.clone()), &text).is_err();
            }
        }
        let kept = |personal_part: bool| outcome.kept().filter(|t| personal[t.dimension] == personal_part).count();
        let (in_project, in_personal) = (kept(false), kept(true));
        let personal_name = self.personal_name();
        let project_part = report::Part {
            dimensions: personal.iter().map(|p| !p).collect(),
            other: (in_personal > 0).then(|| {
                format!(
                    "The linker it found is saved apart, as your own preset `{personal_name}`: a project preset may not name a program to run."
                )
            }),
        };
        let personal_part = report::Part {
            dimensions: personal,
            other: (in_project > 0)
                .then(|| format!("The other settings it found are in the project preset `{}`.", self.name)),
        };
        let mut parts = Vec::new();
        if let Some(text) = report::part_text(dimensions, outcome, measured, &project_part) {
            preset::parse(&self.name, Origin::Project(project.clone()), &text)?;
            parts.push(Part { name: self.name.clone(), path: project, personal: false, text, settings: in_project });
        }
        if let Some(text) = report::part_text(dimensions, outcome, measured, &personal_part) {
            let path = self.personal_file().ok_or_else(|| {
                Error::new("the result names a program to run, and only your own presets may; cannot find the cargo home directory to save it there")
                    .help("set `CARGO_HOME` (or `HOME`)")
            })?;
            preset::parse(&personal_name, Origin::User(path.clone()), &text)?;
            parts.push(Part { name: personal_name, path, personal: true, text, settings: in_personal });
        }
        Ok(parts)
    }

    /// Writes the parts together; where the whole result is the user's own, an earlier result
    /// of the same name in the project goes, so that `<name>` is not an older measurement.
    pub(crate) fn save(&self, parts: &[Part]) -> Result<Written> {
        let project = self.project_file();
        let stale = if parts.iter().any(|p| p.path == project) {
            None
        } else {
            files::read_optional(&project)?.filter(|old| old.starts_with(report::HEADER))
        };
        let previous: Vec<Option<String>> =
            parts.iter().map(|p| files::read_optional(&p.path)).collect::<Result<_>>()?;
        let paths: Vec<&Path> = parts.iter().map(|p| p.path.as_path()).chain([project.as_path()]).collect();
        let mut lock = files::lock(&paths)?;
        let mut created = Vec::new();
        for part in parts {
            let made =
                lock.create_dir_all(files::dir_of(&part.path)).map_err(|e| Error::io("create", &part.path, &e))?;
            created.extend(made);
        }
        let mut changes: Vec<files::Change<'_>> = parts
            .iter()
            .zip(&previous)
            .map(|(p, old)| files::Change::Write { path: &p.path, expected: old.as_deref(), text: &p.text })
            .collect();
        if let Some(old) = &stale {
            changes.push(files::Change::Remove { path: &project, expected: old });
        }
        files::commit(&mut lock, &changes)?;
        Ok(Written {
            replaced: previous.iter().map(Option::is_some).collect(),
            created,
            removed: stale.map(|_| project),
        })
    }
}

/// The kind of preset a result is saved as, as `list` names it.
fn kind(personal: bool) -> &'static str {
    if personal { "user" } else { "project" }
}

/// The workflows in the order each run measures them (each clean build before the rebuild
/// that reuses it), each once; sizes are `bench`'s.
fn workflows(asked: &[Workflow]) -> Result<Vec<Workflow>> {
    if let Some(size) = asked.iter().find(|w| matches!(w, Workflow::Size | Workflow::TargetSize)) {
        return Err(Error::new(format!("`tune` makes workflows faster; `{}` is a size", size.name()))
            .help("compare sizes with `cargo presets bench PRESET --workflow size,target-size`"));
    }
    let order = [Workflow::Check, Workflow::Test, Workflow::Build, Workflow::Rebuild, Workflow::Run];
    Ok(order.into_iter().filter(|w| asked.contains(w)).collect())
}

/// The command as the user could type it again, for the preset's description.
fn command_line(args: &TuneOptions) -> String {
    let workflows: Vec<&str> = args.workflow.iter().map(|w| w.name()).collect();
    let mut line =
        format!("cargo presets tune --workflow {} --budget {}", workflows.join(","), tune::minutes(args.budget));
    if let Some(run_args) = &args.report.run_args {
        line.push_str(&format!(" --run-args {run_args:?}"));
    }
    line
}

/// What the space needs to know: the settings in effect for `dev`, and what this machine has.
fn facts(workspace: &Workspace, layers: &Layers, machine: &Machine, workflows: &[Workflow]) -> Result<Facts> {
    let member = workspace.member_names.iter().next().map_or("", String::as_str);
    let member = Unit { package: member, member: true, local: true, role: Role::Target };
    let dependency = Unit { package: "", member: false, local: false, role: Role::Target };
    let effective = |key: Key, unit: &Unit<'_>| -> Result<Option<Value>> {
        layers
            .effective("dev", key, Some(unit))
            .map(|e| e.value)
            .map_err(|why| Error::new(format!("profile `dev`: {why}")))
    };
    let split_debuginfo = effective(Key::SplitDebuginfo, &member)?;
    let rustflags = layers.rustflags(machine);
    let flags_table = match rustflags.level {
        Level::Env | Level::EncodedEnv => {
            Err(format!("`{}` is set, and cargo then ignores the rustflags of config files", rustflags.level.name()))
        }
        // Joined with the `[target]` tables cargo reads here; `[build]` would be ignored.
        Level::Target => Ok(vec!["target".to_owned(), machine.host.clone()]),
        Level::Build | Level::Unset => Ok(vec!["build".to_owned()]),
    };
    let channel = machine.channel.as_deref().unwrap_or("unknown");
    let nightly = channel == "nightly" || channel == "dev";
    let not_nightly = || {
        format!("it needs nightly, and the workspace builds with {} rustc (try `cargo +nightly presets tune`)", channel)
    };
    let cranelift = if nightly {
        let toolchain = std::env::var("RUSTUP_TOOLCHAIN").unwrap_or_else(|_| "nightly".to_owned());
        let component = "rustc-codegen-cranelift-preview";
        match toolchain::installed_components(&toolchain) {
            Ok(installed) if toolchain::has_component(&installed, component) => None,
            Ok(_) => Some(format!(
                "the rustup component `{component}` is not installed (`rustup component add {component} --toolchain {toolchain}`)"
            )),
            Err(why) => Some(format!("cannot ask rustup for its components: {why}")),
        }
    } else {
        Some(not_nightly())
    };
    let threads = match (nightly, machine.cores) {
        (false, _) => Err(not_nightly()),
        (true, 1) => Err("this machine has one core".to_owned()),
        (true, cores) => Ok(format!("-Zthreads={}", cores.min(8))),
    };
    Ok(Facts {
        workflows: workflows.to_vec(),
        member_debug: effective(Key::Debug, &member)?,
        deps_debug: effective(Key::Debug, &dependency)?,
        deps_debug_inherited: layers.definitions("dev", &Scope::Package("*".into()), Key::Debug).is_empty(),
        deps_opt_level: effective(Key::OptLevel, &dependency)?,
        split_values: split_values(workspace, machine, split_debuginfo.as_ref()),
        split_debuginfo,
        codegen_units: effective(Key::CodegenUnits, &member)?,
        incremental: effective(Key::Incremental, &member)?,
        incremental_fixed: layers.global_incremental().and_then(|e| e.from).map(|d| match d.source.as_str() {
            "CARGO_INCREMENTAL" => "`CARGO_INCREMENTAL`".to_owned(),
            file => format!("`build.incremental` ({file})"),
        }),
        codegen_backend: effective(Key::CodegenBackend, &member)?,
        flags_table,
        host: machine.host.clone(),
        linkers: linkers(machine),
        cranelift,
        threads,
    })
}

/// The split-debuginfo values rustc supports here, less the one in effect when none is set.
fn split_values(workspace: &Workspace, machine: &Machine, current: Option<&Value>) -> Vec<String> {
    let supported = crate::cargo::machine::split_debuginfo_values(workspace.root()).unwrap_or_default();
    // rustc's default: `off` on Linux and Windows-gnu, `packed` with MSVC; cargo asks for
    // `unpacked` on Apple targets.
    let default = match (machine.cfg_value("target_os"), machine.cfg_value("target_env")) {
        (Some("macos" | "ios"), _) => "unpacked",
        (_, Some("msvc")) => "packed",
        _ => "off",
    };
    supported.into_iter().filter(|v| current.is_some() || *v != default).collect()
}

/// Each alternative linker, or why it is not tried here.
fn linkers(machine: &Machine) -> Vec<Linker> {
    let linux = machine.cfg_value("target_os") == Some("linux");
    let lld_default = machine.host == "x86_64-unknown-linux-gnu" && machine.release >= Some(Version(1, 90, 0));
    let flags = |arg: &str| vec!["-C".to_owned(), format!("link-arg={arg}")];
    let candidate = |name: &str, program: &str, flags: Vec<String>, cc: Option<&str>| {
        let available = if !linux {
            Err("tried on Linux only".to_owned())
        } else if name == "lld" && lld_default {
            Err("rustc already links with its bundled rust-lld on x86_64 Linux".to_owned())
        } else if machine.program(program).is_none() {
            Err(format!("`{program}` is not installed"))
        } else if let Some(cc) = cc.filter(|cc| machine.program(cc).is_none()) {
            Err(format!("it is driven through `{cc}`, which is not installed"))
        } else {
            Ok(())
        };
        Linker { name: name.to_owned(), flags, cc: cc.map(str::to_owned), available }
    };
    vec![
        candidate("mold", "mold", flags("-fuse-ld=mold"), None),
        candidate("lld", "ld.lld", flags("-fuse-ld=lld"), None),
        // As `fast-link`'s wild variant: clang drives the link and finds wild as `ld.wild` for
        // `-fuse-ld=wild`, a flag presets may carry (`--ld-path=` passes an arbitrary path).
        candidate("wild", "ld.wild", flags("-fuse-ld=wild"), Some("clang")),
    ]
}

/// The variant of a configuration: its writes as a preset, composed and rendered by the same
/// rules as any preset into a config file. The start builds with the workspace's own settings.
fn prepare(
    library: &mut Library,
    workspace: &Workspace,
    sandbox: &Sandbox,
    dimensions: &[Dimension],
    config: &[usize],
    index: usize,
) -> Result<Variant> {
    let target = sandbox.scratch.join(format!("target-{index}"));
    let writes = space::writes(dimensions, config);
    if writes.is_empty() {
        return Ok(Variant {
            name: "start".into(),
            profile: "dev".into(),
            config: None,
            toolchain: None,
            cargo_args: Vec::new(),
            target,
        });
    }
    let text = report::candidate_text(&writes);
    let candidate = preset::parse(CANDIDATE, Origin::Builtin, &text)?;
    library.insert(candidate);
    let composition = compose(library, &[CANDIDATE.to_owned()])?;
    let plan = plan(&composition, &workspace.parsed.profiles())?;
    let file = sandbox.scratch.join(format!("config-{index}.toml"));
    write_config(&file, &plan, &composition)?;
    Ok(Variant {
        name: format!("config {index}"),
        profile: "dev".into(),
        config: Some(file),
        toolchain: None,
        cargo_args: Vec::new(),
        target,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cargo::config::{KNOWN_PROGRAMS, runs_or_loads, units};

    /// A linker `tune` tries is written as a preset first, and must pass the rules every built-in
    /// preset passes: its flags may only choose a known linker, and the C compiler it links
    /// through must be a known one (wild's `--ld-path=wild` was refused, so that with wild
    /// installed every candidate failed).
    #[test]
    fn every_linker_candidate_passes_the_preset_rules() {
        for linker in linkers(&Machine::of_release(None, None)) {
            for flag in units(&linker.flags).unwrap() {
                assert_eq!(runs_or_loads(&flag, true), None, "{}: {flag}", linker.name);
            }
            assert!(linker.cc.iter().all(|cc| KNOWN_PROGRAMS.contains(&cc.as_str())), "{}", linker.name);
        }
    }
}
