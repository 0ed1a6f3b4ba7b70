//! `cargo presets tune`: the search of [`crate::measure::tune`], run with real builds.
//!
//! Each candidate is an ordinary preset made in memory, composed, planned and rendered into a
//! private config file like any preset `bench` measures, and built in its own target directory
//! of a [`Sandbox`], a private copy of the workspace: the user's files are not touched.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use clap::ValueEnum;

use crate::cargo::effective::{Layers, Level, Role, Unit};
use crate::cargo::machine::{Machine, Version};
use crate::cargo::schema::{Key, Scope, Value};
use crate::cargo::workspace::{self, Workspace};
use crate::cli::{Format, TuneArgs, Workflow};
use crate::compose::compose;
use crate::error::{Error, Result};
use crate::files;
use crate::library::Library;
use crate::measure::tune::report::{self, Measured};
use crate::measure::tune::space::{self, Facts, Linker};
use crate::measure::tune::{self, Builder, Config, Dimension, Limits, Sample};
use crate::ops::Context;
use crate::plan::plan;
use crate::preset::{self, Origin};
use crate::shell::plural;

use crate::measure::sandbox::{
    Sandbox, Variant, check_chart, clean, executables, output_dir, run_binary, write_chart, write_config,
};

/// The name candidates are composed under: not a name a user can give a preset.
const CANDIDATE: &str = "tune-candidate";

pub fn run(ctx: &mut Context<'_>, args: &TuneArgs) -> Result<i32> {
    let budget = args.budget;
    let workflows = workflows(&args.workflow)?;
    preset::check_name(&args.save).map_err(|why| Error::new(format!("invalid `--save` name: {why}")))?;
    let workspace = ctx.workspace()?;
    let places = Places {
        name: args.save.clone(),
        project: workspace.root().join(".cargo").join("presets"),
        personal: workspace::cargo_home().map(|home| home.join("presets")),
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
    let layers = super::explain::layers(ctx, &workspace)?;
    let machine = super::explain::build_machine(&layers, workspace.root()).map_err(|why| {
        Error::new(format!("cannot tell what this machine is: {why}"))
            .help("cargo-presets asks `rustc -vV` (or `$RUSTC`); install Rust with rustup, or set `RUSTC`")
    })?;
    let facts = facts(&workspace, &layers, &machine, &workflows)?;
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
        workflows: workflows.iter().map(|w| name(*w)).collect(),
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
        let mut builder = Cargo {
            ctx: &mut *ctx,
            workspace: &workspace,
            sandbox: &sandbox,
            library,
            dimensions: &dimensions,
            workflows: &workflows,
            run_args: args.report.run_args.clone().unwrap_or_default(),
            prepared: HashMap::new(),
            started,
        };
        tune::search(&dimensions, &limits, &mut builder)
    };
    let interrupted = sandbox.interrupted();
    drop(sandbox);
    if let Some(code) = interrupted {
        ctx.shell.status("Interrupted", "nothing written; the temporary files are removed");
        return Ok(code);
    }
    let mut outcome = result?;
    outcome.skipped.splice(0..0, skipped);

    let text = report::preset_text(&dimensions, &outcome, &measured);
    // Where the result may load, found (and the result checked to load there) before it is shown.
    let destination = text.as_deref().map(|text| places.destination(text)).transpose()?;
    let saved = destination.as_ref().map(|(path, _)| ctx.display(path));
    match args.report.format {
        Format::Json => {
            let report = report::Tuned::new(
                &dimensions,
                &outcome,
                &measured,
                saved.as_deref().zip(destination.as_ref().map(|(_, personal)| kind(*personal))),
            );
            ctx.shell.print(&crate::report::json(&report))?;
        }
        Format::Human => ctx.shell.print(&report::table(&dimensions, &outcome, &measured, budget))?,
    }
    if !outcome.trials.is_empty() {
        let svg = report::chart(&dimensions, &outcome, &measured);
        write_chart(ctx, &workspace, args.report.chart.as_deref(), "tune", &svg)?;
    }
    let (Some(text), Some((destination, personal))) = (text, destination) else {
        ctx.shell.status("Finished", "nothing beat the current settings beyond the noise: nothing written");
        return Ok(0);
    };
    let written = places.save(&destination, &text)?;
    if let Some(dir) = &written.created {
        ctx.shell.verbose_status("Created", ctx.display(dir));
    }
    let action = if written.replaced { "Replaced" } else { "Wrote" };
    let kept = outcome.kept().count();
    ctx.shell.status(action, format!("{} ({})", saved.unwrap_or_default(), plural(kept, "setting", "settings")));
    if let Some(stale) = &written.removed {
        ctx.shell.status("Removed", format!("{} (an earlier result, which would hide this one)", ctx.display(stale)));
    }
    if personal {
        ctx.shell.note(
            "saved as your own preset: it names a program for cargo to run (a linker), which only \
             presets in `$CARGO_HOME/presets/` may do",
        );
    }
    let to = if outcome
        .kept()
        .any(|t| dimensions[t.dimension].options[t.option].writes.iter().any(|w| w.table[0] != "profile"))
    {
        " --to config"
    } else {
        ""
    };
    ctx.shell
        .note(format!("see it with `cargo presets show {0}`, apply it with `cargo presets apply {0}{to}`", args.save));
    Ok(0)
}

/// The two folders a result may be saved in, under one name.
pub(crate) struct Places {
    pub(crate) name: String,
    pub(crate) project: PathBuf,
    pub(crate) personal: Option<PathBuf>,
}

/// What saving did.
pub(crate) struct Written {
    pub(crate) replaced: bool,
    /// A folder made to hold the preset.
    pub(crate) created: Option<PathBuf>,
    /// An earlier result of the same name in the project, which would shadow a personal one.
    pub(crate) removed: Option<PathBuf>,
}

impl Places {
    fn file(&self, dir: &Path) -> PathBuf {
        dir.join(format!("{}.toml", self.name))
    }

    fn paths(&self) -> Vec<PathBuf> {
        std::iter::once(&self.project).chain(&self.personal).map(|dir| self.file(dir)).collect()
    }

    /// The project's folder, unless a setting names a program (a linker, a C compiler to link
    /// through), which a project preset may not do: the whole result is then the user's own
    /// preset, so that whatever wins can be saved and applied. Whether it is personal is
    /// returned with the path.
    pub(crate) fn destination(&self, text: &str) -> Result<(PathBuf, bool)> {
        let project = self.file(&self.project);
        let preset = preset::parse(&self.name, Origin::User(project.clone()), text)?;
        let refused = preset
            .config
            .iter()
            .any(|s| preset::check_trust(&s.path, &s.value, &Origin::Project(project.clone())).is_err());
        if !refused {
            preset::parse(&self.name, Origin::Project(project.clone()), text)?;
            return Ok((project, false));
        }
        let dir = self.personal.as_ref().ok_or_else(|| {
            Error::new("the result names a program to run, and only your own presets may; cannot find the cargo home directory to save it there")
                .help("set `CARGO_HOME` (or `HOME`)")
        })?;
        Ok((self.file(dir), true))
    }

    /// Writes the preset; a personal one replaces an earlier result of the same name in the
    /// project, which would otherwise hide it.
    pub(crate) fn save(&self, destination: &Path, text: &str) -> Result<Written> {
        let project = self.file(&self.project);
        let stale = if destination == project {
            None
        } else {
            files::read_optional(&project)?.filter(|old| old.starts_with(report::HEADER))
        };
        let previous = files::read_optional(destination)?;
        let mut lock = files::lock(&[destination, &project])?;
        let created =
            lock.create_dir_all(files::dir_of(destination)).map_err(|e| Error::io("create", destination, &e))?;
        let mut changes = vec![files::Change::Write { path: destination, expected: previous.as_deref(), text }];
        if let Some(old) = &stale {
            changes.push(files::Change::Remove { path: &project, expected: old });
        }
        files::commit(&mut lock, &changes)?;
        Ok(Written { replaced: previous.is_some(), created, removed: stale.map(|_| project) })
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
        return Err(Error::new(format!("`tune` makes workflows faster; `{}` is a size", name(*size)))
            .help("compare sizes with `cargo presets bench PRESET --workflow size,target-size`"));
    }
    let order = [Workflow::Check, Workflow::Test, Workflow::Build, Workflow::Rebuild, Workflow::Run];
    Ok(order.into_iter().filter(|w| asked.contains(w)).collect())
}

fn name(workflow: Workflow) -> String {
    workflow.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default()
}

/// The command as the user could type it again, for the preset's description.
fn command_line(args: &TuneArgs) -> String {
    let workflows: Vec<String> = args.workflow.iter().map(|w| name(*w)).collect();
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
        match workspace::installed_components(&toolchain) {
            Ok(installed) if workspace::has_component(&installed, component) => None,
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
        // As wild's README sets it up: clang as the linker driver, told where wild is.
        candidate("wild", "wild", flags("--ld-path=wild"), Some("clang")),
    ]
}

/// A configuration, ready to build.
struct Prepared {
    variant: Variant,
    /// Whether its `build` target directory holds a build to rebuild from.
    built: bool,
}

/// Builds configurations with cargo and times the workflows.
struct Cargo<'c, 'a> {
    ctx: &'c mut Context<'a>,
    workspace: &'c Workspace,
    sandbox: &'c Sandbox,
    library: Library,
    dimensions: &'c [Dimension],
    workflows: &'c [Workflow],
    run_args: String,
    prepared: HashMap<Config, Prepared>,
    started: Instant,
}

impl Cargo<'_, '_> {
    /// The config file of a configuration: its writes as a preset, composed and rendered by the
    /// same rules as any preset. The start builds with the workspace's own settings.
    fn prepare(&mut self, config: &[usize]) -> Result<Variant> {
        let index = self.prepared.len();
        let target = self.sandbox.scratch.join(format!("target-{index}"));
        let writes = space::writes(self.dimensions, config);
        if writes.is_empty() {
            return Ok(Variant { name: "start".into(), profile: "dev".into(), config: None, toolchain: None, target });
        }
        let text = report::candidate_text(&writes);
        let candidate = preset::parse(CANDIDATE, Origin::Builtin, &text)?;
        self.library.insert(candidate);
        let composition = compose(&self.library, &[CANDIDATE.to_owned()])?;
        let plan = plan(&composition, &self.workspace.parsed.profiles())?;
        let file = self.sandbox.scratch.join(format!("config-{index}.toml"));
        write_config(&file, &plan, &composition)?;
        Ok(Variant {
            name: format!("config {index}"),
            profile: "dev".into(),
            config: Some(file),
            toolchain: None,
            target,
        })
    }

    /// Runs cargo; a failed build ends this configuration's sample.
    fn cargo(
        &mut self,
        variant: &Variant,
        dir: &str,
        subcommand: &[&str],
        label: &str,
    ) -> Result<std::result::Result<f64, String>> {
        let variant = Variant { target: variant.target.join(dir), ..variant.clone() };
        Ok(self.sandbox.cargo(self.ctx, &variant, subcommand, label)?.map(|(wall, _)| wall))
    }
}

impl Builder for Cargo<'_, '_> {
    fn measure(&mut self, config: &[usize], affects: &[bool], label: &str) -> Result<Sample> {
        if !self.prepared.contains_key(config) {
            let variant = self.prepare(config)?;
            self.prepared.insert(config.to_vec(), Prepared { variant, built: false });
        }
        let variant = self.prepared[config].variant.clone();
        let mut times = Vec::new();
        for (&workflow, &run) in self.workflows.iter().zip(affects) {
            if !run {
                times.push(None);
                continue;
            }
            let label = format!("{label}: {}", name(workflow));
            // Clean builds start from an empty target directory of their own; `rebuild` and
            // `run` reuse the build's.
            let timed = match workflow {
                Workflow::Check => {
                    clean(&variant.target.join("check"));
                    self.cargo(&variant, "check", &["check"], &label)?
                }
                Workflow::Test => {
                    clean(&variant.target.join("test"));
                    self.cargo(&variant, "test", &["test", "--no-run"], &label)?
                }
                Workflow::Build => {
                    clean(&variant.target.join("build"));
                    let timed = self.cargo(&variant, "build", &["build"], &label)?;
                    self.prepared.get_mut(config).expect("prepared above").built = timed.is_ok();
                    timed
                }
                Workflow::Rebuild | Workflow::Run => {
                    if !self.prepared[config].built {
                        if let Err(why) =
                            self.cargo(&variant, "build", &["build"], &format!("{label} (first build)"))?
                        {
                            return Ok(Sample::Failed(why));
                        }
                        self.prepared.get_mut(config).expect("prepared above").built = true;
                    }
                    if workflow == Workflow::Rebuild {
                        self.sandbox.touch()?;
                        self.cargo(&variant, "build", &["build"], &label)?
                    } else {
                        let outputs = variant.target.join("build").join(output_dir(&variant.profile));
                        let binary = executables(&outputs)
                            .into_iter()
                            .next()
                            .ok_or_else(|| Error::new("`--workflow run` needs a binary target in the workspace"))?;
                        match run_binary(&binary, &self.run_args, self.sandbox.root()) {
                            Ok(time) => Ok(time),
                            Err(e) => Err(e.to_string()),
                        }
                    }
                }
                Workflow::Size | Workflow::TargetSize => unreachable!("refused by `workflows`"),
            };
            match timed {
                Ok(time) => times.push(Some(time)),
                Err(why) => return Ok(Sample::Failed(why)),
            }
        }
        Ok(Sample::Times(times))
    }

    fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}
