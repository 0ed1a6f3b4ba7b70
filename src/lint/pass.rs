//! One pass of the rules over the inputs: the state every family of rules shares (the inputs,
//! cargo's model of the profiles they define, each source's line index) and the findings they
//! push.

use std::ops::Range;

use toml_edit::Item;

use crate::cargo::effective::Layers;
use crate::cargo::schema::{Key, Value};
use crate::error::{Lines, Location};
use crate::lint::findings::{Finding, Inputs};
use crate::lint::rules::{Code, Severity};

/// A profile as one source defines it, for the rules that look across sources.
pub(super) struct Defined {
    pub(super) source: usize,
    pub(super) span: Option<Range<usize>>,
}

pub(super) struct Lint<'a> {
    pub(super) inputs: &'a Inputs,
    pub(super) findings: Vec<Finding>,
    /// The profiles cargo uses, for rules whose claim depends on the effective value.
    pub(super) layers: &'a Layers,
    /// Each source's line index: thousands of findings in one file cost a lookup each.
    lines: Vec<Lines>,
}

impl<'a> Lint<'a> {
    pub(super) fn new(inputs: &'a Inputs, layers: &'a Layers) -> Lint<'a> {
        let lines = inputs.sources.iter().map(|s| Lines::new(&s.text)).collect();
        Lint { inputs, findings: Vec::new(), layers, lines }
    }

    /// A finding at a span of source `i`, or at no place (a variable, a missing file).
    pub(super) fn push(
        &mut self,
        severity: Severity,
        code: Code,
        at: Option<(usize, Range<usize>)>,
        message: String,
        help: &[&str],
    ) {
        let location = at.map(|(i, span)| {
            let source = &self.inputs.sources[i];
            Location::of_span_in(&source.path, &source.text, &self.lines[i], span)
        });
        self.findings.push(Finding {
            severity,
            code,
            message,
            location,
            help: help.iter().map(|h| (*h).to_owned()).collect(),
            silenced: None,
        });
    }

    /// The source and span of a `file:line` a definition names (none for a variable).
    pub(super) fn place(&self, source: &str) -> Option<(usize, Range<usize>)> {
        let (file, line) = source.rsplit_once(':')?;
        let line: usize = line.parse().ok()?;
        let i = self.inputs.sources.iter().position(|s| s.path.display().to_string() == file)?;
        let text = &self.inputs.sources[i].text;
        let start: usize = text.split_inclusive('\n').take(line - 1).map(str::len).sum();
        let indent = text[start..].len() - text[start..].trim_start_matches([' ', '\t']).len();
        Some((i, start + indent..start + indent + 1))
    }

    /// Whether the effective `key` of `profile` is set to something other than "off" (cargo's
    /// default included); `None` where the profile's chain is broken (another rule says so).
    pub(super) fn effective_on(&self, profile: &str, key: Key) -> Option<bool> {
        let effective = self.layers.effective(profile, key, None).ok()?;
        let off = [Value::Bool(false), Value::Str("none".into())];
        Some(effective.value.is_some_and(|v| !off.iter().any(|o| key.same_meaning(&v, o))))
    }
}

/// The span of profile `name`'s key in a `[profile]` tree.
pub(super) fn profile_key_span(profile: &Item, name: &str) -> Option<Range<usize>> {
    profile.as_table_like().and_then(|t| t.get_key_value(name)).and_then(|(k, _)| k.span())
}
