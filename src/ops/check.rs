//! `cargo presets check`: gathers what cargo would read, lints it, prints the findings.
//!
//! Sources: the workspace root manifest, every other `Cargo.toml` below the root (members and
//! path dependencies, whose profiles cargo ignores but still validates), the config files cargo
//! reads from the current directory upwards and in `$CARGO_HOME`, and the environment.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::json;
use toml_edit::Item;

use crate::cargo::workspace::{self, Workspace};
use crate::cli::{CheckArgs, CheckFormat};
use crate::error::Result;
use crate::files;
use crate::lint::rules;
use crate::lint::{self, Finding, Inputs, Severity, Source, SourceKind};
use crate::ops::Context;
use crate::shell::plural;

/// Exit status when findings reach `--deny`.
pub const FINDINGS: i32 = 1;

pub fn run(ctx: &mut Context<'_>, args: &CheckArgs) -> Result<i32> {
    if let Some(code) = &args.explain {
        return explain(ctx, code);
    }
    let workspace = ctx.workspace()?;
    let inputs = gather(ctx, &workspace)?;
    let all = lint::check(&inputs);
    let deny: Severity = args.deny.into();
    let reported: Vec<&Finding> = all.iter().filter(|f| f.silenced.is_none()).collect();
    let failing = reported.iter().filter(|f| f.severity >= deny).count();

    for source in &inputs.sources {
        ctx.shell.verbose_status("Reading", format!("{} ({})", source.path.display(), source_kind(source.kind)));
    }
    let mut summary = counts(&reported);
    let silenced = all.len() - reported.len();
    if silenced > 0 {
        summary.push_str(&format!(" ({silenced} silenced by lint levels)"));
    }
    let summary = format!("{}: {summary}", plural(inputs.sources.len(), "file", "files"));
    match args.format {
        CheckFormat::Json => ctx.shell.print(&format!("{:#}\n", report(&all, inputs.sources.len(), deny, failing)))?,
        CheckFormat::Github => {
            ctx.shell.print(&reported.iter().map(|f| annotation(f)).collect::<String>())?;
            ctx.shell.status("Checked", summary);
        }
        CheckFormat::Human => {
            for finding in &reported {
                ctx.shell.diagnostic(finding.severity, &finding.to_string());
            }
            ctx.shell.status("Checked", summary);
        }
    }
    Ok(if failing > 0 { FINDINGS } else { 0 })
}

/// `check --explain CODE`: the rule's entry in the catalogue. Needs no workspace.
fn explain(ctx: &mut Context<'_>, code: &str) -> Result<i32> {
    let Some(rule) = rules::rule(code) else {
        let error = crate::error::Error::new(format!("no rule is called `{code}`"));
        return Err(match rules::closest(code) {
            Some(known) => error.help(format!("did you mean `{known}`?")),
            None => error.help("the README's table lists every rule, or see the codes `cargo presets check` prints"),
        });
    };
    ctx.shell.print(&rules::explain(rule))?;
    Ok(0)
}

/// What a file is to cargo, for `check -v`.
fn source_kind(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::RootManifest => "the workspace manifest: its profiles are the ones cargo uses",
        SourceKind::MemberManifest => "a member's manifest: cargo ignores its profiles, but validates them",
        SourceKind::DependencyManifest => {
            "a path dependency's manifest: cargo loads it, and fails on a profile value it cannot read"
        }
        SourceKind::Config => "a config file cargo reads from here",
        SourceKind::UserConfig => "your config file: every project on this machine reads it",
    }
}

/// A finding as a GitHub Actions workflow command (`::warning file=…,line=…,col=…,title=…::…`),
/// which the job's log turns into an annotation on the file's line; a note is a `::notice`.
fn annotation(finding: &Finding) -> String {
    let command = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut properties = Vec::new();
    if let Some(location) = &finding.location {
        properties.push(format!("file={}", escape_property(&location.file)));
        properties.push(format!("line={}", location.line));
        properties.push(format!("col={}", location.column));
    }
    properties.push(format!("title={}", escape_property(&format!("cargo-presets {}", finding.code))));
    // The annotation shows the level and the title (the rule); the message is the rest.
    let mut message = finding.message.clone();
    for help in &finding.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    format!("::{command} {}::{}\n", properties.join(","), escape_data(&message))
}

/// A workflow command's message: `%`, CR and LF are escaped, as the runner decodes them.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value: as a message, and `:` and `,`, which end it.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn counts(findings: &[&Finding]) -> String {
    if findings.is_empty() {
        return "no problems found".to_owned();
    }
    let count = |severity: Severity, one: &str, many: &str| {
        let n = findings.iter().filter(|f| f.severity == severity).count();
        format!("{n} {}", if n == 1 { one } else { many })
    };
    [
        count(Severity::Error, "error", "errors"),
        count(Severity::Warning, "warning", "warnings"),
        count(Severity::Note, "note", "notes"),
    ]
    .join(", ")
}

/// The JSON document: `{"findings": [...], "files": N, "deny": "warning", "failed": bool}`, each
/// finding with `severity`, `code`, `message`, `file`, `line`, `column` and `help`.
fn report(findings: &[Finding], files: usize, deny: Severity, failing: usize) -> serde_json::Value {
    let findings: Vec<_> = findings
        .iter()
        .map(|f| {
            json!({
                "severity": f.severity.name(),
                "code": f.code,
                "message": f.message,
                "file": f.location.as_ref().map(|l| l.file.clone()),
                "line": f.location.as_ref().map(|l| l.line),
                "column": f.location.as_ref().map(|l| l.column),
                "help": f.help,
                "silenced": f.silenced.map(|s| s.name()),
            })
        })
        .collect();
    json!({ "findings": findings, "files": files, "deny": deny.name(), "failed": failing > 0 })
}

fn gather(ctx: &Context<'_>, workspace: &Workspace) -> Result<Inputs> {
    let root_text = files::read(&ctx.relative(&workspace.manifest))?;
    let root_path = PathBuf::from(ctx.display(&workspace.manifest));
    // Discovery parsed the root manifest already; unless it changed since, or a byte-order mark
    // would shift the spans, the rules read that parse.
    let root = match workspace.parsed.doc_of(&root_text) {
        Some(doc) => Source::parsed(SourceKind::RootManifest, root_path, root_text, doc),
        None => Source::new(SourceKind::RootManifest, root_path, root_text),
    };
    let mut sources = vec![root];
    // The members cargo loads with this workspace, not every `Cargo.toml` below the root: a fuzz
    // crate that is its own workspace, or an excluded one, is none of our business.
    let mut members: Vec<&PathBuf> = workspace.members.iter().filter(|m| **m != workspace.manifest).collect();
    members.sort();
    for manifest in members {
        sources.push(source(ctx, SourceKind::MemberManifest, manifest)?);
    }
    // A member cargo cannot load fails every build: one that does not parse is checked like the
    // others (and its parse error reported), one that is missing is reported as such.
    let (broken, missing): (Vec<&PathBuf>, Vec<&PathBuf>) = workspace.unloaded.iter().partition(|m| m.is_file());
    for manifest in broken {
        sources.push(source(ctx, SourceKind::MemberManifest, manifest)?);
    }
    let missing_members = missing.into_iter().map(|m| PathBuf::from(ctx.display(m))).collect();
    for manifest in workspace::outside_path_dependencies(workspace) {
        sources.push(source(ctx, SourceKind::DependencyManifest, &manifest)?);
    }
    let configs = workspace::config_files(&ctx.cwd);
    for (scope, path) in configs.read {
        let kind = if scope == workspace::ConfigScope::User { SourceKind::UserConfig } else { SourceKind::Config };
        sources.push(source(ctx, kind, &path)?);
    }
    let shadowed_configs = configs
        .shadowed
        .into_iter()
        .map(|(ignored, used)| (PathBuf::from(ctx.display(&ignored)), PathBuf::from(ctx.display(&used))))
        .collect();
    let (packages, packages_complete, versions) = packages(workspace, &sources);
    // Each costs a process, so only when a file asks for it.
    let wants_cranelift = sources.iter().any(|s| s.text.contains("cranelift"));
    let wants_split = sources.iter().any(|s| s.text.contains("split-debuginfo"));
    // `[profile.debug]` or `inherits = "debug"`: cargo's own profile from 1.99, refused before.
    let names_debug = sources.iter().any(|s| workspace::may_name_debug_profile(&s.text));
    let wants_strip =
        sources.iter().any(|s| s.text.contains("strip")) || std::env::vars().any(|(k, _)| k.ends_with("_STRIP"));
    let env: Vec<(String, String)> =
        std::env::vars().filter(|(k, _)| crate::cargo::effective::is_build_variable(k)).collect();
    // Which rustflags cargo reads depends on the target: asked only where some are set.
    let layers = lint::layers(&sources, &env);
    let mut machine =
        layers.sets_rustflags().then(|| super::explain::build_machine(&layers, workspace.root()).ok()).flatten();
    // Only a `-Z` flag needs rustc's channel, which costs a second process (`rustc -vV`).
    if let Some(machine) = &mut machine
        && layers.rustflags(machine).flags().iter().any(|f| f.starts_with("-Z"))
    {
        machine.channel = crate::cargo::machine::channel(workspace.root());
    }
    Ok(Inputs {
        sources,
        env,
        nightly: workspace.pins_nightly(),
        packages,
        packages_complete,
        versions,
        // Reads every member's targets, so only when a profile could strip.
        linked_members: if wants_strip { workspace.linked_members() } else { BTreeSet::new() },
        shadowed_configs,
        missing_members,
        cranelift_installed: wants_cranelift
            .then(|| workspace::installed_components("nightly").ok())
            .flatten()
            .map(|installed| workspace::has_component(&installed, "rustc-codegen-cranelift-preview")),
        split_debuginfo_supported: wants_split
            .then(|| crate::cargo::machine::split_debuginfo_values(workspace.root()))
            .flatten(),
        machine,
        cargo: names_debug.then(|| workspace.cargo_release()).flatten(),
    })
}

fn source(ctx: &Context<'_>, kind: SourceKind, path: &Path) -> Result<Source> {
    Ok(Source::new(kind, PathBuf::from(ctx.display(path)), files::read(&ctx.relative(path))?))
}

/// The package names a spec may match: every package in `Cargo.lock` if there is one (complete),
/// else the members and their direct dependencies.
type Versions = std::collections::BTreeMap<String, Vec<String>>;

fn packages(workspace: &Workspace, sources: &[Source]) -> (BTreeSet<String>, bool, Versions) {
    if let Ok(lock) = files::read(&workspace.root().join("Cargo.lock"))
        && let Ok(doc) = lock.parse::<toml_edit::DocumentMut>()
        && let Some(packages) = doc.get("package").and_then(Item::as_array_of_tables)
    {
        let mut versions = Versions::new();
        for package in packages.iter() {
            let (Some(name), Some(version)) = (package.get("name"), package.get("version")) else { continue };
            let (Some(name), Some(version)) = (name.as_str(), version.as_str()) else { continue };
            versions.entry(name.to_owned()).or_default().push(version.to_owned());
        }
        let names = versions.keys().cloned().collect();
        return (names, true, versions);
    }
    let mut names = BTreeSet::new();
    for source in sources.iter().filter(|s| {
        matches!(s.kind, SourceKind::RootManifest | SourceKind::MemberManifest | SourceKind::DependencyManifest)
    }) {
        let Ok(doc) = &source.doc else { continue };
        if let Some(name) = doc.get("package").and_then(|p| p.get("name")).and_then(Item::as_str) {
            names.insert(name.to_owned());
        }
        let tables = ["dependencies", "dev-dependencies", "build-dependencies"];
        let direct =
            tables.iter().filter_map(|t| doc.get(t)).chain(doc.get("workspace").and_then(|w| w.get("dependencies")));
        let targets = doc
            .get("target")
            .and_then(Item::as_table_like)
            .into_iter()
            .flat_map(|t| t.iter())
            .flat_map(|(_, t)| tables.iter().filter_map(move |k| t.get(k)));
        for deps in direct.chain(targets).filter_map(Item::as_table_like) {
            for (key, spec) in deps.iter() {
                // `alias = { package = "real-name", … }` depends on `real-name`.
                names.insert(spec.get("package").and_then(Item::as_str).unwrap_or(key).to_owned());
            }
        }
    }
    (names, false, Versions::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workflow_commands_escape_what_the_runner_decodes() {
        assert_eq!(escape_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
