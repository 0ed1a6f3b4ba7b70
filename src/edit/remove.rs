//! Taking a preset back out: exactly what it wrote goes, and nothing else.
//!
//! A key goes if our comment names the preset and the value is still the preset's; a value it
//! replaced with `--force` comes back from the `was` record, spaces and comment included. Tables
//! it created go when they are left empty, keeping any line the user wrote above them; feature
//! gates go when nothing left needs them. A value the user changed since is left alone and
//! reported. `apply X` then `remove X` gives back the original bytes.

use toml_edit::{DocumentMut, Item, Table, TableLike};

use super::marker::{self, Marker};
use super::tables::{inline_start, remove_key, table_at, table_at_mut, table_mut};
use super::{BOM, CommentSlot, FileKind, Parsed, layout, was_tag};
use crate::cargo::schema::{Key, KeyPath, Value};
use crate::error::Result;
use crate::preset::Preset;

/// What `remove` did, each key by its path.
#[derive(Debug, Default)]
pub struct Removal {
    pub text: String,
    /// Keys that were the preset's and are gone, each with the flags that went for a
    /// `rustflags` (which keeps the flags of others).
    pub removed: Vec<(String, Option<String>)>,
    /// Keys whose hand-written value, replaced with `--force`, is back.
    pub restored: Vec<String>,
    /// Keys the preset wrote that the user has changed since, with their value: left alone.
    pub changed: Vec<(String, String)>,
}

/// A key a preset writes, profile or config, as `remove` looks for it.
struct Written<'a> {
    table: Vec<&'a str>,
    key: &'a str,
    path: String,
    value: &'a Value,
    inherits: bool,
    same: SameMeaning<'a>,
}

/// Whether two values mean the same to cargo, for one key.
type SameMeaning<'a> = Box<dyn Fn(&Value, &Value) -> bool + 'a>;

impl<'a> Written<'a> {
    fn profile(s: &'a crate::preset::Setting) -> Written<'a> {
        Written {
            table: s.path.table.keys(),
            key: s.path.key.name(),
            path: s.path.to_string(),
            value: &s.value,
            inherits: s.path.key == Key::Inherits,
            same: Box::new(move |a, b| s.path.key.same_meaning(a, b)),
        }
    }

    /// The preset's keys: profile keys (`inherits` last: it goes only if its table is left with
    /// nothing else, since a custom profile without it breaks every cargo command), then config
    /// scalars of the preset and of every variant (flags are taken back by their records).
    fn of(preset: &'a Preset) -> Vec<Written<'a>> {
        let mut settings: Vec<&crate::preset::Setting> = preset.settings.iter().collect();
        settings.extend(preset.variants.iter().flat_map(|v| v.settings.iter()));
        settings.sort_by_key(|s| s.path.key == Key::Inherits);
        let profile = settings.into_iter().map(Written::profile);
        let config = preset.config.iter().chain(preset.variants.iter().flat_map(|v| v.config.iter()));
        let config = config.filter(|s| !s.path.is_rustflags()).map(|s| Written {
            table: s.path.table.keys(),
            key: s.path.key.as_str(),
            path: s.path.to_string(),
            value: &s.value,
            inherits: false,
            same: Box::new(|a, b| a == b),
        });
        profile.chain(config).collect()
    }
}

pub fn remove(parsed: &Parsed, preset: &Preset, kind: FileKind) -> Result<Removal> {
    let name = preset.name.as_str();
    let mut doc = parsed.doc().clone().into_mut();
    let mut removal = Removal::default();

    // The tables this preset created carry its header line; note them before it goes.
    let tables = created_tables(&mut doc, preset);
    let created: Vec<&Vec<String>> = tables.iter().collect();

    let written = Written::of(preset);
    for setting in &written {
        let keys = &setting.table;
        let Some((slot, inline_at)) = ours(&doc, name, setting, &created) else { continue };
        let was = was_tag(&slot);
        let old = marker::markers(&slot.prefix(&doc))
            .find(|m| m.preset == name && m.tag == Some(was.as_str()))
            .and_then(|m| marker::was_value(m.text));
        // In a table we created, the tables below it were the user's before (it was their
        // implicit parent) or came after the preset: either way they are not the profile's own.
        let created_here = created.iter().any(|t| t.iter().map(String::as_str).eq(keys.iter().copied()));
        let others_left = |t: &dyn TableLike| {
            t.iter()
                .any(|(k, item)| k != "inherits" && if created_here { item.is_value() } else { holds_settings(item) })
        };
        // A replaced `inherits` comes back; our own goes only with everything else in its table.
        if setting.inherits && old.is_none() && table_at(&doc, keys).is_some_and(others_left) {
            continue;
        }
        let current = table_at(&doc, keys).and_then(|t| t.get(setting.key)).and_then(Item::as_value).cloned();
        let Some(current) = current else { continue };
        if !Value::from_toml(&current).is_some_and(|v| (setting.same)(&v, setting.value)) {
            removal.changed.push((setting.path.clone(), super::bare(&current)));
            continue;
        }
        slot.rewrite(
            &mut doc,
            |m| m.preset == name && [slot.tag.as_deref(), Some(was.as_str()), Some(marker::FORCED)].contains(&m.tag),
            &[],
        );
        let table = table_at_mut(&mut doc, keys).expect("found above");
        match old {
            Some(mut old) => {
                let slot_value = table.get_mut(setting.key).expect("found above");
                // In an inline table the space before `}` travels with the last entry: keep it.
                let space =
                    slot_value.as_value().and_then(|v| v.decor().suffix()).and_then(|s| s.as_str()).unwrap_or("");
                let old_suffix = old.decor().suffix().and_then(|s| s.as_str()).unwrap_or("");
                if old_suffix.is_empty() && !space.is_empty() && space.trim().is_empty() {
                    old.decor_mut().set_suffix(space.to_owned());
                }
                *slot_value = Item::Value(old);
                removal.restored.push(setting.path.clone());
            }
            None => {
                remove_key(table, setting.key, inline_at.is_some());
                removal.removed.push((setting.path.clone(), None));
                if let Some(start) = inline_at {
                    drop_empty_inline(&mut doc, keys, start);
                }
            }
        }
    }
    removal.removed.extend(super::config::remove_flags(&mut doc, name));

    for keys in written_tables(&doc, preset) {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        if let Some(table) = table_mut(doc.as_table_mut(), &keys) {
            let prefix = table.decor().prefix().and_then(|p| p.as_str()).unwrap_or("").to_owned();
            table.decor_mut().set_prefix(marker::rewrite(&prefix, |m| m.preset == name && m.tag.is_none(), &[]));
        }
    }
    // Deepest first: `[profile.dev]` is empty only once `[profile.dev.package."*"]` is gone.
    let mut created = created;
    created.sort_by_key(|keys| std::cmp::Reverse(keys.len()));
    for keys in created {
        drop_if_empty(&mut doc, keys);
    }
    remove_gates(&mut doc, name, kind);

    let edited = doc.to_string();
    removal.text = layout::restore(&parsed.text, &edited);
    if parsed.bom && !removal.text.is_empty() {
        removal.text.insert(0, BOM);
    }
    Ok(removal)
}

/// Whether an item is a value, or a table with a value somewhere inside (sub-tables emptied by
/// this removal do not count: they go too).
fn holds_settings(item: &Item) -> bool {
    match item.as_table_like() {
        Some(table) => table.iter().any(|(_, item)| holds_settings(item)),
        None => true,
    }
}

/// Whether `preset` wrote the key at `path`: our comment above it names the preset, or (for
/// `inherits`, which gets no comment) it sits unmarked in a table the preset created. Returns
/// where its comments are, and where the first inline table on the way starts.
fn ours(
    doc: &DocumentMut,
    preset: &str,
    written: &Written<'_>,
    created: &[&Vec<String>],
) -> Option<(CommentSlot, Option<usize>)> {
    let keys = &written.table;
    let inline_at = inline_start(doc, keys)?;
    table_at(doc, keys)?.get(written.key)?;
    let slot = CommentSlot::new(keys, written.key, inline_at);
    let in_our_table = created.iter().any(|t| t.iter().map(String::as_str).eq(keys.iter().copied()));
    // `inherits` gets no reason line, but one it replaced with `--force` has its `was` record.
    let was = was_tag(&slot);
    let replaced = marker::markers(&slot.prefix(doc)).any(|m| m.preset == preset && m.tag == Some(was.as_str()));
    match slot.owner(doc) {
        Some(owner) if owner == preset => Some((slot, inline_at)),
        None if (in_our_table || replaced) && written.inherits => Some((slot, inline_at)),
        _ => None,
    }
}

/// The tables of `preset` that carry its header line: the ones it created.
fn created_tables(doc: &mut DocumentMut, preset: &Preset) -> Vec<Vec<String>> {
    let mut tables: Vec<Vec<String>> = Vec::new();
    for keys in written_tables(doc, preset) {
        if !tables.contains(&keys) && has_header(doc, &keys, &preset.name) {
            tables.push(keys);
        }
    }
    tables
}

/// Every table the preset may have written into: its profile tables (in any variant), and the
/// config tables of the file (flags go where cargo reads them, which may be a table the file
/// already had).
fn written_tables(doc: &DocumentMut, preset: &Preset) -> Vec<Vec<String>> {
    let owned = |keys: Vec<&str>| keys.into_iter().map(str::to_owned).collect::<Vec<String>>();
    let profile = preset.settings.iter().chain(preset.variants.iter().flat_map(|v| v.settings.iter()));
    let mut tables: Vec<Vec<String>> = profile.map(|s| owned(s.path.table.keys())).collect();
    tables.extend(super::config::flag_tables(doc));
    tables.extend(["resolver", "unstable"].map(|t| vec![t.to_owned()]));
    tables.dedup();
    tables
}

/// Whether the table at `keys` has a header line of `preset` (we created it).
fn has_header(doc: &mut DocumentMut, keys: &[String], preset: &str) -> bool {
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    table_mut(doc.as_table_mut(), &keys).is_some_and(|t| {
        let prefix = t.decor().prefix().and_then(|p| p.as_str()).unwrap_or("");
        marker::markers(prefix).any(|m| m.preset == preset && m.tag.is_none())
    })
}

/// Inline tables cannot carry our header, so one that our removal left empty, below the first
/// inline table at `start`, goes (`{ debug = 1, package = { "*" = {} } }` → `{ debug = 1 }`).
fn drop_empty_inline(doc: &mut DocumentMut, keys: &[&str], start: usize) {
    for depth in (start + 2..=keys.len()).rev() {
        let empty = table_at(doc, &keys[..depth]).is_some_and(|t| t.is_empty());
        if !empty {
            return;
        }
        if let Some(parent) = table_at_mut(doc, &keys[..depth - 1]) {
            remove_key(parent, keys[depth - 1], true);
        }
    }
}

/// Drops the table at `keys`, which we created, if nothing is left in it, then any parent left
/// empty and headerless; one left holding only tables below it loses its header instead. The
/// user's lines above it (apply put new tables after a file's closing comments) move to the end
/// of the file; the blank line we added before it goes.
fn drop_if_empty(doc: &mut DocumentMut, keys: &[String]) {
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let Some(table) = table_mut(doc.as_table_mut(), &keys) else { return };
    // Only tables below it are left: it was their implicit parent before we gave it a header,
    // and is again. Otherwise it goes if nothing is left in it.
    let parent_only = !table.is_empty() && !table.iter().any(|(_, item)| item.is_value());
    if !table.is_empty() && !parent_only {
        return;
    }
    let prefix = table.decor().prefix().and_then(|p| p.as_str()).unwrap_or("").to_owned();
    let leftover = prefix.strip_suffix('\n').unwrap_or(&prefix).to_owned();
    let (last, parents) = keys.split_last().expect("a table path has keys");
    if parent_only {
        table.set_implicit(true);
        table.decor_mut().clear();
    } else if let Some(parent) = table_at_mut(doc, parents) {
        parent.remove(last);
    }
    if !leftover.trim().is_empty() {
        let trailing = doc.trailing().as_str().unwrap_or("").to_owned();
        doc.set_trailing(format!("{leftover}{trailing}"));
    }
    for depth in (1..parents.len() + 1).rev() {
        let (last, above) = keys[..depth].split_last().expect("depth >= 1");
        let empty_implicit = table_mut(doc.as_table_mut(), &keys[..depth])
            .is_some_and(|t: &mut Table| t.is_empty() && (t.is_implicit() || t.is_dotted()));
        if empty_implicit && let Some(parent) = table_at_mut(doc, above) {
            parent.remove(last);
        }
    }
}

/// Removes the feature gates this preset added that no remaining setting needs.
fn remove_gates(doc: &mut DocumentMut, preset: &str, kind: FileKind) {
    let needed: Vec<crate::cargo::schema::Gate> = doc
        .get("profile")
        .map(|p| crate::cargo::profiles::walk(p, None).entries)
        .into_iter()
        .flatten()
        .filter_map(|e| e.item.as_value().and_then(Value::from_toml).and_then(|v| e.path.key.gate(&v)))
        .collect();
    match kind {
        FileKind::Manifest => {
            let slot = CommentSlot { table: Vec::new(), key: "cargo-features".into(), tag: None };
            let ours: Vec<String> = marker::markers(&slot.prefix(doc))
                .filter(|m| m.preset == preset)
                .filter_map(|m| m.tag.map(str::to_owned))
                .filter(|feature| !needed.iter().any(|g| g.manifest_feature == Some(feature.as_str())))
                .collect();
            for feature in &ours {
                slot.rewrite(doc, |m: &Marker<'_>| m.preset == preset && m.tag == Some(feature.as_str()), &[]);
                if let Some(array) = doc.get_mut("cargo-features").and_then(Item::as_array_mut) {
                    array.retain(|v| v.as_str() != Some(feature.as_str()));
                }
            }
            if doc.get("cargo-features").and_then(Item::as_array).is_some_and(|a| a.is_empty()) && !ours.is_empty() {
                doc.remove("cargo-features");
            }
        }
        FileKind::Config => {
            let Some(unstable) = doc.get("unstable").and_then(Item::as_table_like) else { return };
            let ours: Vec<String> = unstable
                .iter()
                .filter(|(key, _)| !needed.iter().any(|g| g.unstable_key == *key))
                .filter(|(key, _)| {
                    let prefix =
                        unstable.key(key).and_then(|k| k.leaf_decor().prefix()).and_then(|p| p.as_str()).unwrap_or("");
                    marker::markers(prefix).any(|m| m.preset == preset)
                })
                .map(|(key, _)| key.to_owned())
                .collect();
            if ours.is_empty() {
                return;
            }
            if let Some(table) = table_at_mut(doc, &["unstable"]) {
                for key in &ours {
                    table.remove(key);
                }
            }
            drop_if_empty(doc, &["unstable".to_owned()]);
        }
    }
}

/// Where one key of a preset stands in a file.
#[derive(Debug, PartialEq, Eq)]
pub enum KeyState {
    /// Written by the preset, with its value.
    Intact,
    /// Written by the preset, then changed to this value.
    Changed(String),
    /// Now written by another preset (one that extends or overrides it).
    TakenBy(String),
    /// Hand-written with another value, which stays (as `apply --keep` leaves it).
    Kept(String),
    /// Hand-written with the preset's value (`apply` found it "already set" and left it).
    AlreadySet,
    /// Not there.
    Missing,
}

/// The profiles where a comment of `preset` sits, above a table or a key of the profile: where
/// `apply` wrote it, under its own profile names or another (`apply --profile`). For `status`.
pub fn marked_profiles(parsed: &Parsed, preset: &str) -> Vec<String> {
    // Comments are spans into the text until the document is made editable.
    let doc = parsed.doc().clone().into_mut();
    let Some(profiles) = doc.get("profile").and_then(Item::as_table_like) else { return Vec::new() };
    profiles.iter().filter(|(_, body)| has_marker(body, preset)).map(|(name, _)| name.to_owned()).collect()
}

/// Whether a comment of `preset` sits above `item` (a table) or above a key or table in it.
fn has_marker(item: &Item, preset: &str) -> bool {
    fn marked(prefix: Option<&toml_edit::RawString>, preset: &str) -> bool {
        prefix.and_then(|p| p.as_str()).is_some_and(|p| marker::markers(p).any(|m| m.preset == preset))
    }
    let header = item.as_table().is_some_and(|t| marked(t.decor().prefix(), preset));
    let Some(table) = item.as_table_like() else { return false };
    header
        || table.iter().any(|(key, item)| {
            table.key(key).is_some_and(|k| marked(k.leaf_decor().prefix(), preset)) || has_marker(item, preset)
        })
}

/// The package specs of the tables where a comment of `preset` sits (`"*"` included), each once:
/// where `apply --package` wrote its per-package settings. For `remove` and `status`.
pub fn marked_packages(parsed: &Parsed, preset: &str) -> Vec<String> {
    let doc = parsed.doc().clone().into_mut();
    let mut specs: Vec<String> = Vec::new();
    let profiles = doc.get("profile").and_then(Item::as_table_like).into_iter().flat_map(|p| p.iter());
    for (_, body) in profiles {
        let packages = body.get("package").and_then(Item::as_table_like).into_iter().flat_map(|p| p.iter());
        for (spec, table) in packages {
            if has_marker(table, preset) && !specs.iter().any(|s| s == spec) {
                specs.push(spec.to_owned());
            }
        }
    }
    specs
}

/// Where each key of `preset` stands in a file. For `status`.
pub fn key_states<'p>(parsed: &Parsed, preset: &'p Preset) -> Vec<(&'p KeyPath, KeyState)> {
    let mut doc = parsed.doc().clone().into_mut();
    let created = created_tables(&mut doc, preset);
    let created: Vec<&Vec<String>> = created.iter().collect();
    preset
        .settings
        .iter()
        .map(|setting| {
            let path = &setting.path;
            let keys = path.table.keys();
            let current = table_at(&doc, &keys).and_then(|t| t.get(path.key.name())).and_then(Item::as_value);
            let state = match (ours(&doc, &preset.name, &Written::profile(setting), &created), current) {
                (Some(_), Some(current)) => match Value::from_toml(current) {
                    Some(v) if path.key.same_meaning(&v, &setting.value) => KeyState::Intact,
                    _ => KeyState::Changed(super::bare(current)),
                },
                (None, Some(current)) => match inline_start(&doc, &keys)
                    .and_then(|at| CommentSlot::new(&keys, path.key.name(), at).owner(&doc))
                {
                    Some(other) => KeyState::TakenBy(other),
                    // No comment of ours: the user wrote it, before or after `apply`.
                    None => match Value::from_toml(current) {
                        Some(v) if path.key.same_meaning(&v, &setting.value) => KeyState::AlreadySet,
                        _ => KeyState::Kept(super::bare(current)),
                    },
                },
                _ => KeyState::Missing,
            };
            (path, state)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::apply_to;
    use super::*;
    use crate::library::Library;

    fn remove_from(text: &str, preset: &str) -> Removal {
        let library = Library::discover(None, None).unwrap();
        let parsed = super::super::parse(std::path::Path::new("Cargo.toml"), text).unwrap();
        remove(&parsed, &library.get(preset).unwrap(), FileKind::Manifest).unwrap()
    }

    #[test]
    fn apply_then_remove_gives_back_the_original() {
        for original in [
            "[workspace]\nmembers = []\n",
            "[workspace]\n\n[profile.dev]\n# mine\nopt-level = 1   # tuned\n\n[dependencies]\n",
            "[workspace]\nmembers = []\n# closing comment\n",
            "profile.dev.opt-level = 1\n[workspace]\n",
            "[profile]\nstaging = { inherits = \"release\" }  # inline\n",
            "[workspace]\r\nmembers = []",
        ] {
            let applied = apply_to(original, &["staging"], false).unwrap();
            assert_ne!(applied, original);
            assert_eq!(remove_from(&applied, "staging").text, original, "from:\n{applied}");
        }
    }

    #[test]
    fn a_feature_gate_the_file_had_stays_after_remove() {
        let original = "cargo-features = [\"codegen-backend\"]\n\n[workspace]\n";
        let applied = apply_to(original, &["cranelift-dev"], false).unwrap();
        assert!(!applied.contains("cargo-presets(cranelift-dev) codegen-backend"), "{applied}");
        assert_eq!(remove_from(&applied, "cranelift-dev").text, original, "from:\n{applied}");
    }

    #[test]
    fn a_forced_value_comes_back_exactly() {
        let original = "[profile.release]\nopt-level =   2  # ours\nlto = \"thin\"\n";
        let applied = apply_to(original, &["embedded-size"], true).unwrap();
        let removal = remove_from(&applied, "embedded-size");
        assert_eq!(removal.text, original);
        assert_eq!(removal.restored.len(), 2);
    }

    #[test]
    fn a_value_changed_since_is_left_alone_and_reported() {
        let applied = apply_to("[workspace]\n", &["staging"], false).unwrap();
        let edited = applied.replace("debug = true", "debug = 1");
        let removal = remove_from(&edited, "staging");
        assert_eq!(removal.changed.len(), 1);
        assert_eq!(removal.changed[0].1, "1");
        assert!(removal.text.contains("debug = 1"), "{}", removal.text);
    }

    #[test]
    fn key_states_tell_hand_written_values_from_missing_ones() {
        let library = Library::discover(None, None).unwrap();
        let preset = library.get("embedded-size").unwrap();
        let original = "[profile.release]\nlto = true\ncodegen-units = 1\nstrip = true\nopt-level = 2\n";
        let applied = apply_to(original, &["embedded-size"], false);
        // `opt-level = 2` differs: apply refuses, and the file is as `--keep` would leave it.
        assert!(applied.is_err());
        let parsed = super::super::parse(std::path::Path::new("Cargo.toml"), original).unwrap();
        let states: Vec<(String, KeyState)> =
            key_states(&parsed, &preset).into_iter().map(|(p, s)| (p.to_string(), s)).collect();
        let state = |key: &str| &states.iter().find(|(p, _)| p == key).unwrap().1;
        assert_eq!(state("profile.release.lto"), &KeyState::AlreadySet);
        assert_eq!(state("profile.release.strip"), &KeyState::AlreadySet);
        assert_eq!(state("profile.release.opt-level"), &KeyState::Kept("2".into()));
        assert_eq!(state("profile.release.panic"), &KeyState::Missing);
    }

    #[test]
    fn marked_packages_are_the_specs_of_tables_with_the_preset_s_comments() {
        let text = "[profile.dev.package.\"*\"]\n# cargo-presets(fast-dev): w\ndebug = false\n\n\
                    # cargo-presets(deps-opt1-dev): Settings for the package `regex`.\n[profile.dev.package.regex]\nopt-level = 1\n\n\
                    [profile.release.package.regex]\n# cargo-presets(deps-opt1-dev): w\nopt-level = 1\n\n\
                    [profile.dev.package.mine]\nopt-level = 2\n";
        let parsed = super::super::parse(std::path::Path::new("Cargo.toml"), text).unwrap();
        assert_eq!(marked_packages(&parsed, "deps-opt1-dev"), ["regex"]);
        assert_eq!(marked_packages(&parsed, "fast-dev"), ["*"]);
        assert!(marked_packages(&parsed, "prod").is_empty());
    }
}
