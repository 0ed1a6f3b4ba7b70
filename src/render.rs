//! The comments we write, rendered with handlebars from `templates/`.
//!
//! Comment text comes from preset files, which may come from strangers. Every piece of it is
//! flattened to one line before rendering, and every rendered line again afterwards, so no text
//! can end a comment and start TOML: each line we emit is `#` followed by printable text.

use handlebars::Handlebars;
use serde::Serialize;

use crate::cargo::schema::{self, Scope, TablePath};

/// The templates, embedded so an installed binary needs no checkout.
const TEMPLATES: [(&str, &str); 5] = [
    ("table", include_str!("../templates/table.hbs")),
    ("key", include_str!("../templates/key.hbs")),
    ("gate", include_str!("../templates/gate.hbs")),
    ("file", include_str!("../templates/file.hbs")),
    ("preset", include_str!("../templates/preset.toml.hbs")),
];

pub struct Renderer {
    registry: Handlebars<'static>,
}

impl Default for Renderer {
    fn default() -> Self {
        let mut registry = Handlebars::new();
        // A missing field is a bug in our code, not something to render as empty text.
        registry.set_strict_mode(true);
        // Output is TOML comments, not HTML.
        registry.register_escape_fn(handlebars::no_escape);
        for (name, text) in TEMPLATES {
            registry.register_template_string(name, text).expect("the built-in templates are valid (tested)");
        }
        Renderer { registry }
    }
}

impl Renderer {
    /// The header above a table we create: what the preset is for, and (with `usage`, once per
    /// table) how to select a custom profile. An override table says instead what it covers,
    /// since `package."*"` is so often expected to cover the workspace's own crates.
    pub fn table(&self, summary: &str, table: &TablePath, usage: bool) -> Vec<String> {
        let custom = usage && table.scope == Scope::Profile && !schema::is_builtin_profile(&table.profile);
        let scope = match &table.scope {
            Scope::Profile => None,
            Scope::Package(spec) if spec == "*" => Some("every dependency, not this workspace's own crates".to_owned()),
            Scope::Package(spec) => Some(format!("the package `{}`", one_line(spec))),
            Scope::BuildOverride => Some("build scripts, proc-macros and their dependencies".to_owned()),
        };
        #[derive(Serialize)]
        struct Data {
            summary: String,
            scope: Option<String>,
            profile: Option<String>,
        }
        let profile = custom.then(|| one_line(&table.profile));
        self.render("table", &Data { summary: one_line(summary), scope, profile })
    }

    /// The reason written above a key.
    pub fn key(&self, why: &str) -> Vec<String> {
        #[derive(Serialize)]
        struct Data {
            why: String,
        }
        self.render("key", &Data { why: one_line(why) })
    }

    /// The reason for a feature gate.
    pub fn gate(&self, key: &str) -> Vec<String> {
        #[derive(Serialize)]
        struct Data {
            key: String,
        }
        self.render("gate", &Data { key: one_line(key) })
    }

    /// The header of a config file `apply` creates: a standalone file (at `path`) says how to
    /// use it; any other says that `remove` may delete it, the mark `remove` looks for.
    pub fn file(&self, presets: &[String], path: Option<&str>, nightly: bool, directory: bool) -> Vec<String> {
        #[derive(Serialize)]
        struct Data {
            presets: String,
            path: Option<String>,
            nightly: bool,
            directory: bool,
        }
        let presets = one_line(&presets.join(" "));
        self.render("file", &Data { presets, path: path.map(one_line), nightly, directory })
    }

    /// A new preset file that teaches the format through its comments (for `new` and `init`).
    /// Not flattened: it is TOML, and its only inputs are names already checked to be plain.
    pub fn preset_file(&self, name: &str, extends: &[String]) -> String {
        #[derive(Serialize)]
        struct Data<'a> {
            name: &'a str,
            extends: &'a [String],
        }
        self.registry.render("preset", &Data { name, extends }).expect("the data matches the template (tested)")
    }

    fn render(&self, name: &str, data: &impl Serialize) -> Vec<String> {
        let text = self.registry.render(name, data).expect("the data matches the template (tested)");
        text.lines().map(|line| strip_controls(line).trim_end().to_owned()).filter(|l| !l.is_empty()).collect()
    }
}

/// `text` with each paragraph (blank-line separated) filled to `width` columns.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// Flattens text to one line: line breaks, tabs and other control characters become spaces,
/// and runs of spaces collapse.
pub fn one_line(text: &str) -> String {
    strip_controls(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a terminal would act on `c` instead of showing it: a control character other than a
/// line break or tab (ESC starts commands: OSC 52 writes the clipboard, others set the window
/// title), or one that reorders or hides the text around it (bidi controls, line separators), so
/// that what is shown differs from what is read.
pub fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{61c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{2028}' | '\u{2029}')
}

/// `text` with each character a terminal would act on shown as its escape (`\u{1b}`).
pub fn visible(text: &str) -> String {
    // A CRLF line end (a preset checked out on Windows) is a line end.
    text.replace("\r\n", "\n")
        .chars()
        .map(|c| if acts_on_terminal(c) { c.escape_unicode().to_string() } else { c.to_string() })
        .collect()
}

/// Replaces characters a TOML comment may not hold, or that editors show as a line break.
fn strip_controls(text: &str) -> String {
    text.chars().map(|c| if c.is_control() || c == '\u{2028}' || c == '\u{2029}' { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_renders() {
        let r = Renderer::default();
        let table = |profile: &str, scope| TablePath { profile: profile.into(), scope };
        assert_eq!(r.table("Faster builds", &table("dev", Scope::Profile), true), ["Faster builds"]);
        assert_eq!(
            r.table("Full debug info", &table("debugging", Scope::Profile), true),
            ["Full debug info", "Use it with `cargo build --profile debugging`."]
        );
        assert_eq!(
            r.table("Faster builds", &table("dev", Scope::Package("*".into())), true),
            ["Settings for every dependency, not this workspace's own crates."]
        );
        assert_eq!(r.table("Checks kept", &table("staging", Scope::Profile), false), ["Checks kept"]);
        assert_eq!(r.key("keeps line numbers"), ["keeps line numbers"]);
        assert_eq!(
            r.gate("profile.dev.codegen-backend"),
            ["nightly cargo needs this opt-in for `profile.dev.codegen-backend`"]
        );
        assert!(r.preset_file("team", &["fast-dev".into()]).contains("extends = [\"fast-dev\"]"));
        let file = r.file(&["cranelift-dev".into()], Some(".cargo/cl.toml"), true, false);
        assert_eq!(file.len(), 3);
        assert_eq!(file[2], "    cargo +nightly --config .cargo/cl.toml build");
        let created = r.file(&["fast-dev".into(), "ci".into()], None, false, false);
        assert_eq!(
            created,
            [
                "Created by `cargo presets apply fast-dev ci`; `cargo presets remove` deletes this file once nothing else is in it."
            ]
        );
        let with_directory = r.file(&["fast-dev".into()], None, false, true);
        assert_eq!(
            with_directory,
            [
                "Created with its directory by `cargo presets apply fast-dev`; `cargo presets remove` deletes both once nothing else is in them."
            ]
        );
        assert_eq!(r.file(&["x".into()], Some("ci/x.toml"), false, true).len(), 4);
    }

    #[test]
    fn text_cannot_break_out_of_a_comment() {
        let r = Renderer::default();
        let hostile = "fine\n[profile.release]\r\nlto = true\u{2028}x\u{0}\"\"\"]";
        let lines = r.key(hostile);
        assert_eq!(lines, ["fine [profile.release] lto = true x \"\"\"]"]);
    }

    #[test]
    fn no_html_escaping() {
        assert_eq!(Renderer::default().key("a < b && `c`"), ["a < b && `c`"]);
    }
}
