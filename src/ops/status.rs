//! `cargo presets status`: which presets are applied in which file, and whether each is intact
//! or has drifted (a value changed since) or is partial (keys missing).

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::json;

use crate::cli::{Format, StatusArgs};
use crate::edit::{self, KeyState, marker::Marker};
use crate::error::Result;
use crate::files;
use crate::ops::Context;
use crate::workspace::{Destination, Target};

pub fn run(ctx: &mut Context<'_>, args: &StatusArgs) -> Result<i32> {
    let workspace = ctx.workspace()?;
    let library = ctx.library(Some(&workspace))?;
    // Values presets wrote into the manifest that a config file or a variable replaces.
    let overridden = super::explain::layers(ctx, &workspace)?.overridden_presets();
    let mut files_seen: Vec<PathBuf> = Vec::new();
    let mut report = Vec::new();
    for destination in [Destination::Manifest, Destination::Config, Destination::User] {
        let Ok(target) = Target::resolve(&destination, &workspace, &ctx.cwd) else { continue };
        if files_seen.contains(&target.path) {
            continue;
        }
        files_seen.push(target.path.clone());
        let file = ctx.relative(&target.path);
        let shown = file.display().to_string();
        let Some(text) = files::read_optional(&file)? else { continue };
        let parsed = edit::parse(&file, &text)?;
        let names: BTreeSet<&str> = text.lines().filter_map(Marker::parse).map(|m| m.preset).collect();
        let mut presets = Vec::new();
        for name in names {
            let Ok(preset) = library.get(name) else {
                presets.push(
                    json!({ "name": name, "state": "unknown", "keys": 0, "changed": [], "taken": [], "missing": [] }),
                );
                continue;
            };
            let mut changed = Vec::new();
            let mut taken = Vec::new();
            let mut missing = Vec::new();
            let mut written = 0;
            for (path, state) in edit::key_states(&parsed, &preset) {
                match state {
                    KeyState::Intact => written += 1,
                    KeyState::Changed(current) => {
                        written += 1;
                        let wanted = preset.value_of(path).map(ToString::to_string);
                        changed.push(json!({ "key": path.to_string(), "current": current, "preset": wanted }));
                    }
                    KeyState::TakenBy(other) => taken.push(json!({ "key": path.to_string(), "by": other })),
                    KeyState::Missing => missing.push(path.to_string()),
                }
            }
            let overridden: Vec<_> = if destination == Destination::Manifest {
                overridden
                    .iter()
                    .filter(|o| o.written.preset.as_deref() == Some(name))
                    .map(|o| json!({ "key": o.path.to_string(), "value": o.by.value.to_string(), "by": o.by.source }))
                    .collect()
            } else {
                Vec::new()
            };
            let state = if !changed.is_empty() {
                "drifted"
            } else if missing.is_empty() {
                "intact"
            } else {
                "partial"
            };
            presets.push(json!({
                "name": name, "state": state, "keys": written, "changed": changed, "taken": taken, "missing": missing,
                "overridden": overridden,
            }));
        }
        if !presets.is_empty() {
            report.push(json!({ "file": shown, "presets": presets }));
        }
    }
    let text = match args.format {
        Format::Json => format!("{:#}\n", json!({ "files": report })),
        Format::Human => human(&report),
    };
    ctx.shell.print(&text)?;
    Ok(0)
}

fn human(report: &[serde_json::Value]) -> String {
    if report.is_empty() {
        return "no presets applied here\n".to_owned();
    }
    let mut out = String::new();
    for file in report {
        out.push_str(&format!("{}\n", file["file"].as_str().unwrap_or_default()));
        for preset in file["presets"].as_array().into_iter().flatten() {
            let name = preset["name"].as_str().unwrap_or_default();
            let keys = preset["keys"].as_u64().unwrap_or(0);
            let line = match preset["state"].as_str().unwrap_or_default() {
                "intact" => {
                    let taken: Vec<String> = preset["taken"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|t| {
                            format!(
                                "`{}` now set by `{}`",
                                t["key"].as_str().unwrap_or_default(),
                                t["by"].as_str().unwrap_or_default()
                            )
                        })
                        .collect();
                    let also = if taken.is_empty() { String::new() } else { format!("; {}", taken.join("; ")) };
                    format!("intact ({keys} {}{also})", if keys == 1 { "key" } else { "keys" })
                }
                "unknown" => "written by a preset that no longer exists here".to_owned(),
                state => {
                    let changed = preset["changed"].as_array().into_iter().flatten().map(|c| {
                        format!(
                            "`{}` is {}, the preset sets {}",
                            c["key"].as_str().unwrap_or_default(),
                            c["current"].as_str().unwrap_or_default(),
                            c["preset"].as_str().unwrap_or("?")
                        )
                    });
                    let missing = preset["missing"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|m| format!("`{}` is missing", m.as_str().unwrap_or_default()));
                    format!("{state}: {}", changed.chain(missing).collect::<Vec<_>>().join("; "))
                }
            };
            let overridden: Vec<String> = preset["overridden"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| {
                    format!(
                        "`{}` is {} here: `{}` overrides it",
                        o["key"].as_str().unwrap_or_default(),
                        o["value"].as_str().unwrap_or_default(),
                        o["by"].as_str().unwrap_or_default()
                    )
                })
                .collect();
            let line = if overridden.is_empty() { line } else { format!("{line}; {}", overridden.join("; ")) };
            out.push_str(&format!("  {name:<20} {line}\n"));
        }
    }
    out
}
