//! `cargo presets show`: what each preset is for (when to use it, when not, its costs and
//! sources), then exactly what `apply` would write into a new file, comments included. Presets
//! that only the toolchain's release decides are shown as they apply with this workspace's
//! toolchain (its pin, else `rustc -vV`); those that depend on the host are shown as written.

use std::path::Path;

use serde_json::json;

use crate::cargo::machine::Machine;
use crate::cargo::schema::Value;
use crate::cargo::workspace::Destination;
use crate::cli::{Format, ShowArgs};
use crate::compose::{Composition, For, compose, compose_for};
use crate::edit::{self, Edit, FileKind};
use crate::error::Result;
use crate::ops::Context;
use crate::plan::{ExistingProfiles, plan};
use crate::preset::Preset;

pub fn run(ctx: &mut Context<'_>, args: &ShowArgs) -> Result<i32> {
    let workspace = ctx.optional_workspace()?;
    let library = ctx.library(workspace.as_ref())?;
    let plain = compose(&library, &args.presets)?;
    let (composition, toolchain) = for_toolchain(ctx, workspace.as_ref(), &library, plain, &args.presets)?;
    let plan = plan(&composition, &ExistingProfiles::new())?;
    let (file, kind) = match &args.to {
        // Config settings go only where cargo reads them.
        Destination::Manifest if composition.presets.iter().any(|p| p.needs_config_file()) => {
            (Path::new(".cargo/config.toml"), FileKind::Config)
        }
        Destination::Manifest => (Path::new("Cargo.toml"), FileKind::Manifest),
        Destination::Config => (Path::new(".cargo/config.toml"), FileKind::Config),
        Destination::User => (Path::new("config.toml"), FileKind::Config),
        Destination::File(path) => (path.as_path(), FileKind::Config),
    };
    let new_file_header = super::apply::new_file_header(&args.to, &args.presets, ctx, &plan, &composition, false);
    let edit = Edit { file, kind, force: false, keep: &[], new_file_header, creates_directory: false };
    let toml = edit::render_new(&plan, &composition, &edit)?;

    let text = match args.format {
        Format::Human => {
            let mut text = String::new();
            for preset in &composition.presets {
                let extended_by: Vec<&str> = composition.extended_by(&preset.name).map(|p| p.name.as_str()).collect();
                let origin = match preset.origin.path() {
                    Some(path) => format!("{}: {}", preset.origin.kind(), ctx.display(path)),
                    None => preset.origin.kind().to_owned(),
                };
                let also = if extended_by.is_empty() {
                    String::new()
                } else {
                    format!(", extended by {}", extended_by.join(", "))
                };
                text.push_str(&format!("{} ({origin}{also})\n  {}\n", preset.name, preset.summary));
                // As written, variants included, whichever this toolchain takes.
                let written = library.get(&preset.name).unwrap_or_else(|_| preset.clone());
                text.push_str(&describe(&written, "  "));
                text.push('\n');
            }
            if let Some(toolchain) = toolchain {
                text.push_str(&toolchain);
            }
            if toml.trim().is_empty() {
                format!("{text}Writes nothing by itself: `apply` writes the variant that fits the machine.\n")
            } else {
                format!("{text}Writes into {}:\n\n{toml}", file.display())
            }
        }
        Format::Json => {
            let presets: Vec<_> = composition
                .presets
                .iter()
                .map(|p| {
                    json!({
                        "name": p.name, "summary": p.summary, "description": p.description,
                        "origin": p.origin.kind(), "path": p.origin.path(), "sources": p.sources,
                        "extends": p.extends, "overrides": p.overrides, "components": p.components,
                        "programs": p.programs, "machine-specific": p.machine_specific,
                        "variants": p.variants.iter().map(|v| json!({
                            "name": v.name, "when": when_text(&v.when), "programs": v.programs, "note": v.note,
                            "settings": v.settings.iter().map(|s| setting_json(&s.path, &s.value, &s.why, None))
                                .chain(v.config.iter().map(|s| setting_json(&s.path, &s.value, &s.why, None)))
                                .collect::<Vec<_>>(),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let settings: Vec<_> = composition
                .settings
                .iter()
                .map(|c| setting_json(&c.setting.path, &c.setting.value, &c.setting.why, Some(&c.preset)))
                .chain(
                    composition
                        .config
                        .iter()
                        .map(|c| setting_json(&c.setting.path, &c.setting.value, &c.setting.why, Some(&c.preset))),
                )
                .collect();
            let gates: Vec<_> = plan
                .gates
                .keys()
                .map(|g| json!({ "cargo-feature": g.manifest_feature, "unstable": g.unstable_key }))
                .collect();
            format!("{:#}\n", json!({ "presets": presets, "settings": settings, "gates": gates, "toml": toml }))
        }
    };
    ctx.shell.print(&text)?;
    Ok(0)
}

/// The composition as it applies with the workspace's toolchain, where only the toolchain
/// decides (no host, no programs), and a line saying which release chose which variants. Also
/// for `remove --profile` and `status`, which move a preset's settings as `apply` moved them.
pub fn for_toolchain(
    ctx: &Context<'_>,
    workspace: Option<&crate::cargo::workspace::Workspace>,
    library: &crate::library::Library,
    plain: Composition,
    presets: &[String],
) -> Result<(Composition, Option<String>)> {
    let depending: Vec<_> = plain.presets.iter().filter(|p| p.depends_on_machine()).collect();
    if depending.is_empty() || !depending.iter().all(|p| p.depends_on_toolchain_only()) {
        return Ok((plain, None));
    }
    let pinned = workspace.and_then(crate::cargo::workspace::Workspace::pinned_release);
    let dir = workspace.map_or(ctx.cwd.as_path(), crate::cargo::workspace::Workspace::root);
    let machine = Machine::toolchain(dir, pinned.as_ref().map(|(release, _)| *release));
    let composition = compose_for(library, presets, Some(&For { machine: &machine, variant: None }))?;
    let toolchain = match (machine.release, &pinned) {
        (Some(release), Some((_, file))) => format!("rustc {release} (pinned by {})", pin_source(ctx, file.as_deref())),
        (Some(release), None) => format!("rustc {release} (`rustc -vV`)"),
        (None, _) => "a toolchain of unknown release (`rustc -vV` did not answer): what every cargo accepts".to_owned(),
    };
    let chosen: Vec<String> =
        composition.choices.iter().map(|c| format!("`{}` takes `{}`", c.preset, c.variant)).collect();
    Ok((composition, Some(format!("For {toolchain}: {}.\n", chosen.join(", ")))))
}

/// What pins the toolchain: its file, or `RUSTUP_TOOLCHAIN` (`None`).
pub fn pin_source(ctx: &Context<'_>, file: Option<&Path>) -> String {
    file.map_or_else(|| "`RUSTUP_TOOLCHAIN`".to_owned(), |file| format!("`{}`", ctx.display(file)))
}

/// The description, what the preset relies on, and its sources, each line indented: for `show`
/// and `list -v`.
pub fn describe(preset: &Preset, indent: &str) -> String {
    let mut text = String::new();
    if !preset.description.trim().is_empty() {
        text.push('\n');
        for line in preset.description.trim_end().lines() {
            text.push_str(&format!("{indent}{line}\n").replace(&format!("{indent}\n"), "\n"));
        }
    }
    for s in preset.settings.iter().chain(preset.variants.iter().flat_map(|v| &v.settings)) {
        if !s.rustc.is_any() {
            text.push_str(&format!("{indent}Written for rustc {} only: {} = {}\n", s.rustc, s.path, s.value));
        }
        if let Some(redundant) = &s.redundant {
            let (path, value, range, because) = (&s.path, &s.value, redundant.rustc, &redundant.because);
            text.push_str(&format!(
                "{indent}Redundant on rustc {range}: {path} = {value} ({because}); written all the same\n"
            ));
        }
    }
    if !preset.relies_on.is_empty() {
        text.push_str(&format!("{indent}Relies on (not written; applying it over other values is a conflict):\n"));
        for s in &preset.relies_on {
            text.push_str(&format!("{indent}  {} = {}: {}\n", s.path, s.value, s.why));
        }
    }
    if preset.machine_specific {
        text.push_str(&format!("{indent}For this machine only: refused in files shared through git unless forced.\n"));
    }
    if !preset.when.is_always() {
        text.push_str(&format!("{indent}Applies on: {}\n", when_text(&preset.when)));
    }
    if !preset.programs.is_empty() {
        text.push_str(&format!("{indent}Needs on PATH: {}\n", preset.programs.join(", ")));
    }
    if !preset.variants.is_empty() {
        text.push_str(&format!(
            "{indent}Variants (`apply` takes the first that fits the machine; `--variant NAME` picks one):\n"
        ));
        for variant in &preset.variants {
            let mut facts =
                vec![if variant.when.is_always() { "otherwise".to_owned() } else { when_text(&variant.when) }];
            if !variant.programs.is_empty() {
                facts.push(format!("needs {}", variant.programs.join(", ")));
            }
            text.push_str(&format!("{indent}  {} ({})\n", variant.name, facts.join("; ")));
            for s in &variant.settings {
                text.push_str(&format!("{indent}    {} = {}\n", s.path, s.value));
            }
            for s in &variant.config {
                text.push_str(&format!("{indent}    {} = {}\n", s.path, s.value));
            }
            if variant.settings.is_empty() && variant.config.is_empty() {
                text.push_str(&format!("{indent}    writes nothing: {}\n", crate::render::one_line(&variant.note)));
            }
        }
    }
    if !preset.sources.is_empty() {
        text.push_str(&format!("{indent}Sources:\n"));
        for source in &preset.sources {
            text.push_str(&format!("{indent}  {source}\n"));
        }
    }
    text
}

/// `host x86_64-unknown-linux-gnu, rustc >= 1.90.0`, or `any machine`.
fn when_text(when: &crate::cargo::machine::When) -> String {
    let mut parts = Vec::new();
    for (what, list) in [("host", &when.host), ("OS", &when.os), ("architecture", &when.arch)] {
        if !list.is_empty() {
            parts.push(format!("{what} {}", list.join(" or ")));
        }
    }
    if let Some(channel) = &when.channel {
        parts.push(format!("{channel} toolchain"));
    }
    if !when.rustc.is_any() {
        parts.push(format!("rustc {}", when.rustc));
    }
    if parts.is_empty() { "any machine".to_owned() } else { parts.join(", ") }
}

/// A setting as `show --format json` lists it: key, value, why, and the preset where composed.
fn setting_json(key: &dyn std::fmt::Display, value: &Value, why: &str, preset: Option<&str>) -> serde_json::Value {
    let mut json = json!({ "key": key.to_string(), "value": to_json(value), "why": why });
    if let Some(preset) = preset {
        json["preset"] = json!(preset);
    }
    json
}

pub fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Str(s) => json!(s),
        Value::Array(items) => json!(items),
    }
}
