//! `cargo presets show`: exactly what `apply` would write into a new file, comments included.

use std::path::Path;

use serde_json::json;

use crate::cli::{Format, ShowArgs};
use crate::compose::compose;
use crate::edit::{self, Edit, FileKind};
use crate::error::Result;
use crate::ops::Context;
use crate::plan::{ExistingProfiles, plan};
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
        Format::Human => toml,
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

pub fn to_json(value: &Value) -> serde_json::Value {
    match value {
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Str(s) => json!(s),
        Value::Array(items) => json!(items),
    }
}
