//! `cargo presets list`: the presets there are, one line each.

use std::path::Path;

use serde::Serialize;

use crate::error::Result;
use crate::ops::{Context, Format};
use crate::preset::{Origin, Preset};
use crate::shell::Verbosity;

pub fn run(ctx: &mut Context<'_>, format: Format) -> Result<i32> {
    let workspace = ctx.optional_workspace()?;
    let library = ctx.library(workspace.as_ref())?;
    let mut rows = Vec::new();
    for entry in library.entries() {
        rows.push((entry, library.get(&entry.name)?));
    }
    let mut presets = Vec::new();
    for (entry, preset) in &rows {
        let shadows = entry.shadows.iter().map(|o| Shadowed { origin: o.kind(), path: o.path() }).collect();
        let mut remark = match &entry.origin {
            Origin::Builtin => String::new(),
            other => format!(" [{}: {}]", other.kind(), ctx.display(other.path().expect("file presets have a path"))),
        };
        // Cargo reads these settings only from config files: `apply` needs `--to`.
        if preset.needs_config_file() {
            remark.push_str(" (config files only)");
        }
        if let Some(hidden) = entry.shadows.first() {
            remark.push_str(&format!(" (shadows the {} preset)", hidden.kind()));
        }
        presets.push(Listed {
            name: &entry.name,
            summary: &preset.summary,
            origin: entry.origin.kind(),
            path: entry.origin.path(),
            shadows,
            description: &preset.description,
            extends: &preset.extends,
            components: &preset.components,
            config_only: preset.needs_config_file(),
            machine_specific: preset.machine_specific,
            remark,
            preset,
        });
    }
    let report = List { presets };
    let text = match format {
        Format::Json => crate::report::json(&report)?,
        Format::Human => report.human(ctx.shell.verbosity() == Verbosity::Verbose),
    };
    ctx.shell.print(&text)?;
    Ok(0)
}

/// `list`'s report: `{"presets": [...]}`, in the library's order.
#[derive(Serialize)]
pub struct List<'a> {
    presets: Vec<Listed<'a>>,
}

/// A preset as `list` shows it.
#[derive(Serialize)]
struct Listed<'a> {
    name: &'a str,
    summary: &'a str,
    /// `built-in`, `project` or `user`, and the file of the latter two.
    origin: &'static str,
    path: Option<&'a Path>,
    /// The presets of the same name this one hides, nearest first.
    shadows: Vec<Shadowed<'a>>,
    description: &'a str,
    extends: &'a [String],
    components: &'a [String],
    config_only: bool,
    machine_specific: bool,
    /// What the line says after the summary: where the preset is from, and what to know.
    #[serde(skip)]
    remark: String,
    #[serde(skip)]
    preset: &'a Preset,
}

#[derive(Serialize)]
struct Shadowed<'a> {
    origin: &'static str,
    path: Option<&'a Path>,
}

impl List<'_> {
    /// One line per preset, the names aligned; `verbose` adds each one's description.
    fn human(&self, verbose: bool) -> String {
        let width = self.presets.iter().map(|p| p.name.len()).max().unwrap_or(0);
        let mut text = String::new();
        for listed in &self.presets {
            text.push_str(&format!("{:width$}  {}{}\n", listed.name, listed.summary, listed.remark));
            if verbose {
                text.push_str(&super::show::describe(listed.preset, "    "));
                text.push('\n');
            }
        }
        text
    }
}
