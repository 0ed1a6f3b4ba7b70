//! What the copy must carry besides files for cargo to build it as it would in place: the
//! toolchain rustup picks for the directory (a `rustup override set` is kept by path, so none
//! reaches the copy) and `[env]` paths that config files give relative to themselves.

use std::path::Path;

use crate::cargo::toolchain;

/// A config file's `text` with each `[env]` value marked `relative = true` that points outside
/// the copied `tree` made absolute; `None` when there is none. Cargo resolves such a value
/// against the file's `root` (the directory above its `.cargo`), which for the copy of the file
/// is in the copy: right for a path inside the copied tree (the copy's files, so that a build
/// writing there writes the copy, never the user's), wrong for one outside it, which the copy
/// lacks: that one keeps pointing at what it names in place.
pub(super) fn anchor_relative_env(text: &str, root: &Path, tree: &Path) -> Option<String> {
    let mut doc: toml_edit::DocumentMut = text.parse().ok()?;
    let env = doc.get_mut("env")?.as_table_like_mut()?;
    let mut changed = false;
    for (_, entry) in env.iter_mut() {
        let Some(entry) = entry.as_table_like_mut() else { continue };
        if entry.get("relative").and_then(toml_edit::Item::as_bool) != Some(true) {
            continue;
        }
        let Some(value) = entry.get("value").and_then(toml_edit::Item::as_str) else { continue };
        let resolved = crate::files::normalize(&root.join(value));
        if let (false, Some(absolute)) = (resolved.starts_with(tree), resolved.to_str()) {
            entry.insert("value", toml_edit::value(absolute));
            changed = true;
        }
    }
    changed.then(|| doc.to_string())
}

/// The files rustup reads a toolchain from, in a directory or any above it.
pub(super) const TOOLCHAIN_FILES: [&str; 2] = ["rust-toolchain", "rust-toolchain.toml"];

/// The toolchain a `rustup override set` gives `cwd`, where rustup would take it: walking up
/// from `cwd`, the first directory with an override or a toolchain file decides, its override
/// first (rustup's order). Overrides are kept by path in `$RUSTUP_HOME/settings.toml`, so none
/// reaches the copy. `None` when `RUSTUP_TOOLCHAIN` is set: it beats any override, and cargo in
/// the copy inherits it.
pub(super) fn rustup_override(cwd: &Path) -> Option<String> {
    if std::env::var_os("RUSTUP_TOOLCHAIN").is_some() {
        return None;
    }
    let settings = toolchain::rustup_settings()?;
    let cwd = cwd.canonicalize().ok()?;
    override_for(&settings, &cwd, |dir| TOOLCHAIN_FILES.iter().any(|f| dir.join(f).is_file()))
}

/// The override rustup's `settings` give `cwd` (canonical), before any toolchain file nearer.
fn override_for(settings: &str, cwd: &Path, has_toolchain_file: impl Fn(&Path) -> bool) -> Option<String> {
    let doc: toml_edit::DocumentMut = settings.parse().ok()?;
    let overrides = doc.get("overrides")?.as_table_like()?;
    for dir in cwd.ancestors() {
        if let Some(toolchain) = dir.to_str().and_then(|d| overrides.get(d)).and_then(|v| v.as_str()) {
            return Some(toolchain.to_owned());
        }
        if has_toolchain_file(dir) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directory_override_applies_below_it_unless_a_toolchain_file_is_nearer() {
        let settings = "version = \"12\"\ndefault_toolchain = \"stable\"\n\n[overrides]\n\"/home/u/ws\" = \"nightly-x86_64-unknown-linux-gnu\"\n\"/home/u/ws/pinned\" = \"1.80\"\n";
        let none = |_: &Path| false;
        let at = |path: &str| override_for(settings, Path::new(path), none);
        assert_eq!(at("/home/u/ws/app/src").as_deref(), Some("nightly-x86_64-unknown-linux-gnu"));
        assert_eq!(at("/home/u/ws/pinned/app").as_deref(), Some("1.80"));
        assert_eq!(at("/home/u/other"), None);
        // A toolchain file nearer than the override wins; one at the override's own level loses.
        let file_in_app = |dir: &Path| dir == Path::new("/home/u/ws/app");
        assert_eq!(override_for(settings, Path::new("/home/u/ws/app/src"), file_in_app), None);
        let file_in_ws = |dir: &Path| dir == Path::new("/home/u/ws");
        assert_eq!(
            override_for(settings, Path::new("/home/u/ws/app"), file_in_ws).as_deref(),
            Some("nightly-x86_64-unknown-linux-gnu")
        );
        assert_eq!(override_for("version = \"12\"\n", Path::new("/home/u/ws"), none), None);
    }

    #[test]
    fn relative_env_paths_outside_the_copied_tree_are_made_absolute() {
        let text = "[env]\nINSIDE = { value = \"ws/data\", relative = true }\nOUTSIDE = { value = \"shared\", relative = true }\nUP = { value = \"ws/../shared\", relative = true }\nPLAIN = \"shared\"\nFIXED = { value = \"shared\", relative = false }\n\n[env.TABLE]\nvalue = \"other\"\nrelative = true\n";
        let anchored = anchor_relative_env(text, Path::new("/home/u"), Path::new("/home/u/ws")).unwrap();
        let doc: toml_edit::DocumentMut = anchored.parse().unwrap();
        let value = |key: &str| doc["env"][key].get("value").and_then(|v| v.as_str()).map(str::to_owned);
        assert_eq!(value("INSIDE").as_deref(), Some("ws/data"));
        assert_eq!(value("OUTSIDE").as_deref(), Some("/home/u/shared"));
        assert_eq!(value("UP").as_deref(), Some("/home/u/shared"));
        assert_eq!(value("FIXED").as_deref(), Some("shared"));
        assert_eq!(value("TABLE").as_deref(), Some("/home/u/other"));
        assert_eq!(doc["env"]["PLAIN"].as_str(), Some("shared"));
        assert_eq!(anchor_relative_env("[env]\nA = \"b\"\n", Path::new("/home/u"), Path::new("/home/u/ws")), None);
    }
}
