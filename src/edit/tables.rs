//! Finding, creating and editing the tables of a document, and the keys in them, through
//! `TableLike`: headers, dotted keys and inline tables alike, each keeping the spacing and the
//! comments around it. Shared by writing a plan and taking a preset back out.

use toml_edit::{DocumentMut, InlineTable, Item, Table, TableLike};

/// Inserts a new key. In an inline table the space before `}` moves to the new last entry, so
/// `{ lto = true }` becomes `{ lto = true, codegen-units = 1 }`.
pub(super) fn insert_value(table: &mut dyn TableLike, key: &str, mut value: toml_edit::Value) {
    let last = table.iter().last().map(|(k, _)| k.to_owned());
    if let Some(last_value) = last.and_then(|k| table.get_mut(&k)).and_then(Item::as_value_mut) {
        let suffix = last_value.decor().suffix().and_then(|s| s.as_str()).unwrap_or("").to_owned();
        if !suffix.is_empty() && suffix.trim().is_empty() {
            last_value.decor_mut().set_suffix("");
            value.decor_mut().set_suffix(suffix);
        }
    }
    table.insert(key, Item::Value(value));
    take_siblings_spacing(table, key);
}

/// Gives a new key the spacing its siblings have in a dotted path (`profile . dev . debug`, not
/// `profile . dev .debug`), so that new lines come out in the style of the user's.
fn take_siblings_spacing(table: &mut dyn TableLike, key: &str) {
    let sibling = table.iter().map(|(k, _)| k.to_owned()).find(|k| k != key);
    let Some(decor) = sibling.and_then(|s| table.get_key_value(&s)).map(|(k, _)| k.dotted_decor().clone()) else {
        return;
    };
    if let Some(mut new) = table.key_mut(key) {
        *new.dotted_decor_mut() = decor;
    }
}

/// Finds or creates the table at `keys`. Returns whether the table itself was created, and the
/// index in `keys` of the first inline table on the way, below which everything is inline.
pub(super) fn ensure_table(root: &mut Table, keys: &[&str]) -> (bool, Option<usize>) {
    let needs_position =
        table_mut(root, &keys[..1]).is_none_or(|t| (t.is_implicit() || t.is_dotted()) && !has_header_tables(t));
    let end = max_position(root) + 1;
    let mut current: &mut dyn TableLike = root;
    let mut inline_at = None;
    let mut created = false;
    for (i, key) in keys.iter().enumerate() {
        let leaf = i + 1 == keys.len();
        if !current.contains_key(key) {
            let item = if inline_at.is_some() {
                Item::Value(toml_edit::Value::InlineTable(InlineTable::new()))
            } else {
                let mut table = Table::new();
                table.set_implicit(!leaf);
                // With no `[profile…]` header yet, a new table goes at the end of the file, not
                // next to dotted keys at the top.
                if leaf && needs_position {
                    table.set_position(Some(end));
                }
                Item::Table(table)
            };
            current.insert(key, item);
            take_siblings_spacing(current, key);
            created = leaf;
        }
        let item = current.get_mut(key).expect("present or just inserted");
        if inline_at.is_none() && item.is_inline_table() {
            inline_at = Some(i);
        }
        // A table that was only the parent of others (`[profile.dev.package."*"]` with no
        // `[profile.dev]`) gets a header now: that header is ours, for `remove` to take back.
        if leaf && let Some(table) = item.as_table_mut().filter(|t| t.is_implicit() && !t.is_dotted()) {
            table.set_implicit(false);
            created = true;
        }
        current = item.as_table_like_mut().expect("shapes were checked before editing");
    }
    (created, inline_at)
}

fn has_header_tables(table: &Table) -> bool {
    table
        .iter()
        .any(|(_, item)| item.as_table().is_some_and(|t| !t.is_implicit() && !t.is_dotted() || has_header_tables(t)))
}

fn max_position(table: &Table) -> isize {
    table
        .iter()
        .filter_map(|(_, item)| item.as_table())
        .map(|t| t.position().unwrap_or(0).max(max_position(t)))
        .max()
        .unwrap_or(0)
}

pub(super) fn table_mut<'a>(root: &'a mut Table, keys: &[&str]) -> Option<&'a mut Table> {
    let mut current = root;
    for key in keys {
        current = current.get_mut(key)?.as_table_mut()?;
    }
    Some(current)
}

pub(super) fn table_at<'a, K: AsRef<str>>(doc: &'a DocumentMut, keys: &[K]) -> Option<&'a dyn TableLike> {
    let mut current: &dyn TableLike = doc.as_table();
    for key in keys {
        current = current.get(key.as_ref())?.as_table_like()?;
    }
    Some(current)
}

pub(super) fn table_at_mut<'a, K: AsRef<str>>(doc: &'a mut DocumentMut, keys: &[K]) -> Option<&'a mut dyn TableLike> {
    let mut current: &mut dyn TableLike = doc.as_table_mut();
    for key in keys {
        current = current.get_mut(key.as_ref())?.as_table_like_mut()?;
    }
    Some(current)
}

/// Where the first inline table on the way to `keys` starts, if the table exists at all.
pub(super) fn inline_start(doc: &DocumentMut, keys: &[&str]) -> Option<Option<usize>> {
    let mut current: &dyn TableLike = doc.as_table();
    let mut inline_at = None;
    for (i, key) in keys.iter().enumerate() {
        let item = current.get(key)?;
        if inline_at.is_none() && item.is_inline_table() {
            inline_at = Some(i);
        }
        current = item.as_table_like()?;
    }
    Some(inline_at)
}

/// Removes a key. Lines a user wrote above it move to the key below; in an inline table, the
/// space before `}` moves back to the entry that is last again.
pub(super) fn remove_key(table: &mut dyn TableLike, key: &str, inline: bool) {
    let order: Vec<String> = table.iter().map(|(k, _)| k.to_owned()).collect();
    let position = order.iter().position(|k| k == key).expect("present");
    let leftover =
        table.key(key).and_then(|k| k.leaf_decor().prefix()).and_then(|p| p.as_str()).unwrap_or("").to_owned();
    let suffix = table
        .get(key)
        .and_then(Item::as_value)
        .and_then(|v| v.decor().suffix())
        .and_then(|s| s.as_str())
        .unwrap_or("")
        .to_owned();
    table.remove(key);
    if !leftover.trim().is_empty()
        && let Some(mut next) = order.get(position + 1).and_then(|next| table.key_mut(next))
    {
        let below = next.leaf_decor().prefix().and_then(|p| p.as_str()).unwrap_or("").to_owned();
        next.leaf_decor_mut().set_prefix(format!("{leftover}{below}"));
    }
    if inline
        && position + 1 == order.len()
        && !suffix.is_empty()
        && suffix.trim().is_empty()
        && let Some(last) =
            order.get(position.wrapping_sub(1)).and_then(|k| table.get_mut(k)).and_then(Item::as_value_mut)
    {
        last.decor_mut().set_suffix(suffix);
    }
}
