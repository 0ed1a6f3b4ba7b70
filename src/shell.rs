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

    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// A status line, unless `--quiet`.
    pub fn status(&mut self, verb: &str, message: impl Display) {
        if self.verbosity > Verbosity::Quiet {
            let _ = writeln!(self.err, "{STATUS}{verb:>12}{STATUS:#} {message}");
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

    /// An error, always shown, with its `help:` lines highlighted.
    pub fn error(&mut self, error: &Error) {
        let text = error.to_string();
        let mut lines = text.lines();
        let _ = writeln!(self.err, "{ERROR}error{ERROR:#}: {}", lines.next().unwrap_or_default());
        for line in lines {
            match line.strip_prefix("help:") {
                Some(rest) => writeln!(self.err, "{NOTE}help{NOTE:#}:{rest}"),
                None => writeln!(self.err, "{line}"),
            }
            .ok();
        }
    }

    /// Data for stdout: listings, TOML, diffs, JSON. A closed pipe (`| head`) is not an error.
    pub fn print(&mut self, text: &str) -> crate::error::Result<()> {
        match self.out.write_all(text.as_bytes()).and_then(|()| self.out.flush()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(Error::new(format!("failed to write output: {e}"))),
            _ => Ok(()),
        }
    }
}
