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
use crate::cargo::machine::host_triple;
use crate::cargo::schema::{self, Key};
use crate::cargo::workspace::Workspace;
use crate::compose::{Composition, compose};
use crate::error::{Error, Result};
use crate::files;
use crate::measure::bench;
use crate::measure::builder::{Builder, Cargo};
use crate::measure::stats::{self, Report};
use crate::measure::workflow::Workflow;
use crate::ops::{Context, Format};
use crate::plan::plan;

use crate::measure::sandbox::{Sandbox, Variant, check_chart, write_chart, write_config};

/// What `bench` is asked.
pub struct BenchOptions {
    /// The presets to compare with the current settings, each on its own.
    pub presets: Vec<String>,
    pub workflow: Vec<Workflow>,
    /// How many times to measure each variant.
    pub runs: u32,
    pub report: MeasureOptions,
}

/// What `bench` and `tune` share: the binary's arguments for `run`, and the report.
pub struct MeasureOptions {
    pub run_args: Option<String>,
    /// Where to write the SVG chart (default: in the target directory).
    pub chart: Option<std::path::PathBuf>,
    pub format: Format,
}

pub fn run(ctx: &mut Context<'_>, args: &BenchOptions) -> Result<i32> {
    let workspace = ctx.workspace()?;
    if let Some(chart) = &args.report.chart {
        check_chart(ctx, chart)?;
    }
    // Before the copy: a configuration cargo refuses to load fails every build of it.
    let baseline = ctx.reading(&workspace)?.layers;
    let sandbox = Sandbox::new(&workspace, &ctx.cwd, "bench")?;

    if let Some(warning) = bench::too_few_runs(args.runs, &args.workflow) {
        ctx.shell.warn(warning);
    }
    let result = variants(ctx, &workspace, &baseline, &sandbox.scratch, &args.presets, &args.workflow)
        .and_then(|variants| measure(ctx, &variants, args, &sandbox));
    if let Some(code) = sandbox.remove(ctx.shell, "nothing measured is kept") {
        return Ok(code);
    }
    let report = result?;

    match args.report.format {
        Format::Json => ctx.shell.print(&crate::report::json(&stats::Json::of(&report))?)?,
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
    baseline: &Layers,
    scratch: &Path,
    presets: &[String],
    workflows: &[Workflow],
) -> Result<Vec<Variant>> {
    let library = ctx.library(Some(workspace))?;
    let manifest_text = files::read(&workspace.manifest)?;
    let manifest = &workspace.parsed;
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
        note_baseline_overlap(ctx, baseline, &composition, name);
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
                cargo_args: Vec::new(),
                target: scratch.join("target-baseline"),
            });
        }
        let toolchain = nightly.then_some("nightly");
        out.push(Variant {
            name: name.clone(),
            profile,
            config: Some(config),
            toolchain,
            cargo_args: composition.cargo_args(|| host_triple(&ctx.cwd).unwrap_or_else(|| "<target-triple>".into())),
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

/// Says when a preset's settings for the profiles its builds use (`chain`) cannot change
/// `check`. Settings of other profiles (`fast-dev`'s `debugging`) are not built here at all.
fn note_cannot_change_check(ctx: &mut Context<'_>, composition: &Composition, chain: &[String], name: &str) {
    let keys: Vec<Key> = composition
        .settings
        .iter()
        .filter(|c| chain.contains(&c.setting.path.table.profile))
        .map(|c| c.setting.path.key)
        .collect();
    if let Some(note) = bench::cannot_change_check(name, &keys, !composition.config.is_empty()) {
        ctx.shell.note(note);
    }
}

fn measure(ctx: &mut Context<'_>, variants: &[Variant], args: &BenchOptions, sandbox: &Sandbox) -> Result<Report> {
    let mut builder = Cargo::new(ctx, sandbox, args.report.run_args.as_deref().unwrap_or(""));
    for variant in variants {
        builder.add(variant.clone());
    }
    let names: Vec<(String, String)> = variants.iter().map(|v| (v.name.clone(), v.profile.clone())).collect();
    bench::measure(&mut builder, &names, &args.workflow, args.runs)
}
