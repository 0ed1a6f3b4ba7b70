//! What cargo reads for a workspace, read once per run: the root manifest (discovery's parse),
//! the member manifests cargo loads (a broken one included, a missing one listed), the path
//! dependencies outside the workspace, the config files in cargo's order ([`config_files`]) and
//! the environment variables cargo reads for these settings. Every command takes its model of
//! cargo ([`Layers`]) and its machine from here, and `check` lints the same sources, so each file
//! is read and parsed once and no command gathers what cargo reads on its own.
//!
//! A configuration cargo refuses to load (an `include` that is not a list) fails every cargo
//! command; it fails every command that reads it here too ([`configuration`], [`Reading::new`]),
//! except `check`, which names what is wrong ([`Reading::as_found`]).
//!
//! Paths: the files are named as the caller shows paths and read through the caller's paths for
//! I/O ([`Here`]), so that messages name them as the user would type them.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::cargo::config_files::{self, ConfigFiles, ConfigScope};
use crate::cargo::effective::{self, Layer, Layers, UnitRustflags};
use crate::cargo::machine::Machine;
use crate::cargo::workspace::{self, Workspace};
use crate::error::{Error, Location, Result};
use crate::files;

/// Where the run is, and how it names paths.
pub trait Here {
    /// The current directory, absolute: cargo looks for config files from here upwards.
    fn cwd(&self) -> &Path;
    /// A path as messages show it.
    fn shown(&self, path: &Path) -> String;
    /// The same path, for I/O (so that an I/O error names it as shown).
    fn io_path(&self, path: &Path) -> PathBuf;
}

/// What a file is to cargo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceKind {
    /// The workspace root `Cargo.toml`: the only manifest whose profiles cargo uses.
    RootManifest,
    /// Any other `Cargo.toml` of the workspace: its profiles are ignored, but still validated.
    MemberManifest,
    /// A path dependency outside the workspace: cargo loads it and validates its profiles, which
    /// never apply; only their errors are worth a word (they break every build).
    DependencyManifest,
    /// A `.cargo/config.toml` found from the current directory upwards.
    Config,
    /// `$CARGO_HOME/config.toml`: every project on the machine reads it.
    UserConfig,
}

impl SourceKind {
    /// Whether cargo uses the profiles of such a file (not only validates them).
    pub fn profiles_apply(self) -> bool {
        !matches!(self, SourceKind::MemberManifest | SourceKind::DependencyManifest)
    }
}

/// One file cargo reads.
pub struct Source {
    pub kind: SourceKind,
    /// As shown in messages.
    pub path: PathBuf,
    pub text: String,
    /// `text` parsed, once for every rule and for the model of cargo; its spans are offsets into
    /// `text`.
    pub doc: std::result::Result<Rc<toml_edit::Document<String>>, toml_edit::TomlError>,
}

impl Source {
    pub fn new(kind: SourceKind, path: PathBuf, text: String) -> Source {
        let doc = toml_edit::Document::parse(text.clone()).map(Rc::new);
        Source { kind, path, text, doc }
    }

    /// A source whose text was parsed already (the root manifest, by workspace discovery).
    /// `doc` must be the parse of all of `text`, so that its spans are offsets into it.
    pub fn parsed(kind: SourceKind, path: PathBuf, text: String, doc: Rc<toml_edit::Document<String>>) -> Source {
        Source { kind, path, text, doc: Ok(doc) }
    }

    fn is_config(&self) -> bool {
        matches!(self.kind, SourceKind::Config | SourceKind::UserConfig)
    }
}

/// Everything cargo reads for one workspace, from one place.
pub struct Reading {
    /// The root manifest, the members (sorted; broken ones after), the path dependencies
    /// outside the workspace, then the config files, highest precedence first.
    pub sources: Vec<Source>,
    /// Members the root lists that have no `Cargo.toml` (as shown); cargo fails to load them.
    pub missing_members: Vec<PathBuf>,
    /// Config files cargo ignores, each with the legacy file it reads instead (as shown).
    pub shadowed_configs: Vec<(PathBuf, PathBuf)>,
    /// The variables cargo reads for these settings ([`effective::is_build_variable`]).
    pub env: Vec<(String, String)>,
    /// The model of cargo: the root manifest and the config files, lowest precedence first.
    pub layers: Layers,
    /// Where rustc is asked (a toolchain file there picks it).
    root: PathBuf,
}

impl Reading {
    /// Reads what cargo reads for `workspace`, run from `here`, with the process's environment;
    /// fails as cargo does where cargo refuses to load its configuration.
    pub fn new(workspace: &Workspace, here: &dyn Here) -> Result<Reading> {
        Reading::of(workspace, here, configuration(here)?)
    }

    /// [`Reading::new`], a configuration cargo refuses included as it is: for `check`, whose
    /// rules name what is wrong with it.
    pub fn as_found(workspace: &Workspace, here: &dyn Here) -> Result<Reading> {
        Reading::of(workspace, here, config_files::config_files(here.cwd()))
    }

    /// What cargo reads for `workspace`, with the config files `configs` found from `here`
    /// (by [`configuration`], for a command that needed them before it needed the rest).
    pub fn of(workspace: &Workspace, here: &dyn Here, configs: ConfigFiles) -> Result<Reading> {
        let env: Vec<(String, String)> = std::env::vars().filter(|(k, _)| effective::is_build_variable(k)).collect();
        // Discovery parsed the manifests it met; unless one changed since, or a byte-order mark
        // would shift the spans, its parse serves.
        let source = |kind: SourceKind, path: &Path, text: String| {
            let shown = PathBuf::from(here.shown(path));
            match workspace.parse_of(path, &text) {
                Some(doc) => Source::parsed(kind, shown, text, doc),
                None => Source::new(kind, shown, text),
            }
        };
        let read = |kind: SourceKind, path: &Path| -> Result<Source> {
            Ok(source(kind, path, files::read(&here.io_path(path))?))
        };
        // Outside a project (`apply --to user` anywhere) there is no manifest.
        let root_text = files::read_optional(&here.io_path(&workspace.manifest))?.unwrap_or_default();
        let mut sources = vec![source(SourceKind::RootManifest, &workspace.manifest, root_text)];
        // The members cargo loads with this workspace, not every `Cargo.toml` below the root: a
        // fuzz crate that is its own workspace, or an excluded one, is none of our business.
        let mut members: Vec<&PathBuf> = workspace.members.iter().filter(|m| **m != workspace.manifest).collect();
        members.sort();
        // A member cargo cannot load fails every build: one that does not parse is read like
        // the others (its parse error is `check`'s), one that is missing is listed.
        let (broken, missing): (Vec<&PathBuf>, Vec<&PathBuf>) = workspace.unloaded.iter().partition(|m| m.is_file());
        let mut parsed: HashMap<PathBuf, Source> = HashMap::new();
        for manifest in members.iter().chain(&broken) {
            parsed.insert((*manifest).clone(), read(SourceKind::MemberManifest, manifest)?);
        }
        let missing_members = missing.into_iter().map(|m| PathBuf::from(here.shown(m))).collect();
        // The path dependencies are found from the members' parses, and read then.
        let mut failed = None;
        let dependencies = workspace::outside_path_dependencies_with(workspace, &mut |manifest, visit| {
            if !parsed.contains_key(manifest) {
                match read(SourceKind::DependencyManifest, manifest) {
                    Ok(source) => drop(parsed.insert(manifest.to_owned(), source)),
                    Err(error) => {
                        failed.get_or_insert(error);
                        return;
                    }
                }
            }
            if let Ok(doc) = &parsed[manifest].doc {
                visit(doc);
            }
        });
        if let Some(error) = failed {
            return Err(error);
        }
        for manifest in members.iter().chain(&broken) {
            sources.extend(parsed.remove(*manifest));
        }
        // (A broken member some member depends on is listed once, as a member.)
        sources.extend(dependencies.iter().filter_map(|m| parsed.remove(m)));
        for file in configs.read {
            let kind = if file.scope == ConfigScope::User { SourceKind::UserConfig } else { SourceKind::Config };
            let source = match file.read {
                Some((text, doc)) => Source { kind, path: PathBuf::from(here.shown(&file.path)), text, doc },
                // Read again for the reason it cannot be (a FIFO, a device, …).
                None => read(kind, &file.path)?,
            };
            sources.push(source);
        }
        let shadowed_configs = configs
            .shadowed
            .into_iter()
            .map(|(ignored, used)| (PathBuf::from(here.shown(&ignored)), PathBuf::from(here.shown(&used))))
            .collect();
        // Only in CI, or where a file names cargo's `debug` profile (its own from 1.99, reserved
        // before), does a rule depend on cargo's release; only then is it asked (the pin first,
        // else rustc).
        let names_debug = sources.iter().any(|s| workspace::may_name_debug_profile(&s.text));
        let cargo_release = (effective::in_ci(&env) || names_debug).then(|| workspace.cargo_release()).flatten();
        let layers = Layers { files: model_files(&sources), env: env.clone(), cargo_release };
        Ok(Reading { sources, missing_members, shadowed_configs, env, layers, root: workspace.root().to_owned() })
    }

    /// The machine a build without `--target` compiles for: the `build.target` when one is
    /// set, else the host. Asks rustc for its `cfg` values (one process), not its release or
    /// channel.
    pub fn build_machine(&self) -> std::result::Result<Machine, String> {
        let target = match self.layers.build_targets().as_deref() {
            None => None,
            Some([one]) => Some(one.clone()),
            Some(many) => {
                return Err(format!("`build.target` names {} targets, each with its own rustflags", many.len()));
            }
        };
        Machine::target(&self.root, target.as_deref())
    }

    /// The rustflags cargo passes to rustc for a build without `--target`, on this machine, for
    /// the units built for the target and for host units, or why that cannot be told.
    pub fn config_rustflags(&self) -> std::result::Result<UnitRustflags, String> {
        if let Some(conflict) = self.layers.rustflags_conflicts().first() {
            return Err(conflict.to_string());
        }
        Ok(self.layers.unit_rustflags(&self.build_machine()?))
    }
}

/// The layers of `sources`, lowest precedence first, without asking rustc anything: for the
/// linter's own tests and for sources that are not a workspace's.
pub fn model_files(sources: &[Source]) -> Vec<Layer> {
    let file = |s: &Source| {
        Layer::parsed(s.path.display().to_string(), s.text.clone(), s.is_config(), s.doc.as_ref().ok().cloned())
    };
    let root = sources.iter().filter(|s| s.kind == SourceKind::RootManifest);
    root.chain(sources.iter().filter(|s| s.is_config()).rev()).map(file).collect()
}

/// The config files cargo reads from `here`, or, where cargo refuses to load them (an `include`
/// that is not a list), cargo's reason: every cargo command fails on it, and so does every
/// command that reads the configuration, before it reads or writes anything else.
pub fn configuration(here: &dyn Here) -> Result<ConfigFiles> {
    let configs = config_files::config_files(here.cwd());
    match configs.read.iter().find_map(|file| Some((file, file.include_refused.as_ref()?))) {
        Some((file, include)) => {
            let text = file.read.as_ref().map_or("", |(text, _)| text.as_str());
            Err(include_error(Path::new(&here.shown(&file.path)), text, include))
        }
        None => Ok(configs),
    }
}

/// Cargo's refusal of an `include` that is not a list, at the key of `file` (as shown).
fn include_error(file: &Path, text: &str, include: &config_files::IncludeRefused) -> Error {
    let shown = file.display().to_string();
    let error = Error::new(format!("cargo cannot load its configuration: {}", include.message(&shown)))
        .detail(include.cargo_says(&shown));
    let error = match &include.span {
        Some(span) => error.at(Location::of_span(file, text, span.clone())),
        None => error,
    };
    error.help(include.help())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths shown relative to the workspace, as a command run there shows them.
    struct At(PathBuf);

    impl Here for At {
        fn cwd(&self) -> &Path {
            &self.0
        }

        fn shown(&self, path: &Path) -> String {
            path.strip_prefix(&self.0).unwrap_or(path).display().to_string()
        }

        fn io_path(&self, path: &Path) -> PathBuf {
            path.to_owned()
        }
    }

    #[test]
    fn every_file_cargo_reads_once_in_order_with_the_model_over_root_and_configs() {
        let dir = crate::scratch_with(
            "reading-order",
            &[
                ("Cargo.toml", "[workspace]\nmembers = [\"a\", \"gone\", \"bad\"]\n[profile.dev]\nopt-level = 1\n"),
                ("a/Cargo.toml", "[package]\nname = \"a\"\n[dependencies]\nout = { path = \"../../reading-out\" }\n"),
                ("bad/Cargo.toml", "[package\n"),
                (".cargo/config.toml", "include = [\"more.toml\"]\n[profile.dev]\nopt-level = 2\n"),
                (".cargo/more.toml", "[profile.dev]\nopt-level = 3\n"),
            ],
        );
        let out = crate::scratch_with("reading-out", &[("Cargo.toml", "[package]\nname = \"out\"\n")]);
        let workspace = workspace::locate(&dir, None).unwrap();
        let reading = Reading::new(&workspace, &At(dir.clone())).unwrap();
        let kinds: Vec<(SourceKind, String)> =
            reading.sources.iter().map(|s| (s.kind, s.path.display().to_string())).take(6).collect();
        assert_eq!(
            kinds,
            [
                (SourceKind::RootManifest, "Cargo.toml".to_owned()),
                (SourceKind::MemberManifest, "a/Cargo.toml".to_owned()),
                (SourceKind::MemberManifest, "bad/Cargo.toml".to_owned()),
                (SourceKind::DependencyManifest, out.join("Cargo.toml").display().to_string()),
                (SourceKind::Config, ".cargo/config.toml".to_owned()),
                (SourceKind::Config, ".cargo/more.toml".to_owned()),
            ]
        );
        assert!(reading.sources[2].doc.is_err(), "a broken member is read, its parse error kept");
        // Each manifest discovery parsed is parsed once: the reading takes discovery's parse.
        for source in &reading.sources[..4] {
            let Ok(doc) = &source.doc else { continue };
            let discovered = workspace.parse_of(&dir.join(&source.path), &source.text).expect("discovery parsed it");
            assert!(Rc::ptr_eq(doc, &discovered), "{} parsed again", source.path.display());
        }
        assert_eq!(reading.missing_members, [PathBuf::from("gone/Cargo.toml")]);
        // The including file's own keys win over what it includes.
        let opt = reading.layers.effective("dev", crate::cargo::schema::Key::OptLevel, None).unwrap();
        assert_eq!(opt.from.unwrap().source, ".cargo/config.toml:3");
    }

    #[test]
    fn an_include_cargo_refuses_stops_the_commands_that_load_the_configuration() {
        let text = "include = \"more.toml\"\n";
        let dir =
            crate::scratch_with("reading-refused", &[("Cargo.toml", "[workspace]\n"), (".cargo/config.toml", text)]);
        let workspace = workspace::locate(&dir, None).unwrap();
        let Err(error) = Reading::new(&workspace, &At(dir.clone())) else { panic!("cargo refuses it") };
        let error = error.to_string();
        assert!(
            error.starts_with("cargo cannot load its configuration: `include` in `.cargo/config.toml` is a string"),
            "{error}"
        );
        assert!(
            error.contains(".cargo/config.toml:1:1") && error.contains("help: write `include = [\"more.toml\"]`"),
            "{error}"
        );
        // The same refusal for a command that needs only the config files (`apply`), and
        // `check` reads the file as it is, to name what is wrong with it.
        assert_eq!(configuration(&At(dir.clone())).err().map(|e| e.to_string()), Some(error));
        let found = Reading::as_found(&workspace, &At(dir.clone())).unwrap();
        assert_eq!(found.sources[1].path, Path::new(".cargo/config.toml"));
    }
}
