//! `cargo presets bench PRESET…`: the workspace's current settings against each preset, measured
//! with real builds.
//!
//! The user's files are not edited: each preset is rendered into a private config file and passed
//! with `cargo --config`, which beats Cargo.toml as it would from `.cargo/config.toml`. Each
//! variant builds in its own target directory; runs are interleaved (baseline, preset, baseline,
//! …) so that a slow moment of the machine does not favour one side. The builds happen in a
//! private copy of the workspace ([`Sandbox`]): a `Cargo.lock` they create, or a source file
//! touched for `rebuild`, is the copy's.

use std::path::Path;

use crate::cargo::effective::{Layer, Layers};
use crate::cargo::schema;
use crate::cargo::workspace::Workspace;
use crate::cli::{BenchArgs, Format, Workflow};
use crate::compose::{Composition, compose};
use crate::error::{Error, Result};
use crate::files;
use crate::measure::stats::{self, Metric, Report, Unit};
use crate::ops::Context;
use crate::plan::plan;

use crate::measure::sandbox::{
    Sandbox, Variant, check_chart, clean, disk_usage, executables, output_dir, run_binary, write_chart, write_config,
};

pub fn run(ctx: &mut Context<'_>, args: &BenchArgs) -> Result<i32> {
    let workspace = ctx.workspace()?;
    if let Some(chart) = &args.report.chart {
        check_chart(ctx, chart)?;
    }
    let sandbox = Sandbox::new(&workspace, &ctx.cwd, "bench")?;

    let timed = [Workflow::Check, Workflow::Build, Workflow::Rebuild, Workflow::Test, Workflow::Run];
    if args.runs <= 1 && args.workflow.iter().any(|w| timed.contains(w)) {
        ctx.shell.warn(
            "one run per variant cannot tell a difference from noise: build times move by several percent between runs on the same machine\n\
             help: use `--runs 3` or more before trusting a time; sizes need only one run",
        );
    }
    let result = variants(ctx, &workspace, &sandbox.scratch, &args.presets, &args.workflow)
        .and_then(|variants| measure(ctx, &variants, args, &sandbox));
    let interrupted = sandbox.interrupted();
    // The copy and the builds go, whatever happened.
    drop(sandbox);
    if let Some(code) = interrupted {
        ctx.shell.status("Interrupted", "nothing measured is kept; the temporary files are removed");
        return Ok(code);
    }
    let report = result?;

    match args.report.format {
        Format::Json => ctx.shell.print(&crate::report::json(&stats::Json::of(&report)))?,
        Format::Human => ctx.shell.print(&stats::table(&report))?,
    }
    write_chart(ctx, &workspace, args.report.chart.as_deref(), "bench", &stats::svg(&report))?;
    Ok(0)
}

/// The baseline and one variant per preset, all on profiles with the same root.
/// Checked before any build, so that a missing component or a pointless comparison costs nothing.
fn variants(
    ctx: &mut Context<'_>,
    workspace: &Workspace,
    scratch: &Path,
    presets: &[String],
    workflows: &[Workflow],
) -> Result<Vec<Variant>> {
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
        let text = write_config(&config, &plan, &composition)?;
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
            cargo_release: None,
        };
        let chain = layers.chain(&profile).map_err(|why| Error::new(format!("preset `{name}`: {why}")))?;
        let root = chain.last().expect("a chain ends at a root").clone();
        if workflows.contains(&Workflow::Check) {
            note_cannot_change_check(ctx, &composition, &chain, name);
        }
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

/// Says when a preset's settings for the profiles its builds use (`chain`) all act in code
/// generation, which `cargo check` does not run: its `check` column then differs from the
/// baseline's by noise alone, which a bare ratio hides. Settings of other profiles (`fast-dev`'s
/// `debugging`) are not built here at all.
fn note_cannot_change_check(ctx: &mut Context<'_>, composition: &Composition, chain: &[String], name: &str) {
    let settings: Vec<_> =
        composition.settings.iter().filter(|c| chain.contains(&c.setting.path.table.profile)).collect();
    if settings.is_empty() || !composition.config.is_empty() {
        return;
    }
    if settings.iter().all(|c| c.setting.path.key.codegen_only()) {
        let mut keys: Vec<&str> = settings.iter().map(|c| c.setting.path.key.name()).collect();
        keys.dedup();
        ctx.shell.note(format!(
            "`{name}` cannot change `check`: its settings ({}) act only in code generation, which `cargo check` does not run, so its `check` figures differ by noise alone",
            keys.join(", ")
        ));
    }
}

fn measure(ctx: &mut Context<'_>, variants: &[Variant], args: &BenchArgs, sandbox: &Sandbox) -> Result<Report> {
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
    let cargo = |ctx: &mut Context<'_>, variant: &Variant, subcommand: &[&str], label: &str| {
        sandbox
            .cargo(ctx, variant, subcommand, label)?
            .map_err(|tail| Error::new(format!("the build for {label} failed")).detail(tail.replace('\n', "\n  ")))
    };
    for run in 1..=runs {
        for (i, variant) in variants.iter().enumerate() {
            let label = |what: &str| format!("{} ({what}, run {run}/{runs})", variant.name);
            if wants(Workflow::Check) {
                clean(&variant.target);
                let (wall, cpu) = cargo(ctx, variant, &["check"], &label("check"))?;
                record("check (wall)", Unit::Seconds, i, wall);
                cpu.into_iter().for_each(|c| record("check (CPU)", Unit::Seconds, i, c));
            }
            let needs_build = [Workflow::Build, Workflow::Rebuild, Workflow::Size, Workflow::TargetSize, Workflow::Run];
            if needs_build.iter().any(|w| wants(*w)) {
                clean(&variant.target);
                let (wall, cpu) = cargo(ctx, variant, &["build"], &label("build"))?;
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
                        run_binary(binary, args.report.run_args.as_deref().unwrap_or(""), sandbox.root())?,
                    );
                }
                if wants(Workflow::Rebuild) {
                    sandbox.touch()?;
                    let (wall, _) = cargo(ctx, variant, &["build"], &label("rebuild"))?;
                    record("rebuild (wall)", Unit::Seconds, i, wall);
                }
            }
            if wants(Workflow::Test) {
                clean(&variant.target);
                let (wall, cpu) = cargo(ctx, variant, &["test", "--no-run"], &label("test build"))?;
                record("test build (wall)", Unit::Seconds, i, wall);
                cpu.into_iter().for_each(|c| record("test build (CPU)", Unit::Seconds, i, c));
            }
        }
    }
    Ok(Report { variants: variants.iter().map(|v| (v.name.clone(), v.profile.clone())).collect(), metrics })
}
