//! The terminal under the prompts: raw mode, drawing, and the keys and resizes that wake them.
//!
//! A list is drawn on the alternate screen, from its top: whatever the terminal does to its lines
//! on a resize (cuts them, reflows them, pushes the top ones into the scrollback), the redraw
//! replaces all of it, and nothing of the list ever reaches the scrollback. A one-line question
//! (`Apply these changes?`) stays below the output it is about. Keys are read from stdin by
//! hand, not with crossterm's `event::read`: on a terminal that is gone (end of file, or EIO once
//! the other end is closed) crossterm retries the read for ever, and a guide started with SIGHUP
//! ignored would spin there. Here either ends the prompt with an error. While it waits for a key
//! it also waits for SIGWINCH (through a pipe the signal handler writes to), so a resized
//! terminal is redrawn at once.

use std::collections::VecDeque;
use std::io::{BufRead, Write};
use std::sync::{Mutex, PoisonError};

use crossterm::{cursor, queue, terminal};

use super::Key;

/// What ended a wait on the terminal.
pub enum Event {
    Key(Key),
    /// The terminal changed size: draw again.
    Resized,
}

/// The terminal in raw mode, with what was drawn last; restored when dropped, also on an error.
pub struct Screen {
    /// Drawn below the output rather than on the alternate screen.
    inline: bool,
    /// Lines drawn inline last, to move back over.
    drawn: u16,
    /// On the alternate screen still.
    alternate: bool,
}

impl Screen {
    pub fn open(inline: bool) -> std::io::Result<Screen> {
        terminal::enable_raw_mode()?;
        let mut screen = Screen { inline, drawn: 0, alternate: false };
        let mut out = Vec::new();
        if !inline {
            queue!(out, terminal::EnterAlternateScreen)?;
            screen.alternate = true;
        }
        queue!(out, cursor::Hide)?;
        write_all(&out)?;
        Ok(screen)
    }

    /// Replaces what was drawn last with `lines`, each cut to the terminal's width so that none
    /// wraps (inline, a wrapped line would throw the count of lines to clear off). One write, so
    /// that the terminal never shows half a drawing.
    pub fn draw(&mut self, lines: &[String]) -> std::io::Result<()> {
        let (width, _) = size();
        let mut out = Vec::new();
        if !self.inline {
            queue!(out, cursor::MoveTo(0, 0))?;
        } else if self.drawn > 0 {
            queue!(out, cursor::MoveToPreviousLine(self.drawn))?;
        }
        for line in lines {
            write!(out, "{}", cut(line, width))?;
            queue!(out, terminal::Clear(terminal::ClearType::UntilNewLine))?;
            write!(out, "\r\n")?;
        }
        queue!(out, terminal::Clear(terminal::ClearType::FromCursorDown))?;
        self.drawn = u16::try_from(lines.len()).unwrap_or(u16::MAX);
        write_all(&out)
    }

    /// Ends the prompt, leaving `summary` (one line) below the output, or nothing.
    pub fn close(mut self, summary: Option<&str>) -> std::io::Result<()> {
        let lines: Vec<String> = summary.map(str::to_owned).into_iter().collect();
        if self.inline {
            return self.draw(&lines);
        }
        self.alternate = false;
        let mut out = Vec::new();
        queue!(out, terminal::LeaveAlternateScreen)?;
        for line in &lines {
            write!(out, "{}\r\n", cut(line, size().0))?;
        }
        write_all(&out)
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let mut out = Vec::new();
        if self.alternate {
            let _ = queue!(out, terminal::LeaveAlternateScreen);
        }
        let _ = queue!(out, cursor::Show);
        let _ = write_all(&out);
        let _ = terminal::disable_raw_mode();
    }
}

fn write_all(bytes: &[u8]) -> std::io::Result<()> {
    let mut stderr = std::io::stderr().lock();
    stderr.write_all(bytes)?;
    stderr.flush()
}

/// Keys read but not yet asked for: one read can hold several keys, and a person may type the
/// next answer before its question is drawn. The bytes of a character cut by the end of a read
/// wait here for the rest.
static TYPED: Mutex<(VecDeque<Key>, Vec<u8>)> = Mutex::new((VecDeque::new(), Vec::new()));

/// The next key pressed, or a resize of the terminal, whichever comes first.
pub fn next_event() -> std::io::Result<Event> {
    let mut typed = TYPED.lock().unwrap_or_else(PoisonError::into_inner);
    loop {
        if let Some(key) = typed.0.pop_front() {
            return Ok(Event::Key(key));
        }
        if resize::wait()? {
            return Ok(Event::Resized);
        }
        let mut stdin = std::io::stdin().lock();
        let read = match stdin.fill_buf() {
            Ok([]) => return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the terminal was closed")),
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (keys, partial) = &mut *typed;
        partial.extend_from_slice(read);
        let len = read.len();
        stdin.consume(len);
        let used = parse_keys(partial, keys);
        partial.drain(..used);
    }
}

#[cfg(unix)]
mod resize {
    use std::io::Read;
    use std::os::unix::net::UnixStream;
    use std::sync::OnceLock;

    use rustix::event::{PollFd, PollFlags, poll};

    /// The read end of the pipe SIGWINCH's handler writes to. Registered once for the process:
    /// SIGWINCH does nothing by default, so the handler changes nothing else.
    static RESIZED: OnceLock<Option<UnixStream>> = OnceLock::new();

    fn pipe() -> Option<&'static UnixStream> {
        let open = || {
            let (read, write) = UnixStream::pair().ok()?;
            read.set_nonblocking(true).ok()?;
            signal_hook::low_level::pipe::register(signal_hook::consts::SIGWINCH, write).ok()?;
            Some(read)
        };
        RESIZED.get_or_init(open).as_ref()
    }

    /// Waits until stdin has something to read (a key, its end, or an error), then `false`; or
    /// until the terminal is resized, then `true`. Without the pipe, at once `false`: the read
    /// that follows waits for the key, and a resize is drawn after it.
    pub fn wait() -> std::io::Result<bool> {
        let Some(mut resized) = pipe() else { return Ok(false) };
        let stdin = std::io::stdin();
        loop {
            let mut fds = [PollFd::new(&stdin, PollFlags::IN), PollFd::new(resized, PollFlags::IN)];
            match poll(&mut fds, None) {
                // A signal: SIGWINCH's handler has written to the pipe before poll returned.
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(e) => return Err(e.into()),
            }
            let ready = !fds[0].revents().is_empty();
            let mut woken = false;
            let mut buf = [0; 64];
            while resized.read(&mut buf).is_ok_and(|n| n > 0) {
                woken = true;
            }
            if woken || ready {
                return Ok(woken);
            }
        }
    }
}

#[cfg(not(unix))]
mod resize {
    /// No SIGWINCH here: a resize is drawn after the next key.
    pub fn wait() -> std::io::Result<bool> {
        Ok(false)
    }
}

/// The keys in `bytes` as a terminal in raw mode sends them, added to `keys`; how many bytes
/// they took (a character cut short is left for the next read). An Esc is a key when no `[` or
/// `O` follows in the same read: a terminal writes an arrow's whole sequence at once.
fn parse_keys(bytes: &[u8], keys: &mut VecDeque<Key>) -> usize {
    let mut at = 0;
    while at < bytes.len() {
        let rest = &bytes[at..];
        let (key, len) = match rest {
            [0x1b, b'[' | b'O', b'A', ..] => (Some(Key::Up), 3),
            [0x1b, b'[' | b'O', b'B', ..] => (Some(Key::Down), 3),
            // Any other sequence (Right, Home, F1…) runs to its final byte, and is no key here.
            [0x1b, b'[', tail @ ..] => {
                (None, 2 + tail.iter().position(|b| (0x40..=0x7e).contains(b)).map_or(tail.len(), |p| p + 1))
            }
            [0x1b, b'O', _, ..] => (None, 3),
            // Esc, and Ctrl-C (raw mode sends it as a byte, not a signal).
            [0x1b | 0x03, ..] => (Some(Key::Cancel), 1),
            [b'\r' | b'\n', ..] => (Some(Key::Enter), 1),
            [0x7f | 0x08, ..] => (Some(Key::Backspace), 1),
            [byte, ..] if byte.is_ascii_control() => (None, 1),
            _ => match std::str::from_utf8(rest) {
                Ok(text) => first_char(text),
                Err(e) if e.valid_up_to() > 0 => {
                    first_char(std::str::from_utf8(&rest[..e.valid_up_to()]).unwrap_or_default())
                }
                Err(e) => match e.error_len() {
                    Some(bad) => (None, bad),
                    None => return at,
                },
            },
        };
        keys.extend(key);
        at += len;
    }
    at
}

/// The first character of `text` as a key (none for a control character), and its length.
fn first_char(text: &str) -> (Option<Key>, usize) {
    let c = text.chars().next().unwrap_or_default();
    ((!c.is_control()).then_some(Key::Char(c)), c.len_utf8().max(1))
}

/// The terminal's width and height; one that reports no size gets 80×24, and any other at
/// least 20×6.
pub fn size() -> (usize, usize) {
    let (width, height) = terminal::size().ok().filter(|&(w, h)| w > 0 && h > 0).unwrap_or((80, 24));
    (usize::from(width.max(20)), usize::from(height.max(6)))
}

/// `line` cut to `width` characters, not counting colour escapes.
fn cut(line: &str, width: usize) -> String {
    let mut out = String::new();
    let mut shown = 0;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            out.push(c);
            // An escape sequence runs to its final letter.
            for next in chars.by_ref() {
                out.push(next);
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        if shown == width {
            continue;
        }
        out.push(c);
        shown += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_from_the_terminal_are_keys_and_a_cut_character_waits_for_its_rest() {
        let mut keys = VecDeque::new();
        let bytes = "aé\x1b[B\x1b[A\x1b[C\r\x7f\x03\x1b\x01".as_bytes();
        assert_eq!(parse_keys(bytes, &mut keys), bytes.len());
        let want =
            [Key::Char('a'), Key::Char('é'), Key::Down, Key::Up, Key::Enter, Key::Backspace, Key::Cancel, Key::Cancel];
        assert_eq!(keys.drain(..).collect::<Vec<_>>(), want);
        assert_eq!(parse_keys(&"xé".as_bytes()[..2], &mut keys), 1);
        assert_eq!(keys.drain(..).collect::<Vec<_>>(), [Key::Char('x')]);
    }

    #[test]
    fn lines_are_cut_to_the_width_without_breaking_colour() {
        assert_eq!(cut("abcdef", 3), "abc");
        let red = "\u{1b}[31mabcdef\u{1b}[0m";
        assert_eq!(cut(red, 2), "\u{1b}[31mab\u{1b}[0m");
    }
}
