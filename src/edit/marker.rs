//! Our comment lines, recognisable as ours: `# cargo-presets(<preset>): <text>`, or with a tag,
//! `# cargo-presets(<preset>) <tag>: <text>`.
//!
//! Above a table they say what a preset is for; above a key, why it has its value. Tags name the
//! key for settings inside an inline table (which cannot hold comments), `was` records a
//! hand-written value replaced with `--force`, and `forced` a value the preset relies on that
//! `--force` applied it without. A re-apply replaces our lines and never touches
//! any other comment, so running twice writes the same bytes.

const START: &str = "# cargo-presets(";

#[derive(Debug, PartialEq, Eq)]
pub struct Marker<'a> {
    pub preset: &'a str,
    pub tag: Option<&'a str>,
    pub text: &'a str,
}

pub const WAS: &str = "was";

/// The tag of a record that `--force` applied a preset although a value it relies on is another:
/// later runs accept that value, and only that one.
pub const FORCED: &str = "forced";

/// The tag of the header of a config file we created.
pub const FILE: &str = "file";

/// The tag of the header of a config file we created together with its directory
/// (`.cargo/` in a workspace that had none).
pub const FILE_AND_DIRECTORY: &str = "file and directory";

/// The header's tag for a new file, which says whether its directory is new too.
pub fn file_tag(creates_directory: bool) -> &'static str {
    if creates_directory { FILE_AND_DIRECTORY } else { FILE }
}

/// Whether `text` is a file `apply` created (it starts with our header) that holds nothing but
/// that header now, so that `remove` may delete it. A file we did not create is never deleted,
/// even when nothing is left in it.
pub fn only_our_header(original: &str, text: &str) -> bool {
    let is_header = |line: &str| Marker::parse(line).is_some_and(|m| matches!(m.tag, Some(FILE | FILE_AND_DIRECTORY)));
    original.lines().any(is_header) && text.lines().all(|l| l.trim().is_empty() || is_header(l))
}

/// Whether `apply` created the directory of the file whose text this is, so that `remove`,
/// deleting the file, deletes the directory too if nothing else is in it.
pub fn created_its_directory(text: &str) -> bool {
    text.lines().any(|line| Marker::parse(line).is_some_and(|m| m.tag == Some(FILE_AND_DIRECTORY)))
}

impl Marker<'_> {
    /// Reads a comment line (leading indentation allowed); `None` if it is not ours.
    pub fn parse(line: &str) -> Option<Marker<'_>> {
        let rest = line.trim_start().strip_prefix(START)?;
        let (preset, rest) = rest.split_once(')')?;
        // `: ` ends the tag, which may itself hold a `:` (a flag in a `rustflags` record).
        let (tag, text) = rest.split_once(": ").or_else(|| rest.split_once(':'))?;
        let tag = match tag {
            "" => None,
            tag => Some(tag.strip_prefix(' ')?),
        };
        Some(Marker { preset, tag, text: text.strip_prefix(' ').unwrap_or(text) })
    }
}

pub fn format(preset: &str, tag: Option<&str>, text: &str) -> String {
    match tag {
        Some(tag) => format!("{START}{preset}) {tag}: {text}"),
        None => format!("{START}{preset}): {text}"),
    }
}

/// Rewrites the comment lines above an item (a toml_edit decor prefix): our lines for which
/// `remove` holds are replaced by `add`, in place of the first of them, so that re-applying
/// never reorders anything; with none to replace, `add` goes right above the item. Lines take the
/// item's indentation. Every other line, blank or comment, stays as it was.
pub fn rewrite(prefix: &str, remove: impl Fn(&Marker<'_>) -> bool, add: &[String]) -> String {
    let (lines, indent) = match prefix.rfind('\n') {
        Some(i) => (&prefix[..=i], &prefix[i + 1..]),
        None => ("", prefix),
    };
    let added: String = add.iter().map(|line| format!("{indent}{line}\n")).collect();
    let mut out = String::with_capacity(prefix.len() + added.len());
    let mut pending = Some(added);
    for line in lines.split_inclusive('\n') {
        if Marker::parse(line).is_some_and(|m| remove(&m)) {
            out.push_str(&pending.take().unwrap_or_default());
        } else {
            out.push_str(line);
        }
    }
    out.push_str(&pending.unwrap_or_default());
    out.push_str(indent);
    out
}

/// The text of a `was` record: the key as written (`key` carries the spaces that aligned it
/// with its neighbours) and the value exactly as it was written, spaces and trailing comment
/// included, so that `remove` can put it back byte for byte. A value spread over several lines
/// is recorded on one (a comment cannot span lines), losing only its layout.
pub fn was_text(key: &str, value: &toml_edit::Value) -> String {
    let exact = format!("{key}={value}");
    if !exact.contains(['\n', '\r']) {
        return exact;
    }
    let mut compact = value.clone();
    compact.decor_mut().clear();
    format!("{} = {}", key.trim_end(), crate::render::one_line(&compact.to_string()))
}

/// The value a `was` record holds, with its spaces and comment, ready to put back. The record
/// is a line of TOML: its one value is found through the key however it is spelt (aligned,
/// quoted or dotted, as inside an inline table).
pub fn was_value(text: &str) -> Option<toml_edit::Value> {
    let doc: toml_edit::DocumentMut = text.parse().ok()?;
    let mut item = doc.as_item();
    while let Some(table) = item.as_table_like() {
        let mut entries = table.iter();
        let (_, only) = entries.next()?;
        if entries.next().is_some() {
            return None;
        }
        item = only;
    }
    item.as_value().cloned()
}

/// Our markers in a prefix, in order.
pub fn markers(prefix: &str) -> impl Iterator<Item = Marker<'_>> {
    prefix.lines().filter_map(Marker::parse)
}

/// Whether `text` may hold one of our comment lines: a quick test before walking a whole file's
/// keys for them.
pub fn any_in(text: &str) -> bool {
    text.contains(START)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_marker_line_is_found_by_the_quick_test() {
        let text = format!("[profile.dev]\n  {}\nopt-level = 1\n", format("fast-dev", None, "why"));
        assert!(any_in(&text) && markers(&text).count() == 1);
        assert!(!any_in("[profile.dev]\n# cargo-presets wrote nothing here\nopt-level = 1\n"));
    }

    #[test]
    fn a_header_says_whether_the_directory_is_ours_too() {
        let with_dir = format!("{}\n", format("fast-dev", Some(file_tag(true)), "Created with its directory"));
        let without = format!("{}\n", format("fast-dev", Some(file_tag(false)), "Created"));
        assert!(created_its_directory(&with_dir) && !created_its_directory(&without));
        // Either header makes a file ours to delete once nothing else is in it.
        for header in [&with_dir, &without] {
            assert!(only_our_header(&format!("{header}[build]\n"), header));
            assert!(!only_our_header(&format!("{header}[build]\n"), &format!("{header}[build]\n")));
        }
        assert!(!only_our_header("[build]\n", ""));
    }

    #[test]
    fn parses_what_it_formats() {
        let line = format("fast-dev", None, "keeps line: numbers");
        assert_eq!(line, "# cargo-presets(fast-dev): keeps line: numbers");
        assert_eq!(Marker::parse(&line), Some(Marker { preset: "fast-dev", tag: None, text: "keeps line: numbers" }));
        let tagged = format("prod", Some("lto"), "whole program");
        assert_eq!(Marker::parse(&tagged).unwrap().tag, Some("lto"));
        assert_eq!(Marker::parse("# cargo presets: not ours"), None);
        assert_eq!(Marker::parse("# a user comment"), None);
    }

    #[test]
    fn rewrite_keeps_user_lines_and_indentation() {
        let prefix = "\n# mine\n  # cargo-presets(a): old\n  ";
        let out = rewrite(prefix, |m| m.preset == "a", &[format("a", None, "new")]);
        assert_eq!(out, "\n# mine\n  # cargo-presets(a): new\n  ");
    }

    #[test]
    fn was_records_round_trip_exactly() {
        let doc: toml_edit::DocumentMut = "opt-level =   2  # tuned\n".parse().unwrap();
        let value = doc["opt-level"].as_value().unwrap();
        let text = was_text("opt-level ", value);
        assert_eq!(text, "opt-level =   2  # tuned");
        assert_eq!(was_value(&text).unwrap().to_string(), value.to_string());
        // An aligned key keeps its spaces; a record of a key inside an inline table is dotted.
        assert_eq!(was_text("debug           ", value), "debug           =   2  # tuned");
        assert_eq!(was_value("debug           =   2  # tuned").unwrap().to_string(), value.to_string());
        assert_eq!(was_value("package.\"*\".debug = 1").unwrap().to_string(), " 1");
    }

    #[test]
    fn rewrite_replaces_in_place() {
        let prefix = "# cargo-presets(a) x: old x\n# cargo-presets(a) y: y\n";
        let out = rewrite(prefix, |m| m.tag == Some("x"), &[format("a", Some("x"), "new x")]);
        assert_eq!(out, "# cargo-presets(a) x: new x\n# cargo-presets(a) y: y\n");
    }

    #[test]
    fn rewrite_twice_is_stable() {
        let once = rewrite("# user\n", |_| true, &[format("a", Some(WAS), "x = 1"), format("a", None, "why")]);
        let twice = rewrite(&once, |m| m.tag.is_none(), &[format("a", None, "why")]);
        assert_eq!(once, twice);
    }
}
