//! Writing a plan into a manifest or config file's text, touching nothing else.
//!
//! Works on strings only: the caller reads and writes files. Tables and keys are addressed
//! through `TableLike`, so `[profile.dev]` headers, dotted keys at the root
//! (`profile.dev.opt-level = 1`) and inline tables (`release = { … }`) take the same path, and
//! new keys come out in the style the user already uses. Values are replaced in place, keeping
//! their decor. Our comments are marker lines (see [`marker`]), rewritten on every apply.
//!
//! A key the user set by hand to another value is a conflict: nothing is written unless
//! `force`, in which case the old line is kept in a `was` comment for a later undo.

mod config;
mod layout;
pub mod marker;
mod remove;
mod tables;

pub use config::{FlagsRecord, flags_in_value};

pub use remove::{KeyState, Removal, key_states, marked_packages, marked_profiles, remove};

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use toml_edit::{DocumentMut, Item, TableLike};

use crate::cargo::config::ConfigPath;
use crate::cargo::schema::{Gate, KeyPath, TablePath, Value};
use crate::compose::{Composed, Composition};
use crate::error::{Error, Location, Result};
use crate::plan::{ExistingProfiles, Plan};
use crate::preset::Preset;
use crate::render::Renderer;
use marker::{Marker, WAS};
use tables::{ensure_table, insert_value, table_at, table_at_mut, table_mut};

/// The two kinds of file Cargo reads profiles from. They differ only in how unstable features
/// are switched on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Manifest,
    Config,
}

/// What to edit and how.
pub struct Edit<'a> {
    /// The file's path as shown in messages.
    pub file: &'a Path,
    pub kind: FileKind,
    /// Replace hand-written values instead of stopping.
    pub force: bool,
    /// Keys (`profile.dev.debug`, `target.x86_64-unknown-linux-gnu.rustflags`) whose
    /// hand-written value stays: the preset's value for them is skipped (`--keep`).
    pub keep: &'a [String],
    /// Comment lines to start a file we create with (a standalone config file says how to use it).
    pub new_file_header: Vec<String>,
    /// The file we create needs its directory created too: the header says so, so that
    /// `remove` takes the directory back with the file.
    pub creates_directory: bool,
}

impl<'a> Edit<'a> {
    /// An edit of `file` that stops at hand-written values, keeps none back, and creates no
    /// header or directory: the fields a caller sets are written over it.
    pub fn new(file: &'a Path, kind: FileKind) -> Edit<'a> {
        Edit { file, kind, force: false, keep: &[], new_file_header: Vec::new(), creates_directory: false }
    }
}

/// What happened to one key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    /// Written where there was nothing.
    Added,
    /// Our own earlier value (from the named preset) replaced by a preset allowed to override it.
    Updated { from: String },
    /// A hand-written value replaced with `--force`.
    Forced,
    /// Already had this value.
    Kept,
    /// A hand-written value left as it was, the preset's skipped (`--keep`).
    KeptYours,
}

#[derive(Debug)]
pub struct Outcome {
    pub text: String,
    /// The hand-written values `--force` replaced (or, for flags, added to).
    pub forced: Vec<Conflict>,
    pub changes: Vec<(KeyPath, Change)>,
    /// Config settings, each with the preset that set it.
    pub config_changes: Vec<(ConfigPath, String, Change)>,
    pub tables_added: usize,
}

/// A file's text parsed, keeping spans for error locations. Parse once, then ask it for its
/// profiles and edit it; workspace discovery keeps the root manifest's, so `apply` need not
/// parse it again.
#[derive(Debug)]
pub struct Parsed {
    /// The text after any byte-order mark.
    text: String,
    bom: bool,
    /// Shared with `check`'s rules, which read the root manifest as discovery parsed it.
    doc: Rc<toml_edit::Document<String>>,
}

const BOM: char = '\u{feff}';

/// Parses the text of `file` (empty for a file that does not exist yet). A byte-order mark is
/// set aside and put back on write: it is part of the user's file.
pub fn parse(file: &Path, text: &str) -> Result<Parsed> {
    let (text, bom) = match text.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let doc = toml_edit::Document::parse(text.to_owned()).map_err(|e| Error::toml(file, text, &e))?;
    Ok(Parsed { text: text.to_owned(), bom, doc: Rc::new(doc) })
}

impl Parsed {
    /// Whether this is the parse of `text`, as read from the file (byte-order mark included).
    pub fn is_of(&self, text: &str) -> bool {
        match text.strip_prefix(BOM) {
            Some(rest) => self.bom && rest == self.text,
            None => !self.bom && text == self.text,
        }
    }

    /// The document, for reading.
    pub fn doc(&self) -> &toml_edit::Document<String> {
        &self.doc
    }

    /// The document, to keep, where it is the parse of all of `text` as read: not when a
    /// byte-order mark was set aside, which would shift every span.
    pub fn doc_of(&self, text: &str) -> Option<Rc<toml_edit::Document<String>>> {
        (!self.bom && text == self.text).then(|| Rc::clone(&self.doc))
    }

    /// The profiles the file defines, with their `inherits`.
    pub fn profiles(&self) -> ExistingProfiles {
        let Some(profiles) = self.doc.get("profile").and_then(Item::as_table_like) else {
            return ExistingProfiles::new();
        };
        profiles
            .iter()
            .map(|(name, body)| {
                let inherits = body.get("inherits").and_then(Item::as_str).map(str::to_owned);
                (name.to_owned(), inherits)
            })
            .collect()
    }
}

/// Applies `plan` and the composition's config settings to the parsed file. `preset(name)`
/// looks up a preset that wrote a key earlier, to tell its values from values a user changed
/// since.
pub fn apply(
    parsed: &Parsed,
    plan: &Plan,
    composition: &Composition,
    edit: &Edit<'_>,
    preset: &dyn Fn(&str) -> Option<Rc<Preset>>,
) -> Result<Outcome> {
    let (original, spanned) = (parsed.text.as_str(), parsed.doc());
    let editor = Editor { edit, spanned, original, renderer: Renderer::default(), forced: RefCell::new(Vec::new()) };
    editor.check_shapes(plan)?;
    let mut doc = spanned.clone().into_mut();

    let mut outcome = Outcome {
        text: String::new(),
        forced: Vec::new(),
        changes: Vec::new(),
        config_changes: Vec::new(),
        tables_added: 0,
    };
    let mut conflicts = Vec::new();
    for table in &plan.tables {
        let keys = table.path.keys();
        let (created, inline_at) = ensure_table(doc.as_table_mut(), &keys);
        for composed in &table.keys {
            let path = &composed.setting.path;
            let slot = CommentSlot::new(&keys, path.key.name(), inline_at);
            let assign = Assign {
                table: keys.clone(),
                key: path.key.name(),
                path: path.to_string(),
                value: &composed.setting.value,
                why: &composed.setting.why,
                preset: &composed.preset,
                same: &|a, b| path.key.same_meaning(a, b),
                owner_value: &|owner| preset(owner)?.value_of(path).cloned(),
            };
            match editor.set_key(&mut doc, &slot, &assign, composition) {
                Ok(change) => outcome.changes.push((composed.setting.path.clone(), change)),
                Err(conflict) => conflicts.push(conflict),
            }
        }
        if created {
            outcome.tables_added += 1;
        }
        if inline_at.is_none() {
            editor.header(&mut doc, &table.path, created, &table.presets, composition);
        }
    }
    let config_value = |owner: &str, path: &ConfigPath| preset(owner)?.config_value_of(path).cloned();
    outcome.tables_added +=
        editor.config(&mut doc, composition, &config_value, &mut outcome.config_changes, &mut conflicts);
    for (gate, first_use) in &plan.gates {
        if let Err(conflict) = editor.gate(&mut doc, *gate, first_use) {
            conflicts.push(conflict);
        }
    }
    if !conflicts.is_empty() {
        return Err(conflict_error(edit, &conflicts));
    }
    outcome.forced = editor.forced.into_inner();

    let mut text = doc.to_string();
    if let Some(moved) = after_trailing_comments(spanned, &doc, &text) {
        text = moved;
    }
    if original.trim().is_empty() {
        // New tables start with a blank line to set them apart; a new file starts with its
        // header, or with the first table.
        let owner = composition.presets.first().map_or("", |p| p.name.as_str());
        let header: String = edit
            .new_file_header
            .iter()
            .map(|l| format!("{}\n", marker::format(owner, Some(marker::file_tag(edit.creates_directory)), l)))
            .collect();
        let separator = if header.is_empty() { "" } else { "\n" };
        text = format!("{header}{separator}{}", text.trim_start_matches('\n'));
    }
    outcome.text = layout::restore(original, &text);
    if parsed.bom {
        outcome.text.insert(0, BOM);
    }
    Ok(outcome)
}

/// toml_edit keeps the comments after a file's last key as the document's trailing text and
/// prints new tables before them. Those comments belong to the table above (often commented-out
/// keys), so when all we add is new tables after the original content, they go after them.
/// Keys added to that last table stay above the comments, which then still end the table.
fn after_trailing_comments(unedited: &toml_edit::Document<String>, edited: &DocumentMut, text: &str) -> Option<String> {
    let trailing = edited.trailing().as_str().filter(|t| !t.trim().is_empty())?;
    let body = unedited.clone().into_mut().to_string();
    let body = body.strip_suffix(trailing)?;
    let added = text.strip_suffix(trailing)?.strip_prefix(body)?;
    let first_line = added.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#'))?;
    if !first_line.starts_with('[') {
        return None;
    }
    let separator = if trailing.ends_with('\n') { "" } else { "\n" };
    Some(format!("{body}{trailing}{separator}{added}"))
}

/// The text `plan` makes in a new, empty file: what `show` prints and `bench` hands to cargo.
pub fn render_new(plan: &Plan, composition: &Composition, edit: &Edit<'_>) -> Result<String> {
    apply(&parse(edit.file, "")?, plan, composition, edit, &|_| None).map(|outcome| outcome.text)
}

/// Adds `lines` (records of `preset`, replacing its earlier ones of the same `tag`) above the
/// first key `preset` wrote in `[profile.<profile>]`, or else in any profile table. A text where
/// it wrote no key in a table of its own line comes back unchanged.
pub fn add_records(
    file: &Path,
    text: &str,
    preset: &str,
    profile: &str,
    tag: &str,
    lines: &[String],
) -> Result<String> {
    let parsed = parse(file, text)?;
    let mut doc = parsed.doc().clone().into_mut();
    let Some(profiles) = doc.get("profile").filter(|p| p.is_table()).and_then(Item::as_table_like) else {
        return Ok(text.to_owned());
    };
    // Tables only: an inline table's entries share one comment slot, tagged with their keys.
    let mut names: Vec<String> = profiles.iter().filter(|(_, t)| t.is_table()).map(|(k, _)| k.to_owned()).collect();
    names.sort_by_key(|name| name != profile);
    let slot = names.iter().find_map(|name| {
        let keys = ["profile", name.as_str()];
        let table = table_at(&doc, &keys)?;
        table
            .iter()
            .map(|(key, _)| CommentSlot::new(&keys, key, None))
            .find(|slot| slot.owner(&doc).as_deref() == Some(preset))
    });
    let Some(slot) = slot else { return Ok(text.to_owned()) };
    slot.rewrite(&mut doc, |m| m.preset == preset && m.tag == Some(tag), lines);
    let mut out = layout::restore(&parsed.text, &doc.to_string());
    if parsed.bom {
        out.insert(0, BOM);
    }
    Ok(out)
}

/// One key to set to a preset's value.
struct Assign<'a> {
    table: Vec<&'a str>,
    key: &'a str,
    /// The key's path as shown in messages.
    path: String,
    value: &'a Value,
    why: &'a str,
    preset: &'a str,
    /// Whether two values mean the same to cargo.
    same: &'a dyn Fn(&Value, &Value) -> bool,
    /// The value a preset that wrote the key gives it, to tell our values from a user's.
    owner_value: &'a dyn Fn(&str) -> Option<Value>,
}

/// A key whose value differs from what a preset sets, and who wrote it.
#[derive(Clone, Debug)]
pub struct Conflict {
    /// `profile.dev.debug`, as `--keep` names it.
    pub path: String,
    pub current: String,
    pub wanted: String,
    pub preset: String,
    /// The preset that wrote the current value, if we did.
    pub owner: Option<String>,
    pub line: Option<usize>,
    /// A flag of `rustflags`, which `--force` adds after the user's instead of replacing it.
    pub flag: bool,
}

fn conflict_error(edit: &Edit<'_>, conflicts: &[Box<Conflict>]) -> Error {
    let file = edit.file.display();
    let count = match conflicts.len() {
        1 => "a key".to_owned(),
        n => format!("{n} keys"),
    };
    let mut error = Error::new(format!("`{file}` already sets {count} differently from the presets"));
    let mut has_owned = false;
    for c in conflicts {
        let place = c.line.map(|line| format!(" ({file}:{line})")).unwrap_or_default();
        let by = match &c.owner {
            Some(owner) => {
                has_owned = true;
                format!(", written by preset `{owner}`")
            }
            None => String::new(),
        };
        error =
            error.detail(format!("`{}` is {}{place}{by}; preset `{}` sets {}", c.path, c.current, c.preset, c.wanted));
    }
    if has_owned {
        error = error.help("a preset replaces another's values only if it `extends` it or names it in `overrides`");
    }
    if conflicts.iter().all(|c| c.flag) {
        return error.help("keep your flags by leaving these presets out, or run again with `--force` to add the preset's after yours (rustc uses the last one; `remove` takes it out again)");
    }
    // Flags have their own help above; an `[unstable]` gate is no key of a preset, so `--keep`
    // cannot name it.
    let keep: Vec<String> = conflicts
        .iter()
        .filter(|c| !c.flag && !c.path.starts_with("unstable."))
        .map(|c| format!("--keep {}", c.path))
        .collect();
    if keep.is_empty() {
        // A gate is switched on in place, with no record of the old value.
        return error.help("run again with `--force` to replace them");
    }
    error.help(format!(
        "keep your values with `{}` (the presets' other keys still go in), or run again with `--force` to replace them (each old value is kept in a comment)",
        keep.join(" ")
    ))
}

/// Where the comment for one key goes: above the key itself, or, inside an inline table (which
/// cannot hold comments), above the line that starts the inline table, tagged with the key.
struct CommentSlot {
    table: Vec<String>,
    key: String,
    tag: Option<String>,
}

impl CommentSlot {
    fn new(table_keys: &[&str], key: &str, inline_at: Option<usize>) -> CommentSlot {
        match inline_at {
            None => CommentSlot {
                table: table_keys.iter().map(|k| (*k).to_owned()).collect(),
                key: key.to_owned(),
                tag: None,
            },
            Some(i) => {
                let inner: Vec<String> = table_keys[i + 1..]
                    .iter()
                    .chain([&key])
                    .map(|k| toml_edit::Key::new(*k).display_repr().into_owned())
                    .collect();
                CommentSlot {
                    table: table_keys[..i].iter().map(|k| (*k).to_owned()).collect(),
                    key: table_keys[i].to_owned(),
                    tag: Some(inner.join(".")),
                }
            }
        }
    }

    fn prefix(&self, doc: &DocumentMut) -> String {
        table_at(doc, &self.table)
            .and_then(|t| t.key(&self.key))
            .and_then(|k| k.leaf_decor().prefix())
            .and_then(|p| p.as_str())
            .unwrap_or("")
            .to_owned()
    }

    fn set_prefix(&self, doc: &mut DocumentMut, prefix: String) {
        if let Some(mut key) = table_at_mut(doc, &self.table).and_then(|t| t.key_mut(&self.key)) {
            key.leaf_decor_mut().set_prefix(prefix);
        }
    }

    /// The reason marker for this key and the preset it names, if any.
    fn owner(&self, doc: &DocumentMut) -> Option<String> {
        let prefix = self.prefix(doc);
        marker::markers(&prefix).find(|m| m.tag == self.tag.as_deref()).map(|m| m.preset.to_owned())
    }

    /// Rewrites our lines above this key: those for which `remove` holds give way to `add`.
    fn rewrite(&self, doc: &mut DocumentMut, remove: impl Fn(&Marker<'_>) -> bool, add: &[String]) {
        let prefix = marker::rewrite(&self.prefix(doc), remove, add);
        self.set_prefix(doc, prefix);
    }

    /// Replaces this key's reason marker and appends `extra` lines (a `was` record) before it.
    fn write(&self, doc: &mut DocumentMut, preset: &str, extra: &[String], reason: &[String]) {
        let tag = self.tag.as_deref();
        let lines: Vec<String> =
            extra.iter().cloned().chain(reason.iter().map(|r| marker::format(preset, tag, r))).collect();
        self.rewrite(doc, |m: &Marker<'_>| m.tag == tag, &lines);
    }
}

struct Editor<'a> {
    edit: &'a Edit<'a>,
    spanned: &'a toml_edit::Document<String>,
    original: &'a str,
    renderer: Renderer,
    /// The conflicts `--force` settled by taking the preset's value.
    forced: RefCell<Vec<Conflict>>,
}

impl Editor<'_> {
    /// What to do with a hand-written value a preset would change: keep it (`--keep`, the
    /// change to report is returned), take the preset's (`--force`, `None`: go on writing), or
    /// stop with the conflict.
    fn settle(&self, conflict: Conflict) -> Result<Option<Change>, Box<Conflict>> {
        if self.edit.keep.contains(&conflict.path) {
            return Ok(Some(Change::KeptYours));
        }
        if self.edit.force {
            self.forced.borrow_mut().push(conflict);
            return Ok(None);
        }
        Err(Box::new(conflict))
    }

    /// Refuses files whose shape we cannot edit (`profile = 1`, `[[profile.dev]]`), before any
    /// change, pointing at the offending line.
    fn check_shapes(&self, plan: &Plan) -> Result<()> {
        for table in &plan.tables {
            let keys = table.path.keys();
            let mut current: Option<&dyn TableLike> = Some(self.spanned.as_table());
            for (i, key) in keys.iter().enumerate() {
                current = match current.and_then(|t| t.get(key)) {
                    Some(item) => Some(item.as_table_like().ok_or_else(|| self.not_a_table(&keys[..=i], item))?),
                    None => None,
                };
            }
            // A table that does not exist yet has no values of the wrong shape.
            let Some(current) = current else { continue };
            for composed in &table.keys {
                if let Some(item) = current.get(composed.setting.path.key.name()).filter(|i| !i.is_value()) {
                    return Err(self.at(
                        item,
                        format!("`{}` in `{}` is not a value", composed.setting.path, self.edit.file.display()),
                    ));
                }
            }
        }
        if self.edit.kind == FileKind::Manifest {
            if let Some(item) = self.spanned.get("cargo-features").filter(|i| !i.is_array()) {
                return Err(
                    self.at(item, format!("`cargo-features` in `{}` is not an array", self.edit.file.display()))
                );
            }
        } else if let Some(item) = self.spanned.get("unstable").filter(|i| !i.is_table_like()) {
            return Err(self.at(item, format!("`unstable` in `{}` is not a table", self.edit.file.display())));
        }
        Ok(())
    }

    fn not_a_table(&self, keys: &[&str], item: &Item) -> Error {
        let path: Vec<String> = keys.iter().map(|k| toml_edit::Key::new(*k).display_repr().into_owned()).collect();
        self.at(item, format!("`{}` in `{}` is not a table", path.join("."), self.edit.file.display()))
            .help("Cargo expects a table of settings here; fix or remove this entry first")
    }

    fn at(&self, item: &Item, message: String) -> Error {
        let error = Error::new(message);
        match item.span() {
            Some(span) => error.at(Location::of_span(self.edit.file, self.original, span)),
            None => error,
        }
    }

    /// The 1-based line of a key in the original text.
    fn line_of(&self, table: &[String], key: &str) -> Option<usize> {
        let mut current: &dyn TableLike = self.spanned.as_table();
        for k in table {
            current = current.get(k)?.as_table_like()?;
        }
        let span = current.get_key_value(key)?.0.span()?;
        Some(crate::error::Lines::new(self.original).line_of(span.start))
    }

    /// Sets one key (a profile key or a config scalar) to a preset's value: added where
    /// missing, kept where equal, replaced where the preset may override the owner or with
    /// `--force` (the old line kept in a `was` record), else a conflict.
    fn set_key(
        &self,
        doc: &mut DocumentMut,
        slot: &CommentSlot,
        assign: &Assign<'_>,
        composition: &Composition,
    ) -> Result<Change, Box<Conflict>> {
        let table = table_at_mut(doc, &assign.table).expect("ensure_table created it");
        let current = table.get(assign.key).and_then(Item::as_value).cloned();
        let written_key = slot_key_text(slot, table.key(assign.key));
        let reason = self.renderer.key(assign.why);

        let Some(current) = current else {
            insert_value(table, assign.key, assign.value.to_toml());
            slot.write(doc, assign.preset, &[], &reason);
            return Ok(Change::Added);
        };
        let current_value = Value::from_toml(&current);
        let owner = slot.owner(doc).filter(|owner| {
            let theirs = (assign.owner_value)(owner);
            matches!((&theirs, &current_value), (Some(t), Some(c)) if (assign.same)(t, c))
        });
        if current_value.as_ref().is_some_and(|c| (assign.same)(c, assign.value)) {
            if owner.is_some() {
                slot.write(doc, assign.preset, &[], &reason);
            }
            return Ok(Change::Kept);
        }
        let old_line = marker::was_text(&written_key, &current);
        let change = match owner {
            Some(owner) if composition.may_override(assign.preset, &owner) => Change::Updated { from: owner },
            owner => {
                let conflict = Conflict {
                    path: assign.path.clone(),
                    current: bare(&current),
                    wanted: assign.value.to_string(),
                    preset: assign.preset.to_owned(),
                    owner,
                    line: self.line_of(&slot.table, &slot.key),
                    flag: false,
                };
                match self.settle(conflict)? {
                    Some(change) => return Ok(change),
                    None => Change::Forced,
                }
            }
        };
        let mut value = assign.value.to_toml();
        let mut decor = current.decor().clone();
        if change == Change::Forced
            && decor.suffix().and_then(|s| s.as_str()).is_some_and(|s| s.trim_start().starts_with('#'))
        {
            // The old trailing comment described the old value; it moves into the `was` record.
            decor.set_suffix("");
        }
        *value.decor_mut() = decor;
        let table = table_at_mut(doc, &assign.table).expect("still there");
        *table.get_mut(assign.key).expect("present") = Item::Value(value);
        // The exact old line, for undo; not a template, since it is data, not prose.
        let extra = match change {
            Change::Forced => vec![marker::format(assign.preset, Some(&was_tag(slot)), &old_line)],
            _ => Vec::new(),
        };
        slot.write(doc, assign.preset, &extra, &reason);
        Ok(change)
    }

    /// Writes the header comment of a table we created, or refreshes ours on a table we created
    /// earlier. A user's own table gets no header: its comments are theirs.
    fn header(
        &self,
        doc: &mut DocumentMut,
        path: &TablePath,
        created: bool,
        presets: &[String],
        composition: &Composition,
    ) {
        let keys = path.keys();
        let Some(table) = table_mut(doc.as_table_mut(), &keys) else { return };
        let prefix = table.decor().prefix().and_then(|p| p.as_str()).unwrap_or("").to_owned();
        if !created && marker::markers(&prefix).next().is_none() {
            return;
        }
        let mut lines = Vec::new();
        let mut said: Vec<String> = Vec::new();
        for (i, name) in presets.iter().enumerate() {
            let summary = composition.preset(name).map(|p| p.summary.as_str()).unwrap_or_default();
            // An override table's line says what it covers, the same for every preset: once.
            for line in self.renderer.table(summary, path, i == 0) {
                if !said.contains(&line) {
                    lines.push(marker::format(name, None, &line));
                    said.push(line);
                }
            }
        }
        let base = if created { "\n".to_owned() } else { prefix };
        let rewritten = marker::rewrite(&base, |m| m.tag.is_none() && presets.iter().any(|p| p == m.preset), &lines);
        table.decor_mut().set_prefix(rewritten);
    }

    /// Switches on a feature gate: `cargo-features` in a manifest, `[unstable]` in a config.
    fn gate(&self, doc: &mut DocumentMut, gate: Gate, first_use: &Composed) -> Result<(), Box<Conflict>> {
        let preset = &first_use.preset;
        let reason = self.renderer.gate(&first_use.setting.path.to_string());
        match (self.edit.kind, gate.manifest_feature) {
            (FileKind::Manifest, Some(feature)) => {
                let root = doc.as_table_mut();
                let features =
                    root.entry("cargo-features").or_insert_with(|| Item::Value(toml_edit::Array::new().into()));
                let array = features.as_array_mut().expect("checked to be an array");
                let present = array.iter().any(|v| v.as_str() == Some(feature));
                if !present {
                    array.push(feature);
                }
                let slot = CommentSlot { table: Vec::new(), key: "cargo-features".into(), tag: Some(feature.into()) };
                // There with no marker of any preset: the user's, which `remove` must not take.
                if present && !marker::markers(&slot.prefix(doc)).any(|m| m.tag == Some(feature)) {
                    return Ok(());
                }
                slot.write(doc, preset, &[], &reason);
                Ok(())
            }
            (FileKind::Manifest, None) => unreachable!("gates without a manifest feature are refused before editing"),
            (FileKind::Config, _) => {
                let (created, _) = ensure_table(doc.as_table_mut(), &["unstable"]);
                let table = table_at_mut(doc, &["unstable"]).expect("just ensured");
                match table.get(gate.unstable_key).and_then(Item::as_value).and_then(Value::from_toml) {
                    Some(Value::Bool(true)) => return Ok(()),
                    Some(other) if !self.edit.force => {
                        return Err(Box::new(Conflict {
                            path: format!("unstable.{}", gate.unstable_key),
                            current: other.to_string(),
                            wanted: "true".into(),
                            preset: preset.clone(),
                            owner: None,
                            line: self.line_of(&["unstable".to_owned()], gate.unstable_key),
                            flag: false,
                        }));
                    }
                    _ => {}
                }
                insert_value(table, gate.unstable_key, true.into());
                let slot = CommentSlot { table: vec!["unstable".into()], key: gate.unstable_key.into(), tag: None };
                slot.write(doc, preset, &[], &reason);
                if created && let Some(table) = table_mut(doc.as_table_mut(), &["unstable"]) {
                    table.decor_mut().set_prefix("\n");
                }
                Ok(())
            }
        }
    }
}

/// A value as TOML, without the spaces and comment around it.
fn bare(value: &toml_edit::Value) -> String {
    let mut value = value.clone();
    value.decor_mut().clear();
    value.to_string()
}

/// The key as written in the `was` record, up to its `=`: the key as the user spelt and aligned
/// it, or its path inside an inline table (whose entries have no line of their own).
fn slot_key_text(slot: &CommentSlot, key: Option<&toml_edit::Key>) -> String {
    match (&slot.tag, key) {
        (Some(tag), _) => format!("{tag} "),
        (None, Some(key)) => {
            let space = key.leaf_decor().suffix().and_then(|s| s.as_str()).unwrap_or(" ");
            format!("{}{space}", key.display_repr())
        }
        (None, None) => format!("{} ", slot.key),
    }
}

fn was_tag(slot: &CommentSlot) -> String {
    match &slot.tag {
        Some(tag) => format!("{WAS} {tag}"),
        None => WAS.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Library;

    /// Applies built-in presets to a manifest's text.
    pub(crate) fn apply_to(text: &str, presets: &[&str], force: bool) -> Result<String> {
        let library = Library::discover(None, None).unwrap();
        let names: Vec<String> = presets.iter().map(|s| (*s).to_owned()).collect();
        let composition = crate::compose::compose_unknown_toolchain(&library, &names)?;
        let file = Path::new("Cargo.toml");
        let parsed = parse(file, text)?;
        let plan = crate::plan::plan(&composition, &parsed.profiles())?;
        let edit = Edit { force, ..Edit::new(file, FileKind::Manifest) };
        Ok(apply(&parsed, &plan, &composition, &edit, &|name| library.get(name).ok())?.text)
    }

    #[test]
    fn new_key_goes_below_the_users_keys_and_comments_stay() {
        let text = "[profile.dev]\n# mine\nopt-level = 1   # tuned\n\n[dependencies]\n";
        let out = apply_to(text, &["fast-dev"], false).unwrap();
        let expected_start = "[profile.dev]\n# mine\nopt-level = 1   # tuned\n# cargo-presets(fast-dev): keeps file:line in backtraces, drops the variable and type info that dominates codegen, linking and disk\ndebug = \"line-tables-only\"\n\n# cargo-presets(fast-dev): Settings for every dependency";
        assert!(out.starts_with(expected_start), "{out}");
        // New tables go with their siblings, before the user's next section.
        assert!(out.ends_with("debug = true\n\n[dependencies]\n"), "{out}");
    }

    #[test]
    fn new_tables_go_after_the_comments_that_end_the_file() {
        let text = "[workspace]\nmembers = []\n# resolver = \"3\"  (commented out)\n";
        let out = apply_to(text, &["staging"], false).unwrap();
        assert!(out.starts_with(text), "{out}");
        assert!(out[text.len()..].starts_with("\n# cargo-presets(staging)"), "{out}");
        assert_eq!(apply_to(&out, &["staging"], false).unwrap(), out);
    }

    #[test]
    fn reapplying_gives_the_same_bytes() {
        let once = apply_to("[workspace]\n", &["fast-dev", "debuggable-staging"], false).unwrap();
        assert_eq!(apply_to(&once, &["fast-dev", "debuggable-staging"], false).unwrap(), once);
    }

    #[test]
    fn inline_table_settings_are_explained_above_its_line() {
        let out = apply_to("[profile]\nprod = { inherits = \"release\" }\n", &["prod"], false).unwrap();
        assert!(out.contains("# cargo-presets(prod) lto: fat LTO"), "{out}");
        assert!(out.contains("prod = { inherits = \"release\", lto = true, codegen-units = 1, panic = \"abort\", strip = \"symbols\" }\n"), "{out}");
    }

    #[test]
    fn hand_written_value_is_a_conflict_naming_its_line() {
        let err = apply_to("[workspace]\n\n[profile.release]\nopt-level = 2\n", &["embedded-size"], false).unwrap_err();
        let err = err.to_string();
        assert!(
            err.contains("`profile.release.opt-level` is 2 (Cargo.toml:4); preset `embedded-size` sets \"z\""),
            "{err}"
        );
    }

    #[test]
    fn forced_replacement_keeps_spacing_and_records_the_old_line() {
        let out = apply_to("[profile.release]\nopt-level =   2  # ours\n", &["embedded-size"], true).unwrap();
        assert!(
            out.starts_with("[profile.release]\n# cargo-presets(embedded-size) was: opt-level =   2  # ours\n"),
            "{out}"
        );
        assert!(out.contains("\nopt-level =   \"z\"\n"), "{out}");
    }

    #[test]
    fn gate_goes_first_in_a_manifest() {
        let library = Library::discover(None, None).unwrap();
        let composition = crate::compose::compose(&library, &["cranelift-dev".to_owned()]).unwrap();
        let file = Path::new("Cargo.toml");
        let parsed = parse(file, "[package]\nname = \"x\"\n").unwrap();
        let plan = crate::plan::plan(&composition, &parsed.profiles()).unwrap();
        let edit = Edit::new(file, FileKind::Manifest);
        let out = apply(&parsed, &plan, &composition, &edit, &|_| None).unwrap().text;
        assert!(out.starts_with("# cargo-presets(cranelift-dev) codegen-backend: nightly cargo needs this opt-in for `profile.dev.codegen-backend`\ncargo-features = [\"codegen-backend\"]\n[package]"), "{out}");
    }
}
