//! `cargo presets explain [PROFILE] [KEY]`: the effective value of each setting of a profile and
//! where it came from; or, given only a key name, what that key does.

use serde::Serialize;

use crate::cargo::effective::{self, Definition, Effective, FlagsSource, Layers, Role, Unit};
use crate::cargo::effective::{HOST_UNITS_RULE, UnitRustflags};
use crate::cargo::inherit::{Broken, ChainError};
use crate::cargo::lockfile;
use crate::cargo::reading::Reading;
use crate::cargo::schema::{Key, Value};
use crate::cargo::workspace::Workspace;
use crate::error::{Error, Result};
use crate::ops::{Context, Format};
use crate::suggest;

/// What `explain` is asked.
pub struct ExplainOptions {
    /// The profile (default `dev`), or a key name to learn what it does.
    pub profile: Option<String>,
    /// One setting of the profile.
    pub key: Option<String>,
    /// One package's units instead of the workspace's.
    pub package: Option<String>,
    pub format: Format,
}

pub fn run(ctx: &mut Context<'_>, args: &ExplainOptions) -> Result<i32> {
    // A key name alone asks what the key does, which needs no project; a profile of that name
    // (`[profile.debug-assertions]` is allowed) is explained instead where there is one.
    if let (Some(name), None, None) = (args.profile.as_deref(), &args.key, &args.package)
        && let Some(key) = Key::from_name(name)
    {
        let is_profile = match ctx.optional_workspace() {
            // Whether the profile exists does not depend on cargo loading its configuration.
            Ok(Some(workspace)) => Reading::as_found(&workspace, ctx).is_ok_and(|r| r.layers.chain(name).is_ok()),
            _ => false,
        };
        if !is_profile {
            return ctx.shell.print(&teach(key)).map(|()| 0);
        }
    }
    let workspace = ctx.workspace()?;
    // Cargo fails on a configuration it cannot load, whatever is asked: so does the reading.
    let reading = ctx.reading(&workspace)?;
    let layers = &reading.layers;
    let profile = args.profile.as_deref().unwrap_or("dev");
    let chain = layers.chain(profile).map_err(|why| unknown_profile("explain", profile, &why, layers))?;
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
    for kind in unit_kinds(&workspace, layers, &chain, args.package.as_deref())? {
        let unit = kind.unit();
        let settings = keys.iter().map(|&key| value_of(key, Some(&unit))).collect::<Result<Vec<_>>>()?;
        units.push((kind, settings));
    }
    // Config rustflags reach every profile; shown where some are set.
    let rustflags = layers.sets_rustflags().then(|| reading.config_rustflags());
    let report = Explanation {
        profile,
        chain: &chain,
        settings: settings.iter().map(Setting::of).collect(),
        units: units
            .iter()
            .map(|(kind, values)| ExplainedUnit {
                unit: &kind.label,
                package: &kind.package,
                member: kind.member,
                local: kind.local,
                role: match kind.role {
                    Role::Target => "target",
                    Role::HostOnly => "host",
                    Role::HostShared => "host-shared",
                },
                settings: values.iter().map(Setting::of).collect(),
            })
            .collect(),
        rustflags: rustflags.as_ref().map(Flags::of),
    };
    let text = match args.format {
        Format::Json => crate::report::json(&report)?,
        Format::Human => report.human(),
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
    let locked = lockfile::locked_packages(workspace.root());
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
            if let Some(near) = suggest::closest(name, names.iter().copied(), 3) {
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
        if let Some(near) = suggest::closest(profile, names.iter().map(String::as_str), 3) {
            error = error.help(format!("did you mean `{near}`?"));
        }
        error = error.help(format!("the profiles here are: {}", names.join(", ")));
    }
    error
}

/// `explain`'s report: the profile, its chain of `inherits`, each setting's effective value and
/// where it came from, the same for each kind of unit, and the config rustflags where some are
/// set.
#[derive(Serialize)]
pub struct Explanation<'a> {
    profile: &'a str,
    /// The profile, then the one it inherits, and so on to a built-in root.
    chain: &'a [String],
    settings: Vec<Setting<'a>>,
    units: Vec<ExplainedUnit<'a>>,
    rustflags: Option<Flags<'a>>,
}

/// A key's effective value, and how it got it.
#[derive(Serialize)]
struct Setting<'a> {
    key: Key,
    /// `None` when nothing sets it and cargo passes nothing (rustc's default applies).
    value: Option<&'a Value>,
    meaning: String,
    /// `None` for a built-in default or a rule of cargo's.
    from: Option<Defined<'a>>,
    rule: Option<&'static str>,
    /// Lower-precedence definitions that lost to it.
    overrides: Vec<Defined<'a>>,
}

/// Where a value is written: `Cargo.toml:12` or a variable, the profile whose table holds it,
/// and the preset that wrote it, if one did.
#[derive(Serialize)]
struct Defined<'a> {
    source: &'a str,
    profile: &'a str,
    preset: Option<&'a str>,
    value: &'a Value,
}

/// A kind of unit, and its settings.
#[derive(Serialize)]
struct ExplainedUnit<'a> {
    unit: &'a str,
    package: &'a str,
    member: bool,
    local: bool,
    /// `target`, `host` (for build scripts and proc-macros only) or `host-shared`.
    role: &'static str,
    settings: Vec<Setting<'a>>,
}

/// The rustflags cargo passes, or why that cannot be told.
#[derive(Serialize)]
#[serde(untagged)]
enum Flags<'a> {
    Unknown {
        unknown: &'a str,
    },
    Known {
        /// The target the build compiles for.
        target: &'a str,
        level: &'static str,
        flags: Vec<String>,
        used: Vec<Source<'a>>,
        ignored: Vec<Source<'a>>,
        /// The ignored ones a nearer string replaced, rather than a higher source hid.
        replaced: Vec<Source<'a>>,
        /// Where the build names a target: build scripts and proc-macros get no rustflags.
        #[serde(skip_serializing_if = "Option::is_none")]
        host_units: Option<HostUnits>,
    },
}

/// The rustflags of host units when the build names a target: none, and the rule that says so.
#[derive(Serialize)]
struct HostUnits {
    flags: [String; 0],
    rule: &'static str,
}

/// Flags set in one place.
#[derive(Clone, Serialize)]
struct Source<'a> {
    source: &'a str,
    table: Option<String>,
    flags: &'a [String],
    added: Vec<Added<'a>>,
    #[serde(skip)]
    described: String,
    #[serde(skip)]
    replaced: bool,
}

/// The flags a preset recorded adding to a source.
#[derive(Clone, Serialize)]
struct Added<'a> {
    preset: &'a str,
    flags: &'a [String],
}

impl<'a> Setting<'a> {
    fn of(effective: &'a Effective) -> Setting<'a> {
        let defined = |d: &'a Definition| Defined {
            source: &d.source,
            profile: &d.profile,
            preset: d.preset.as_deref(),
            value: &d.value,
        };
        Setting {
            key: effective.key,
            value: effective.value.as_ref(),
            meaning: effective::meaning(effective.key, effective.value.as_ref()),
            from: effective.from.as_ref().map(defined),
            rule: effective.rule,
            overrides: effective.overrides.iter().map(defined).collect(),
        }
    }

    /// `opt-level = 3  (from Cargo.toml:4, preset prod)`.
    fn line(&self, profile: &str, root: &str) -> String {
        match &self.value {
            Some(value) => format!("  {} = {value}  ({})\n", self.key, self.provenance(profile, root)),
            None => format!("  {} is not set\n", self.key),
        }
    }

    fn provenance(&self, profile: &str, root: &str) -> String {
        let Some(from) = &self.from else {
            return match (self.rule, &self.value) {
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
        if !self.overrides.is_empty() {
            let lost: Vec<String> =
                self.overrides.iter().map(|d| format!("{} {} = {}", d.source, self.key, d.value)).collect();
            text.push_str(&format!("; overrides {}", lost.join(", ")));
        }
        text
    }
}

impl<'a> Flags<'a> {
    fn of(found: &'a std::result::Result<UnitRustflags, String>) -> Flags<'a> {
        let UnitRustflags { target, flags: rustflags, host_units_get_them } = match found {
            Ok(found) => found,
            Err(why) => return Flags::Unknown { unknown: why },
        };
        let source = |s: &'a FlagsSource| Source {
            source: &s.source,
            table: s.table.as_ref().map(ToString::to_string),
            flags: &s.flags,
            added: s.added.iter().map(|(preset, flags)| Added { preset, flags }).collect(),
            described: s.describe(),
            replaced: rustflags.replaced(s),
        };
        let ignored: Vec<Source<'a>> = rustflags.ignored.iter().map(source).collect();
        Flags::Known {
            target,
            level: rustflags.level.name(),
            flags: rustflags.flags(),
            used: rustflags.used.iter().map(source).collect(),
            replaced: ignored.iter().filter(|s| s.replaced).cloned().collect(),
            ignored,
            // Only where the build names a target do host units get other flags (none).
            host_units: (!host_units_get_them).then_some(HostUnits { flags: [], rule: HOST_UNITS_RULE }),
        }
    }

    fn human(&self) -> String {
        let (target, flags, used, ignored, replaced, host_units) = match self {
            Flags::Known { target, flags, used, ignored, replaced, host_units, .. } => {
                (target, flags, used, ignored, replaced, host_units)
            }
            Flags::Unknown { unknown } => return format!("rustflags: cannot tell which cargo uses: {unknown}\n"),
        };
        let mut text = match used.as_slice() {
            [] => format!("rustflags for {target}: none\n"),
            _ => format!("rustflags for {target}: {}\n", flags.join(" ")),
        };
        for source in used {
            text.push_str(&format!("  from {}: {}\n", source.described, source.flags.join(" ")));
            for added in &source.added {
                text.push_str(&format!("      preset {} added {}\n", added.preset, added.flags.join(" ")));
            }
        }
        for source in replaced {
            text.push_str(&format!("  replaced: {}: {}\n", source.described, source.flags.join(" ")));
        }
        if !replaced.is_empty() {
            text.push_str(&format!("      {}\n", effective::STRING_RULE));
        }
        let hidden: Vec<&Source<'_>> = ignored.iter().filter(|s| !s.replaced).collect();
        for source in &hidden {
            text.push_str(&format!("  ignored: {}: {}\n", source.described, source.flags.join(" ")));
        }
        if !hidden.is_empty() {
            text.push_str(&format!("      {}\n", effective::RUSTFLAGS_RULE));
        }
        if let Some(host_units) = host_units {
            text.push_str(&format!("rustflags for build scripts and proc-macros: none\n      {}\n", host_units.rule));
        }
        text
    }
}

impl Explanation<'_> {
    fn human(&self) -> String {
        let (profile, chain) = (self.profile, self.chain);
        let root = chain.last().map_or("", String::as_str);
        let mut text = if chain.len() > 1 {
            format!("profile `{profile}` (inherits {})\n", chain[1..].join(" -> "))
        } else {
            format!("profile `{profile}`\n")
        };
        for setting in &self.settings {
            text.push_str(&setting.line(profile, root));
            if !setting.meaning.is_empty() {
                text.push_str(&format!("      {}\n", setting.meaning));
            }
        }
        // Each other kind of unit, where it gets something other than the profile's value; kinds
        // that differ alike are shown together.
        let mut shown: Vec<(Vec<&str>, String)> = Vec::new();
        for unit in &self.units {
            let lines: String = unit
                .settings
                .iter()
                .filter(|e| self.settings.iter().find(|s| s.key == e.key).is_some_and(|s| s.value != e.value))
                .map(|e| e.line(profile, root))
                .collect();
            match shown.iter_mut().find(|(_, l)| *l == lines) {
                Some((labels, _)) => labels.push(unit.unit),
                None if !lines.is_empty() => shown.push((vec![unit.unit], lines)),
                None => {}
            }
        }
        for (labels, lines) in shown {
            text.push_str(&format!("{}:\n{lines}", labels.join("; ")));
        }
        text + &self.rustflags.as_ref().map(Flags::human).unwrap_or_default()
    }
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
