//! `Cargo.lock`, read as plain TOML: which packages the workspace builds, and which of them
//! are local (path) packages.

use std::path::Path;

use toml_edit::DocumentMut;

/// The packages `Cargo.lock` lists beside the root manifest, each with whether it is a path
/// package (no `source`); `None` without a lock file.
pub fn locked_packages(root: &Path) -> Option<std::collections::BTreeMap<String, bool>> {
    let text = crate::files::read_optional(&root.join("Cargo.lock")).ok()??;
    let doc = text.parse::<DocumentMut>().ok()?;
    let packages = doc.get("package")?.as_array_of_tables()?;
    let mut found = std::collections::BTreeMap::new();
    for package in packages.iter() {
        if let Some(name) = package.get("name").and_then(|n| n.as_str()) {
            let local = package.get("source").is_none();
            *found.entry(name.to_owned()).or_insert(local) |= local;
        }
    }
    Some(found)
}
