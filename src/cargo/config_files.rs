//! Which config files cargo reads, found the way cargo finds them (`cargo-config.md` R2): a
//! `.cargo/config.toml` (or the legacy `.cargo/config`, which wins) in the current directory and
//! each parent, then `$CARGO_HOME`'s, each followed by the files its `include` names. Each file is
//! read and parsed once here, and the readers (`reading`) take the text and the parse.
//!
//! `include` is read as cargo 1.95 reads it (R2.8): a list of paths or `{ path, optional }`
//! tables. Any other form (a plain string) makes cargo refuse its whole configuration; such an
//! include is not followed, and the file records the refusal for the commands that must fail as
//! cargo does.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use toml_edit::Item;

use crate::cargo::cargo_home;

/// Where a config file is: in a directory cargo walks through, or the user's `$CARGO_HOME`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigScope {
    Directory,
    User,
}

/// A config file's text and its parse, whose spans are offsets into the text.
pub type Parse = (String, Result<Rc<toml_edit::Document<String>>, toml_edit::TomlError>);

/// One config file cargo reads.
pub struct ConfigFile {
    pub scope: ConfigScope,
    /// Absolute.
    pub path: PathBuf,
    /// As discovery read it; `None` where it could not be read (a reader that needs the file
    /// reads it again and reports why).
    pub read: Option<Parse>,
    /// An `include` in a form cargo refuses, which is then not followed.
    pub include_refused: Option<IncludeRefused>,
}

/// An `include` that is not a list: cargo 1.95 fails on it with ``expected a list of strings or
/// a list of tables, but found string at `include` in `<file>`` (R2.8).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IncludeRefused {
    /// The span of the `include` key in the file's text.
    pub span: Option<Range<usize>>,
    /// What cargo found instead of a list, in cargo's words (`string`, `integer`, …).
    pub found: &'static str,
    /// The path a string named, for the suggested list.
    pub path: Option<String>,
}

impl IncludeRefused {
    /// What is wrong, naming the file as shown.
    pub fn message(&self, file: &str) -> String {
        format!("`include` in `{file}` is a {}: cargo wants a list, so every cargo command fails", self.found)
    }

    /// Cargo's own words, with its unbalanced backtick.
    pub fn cargo_says(&self, file: &str) -> String {
        format!(
            "cargo says: expected a list of strings or a list of tables, but found {} at `include` in `{file}",
            self.found
        )
    }

    /// The `help:` line: the form cargo accepts.
    pub fn help(&self) -> String {
        match &self.path {
            Some(path) => format!("write `include = [\"{path}\"]`"),
            None => "write a list: `include = [\"other.toml\"]`, or `include = [{ path = \"other.toml\", optional = true }]`"
                .to_owned(),
        }
    }
}

/// The config files cargo reads, and the ones a legacy file beside them hides (with that file).
pub struct ConfigFiles {
    /// Highest precedence first, the user's last.
    pub read: Vec<ConfigFile>,
    pub shadowed: Vec<(PathBuf, PathBuf)>,
}

/// The config files cargo reads from `cwd`, highest precedence first, each followed by the files
/// it `include`s; and the `config.toml` files a legacy file shadows.
pub fn config_files(cwd: &Path) -> ConfigFiles {
    let home = cargo_home();
    let mut dirs: Vec<(ConfigScope, PathBuf)> =
        cwd.ancestors().map(|d| (ConfigScope::Directory, d.join(".cargo"))).collect();
    if let Some(home) = home {
        dirs.retain(|(_, d)| *d != home);
        dirs.push((ConfigScope::User, home));
    }
    let mut found = Vec::new();
    let mut shadowed = Vec::new();
    for (kind, dir) in dirs {
        let (modern, legacy) = (dir.join("config.toml"), dir.join("config"));
        // Whatever is there, not only regular files: cargo reads a FIFO or a device too (and
        // hangs on it, `cargo-config.md` R7.1), so each reader must see it and refuse it.
        match (legacy.exists(), modern.exists()) {
            (true, true) => {
                shadowed.push((modern, legacy.clone()));
                with_includes(kind, legacy, &mut found);
            }
            (true, false) => with_includes(kind, legacy, &mut found),
            (false, true) => with_includes(kind, modern, &mut found),
            (false, false) => {}
        }
    }
    ConfigFiles { read: found, shadowed }
}

/// `file`, then the files its `include` names, highest precedence first: cargo loads the included
/// files in order (a later one wins over an earlier one), then the including file's own keys
/// over them (`cargo-profiles.md` §2.6). Paths are relative to the including file; one that is
/// missing or already read adds nothing (cargo reports a missing one itself).
fn with_includes(scope: ConfigScope, file: PathBuf, found: &mut Vec<ConfigFile>) {
    let same = |a: &Path, b: &Path| a == b || std::fs::canonicalize(a).ok() == std::fs::canonicalize(b).ok();
    if found.iter().any(|f| same(&f.path, &file)) {
        return;
    }
    let read = crate::files::read(&file).ok().map(|text| {
        let doc = toml_edit::Document::parse(text.clone()).map(Rc::new);
        (text, doc)
    });
    let includes = match read.as_ref().map(|(_, doc)| doc) {
        Some(Ok(doc)) => includes(doc),
        _ => Ok(Vec::new()),
    };
    let (includes, include_refused) = match includes {
        Ok(paths) => (paths, None),
        Err(refused) => (Vec::new(), Some(refused)),
    };
    let dir = crate::files::dir_of(&file).to_owned();
    found.push(ConfigFile { scope, path: file, read, include_refused });
    for include in includes.into_iter().rev() {
        let path = dir.join(include);
        if path.exists() {
            with_includes(scope, path, found);
        }
    }
}

/// Why cargo refuses a config file's `include`, if it does.
pub fn refused_include(doc: &toml_edit::Document<String>) -> Option<IncludeRefused> {
    includes(doc).err()
}

/// The paths a config file's `include` names, in order, or why cargo refuses it.
fn includes(doc: &toml_edit::Document<String>) -> Result<Vec<String>, IncludeRefused> {
    let Some((key, item)) = doc.as_table().get_key_value("include") else { return Ok(Vec::new()) };
    fn path_of(v: &toml_edit::Value) -> Option<&str> {
        v.as_str().or_else(|| v.as_inline_table()?.get("path")?.as_str())
    }
    let paths: Vec<&str> = match item {
        Item::Value(toml_edit::Value::Array(list)) => list.iter().filter_map(path_of).collect(),
        // `[[include]]` tables are a list of tables too.
        Item::ArrayOfTables(tables) => tables.iter().filter_map(|t| t.get("path")?.as_str()).collect(),
        _ => {
            let found = match item.as_value() {
                Some(toml_edit::Value::String(_)) => "string",
                Some(toml_edit::Value::Integer(_)) => "integer",
                Some(toml_edit::Value::Float(_)) => "float",
                Some(toml_edit::Value::Boolean(_)) => "boolean",
                Some(toml_edit::Value::Datetime(_)) => "datetime",
                _ => "table",
            };
            return Err(IncludeRefused { span: key.span(), found, path: item.as_str().map(str::to_owned) });
        }
    };
    Ok(paths.into_iter().map(str::to_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_below(dir: &Path) -> Vec<PathBuf> {
        config_files(dir).read.into_iter().map(|f| f.path).take_while(|p| p.starts_with(dir)).collect()
    }

    #[test]
    fn included_config_files_come_below_the_file_that_includes_them() {
        let dir = crate::scratch_with(
            "configs-include",
            &[
                (
                    ".cargo/config.toml",
                    "include = [\"a.toml\", { path = \"b.toml\", optional = true }, \"gone.toml\"]\n",
                ),
                (".cargo/a.toml", "include = [\"sub/c.toml\"]\n"),
                (".cargo/sub/c.toml", "include = [\"../config.toml\"]\n"),
                (".cargo/b.toml", ""),
            ],
        );
        let cargo = dir.join(".cargo");
        // b wins over a (listed later), a over what it includes; a loop adds nothing.
        assert_eq!(
            read_below(&dir),
            [cargo.join("config.toml"), cargo.join("b.toml"), cargo.join("a.toml"), cargo.join("sub/c.toml")]
        );
    }

    #[test]
    fn an_include_cargo_refuses_is_not_followed_and_is_recorded() {
        let text = "# extra settings\ninclude = \"extra.toml\"\n[build]\njobs = 1\n";
        let dir =
            crate::scratch_with("configs-include-string", &[(".cargo/config.toml", text), (".cargo/extra.toml", "")]);
        assert_eq!(read_below(&dir), [dir.join(".cargo/config.toml")]);
        let refused = config_files(&dir).read.remove(0).include_refused.unwrap();
        assert_eq!((refused.found, refused.path.as_deref()), ("string", Some("extra.toml")));
        assert_eq!(&text[refused.span.clone().unwrap()], "include");
        assert_eq!(refused.help(), "write `include = [\"extra.toml\"]`");
        let dir = crate::scratch_with("configs-include-integer", &[(".cargo/config.toml", "include = 1\n")]);
        assert_eq!(config_files(&dir).read[0].include_refused.as_ref().unwrap().found, "integer");
    }

    #[test]
    fn a_legacy_file_shadows_config_toml_beside_it() {
        let dir = crate::scratch_with("configs-legacy", &[(".cargo/config", ""), (".cargo/config.toml", "")]);
        let found = config_files(&dir);
        assert_eq!(read_below(&dir), [dir.join(".cargo/config")]);
        assert_eq!(found.shadowed[0], (dir.join(".cargo/config.toml"), dir.join(".cargo/config")));
    }
}
