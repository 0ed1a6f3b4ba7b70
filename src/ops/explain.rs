//! `cargo presets explain [PROFILE] [KEY]`: the effective value of each setting of a profile and
//! where it came from; or, given only a key name, what that key does.

use serde_json::json;

use crate::cli::{ExplainArgs, Format};
use std::path::Path;

use crate::cargo::effective::{self, Definition, Effective, FlagsSource, Layer, Layers, Role, Rustflags, Unit};
use crate::cargo::inherit::{Broken, ChainError};
use crate::cargo::machine::Machine;
use crate::cargo::schema::{Key, Value};
use crate::cargo::workspace::{self, Workspace};
use crate::error::{Error, Result};
use crate::files;
use crate::ops::Context;
use crate::preset;

pub fn run(ctx: &mut Context<'_>, args: &ExplainArgs) -> Result<i32> {
    // A key name alone asks what the key does, which needs no project; a profile of that name
    // (`[profile.debug-assertions]` is allowed) is explained instead where there is one.
    if let (Some(name), None, None) = (args.profile.as_deref(), &args.key, &args.package)
        && let Some(key) = Key::from_name(name)
    {
        let is_profile = match ctx.optional_workspace() {
            Ok(Some(workspace)) => layers(ctx, &workspace).is_ok_and(|l| l.chain(name).is_ok()),
            _ => false,
        };
        if !is_profile {
            return ctx.shell.print(&teach(key)).map(|()| 0);
        }
    }
    let workspace = ctx.workspace()?;
    let layers = layers(ctx, &workspace)?;
    let profile = args.profile.as_deref().unwrap_or("dev");
    let chain = layers.chain(profile).map_err(|why| unknown_profile("explain", profile, &why, &layers))?;
    let keys: Vec<Key> = match args.key.as_deref() {
        Some(name) => vec![Key::from_name(name).ok_or_else(|| {
            let error = Error::new(format!("unknown profile key `{name}`"));
            let error = match crate::cargo::profiles::suggest_key(name) {
                Some(near) => error.help(format!("did you mean `{near}`?")),
                None => error,
            };
            error.help(format!("the keys are: {}", Key::ALL.iter().map(|k| k.name()).collect::<Vec<_>>().join(", ")))
        })?],
        None => Key::ALL.into_iter().filter(|k| *k != Key::Inherits).collect(),
    };
    let value_of =
        |key: Key, unit: Option<&Unit<'_>>| layers.effective(profile, key, unit).map_err(|e| Error::new(e.to_string()));
    let mut settings = Vec::new();
    for &key in &keys {
        let effective = value_of(key, None)?;
        // Unstable keys nobody set are noise in a full listing.
        if key.gate(&Value::Bool(true)).is_some() && effective.value.is_none() && args.key.is_none() {
            continue;
        }
        settings.push(effective);
    }
    let mut units = Vec::new();
    for kind in unit_kinds(&workspace, &layers, &chain, args.package.as_deref())? {
        let unit = kind.unit();
        let settings = keys.iter().map(|&key| value_of(key, Some(&unit))).collect::<Result<Vec<_>>>()?;
        units.push((kind, settings));
    }
    let root = chain.last().expect("a chain ends at a root").clone();
    // Config rustflags reach every profile; shown where some are set.
    let rustflags = layers.sets_rustflags().then(|| config_rustflags(&layers, workspace.root()));
    let text = match args.format {
        Format::Json => format!("{:#}\n", report(profile, &chain, &settings, &units, rustflags.as_ref())),
        Format::Human => {
            human(profile, &chain, &root, &settings, &units) + &rustflags.map(human_rustflags).unwrap_or_default()
        }
    };
    ctx.shell.print(&text)?;
    Ok(0)
}

/// A kind of unit `explain` shows: with `--package`, that package built for the target and for
/// the build; otherwise dependencies, each package a spec names, and what runs during the build.
struct UnitKind {
    label: String,
    package: String,
    member: bool,
    local: bool,
    role: Role,
}

impl UnitKind {
    fn unit(&self) -> Unit<'_> {
        Unit { package: &self.package, member: self.member, local: self.local, role: self.role }
    }
}

fn unit_kinds(
    workspace: &Workspace,
    layers: &Layers,
    chain: &[String],
    package: Option<&str>,
) -> Result<Vec<UnitKind>> {
    let locked = workspace::locked_packages(workspace.root());
    let is_member = |name: &str| workspace.member_names.contains(name);
    // A package `Cargo.lock` does not know (or without one) is taken as a path package.
    let is_local = |name: &str| is_member(name) || locked.as_ref().and_then(|l| l.get(name).copied()).unwrap_or(true);
    let kind = |label: &str, package: &str, member: bool, local: bool, role| UnitKind {
        label: label.to_owned(),
        package: package.to_owned(),
        member,
        local,
        role,
    };
    if let Some(name) = package {
        let known = is_member(name) || locked.as_ref().is_some_and(|l| l.contains_key(name));
        if !known && locked.is_some() {
            let names: Vec<&str> = workspace
                .member_names
                .iter()
                .map(String::as_str)
                .chain(locked.iter().flat_map(|l| l.keys().map(String::as_str)))
                .collect();
            let mut error = Error::new(format!("package `{name}` is not in this workspace or its `Cargo.lock`"));
            if let Some(near) = preset::closest(name, names.iter().copied(), 3) {
                error = error.help(format!("did you mean `{near}`?"));
            }
            return Err(error);
        }
        let (member, local) = (is_member(name), is_local(name));
        return Ok(vec![
            kind(&format!("`{name}` built for the target"), name, member, local, Role::Target),
            kind(&format!("`{name}` built for build scripts or proc-macros only"), name, member, local, Role::HostOnly),
            kind(&format!("`{name}` built once for both"), name, member, local, Role::HostShared),
        ]);
    }
    let mut kinds = vec![
        // Where `CARGO_INCREMENTAL` or `build.incremental` decides, the workspace's crates do not
        // get the profile's `incremental`.
        kind("the workspace's crates", "", true, true, Role::Target),
        kind("dependencies from crates.io or git", "*", false, false, Role::Target),
        kind("what build scripts and proc-macros use", "*", false, false, Role::HostOnly),
        kind("the workspace's build scripts and proc-macros", "", true, true, Role::HostOnly),
    ];
    let mut specs: Vec<String> = Vec::new();
    for link in chain {
        for key in Key::ALL {
            for spec in layers.specs(link, key) {
                if spec != "*" && !specs.contains(&spec) {
                    specs.push(spec);
                }
            }
        }
    }
    for spec in specs {
        let name = spec.split(['@', ':']).next().unwrap_or_default();
        kinds.push(kind(&format!("package `{spec}`"), &spec, is_member(name), is_local(name), Role::Target));
    }
    Ok(kinds)
}

/// The error for a profile without a chain, for the command `verb` (`explain`, `verify`):
/// cargo's reason, and the nearest known name.
pub(super) fn unknown_profile(verb: &str, profile: &str, why: &ChainError, layers: &Layers) -> Error {
    let mut error = Error::new(format!("cannot {verb} profile `{profile}`: {why}"));
    if why.broken == Broken::NotDefined {
        let names = layers.profile_names();
        if let Some(near) = preset::closest(profile, names.iter().map(String::as_str), 3) {
            error = error.help(format!("did you mean `{near}`?"));
        }
        error = error.help(format!("the profiles here are: {}", names.join(", ")));
    }
    error
}

/// The layers cargo reads from here, lowest precedence first.
pub fn layers(ctx: &Context<'_>, workspace: &Workspace) -> Result<Layers> {
    // Outside a project (`apply --to user` anywhere) there is no manifest.
    let manifest = files::read_optional(&workspace.manifest)?.unwrap_or_default();
    // Discovery parsed the manifest already; its parse serves unless a byte-order mark shifts
    // its spans.
    let manifest = match workspace.parsed.doc_of(&manifest) {
        Some(doc) => Layer::parsed(ctx.display(&workspace.manifest), manifest, false, Some(doc)),
        None => Layer::manifest(ctx.display(&workspace.manifest), manifest),
    };
    let mut files = vec![manifest];
    let configs = workspace::config_files(&ctx.cwd);
    // `read` is nearest first with the user's last; precedence is the other way round.
    for (_, path) in configs.read.iter().rev() {
        // Named as `apply` names it, should it refuse a FIFO or a device there.
        files.push(Layer::config(ctx.display(path), files::read(&ctx.relative(path))?));
    }
    let env: Vec<(String, String)> = std::env::vars().filter(|(k, _)| effective::is_build_variable(k)).collect();
    // Only in CI, or where a file names cargo's `debug` profile (1.99's), does a rule depend on
    // the cargo version; only then is it asked (the pin first, else rustc).
    let names_debug = files.iter().any(|f| workspace::may_name_debug_profile(&f.text));
    let cargo_release = (effective::in_ci(&env) || names_debug).then(|| workspace.cargo_release()).flatten();
    Ok(Layers { files, env, cargo_release })
}

/// The rustflags cargo passes to rustc for a build without `--target`, on this machine, or why
/// that cannot be told.
pub fn config_rustflags(layers: &Layers, root: &Path) -> std::result::Result<(String, Rustflags), String> {
    if let Some(conflict) = layers.rustflags_conflicts().first() {
        return Err(conflict.to_string());
    }
    let machine = build_machine(layers, root)?;
    Ok((machine.host.clone(), layers.rustflags(&machine)))
}

/// The machine a build without `--target` compiles for: the `build.target` when one is set, else
/// the host. Asks rustc for its `cfg` values (one process), not its release or channel.
pub fn build_machine(layers: &Layers, root: &Path) -> std::result::Result<Machine, String> {
    let target = match layers.build_targets().as_deref() {
        None => None,
        Some([one]) => Some(one.clone()),
        Some(many) => return Err(format!("`build.target` names {} targets, each with its own rustflags", many.len())),
    };
    Machine::target(root, target.as_deref())
}

fn human_rustflags(found: std::result::Result<(String, Rustflags), String>) -> String {
    let (target, rustflags) = match found {
        Ok(found) => found,
        Err(why) => return format!("rustflags: cannot tell which cargo uses: {why}\n"),
    };
    let mut text = match rustflags.used.as_slice() {
        [] => format!("rustflags for {target}: none\n"),
        _ => format!("rustflags for {target}: {}\n", rustflags.flags().join(" ")),
    };
    for source in &rustflags.used {
        text.push_str(&format!("  from {}: {}\n", source.describe(), source.flags.join(" ")));
        for (preset, flags) in &source.added {
            text.push_str(&format!("      preset {preset} added {}\n", flags.join(" ")));
        }
    }
    let (replaced, hidden): (Vec<&FlagsSource>, Vec<&FlagsSource>) =
        rustflags.ignored.iter().partition(|s| rustflags.replaced(s));
    for source in &replaced {
        text.push_str(&format!("  replaced: {}: {}\n", source.describe(), source.flags.join(" ")));
    }
    if !replaced.is_empty() {
        text.push_str(&format!("      {}\n", effective::STRING_RULE));
    }
    for source in &hidden {
        text.push_str(&format!("  ignored: {}: {}\n", source.describe(), source.flags.join(" ")));
    }
    if !hidden.is_empty() {
        text.push_str(&format!("      {}\n", effective::RUSTFLAGS_RULE));
    }
    text
}

fn rustflags_report(found: &std::result::Result<(String, Rustflags), String>) -> serde_json::Value {
    let (target, rustflags) = match found {
        Ok(found) => found,
        Err(why) => return json!({ "unknown": why }),
    };
    let source = |s: &FlagsSource| {
        let added: Vec<_> = s.added.iter().map(|(preset, flags)| json!({ "preset": preset, "flags": flags })).collect();
        json!({ "source": s.source, "table": s.table.as_ref().map(ToString::to_string), "flags": s.flags, "added": added })
    };
    json!({
        "target": target,
        "level": rustflags.level.name(),
        "flags": rustflags.flags(),
        "used": rustflags.used.iter().map(source).collect::<Vec<_>>(),
        "ignored": rustflags.ignored.iter().map(source).collect::<Vec<_>>(),
        // The ignored ones a nearer string replaced, rather than a higher source hid.
        "replaced": rustflags.ignored.iter().filter(|s| rustflags.replaced(s)).map(source).collect::<Vec<_>>(),
    })
}

fn provenance(effective: &Effective, profile: &str, root: &str) -> String {
    let Some(from) = &effective.from else {
        return match (effective.rule, &effective.value) {
            (Some(rule), _) => rule.to_owned(),
            (None, Some(_)) => format!("default for {root}"),
            (None, None) => "not set".to_owned(),
        };
    };
    let mut text = format!("from {}", from.source);
    if !from.profile.is_empty() && from.profile != profile {
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

fn human(
    profile: &str,
    chain: &[String],
    root: &str,
    settings: &[Effective],
    units: &[(UnitKind, Vec<Effective>)],
) -> String {
    let mut text = if chain.len() > 1 {
        format!("profile `{profile}` (inherits {})\n", chain[1..].join(" -> "))
    } else {
        format!("profile `{profile}`\n")
    };
    let line = |e: &Effective| match &e.value {
        Some(value) => format!("  {} = {value}  ({})\n", e.key, provenance(e, profile, root)),
        None => format!("  {} is not set\n", e.key),
    };
    for effective in settings {
        text.push_str(&line(effective));
        let meaning = effective::meaning(effective.key, effective.value.as_ref());
        if !meaning.is_empty() {
            text.push_str(&format!("      {meaning}\n"));
        }
    }
    // Each other kind of unit, where it gets something other than the profile's value; kinds
    // that differ alike are shown together.
    let mut shown: Vec<(Vec<&str>, String)> = Vec::new();
    for (kind, values) in units {
        let lines: String = values
            .iter()
            .filter(|e| settings.iter().find(|s| s.key == e.key).is_some_and(|s| s.value != e.value))
            .map(line)
            .collect();
        match shown.iter_mut().find(|(_, l)| *l == lines) {
            Some((labels, _)) => labels.push(&kind.label),
            None if !lines.is_empty() => shown.push((vec![&kind.label], lines)),
            None => {}
        }
    }
    for (labels, lines) in shown {
        text.push_str(&format!("{}:\n{lines}", labels.join("; ")));
    }
    text
}

fn report(
    profile: &str,
    chain: &[String],
    settings: &[Effective],
    units: &[(UnitKind, Vec<Effective>)],
    rustflags: Option<&std::result::Result<(String, Rustflags), String>>,
) -> serde_json::Value {
    let definition = |d: &Definition| json!({ "source": d.source, "profile": d.profile, "preset": d.preset, "value": super::show::to_json(&d.value) });
    let list = |settings: &[Effective]| -> Vec<serde_json::Value> {
        settings
            .iter()
            .map(|e| {
                json!({
                    "key": e.key.name(),
                    "value": e.value.as_ref().map(super::show::to_json),
                    "meaning": effective::meaning(e.key, e.value.as_ref()),
                    "from": e.from.as_ref().map(definition),
                    "rule": e.rule,
                    "overrides": e.overrides.iter().map(definition).collect::<Vec<_>>(),
                })
            })
            .collect()
    };
    let role = |r: Role| match r {
        Role::Target => "target",
        Role::HostOnly => "host",
        Role::HostShared => "host-shared",
    };
    let units: Vec<_> = units
        .iter()
        .map(|(kind, values)| {
            json!({
                "unit": kind.label,
                "package": kind.package,
                "member": kind.member,
                "local": kind.local,
                "role": role(kind.role),
                "settings": list(values),
            })
        })
        .collect();
    json!({
        "profile": profile,
        "chain": chain,
        "settings": list(settings),
        "units": units,
        "rustflags": rustflags.map(rustflags_report),
    })
}

/// What a key does, its values and defaults, and its trade-off.
fn teach(key: Key) -> String {
    let dev = effective::default("dev", key);
    let release = effective::default("release", key);
    let show = |v: Option<crate::cargo::schema::Value>| v.map_or("unset".to_owned(), |v| v.to_string());
    let mut text = format!("{}: {}\n", key.name(), about(key));
    text.push_str(&format!("  values: {}\n", key.expected()));
    text.push_str(&format!("  default: dev {}, release {}\n", show(dev), show(release)));
    if let Some(gate) = key.gate(&crate::cargo::schema::Value::Bool(true)) {
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
            "link-time optimisation across crates: smaller, faster code for a slower link; false means thin LTO within each crate when optimising (none at opt-level 0), \"off\" disables it"
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
