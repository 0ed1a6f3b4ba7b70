//! `cargo presets check`: gathers what cargo would read, lints it, prints the findings.
//!
//! Sources: what cargo reads for the workspace ([`crate::cargo::reading`]): the root manifest,
//! the members and path dependencies (whose profiles cargo ignores but still validates), the
//! config files cargo reads from the current directory upwards and in `$CARGO_HOME`, and the
//! environment.

use std::collections::BTreeSet;

use serde::Serialize;
use toml_edit::Item;

use crate::cargo::effective::Layers;
use crate::cargo::lockfile;
use crate::cargo::reading::Reading;
use crate::cargo::toolchain;
use crate::cargo::workspace::Workspace;
use crate::error::Result;
use crate::lint::rules;
use crate::lint::{self, Finding, Inputs, Severity, Source, SourceKind};
use crate::ops::Context;
use crate::shell::plural;

/// Exit status when findings reach `--deny`.
pub const FINDINGS: i32 = 1;

/// What `check` is asked.
pub struct CheckOptions {
    /// A rule to describe instead of checking.
    pub explain: Option<String>,
    /// The lowest severity that makes the exit status [`FINDINGS`].
    pub deny: Severity,
    pub format: CheckFormat,
}

/// `check`'s output formats: the others', and GitHub Actions annotations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckFormat {
    Human,
    Json,
    Github,
}

pub fn run(ctx: &mut Context<'_>, args: &CheckOptions) -> Result<i32> {
    if let Some(code) = &args.explain {
        return explain(ctx, code);
    }
    let workspace = ctx.workspace()?;
    let (inputs, layers) = gather(ctx, &workspace)?;
    let all = lint::check(&inputs, &layers);
    let report = Checked::new(&all, inputs.sources.len(), args.deny);
    for source in &inputs.sources {
        ctx.shell.verbose_status("Reading", format!("{} ({})", source.path.display(), source_kind(source.kind)));
    }
    match args.format {
        CheckFormat::Json => ctx.shell.print(&crate::report::json(&report)?)?,
        CheckFormat::Github => {
            ctx.shell.print(&report.github())?;
            ctx.shell.status("Checked", report.summary());
        }
        CheckFormat::Human => {
            for finding in report.reported() {
                ctx.shell.diagnostic(finding.severity, &finding.to_string());
            }
            ctx.shell.status("Checked", report.summary());
        }
    }
    Ok(if report.failed { FINDINGS } else { 0 })
}

/// `check`'s report: `{"findings": [...], "files": N, "deny": "warning", "failed": bool}`. The
/// findings include those a lint level silences, marked so; people see only the others.
#[derive(Serialize)]
pub struct Checked<'a> {
    findings: Vec<Reported<'a>>,
    /// How many files were read.
    files: usize,
    /// The severity from which a finding fails the check (`--deny`).
    deny: &'static str,
    failed: bool,
}

/// A finding as tools get it.
#[derive(Serialize)]
struct Reported<'a> {
    severity: &'static str,
    code: String,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    help: &'a [String],
    /// `manifest` or `inline`: what silenced it.
    silenced: Option<&'static str>,
    #[serde(skip)]
    finding: &'a Finding,
}

impl<'a> Checked<'a> {
    fn new(findings: &'a [Finding], files: usize, deny: Severity) -> Checked<'a> {
        let findings: Vec<Reported<'a>> = findings
            .iter()
            .map(|f| Reported {
                severity: f.severity.name(),
                code: f.code.to_string(),
                message: &f.message,
                file: f.location.as_ref().map(|l| l.file.as_str()),
                line: f.location.as_ref().map(|l| l.line),
                column: f.location.as_ref().map(|l| l.column),
                help: &f.help,
                silenced: f.silenced.map(|s| s.name()),
                finding: f,
            })
            .collect();
        let failed = findings.iter().any(|r| r.silenced.is_none() && r.finding.severity >= deny);
        Checked { findings, files, deny: deny.name(), failed }
    }

    /// The findings no lint level silences.
    fn reported(&self) -> impl Iterator<Item = &'a Finding> + '_ {
        self.findings.iter().filter(|r| r.silenced.is_none()).map(|r| r.finding)
    }

    /// `3 files: 1 error, 2 warnings, 0 notes (1 silenced by lint levels)`.
    fn summary(&self) -> String {
        let reported: Vec<&Finding> = self.reported().collect();
        let mut summary = counts(&reported);
        let silenced = self.findings.len() - reported.len();
        if silenced > 0 {
            summary.push_str(&format!(" ({silenced} silenced by lint levels)"));
        }
        format!("{}: {summary}", plural(self.files, "file", "files"))
    }

    /// The findings as GitHub Actions workflow commands.
    fn github(&self) -> String {
        self.reported().map(annotation).collect()
    }
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

/// What `check` lints: the reading's sources and model, and the facts its rules ask for.
fn gather(ctx: &Context<'_>, workspace: &Workspace) -> Result<(Inputs, Layers)> {
    // A configuration cargo refuses is linted as it is: `check` names what is wrong with it.
    let reading = Reading::as_found(workspace, ctx)?;
    let sources = &reading.sources;
    let (packages, packages_complete, versions) = packages(workspace, sources);
    // Each costs a process, so only when a file asks for it.
    let wants_cranelift = sources.iter().any(|s| s.text.contains("cranelift"));
    let wants_split = sources.iter().any(|s| s.text.contains("split-debuginfo"));
    let wants_strip =
        sources.iter().any(|s| s.text.contains("strip")) || std::env::vars().any(|(k, _)| k.ends_with("_STRIP"));
    // Which rustflags cargo reads depends on the target: asked only where some are set.
    let layers = &reading.layers;
    let mut machine = layers.sets_rustflags().then(|| reading.build_machine().ok()).flatten();
    // Only a `-Z` flag needs rustc's channel, which costs a second process (`rustc -vV`).
    if let Some(machine) = &mut machine
        && layers.rustflags(machine).flags().iter().any(|f| f.starts_with("-Z"))
    {
        machine.channel = crate::cargo::machine::channel(workspace.root());
    }
    let inputs = Inputs {
        sources: reading.sources,
        env: reading.env,
        nightly: workspace.pins_nightly(),
        packages,
        packages_complete,
        versions,
        // Reads every member's targets, so only when a profile could strip.
        linked_members: if wants_strip { workspace.linked_members() } else { BTreeSet::new() },
        shadowed_configs: reading.shadowed_configs,
        missing_members: reading.missing_members,
        cranelift_installed: wants_cranelift
            .then(|| toolchain::installed_components("nightly").ok())
            .flatten()
            .map(|installed| toolchain::has_component(&installed, "rustc-codegen-cranelift-preview")),
        split_debuginfo_supported: wants_split
            .then(|| crate::cargo::machine::split_debuginfo_values(workspace.root()))
            .flatten(),
        machine,
    };
    Ok((inputs, reading.layers))
}

/// The package names a spec may match: every package in `Cargo.lock` if there is one (complete),
/// else the members and their direct dependencies.
type Versions = std::collections::BTreeMap<String, Vec<String>>;

fn packages(workspace: &Workspace, sources: &[Source]) -> (BTreeSet<String>, bool, Versions) {
    if let Some(versions) = lockfile::locked_versions(workspace.root()) {
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
