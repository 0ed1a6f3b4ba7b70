//! Output the way cargo does it: status lines with a right-aligned, coloured verb on stderr
//! (`    Updating Cargo.toml (…)`), `warning:`/`note:`/`error:` prefixes, data on stdout.
//! Colour follows `--color`, then `CARGO_TERM_COLOR`, then the terminal (`NO_COLOR` respected).

use std::fmt::Display;
use std::io::{self, Write};

use anstream::{AutoStream, ColorChoice};
use anstyle::{AnsiColor, Style};

use crate::error::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

const STATUS: Style = AnsiColor::Green.on_default().bold();
const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const NOTE: Style = AnsiColor::Cyan.on_default().bold();

/// `1 file`, `2 files`: a count with its noun.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub struct Shell {
    out: AutoStream<io::Stdout>,
    err: AutoStream<io::Stderr>,
    verbosity: Verbosity,
}

impl Shell {
    pub fn new(color: ColorChoice, verbosity: Verbosity) -> Shell {
        Shell { out: AutoStream::new(io::stdout(), color), err: AutoStream::new(io::stderr(), color), verbosity }
    }

    /// `--color` if given, else `CARGO_TERM_COLOR`, else decided by the terminal.
    pub fn color_choice(flag: Option<ColorChoice>) -> ColorChoice {
        flag.or_else(|| match std::env::var("CARGO_TERM_COLOR").ok()?.as_str() {
            "always" => Some(ColorChoice::Always),
            "never" => Some(ColorChoice::Never),
            _ => None,
        })
        .unwrap_or(ColorChoice::Auto)
    }

    /// Whether stderr gets colour.
    pub fn colour_on_stderr(&self) -> bool {
        self.err.current_choice() != ColorChoice::Never
    }

    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// Sets how much to say; returns what it was.
    pub fn set_verbosity(&mut self, verbosity: Verbosity) -> Verbosity {
        std::mem::replace(&mut self.verbosity, verbosity)
    }

    /// A status line, unless `--quiet`.
    pub fn status(&mut self, verb: &str, message: impl Display) {
        if self.verbosity > Verbosity::Quiet {
            let _ = writeln!(self.err, "{STATUS}{verb:>12}{STATUS:#} {message}");
        }
    }

    /// Progress of a long step: on a terminal, one line rewritten in place (as cargo's own
    /// progress bar); elsewhere, a status line per step with `--verbose` only, so that logs and
    /// pipes get no carriage returns. `None` clears the terminal line once the step is done.
    pub fn progress(&mut self, verb: &str, message: Option<impl Display>) {
        if self.verbosity == Verbosity::Quiet {
            return;
        }
        if io::IsTerminal::is_terminal(&io::stderr()) {
            // Erasing the line is no colour: written past the stream, which strips escapes
            // under `--color never`.
            let _ = self.err.flush();
            let _ = io::stderr().write_all(b"\r\x1b[K");
            if let Some(message) = message {
                let _ = write!(self.err, "{STATUS}{verb:>12}{STATUS:#} {message}");
            }
            let _ = self.err.flush();
        } else if let Some(message) = message {
            self.verbose_status(verb, message);
        }
    }

    /// A status line shown only with `--verbose`.
    pub fn verbose_status(&mut self, verb: &str, message: impl Display) {
        if self.verbosity == Verbosity::Verbose {
            self.status(verb, message);
        }
    }

    pub fn warn(&mut self, message: impl Display) {
        if self.verbosity > Verbosity::Quiet {
            let _ = writeln!(self.err, "{WARNING}warning{WARNING:#}: {message}");
        }
    }

    pub fn note(&mut self, message: impl Display) {
        if self.verbosity > Verbosity::Quiet {
            let _ = writeln!(self.err, "{NOTE}note{NOTE:#}: {message}");
        }
    }

    /// A finding of `check`: always shown (it is the command's output), coloured by severity.
    pub fn diagnostic(&mut self, severity: crate::lint::Severity, text: &str) {
        let style = match severity {
            crate::lint::Severity::Error => ERROR,
            crate::lint::Severity::Warning => WARNING,
            crate::lint::Severity::Note => NOTE,
        };
        let (head, rest) = text.split_once(':').unwrap_or((text, ""));
        let _ = writeln!(self.err, "{style}{head}{style:#}:{}\n", highlight_help(rest));
    }

    /// An error, always shown, with its `help:` lines highlighted.
    pub fn error(&mut self, error: &Error) {
        let _ = writeln!(self.err, "{ERROR}error{ERROR:#}: {}", highlight_help(&error.to_string()));
    }

    /// Text for stderr as it is (usage help when a command is missing).
    pub fn error_text(&mut self, text: &str) {
        let _ = self.err.write_all(text.as_bytes());
        let _ = self.err.flush();
    }

    /// Data for stdout: listings, TOML, diffs, JSON. A closed pipe (`| head`) is not an error.
    pub fn print(&mut self, text: &str) -> crate::error::Result<()> {
        match self.out.write_all(text.as_bytes()).and_then(|()| self.out.flush()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::new(format!("failed to write output: {e}"))),
            _ => Ok(()),
        }
    }
}

/// A unified diff as `git diff` colours it: removed lines red, added green, hunk headers cyan.
/// The stream drops the colours where colour is off.
pub fn colour_diff(diff: &str) -> String {
    const REMOVED: Style = AnsiColor::Red.on_default();
    const ADDED: Style = AnsiColor::Green.on_default();
    const HUNK: Style = AnsiColor::Cyan.on_default();
    const HEADER: Style = Style::new().bold();
    diff.split_inclusive('\n')
        .map(|line| {
            let style = if line.starts_with("+++") || line.starts_with("---") {
                HEADER
            } else if line.starts_with('+') {
                ADDED
            } else if line.starts_with('-') {
                REMOVED
            } else if line.starts_with("@@") {
                HUNK
            } else {
                return line.to_owned();
            };
            let (body, end) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
            format!("{style}{body}{style:#}{end}")
        })
        .collect()
}

/// Colours the `help:` at the start of lines.
fn highlight_help(text: &str) -> String {
    text.split('\n')
        .map(|line| match line.strip_prefix("help:") {
            Some(rest) => format!("{NOTE}help{NOTE:#}:{rest}"),
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
