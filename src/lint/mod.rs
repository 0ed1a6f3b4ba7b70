//! `check`: the profiles a workspace really has, linted against Cargo's rules and the pitfall
//! catalogue of the reference (`cargo-profiles.md` §6).
//!
//! Pure: takes the text of every source cargo would read (the root manifest, member manifests,
//! config files), the environment and a few facts, and returns findings. `ops::check` gathers the
//! inputs and prints. The structural rules are the ones presets are held to ([`profiles::walk`]);
//! values in a user's own files may name a linker or a backend path, which presets may not.

pub mod levels;
pub mod rules;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;
use std::rc::Rc;

use toml_edit::{Item, TableLike};

use crate::cargo::effective::{self, Layer, Layers};
use crate::cargo::inherit::Broken;
use crate::cargo::profiles;
use crate::cargo::schema::{self, Key, Scope, Value};
use crate::edit::marker;
use crate::error::{Error, Location};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem: what, where, and how to fix it.
#[derive(Debug)]
pub struct Finding {
    pub severity: Severity,
    /// A stable name for the kind of problem.
    pub code: &'static str,
    pub message: String,
    pub location: Option<Location>,
    pub help: Vec<String>,
    /// Set when a lint level or an allow comment silences it ([`crate::lint::levels`]).
    pub silenced: Option<crate::lint::levels::Silenced>,
}

impl fmt::Display for Finding {
    /// `warning[code]: message`, then the place with the line, then `help:` lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut body = Error::new(&self.message);
        if let Some(location) = &self.location {
            body = body.at(location.clone());
        }
        let body = self.help.iter().cloned().fold(body, Error::help);
        write!(f, "{}[{}]: {body}", self.severity.name(), self.code)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// The workspace root `Cargo.toml`: the only manifest whose profiles cargo uses.
    RootManifest,
    /// Any other `Cargo.toml` of the workspace: its profiles are ignored, but still validated.
    MemberManifest,
    /// A path dependency outside the workspace: cargo loads it and validates its profiles, which
    /// never apply; only their errors are worth a word (they break every build).
    DependencyManifest,
    /// A `.cargo/config.toml` found from the current directory upwards.
    Config,
    /// `$CARGO_HOME/config.toml`: every project on the machine reads it.
    UserConfig,
}

impl SourceKind {
    /// Whether cargo uses the profiles of such a file (not only validates them).
    pub fn profiles_apply(self) -> bool {
        !matches!(self, SourceKind::MemberManifest | SourceKind::DependencyManifest)
    }
}

pub struct Source {
    pub kind: SourceKind,
    /// As shown in messages.
    pub path: PathBuf,
    pub text: String,
    /// `text` parsed, once for every rule and for the model of cargo; its spans are offsets into
    /// `text`.
    pub doc: Result<Rc<toml_edit::Document<String>>, toml_edit::TomlError>,
}

impl Source {
    pub fn new(kind: SourceKind, path: PathBuf, text: String) -> Source {
        let doc = toml_edit::Document::parse(text.clone()).map(Rc::new);
        Source { kind, path, text, doc }
    }

    /// A source whose text was parsed already (the root manifest, by workspace discovery).
    /// `doc` must be the parse of all of `text`, so that its spans are offsets into it.
    pub fn parsed(kind: SourceKind, path: PathBuf, text: String, doc: Rc<toml_edit::Document<String>>) -> Source {
        Source { kind, path, text, doc: Ok(doc) }
    }
}

/// Everything `check` looks at.
pub struct Inputs {
    pub sources: Vec<Source>,
    /// `CARGO_PROFILE_*`, `RUSTFLAGS`, `CARGO_ENCODED_RUSTFLAGS`, `CARGO_INCREMENTAL`, as set.
    pub env: Vec<(String, String)>,
    /// Whether the workspace pins a nightly toolchain.
    pub nightly: bool,
    /// The package names package specs may match.
    pub packages: BTreeSet<String>,
    /// Whether `packages` is the whole dependency graph (from `Cargo.lock`) or only the members
    /// and their direct dependencies.
    pub packages_complete: bool,
    /// The versions `Cargo.lock` lists for each package (none without a lock).
    pub versions: BTreeMap<String, Vec<String>>,
    /// The members that link something (a binary, a `cdylib`, …), where `strip` matters.
    pub linked_members: BTreeSet<String>,
    /// Config files cargo ignores, each with the legacy file it reads instead.
    pub shadowed_configs: Vec<(PathBuf, PathBuf)>,
    /// Members the root lists that have no `Cargo.toml` (as shown); cargo fails to load them.
    pub missing_members: Vec<PathBuf>,
    /// Whether the Cranelift backend is installed, where a profile asks for it (`None`: unknown
    /// or not asked for).
    pub cranelift_installed: Option<bool>,
    /// The `split-debuginfo` values the host target supports, where a profile sets one (`None`:
    /// unknown or not asked for). Cargo silently drops the others.
    pub split_debuginfo_supported: Option<Vec<String>>,
    /// The machine, where a config file sets `rustflags` (which of them cargo uses depends on
    /// the host); `None`: unknown or not asked for.
    pub machine: Option<crate::cargo::machine::Machine>,
    /// The cargo release, where a file names the `debug` profile (cargo's own from 1.99,
    /// reserved before); `None`: unknown or not asked for, which means an older cargo.
    pub cargo: Option<crate::cargo::machine::Version>,
}

/// A profile as one source defines it, for the rules that look across sources.
struct Defined {
    source: usize,
    span: Option<std::ops::Range<usize>>,
}

pub fn check(inputs: &Inputs) -> Vec<Finding> {
    let lines = inputs.sources.iter().map(|s| crate::error::Lines::new(&s.text)).collect();
    let mut layers = layers(&inputs.sources, &inputs.env);
    layers.cargo_release = inputs.cargo;
    let mut lint = Lint { inputs, findings: Vec::new(), layers, lines };
    let parsed: Vec<Option<&toml_edit::Document<String>>> =
        inputs.sources.iter().enumerate().map(|(i, source)| lint.parse(i, source)).collect();
    let gates = enabled_gates(inputs, &parsed);
    for (i, doc) in parsed.iter().enumerate() {
        if let (SourceKind::RootManifest, Some(doc)) = (inputs.sources[i].kind, doc) {
            lint.cargo_features(i, doc);
        }
    }
    let mut defined: BTreeMap<String, Vec<Defined>> = BTreeMap::new();
    for (i, doc) in parsed.iter().enumerate() {
        if let Some((key, profile)) = doc.as_ref().and_then(|d| d.as_table().get_key_value("profile")) {
            lint.source(i, key.span(), profile, &gates, &mut defined);
        }
    }
    lint.inheritance(&defined);
    lint.inherited_specs(&parsed, &defined);
    lint.strip_and_overrides(&parsed);
    lint.names(&defined);
    lint.configs();
    lint.preset_overrides();
    lint.environment();
    lint.includes(&parsed);
    lint.rustflags_conflicts();
    lint.unread_rustflags();
    lint.unstable_rustflags();
    lint.cfg_loop();
    let mut findings = lint.findings;
    let root = inputs.sources.iter().position(|s| s.kind == SourceKind::RootManifest);
    crate::lint::levels::apply(inputs, root.and_then(|i| parsed[i]), &mut findings);
    findings
}

/// The feature gates switched on anywhere: the root manifest's `cargo-features`, and
/// `[unstable]` in any config file.
fn enabled_gates(inputs: &Inputs, parsed: &[Option<&toml_edit::Document<String>>]) -> BTreeSet<String> {
    let mut gates = BTreeSet::new();
    for (source, doc) in inputs.sources.iter().zip(parsed) {
        let Some(doc) = doc else { continue };
        match source.kind {
            SourceKind::RootManifest => {
                let features = doc.get("cargo-features").and_then(Item::as_array);
                gates.extend(features.into_iter().flatten().filter_map(|v| v.as_str()).map(str::to_owned));
            }
            SourceKind::Config | SourceKind::UserConfig => {
                let unstable = doc.get("unstable").and_then(Item::as_table_like);
                gates.extend(
                    unstable
                        .into_iter()
                        .flat_map(|t| t.iter())
                        // A flag, or a list (`build-std = ["std", "panic_abort"]`).
                        .filter(|(_, v)| v.as_bool() == Some(true) || v.as_array().is_some_and(|a| !a.is_empty()))
                        .map(|(k, _)| k.to_owned()),
                );
            }
            SourceKind::MemberManifest | SourceKind::DependencyManifest => {}
        }
    }
    gates
}

struct Lint<'a> {
    inputs: &'a Inputs,
    findings: Vec<Finding>,
    /// The profiles cargo uses, for rules whose claim depends on the effective value.
    layers: Layers,
    /// Each source's line index: thousands of findings in one file cost a lookup each.
    lines: Vec<crate::error::Lines>,
}

/// The sources cargo takes profiles from, lowest precedence first (the root manifest, then the
/// config files from the user's down to the nearest), and the `CARGO_PROFILE_*` variables.
pub fn layers(sources: &[Source], env: &[(String, String)]) -> Layers {
    let file = |s: &Source| {
        let config = s.kind != SourceKind::RootManifest;
        Layer::parsed(s.path.display().to_string(), s.text.clone(), config, s.doc.as_ref().ok().cloned())
    };
    let root = sources.iter().filter(|s| s.kind == SourceKind::RootManifest);
    let configs = sources.iter().filter(|s| matches!(s.kind, SourceKind::Config | SourceKind::UserConfig)).rev();
    let env = env.iter().filter(|(k, _)| effective::is_build_variable(k)).cloned().collect();
    Layers { files: root.chain(configs).map(file).collect(), env, cargo_release: None }
}

/// Whether the effective `key` of `profile` is set to something other than "off" (cargo's
/// default included); `None` where the profile's chain is broken (another rule says so).
fn effective_on(layers: &Layers, profile: &str, key: Key) -> Option<bool> {
    let effective = layers.effective(profile, key, None).ok()?;
    let off = [Value::Bool(false), Value::Str("none".into())];
    Some(effective.value.is_some_and(|v| !off.iter().any(|o| key.same_meaning(&v, o))))
}

impl Lint<'_> {
    fn push(
        &mut self,
        severity: Severity,
        code: &'static str,
        at: Option<(usize, std::ops::Range<usize>)>,
        message: String,
        help: &[&str],
    ) {
        let location = at.map(|(i, span)| {
            let source = &self.inputs.sources[i];
            Location::of_span_in(&source.path, &source.text, &self.lines[i], span)
        });
        debug_assert!(crate::lint::rules::rule(code).is_some(), "`{code}` is missing from the rule catalogue");
        self.findings.push(Finding {
            severity,
            code,
            message,
            location,
            help: help.iter().map(|h| (*h).to_owned()).collect(),
            silenced: None,
        });
    }

    fn parse<'t>(&mut self, i: usize, source: &'t Source) -> Option<&'t toml_edit::Document<String>> {
        match &source.doc {
            Ok(doc) => Some(doc),
            Err(e) => {
                let span = e.span().map(|s| (i, s));
                self.push(
                    Severity::Error,
                    "parse",
                    span,
                    format!("could not parse `{}`: {}", source.path.display(), e.message().trim_end()),
                    &[],
                );
                None
            }
        }
    }

    /// `cargo-features` in the root manifest: every one of them is nightly-only, so stable cargo
    /// refuses the manifest whatever the names.
    fn cargo_features(&mut self, i: usize, doc: &toml_edit::Document<String>) {
        let Some((key, item)) = doc.as_table().get_key_value("cargo-features") else { return };
        let names: Vec<&str> = item.as_array().into_iter().flatten().filter_map(|v| v.as_str()).collect();
        if names.is_empty() || self.inputs.nightly {
            return;
        }
        let list = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
        self.push(
            Severity::Error,
            "needs-nightly",
            key.span().map(|s| (i, s)),
            format!("`cargo-features = [{list}]` needs nightly cargo, but this workspace builds on stable"),
            &["stable cargo refuses the manifest; pin nightly in `rust-toolchain.toml`, or move the unstable settings to a config file used only with nightly (`cargo +nightly --config <file> …`)"],
        );
    }

    /// The rules that concern one source's `[profile]` tree.
    fn source(
        &mut self,
        i: usize,
        key_span: Option<std::ops::Range<usize>>,
        profile: &Item,
        gates: &BTreeSet<String>,
        defined: &mut BTreeMap<String, Vec<Defined>>,
    ) {
        let kind = self.inputs.sources[i].kind;
        let file = self.inputs.sources[i].path.display().to_string();
        if kind == SourceKind::MemberManifest {
            self.push(
                Severity::Warning,
                "member-profile",
                key_span.map(|s| (i, s)),
                format!("profiles in `{file}` are ignored: cargo reads profiles only from the workspace root manifest"),
                &["move them to the root `Cargo.toml`; cargo still validates them here, so an error in them breaks the build"],
            );
        }
        let walk = profiles::walk(profile, self.layers.cargo_release);
        for problem in walk.problems {
            // `[profile.doc]` is accepted by cargo with a warning, and has no effect.
            let severity = if problem.code == "profile-name" && problem.message.contains("`doc`") {
                Severity::Warning
            } else {
                Severity::Error
            };
            let help: Vec<&str> = problem.help.iter().map(String::as_str).collect();
            self.push(severity, problem.code, problem.span.map(|s| (i, s)), problem.message.clone(), &help);
        }
        // Every profile table and every override counts, even one with no keys of its own: an
        // empty custom profile still needs `inherits`, and an empty override still must match.
        let mut specs: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for (name, body) in profile.as_table_like().into_iter().flat_map(|t| t.iter()) {
            // A name cargo refuses is reported as such, and nothing more.
            if schema::check_profile_name(name, self.layers.cargo_release).is_err() {
                continue;
            }
            if body.as_table_like().is_some() {
                let list = defined.entry(name.to_owned()).or_default();
                if !list.iter().any(|d| d.source == i) {
                    list.push(Defined { source: i, span: profile_key_span(profile, name) });
                }
            }
            let overrides = body.get("package").and_then(Item::as_table_like);
            for (spec, _) in overrides.into_iter().flat_map(|t| t.iter()) {
                let package = spec.split(['@', ':']).next().unwrap_or_default().to_owned();
                let seen = specs.entry((name.to_owned(), package)).or_default();
                if !seen.iter().any(|s| s == spec) {
                    seen.push(spec.to_owned());
                }
            }
        }
        for entry in &walk.entries {
            let at = entry.item.span().or(entry.key_span.clone()).map(|s| (i, s));
            let path = &entry.path;
            let Some(value) = entry.item.as_value().and_then(Value::from_toml) else {
                self.push(
                    Severity::Error,
                    "invalid-value",
                    at,
                    format!("invalid value for `{path}`: expected {}", path.key.expected()),
                    &[],
                );
                continue;
            };
            self.value(i, entry, &value, gates);
        }
        self.specs(i, profile, &specs);
        self.traps(i, profile);
    }

    /// A value outside the domain, a gate, a legacy spelling, a setting that does nothing.
    fn value(&mut self, i: usize, entry: &profiles::Entry<'_>, value: &Value, gates: &BTreeSet<String>) {
        let path = &entry.path;
        let at = entry.item.span().map(|s| (i, s));
        let legacy_lto = ["y", "yes", "on", "n", "no", "none"];
        match (path.key, value) {
            // A user's own files may name any backend or pass any flag; presets may not.
            (Key::CodegenBackend, Value::Str(s)) if !s.is_empty() => {}
            (Key::Rustflags, Value::Array(_)) => {}
            (Key::Lto, Value::Str(s)) if legacy_lto.contains(&s.as_str()) => {
                let means = if ["n", "no", "none"].contains(&s.as_str()) { "\"off\"" } else { "true" };
                self.push(
                    Severity::Warning,
                    "legacy-value",
                    at.clone(),
                    format!("`{path} = \"{s}\"` is a legacy spelling"),
                    &[&format!("write `{} = {means}`", path.key)],
                );
            }
            // In a dependency's manifest cargo checks only what it deserializes: an integer
            // `opt-level` out of range passes, since it is checked only where the profile applies
            // (cargo 1.95: `opt-level = 9` there builds; `"fast"` fails every build).
            (Key::OptLevel, Value::Int(_)) if self.inputs.sources[i].kind == SourceKind::DependencyManifest => {}
            _ => {
                if let Err(why) = path.key.check(value) {
                    self.push(
                        Severity::Error,
                        "invalid-value",
                        at.clone(),
                        format!("invalid value for `{path}`: {why}"),
                        &["cargo accepts some of these and rustc fails later, or ignores them silently"],
                    );
                }
            }
        }
        if let Some(gate) = path.key.gate(value) {
            let enabled = gate.manifest_feature.is_some_and(|f| gates.contains(f)) || gates.contains(gate.unstable_key);
            if gate.manifest_feature.is_none() && !self.inputs.nightly {
                self.push(
                    Severity::Warning,
                    "ignored-on-stable",
                    at.clone(),
                    format!("`{path}` is ignored on stable cargo"),
                    &[&format!("it takes effect only on nightly with `[unstable] {} = true`", gate.unstable_key)],
                );
            } else if !self.inputs.nightly {
                self.push(Severity::Error, "needs-nightly", at.clone(), format!("`{path}` needs nightly cargo, but this workspace builds on stable"), &[
                    "stable cargo refuses this file; move the setting to a standalone file used as `cargo +nightly --config <file> …`",
                ]);
            } else if !enabled {
                let how = match gate.manifest_feature {
                    Some(feature) => format!(
                        "add `cargo-features = [\"{feature}\"]` at the top of the root Cargo.toml, or `[unstable] {} = true` to a config file",
                        gate.unstable_key
                    ),
                    None => format!("add `[unstable] {} = true` to a config file", gate.unstable_key),
                };
                // A key with no manifest feature is only ignored (with cargo's warning) without
                // its gate, not refused: `hint-mostly-unused`.
                let severity = if gate.manifest_feature.is_none() { Severity::Warning } else { Severity::Error };
                let message = match severity {
                    Severity::Error => format!("`{path}` is unstable and its feature is not enabled"),
                    _ => format!("`{path}` is ignored: its unstable feature is not enabled"),
                };
                self.push(severity, "missing-gate", at.clone(), message, &[&how]);
            }
        }
        if path.key == Key::Panic && *value == Value::Str("immediate-abort".into()) && !gates.contains("build-std") {
            self.push(
                Severity::Warning,
                "immediate-abort-without-build-std",
                at.clone(),
                format!("`{path} = \"immediate-abort\"` fails every binary, test and example built with it unless std is rebuilt"),
                &["run cargo with `-Z build-std=std,panic_abort`, or add `[unstable] build-std = [\"std\", \"panic_abort\"]` to a config file used with this profile"],
            );
        }
        if path.key == Key::CodegenBackend
            && *value == Value::Str("cranelift".into())
            && self.inputs.cranelift_installed == Some(false)
        {
            self.push(
                Severity::Warning,
                "cranelift-missing",
                at.clone(),
                format!("`{path}` asks for Cranelift, but its rustup component is not installed"),
                &["install it with `rustup component add rustc-codegen-cranelift-preview --toolchain nightly`"],
            );
        }
        if let (Key::SplitDebuginfo, Value::Str(mode), Some(supported)) =
            (path.key, value, &self.inputs.split_debuginfo_supported)
            && Key::SplitDebuginfo.accepts(value)
            && !supported.contains(mode)
        {
            self.push(
                Severity::Warning,
                "split-debuginfo-unsupported",
                at.clone(),
                format!("`{path} = \"{mode}\"` is not supported by this target, and cargo silently drops it"),
                &[&format!(
                    "this target supports {}",
                    supported.iter().map(|m| format!("`\"{m}\"`")).collect::<Vec<_>>().join(", ")
                )],
            );
        }
        let profile = path.table.profile.as_str();
        if path.key == Key::Panic && (profile == "test" || profile == "bench") {
            self.push(
                Severity::Warning,
                "ignored-panic",
                at.clone(),
                format!("`{path}` is ignored: tests and benches always unwind"),
                &[],
            );
        }
        let explicit_no_strip = matches!(value, Value::Bool(false)) || *value == Value::Str("none".into());
        let counts = self.inputs.sources[i].kind.profiles_apply();
        if path.key == Key::Strip && explicit_no_strip && path.table.scope == Scope::Profile && counts {
            // Cargo strips debug info by itself only where the profile asks for none; and the
            // key is needed to undo a `strip` inherited from the parent.
            let no_debug = effective_on(&self.layers, profile, Key::Debug) == Some(false);
            let parent = self.layers.chain(profile).ok().and_then(|chain| chain.get(1).cloned());
            let undoes = parent.is_some_and(|p| effective_on(&self.layers, &p, Key::Strip) != Some(false));
            if no_debug && !undoes {
                self.push(Severity::Warning, "explicit-strip-none", at.clone(), format!("`{path} = {value}` turns off cargo's automatic stripping of debug info"), &[
                    "this profile asks for no debug info, so without the key cargo strips std's debug info; with it, every binary keeps about 4 MB more. Remove the key unless you need that",
                ]);
            }
        }
    }

    /// Package specs that match nothing, differ only by `-`/`_`, or match one package twice.
    fn specs(&mut self, i: usize, profile: &Item, specs: &BTreeMap<(String, String), Vec<String>>) {
        for ((name_of_profile, name), list) in specs {
            let at = spec_span(profile, name_of_profile, &list[0]).map(|s| (i, s));
            if list.len() > 1 {
                self.push(
                    Severity::Error,
                    "multiple-specs",
                    at.clone(),
                    format!(
                        "package specs {} in profile `{name_of_profile}` all match package `{name}`",
                        list.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                    ),
                    &["cargo refuses to build when two overrides match one package; keep one"],
                );
            }
            if name == "*" {
                continue;
            }
            if self.inputs.packages.contains(name) {
                self.spec_version(at, name_of_profile, name, list);
                continue;
            }
            let twin = name.replace('-', "_");
            let twin = self.inputs.packages.iter().find(|p| p.replace('-', "_") == twin);
            match twin {
                Some(real) => self.push(Severity::Warning, "spec-mismatch", at, format!("package spec `{name}` matches nothing; the package is called `{real}`"), &[
                    "cargo does not treat `-` and `_` as the same in package specs",
                ]),
                None if self.inputs.packages_complete => self.push(Severity::Warning, "spec-unmatched", at, format!("package spec `{name}` in profile `{name_of_profile}` matches no package in Cargo.lock"), &[
                    "the override does nothing; check the name",
                ]),
                None => self.push(Severity::Note, "spec-unmatched", at, format!("package spec `{name}` in profile `{name_of_profile}` is neither a member nor a direct dependency"), &[
                    "it may name a transitive dependency; without a Cargo.lock this cannot be checked",
                ]),
            }
        }
    }

    /// A spec whose version (`dep@0.3`) matches none of the versions `Cargo.lock` has of it:
    /// cargo warns that it matches nothing.
    fn spec_version(
        &mut self,
        at: Option<(usize, std::ops::Range<usize>)>,
        profile: &str,
        name: &str,
        specs: &[String],
    ) {
        let Some(versions) = self.inputs.versions.get(name) else { return };
        for spec in specs {
            let Some(wanted) = spec.split_once(['@', ':']).map(|(_, v)| v) else { continue };
            // A partial version matches every version it is a prefix of, part by part.
            let matches = |version: &String| {
                let have: Vec<&str> = version.split(['.', '-', '+']).collect();
                wanted.split('.').enumerate().all(|(i, part)| have.get(i) == Some(&part))
            };
            if !versions.iter().any(matches) {
                self.push(Severity::Warning, "spec-unmatched", at.clone(), format!(
                    "package spec `{spec}` in profile `{profile}` has a version that matches no `{name}` in Cargo.lock ({})",
                    versions.join(", ")
                ), &["the override does nothing; fix the version or leave it out"]);
            }
        }
    }

    /// The traps of the seed advice: inheriting `release` loses debug assertions unnoticed, and
    /// `"*"` is expected to cover the workspace's own crates.
    fn traps(&mut self, i: usize, profile: &Item) {
        let Some(profiles) = profile.as_table_like() else { return };
        let counts = self.inputs.sources[i].kind.profiles_apply();
        for (name, body) in profiles.iter() {
            let Some(body) = body.as_table_like() else { continue };
            // A testing profile (staging, qa, ci) that inherits `release` for speed, asks for
            // debug info, and so looks like a debug build, but runs without assertions. Not a
            // profile meant for profiling, benchmarking or shipping: there that is the point.
            let meant_without = ["prof", "bench", "perf", "flame", "rel", "prod", "dist", "ship", "deploy", "publish"];
            let from_release = self.layers.chain(name).is_ok_and(|chain| chain.last().is_some_and(|r| r == "release"));
            if counts
                && from_release
                && !schema::is_builtin_profile(name)
                && !meant_without.iter().any(|w| name.contains(w))
                && effective_on(&self.layers, name, Key::Debug) == Some(true)
                && effective_on(&self.layers, name, Key::DebugAssertions) == Some(false)
            {
                self.push(Severity::Note, "release-without-assertions", profile_key_span(profile, name).map(|s| (i, s)), format!(
                    "profile `{name}` has debug info but inherits `debug-assertions = false` from `release`"
                ), &["`debug` is symbols, not checks: add `debug-assertions = true` if `debug_assert!` should fire in this profile"]);
            }
            let Some(star_item) = body.get("package").and_then(|p| p.get("*")) else { continue };
            let Some(star) = star_item.as_table_like() else { continue };
            // A table a preset wrote already says so in its header comment.
            let text = &self.inputs.sources[i].text;
            let prefix = star_item.as_table().and_then(|t| t.decor().prefix());
            let prefix = prefix.and_then(|p| p.as_str().or_else(|| p.span().and_then(|r| text.get(r)))).unwrap_or("");
            if marker::markers(prefix).next().is_some() {
                continue;
            }
            let only_deps: Vec<&str> = star
                .iter()
                .map(|(k, _)| k)
                .filter(|k| Key::from_name(k).is_some_and(Key::allowed_in_override) && body.get(k).is_none())
                .collect();
            if !only_deps.is_empty() {
                self.push(Severity::Note, "star-excludes-members", spec_span(profile, name, "*").map(|s| (i, s)), format!(
                    "`profile.{name}.package.\"*\"` sets {} for dependencies only, never for this workspace's own crates",
                    only_deps.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                ), &["that is usually the point; name a member in `package.<name>` to include it"]);
            }
        }
    }

    /// The way out of `missing-inherits`.
    const ADD_INHERITS: &'static str =
        "add `inherits = \"release\"` or `inherits = \"dev\"`: cargo refuses every command while it is missing";

    /// `inherits` across every source, by cargo's rules ([`inherit::chain`]), reported at the
    /// profile at fault. A config file's value wins over the manifest's, as in cargo.
    fn inheritance(&mut self, defined: &BTreeMap<String, Vec<Defined>>) {
        // A loop is reported once, at its first profile, not once per profile in it.
        let mut in_reported_loop: BTreeSet<String> = BTreeSet::new();
        for (name, list) in defined {
            let Some(first) = list.iter().find(|d| self.inputs.sources[d.source].kind.profiles_apply()) else {
                continue;
            };
            let at = first.span.clone().map(|s| (first.source, s));
            let Err(error) = self.layers.chain(name) else { continue };
            let (code, help): (&str, &[&str]) = match &error.broken {
                // Only a profile in the loop (its chain comes back to it) is at fault.
                Broken::Loop(chain) if chain.last() != Some(name) || in_reported_loop.contains(name) => continue,
                Broken::Loop(chain) => {
                    in_reported_loop.extend(chain.iter().cloned());
                    ("inherits-loop", &[])
                }
                _ if error.profile != *name => continue,
                // The variable is at fault, and reported as such below.
                Broken::RootInherits if self.env_inherits(name) => continue,
                Broken::RootInherits => ("root-inherits", &[]),
                Broken::Missing => ("missing-inherits", &[Self::ADD_INHERITS]),
                Broken::InheritsDebug => ("inherits-debug", &["use `inherits = \"dev\"`"]),
                Broken::UndefinedParent(_) => ("undefined-parent", &[]),
                Broken::NotDefined => continue,
            };
            self.push(Severity::Error, code, at, error.to_string(), help);
        }
        self.env_inheritance(defined);
    }

    /// Whether `CARGO_PROFILE_<NAME>_INHERITS` is set for `profile`.
    fn env_inherits(&self, profile: &str) -> bool {
        let var = format!("CARGO_PROFILE_{}_INHERITS", effective::env_name(profile));
        self.inputs.env.iter().any(|(k, _)| *k == var)
    }

    /// `CARGO_PROFILE_<NAME>_INHERITS` for a profile no file defines, or for a root profile.
    /// Cargo reads `dev`'s and `release`'s for every command and refuses `inherits` there; a
    /// profile that exists only in the environment is checked only when a build uses it (cargo
    /// 1.95).
    fn env_inheritance(&mut self, defined: &BTreeMap<String, Vec<Defined>>) {
        let env = self.inputs.env.clone();
        for (var, value) in env {
            let Some(upper) = var.strip_prefix("CARGO_PROFILE_").and_then(|v| v.strip_suffix("_INHERITS")) else {
                continue;
            };
            let name = defined.keys().find(|n| effective::env_name(n) == upper).cloned();
            // A profile a file defines is reported at the file, unless the variable alone is at
            // fault: `inherits` in a root profile.
            let name = match name {
                Some(name) if !schema::is_root_profile(&name) => continue,
                Some(name) => name,
                None => upper.to_lowercase(),
            };
            let Err(error) = self.layers.chain(&name) else { continue };
            let (severity, code, when) = match error.broken {
                Broken::RootInherits => (Severity::Error, "root-inherits", "every cargo command fails"),
                Broken::Missing => (Severity::Warning, "missing-inherits", "cargo fails when a build uses it"),
                Broken::InheritsDebug => (Severity::Warning, "inherits-debug", "cargo fails when a build uses it"),
                Broken::UndefinedParent(_) => {
                    (Severity::Warning, "undefined-parent", "cargo fails when a build uses it")
                }
                Broken::Loop(_) => (Severity::Warning, "inherits-loop", "cargo fails when a build uses it"),
                Broken::NotDefined => continue,
            };
            self.push(
                severity,
                code,
                None,
                format!("`{var}={value}`: {error}"),
                &[&format!("{when}; unset the variable or fix its value")],
            );
        }
    }

    /// Two overrides that match one package through `inherits` (`[profile.dev.package.dep]` and
    /// `[profile.ci.package."dep@0.2.0"]` with `ci` inheriting `dev`; `test` and `bench` inherit
    /// `dev` and `release`): cargo refuses every build, as for two in one profile.
    fn inherited_specs(
        &mut self,
        parsed: &[Option<&toml_edit::Document<String>>],
        defined: &BTreeMap<String, Vec<Defined>>,
    ) {
        // profile -> (spec, source), from the files whose profiles cargo uses.
        let mut by_profile: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
        for (i, doc) in parsed.iter().enumerate() {
            let Some(doc) = doc.as_ref().filter(|_| self.inputs.sources[i].kind.profiles_apply()) else {
                continue;
            };
            let profiles = doc.get("profile").and_then(Item::as_table_like);
            for (name, body) in profiles.into_iter().flat_map(|t| t.iter()) {
                let specs = body.get("package").and_then(Item::as_table_like);
                by_profile
                    .entry(name)
                    .or_default()
                    .extend(specs.into_iter().flat_map(|t| t.iter()).map(|(spec, _)| (spec, i)));
            }
        }
        let names: BTreeSet<&str> = defined.keys().map(String::as_str).chain(schema::BUILTIN_PROFILES).collect();
        for name in names {
            let Ok(chain) = self.layers.chain(name) else { continue };
            let mut seen: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
            for link in &chain {
                for (spec, source) in by_profile.get(link.as_str()).into_iter().flatten() {
                    let package = spec.split(['@', ':']).next().unwrap_or_default();
                    match seen.get(package) {
                        Some((first, from)) if first != spec && *from != link.as_str() => {
                            let at = parsed[*source]
                                .as_ref()
                                .and_then(|d| spec_span(d.get("profile")?, link, spec))
                                .map(|span| (*source, span));
                            let message = format!(
                                "package specs `{first}` and `{spec}` both match package `{package}` in profile `{name}` (through `inherits`, from `{from}` and `{link}`)"
                            );
                            self.push(Severity::Error, "multiple-specs", at, message, &[
                                "cargo refuses every build when two overrides match one package, also across `inherits`; use one spec for the package in both profiles",
                            ]);
                        }
                        Some(_) => {}
                        None => {
                            seen.insert(package, (spec, link.as_str()));
                        }
                    }
                }
            }
        }
    }

    /// `strip` does not reach a member that a package override matches (one that links something:
    /// `strip` means nothing to a library): cargo builds it with
    /// the default strip, so `[profile.release] strip = "symbols"` plus
    /// `[profile.release.package.app] opt-level = 2` ships an unstripped `app`.
    fn strip_and_overrides(&mut self, parsed: &[Option<&toml_edit::Document<String>>]) {
        let members = &self.inputs.linked_members;
        for (i, doc) in parsed.iter().enumerate() {
            let Some(doc) = doc.as_ref().filter(|_| self.inputs.sources[i].kind.profiles_apply()) else {
                continue;
            };
            let Some(profile_item) = doc.get("profile") else { continue };
            for (name, body) in profile_item.as_table_like().into_iter().flat_map(|t| t.iter()) {
                let Ok(strip) = self.layers.effective(name, Key::Strip, None) else { continue };
                let Some(value) = strip.value.filter(|v| !Key::Strip.same_meaning(v, &Value::Bool(false))) else {
                    continue;
                };
                let overrides = body.get("package").and_then(Item::as_table_like);
                for (spec, table) in overrides.into_iter().flat_map(|t| t.iter()) {
                    let package = spec.split(['@', ':']).next().unwrap_or_default();
                    if !members.contains(package) || table.get("strip").is_some() {
                        continue;
                    }
                    self.push(Severity::Warning, "strip-skips-override", spec_span(profile_item, name, spec).map(|s| (i, s)), format!(
                        "`profile.{name}.strip = {value}` does not reach `{package}`: cargo builds a package its override matches with the default strip"
                    ), &[&format!("add `strip = {value}` to `[profile.{name}.package.{spec}]` as well")]);
                }
            }
        }
    }

    /// Names that collide in environment variables: `release-lto` shares `CARGO_PROFILE_RELEASE_LTO_…`
    /// with `release`'s `lto` key, and `my-prof` and `my_prof` share every variable.
    fn names(&mut self, defined: &BTreeMap<String, Vec<Defined>>) {
        // One pass with set lookups: thousands of profiles must not cost their square.
        let known: BTreeSet<&str> =
            defined.keys().map(String::as_str).chain(schema::BUILTIN_PROFILES.iter().copied()).collect();
        let mut by_variable: BTreeMap<String, &str> = BTreeMap::new();
        for (name, list) in defined {
            let at = list[0].span.clone().map(|s| (list[0].source, s));
            let collision = Key::ALL.iter().find_map(|k| {
                let other = name.strip_suffix(k.name())?.strip_suffix('-')?;
                known.contains(other).then_some((other, k))
            });
            if let Some((other, key)) = collision {
                // Harmless until such a variable is set; then every cargo command fails.
                let prefix = format!("CARGO_PROFILE_{}_", name.to_uppercase().replace('-', "_"));
                let set = self.inputs.env.iter().find(|(k, _)| k.starts_with(&prefix)).map(|(k, _)| k.clone());
                let (severity, message) = match &set {
                    Some(var) => (
                        Severity::Error,
                        format!(
                            "`{var}` is read as `profile.{other}.{key}.…`, so cargo fails: profile name `{name}` collides with `{other}`'s `{key}` key"
                        ),
                    ),
                    None => (
                        Severity::Note,
                        format!("profile name `{name}` collides with `{other}`'s `{key}` key in environment variables"),
                    ),
                };
                self.push(severity, "env-collision", at.clone(), message, &[&format!(
                    "any `{prefix}…` variable makes cargo read `profile.{other}.{key}` as a table and fail; unset it, or rename the profile"
                )]);
            }
            // The first name (in order) of those sharing variables is the twin the rest are named with.
            match by_variable.entry(name.replace('-', "_")) {
                std::collections::btree_map::Entry::Occupied(twin) => self.push(
                    Severity::Warning,
                    "env-collision",
                    at,
                    format!("profiles `{}` and `{name}` share environment variable names", twin.get()),
                    &["rename one of them"],
                ),
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(name);
                }
            }
        }
    }

    fn configs(&mut self) {
        for missing in &self.inputs.missing_members {
            self.push(
                Severity::Error,
                "member-missing",
                None,
                format!("workspace member `{}` does not exist: cargo fails to load the workspace", missing.display()),
                &["create it, or take it out of `[workspace] members`"],
            );
        }
        for (ignored, used) in &self.inputs.shadowed_configs {
            self.push(
                Severity::Warning,
                "shadowed-config",
                None,
                format!(
                    "`{}` is ignored: cargo reads the legacy `{}` beside it instead",
                    ignored.display(),
                    used.display()
                ),
                &["merge the two files into `config.toml` and delete the legacy one"],
            );
        }
        let user_profiles: Vec<usize> = (0..self.inputs.sources.len())
            .filter(|i| {
                self.inputs.sources[*i].kind == SourceKind::UserConfig
                    && self.inputs.sources[*i].text.contains("profile")
            })
            .collect();
        for i in user_profiles {
            let file = self.inputs.sources[i].path.display().to_string();
            self.push(
                Severity::Note,
                "user-profiles",
                None,
                format!("profiles in `{file}` apply to every project on this machine and to `cargo install`"),
                &["config beats Cargo.toml: they override what each project commits"],
            );
        }
    }

    /// A value a preset wrote into the manifest that a config file or a variable replaces: the
    /// preset the project committed is not what builds here get.
    fn preset_overrides(&mut self) {
        for o in self.layers.overridden_presets() {
            let at = self.place(&o.by.source);
            let preset = o.written.preset.as_deref().unwrap_or_default();
            self.push(
                Severity::Note,
                "preset-overridden",
                at,
                format!(
                    "`{}` overrides preset `{preset}`: `{}` is {} here, not the {} the preset wrote in {}",
                    o.by.source, o.path, o.by.value, o.written.value, o.written.source
                ),
                &["remove it there if the preset should apply; `cargo presets explain` shows every value's source"],
            );
        }
    }

    /// The source and span of a `file:line` a definition names (none for a variable).
    fn place(&self, source: &str) -> Option<(usize, std::ops::Range<usize>)> {
        let (file, line) = source.rsplit_once(':')?;
        let line: usize = line.parse().ok()?;
        let i = self.inputs.sources.iter().position(|s| s.path.display().to_string() == file)?;
        let text = &self.inputs.sources[i].text;
        let start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
        let indent = text[start..].len() - text[start..].trim_start_matches([' ', '\t']).len();
        Some((i, start + indent..start + indent + 1))
    }

    /// A `CARGO_PROFILE_<NAME>_<KEY>` value outside the key's domain: cargo loads every profile's
    /// variables (`release`'s even for a dev build) and fails.
    fn env_value(&mut self, var: &str, raw: &str) {
        let rest = var.trim_start_matches("CARGO_PROFILE_");
        let Some(key) = Key::ALL.iter().find(|k| rest.ends_with(&format!("_{}", effective::env_name(k.name())))) else {
            return;
        };
        let value = effective::env_value(raw);
        if !key.accepts(&value) {
            self.push(
                Severity::Error,
                "invalid-value",
                None,
                format!("invalid value in `{var}={raw}`: `{}` expects {}", key.name(), key.expected()),
                &["cargo reads this variable for every command and fails on it; fix or unset it"],
            );
        }
    }

    fn environment(&mut self) {
        const FIGHTS: [&str; 6] = ["opt-level", "debuginfo", "codegen-units", "lto", "panic", "strip"];
        let env = self.inputs.env.clone();
        for (key, value) in env {
            if key.starts_with("CARGO_PROFILE_") {
                if key.contains("_PACKAGE_") {
                    self.push(
                        Severity::Warning,
                        "env-ignored",
                        None,
                        format!("`{key}` is ignored: package overrides cannot be set from the environment"),
                        &[],
                    );
                } else {
                    self.push(
                        Severity::Warning,
                        "env-override",
                        None,
                        format!("`{key}={value}` overrides the profile settings of every file"),
                        &["unset it, or make it part of your documented build command"],
                    );
                    self.env_value(&key, &value);
                }
            } else if key == "CARGO_BUILD_INCREMENTAL" && !matches!(value.as_str(), "true" | "false") {
                self.push(
                    Severity::Error,
                    "invalid-value",
                    None,
                    format!("invalid value in `CARGO_BUILD_INCREMENTAL={value}`: `build.incremental` expects `true` or `false`"),
                    &["cargo reads this variable for every command and fails on it (`CARGO_INCREMENTAL` is the one that takes `0` and `1`)"],
                );
            } else if key == "CARGO_INCREMENTAL" || key == "CARGO_BUILD_INCREMENTAL" {
                self.push(
                    Severity::Note,
                    "env-override",
                    None,
                    format!("`{key}={value}` overrides `incremental` in every profile"),
                    &[],
                );
            } else if key == "RUSTFLAGS" || key == "CARGO_ENCODED_RUSTFLAGS" {
                let flags: Vec<String> = codegen_flags(&value)
                    .into_iter()
                    .filter(|f| FIGHTS.iter().any(|k| f == &format!("-C {k}") || f.starts_with(&format!("-C {k}="))))
                    .collect();
                let mut help = vec![
                    "it replaces `build.rustflags` and `target.*.rustflags` from every config file, and changes the cache key of every crate",
                ];
                let joined = flags.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
                let fights = format!("{joined} fights the profile settings: rustc takes the last value, so these win");
                if !flags.is_empty() {
                    help.insert(0, &fights);
                }
                self.push(
                    Severity::Warning,
                    "env-rustflags",
                    None,
                    format!("`{key}` is set in the environment"),
                    &help,
                );
            }
        }
    }
}

impl Lint<'_> {
    /// `include = "extra.toml"`: cargo 1.95 wants a list and refuses to load the config.
    fn includes(&mut self, parsed: &[Option<&toml_edit::Document<String>>]) {
        for (i, doc) in parsed.iter().enumerate() {
            if !matches!(self.inputs.sources[i].kind, SourceKind::Config | SourceKind::UserConfig) {
                continue;
            }
            let Some((key, item)) = doc.as_ref().and_then(|d| d.as_table().get_key_value("include")) else {
                continue;
            };
            let Some(path) = item.as_str() else { continue };
            let file = self.inputs.sources[i].path.display().to_string();
            // Cargo's own words, with its unbalanced backtick.
            let cargo_says = format!(
                "cargo says: expected a list of strings or a list of tables, but found string at `include` in `{file}"
            );
            self.push(
                Severity::Error,
                "include-form",
                key.span().map(|s| (i, s)),
                format!("`include` in `{file}` is a string: cargo wants a list, so every cargo command fails"),
                &[&format!("write `include = [\"{path}\"]`"), &cargo_says],
            );
        }
    }

    /// A string `rustflags` in one config file and an array in another for the same table.
    fn rustflags_conflicts(&mut self) {
        for conflict in self.layers.rustflags_conflicts() {
            let at = self.place(&conflict.higher);
            self.push(Severity::Error, "rustflags-merge", at, conflict.to_string(), &[
                "write both as arrays (`rustflags = [\"--cfg\", \"x\"]`): arrays join across config files, lowest precedence first",
            ]);
        }
    }

    /// `[target.'cfg(…)']` tables switched on by a `--cfg` in the flags they then hide: cargo
    /// warns and keeps the tables' flags.
    fn cfg_loop(&mut self) {
        let Some(machine) = &self.inputs.machine else { return };
        if !self.layers.cfg_tables_unsettled(machine) {
            return;
        }
        let rustflags = self.layers.rustflags(machine);
        let at = rustflags.used.first().and_then(|s| self.place(&s.source));
        let message = format!(
            "the `[target.'cfg(…)']` tables and the rustflags depend on each other: cargo warns (`non-trivial mutual dependency between target-specific configuration and RUSTFLAGS`) and passes {}",
            rustflags.flags().join(" ")
        );
        self.push(Severity::Warning, "rustflags-cfg-loop", at, message, &[
            "a `cfg(…)` table that a `--cfg` in `[build].rustflags` switches on hides `[build]`; repeat that `--cfg` in the table, or match on something else",
        ]);
    }

    /// A `-Z` flag in the rustflags cargo uses, where rustc is not nightly: cargo passes them to
    /// its first rustc query, so every command fails (`cargo metadata` too; cargo 1.95: "the
    /// option `Z` is only accepted on the nightly compiler").
    fn unstable_rustflags(&mut self) {
        let Some(machine) = &self.inputs.machine else { return };
        // `None` when no `-Z` flag is used (the channel is then not asked) or rustc cannot say.
        let Some(channel) = &machine.channel else { return };
        if ["nightly", "dev"].contains(&channel.as_str()) || self.inputs.nightly {
            return;
        }
        let rustflags = self.layers.rustflags(machine);
        for source in &rustflags.used {
            let Some(flag) = source.flags.iter().find(|f| f.starts_with("-Z")) else { continue };
            let at = self.place(&source.source);
            let message = format!(
                "{} passes `{flag}` to rustc, which is {}: `-Z` flags need nightly, so every cargo command fails",
                source.describe(),
                channel
            );
            self.push(Severity::Error, "unstable-rustflags", at, message, &[
                "remove the flag, or use it only with nightly (`cargo +nightly --config <file> …`, or pin nightly in `rust-toolchain.toml`)",
            ]);
        }
    }

    /// Config `rustflags` that cargo ignores on this machine: a `[build].rustflags` hidden by a
    /// `[target]` table that matches the host (cargo never merges the two). Flags hidden by a
    /// variable are `env-rustflags`' to report.
    fn unread_rustflags(&mut self) {
        let Some(machine) = &self.inputs.machine else { return };
        let rustflags = self.layers.rustflags(machine);
        if rustflags.level != effective::Level::Target {
            return;
        }
        let used: Vec<String> = rustflags.used.iter().map(effective::FlagsSource::describe).collect();
        // `[build]`'s, from a file or `CARGO_BUILD_RUSTFLAGS`; not a target table's string that a
        // nearer string replaced, which no table hides.
        let hidden = rustflags.ignored.iter().filter(|s| s.table == Some(crate::cargo::config::ConfigTable::Build));
        for hidden in hidden {
            let flags = hidden.flags.join(" ");
            let what = match &hidden.file {
                Some(_) => "`[build].rustflags`".to_owned(),
                None => format!("`{}`", hidden.source),
            };
            let message = format!(
                "{what} ({flags}) is ignored on this machine ({}): cargo takes rustflags from {} instead",
                machine.host,
                used.join(", ")
            );
            let help = ["move these flags into that table, or remove them; cargo never merges the two"];
            let at = self.place(&hidden.source);
            self.push(Severity::Warning, "rustflags-unread", at, message, &help);
        }
    }
}

/// The `-C` flags of a RUSTFLAGS value, each as `-C name=value` whether written `-Cname=value`
/// or `-C name=value` (`CARGO_ENCODED_RUSTFLAGS` separates with 0x1f).
pub fn codegen_flags(value: &str) -> Vec<String> {
    let mut tokens = value.split([' ', '\u{1f}']).filter(|t| !t.is_empty());
    let mut flags = Vec::new();
    while let Some(token) = tokens.next() {
        let option = match token {
            "-C" | "--codegen" => tokens.next(),
            _ => token.strip_prefix("-C").or_else(|| token.strip_prefix("--codegen=")),
        };
        if let Some(option) = option {
            flags.push(format!("-C {option}"));
        }
    }
    flags
}

fn profile_key_span(profile: &Item, name: &str) -> Option<std::ops::Range<usize>> {
    profile.as_table_like().and_then(|t| t.get_key_value(name)).and_then(|(k, _)| k.span())
}

fn spec_span(profile: &Item, name: &str, spec: &str) -> Option<std::ops::Range<usize>> {
    let specs: &dyn TableLike = profile.get(name)?.get("package")?.as_table_like()?;
    specs.get_key_value(spec).and_then(|(k, _)| k.span())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(manifest: &str) -> Inputs {
        Inputs {
            sources: vec![Source::new(SourceKind::RootManifest, "Cargo.toml".into(), manifest.into())],
            env: Vec::new(),
            nightly: false,
            packages: ["app", "dep-x"].into_iter().map(str::to_owned).collect(),
            versions: BTreeMap::new(),
            linked_members: BTreeSet::new(),
            packages_complete: true,
            shadowed_configs: Vec::new(),
            missing_members: Vec::new(),
            cranelift_installed: None,
            split_debuginfo_supported: Some(vec!["packed".into()]),
            machine: None,
            cargo: None,
        }
    }

    #[test]
    fn build_rustflags_hidden_by_a_matching_target_table_are_unread_and_others_are_not() {
        let mut inputs = inputs("[workspace]\n");
        inputs.machine = Some(crate::cargo::machine::tests::linux("1.95.0"));
        inputs.sources.push(config(
            "[build]\nrustflags = [\"-Ctarget-cpu=native\"]\n[target.'cfg(unix)']\nrustflags = [\"-Cforce-frame-pointers=yes\"]\n",
        ));
        let findings = check(&inputs);
        let unread: Vec<&Finding> = findings.iter().filter(|f| f.code == "rustflags-unread").collect();
        assert_eq!(unread.len(), 1, "{findings:?}");
        let shown = unread[0].to_string();
        assert!(shown.contains("`[build].rustflags` (-Ctarget-cpu=native) is ignored on this machine"), "{shown}");
        assert!(shown.contains(".cargo/config.toml:2"), "{shown}");
        // A target table for another platform hides nothing here.
        inputs.sources[1] =
            config("[build]\nrustflags = [\"-Cx=1\"]\n[target.'cfg(windows)']\nrustflags = [\"-Cy=1\"]\n");
        assert!(!check(&inputs).iter().any(|f| f.code == "rustflags-unread"));
        // `CARGO_BUILD_RUSTFLAGS` is part of `[build]`, so a target table hides it too; a target
        // table's own string replaced by a nearer one is not this rule's.
        inputs.sources[1] = config("[target.'cfg(unix)']\nrustflags = \"--cfg a\"\n");
        inputs.sources.push(config("[target.'cfg(unix)']\nrustflags = \"--cfg b\"\n"));
        inputs.env = vec![("CARGO_BUILD_RUSTFLAGS".into(), "--cfg e".into())];
        let shown: Vec<String> =
            check(&inputs).iter().filter(|f| f.code == "rustflags-unread").map(ToString::to_string).collect();
        assert_eq!(shown.len(), 1, "{shown:?}");
        assert!(shown[0].contains("`CARGO_BUILD_RUSTFLAGS` (--cfg e) is ignored on this machine"), "{shown:?}");
    }

    fn codes(manifest: &str) -> Vec<&'static str> {
        check(&inputs(manifest)).into_iter().map(|f| f.code).collect()
    }

    #[test]
    fn a_clean_manifest_has_no_findings() {
        assert!(codes("[workspace]\n[profile.dev]\ndebug = \"line-tables-only\"\n[profile.staging]\ninherits = \"release\"\ndebug-assertions = true\n").is_empty());
    }

    #[test]
    fn values_cargo_accepts_but_gets_wrong() {
        let found = codes(
            "[profile.release]\nopt-level = 4\nstrip = \"all\"\nlto = \"full\"\ncodegen-units = 0\nsplit-debuginfo = \"foo\"\nopt_level = 3\n",
        );
        assert_eq!(
            found,
            ["unknown-key", "invalid-value", "invalid-value", "invalid-value", "invalid-value", "invalid-value"]
        );
    }

    #[test]
    fn inherits_rules_and_env_name_collisions() {
        assert_eq!(codes("[profile.fast]\nopt-level = 1\n"), ["missing-inherits"]);
        assert_eq!(codes("[profile.dev]\ninherits = \"release\"\n"), ["root-inherits"]);
        assert_eq!(codes("[profile.a]\ninherits = \"b\"\n[profile.b]\ninherits = \"a\"\n"), ["inherits-loop"]);
        // Only the profiles in a loop are at fault, not one inheriting into it.
        assert_eq!(
            codes("[profile.a]\ninherits = \"b\"\n[profile.b]\ninherits = \"a\"\n[profile.c]\ninherits = \"a\"\n"),
            ["inherits-loop"]
        );
        assert!(codes("[profile.x]\ninherits = \"doc\"\n[profile.y]\ninherits = \"test\"\n").is_empty());
        assert_eq!(codes("[profile.a]\ninherits = \"debug\"\n"), ["inherits-debug"]);
        assert_eq!(codes("[profile.a]\ninherits = \"nope\"\n"), ["undefined-parent"]);
        assert_eq!(codes("[profile.release-lto]\ninherits = \"release\"\nlto = true\n"), ["env-collision"]);
    }

    #[test]
    fn split_debuginfo_the_target_drops() {
        assert_eq!(codes("[profile.dev]\nsplit-debuginfo = \"unpacked\"\n"), ["split-debuginfo-unsupported"]);
        assert!(codes("[profile.dev]\nsplit-debuginfo = \"packed\"\n").is_empty());
    }

    #[test]
    fn the_seed_traps() {
        let found =
            codes("[profile.staging]\ninherits = \"release\"\ndebug = true\n[profile.release]\nstrip = \"none\"\n");
        assert_eq!(found, ["explicit-strip-none", "release-without-assertions"]);
        let found = codes("[profile.dev.package.dep_x]\nopt-level = 1\n[profile.dev.package.nope]\nopt-level = 1\n");
        assert_eq!(
            found,
            ["spec-mismatch", "spec-unmatched", "star-excludes-members"]
                .into_iter()
                .filter(|c| *c != "star-excludes-members")
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_hint_without_its_gate_on_nightly_is_ignored_not_refused() {
        let mut nightly = inputs("[profile.dev]\nhint-mostly-unused = false\n");
        nightly.nightly = true;
        let found = check(&nightly);
        assert_eq!((found[0].code, found[0].severity), ("missing-gate", Severity::Warning));
        let mut backend = inputs("[profile.dev]\ncodegen-backend = \"cranelift\"\n");
        backend.nightly = true;
        assert_eq!(check(&backend)[0].severity, Severity::Error, "cargo refuses this one");
    }

    #[test]
    fn gated_keys_on_stable_and_rustflags_in_the_environment() {
        assert_eq!(codes("[profile.dev]\ncodegen-backend = \"cranelift\"\n"), ["needs-nightly"]);
        let mut with_env = inputs("[workspace]\n");
        with_env.env = vec![("RUSTFLAGS".into(), "-C opt-level=3".into())];
        let found = check(&with_env);
        assert_eq!(found[0].code, "env-rustflags");
        assert!(found[0].help[0].starts_with("`-C opt-level=3` fights the profile settings"), "{:?}", found[0].help);
        assert_eq!(
            codegen_flags("-Copt-level=1 --cfg x -C debuginfo=2\u{1f}-Cpanic=abort"),
            ["-C opt-level=1", "-C debuginfo=2", "-C panic=abort"]
        );
    }

    fn config(text: &str) -> Source {
        Source::new(SourceKind::Config, ".cargo/config.toml".into(), text.into())
    }

    #[test]
    fn a_string_and_an_array_rustflags_in_two_config_files_is_an_error_naming_both() {
        let mut inputs = inputs("[workspace]\n");
        inputs.sources.push(config("[build]\nrustflags = \"--cfg app\"\n"));
        inputs.sources.push(Source::new(
            SourceKind::UserConfig,
            "home/config.toml".into(),
            "[build]\njobs = 2\nrustflags = [\"--cfg\", \"home\"]\n".into(),
        ));
        let found: Vec<Finding> = check(&inputs).into_iter().filter(|f| f.code == "rustflags-merge").collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].severity, Severity::Error);
        let shown = found[0].to_string();
        assert!(shown.contains("`build.rustflags` is a string in one config file and an array in the other (home/config.toml:3 and .cargo/config.toml:2)"), "{shown}");
        assert_eq!(found[0].location.as_ref().map(|l| l.line), Some(2));
    }

    #[test]
    fn a_cfg_table_switched_on_by_the_flags_it_hides_is_a_warning() {
        let mut inputs = inputs("[workspace]\n");
        inputs.machine = Some(crate::cargo::machine::tests::linux("1.95.0"));
        inputs.sources.push(config(
            "[build]\nrustflags = [\"--cfg\", \"foo\"]\n[target.'cfg(foo)']\nrustflags = [\"--cfg\", \"bar\"]\n",
        ));
        let found: Vec<String> = check(&inputs).iter().map(ToString::to_string).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("warning[rustflags-unread]"), "{found:?}");
        assert!(found[1].starts_with("warning[rustflags-cfg-loop]"), "{found:?}");
        assert!(found[1].contains("and passes --cfg bar"), "{found:?}");
    }

    #[test]
    fn include_as_a_string_is_an_error() {
        let mut inputs = inputs("[workspace]\n");
        inputs.sources.push(config("include = \"extra.toml\"\n"));
        let found = check(&inputs);
        assert_eq!(found.iter().map(|f| f.code).collect::<Vec<_>>(), ["include-form"]);
        assert!(
            found[0].help[1].ends_with("but found string at `include` in `.cargo/config.toml"),
            "{:?}",
            found[0].help
        );
        inputs.sources[1] = config("include = [\"extra.toml\"]\n");
        assert!(check(&inputs).is_empty());
    }

    #[test]
    fn a_z_flag_in_the_rustflags_cargo_uses_on_stable_is_an_error() {
        let mut inputs = inputs("[workspace]\n");
        inputs.machine = Some(crate::cargo::machine::tests::linux("1.95.0"));
        inputs.sources.push(config("[build]\nrustflags = [\"-Z\", \"share-generics\"]\n"));
        let codes = |inputs: &Inputs| check(inputs).into_iter().map(|f| f.code).collect::<Vec<_>>();
        assert_eq!(codes(&inputs), ["unstable-rustflags"]);
        // Hidden by a variable, it is not passed; the variable's own `-Z` is.
        inputs.env = vec![("RUSTFLAGS".into(), "--cfg x".into())];
        assert!(!codes(&inputs).contains(&"unstable-rustflags"));
        inputs.env = vec![("CARGO_BUILD_RUSTFLAGS".into(), "-Zshare-generics".into())];
        inputs.sources.pop();
        assert_eq!(codes(&inputs), ["unstable-rustflags"]);
        inputs.nightly = true;
        assert!(codes(&inputs).is_empty());
    }

    #[test]
    fn inherits_from_the_environment() {
        let mut inputs = inputs("[workspace]\n");
        inputs.env = vec![("CARGO_PROFILE_RELEASE_INHERITS".into(), "dev".into())];
        let found = check(&inputs);
        let found: Vec<(&str, Severity)> =
            found.iter().filter(|f| f.code != "env-override").map(|f| (f.code, f.severity)).collect();
        assert_eq!(found, [("root-inherits", Severity::Error)]);
        // Reported once, as the variable's, where a file defines the profile too.
        let mut with_file = super::tests::inputs("[workspace]\n[profile.release]\nopt-level = 2\n");
        with_file.env.clone_from(&inputs.env);
        let found: Vec<String> =
            check(&with_file).iter().filter(|f| f.code == "root-inherits").map(|f| f.message.clone()).collect();
        assert_eq!(
            found,
            ["`CARGO_PROFILE_RELEASE_INHERITS=dev`: `inherits` must not be specified in root profile `release`"]
        );
        // A profile only the environment defines is checked when a build uses it.
        inputs.env = vec![("CARGO_PROFILE_CI_INHERITS".into(), "nope".into())];
        let found = check(&inputs);
        let found: Vec<(&str, Severity)> =
            found.iter().filter(|f| f.code != "env-override").map(|f| (f.code, f.severity)).collect();
        assert_eq!(found, [("undefined-parent", Severity::Warning)]);
        inputs.env = vec![("CARGO_PROFILE_CI_INHERITS".into(), "release".into())];
        assert!(check(&inputs).iter().all(|f| f.code == "env-override"));
    }

    #[test]
    fn cargo_build_incremental_takes_only_true_or_false() {
        let mut inputs = inputs("[workspace]\n");
        inputs.env = vec![("CARGO_BUILD_INCREMENTAL".into(), "1".into())];
        let found: Vec<(&str, Severity)> = check(&inputs).iter().map(|f| (f.code, f.severity)).collect();
        assert_eq!(found, [("invalid-value", Severity::Error)]);
    }
}
