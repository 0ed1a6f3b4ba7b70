//! `cargo presets show`: what each preset is for (when to use it, when not, its costs and
//! sources), then exactly what `apply` would write into a new file, comments included.

use std::path::Path;

use serde_json::json;

use crate::cli::{Format, ShowArgs};
use crate::compose::compose;
use crate::edit::{self, Edit, FileKind};
use crate::error::Result;
use crate::ops::Context;
use crate::plan::{ExistingProfiles, plan};
use crate::preset::Preset;
use crate::schema::Value;
use crate::workspace::Destination;

pub fn run(ctx: &mut Context<'_>, args: &ShowArgs) -> Result<i32> {
    let workspace = ctx.optional_workspace()?;
    let library = ctx.library(workspace.as_ref())?;
    let composition = compose(&library, &args.presets)?;
    let plan = plan(&composition, &ExistingProfiles::new())?;
    let (file, kind) = match &args.to {
        Destination::Manifest => (Path::new("Cargo.toml"), FileKind::Manifest),
        Destination::Config => (Path::new(".cargo/config.toml"), FileKind::Config),
        Destination::User => (Path::new("config.toml"), FileKind::Config),
        Destination::File(path) => (path.as_path(), FileKind::Config),
    };
    let new_file_header = super::apply::new_file_header(&args.to, &args.presets, ctx, &plan);
    let edit = Edit { file, kind, force: false, new_file_header };
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
                text.push_str(&describe(preset, "  "));
                text.push('\n');
            }
            format!("{text}Writes into {}:\n\n{toml}", file.display())
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
                    })
                })
                .collect();
            let settings: Vec<_> = composition
                .settings
                .iter()
                .map(|c| json!({ "key": c.setting.path.to_string(), "value": to_json(&c.setting.value), "preset": c.preset, "why": c.setting.why }))
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
    if !preset.relies_on.is_empty() {
        text.push_str(&format!("{indent}Relies on (not written; applying it over other values is a conflict):\n"));
        for s in &preset.relies_on {
            text.push_str(&format!("{indent}  {} = {}: {}\n", s.path, s.value, s.why));
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

pub fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Str(s) => json!(s),
        Value::Array(items) => json!(items),
    }
}
