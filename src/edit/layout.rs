//! Keeping the bytes of lines we did not change.
//!
//! toml_edit preserves a document's content but not its line endings (CRLF comes out as LF) nor
//! a missing final newline. Rather than special-casing each, we diff the edited text against
//! the original line by line: unchanged lines are copied from the original byte for byte, and
//! only the lines we added or changed take the file's usual line ending. Table headers the user
//! and keys spelled their own way are kept too (see [`keep_spelling`]).

use std::collections::{HashMap, HashSet, VecDeque};

use similar::{Algorithm, DiffOp, capture_diff_slices};

/// Rebuilds `edited` (as toml_edit printed it, LF endings) on top of `original`.
pub fn restore(original: &str, edited: &str) -> String {
    let old: Vec<&str> = original.split_inclusive('\n').collect();
    let old_content: Vec<&str> = old.iter().map(|l| content(l)).collect();
    let new_content = keep_spelling(&old_content, edited.split_inclusive('\n').map(content).collect());
    let ending = usual_ending(original);

    let mut out = String::with_capacity(edited.len() + edited.len() / 8);
    let mut push = |line: &str, own_ending: Option<&str>| {
        // A line without an ending (the original's last) gets one if more lines follow it.
        if !out.is_empty() && !out.ends_with('\n') {
            out.push_str(ending);
        }
        out.push_str(line);
        out.push_str(own_ending.unwrap_or(ending));
    };
    for op in capture_diff_slices(Algorithm::Myers, &old_content, &new_content) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                for line in &old[old_index..old_index + len] {
                    let body = content(line);
                    push(body, Some(&line[body.len()..]));
                }
            }
            DiffOp::Insert { new_index, new_len, .. } | DiffOp::Replace { new_index, new_len, .. } => {
                for line in &new_content[new_index..new_index + new_len] {
                    push(line, None);
                }
            }
            DiffOp::Delete { .. } => {}
        }
    }
    let ends_with_newline = original.is_empty() || original.ends_with('\n');
    if !ends_with_newline {
        let trimmed = out.trim_end_matches('\n').trim_end_matches('\r').len();
        out.truncate(trimmed);
    }
    out
}

/// toml_edit prints a table header, or a dotted key, from the keys on its path, each spelled as
/// it was first seen, so a line the user spelled otherwise comes out respelled even where nothing
/// on it changed: `[profile.dev.package."*"]` becomes `[profile.'dev'.package."*"]` after
/// `[profile.'dev']`, `[ profile . dev ]` loses its spaces, `profile."release".lto = true` takes
/// the spacing of a `profile . dev . x = 1` above it. Each printed line that means what a line of
/// the original means (same header, or same key path and value text) gets that line back, the
/// n-th such line the n-th. A line the original has word for word is left alone, so text inside
/// a multi-line string is never taken for TOML.
fn keep_spelling<'a>(old: &[&'a str], mut new: Vec<&'a str>) -> Vec<&'a str> {
    // Only a printed line the original lacks can be a respelling, and only of an original line
    // the printed text lacks; a large manifest has thousands of lines, and these are a few.
    let in_old: HashSet<&str> = old.iter().copied().collect();
    let in_new: HashSet<&str> = new.iter().copied().collect();
    let respelled: Vec<usize> =
        (0..new.len()).filter(|i| may_be_respelled(new[*i]) && !in_old.contains(new[*i])).collect();
    if respelled.is_empty() {
        return new;
    }
    let mut spelled: HashMap<Meaning, VecDeque<&str>> = HashMap::new();
    for line in old.iter().filter(|l| may_be_respelled(l) && !in_new.contains(*l)) {
        if let Some(meaning) = meaning(line) {
            spelled.entry(meaning).or_default().push_back(line);
        }
    }
    for i in respelled {
        if let Some(theirs) = meaning(new[i]).and_then(|m| spelled.get_mut(&m)?.pop_front()) {
            new[i] = theirs;
        }
    }
    new
}

/// A table header, or a line with a dot before its first `=` (a dotted key, or a quoted one).
fn may_be_respelled(line: &str) -> bool {
    let line = line.trim_start();
    line.starts_with('[')
        || line.split('=').next().is_some_and(|key| key.contains(['.', '"', '\'']) && !line.starts_with('#'))
}

/// What a line says, whatever its spacing and quoting: a table header (and whether it is an
/// array of tables, `[[bin]]`), or a key path and the text of its value (with any comment).
#[derive(Hash, PartialEq, Eq)]
enum Meaning {
    Header(bool, Vec<String>),
    Key(Vec<String>, String),
}

fn meaning(line: &str) -> Option<Meaning> {
    let line = line.trim_start();
    let (array, inner) = match line.strip_prefix("[[") {
        Some(rest) => (true, Some(rest)),
        None => (false, line.strip_prefix('[')),
    };
    if let Some(inner) = inner {
        let end = outside_quotes(inner, ']')?;
        return Some(Meaning::Header(array, key_path(&inner[..end])?));
    }
    // A plain key keeps its own spelling in toml_edit; only a dotted one borrows its parents'
    // (and a plain `debug = false` would match lines of other tables).
    let end = outside_quotes(line, '=')?;
    let path = key_path(&line[..end]).filter(|p| p.len() > 1)?;
    Some(Meaning::Key(path, line[end + 1..].trim().to_owned()))
}

fn key_path(text: &str) -> Option<Vec<String>> {
    let keys = toml_edit::Key::parse(text.trim()).ok()?;
    Some(keys.iter().map(|k| k.get().to_owned()).collect())
}

/// The byte index of the first `wanted` outside a quoted key.
fn outside_quotes(text: &str, wanted: char) -> Option<usize> {
    let mut quote = None;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some('"'), '\\') if !escaped => {
                escaped = true;
                continue;
            }
            (Some(q), c) if c == q && !escaped => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c == wanted => return Some(i),
            _ => {}
        }
        escaped = false;
    }
    None
}

/// A line without its ending.
fn content(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// CRLF if most of the original's lines end that way, else LF.
fn usual_ending(original: &str) -> &'static str {
    let crlf = original.matches("\r\n").count();
    let lf = original.matches('\n').count() - crlf;
    if crlf > lf { "\r\n" } else { "\n" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_file_keeps_crlf_on_old_and_new_lines() {
        let original = "[a]\r\nx = 1\r\n";
        assert_eq!(restore(original, "[a]\nx = 1\ny = 2\n"), "[a]\r\nx = 1\r\ny = 2\r\n");
    }

    #[test]
    fn missing_final_newline_stays_missing() {
        assert_eq!(restore("[a]\nx = 1", "[a]\nx = 1\ny = 2\n"), "[a]\nx = 1\ny = 2");
        assert_eq!(restore("[a]\nx = 1", "[a]\nx = 1\n"), "[a]\nx = 1");
    }

    #[test]
    fn mixed_endings_are_kept_line_by_line() {
        let original = "a = 1\r\nb = 2\nc = 3\r\n";
        assert_eq!(restore(original, "a = 1\nb = 2\nc = 3\n"), original);
        assert_eq!(restore(original, "a = 1\nb = 2\nnew = 0\nc = 3\n"), "a = 1\r\nb = 2\nnew = 0\r\nc = 3\r\n");
    }

    #[test]
    fn headers_keep_their_spelling() {
        let original = "[profile.'dev']\n[profile.dev.package.\"*\"]\n[ profile . release ] # mine\n";
        let printed =
            "[profile.'dev']\nx = 1\n[profile.'dev'.package.\"*\"]\n[ profile. release ] # mine\n[profile.new]\n";
        assert_eq!(
            restore(original, printed),
            "[profile.'dev']\nx = 1\n[profile.dev.package.\"*\"]\n[ profile . release ] # mine\n[profile.new]\n"
        );
    }

    #[test]
    fn dotted_keys_keep_their_spelling() {
        let original = "profile . dev . opt-level = 1\nprofile.\"release\".lto = true # x\n";
        let printed = "profile . dev . opt-level = 1\nprofile . dev .debug = 0\nprofile .\"release\".lto = true # x\n";
        assert_eq!(
            restore("a = 1\n[t]\nx  = 1\n[u]\nx = 1\n", "a = 1\n[t]\nx  = 1\n[u]\nx  = 1\n").lines().last(),
            Some("x  = 1")
        );
        assert_eq!(
            restore(original, printed),
            "profile . dev . opt-level = 1\nprofile . dev .debug = 0\nprofile.\"release\".lto = true # x\n"
        );
    }

    #[test]
    fn meanings_are_read_through_quotes_and_spaces() {
        let path = |keys: &[&str]| keys.iter().map(|k| (*k).to_owned()).collect::<Vec<_>>();
        assert!(meaning("[ a . \"b]\" ]") == Some(Meaning::Header(false, path(&["a", "b]"]))));
        assert!(meaning("[[bin]] # x") == Some(Meaning::Header(true, path(&["bin"]))));
        assert!(meaning("[a.'x\\']") == Some(Meaning::Header(false, path(&["a", "x\\"]))));
        assert!(meaning(" a.\"=\" = [1] ") == Some(Meaning::Key(path(&["a", "="]), "[1]".into())));
        assert!(meaning("# a = 1").is_none() && meaning("").is_none());
        assert!(meaning("debug = false").is_none(), "a plain key is never respelled");
    }

    #[test]
    fn new_file_uses_lf() {
        assert_eq!(restore("", "[a]\nx = 1\n"), "[a]\nx = 1\n");
    }
}
