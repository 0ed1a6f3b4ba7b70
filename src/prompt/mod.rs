//! The prompts of the guided mode: a filtered multi-select with a detail pane, a single select
//! and a yes/no question, drawn on stderr.
//!
//! Each prompt is a pure state machine (`key` takes a key and says whether it is done, `lines`
//! draws it), tested on strings; [`ask`] is the thin part that reads keys and redraws, through
//! the `terminal` module (raw mode, drawing, keys and resizes). No prompt library shows the
//! description of the highlighted item while a list is filtered (inquire and dialoguer show one
//! line per item), so the widgets are ours, drawn with crossterm.

mod terminal;

use std::collections::BTreeSet;
use std::io::IsTerminal;

use crossterm::style::Stylize;

use terminal::{Event, Screen};

/// A key, as the prompts see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Backspace,
    Up,
    Down,
    Enter,
    /// Esc or Ctrl-C.
    Cancel,
}

/// What a prompt does after a key.
#[derive(Debug, PartialEq, Eq)]
pub enum Step<T> {
    Continue,
    Done(T),
    Cancel,
}

/// A question on the terminal, as a state machine.
pub trait Prompt {
    type Answer;
    /// Takes a key; says whether the prompt is answered.
    fn key(&mut self, key: Key) -> Step<Self::Answer>;
    /// What to draw now, for a terminal `width` columns wide and `height` rows high: fewer than
    /// `height` lines, so that drawing them never scrolls the terminal.
    fn lines(&self, colour: bool, width: usize, height: usize) -> Vec<String>;
    /// Drawn below the output, as a question about it (`Apply these changes?` under the diff),
    /// rather than on a screen of its own.
    const INLINE: bool = false;
}

/// One item of a list: a line, and the text shown below the list while it is highlighted.
#[derive(Clone, Debug)]
pub struct Item {
    pub label: String,
    /// What typing filters on.
    pub name: String,
    pub detail: String,
}

/// Pick any number of items: typing filters the list, Space toggles the highlighted item, Enter
/// accepts (the highlighted item alone when none is toggled).
pub struct MultiSelect {
    pub title: String,
    pub items: Vec<Item>,
    filter: String,
    cursor: usize,
    chosen: BTreeSet<usize>,
}

impl MultiSelect {
    pub fn new(title: impl Into<String>, items: Vec<Item>) -> MultiSelect {
        MultiSelect { title: title.into(), items, filter: String::new(), cursor: 0, chosen: BTreeSet::new() }
    }

    /// The items the filter lets through, as indexes.
    fn visible(&self) -> Vec<usize> {
        let filter = self.filter.to_lowercase();
        (0..self.items.len()).filter(|&i| self.items[i].name.to_lowercase().contains(&filter)).collect()
    }
}

impl Prompt for MultiSelect {
    /// The names of the chosen items, in list order.
    type Answer = Vec<String>;

    fn key(&mut self, key: Key) -> Step<Vec<String>> {
        let visible = self.visible();
        match key {
            Key::Cancel => return Step::Cancel,
            Key::Up => self.cursor = self.cursor.saturating_sub(1),
            Key::Down => self.cursor = (self.cursor + 1).min(visible.len().saturating_sub(1)),
            Key::Char(' ') => {
                if let Some(&item) = visible.get(self.cursor)
                    && !self.chosen.remove(&item)
                {
                    self.chosen.insert(item);
                }
            }
            Key::Char(c) => {
                self.filter.push(c);
                self.cursor = 0;
            }
            Key::Backspace => {
                self.filter.pop();
                self.cursor = 0;
            }
            Key::Enter if !self.chosen.is_empty() => {
                return Step::Done(self.chosen.iter().map(|&i| self.items[i].name.clone()).collect());
            }
            Key::Enter => {
                if let Some(&item) = visible.get(self.cursor) {
                    return Step::Done(vec![self.items[item].name.clone()]);
                }
            }
        }
        Step::Continue
    }

    fn lines(&self, colour: bool, width: usize, height: usize) -> Vec<String> {
        let visible = self.visible();
        let title = format!("{} {}", shown(&self.title), format!("filter: {}_", self.filter).dim_if(colour));
        let mut rows = Vec::new();
        if visible.is_empty() {
            rows.push(format!("  no preset matches `{}` (Backspace to widen)", self.filter));
        }
        for (row, &i) in visible.iter().enumerate() {
            let mark = if self.chosen.contains(&i) { "[x]" } else { "[ ]" };
            let line = format!("{mark} {}", shown(&self.items[i].label));
            rows.push(if row == self.cursor { format!("> {}", line.bold_if(colour)) } else { format!("  {line}") });
        }
        let detail = visible.get(self.cursor).map(|&i| detail(&self.items[i].detail, width)).unwrap_or_default();
        let help = "type to filter, ↑/↓ move, Space toggles, Enter accepts, Esc cancels".dim_if(colour);
        fit(Layout { title, rows, cursor: self.cursor, detail, help }, colour, height)
    }
}

/// Pick one item; Enter takes the highlighted one (the first, unless moved).
pub struct Select {
    pub title: String,
    pub items: Vec<Item>,
    cursor: usize,
}

impl Select {
    pub fn new(title: impl Into<String>, items: Vec<Item>) -> Select {
        Select { title: title.into(), items, cursor: 0 }
    }
}

impl Prompt for Select {
    /// The index of the item taken.
    type Answer = usize;

    fn key(&mut self, key: Key) -> Step<usize> {
        match key {
            Key::Cancel => return Step::Cancel,
            Key::Up => self.cursor = self.cursor.saturating_sub(1),
            Key::Down => self.cursor = (self.cursor + 1).min(self.items.len().saturating_sub(1)),
            Key::Enter => return Step::Done(self.cursor),
            Key::Char(_) | Key::Backspace => {}
        }
        Step::Continue
    }

    fn lines(&self, colour: bool, width: usize, height: usize) -> Vec<String> {
        let mut rows = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            let default = if i == 0 { " (default)" } else { "" };
            let line = format!("{}{default}", shown(&item.label));
            rows.push(if i == self.cursor { format!("> {}", line.bold_if(colour)) } else { format!("  {line}") });
        }
        let detail = self.items.get(self.cursor).map(|item| detail(&item.detail, width)).unwrap_or_default();
        let help = "↑/↓ move, Enter accepts, Esc cancels".dim_if(colour);
        fit(Layout { title: shown(&self.title), rows, cursor: self.cursor, detail, help }, colour, height)
    }
}

/// Type a line: Enter takes it where `check` accepts it; otherwise `check`'s refusal shows below
/// it, and the text stays to be corrected.
pub struct Input<'a> {
    pub title: String,
    /// Shown below the entry while there is no refusal.
    pub hint: String,
    text: String,
    refusal: Option<String>,
    check: Box<Check<'a>>,
}

/// What decides whether an [`Input`] takes a text: `Err` with the reason it does not.
type Check<'a> = dyn Fn(&str) -> Result<(), String> + 'a;

impl<'a> Input<'a> {
    pub fn new(
        title: impl Into<String>,
        hint: impl Into<String>,
        check: impl Fn(&str) -> Result<(), String> + 'a,
    ) -> Input<'a> {
        Input { title: title.into(), hint: hint.into(), text: String::new(), refusal: None, check: Box::new(check) }
    }
}

impl Prompt for Input<'_> {
    /// The text typed, as `check` accepted it.
    type Answer = String;

    fn key(&mut self, key: Key) -> Step<String> {
        match key {
            Key::Cancel => return Step::Cancel,
            Key::Char(c) => {
                self.text.push(c);
                self.refusal = None;
            }
            Key::Backspace => {
                self.text.pop();
                self.refusal = None;
            }
            Key::Enter => match (self.check)(&self.text) {
                Ok(()) => return Step::Done(self.text.clone()),
                Err(refusal) => self.refusal = Some(refusal),
            },
            Key::Up | Key::Down => {}
        }
        Step::Continue
    }

    fn lines(&self, colour: bool, width: usize, height: usize) -> Vec<String> {
        let rows = vec![format!("> {}_", shown(&self.text).bold_if(colour))];
        // Each line of a refusal (the error, its `help:`) filled on its own.
        let detail = match &self.refusal {
            Some(refusal) => refusal.lines().flat_map(|line| detail(line, width)).collect(),
            None => detail(&self.hint, width),
        };
        let help = "type a name, Enter accepts, Esc cancels".dim_if(colour);
        fit(Layout { title: shown(&self.title), rows, cursor: 0, detail, help }, colour, height)
    }
}

/// `question [y/N]`: `y` is yes, any other answer no; Esc cancels.
pub struct Confirm(pub String);

impl Prompt for Confirm {
    type Answer = bool;
    const INLINE: bool = true;

    fn key(&mut self, key: Key) -> Step<bool> {
        match key {
            Key::Cancel => Step::Cancel,
            Key::Char('y' | 'Y') => Step::Done(true),
            _ => Step::Done(false),
        }
    }

    fn lines(&self, _colour: bool, _width: usize, _height: usize) -> Vec<String> {
        vec![format!("{} [y/N]", shown(&self.0))]
    }
}

/// A title or label as one line, with what a terminal would act on shown escaped: labels hold
/// text from preset files and values from the workspace's files, which nothing else vets.
fn shown(text: &str) -> String {
    // Spaces kept as they are: the labels are aligned in columns.
    crate::render::visible(text).replace(['\n', '\t'], " ")
}

/// The detail pane: `text` escaped as [`shown`] does, filled to the width, indented.
fn detail(text: &str, width: usize) -> Vec<String> {
    let text = crate::render::visible(text);
    if text.is_empty() {
        return Vec::new();
    }
    crate::render::wrap(&text, width.saturating_sub(2)).into_iter().map(|l| format!("  {l}")).collect()
}

/// The parts of a list prompt, before they are fitted to the screen's height.
struct Layout {
    /// The question, with the filter where there is one.
    title: String,
    /// One line per item, `cursor` the highlighted one.
    rows: Vec<String>,
    cursor: usize,
    detail: Vec<String>,
    help: String,
}

/// The prompt in fewer than `height` lines (what a terminal shows without scrolling, with the
/// cursor's line below). The title (and filter) and the highlighted row always show: the list
/// scrolls to keep the row in view (the title says which rows), the detail takes what is left up
/// to a third of the screen, and the help line goes first when even that does not fit.
fn fit(layout: Layout, colour: bool, height: usize) -> Vec<String> {
    let Layout { mut title, rows, cursor, detail, help } = layout;
    let budget = height.saturating_sub(1).max(2);
    // A blank line, then the lines; none at all when there is nothing to show.
    let block = |lines: usize| if lines == 0 { 0 } else { lines + 1 };
    let help_rows = if budget >= 6 { 2 } else { 0 };
    let room = budget - 1 - help_rows;
    let list_rows = rows.len().max(1).min(room.saturating_sub(block(detail.len()).min(budget / 3))).max(1);
    let detail_rows = (room - list_rows).min(block(detail.len()));
    // The highlighted row in the middle of the window, where the list is long enough.
    let first = cursor.saturating_sub(list_rows / 2).min(rows.len().saturating_sub(list_rows));
    if list_rows < rows.len() {
        let last = (first + list_rows).min(rows.len());
        title.push_str(&format!("  ({}–{last} of {})", first + 1, rows.len()).dim_if(colour));
    }
    let mut lines = vec![title];
    lines.extend(rows.into_iter().skip(first).take(list_rows));
    if detail_rows > 1 {
        let cut_short = detail.len() > detail_rows - 1;
        lines.push(String::new());
        lines.extend(detail.into_iter().take(detail_rows - 1));
        if cut_short && let Some(last) = lines.last_mut() {
            last.push_str(" …");
        }
    }
    if help_rows > 0 {
        lines.push(String::new());
        lines.push(help);
    }
    lines
}

/// Dim or bold text where colour is on, plain text otherwise.
trait Styled {
    fn dim_if(self, colour: bool) -> String;
    fn bold_if(self, colour: bool) -> String;
}

impl<S: AsRef<str>> Styled for S {
    fn dim_if(self, colour: bool) -> String {
        let text = self.as_ref();
        if colour { text.dim().to_string() } else { text.to_owned() }
    }

    fn bold_if(self, colour: bool) -> String {
        let text = self.as_ref();
        if colour { text.cyan().bold().to_string() } else { text.to_owned() }
    }
}

/// Whether the guided mode may run: a person at a terminal, on stdin and stderr.
pub fn at_a_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

/// Runs a prompt on the terminal to its end, redrawing it after each key and at once when the
/// terminal is resized; what stays on screen is `summary` of the answer. `None` when cancelled
/// (Esc, Ctrl-C). Raw mode lasts for the prompt only, so output between prompts is ordinary.
pub fn ask<P: Prompt>(
    colour: bool,
    prompt: &mut P,
    summary: impl Fn(&P::Answer) -> String,
) -> std::io::Result<Option<P::Answer>> {
    let mut screen = Screen::open(P::INLINE)?;
    loop {
        let (width, height) = terminal::size();
        screen.draw(&prompt.lines(colour, width, height))?;
        let key = match terminal::next_event()? {
            Event::Resized => continue,
            Event::Key(key) => key,
        };
        match prompt.key(key) {
            Step::Continue => {}
            Step::Cancel => {
                screen.close(None)?;
                return Ok(None);
            }
            Step::Done(answer) => {
                screen.close(Some(&summary(&answer)))?;
                return Ok(Some(answer));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(names: &[&str]) -> Vec<Item> {
        names
            .iter()
            .map(|n| Item { label: format!("{n}  what {n} does"), name: (*n).to_owned(), detail: format!("about {n}") })
            .collect()
    }

    fn typed(select: &mut MultiSelect, text: &str) {
        for c in text.chars() {
            assert_eq!(select.key(Key::Char(c)), Step::Continue);
        }
    }

    #[test]
    fn typing_filters_space_toggles_and_enter_accepts_in_list_order() {
        let mut select = MultiSelect::new("Presets", items(&["ci", "fast-dev", "fast-link", "debugging"]));
        typed(&mut select, "fast-l");
        let shown = select.lines(false, 80, 24).join("\n");
        assert!(shown.contains("> [ ] fast-link") && !shown.contains("fast-dev") && shown.contains("about fast-link"));
        select.key(Key::Char(' '));
        for _ in 0..6 {
            select.key(Key::Backspace);
        }
        typed(&mut select, "deb");
        select.key(Key::Char(' '));
        assert!(select.lines(false, 80, 24).join("\n").contains("> [x] debugging"));
        assert_eq!(select.key(Key::Enter), Step::Done(vec!["fast-link".to_owned(), "debugging".to_owned()]));
    }

    #[test]
    fn enter_with_nothing_toggled_takes_the_highlighted_item_and_esc_cancels() {
        let mut select = MultiSelect::new("Presets", items(&["ci", "fast-dev"]));
        select.key(Key::Down);
        select.key(Key::Down);
        assert!(select.lines(false, 80, 24).join("\n").contains("about fast-dev"));
        assert_eq!(select.key(Key::Enter), Step::Done(vec!["fast-dev".to_owned()]));
        assert_eq!(select.key(Key::Cancel), Step::Cancel);
        typed(&mut select, "zzz");
        assert!(select.lines(false, 80, 24).join("\n").contains("no preset matches `zzz`"));
        assert_eq!(select.key(Key::Enter), Step::Continue, "nothing to take");
    }

    #[test]
    fn select_defaults_to_the_first_and_confirm_is_no_unless_y() {
        let mut select = Select::new("Where", items(&["manifest", "config"]));
        assert!(select.lines(false, 80, 24)[1].starts_with("> manifest  what manifest does (default)"));
        assert_eq!(select.key(Key::Enter), Step::Done(0));
        select.key(Key::Down);
        assert_eq!(select.key(Key::Enter), Step::Done(1));
        let mut confirm = Confirm("Apply these changes?".into());
        assert_eq!(confirm.lines(false, 80, 24), ["Apply these changes? [y/N]"]);
        assert_eq!(confirm.key(Key::Char('y')), Step::Done(true));
        assert_eq!(confirm.key(Key::Enter), Step::Done(false));
        assert_eq!(confirm.key(Key::Char('n')), Step::Done(false));
        assert_eq!(confirm.key(Key::Cancel), Step::Cancel);
    }

    #[test]
    fn input_takes_what_its_check_accepts_and_shows_the_refusal_until_the_next_key() {
        let mut input = Input::new("Profile name?", "a name of your own", |text: &str| match text {
            "debug" => Err("`debug` is reserved by cargo\nhelp: pick another name".to_owned()),
            _ => Ok(()),
        });
        for c in "debug".chars() {
            assert_eq!(input.key(Key::Char(c)), Step::Continue);
        }
        assert_eq!(
            input.lines(false, 80, 24),
            ["Profile name?", "> debug_", "", "  a name of your own", "", "type a name, Enter accepts, Esc cancels"]
        );
        assert_eq!(input.key(Key::Enter), Step::Continue);
        for (width, height) in [(80, 24), (40, 12)] {
            let lines = input.lines(false, width, height);
            assert!(lines.len() < height, "{lines:#?}");
            assert_eq!(lines[..4], ["Profile name?", "> debug_", "", "  `debug` is reserved by cargo"], "{lines:#?}");
            assert_eq!(lines[4], "  help: pick another name", "{lines:#?}");
        }
        input.key(Key::Backspace);
        assert!(!input.lines(false, 80, 24).join("\n").contains("reserved"), "a key clears the refusal");
        input.key(Key::Char('x'));
        assert_eq!(input.key(Key::Enter), Step::Done("debux".to_owned()));
        assert_eq!(input.key(Key::Cancel), Step::Cancel);
    }

    #[test]
    fn details_are_filled_to_the_width_paragraph_by_paragraph() {
        assert_eq!(crate::render::wrap("one two\nthree four\n\nfive", 9), ["one two", "three", "four", "", "five"]);
    }

    #[test]
    fn text_a_terminal_would_act_on_is_drawn_escaped() {
        let summary = "copies \u{1b}]52;c;cm0gLXJmIH4=\u{7} and \u{202e}txt.exe";
        let item = Item { label: summary.to_owned(), name: "x".to_owned(), detail: summary.to_owned() };
        let lines = MultiSelect::new("Which presets?", vec![item.clone()]).lines(false, 200, 50);
        let lines = [lines, Select::new(summary, vec![item]).lines(false, 200, 50)].concat();
        assert!(lines.iter().all(|l| !l.chars().any(crate::render::acts_on_terminal)), "{lines:?}");
        assert!(lines[1].contains(r"copies \u{1b}]52;c;cm0gLXJmIH4=\u{7} and \u{202e}txt.exe"), "{lines:?}");
        assert!(lines.iter().filter(|l| l.contains(r"\u{202e}")).count() >= 4, "label, detail, title: {lines:?}");
    }

    #[test]
    fn the_filter_and_the_highlighted_row_show_at_80x24_and_40x12_and_the_list_scrolls() {
        let names: Vec<String> = (1..=19).map(|n| format!("preset-{n:02}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut list = items(&names);
        for item in &mut list {
            item.detail = "a description long enough to fill several lines of the detail pane. ".repeat(6);
        }
        for (width, height) in [(80, 24), (40, 12)] {
            let mut select = MultiSelect::new("Which presets?", list.clone());
            typed(&mut select, "preset");
            for name in &names {
                let lines = select.lines(false, width, height);
                assert!(lines.len() < height, "{width}x{height}, {name}: {lines:#?}");
                assert!(lines[0].starts_with("Which presets? filter: preset_  ("), "{lines:#?}");
                let highlighted = format!("> [ ] {name}");
                assert!(lines.iter().any(|l| l.starts_with(&highlighted)), "{width}x{height}, {name}: {lines:#?}");
                select.key(Key::Down);
            }
        }
        let mut select = MultiSelect::new("Which presets?", list);
        for _ in 0..10 {
            select.key(Key::Down);
        }
        let lines = select.lines(false, 40, 12);
        assert_eq!(
            lines,
            [
                "Which presets? filter: _  (9–13 of 19)",
                "  [ ] preset-09  what preset-09 does",
                "  [ ] preset-10  what preset-10 does",
                "> [ ] preset-11  what preset-11 does",
                "  [ ] preset-12  what preset-12 does",
                "  [ ] preset-13  what preset-13 does",
                "",
                "  a description long enough to fill",
                "  several lines of the detail pane. a …",
                "",
                "type to filter, ↑/↓ move, Space toggles, Enter accepts, Esc cancels",
            ]
        );
    }
}
