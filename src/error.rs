//! The one error type: a message that names the file and key, the place in the file with the
//! offending line, the details, and a `help:` line saying how to fix it.

use std::fmt;
use std::ops::Range;
use std::path::Path;

/// Where in a file something is wrong, with the line itself so the message can show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    source_line: String,
    /// Where the caret goes under `source_line`, which may be cut or escaped.
    caret: usize,
}

/// Where each line of a text starts, found in one pass: the one way a byte offset becomes a
/// line number. Naming the lines of many keys costs a lookup each, so a manifest of 17,000
/// profiles does not cost their square.
#[derive(Clone, Debug, Default)]
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Lines {
        Lines(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    /// The 1-based line of byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.0.partition_point(|&start| start <= offset)
    }
}

impl Location {
    /// The location of a byte span of `text`, which was read from `file`.
    pub fn of_span(file: &Path, text: &str, span: Range<usize>) -> Location {
        Location::of_span_in(file, text, &Lines::new(text), span)
    }

    /// `of_span` for a text whose `lines` are already known.
    pub fn of_span_in(file: &Path, text: &str, lines: &Lines, span: Range<usize>) -> Location {
        let start = (0..=span.start.min(text.len())).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        let column = text[line_start..start].chars().count() + 1;
        let (source_line, caret) = excerpt(text[line_start..line_end].trim_end_matches('\r'), column);
        Location { file: file.display().to_string(), line: lines.line_of(start), column, source_line, caret }
    }
}

/// How much of a long line to show around the error.
const EXCERPT_WIDTH: usize = 60;

/// The line as it can be shown in a terminal, and the caret's column in it: control characters
/// (a NUL byte, an escape sequence) are shown as `\u{..}` rather than sent to the terminal, and
/// a long line is cut to the part around the error.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = line.chars().collect();
    let from = column.saturating_sub(EXCERPT_WIDTH + 1);
    let to = (column + EXCERPT_WIDTH).min(chars.len());
    let mut shown = String::new();
    let mut caret = 1;
    if from > 0 {
        shown.push('…');
        caret += 1;
    }
    for (i, c) in chars.iter().enumerate().take(to).skip(from) {
        let piece = if c.is_control() && *c != '\t' { c.escape_unicode().to_string() } else { c.to_string() };
        if i + 1 < column {
            caret += piece.chars().count();
        }
        shown.push_str(&piece);
    }
    if to < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// Everything that can go wrong. Nothing is written when an error is returned.
///
/// Boxed, so that the `Result`s passed around everywhere stay one pointer wide.
#[derive(Debug, PartialEq, Eq)]
pub struct Error(Box<Inner>);

#[derive(Debug, PartialEq, Eq)]
struct Inner {
    message: String,
    location: Option<Location>,
    details: Vec<String>,
    help: Vec<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(message: impl Into<String>) -> Error {
        Error(Box::new(Inner { message: message.into(), location: None, details: Vec::new(), help: Vec::new() }))
    }

    pub fn at(mut self, location: Location) -> Error {
        self.0.location = Some(location);
        self
    }

    pub fn detail(mut self, line: impl Into<String>) -> Error {
        self.0.details.push(line.into());
        self
    }

    pub fn help(mut self, line: impl Into<String>) -> Error {
        self.0.help.push(line.into());
        self
    }

    /// Several problems found at once, so that one run names them all: under `message`, each
    /// in full and numbered, its `help:` lines with it. A single problem is itself.
    pub fn several(message: impl Into<String>, mut problems: Vec<Error>) -> Error {
        if problems.len() == 1 {
            return problems.remove(0);
        }
        let mut error = Error::new(format!("{}: {} problems", message.into(), problems.len()));
        for (i, problem) in problems.iter().enumerate() {
            for (j, line) in problem.to_string().lines().enumerate() {
                let lead = if j == 0 { format!("{}. ", i + 1) } else { "   ".to_owned() };
                error = error.detail(format!("{lead}{line}"));
            }
        }
        error
    }

    /// An I/O failure on `path`, worded as what we were doing.
    pub fn io(action: &str, path: &Path, err: &std::io::Error) -> Error {
        Error::new(format!("failed to {action} `{}`: {}", path.display(), io_reason(err)))
    }

    /// A TOML syntax error in `text`, read from `path`, at toml_edit's span.
    pub fn toml(path: &Path, text: &str, err: &toml_edit::TomlError) -> Error {
        let error = Error::new(format!("could not parse `{}`: {}", path.display(), err.message().trim_end()));
        match err.span() {
            Some(span) => error.at(Location::of_span(path, text, span)),
            None => error,
        }
    }

    pub fn message(&self) -> &str {
        &self.0.message
    }
}

/// The OS message without Rust's `(os error N)` suffix, which means nothing to users.
fn io_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Inner { message, location, details, help } = &*self.0;
        write!(f, "{message}")?;
        if let Some(loc) = location {
            let number = loc.line.to_string();
            let pad = " ".repeat(number.len());
            write!(f, "\n{pad}--> {}:{}:{}", loc.file, loc.line, loc.column)?;
            write!(f, "\n{pad} |\n{number} | {}", loc.source_line)?;
            write!(f, "\n{pad} | {}^", " ".repeat(loc.caret - 1))?;
        }
        for line in details {
            write!(f, "\n  {line}")?;
        }
        for line in help {
            write!(f, "\nhelp: {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_name_the_line_of_any_offset() {
        let text = "a = 1\n\n[b]\nc = 2";
        let lines = Lines::new(text);
        assert_eq!([0, 5, 6, 7, 8, 10, 11].map(|at| lines.line_of(at)), [1, 1, 2, 3, 3, 3, 4]);
        for at in 0..text.len() {
            assert_eq!(lines.line_of(at), text[..at].matches('\n').count() + 1, "{at}");
        }
    }

    #[test]
    fn location_counts_lines_and_columns_from_one() {
        let text = "a = 1\nbb = [\n";
        let loc = Location::of_span(Path::new("x.toml"), text, 11..12);
        assert_eq!((loc.line, loc.column), (2, 6));
        assert_eq!(loc.source_line, "bb = [");
    }

    #[test]
    fn display_shows_the_line_with_a_caret_then_details_and_help() {
        let text = "[profile.dev]\nopt-level = 9\r\n";
        let err = Error::new("bad value")
            .at(Location::of_span(Path::new("Cargo.toml"), text, 26..27))
            .detail("expected 0-3")
            .help("use 3");
        assert_eq!(
            err.to_string(),
            "bad value\n --> Cargo.toml:2:13\n  |\n2 | opt-level = 9\n  |             ^\n  expected 0-3\nhelp: use 3"
        );
    }

    #[test]
    fn control_characters_are_escaped_and_long_lines_cut() {
        let loc = Location::of_span(Path::new("x.toml"), "x = \"a\u{0}b\"\n", 6..7);
        assert_eq!((loc.source_line.as_str(), loc.caret), ("x = \"a\\u{0}b\"", 7));
        let long = format!("x = {}", "[".repeat(500));
        let loc = Location::of_span(Path::new("x.toml"), &long, 300..301);
        assert_eq!(loc.column, 301);
        assert!(loc.source_line.starts_with('…') && loc.source_line.ends_with('…'));
        assert_eq!(loc.source_line.chars().count(), 2 * EXCERPT_WIDTH + 3);
        assert_eq!(loc.source_line.chars().nth(loc.caret - 1), Some('['));
    }

    #[test]
    fn several_problems_are_numbered_each_with_its_help() {
        let one = || Error::new("a").help("fix a");
        assert_eq!(Error::several("x", vec![one()]), one());
        let both = Error::several("`Cargo.toml` cannot", vec![one(), Error::new("b").detail("why b").help("fix b")]);
        assert_eq!(
            both.to_string(),
            "`Cargo.toml` cannot: 2 problems\n  1. a\n     help: fix a\n  2. b\n       why b\n     help: fix b"
        );
    }

    #[test]
    fn io_errors_drop_the_os_error_number() {
        let err = std::io::Error::from_raw_os_error(2);
        let msg = Error::io("read", Path::new("a/Cargo.toml"), &err).to_string();
        assert_eq!(msg, "failed to read `a/Cargo.toml`: No such file or directory");
    }
}
