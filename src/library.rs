//! The presets there are: built-in ones embedded in the binary, the project's in
//! `<workspace>/.cargo/presets/`, and the user's own in `$CARGO_HOME/presets/`.
//!
//! A nearer preset shadows a farther one with the same name (project over user over built-in),
//! the way a workspace's `.cargo/config.toml` beats `$CARGO_HOME/config.toml`. Files are only
//! read and parsed when a preset is asked for, so a plain `apply` touches just what it uses.

use std::cell::OnceCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::error::{Error, Result};
use crate::preset::{self, Origin, Preset};

/// The built-in presets: `presets/*.toml`, embedded so an installed binary needs no checkout.
/// A test checks that every file in `presets/` is listed here.
pub const BUILTIN: &[(&str, &str)] = &[
    ("ci", include_str!("../presets/ci.toml")),
    ("cranelift-dev", include_str!("../presets/cranelift-dev.toml")),
    ("debuggable-staging", include_str!("../presets/debuggable-staging.toml")),
    ("debugging", include_str!("../presets/debugging.toml")),
    ("deps-opt1-dev", include_str!("../presets/deps-opt1-dev.toml")),
    ("deps-opt1-test", include_str!("../presets/deps-opt1-test.toml")),
    ("deps-optimized-dev", include_str!("../presets/deps-optimized-dev.toml")),
    ("embedded-size", include_str!("../presets/embedded-size.toml")),
    ("embedded-size-nightly", include_str!("../presets/embedded-size-nightly.toml")),
    ("embedded-size-nightly-extras", include_str!("../presets/embedded-size-nightly-extras.toml")),
    ("embedded-size-s", include_str!("../presets/embedded-size-s.toml")),
    ("fast-compile", include_str!("../presets/fast-compile.toml")),
    ("fast-dev", include_str!("../presets/fast-dev.toml")),
    ("fast-link", include_str!("../presets/fast-link.toml")),
    ("fast-runtime", include_str!("../presets/fast-runtime.toml")),
    ("hint-mostly-unused", include_str!("../presets/hint-mostly-unused.toml")),
    ("native-cpu", include_str!("../presets/native-cpu.toml")),
    ("parallel-frontend", include_str!("../presets/parallel-frontend.toml")),
    ("prod", include_str!("../presets/prod.toml")),
    ("profiling", include_str!("../presets/profiling.toml")),
    ("quick-release", include_str!("../presets/quick-release.toml")),
    ("sccache", include_str!("../presets/sccache.toml")),
    ("split-debuginfo", include_str!("../presets/split-debuginfo.toml")),
    ("staging", include_str!("../presets/staging.toml")),
    ("unified-features", include_str!("../presets/unified-features.toml")),
    ("wasm-size", include_str!("../presets/wasm-size.toml")),
];

/// One preset name and where its winning definition lives.
#[derive(Debug)]
pub struct Entry {
    pub name: String,
    pub origin: Origin,
    /// The farther definitions this one hides, nearest first.
    pub shadows: Vec<Origin>,
    parsed: OnceCell<Rc<Preset>>,
}

impl Entry {
    fn new(name: String, origin: Origin) -> Entry {
        Entry { name, origin, shadows: Vec::new(), parsed: OnceCell::new() }
    }

    fn load(&self) -> Result<Rc<Preset>> {
        if let Some(preset) = self.parsed.get() {
            return Ok(Rc::clone(preset));
        }
        let text = match &self.origin {
            Origin::Builtin => {
                let (_, text) =
                    BUILTIN.iter().find(|(name, _)| *name == self.name).expect("built-in entries come from BUILTIN");
                (*text).to_owned()
            }
            Origin::Project(path) | Origin::User(path) => crate::files::read(path)?,
        };
        let preset = Rc::new(preset::parse(&self.name, self.origin.clone(), &text)?);
        Ok(Rc::clone(self.parsed.get_or_init(|| preset)))
    }
}

/// Every preset visible from one workspace, sorted by name.
#[derive(Debug)]
pub struct Library {
    entries: Vec<Entry>,
}

impl Library {
    /// Finds the presets in the user's and the project's folders (either may be absent).
    pub fn discover(project_dir: Option<&Path>, user_dir: Option<&Path>) -> Result<Library> {
        let mut entries: Vec<Entry> =
            BUILTIN.iter().map(|(name, _)| Entry::new((*name).to_owned(), Origin::Builtin)).collect();
        // Farthest first, so that each nearer layer shadows what is already there.
        let layers = [(user_dir, Origin::User as fn(PathBuf) -> Origin), (project_dir, Origin::Project)];
        for (dir, origin) in layers {
            let Some(dir) = dir else { continue };
            for (name, path) in preset_files(dir)? {
                let entry = Entry::new(name, origin(path));
                match entries.iter_mut().find(|e| e.name == entry.name) {
                    Some(existing) => {
                        let hidden = std::mem::replace(existing, entry);
                        existing.shadows = std::iter::once(hidden.origin).chain(hidden.shadows).collect();
                    }
                    None => entries.push(entry),
                }
            }
        }
        entries.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Library { entries })
    }

    /// Adds a preset made in memory (a candidate of `tune`), over any of the same name, so that
    /// it composes like one read from a file.
    pub fn insert(&mut self, preset: Preset) {
        let entry = Entry { parsed: OnceCell::from(Rc::new(preset.clone())), ..Entry::new(preset.name, preset.origin) };
        self.entries.retain(|e| e.name != entry.name);
        self.entries.push(entry);
    }

    /// The entry of `name`, if there is a preset of that name.
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The preset called `name`, parsed and validated.
    pub fn get(&self, name: &str) -> Result<Rc<Preset>> {
        preset::check_name(name).map_err(Error::new)?;
        match self.entries.iter().find(|e| e.name == name) {
            Some(entry) => entry.load(),
            None => Err(self.unknown(name)),
        }
    }

    fn unknown(&self, name: &str) -> Error {
        let mut error = Error::new(format!("no preset named `{name}`"));
        if let Some(similar) = crate::suggest::closest(name, self.entries.iter().map(|e| e.name.as_str()), 3) {
            error = error.help(format!("a preset with a similar name exists: `{similar}`"));
        }
        let names: Vec<&str> = self.entries.iter().map(|e| e.name.as_str()).collect();
        error.help(format!("the presets there are: {}; `cargo presets list` describes them", names.join(", ")))
    }
}

/// The `*.toml` files below `dir`, named by file stem. Two files with one name in one folder tree
/// are an error: which one wins would depend on the order the file system lists them.
fn preset_files(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_owned();
            match e.io_error() {
                Some(io) => Error::io("read preset folder", &path, io),
                None => Error::new(format!("failed to read preset folder `{}`: {e}", path.display())),
            }
        })?;
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        preset::check_name(&name)
            .map_err(|why| Error::new(format!("invalid preset file `{}`: {why}", path.display())))?;
        if let Some((_, first)) = found.iter().find(|(n, _)| *n == name) {
            return Err(Error::new(format!("two presets are named `{name}`"))
                .detail(format!("{}", first.display()))
                .detail(format!("{}", path.display()))
                .help("rename one of them; a preset's name is its file name"));
        }
        found.push((name, path.to_owned()));
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_preset_parses() {
        let library = Library::discover(None, None).unwrap();
        for (name, _) in BUILTIN {
            let preset = library.get(name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!preset.description.is_empty(), "{name} needs a description");
            assert!(!preset.sources.is_empty(), "{name} needs sources");
        }
    }

    #[test]
    fn every_file_in_presets_is_embedded() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("presets");
        let mut on_disk: Vec<String> = preset_files(&dir).unwrap().into_iter().map(|(name, _)| name).collect();
        on_disk.sort();
        let mut embedded: Vec<String> = BUILTIN.iter().map(|(name, _)| (*name).to_owned()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn unknown_name_suggests_the_closest() {
        let library = Library::discover(None, None).unwrap();
        let err = library.get("fast-dve").unwrap_err().to_string();
        assert!(err.contains("no preset named `fast-dve`"), "{err}");
        assert!(err.contains("help: a preset with a similar name exists: `fast-dev`"), "{err}");
    }

    #[test]
    fn path_like_names_are_refused_before_any_lookup() {
        let library = Library::discover(None, None).unwrap();
        let err = library.get("../../etc/passwd").unwrap_err().to_string();
        assert!(err.contains("invalid character `.`"), "{err}");
    }
}
