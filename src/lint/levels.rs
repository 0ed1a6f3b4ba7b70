//! Lint levels: what a project says about each of `check`'s rules.
//!
//! As `[lints]` does for rustc, `[workspace.metadata.cargo-presets.lints]` in the root manifest
//! (`[package.metadata.cargo-presets.lints]` in a single package) sets a rule to `allow`,
//! `note`, `warn` or `deny`; a `# cargo-presets: allow(code, …)` comment on the line of a key,
//! or of its table's header, silences that rule there. A code that names no rule is reported.
//! Silenced findings stay in the list, marked, so that JSON output can say so.

use std::collections::BTreeMap;

use crate::error::Location;
use crate::lint::rules;
use crate::lint::{Finding, Inputs, Severity, SourceKind};

/// Why a finding is not reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Silenced {
    /// `code = "allow"` in the manifest's lint levels.
    Manifest,
    /// A `# cargo-presets: allow(code)` comment.
    Inline,
}

impl Silenced {
    pub fn name(self) -> &'static str {
        match self {
            Silenced::Manifest => "manifest",
            Silenced::Inline => "inline",
        }
    }
}

const MARK: &str = "# cargo-presets: allow(";

/// Applies the project's levels and inline allows to `findings`, and adds findings for levels
/// that name no rule or no level. `root` is the root manifest as `check` parsed it.
pub fn apply(inputs: &Inputs, root: Option<&toml_edit::Document<String>>, findings: &mut Vec<Finding>) {
    let levels = root.map(|doc| manifest_levels(inputs, doc, findings)).unwrap_or_default();
    inline_problems(inputs, findings);
    // Only files with an allow comment can silence anything inline: most have none.
    let with_allows: BTreeMap<String, Vec<&str>> = inputs
        .sources
        .iter()
        .filter(|s| s.text.contains(MARK))
        .map(|s| (s.path.display().to_string(), s.text.lines().collect()))
        .collect();
    for finding in findings.iter_mut() {
        match levels.get(finding.code) {
            Some(None) => finding.silenced = Some(Silenced::Manifest),
            Some(Some(severity)) => finding.severity = *severity,
            None => {}
        }
        if finding.silenced.is_none() && allowed_inline(&with_allows, finding) {
            finding.silenced = Some(Silenced::Inline);
        }
    }
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
}

/// The levels in the root manifest: `None` for `allow`.
fn manifest_levels(
    inputs: &Inputs,
    doc: &toml_edit::Document<String>,
    findings: &mut Vec<Finding>,
) -> BTreeMap<String, Option<Severity>> {
    let mut levels = BTreeMap::new();
    let Some(root) = inputs.sources.iter().find(|s| s.kind == SourceKind::RootManifest) else { return levels };
    let table = ["workspace", "package"].iter().find_map(|top| {
        doc.get(top)?.get("metadata")?.get("cargo-presets")?.get("lints")?.as_table_like().map(|t| (*top, t))
    });
    let Some((top, table)) = table else { return levels };
    for (code, item) in table.iter() {
        let at =
            |span: Option<std::ops::Range<usize>>| span.map(|span| Location::of_span(&root.path, &root.text, span));
        if rules::rule(code).is_none() {
            let key = table.key(code).and_then(|k| k.span());
            findings.push(unknown(code, at(key), &format!("{top}.metadata.cargo-presets.lints")));
            continue;
        }
        let level = match item.as_str() {
            Some("allow") => None,
            Some("note") => Some(Severity::Note),
            Some("warn") => Some(Severity::Warning),
            Some("deny") => Some(Severity::Error),
            _ => {
                findings.push(Finding {
                    severity: Severity::Error,
                    code: "invalid-value",
                    message: format!(
                        "invalid lint level for `{code}`: expected \"allow\", \"note\", \"warn\" or \"deny\""
                    ),
                    location: at(item.span()),
                    help: Vec::new(),
                    silenced: None,
                });
                continue;
            }
        };
        levels.insert(code.to_owned(), level);
    }
    levels
}

fn unknown(code: &str, location: Option<Location>, place: &str) -> Finding {
    let help = match rules::closest(code) {
        Some(known) => vec![format!("did you mean `{known}`?")],
        None => vec!["`cargo presets check --explain CODE` describes a rule; the README lists them all".to_owned()],
    };
    Finding {
        severity: Severity::Warning,
        code: "unknown-lint",
        message: format!("`{code}` in `{place}` names no rule of cargo presets"),
        location,
        help,
        silenced: None,
    }
}

/// The codes a line's allow comment names.
fn allowed_on(line: &str) -> Vec<&str> {
    let Some(start) = line.find(MARK) else { return Vec::new() };
    let rest = &line[start + MARK.len()..];
    let list = rest.split(')').next().unwrap_or_default();
    list.split(',').map(str::trim).filter(|c| !c.is_empty()).collect()
}

/// Unknown codes in allow comments, reported where they stand.
fn inline_problems(inputs: &Inputs, findings: &mut Vec<Finding>) {
    for source in &inputs.sources {
        let mut offset = 0;
        for line in source.text.split_inclusive('\n') {
            for code in allowed_on(line).into_iter().filter(|c| rules::rule(c).is_none()) {
                let at = offset + line.find(code).unwrap_or(0);
                let location = Location::of_span(&source.path, &source.text, at..at + code.len());
                findings.push(unknown(code, Some(location), "# cargo-presets: allow(…)"));
            }
            offset += line.len();
        }
    }
}

/// Whether the line of the finding, or the header of the table it is in, allows its code.
/// `sources` maps each file with allow comments to its lines.
fn allowed_inline(sources: &BTreeMap<String, Vec<&str>>, finding: &Finding) -> bool {
    let Some(location) = &finding.location else { return false };
    let Some(lines) = sources.get(&location.file) else { return false };
    let Some(index) = location.line.checked_sub(1).filter(|i| *i < lines.len()) else { return false };
    let header = lines[..=index].iter().rev().find(|l| l.trim_start().starts_with('['));
    [Some(&lines[index]), header].into_iter().flatten().any(|line| allowed_on(line).contains(&finding.code))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{Source, check};
    use std::path::PathBuf;

    fn run(manifest: &str, env: &[(&str, &str)]) -> Vec<(String, Severity, Option<Silenced>)> {
        let inputs = Inputs {
            sources: vec![Source::new(SourceKind::RootManifest, PathBuf::from("Cargo.toml"), manifest.into())],
            env: env.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
            nightly: false,
            packages: Default::default(),
            packages_complete: false,
            versions: Default::default(),
            linked_members: Default::default(),
            shadowed_configs: Vec::new(),
            missing_members: Vec::new(),
            cranelift_installed: None,
            split_debuginfo_supported: None,
            machine: None,
            cargo: None,
        };
        check(&inputs).into_iter().map(|f| (f.code.to_owned(), f.severity, f.silenced)).collect()
    }

    const STRIP: &str = "[workspace]\n[profile.release]\nstrip = false\n";

    #[test]
    fn manifest_levels_raise_lower_and_silence() {
        let with = |level: &str| {
            format!("{STRIP}[workspace.metadata.cargo-presets.lints]\nexplicit-strip-none = \"{level}\"\n")
        };
        assert_eq!(run(STRIP, &[]), [("explicit-strip-none".into(), Severity::Warning, None)]);
        assert_eq!(run(&with("deny"), &[])[0].1, Severity::Error);
        assert_eq!(run(&with("note"), &[])[0].1, Severity::Note);
        assert_eq!(
            run(&with("allow"), &[]),
            [("explicit-strip-none".into(), Severity::Warning, Some(Silenced::Manifest))]
        );
        let single = "[package]\nname = \"a\"\n[profile.release]\nstrip = false\n[package.metadata.cargo-presets.lints]\nexplicit-strip-none = \"allow\"\n";
        assert_eq!(run(single, &[])[0].2, Some(Silenced::Manifest));
    }

    #[test]
    fn inline_allow_on_the_key_or_the_table_line() {
        let on_key = "[workspace]\n[profile.release]\nstrip = false  # cargo-presets: allow(explicit-strip-none)\n";
        assert_eq!(run(on_key, &[])[0].2, Some(Silenced::Inline));
        let on_table = "[workspace]\n[profile.release] # cargo-presets: allow(ignored-panic, explicit-strip-none)\nstrip = false\n";
        assert_eq!(run(on_table, &[])[0].2, Some(Silenced::Inline));
        let elsewhere = "[workspace]\n# cargo-presets: allow(explicit-strip-none)\n[profile.release]\nstrip = false\n";
        assert_eq!(run(elsewhere, &[])[0].2, None);
    }

    #[test]
    fn unknown_codes_and_levels_are_reported() {
        let text = format!(
            "{STRIP}[workspace.metadata.cargo-presets.lints]\nexplicit-strip = \"allow\"\nignored-panic = \"off\"\n"
        );
        let codes: Vec<String> = run(&text, &[]).into_iter().map(|(c, _, _)| c).collect();
        assert_eq!(codes, ["invalid-value", "explicit-strip-none", "unknown-lint"]);
        let inline = "[workspace]\n[profile.release]\nstrip = false # cargo-presets: allow(strip-none)\n";
        let found = run(inline, &[]);
        assert!(found.contains(&("unknown-lint".into(), Severity::Warning, None)), "{found:?}");
        assert!(found.contains(&("explicit-strip-none".into(), Severity::Warning, None)), "{found:?}");
    }
}
