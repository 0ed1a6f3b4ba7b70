//! Writing config settings (`[build]`, `[target.*]`, `[resolver]`, `[unstable]`) into a config
//! file's text.
//!
//! Scalars (`linker`, `rustc-wrapper`, resolver and unstable keys) are set like profile keys.
//! Flags are merged: a preset adds the flags it lacks to an existing `rustflags` array or string,
//! leaving every other flag where it was, and records exactly what it added in its comment above
//! the key, `# cargo-presets(<preset>) rustflags += -C target-cpu=native: <why>` (`=` when it
//! created the key), which is what `remove` takes back. In an inline table (`build = { … }`),
//! which cannot hold a comment, the record goes above the line that opens it and names the key
//! by its path inside (`rustflags`, or `<triple>.rustflags` below `target = { … }`), as profile
//! keys in inline tables do (see `marker`).

use toml_edit::{DocumentMut, Item};

use super::marker::{self, Marker};
use super::tables::{ensure_table, inline_start, insert_value, remove_key, table_at, table_at_mut, table_mut};
use super::{Assign, Change, CommentSlot, Conflict, Editor, bare};
use crate::cargo::config::{self, ConfigPath, Flag};
use crate::cargo::schema::Value;
use crate::compose::{ComposedConfig, Composition, flags_of};

/// What a preset recorded about the flags it wrote into one `rustflags` key.
pub struct FlagsRecord {
    /// The key: `rustflags`, or its path inside the inline table the record sits above.
    pub key: String,
    /// Whether the preset created the key (then it goes when its flags are gone).
    pub created: bool,
    pub flags: Vec<String>,
}

const FLAGS_TAG: &str = "rustflags";

impl FlagsRecord {
    pub fn parse(marker: &Marker<'_>) -> Option<FlagsRecord> {
        let tag = marker.tag?;
        // The key ends at the `rustflags` followed by the operator: a quoted `cfg(…)` key before
        // it may hold a ` = ` of its own.
        let end = tag
            .match_indices(FLAGS_TAG)
            .map(|(i, _)| i + FLAGS_TAG.len())
            .find(|&end| tag[end..].starts_with(" =") || tag[end..].starts_with(" +="))?;
        let (key, rest) = tag.split_at(end);
        if key != FLAGS_TAG && !key.ends_with(&format!(".{FLAGS_TAG}")) {
            return None;
        }
        let rest = rest.trim_start();
        let (created, flags) = match rest.strip_prefix("+=") {
            Some(flags) => (false, flags),
            None => (true, rest.strip_prefix('=')?),
        };
        Some(FlagsRecord { key: key.to_owned(), created, flags: flags.split_whitespace().map(str::to_owned).collect() })
    }

    fn tag(&self) -> String {
        let op = if self.created { "=" } else { "+=" };
        format!("{} {op} {}", self.key, self.flags.join(" "))
    }
}

/// The flags record `marker` is, if it is one for the `rustflags` at `slot`.
fn record_at(slot: &CommentSlot, marker: &Marker<'_>) -> Option<FlagsRecord> {
    FlagsRecord::parse(marker).filter(|r| r.key == slot.tag.as_deref().unwrap_or(FLAGS_TAG))
}

impl Editor<'_> {
    /// Writes the composition's config settings, in order; a table is created where missing.
    /// Returns how many tables it added.
    // Conflicts are boxed where they are made, to keep `set_key`'s `Result` small.
    #[allow(clippy::vec_box)]
    pub(super) fn config(
        &self,
        doc: &mut DocumentMut,
        composition: &Composition,
        owner_value: &dyn Fn(&str, &ConfigPath) -> Option<Value>,
        changes: &mut Vec<(ConfigPath, String, Change)>,
        conflicts: &mut Vec<Box<Conflict>>,
    ) -> usize {
        let mut tables_added = 0;
        for composed in &composition.config {
            let path = &composed.setting.path;
            let keys = path.table.keys();
            let (created, inline_at) = ensure_table(doc.as_table_mut(), &keys);
            if created {
                tables_added += 1;
                // Our header marks the table as ours, for `remove` to take back with the keys.
                let summary = composition.preset(&composed.preset).map(|p| p.summary.as_str()).unwrap_or_default();
                let header = marker::format(&composed.preset, None, &crate::render::one_line(summary));
                if let Some(table) = table_mut(doc.as_table_mut(), &keys) {
                    table.decor_mut().set_prefix(format!("\n{header}\n"));
                }
            }
            let result = if path.is_rustflags() {
                self.merge_flags(doc, composed, inline_at)
            } else {
                let slot = CommentSlot::new(&keys, &path.key, inline_at);
                let assign = Assign {
                    table: keys.clone(),
                    key: &path.key,
                    path: path.to_string(),
                    value: &composed.setting.value,
                    why: &composed.setting.why,
                    preset: &composed.preset,
                    same: &|a, b| a == b,
                    owner_value: &|owner| owner_value(owner, path),
                };
                self.set_key(doc, &slot, &assign, composition)
            };
            match result {
                Ok(change) => changes.push((path.clone(), composed.preset.clone(), change)),
                Err(conflict) => conflicts.push(conflict),
            }
        }
        tables_added
    }

    /// Adds a preset's flags to `rustflags`, as an array or a string, whichever is there.
    /// `inline_at`: where the first inline table on the way to the table starts, as from
    /// `ensure_table`.
    fn merge_flags(
        &self,
        doc: &mut DocumentMut,
        composed: &ComposedConfig,
        inline_at: Option<usize>,
    ) -> Result<Change, Box<Conflict>> {
        let path = &composed.setting.path;
        let preset = composed.preset.as_str();
        let keys = path.table.keys();
        let wanted = config::units(flags_of(&composed.setting.value)).unwrap_or_default();
        let slot = CommentSlot::new(&keys, FLAGS_TAG, inline_at);
        let record =
            marker::markers(&slot.prefix(doc)).filter(|m| m.preset == preset).find_map(|m| record_at(&slot, &m));
        let table = table_at_mut(doc, &keys).expect("ensure_table created it");
        let current = table.get(FLAGS_TAG).and_then(Item::as_value).cloned();
        let present = match &current {
            None => Vec::new(),
            Some(value) => match flags_in_value(value) {
                Some(flags) => config::units(&flags).unwrap_or_default(),
                None => {
                    return Err(Box::new(Conflict {
                        path: path.to_string(),
                        current: bare(value),
                        wanted: composed.setting.value.to_string(),
                        preset: preset.to_owned(),
                        owner: None,
                        line: self.line_of(&slot.table, FLAGS_TAG),
                        flag: false,
                    }));
                }
            },
        };
        let missing: Vec<&Flag> = wanted.iter().filter(|f| !present.contains(f)).collect();
        if let Some(other) = missing.iter().find_map(|f| present.iter().find(|p| p.same_option(f))) {
            let ours = missing.iter().find(|f| f.same_option(other)).expect("found above");
            let conflict = Conflict {
                path: path.to_string(),
                current: format!("`{other}`"),
                wanted: format!("`{ours}`"),
                preset: preset.to_owned(),
                owner: None,
                line: self.line_of(&slot.table, FLAGS_TAG),
                flag: true,
            };
            // Kept: none of the preset's flags go into this key.
            if let Some(change) = self.settle(conflict)? {
                return Ok(change);
            }
        }
        // Ours: what we recorded earlier and is still there, and what we add now.
        let mut ours: Vec<String> = record
            .as_ref()
            .map(|r| config::units(&r.flags).unwrap_or_default())
            .unwrap_or_default()
            .into_iter()
            .filter(|f| present.contains(f))
            .flat_map(|f| f.tokens)
            .collect();
        let added: Vec<String> = missing.iter().flat_map(|f| f.tokens.iter().cloned()).collect();
        ours.extend(added.iter().cloned());
        let created = current.is_none() || record.as_ref().is_some_and(|r| r.created);
        match current {
            None => insert_value(table, FLAGS_TAG, Value::Array(added.clone()).to_toml()),
            Some(_) if added.is_empty() => {}
            Some(value) => {
                *table.get_mut(FLAGS_TAG).expect("present") = Item::Value(with_flags(value, &added));
            }
        }
        let lines: Vec<String> = if ours.is_empty() {
            Vec::new()
        } else {
            let key = slot.tag.clone().unwrap_or_else(|| FLAGS_TAG.to_owned());
            let tag = FlagsRecord { key, created, flags: ours }.tag();
            self.renderer.key(&composed.setting.why).iter().map(|r| marker::format(preset, Some(&tag), r)).collect()
        };
        slot.rewrite(doc, |m| m.preset == preset && record_at(&slot, m).is_some(), &lines);
        Ok(if added.is_empty() { Change::Kept } else { Change::Added })
    }
}

/// The tables of a config file that may hold `rustflags`: `[build]` and every `[target.*]`.
pub(super) fn flag_tables(doc: &DocumentMut) -> Vec<Vec<String>> {
    let targets = doc.get("target").and_then(Item::as_table_like);
    let targets = targets.into_iter().flat_map(|t| t.iter()).map(|(key, _)| vec!["target".to_owned(), key.to_owned()]);
    std::iter::once(vec!["build".to_owned()]).chain(targets).collect()
}

/// Takes back the flags `preset` recorded in every `rustflags` of the file; a key it created
/// goes once no flag is left in it. Returns what went: each key's path, and its flags.
pub fn remove_flags(doc: &mut DocumentMut, preset: &str) -> Vec<(String, Option<String>)> {
    let mut removed = Vec::new();
    for keys in flag_tables(doc) {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        let Some(inline_at) = inline_start(doc, &keys) else { continue };
        let slot = CommentSlot::new(&keys, FLAGS_TAG, inline_at);
        let Some(current) = table_at(doc, &keys).and_then(|t| t.get(FLAGS_TAG)).and_then(Item::as_value).cloned()
        else {
            continue;
        };
        let records: Vec<FlagsRecord> = marker::markers(&slot.prefix(doc))
            .filter(|m| m.preset == preset)
            .filter_map(|m| record_at(&slot, &m))
            .collect();
        let Some(record) = records.into_iter().next() else { continue };
        let mut value = current;
        for flag in config::units(&record.flags).unwrap_or_default().iter().rev() {
            if let Some(without) = without_flags(&value, &flag.tokens) {
                value = without;
            }
        }
        slot.rewrite(doc, |m| m.preset == preset && record_at(&slot, m).is_some(), &[]);
        let table = table_at_mut(doc, &keys).expect("found above");
        let empty = flags_in_value(&value).is_some_and(|f| f.is_empty());
        if record.created && empty {
            remove_key(table, FLAGS_TAG, inline_at.is_some());
        } else {
            *table.get_mut(FLAGS_TAG).expect("found above") = Item::Value(value);
        }
        let path = ConfigPath {
            table: match keys.as_slice() {
                [_, target] => config::ConfigTable::Target((*target).to_owned()),
                _ => config::ConfigTable::Build,
            },
            key: FLAGS_TAG.to_owned(),
        };
        removed.push((path.to_string(), Some(record.flags.join(" "))));
    }
    removed
}

/// The flags of a `rustflags` value: an array of strings, or a string cargo splits at spaces.
pub fn flags_in_value(value: &toml_edit::Value) -> Option<Vec<String>> {
    match value {
        toml_edit::Value::String(s) => Some(s.value().split_whitespace().map(str::to_owned).collect()),
        toml_edit::Value::Array(a) => a.iter().map(|v| v.as_str().map(str::to_owned)).collect(),
        _ => None,
    }
}

/// `value` with `flags` appended, in its own form, keeping its decor.
fn with_flags(value: toml_edit::Value, flags: &[String]) -> toml_edit::Value {
    match value {
        toml_edit::Value::String(s) => {
            let text = s.value();
            let joined = flags.join(" ");
            let new = if text.trim().is_empty() { joined } else { format!("{text} {joined}") };
            let mut new = toml_edit::Value::from(new);
            *new.decor_mut() = s.decor().clone();
            new
        }
        toml_edit::Value::Array(mut array) => {
            // The space before `]` (`[ "-Cx" ]`) moves to the new last flag, as in an inline table.
            let space = array.iter().last().and_then(|v| v.decor().suffix()).and_then(|s| s.as_str()).unwrap_or("");
            let space = if space.trim().is_empty() { space.to_owned() } else { String::new() };
            if !space.is_empty()
                && let Some(last) = array.iter_mut().last()
            {
                last.decor_mut().set_suffix("");
            }
            // In an array written one flag a line, each new flag gets a line of its own, indented
            // like the last one: the user's lines stay as they were.
            let line_prefix = array
                .iter()
                .last()
                .and_then(|v| v.decor().prefix()?.as_str())
                .filter(|p| p.contains('\n'))
                .map(str::to_owned);
            for flag in flags {
                let mut value = toml_edit::Value::from(flag.as_str());
                if let Some(prefix) = &line_prefix {
                    value.decor_mut().set_prefix(prefix.as_str());
                    array.push_formatted(value);
                } else {
                    array.push(value);
                }
            }
            if let Some(last) = array.iter_mut().last() {
                last.decor_mut().set_suffix(space);
            }
            toml_edit::Value::Array(array)
        }
        other => other,
    }
}

/// `value` without the token run `flags` (its last occurrence), in its own form; `None` if the
/// run is not there. In a string, one space next to the run goes with it, so that adding and
/// removing give back the same text.
pub fn without_flags(value: &toml_edit::Value, flags: &[String]) -> Option<toml_edit::Value> {
    match value {
        toml_edit::Value::String(s) => {
            let text = s.value();
            let joined = flags.join(" ");
            let start = text.rmatch_indices(&joined).map(|(i, _)| i).find(|&i| {
                let end = i + joined.len();
                (i == 0 || text[..i].ends_with(' ')) && (end == text.len() || text[end..].starts_with(' '))
            })?;
            let end = start + joined.len();
            let new = if start > 0 {
                format!("{}{}", &text[..start - 1], &text[end..])
            } else {
                text[end..].strip_prefix(' ').unwrap_or(&text[end..]).to_owned()
            };
            let mut new = toml_edit::Value::from(new);
            *new.decor_mut() = s.decor().clone();
            Some(new)
        }
        toml_edit::Value::Array(array) => {
            let items: Vec<Option<&str>> = array.iter().map(toml_edit::Value::as_str).collect();
            let n = flags.len();
            let start = (0..=items.len().checked_sub(n)?)
                .rev()
                .find(|&i| items[i..i + n].iter().zip(flags).all(|(a, b)| *a == Some(b.as_str())))?;
            let mut array = array.clone();
            let (trailing, comma) = (array.trailing().clone(), array.trailing_comma());
            let space =
                array.iter().last().and_then(|v| v.decor().suffix()).and_then(|s| s.as_str()).unwrap_or("").to_owned();
            for _ in 0..n {
                array.remove(start);
            }
            array.set_trailing_comma(comma);
            // The space before `]` goes back to the flag that is last again, or, in an array
            // left empty, before the `]`.
            let at_end = start + n == items.len() && space.trim().is_empty();
            match array.iter_mut().last() {
                Some(last) if at_end => {
                    last.decor_mut().set_suffix(space);
                    array.set_trailing(trailing);
                }
                None if at_end => array.set_trailing(format!("{space}{}", trailing.as_str().unwrap_or(""))),
                _ => array.set_trailing(trailing),
            }
            Some(toml_edit::Value::Array(array))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> toml_edit::Value {
        text.parse::<toml_edit::Value>().unwrap()
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn adding_then_taking_back_gives_the_same_text() {
        let flags = strings(&["-C", "target-cpu=native"]);
        for original in [
            "\"-Cdebug-assertions=on\"",
            "\"\"",
            "[\"-C\", \"force-frame-pointers=yes\"]",
            "[]",
            "[\n  \"-Cx=1\",\n]",
            "[\n  \"-Cx=1\"\n]",
            "[\n  \"-Cx=1\", # why\n  \"-Cy\",\n]",
        ] {
            let added = with_flags(value(original), &flags);
            let back = without_flags(&added, &flags).unwrap();
            assert_eq!(back.to_string(), value(original).to_string(), "{original} -> {added}");
        }
    }

    #[test]
    fn a_flag_a_line_array_gets_a_line_per_new_flag() {
        let flags = strings(&["-C", "target-cpu=native"]);
        let added = with_flags(value("[\n  \"--cfg\",\n  \"tokio_unstable\",\n]"), &flags);
        assert_eq!(added.to_string(), "[\n  \"--cfg\",\n  \"tokio_unstable\",\n  \"-C\",\n  \"target-cpu=native\",\n]");
        let added = with_flags(value("[\"--cfg\", \"x\"]"), &flags);
        assert_eq!(added.to_string(), "[\"--cfg\", \"x\", \"-C\", \"target-cpu=native\"]");
    }

    #[test]
    fn records_round_trip() {
        let line = marker::format("p", Some(&record_for(FLAGS_TAG).tag()), "why");
        let marker = Marker::parse(&line).unwrap();
        let record = FlagsRecord::parse(&marker).unwrap();
        assert!(!record.created);
        assert_eq!(record.flags, ["-C", "x=1"]);
        assert_eq!(line, "# cargo-presets(p) rustflags += -C x=1: why");
        // Above an inline table, the key's path inside it; a quoted `cfg` key may hold ` = `.
        for key in ["'cfg(target_os = \"linux\")'.rustflags", "x86_64-unknown-linux-gnu.rustflags"] {
            let line = marker::format("p", Some(&FlagsRecord { created: true, ..record_for(key) }.tag()), "why");
            let parsed = FlagsRecord::parse(&Marker::parse(&line).unwrap()).unwrap();
            assert_eq!((parsed.key.as_str(), parsed.created, parsed.flags), (key, true, strings(&["-C", "x=1"])));
        }
        let not_flags = Marker::parse("# cargo-presets(p) linker: why").unwrap();
        assert!(FlagsRecord::parse(&not_flags).is_none());
    }

    fn record_for(key: &str) -> FlagsRecord {
        FlagsRecord { key: key.to_owned(), created: false, flags: strings(&["-C", "x=1"]) }
    }
}
