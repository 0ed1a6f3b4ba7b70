//! `cargo presets explain [PROFILE] [KEY]`: the effective value of each setting of a profile and
//! where it came from; or, given only a key name, what that key does.

use serde_json::json;

use crate::cli::{ExplainArgs, Format};
use crate::effective::{self, Definition, Effective, Layer, Layers};
use crate::error::{Error, Result};
use crate::files;
use crate::ops::Context;
use crate::schema::Key;
use crate::workspace::{self, Workspace};

pub fn run(ctx: &mut Context<'_>, args: &ExplainArgs) -> Result<i32> {
    let workspace = ctx.workspace()?;
    let layers = layers(ctx, &workspace)?;
    let (profile, key) = match (args.profile.as_deref(), args.key.as_deref()) {
        (Some(name), None) if Key::from_name(name).is_some() && layers.chain(name).is_err() => {
            let key = Key::from_name(name).expect("checked");
            return ctx.shell.print(&teach(key)).map(|()| 0);
        }
        (profile, key) => (profile.unwrap_or("dev"), key),
    };
    let keys: Vec<Key> = match key {
        Some(name) => vec![Key::from_name(name).ok_or_else(|| {
            Error::new(format!("unknown profile key `{name}`"))
                .help(format!("the keys are: {}", Key::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")))
        })?],
        None => Key::ALL.into_iter().filter(|k| *k != Key::Inherits).collect(),
    };
    let chain =
        layers.chain(profile).map_err(|why| Error::new(format!("cannot explain profile `{profile}`: {why}")))?;
    let mut settings = Vec::new();
    for key in keys {
        let effective = layers.effective(profile, key, None).map_err(|e| Error::new(e.to_string()))?;
        // Unstable keys nobody set are noise in a full listing.
        if key.gate(&crate::schema::Value::Bool(true)).is_some() && effective.value.is_none() && args.key.is_none() {
            continue;
        }
        settings.push(effective);
    }
    let root = chain.last().expect("a chain ends at a root").clone();
    let text = match args.format {
        Format::Json => format!("{:#}\n", report(profile, &chain, &settings)),
        Format::Human => human(profile, &chain, &root, &settings),
    };
    ctx.shell.print(&text)?;
    Ok(0)
}

/// The layers cargo reads from here, lowest precedence first.
pub fn layers(ctx: &Context<'_>, workspace: &Workspace) -> Result<Layers> {
    let mut files = vec![Layer::manifest(ctx.display(&workspace.manifest), files::read(&workspace.manifest)?)];
    let configs = workspace::config_files(&ctx.cwd);
    // `read` is nearest first with the user's last; precedence is the other way round.
    for (_, path) in configs.read.iter().rev() {
        files.push(Layer::config(ctx.display(path), files::read(path)?));
    }
    let env = std::env::vars().filter(|(k, _)| effective::is_profile_variable(k)).collect();
    Ok(Layers { files, env })
}

fn provenance(effective: &Effective, profile: &str, root: &str) -> String {
    let Some(from) = &effective.from else {
        return match effective.value {
            Some(_) => format!("default for {root}"),
            None => "not set".to_owned(),
        };
    };
    let mut text = format!("from {}", from.source);
    if from.profile != profile {
        text.push_str(&format!(", [profile.{}]", from.profile));
    }
    if let Some(preset) = &from.preset {
        text.push_str(&format!(", preset {preset}"));
    }
    if !effective.overrides.is_empty() {
        let lost: Vec<String> =
            effective.overrides.iter().map(|d| format!("{} {} = {}", d.source, effective.key, d.value)).collect();
        text.push_str(&format!("; overrides {}", lost.join(", ")));
    }
    text
}

fn human(profile: &str, chain: &[String], root: &str, settings: &[Effective]) -> String {
    let mut text = if chain.len() > 1 {
        format!("profile `{profile}` (inherits {})\n", chain[1..].join(" -> "))
    } else {
        format!("profile `{profile}`\n")
    };
    for effective in settings {
        match &effective.value {
            Some(value) => {
                text.push_str(&format!("  {} = {value}  ({})\n", effective.key, provenance(effective, profile, root)))
            }
            None => text.push_str(&format!("  {} is not set\n", effective.key)),
        }
        let meaning = effective::meaning(effective.key, effective.value.as_ref());
        if !meaning.is_empty() {
            text.push_str(&format!("      {meaning}\n"));
        }
    }
    text
}

fn report(profile: &str, chain: &[String], settings: &[Effective]) -> serde_json::Value {
    let definition = |d: &Definition| json!({ "source": d.source, "profile": d.profile, "preset": d.preset, "value": super::show::to_json(&d.value) });
    let settings: Vec<_> = settings
        .iter()
        .map(|e| {
            json!({
                "key": e.key.name(),
                "value": e.value.as_ref().map(super::show::to_json),
                "meaning": effective::meaning(e.key, e.value.as_ref()),
                "from": e.from.as_ref().map(definition),
                "overrides": e.overrides.iter().map(definition).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "profile": profile, "chain": chain, "settings": settings })
}

/// What a key does, its values and defaults, and its trade-off.
fn teach(key: Key) -> String {
    let dev = effective::default("dev", key);
    let release = effective::default("release", key);
    let show = |v: Option<crate::schema::Value>| v.map_or("unset".to_owned(), |v| v.to_string());
    let mut text = format!("{}: {}\n", key.name(), about(key));
    text.push_str(&format!("  values: {}\n", key.expected()));
    text.push_str(&format!("  default: dev {}, release {}\n", show(dev), show(release)));
    if let Some(gate) = key.gate(&crate::schema::Value::Bool(true)) {
        text.push_str(&format!("  unstable: needs nightly cargo and `[unstable] {} = true`\n", gate.unstable_key));
    }
    if !key.allowed_in_override() {
        text.push_str("  not allowed in `package` or `build-override` tables\n");
    }
    text
}

fn about(key: Key) -> &'static str {
    match key {
        Key::Inherits => {
            "the profile a custom profile starts from; required on every profile but dev, release, test and bench"
        }
        Key::OptLevel => {
            "how hard rustc optimises; higher runs faster and builds slower, \"s\"/\"z\" trade speed for size"
        }
        Key::Debug => {
            "how much debug information is emitted (symbols and line tables, not checks: see debug-assertions); it dominates build time and binary size in dev"
        }
        Key::SplitDebuginfo => {
            "whether debug info is kept in separate files; values the target does not support are silently ignored"
        }
        Key::Strip => {
            "what is stripped from the binary; true means symbols. Leave it unset to let cargo strip std's debug info when none is asked for"
        }
        Key::DebugAssertions => "whether debug_assert! and cfg(debug_assertions) code runs; not the same as debug info",
        Key::OverflowChecks => "whether integer overflow panics instead of wrapping",
        Key::Lto => {
            "link-time optimisation across crates: smaller, faster code for a slower link; false still means thin local LTO, \"off\" disables it"
        }
        Key::Panic => {
            "unwind or abort on panic; abort is smaller and faster but ends catch_unwind; tests always unwind"
        }
        Key::Incremental => {
            "reuse of earlier compilation of workspace crates; it changes the default codegen-units too"
        }
        Key::CodegenUnits => {
            "how many parallel units a crate is split into for codegen; 1 gives the best code and the slowest build"
        }
        Key::Rpath => "whether the binary embeds a search path for shared libraries",
        Key::CodegenBackend => "the code generator: llvm, or cranelift for faster unoptimised builds",
        Key::Rustflags => "extra rustc flags for the units this profile builds",
        Key::TrimPaths => "which paths are removed from the compiled output, for reproducible builds and privacy",
        Key::HintMostlyUnused => "a hint that most of a large dependency goes unused, so its codegen is deferred",
    }
}
