//! `cargo presets list`: the presets there are, one line each.

use serde_json::json;

use crate::error::Result;
use crate::ops::{Context, Format};
use crate::preset::Origin;
use crate::shell::Verbosity;

pub fn run(ctx: &mut Context<'_>, format: Format) -> Result<i32> {
    let workspace = ctx.optional_workspace()?;
    let library = ctx.library(workspace.as_ref())?;
    let mut rows = Vec::new();
    for entry in library.entries() {
        let preset = library.get(&entry.name)?;
        rows.push((entry, preset));
    }
    let text = match format {
        Format::Json => {
            let presets: Vec<_> = rows
                .iter()
                .map(|(entry, preset)| {
                    json!({
                        "name": entry.name,
                        "summary": preset.summary,
                        "origin": entry.origin.kind(),
                        "path": entry.origin.path(),
                        "shadows": entry.shadows.iter().map(|o| json!({ "origin": o.kind(), "path": o.path() })).collect::<Vec<_>>(),
                        "description": preset.description,
                        "extends": preset.extends,
                        "components": preset.components,
                        "config_only": preset.needs_config_file(),
                        "machine_specific": preset.machine_specific,
                    })
                })
                .collect();
            format!("{:#}\n", json!({ "presets": presets }))
        }
        Format::Human => {
            let width = rows.iter().map(|(e, _)| e.name.len()).max().unwrap_or(0);
            let mut text = String::new();
            for (entry, preset) in &rows {
                let mut origin = match &entry.origin {
                    Origin::Builtin => String::new(),
                    other => {
                        format!(" [{}: {}]", other.kind(), ctx.display(other.path().expect("file presets have a path")))
                    }
                };
                // Cargo reads these settings only from config files: `apply` needs `--to`.
                if preset.needs_config_file() {
                    origin.push_str(" (config files only)");
                }
                if let Some(hidden) = entry.shadows.first() {
                    origin.push_str(&format!(" (shadows the {} preset)", hidden.kind()));
                }
                text.push_str(&format!("{:width$}  {}{origin}\n", entry.name, preset.summary));
                if ctx.shell.verbosity() == Verbosity::Verbose {
                    text.push_str(&super::show::describe(preset, "    "));
                    text.push('\n');
                }
            }
            text
        }
    };
    ctx.shell.print(&text)?;
    Ok(0)
}
