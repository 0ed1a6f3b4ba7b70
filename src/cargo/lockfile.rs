//! `Cargo.lock`, read as plain TOML: which packages the workspace builds, at which versions, and
//! which of them are local (path) packages.

use std::collections::BTreeMap;
use std::path::Path;

use toml_edit::DocumentMut;

/// One `[[package]]` entry of the lock file.
struct Locked {
    name: String,
    version: Option<String>,
    /// A path package: no `source`.
    local: bool,
}

/// The packages `Cargo.lock` lists beside the root manifest; `None` without a lock file (or one
/// that does not parse).
fn entries(root: &Path) -> Option<Vec<Locked>> {
    let text = crate::files::read_optional(&root.join("Cargo.lock")).ok()??;
    let doc = text.parse::<DocumentMut>().ok()?;
    let packages = doc.get("package")?.as_array_of_tables()?;
    let entries = packages.iter().filter_map(|package| {
        Some(Locked {
            name: package.get("name")?.as_str()?.to_owned(),
            version: package.get("version").and_then(|v| v.as_str()).map(str::to_owned),
            local: package.get("source").is_none(),
        })
    });
    Some(entries.collect())
}

/// The packages `Cargo.lock` lists, each with whether it is a path package.
pub fn locked_packages(root: &Path) -> Option<BTreeMap<String, bool>> {
    let mut found = BTreeMap::new();
    for entry in entries(root)? {
        *found.entry(entry.name).or_insert(entry.local) |= entry.local;
    }
    Some(found)
}

/// The versions `Cargo.lock` lists for each package.
pub fn locked_versions(root: &Path) -> Option<BTreeMap<String, Vec<String>>> {
    let mut versions: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in entries(root)? {
        if let Some(version) = entry.version {
            versions.entry(entry.name).or_default().push(version);
        }
    }
    Some(versions)
}

/// Whether the version of a package spec (`dep@0.2`) matches a locked `version`: a partial
/// version matches every version it is a prefix of, part by part, as cargo matches it.
pub fn version_matches(wanted: &str, version: &str) -> bool {
    let have: Vec<&str> = version.split(['.', '-', '+']).collect();
    wanted.split('.').enumerate().all(|(i, part)| have.get(i) == Some(&part))
}
