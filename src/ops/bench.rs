//! `cargo presets bench PRESET…`: the workspace's current settings against each preset, measured
//! with real builds.
//!
//! The user's files are not edited: each preset is rendered into a private config file and passed
//! with `cargo --config`, which beats Cargo.toml as it would from `.cargo/config.toml`. Each
//! variant builds in its own target directory; runs are interleaved (baseline, preset, baseline,
//! …) so that a slow moment of the machine does not favour one side. A `Cargo.lock` the builds
//! create is removed again, and a source file touched for `rebuild` gets its time back.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::bench::{self, Metric, Report, Unit};
use crate::cli::{BenchArgs, Format, Workflow};
use crate::compose::{Composition, compose};
use crate::edit::{self, Edit, FileKind};
use crate::effective::{Layer, Layers};
use crate::error::{Error, Result};
use crate::files;
use crate::ops::Context;
use crate::plan::plan;
use crate::schema;
use crate::shell::Verbosity;
use crate::workspace::Workspace;

/// One column of the comparison.
struct Variant {
    name: String,
    profile: String,
    /// The preset's settings as a config file; `None` for the baseline.
    config: Option<PathBuf>,
    /// `Some("nightly")` where the preset needs unstable features.
    toolchain: Option<&'static str>,
    target: PathBuf,
}

pub fn run(ctx: &mut Context<'_>, args: &BenchArgs) -> Result<i32> {
    let workspace = ctx.workspace()?;
    let scratch = std::env::temp_dir().join(format!("cargo-presets-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| Error::io("create", &scratch, &e))?;
    let lock = workspace.root().join("Cargo.lock");
    let had_lock = lock.exists();
    let touched = source_to_touch(workspace.root());
    let touched_time = touched.as_ref().and_then(|p| std::fs::metadata(p).ok()?.modified().ok());

    let timed = [Workflow::Check, Workflow::Build, Workflow::Rebuild, Workflow::Test, Workflow::Run];
    if args.runs <= 1 && args.workflow.iter().any(|w| timed.contains(w)) {
        ctx.shell.warn(
            "one run per variant cannot tell a difference from noise: build times move by several percent between runs on the same machine\n\
             help: use `--runs 3` or more before trusting a time; sizes need only one run",
        );
    }
    let result = variants(ctx, &workspace, &scratch, &args.presets)
        .and_then(|variants| measure(ctx, &workspace, &variants, args, touched.as_deref()));

    // Leave the workspace as it was found, whatever happened.
    if !had_lock {
        let _ = std::fs::remove_file(&lock);
    }
    if let (Some(path), Some(time)) = (&touched, touched_time) {
        let _ = std::fs::File::options().write(true).open(path).and_then(|f| f.set_modified(time));
    }
    let _ = std::fs::remove_dir_all(&scratch);
    let report = result?;

    match args.format {
        Format::Json => ctx.shell.print(&format!("{:#}\n", bench::to_json(&report)))?,
        Format::Human => ctx.shell.print(&bench::table(&report))?,
    }
    // A name per run, so that a second run does not replace the chart of the first.
    let stamp = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let chart = args
        .chart
        .clone()
        .unwrap_or_else(|| workspace.root().join("target").join("cargo-presets").join(format!("bench-{stamp}.svg")));
    let svg = bench::svg(&report);
    let mut lock = files::lock(&[&chart])?;
    let old = files::read_optional(&chart)?;
    files::commit(&mut lock, &[files::Change::Write { path: &chart, expected: old.as_deref(), text: &svg }])?;
    ctx.shell.status("Chart", format!("{} (open it in a browser)", ctx.display(&chart)));
    Ok(0)
}

/// The baseline and one variant per preset, all on profiles with the same root.
/// Checked before any build, so that a missing component or a pointless comparison costs nothing.
fn variants(ctx: &mut Context<'_>, workspace: &Workspace, scratch: &Path, presets: &[String]) -> Result<Vec<Variant>> {
    let library = ctx.library(Some(workspace))?;
    let manifest_text = files::read(&workspace.manifest)?;
    let manifest = &workspace.parsed;
    let baseline = super::explain::layers(ctx, workspace)?;
    let mut out: Vec<Variant> = Vec::new();
    for (i, name) in presets.iter().enumerate() {
        // `fast-link:mold`: a variant other than the one this machine gets.
        let (preset, variant) = match name.split_once(':') {
            Some((preset, variant)) => (preset.to_owned(), Some(variant)),
            None => (name.clone(), None),
        };
        let names = std::slice::from_ref(&preset);
        let plain = compose(&library, names)?;
        let (composition, _) = super::apply::config::for_machine(ctx, workspace, &library, plain, names, variant)?;
        let plan = plan(&composition, &manifest.profiles())?;
        let nightly = super::apply::needs_nightly(&plan, &composition);
        let toolchain = if nightly { "nightly" } else { "stable" };
        let missing = super::apply::missing_components(&composition, toolchain).unwrap_or_default();
        if let Some((preset, component)) = missing.first() {
            return Err(Error::new(format!(
                "preset `{preset}` needs the rustup component `{component}`, which is not installed for {toolchain}"
            ))
            .help(format!("install it with `rustup component add {component} --toolchain {toolchain}`")));
        }
        note_baseline_overlap(ctx, &baseline, &composition, name);
        let config = scratch.join(format!("{i}-{}.toml", name.replace(':', "-")));
        let edit = Edit { file: &config, kind: FileKind::Config, force: true, keep: &[], new_file_header: Vec::new() };
        let text = edit::render_new(&plan, &composition, &edit)?;
        std::fs::write(&config, &text).map_err(|e| Error::io("write", &config, &e))?;
        let profiles: Vec<&str> = plan.tables.iter().map(|t| t.path.profile.as_str()).collect();
        let profile = profiles
            .iter()
            .find(|p| schema::is_builtin_profile(p))
            .or(profiles.first())
            .copied()
            .unwrap_or("dev")
            .to_owned();
        let layers = Layers {
            files: vec![
                Layer::manifest("Cargo.toml".into(), manifest_text.clone()),
                Layer::manifest(name.clone(), text),
            ],
            env: Vec::new(),
        };
        let chain = layers.chain(&profile).map_err(|why| Error::new(format!("preset `{name}`: {why}")))?;
        let root = chain.last().expect("a chain ends at a root").clone();
        if let Some(first) = out.first() {
            if first.profile != root {
                return Err(Error::new(format!(
                    "preset `{name}` is for `{root}` builds, the others for `{}`",
                    first.profile
                ))
                .help("bench presets for one kind of build at a time (dev or release)"));
            }
        } else {
            out.push(Variant {
                name: root.clone(),
                profile: root.clone(),
                config: None,
                toolchain: None,
                target: scratch.join("target-baseline"),
            });
        }
        let toolchain = nightly.then_some("nightly");
        out.push(Variant {
            name: name.clone(),
            profile,
            config: Some(config),
            toolchain,
            target: scratch.join(format!("target-{i}")),
        });
    }
    // A nightly preset against a stable baseline would measure the toolchain as much as the
    // preset: then every column builds with nightly.
    if out.iter().any(|v| v.toolchain.is_some()) {
        ctx.shell.note("every variant builds with nightly cargo, as the nightly presets need, so that the toolchain is the same in each column");
        for variant in &mut out {
            variant.toolchain = Some("nightly");
        }
    }
    Ok(out)
}

/// Says when the current settings already have a preset's values: that part of the comparison
/// measures nothing.
fn note_baseline_overlap(ctx: &mut Context<'_>, baseline: &Layers, composition: &Composition, name: &str) {
    let settings = &composition.settings;
    let present = settings
        .iter()
        .filter(|c| {
            let path = &c.setting.path;
            let defs = baseline.definitions(&path.table.profile, &path.table.scope, path.key);
            defs.last().is_some_and(|d| path.key.same_meaning(&d.value, &c.setting.value))
        })
        .count();
    if present == settings.len() && present > 0 {
        ctx.shell.warn(format!(
            "the current settings already have every value of `{name}` (is it applied here?): the baseline and `{name}` measure the same thing\n\
             help: bench it from a checkout without it, or after `cargo presets remove {name}`"
        ));
    } else if present > 0 {
        ctx.shell.note(format!(
            "the current settings already have {present} of the {} values of `{name}`: its column measures only the rest",
            settings.len()
        ));
    }
}

fn measure(
    ctx: &mut Context<'_>,
    workspace: &Workspace,
    variants: &[Variant],
    args: &BenchArgs,
    touched: Option<&Path>,
) -> Result<Report> {
    let wants = |w: Workflow| args.workflow.contains(&w);
    let mut metrics: Vec<Metric> = Vec::new();
    let mut record = |name: &str, unit: Unit, variant: usize, value: f64| {
        let index = match metrics.iter().position(|m| m.name == name) {
            Some(i) => i,
            None => {
                metrics.push(Metric { name: name.to_owned(), unit, samples: vec![Vec::new(); variants.len()] });
                metrics.len() - 1
            }
        };
        metrics[index].samples[variant].push(value);
    };
    let runs = args.runs.max(1);
    for run in 1..=runs {
        for (i, variant) in variants.iter().enumerate() {
            let label = |what: &str| format!("{} ({what}, run {run}/{runs})", variant.name);
            if wants(Workflow::Check) {
                clean(&variant.target);
                let (wall, cpu) = cargo(ctx, workspace, variant, &["check"], &label("check"))?;
                record("check (wall)", Unit::Seconds, i, wall);
                cpu.into_iter().for_each(|c| record("check (CPU)", Unit::Seconds, i, c));
            }
            let needs_build = [Workflow::Build, Workflow::Rebuild, Workflow::Size, Workflow::TargetSize, Workflow::Run];
            if needs_build.iter().any(|w| wants(*w)) {
                clean(&variant.target);
                let (wall, cpu) = cargo(ctx, workspace, variant, &["build"], &label("build"))?;
                if wants(Workflow::Build) {
                    record("build (wall)", Unit::Seconds, i, wall);
                    cpu.into_iter().for_each(|c| record("build (CPU)", Unit::Seconds, i, c));
                }
                let binaries = executables(&variant.target.join(output_dir(&variant.profile)));
                if wants(Workflow::Size) {
                    let size: u64 = binaries.iter().filter_map(|b| std::fs::metadata(b).ok()).map(|m| m.len()).sum();
                    record("binary size", Unit::Bytes, i, size as f64);
                }
                if wants(Workflow::TargetSize) {
                    record("target dir", Unit::Bytes, i, disk_usage(&variant.target) as f64);
                }
                if wants(Workflow::Run) {
                    let binary = binaries
                        .first()
                        .ok_or_else(|| Error::new("`--workflow run` needs a binary target in the workspace"))?;
                    record(
                        "run",
                        Unit::Seconds,
                        i,
                        run_binary(binary, args.run_args.as_deref().unwrap_or(""), workspace.root())?,
                    );
                }
                if wants(Workflow::Rebuild) {
                    let touched = touched.ok_or_else(|| {
                        Error::new("`--workflow rebuild` needs a source file (`src/main.rs` or `src/lib.rs`) to touch")
                    })?;
                    std::fs::File::options()
                        .write(true)
                        .open(touched)
                        .and_then(|f| f.set_modified(SystemTime::now()))
                        .map_err(|e| Error::io("touch", touched, &e))?;
                    let (wall, _) = cargo(ctx, workspace, variant, &["build"], &label("rebuild"))?;
                    record("rebuild (wall)", Unit::Seconds, i, wall);
                }
            }
            if wants(Workflow::Test) {
                clean(&variant.target);
                let (wall, cpu) = cargo(ctx, workspace, variant, &["test", "--no-run"], &label("test build"))?;
                record("test build (wall)", Unit::Seconds, i, wall);
                cpu.into_iter().for_each(|c| record("test build (CPU)", Unit::Seconds, i, c));
            }
        }
    }
    Ok(Report { variants: variants.iter().map(|v| (v.name.clone(), v.profile.clone())).collect(), metrics })
}

fn clean(target: &Path) {
    let _ = std::fs::remove_dir_all(target);
}

/// Runs cargo for one variant; its wall time and, on Linux, its CPU time (user + system, the
/// compiler processes included).
fn cargo(
    ctx: &mut Context<'_>,
    workspace: &Workspace,
    variant: &Variant,
    subcommand: &[&str],
    label: &str,
) -> Result<(f64, Option<f64>)> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(if variant.toolchain.is_some() { "cargo".into() } else { cargo });
    if let Some(toolchain) = variant.toolchain {
        command.arg(format!("+{toolchain}"));
    }
    if let Some(config) = &variant.config {
        command.arg("--config").arg(config);
    }
    command.args(subcommand).args(["--profile", &variant.profile, "--manifest-path"]).arg(&workspace.manifest);
    command.env("CARGO_TARGET_DIR", &variant.target);
    // `-v` shows cargo's own output as it builds; otherwise it is kept for a failure's report.
    let verbose = ctx.shell.verbosity() == Verbosity::Verbose;
    if verbose {
        command.stdout(Stdio::inherit()).stderr(Stdio::inherit());
    } else {
        command.stdout(Stdio::piped()).stderr(Stdio::piped());
    }
    let spinner = Spinner::start(ctx, label);
    let cpu_before = children_cpu();
    let start = Instant::now();
    let output = command.output().map_err(|e| Error::new(format!("failed to run cargo: {e}")));
    let wall = start.elapsed().as_secs_f64();
    let cpu = children_cpu().zip(cpu_before).map(|(after, before)| after - before);
    spinner.stop();
    let output = output?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect();
        return Err(Error::new(format!("the build for {label} failed")).detail(tail.join("\n  ")));
    }
    Ok((wall, cpu))
}

/// The CPU time of this process's finished children, from `/proc` (Linux); cargo waits for
/// rustc, so its time is counted too.
fn children_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
    // Linux reports these in USER_HZ, 100 on every mainstream configuration.
    Some(ticks / 100.0)
}

/// A spinner on a terminal, a status line elsewhere, nothing with `-q`.
struct Spinner {
    running: Option<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>,
}

impl Spinner {
    fn start(ctx: &mut Context<'_>, label: &str) -> Spinner {
        if ctx.shell.verbosity() == Verbosity::Quiet {
            return Spinner { running: None };
        }
        if !std::io::stderr().is_terminal() {
            ctx.shell.status("Building", label);
            return Spinner { running: None };
        }
        let running = Arc::new(AtomicBool::new(true));
        let flag = Arc::clone(&running);
        let label = label.to_owned();
        let handle = std::thread::spawn(move || {
            let frames = ['|', '/', '-', '\\'];
            let start = Instant::now();
            let mut i = 0;
            while flag.load(Ordering::Relaxed) {
                let _ =
                    write!(std::io::stderr(), "\r{} building {label} {}s ", frames[i % 4], start.elapsed().as_secs());
                i += 1;
                std::thread::sleep(Duration::from_millis(120));
            }
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        });
        Spinner { running: Some((running, handle)) }
    }

    fn stop(self) {
        if let Some((flag, handle)) = self.running {
            flag.store(false, Ordering::Relaxed);
            let _ = handle.join();
        }
    }
}

/// Where cargo puts a profile's output.
fn output_dir(profile: &str) -> &str {
    match profile {
        "dev" | "test" => "debug",
        "bench" => "release",
        other => other,
    }
}

/// The executables directly in a profile's output directory.
fn executables(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && is_executable(p))
        .collect();
    found.sort();
    found
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.extension().is_none() && std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "exe")
}

fn disk_usage(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Runs the binary five times and keeps the median: a run is cheap next to a build, and a short
/// one is noisy on a busy machine.
fn run_binary(binary: &Path, args: &str, cwd: &Path) -> Result<f64> {
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let status = Command::new(binary)
            .args(args.split_whitespace())
            .current_dir(cwd)
            .stdout(Stdio::null())
            .status()
            .map_err(|e| Error::io("run", binary, &e))?;
        if !status.success() {
            return Err(Error::new(format!("`{} {args}` failed ({status})", binary.display())));
        }
        times.push(start.elapsed().as_secs_f64());
    }
    Ok(bench::summarize(&times).expect("five samples").median)
}

/// The first workspace source file a rebuild can start from.
fn source_to_touch(root: &Path) -> Option<PathBuf> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !(e.file_name() == "target" || e.file_name().to_string_lossy().starts_with('.'))
        })
        .flatten()
        .map(walkdir::DirEntry::into_path)
        .find(|p| p.ends_with("src/main.rs") || p.ends_with("src/lib.rs"))
}
