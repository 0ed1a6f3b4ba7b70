//! `cargo presets show`: what each preset is for (when to use it, when not, its costs and
//! sources), then exactly what `apply` would write into a new file, comments included. Presets
//! that only the toolchain's release decides are shown as they apply with this workspace's
//! toolchain (its pin, else `rustc -vV`); those that depend on the host are shown as written.

use std::path::Path;
use std::rc::Rc;

use serde::Serialize;

use crate::cargo::machine::Machine;
use crate::cargo::schema::Value;
use crate::compose::{Composition, For, compose, compose_for};
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
    let edit = Edit { new_file_header, ..Edit::new(file, kind) };
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
                // As written, variants included, whichever this toolchain takes.
                written: library.get(&p.name).unwrap_or_else(|_| p.clone()),
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
    // `packages = "named"`: written only for the crates `apply --package` names.
    let templates = composition
        .templates
        .iter()
        .map(|c| setting(&c.setting.path, &c.setting.value, &c.setting.why, Some(&c.preset)));
    let templates = templates.collect();
    let gates =
        plan.gates.keys().map(|g| Gate { cargo_feature: g.manifest_feature, unstable: g.unstable_key }).collect();
    let report = Show { presets, settings, templates, gates, toml, file, toolchain };
    let text = match args.format {
        Format::Human => report.human(),
        Format::Json => crate::report::json(&report)?,
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
    /// The settings of presets with `packages = "named"`, which `apply --package CRATE` writes
    /// for each crate named (`package."*"` standing for the crate).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    templates: Vec<Setting<'a>>,
    gates: Vec<Gate>,
    toml: String,
    /// The file the TOML is for.
    #[serde(skip)]
    file: &'a Path,
    /// Which release chose which variants, where only the toolchain decides.
    #[serde(skip)]
    toolchain: Option<String>,
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
    written: Rc<Preset>,
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
            text.push_str(&describe(&shown.written, "  "));
            text.push('\n');
        }
        if let Some(toolchain) = &self.toolchain {
            text.push_str(toolchain);
        }
        let mut text = if self.toml.trim().is_empty() {
            format!("{text}Writes nothing by itself: `apply` writes the variant that fits the machine.\n")
        } else {
            format!("{text}Writes into {}:\n\n{}", self.file.display(), self.toml)
        };
        if !self.templates.is_empty() {
            text.push_str("\nWith `--package CRATE`, also for each crate named:\n");
            for template in &self.templates {
                let key = template.key.replace("package.\"*\"", "package.CRATE");
                text.push_str(&format!("  {key} = {}  # {}\n", template.value, template.why));
            }
        }
        text
    }
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
        (Some(release), Some((_, file))) => format!("rustc {release} (pinned by {})", ctx.pin_source(file.as_deref())),
        (Some(release), None) => format!("rustc {release} (`rustc -vV`)"),
        (None, _) => "a toolchain of unknown release (`rustc -vV` did not answer): what every cargo accepts".to_owned(),
    };
    let chosen: Vec<String> =
        composition.choices.iter().map(|c| format!("`{}` takes `{}`", c.preset, c.variant)).collect();
    Ok((composition, Some(format!("For {toolchain}: {}.\n", chosen.join(", ")))))
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
