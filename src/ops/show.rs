//! `cargo presets show`: what each preset is for (when to use it, when not, its costs and
//! sources), then exactly what `apply` would write into a new file, comments included.

use std::path::Path;

use serde::Serialize;

use crate::cargo::schema::Value;
use crate::compose::compose;
use crate::destination::Destination;
use crate::edit::{self, Edit, FileKind};
use crate::error::Result;
use crate::ops::{Context, Format};
use crate::plan::{ExistingProfiles, plan};
use crate::preset::Preset;

/// What `show` is asked.
pub struct ShowOptions {
    /// The presets to compose, in order.
    pub presets: Vec<String>,
    /// The kind of file to render for.
    pub to: Destination,
    pub format: Format,
}

pub fn run(ctx: &mut Context<'_>, args: &ShowOptions) -> Result<i32> {
    let workspace = ctx.optional_workspace()?;
    let library = ctx.library(workspace.as_ref())?;
    let composition = compose(&library, &args.presets)?;
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

    let setting =
        |key: &dyn std::fmt::Display, value, why, preset| Setting { key: key.to_string(), value, why, preset };
    let presets = composition
        .presets
        .iter()
        .map(|p| {
            let extended_by: Vec<&str> = composition.extended_by(&p.name).map(|p| p.name.as_str()).collect();
            let origin = match p.origin.path() {
                Some(path) => format!("{}: {}", p.origin.kind(), ctx.display(path)),
                None => p.origin.kind().to_owned(),
            };
            let also = if extended_by.is_empty() {
                String::new()
            } else {
                format!(", extended by {}", extended_by.join(", "))
            };
            let variants = p.variants.iter().map(|v| ShownVariant {
                name: &v.name,
                when: when_text(&v.when),
                programs: &v.programs,
                note: &v.note,
                settings: v
                    .settings
                    .iter()
                    .map(|s| setting(&s.path, &s.value, &s.why, None))
                    .chain(v.config.iter().map(|s| setting(&s.path, &s.value, &s.why, None)))
                    .collect(),
            });
            Shown {
                name: &p.name,
                summary: &p.summary,
                description: &p.description,
                origin: p.origin.kind(),
                path: p.origin.path(),
                sources: &p.sources,
                extends: &p.extends,
                overrides: &p.overrides,
                components: &p.components,
                programs: &p.programs,
                machine_specific: p.machine_specific,
                variants: variants.collect(),
                heading: format!("{} ({origin}{also})", p.name),
                preset: p,
            }
        })
        .collect();
    let settings = composition
        .settings
        .iter()
        .map(|c| setting(&c.setting.path, &c.setting.value, &c.setting.why, Some(&c.preset)))
        .chain(
            composition
                .config
                .iter()
                .map(|c| setting(&c.setting.path, &c.setting.value, &c.setting.why, Some(&c.preset))),
        )
        .collect();
    let gates =
        plan.gates.keys().map(|g| Gate { cargo_feature: g.manifest_feature, unstable: g.unstable_key }).collect();
    let report = Show { presets, settings, gates, toml, file };
    let text = match args.format {
        Format::Human => report.human(),
        Format::Json => crate::report::json(&report),
    };
    ctx.shell.print(&text)?;
    Ok(0)
}

/// `show`'s report: the presets as composed, the settings they write, the feature gates those
/// need, and the TOML `apply` would write into a new file.
#[derive(Serialize)]
pub struct Show<'a> {
    presets: Vec<Shown<'a>>,
    settings: Vec<Setting<'a>>,
    gates: Vec<Gate>,
    toml: String,
    /// The file the TOML is for.
    #[serde(skip)]
    file: &'a Path,
}

#[derive(Serialize)]
struct Shown<'a> {
    name: &'a str,
    summary: &'a str,
    description: &'a str,
    origin: &'static str,
    path: Option<&'a Path>,
    sources: &'a [String],
    extends: &'a [String],
    overrides: &'a [String],
    components: &'a [String],
    programs: &'a [String],
    #[serde(rename = "machine-specific")]
    machine_specific: bool,
    variants: Vec<ShownVariant<'a>>,
    /// `name (origin, extended by …)`.
    #[serde(skip)]
    heading: String,
    #[serde(skip)]
    preset: &'a Preset,
}

#[derive(Serialize)]
struct ShownVariant<'a> {
    name: &'a str,
    when: String,
    programs: &'a [String],
    note: &'a str,
    settings: Vec<Setting<'a>>,
}

/// A setting: key, value, why, and the preset it comes from once composed.
#[derive(Serialize)]
struct Setting<'a> {
    key: String,
    value: &'a Value,
    why: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    preset: Option<&'a str>,
}

#[derive(Serialize)]
struct Gate {
    #[serde(rename = "cargo-feature")]
    cargo_feature: Option<&'static str>,
    unstable: &'static str,
}

impl Show<'_> {
    /// Each preset described, then the TOML.
    fn human(&self) -> String {
        let mut text = String::new();
        for shown in &self.presets {
            text.push_str(&format!("{}\n  {}\n", shown.heading, shown.summary));
            text.push_str(&describe(shown.preset, "  "));
            text.push('\n');
        }
        if self.toml.trim().is_empty() {
            format!("{text}Writes nothing by itself: `apply` writes the variant that fits the machine.\n")
        } else {
            format!("{text}Writes into {}:\n\n{}", self.file.display(), self.toml)
        }
    }
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
            let mut facts = vec![when_text(&variant.when)];
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
    if let Some(min) = when.min_rustc {
        parts.push(format!("rustc >= {min}"));
    }
    if parts.is_empty() { "any machine".to_owned() } else { parts.join(", ") }
}
