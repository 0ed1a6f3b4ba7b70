//! Finding the workspace root and its members the way cargo does (`core/workspace.rs`:
//! `find_root`, `find_members`, `validate`), in-process, on manifests read as plain TOML.
//!
//! Only TOML is parsed, with no profile validation, so that a manifest with a broken profile can
//! still be found and repaired. What `cargo locate-project --workspace` refuses is refused here
//! too, in cargo's words: a `package.workspace` that points nowhere or at a package that is no
//! root, and a package that believes it is in a workspace that does not count it as a member.
//! Like that command (cargo 1.95), a package run from that the root lists (and does not exclude),
//! or the root itself,
//! needs no other member to load: a missing or broken member is then passed over. From a package
//! that is a member only through path dependencies, the whole workspace is loaded and checked as
//! a build does: every member readable, one root, every member agreeing on it, unique names.
//!
//! Each manifest is read and parsed once; the workspace keeps the parses, for whoever reads the
//! manifests after discovery (`reading`, the sandbox) to take instead of parsing them again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use toml_edit::Item;

use super::{Parses, Workspace};
use crate::cargo::cargo_home;
use crate::edit::{self, Parsed};
use crate::error::{Error, Result};
use crate::files;
use crate::files::normalize;

type Document = toml_edit::Document<String>;

/// Finds the workspace of the manifest at `start`.
pub fn discover(start: &Path) -> Result<Workspace> {
    let mut manifests = Manifests::default();
    let Some(root) = find_root(&mut manifests, start)? else {
        // A package on its own: it is its own root, and its only member.
        let members = vec![start.to_owned()];
        let member_names = names(&mut manifests, &members);
        let (parsed, manifests) = manifests.take(start)?;
        return Ok(Workspace {
            manifest: start.to_owned(),
            members,
            member_names,
            parsed,
            manifests,
            unloaded: Vec::new(),
        });
    };
    let doc = manifests.load(&root).map_err(|e| {
        e.detail(format!(
            "`{}` names it as its workspace root (`package.workspace`, or an ancestor's)",
            start.display()
        ))
        .help("point `package.workspace` at the directory of the workspace's root manifest, or remove it")
    })?;
    let Some(config) = doc.get("workspace").map(|ws| RootConfig::new(&root, ws)) else {
        return Err(Error::new(format!("root of a workspace inferred but wasn't a root: {}", root.display()))
            .detail(format!(
                "`package.workspace` in `{}` points at a manifest with no `[workspace]` table",
                start.display()
            ))
            .help("point `package.workspace` at the directory of the workspace's root manifest, or remove it"));
    };
    let listed = start == root
        || (!config.is_excluded(start)
            && config.member_dirs()?.iter().any(|d| normalize(&d.join("Cargo.toml")) == start));
    let (members, unloaded) = find_members(&mut manifests, &root, &config, !listed)?;
    if !listed {
        validate(&mut manifests, &root, &members)?;
        if !members.iter().any(|m| m == start) {
            return Err(not_a_member(&mut manifests, start, &root, &config)?);
        }
    }
    let member_names = names(&mut manifests, &members);
    let (parsed, manifests) = manifests.take(&root)?;
    Ok(Workspace { manifest: root, members, member_names, parsed, manifests, unloaded })
}

/// The path dependencies of the workspace that are not members, transitively: cargo loads
/// their manifests too (and fails on an invalid profile value there), though their profiles
/// never apply.
pub fn outside_path_dependencies(workspace: &Workspace) -> Vec<PathBuf> {
    let mut manifests = Manifests::default();
    outside_path_dependencies_with(workspace, &mut |manifest, visit| match workspace.discovered(manifest) {
        Some(parsed) => visit(parsed.doc()),
        None => {
            if let Ok(doc) = manifests.load(manifest) {
                visit(doc);
            }
        }
    })
}

/// A manifest's parse, handed to `visit` by whoever holds it (nothing where it does not parse).
pub type Load<'a> = dyn FnMut(&Path, &mut dyn FnMut(&Document)) + 'a;

/// [`outside_path_dependencies`], each manifest other than the root parsed by `load`, so that a
/// caller that reads them anyway (`reading`) parses each once.
pub fn outside_path_dependencies_with(workspace: &Workspace, load: &mut Load<'_>) -> Vec<PathBuf> {
    let members: std::collections::HashSet<&PathBuf> = workspace.members.iter().collect();
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut queue: Vec<PathBuf> = workspace.members.clone();
    let root_dir = workspace.root().to_owned();
    let workspace_deps: HashMap<String, PathBuf> = workspace
        .parsed
        .doc()
        .get("workspace")
        .and_then(|ws| ws.get("dependencies")?.as_table_like())
        .into_iter()
        .flat_map(|deps| deps.iter())
        .filter_map(|(name, dep)| Some((name.to_owned(), root_dir.join(dep.get("path")?.as_str()?))))
        .collect();
    while let Some(manifest) = queue.pop() {
        let dir = manifest.parent().expect("a manifest path has a parent");
        // The root was parsed by discovery already.
        let mut deps = Vec::new();
        match manifest == workspace.manifest {
            true => deps = path_dependencies(workspace.parsed.doc(), dir),
            false => load(&manifest, &mut |doc| deps = path_dependencies(doc, dir)),
        }
        for dep in deps {
            let path = match dep {
                PathDep::Path(path) => path,
                PathDep::Workspace(name) => match workspace_deps.get(&name) {
                    Some(path) => path.clone(),
                    None => continue,
                },
            };
            let dep_manifest = normalize(&path.join("Cargo.toml"));
            if !members.contains(&dep_manifest) && dep_manifest.is_file() && seen.insert(dep_manifest.clone()) {
                found.push(dep_manifest.clone());
                queue.push(dep_manifest);
            }
        }
    }
    found.sort();
    found
}

/// The package names of `members`, from the parses discovery made of them.
fn names(manifests: &mut Manifests, members: &[PathBuf]) -> std::collections::BTreeSet<String> {
    let name = |doc: &Document| doc.get("package")?.get("name")?.as_str().map(str::to_owned);
    members.iter().filter_map(|m| manifests.load(m).ok().and_then(name)).collect()
}

/// The manifests read so far, each read and parsed once.
#[derive(Default)]
struct Manifests {
    parsed: HashMap<PathBuf, Parsed>,
}

impl Manifests {
    fn load(&mut self, path: &Path) -> Result<&Document> {
        if !self.parsed.contains_key(path) {
            let parsed = edit::parse(path, &files::read(path)?)?;
            let doc = parsed.doc();
            if doc.contains_key("workspace") && doc.get("package").and_then(|p| p.get("workspace")).is_some() {
                return Err(Error::new(format!(
                    "failed to parse manifest at `{}`: cannot configure both `package.workspace` and `[workspace]`, only one can be specified",
                    path.display()
                )));
            }
            self.parsed.insert(path.to_owned(), parsed);
        }
        Ok(self.parsed[path].doc())
    }

    /// The parse of the root manifest, and those of the others, for the workspace to keep.
    fn take(mut self, path: &Path) -> Result<(Rc<Parsed>, Rc<Parses>)> {
        self.load(path)?;
        let root = self.parsed.remove(path).expect("just loaded");
        Ok((Rc::new(root), Rc::new(self.parsed)))
    }
}

/// What a root manifest's `[workspace]` says about membership.
struct RootConfig {
    dir: PathBuf,
    members: Option<Vec<String>>,
    exclude: Vec<String>,
}

impl RootConfig {
    fn new(root: &Path, workspace: &Item) -> RootConfig {
        let strings = |key: &str| -> Option<Vec<String>> {
            let array = workspace.get(key)?.as_array()?;
            Some(array.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        };
        RootConfig {
            dir: root.parent().expect("a manifest path has a parent").to_owned(),
            members: strings("members"),
            exclude: strings("exclude").unwrap_or_default(),
        }
    }

    /// cargo's `is_excluded`: under an `exclude` entry and under no `members` entry, both taken
    /// as plain path prefixes (a glob in `members` matches nothing here, as in cargo).
    fn is_excluded(&self, manifest: &Path) -> bool {
        let under = |entries: &[String]| entries.iter().any(|e| manifest.starts_with(self.dir.join(e)));
        under(&self.exclude) && !self.members.as_deref().is_some_and(under)
    }

    /// The member directories `members` names, globs expanded as cargo expands them; an entry
    /// that matches nothing stands for itself.
    fn member_dirs(&self) -> Result<Vec<PathBuf>> {
        let mut dirs = Vec::new();
        for entry in self.members.as_deref().unwrap_or_default() {
            let path = self.dir.join(entry);
            let Some(pattern) = path.to_str() else { continue };
            let matched: Vec<PathBuf> = glob::glob(pattern)
                .map_err(|e| Error::new(format!("could not parse pattern `{pattern}`: {e}")))?
                .filter_map(std::result::Result::ok)
                .collect();
            if matched.is_empty() {
                dirs.push(path);
            } else {
                dirs.extend(matched.into_iter().filter(|p| p.is_dir()));
            }
        }
        Ok(dirs)
    }
}

/// cargo's `find_root`: the manifest itself if it has `[workspace]`, where its
/// `package.workspace` points, or the first ancestor manifest that is a root not excluding it
/// or that points to one. The search stops at `$CARGO_HOME` and at `target/package`.
fn find_root(manifests: &mut Manifests, manifest: &Path) -> Result<Option<PathBuf>> {
    if let Some(root) = root_named_by(manifests.load(manifest)?, manifest, manifest) {
        return Ok(Some(root));
    }
    let home = cargo_home();
    let mut previous: Option<&Path> = None;
    for dir in manifest.ancestors().skip(2) {
        if dir.ends_with("target/package") || previous.is_some_and(|p| Some(p) == home.as_deref()) {
            break;
        }
        previous = Some(dir);
        let candidate = dir.join("Cargo.toml");
        if !candidate.exists() {
            continue;
        }
        if let Some(root) = root_named_by(manifests.load(&candidate)?, &candidate, manifest) {
            return Ok(Some(root));
        }
    }
    Ok(None)
}

/// cargo's `get_ws_root`: what the manifest at `path` says the root is, for the package at
/// `looking_from`.
fn root_named_by(doc: &Document, path: &Path, looking_from: &Path) -> Option<PathBuf> {
    if let Some(workspace) = doc.get("workspace") {
        let excluded = RootConfig::new(path, workspace).is_excluded(looking_from);
        return (!excluded).then(|| path.to_owned());
    }
    let pointer = doc.get("package")?.get("workspace")?.as_str()?;
    Some(normalize(&path.parent().expect("a manifest path has a parent").join(pointer).join("Cargo.toml")))
}

/// cargo's `find_members`: the `members` entries, the root, and, from each of them, every path
/// dependency inside the workspace directory (or whose own root is this one) that is not
/// excluded, transitively. `strict`: a manifest that cannot be read is an error, as in cargo;
/// otherwise it is passed over, and returned second (listed members cargo could not load).
fn find_members(
    manifests: &mut Manifests,
    root: &Path,
    config: &RootConfig,
    strict: bool,
) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let mut members = Members::default();
    let mut unloaded = Vec::new();
    for dir in config.member_dirs()? {
        let walked = add_member(manifests, &dir.join("Cargo.toml"), root, config, false, &mut members);
        match (walked, strict) {
            (Err(e), true) => {
                return Err(Error::new(format!(
                    "failed to load manifest for workspace member `{}`\nreferenced by workspace at `{}`",
                    dir.display(),
                    root.display()
                ))
                .detail(e.to_string()));
            }
            (Err(_), false) => unloaded.push(normalize(&dir.join("Cargo.toml"))),
            (Ok(()), _) => {}
        }
    }
    let walked = add_member(manifests, root, root, config, false, &mut members);
    if strict {
        walked?;
    }
    Ok((members.in_order, unloaded))
}

/// Members in the order found, with a set to look them up (a workspace may have thousands).
#[derive(Default)]
struct Members {
    in_order: Vec<PathBuf>,
    seen: std::collections::HashSet<PathBuf>,
}

fn add_member(
    manifests: &mut Manifests,
    manifest: &Path,
    root: &Path,
    config: &RootConfig,
    is_path_dep: bool,
    members: &mut Members,
) -> Result<()> {
    let manifest = normalize(manifest);
    if members.seen.contains(&manifest) {
        return Ok(());
    }
    let dir = manifest.parent().expect("a manifest path has a parent");
    if is_path_dep && !dir.starts_with(&config.dir) && find_root(manifests, &manifest)?.as_deref() != Some(root) {
        // A path dependency outside the workspace is not a member, nor are its dependencies.
        return Ok(());
    }
    if config.is_excluded(&manifest) {
        return Ok(());
    }
    // Loaded first: a member that cannot be read is an error (strict) or no member at all.
    manifests.load(&manifest)?;
    members.seen.insert(manifest.clone());
    members.in_order.push(manifest.clone());
    let doc = manifests.load(&manifest)?;
    if doc.get("package").is_none() {
        return Ok(());
    }
    let deps = path_dependencies(doc, dir);
    let workspace_deps = manifests.load(root)?.get("workspace").and_then(|ws| ws.get("dependencies"));
    let paths: Vec<PathBuf> = deps
        .into_iter()
        .filter_map(|dep| match dep {
            PathDep::Path(path) => Some(path),
            PathDep::Workspace(name) => {
                let path = workspace_deps?.get(&name)?.get("path")?.as_str()?;
                Some(config.dir.join(path))
            }
        })
        .collect();
    for path in paths {
        add_member(manifests, &path.join("Cargo.toml"), root, config, true, members)?;
    }
    Ok(())
}

/// A path dependency: its directory, or the name of a `workspace = true` dependency whose
/// `[workspace.dependencies]` entry may have a path.
enum PathDep {
    Path(PathBuf),
    Workspace(String),
}

/// The path dependencies of a manifest, of every kind and target.
fn path_dependencies(doc: &Document, dir: &Path) -> Vec<PathDep> {
    const KINDS: [&str; 5] =
        ["dependencies", "dev-dependencies", "dev_dependencies", "build-dependencies", "build_dependencies"];
    let mut tables: Vec<&Item> = KINDS.iter().filter_map(|k| doc.get(k)).collect();
    if let Some(targets) = doc.get("target").and_then(Item::as_table_like) {
        for (_, target) in targets.iter() {
            tables.extend(KINDS.iter().filter_map(|k| target.get(k)));
        }
    }
    let mut deps = Vec::new();
    for (name, dep) in tables.iter().filter_map(|t| t.as_table_like()).flat_map(|t| t.iter()) {
        if let Some(path) = dep.get("path").and_then(Item::as_str) {
            deps.push(PathDep::Path(dir.join(path)));
        } else if dep.get("workspace").and_then(Item::as_bool) == Some(true) {
            deps.push(PathDep::Workspace(name.to_owned()));
        }
    }
    deps
}

/// cargo's `validate`, in its order: unique names, one root, every member agreeing on it.
fn validate(manifests: &mut Manifests, root: &Path, members: &[PathBuf]) -> Result<()> {
    let mut names: HashMap<String, &PathBuf> = HashMap::new();
    let mut roots = Vec::new();
    for member in members {
        let doc = manifests.load(member)?;
        if doc.contains_key("workspace") {
            roots.push(member.parent().expect("a manifest path has a parent").to_owned());
        }
        let Some(name) = doc.get("package").and_then(|p| p.get("name")).and_then(Item::as_str) else { continue };
        if let Some(first) = names.insert(name.to_owned(), member) {
            return Err(Error::new(format!(
                "two packages named `{name}` in this workspace:\n- {}\n- {}",
                first.display(),
                member.display()
            )));
        }
    }
    if roots.len() > 1 {
        let list: Vec<String> = roots.iter().map(|r| format!("  {}", r.display())).collect();
        return Err(Error::new(format!("multiple workspace roots found in the same workspace:\n{}", list.join("\n")))
            .help("a member cannot have a `[workspace]` table of its own; remove it, or exclude that package"));
    }
    for member in members {
        match find_root(manifests, member)? {
            Some(found) if found == root => {}
            Some(found) => {
                return Err(Error::new(format!(
                    "package `{}` is a member of the wrong workspace\nexpected: {}\nactual:   {}",
                    member.display(),
                    root.display(),
                    found.display()
                )));
            }
            None => {
                return Err(Error::new(format!(
                    "workspace member `{}` is not hierarchically below the workspace root `{}`",
                    member.display(),
                    root.display()
                )));
            }
        }
    }
    Ok(())
}

/// cargo's `error_if_manifest_not_in_members`, with its advice.
fn not_a_member(manifests: &mut Manifests, start: &Path, root: &Path, config: &RootConfig) -> Result<Error> {
    let start_dir = start.parent().expect("a manifest path has a parent");
    let listed_or_virtual = config.members.is_some() || !manifests.load(root)?.contains_key("package");
    let fix = match (start_dir.strip_prefix(&config.dir), listed_or_virtual) {
        (_, false) => {
            format!(
                "this may be fixable by ensuring that this crate is depended on by the workspace root: {}",
                root.display()
            )
        }
        (Ok(relative), true) => format!(
            "this may be fixable by adding `{}` to the `workspace.members` array of the manifest located at: {}",
            relative.display(),
            root.display()
        ),
        (Err(_), true) => format!(
            "this may be fixable by adding a member to the `workspace.members` array of the manifest located at: {}",
            root.display()
        ),
    };
    Ok(Error::new(format!(
        "current package believes it's in a workspace when it's not:\ncurrent:   {}\nworkspace: {}",
        start.display(),
        root.display()
    ))
    .help(fix)
    .help("alternatively, to keep it out of the workspace, add the package to the `workspace.exclude` array, or add an empty `[workspace]` table to the package's manifest"))
}
