//! Keeping the bytes of lines we did not change.
//!
//! toml_edit preserves a document's content but not its line endings (CRLF comes out as LF) nor
//! a missing final newline. Rather than special-casing each, we diff the edited text against
//! the original line by line: unchanged lines are copied from the original byte for byte, and
//! only the lines we added or changed take the file's usual line ending.

use similar::{Algorithm, DiffOp, capture_diff_slices};

/// Rebuilds `edited` (as toml_edit printed it, LF endings) on top of `original`.
pub fn restore(original: &str, edited: &str) -> String {
    let old: Vec<&str> = original.split_inclusive('\n').collect();
    let old_content: Vec<&str> = old.iter().map(|l| content(l)).collect();
    let new_content: Vec<&str> = edited.split_inclusive('\n').map(content).collect();
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
    fn new_file_uses_lf() {
        assert_eq!(restore("", "[a]\nx = 1\n"), "[a]\nx = 1\n");
    }
}
