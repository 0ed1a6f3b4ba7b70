//! Composing presets: `apply a b c` layers `a`, `b` and `c` in order, each after the presets it
//! `extends`. Two presets may give a key the same value; different values are a conflict unless
//! the later preset extends the earlier one or lists it in `overrides`. Never a silent last-wins.

use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;

use crate::cargo::effective::{Effective, Layers};
use crate::cargo::machine::Machine;
use crate::error::{Error, Result};
use crate::library::Library;
use crate::preset::{Choice, ConfigSetting, DeclaredConflict, Preset, Setting};

/// How deep `extends` may nest; far beyond any real preset, it keeps a hostile chain from
/// exhausting the stack.
const MAX_EXTENDS_DEPTH: usize = 32;

/// A setting of the composed result and the preset that declared it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composed {
    pub setting: Setting,
    pub preset: String,
}

impl Composed {
    /// The values `preset` relies on, each with its preset.
    pub fn relied_on_by(preset: &Preset) -> impl Iterator<Item = Composed> + '_ {
        preset.relies_on.iter().map(|s| Composed { setting: s.clone(), preset: preset.name.clone() })
    }
}

/// A config setting of the composed result and the preset that declared it. Flags are kept per
/// preset: each preset's own flags are what `remove` takes back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComposedConfig {
    pub setting: ConfigSetting,
    pub preset: String,
}

/// The machine presets are applied for, and the variant asked for with `--variant`.
pub struct For<'a> {
    pub machine: &'a Machine,
    pub variant: Option<&'a str>,
}

/// The presets in the order they apply (each once) and the settings they produce, in the order
/// they were first declared.
#[derive(Debug)]
pub struct Composition {
    pub presets: Vec<Rc<Preset>>,
    pub settings: Vec<Composed>,
    pub config: Vec<ComposedConfig>,
    /// The variants chosen for the machine.
    pub choices: Vec<Choice>,
    /// The values the presets rely on without writing them.
    pub relied: Vec<Composed>,
    /// The `package."*"` settings of presets with `packages = "named"`: written only for the
    /// packages `apply --package` names ([`Composition::for_packages`]), never as they are.
    pub templates: Vec<Composed>,
    /// The cargo release the presets were composed for (unknown: an older cargo), whose rules
    /// the plan follows (`debug` is a built-in profile from 1.99).
    pub cargo: Option<crate::cargo::machine::Version>,
    /// For each preset, the presets whose values it may replace: what it extends (transitively)
    /// and what it names in `overrides`.
    may_override: HashMap<String, BTreeSet<String>>,
}

impl Composition {
    /// Whether `later` may replace a value that `earlier` wrote.
    pub fn may_override(&self, later: &str, earlier: &str) -> bool {
        later == earlier || self.may_override.get(later).is_some_and(|set| set.contains(earlier))
    }

    pub fn preset(&self, name: &str) -> Option<&Preset> {
        self.presets.iter().find(|p| p.name == name).map(Rc::as_ref)
    }

    /// The arguments the presets need on every cargo command that builds with them
    /// (`-Zbuild-std=…`, `--target <host>`), `{host}` replaced by `host()`, asked only when an
    /// argument names it.
    pub fn cargo_args(&self, host: impl FnOnce() -> String) -> Vec<String> {
        let args: Vec<&String> = self.presets.iter().flat_map(|p| &p.cargo_args).collect();
        let host = args.iter().any(|a| a.contains("{host}")).then(host).unwrap_or_default();
        args.into_iter().map(|a| a.replace("{host}", &host)).collect()
    }

    /// The presets of the composition that extend `name` directly.
    pub fn extended_by<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Preset> + 'a {
        self.presets.iter().filter(move |p| p.extends.iter().any(|e| e == name)).map(Rc::as_ref)
    }

    /// The values the presets rely on that `layers` (the files as they will be written) do not
    /// give: a contradiction of goals, such as `embedded-size`'s `opt-level = "z"` under
    /// `fast-runtime`, which relies on `opt-level = 3`. A value written by a preset that may
    /// override the relying one was chosen on purpose and is no contradiction.
    /// `also` are the values presets applied earlier rely on (found in the file by their
    /// markers): a new preset must not break them either.
    pub fn unmet<'a>(&'a self, layers: &Layers, also: &'a [Composed]) -> Vec<Unmet<'a>> {
        let mut unmet = Vec::new();
        for relied in self.relied.iter().chain(also) {
            let path = &relied.setting.path;
            let Ok(found) = layers.effective(&path.table.profile, path.key, None) else { continue };
            // Unset means cargo decides for each unit (as for `strip`): no contradiction.
            if found.value.as_ref().is_none_or(|v| path.key.same_meaning(v, &relied.setting.value)) {
                continue;
            }
            let chosen = found.from.as_ref().and_then(|d| d.preset.as_deref());
            if chosen.is_some_and(|setter| self.may_override(setter, &relied.preset)) {
                continue;
            }
            unmet.push(Unmet { relied, found });
        }
        unmet
    }
}

/// A value a preset relies on, and what the files give instead.
pub struct Unmet<'a> {
    pub relied: &'a Composed,
    pub found: Effective,
}

impl Unmet<'_> {
    /// The text of the `forced` record `apply --force` leaves, which later runs read to accept
    /// this value, and only this one, without the preset's.
    pub fn forced_record(&self) -> String {
        let value = self.found.value.as_ref().map_or("nothing".to_owned(), ToString::to_string);
        let relied = &self.relied.setting;
        format!("`{}` is {value}, not the {} this preset relies on", relied.path, relied.value)
    }

    /// The problem in one line, for a refusal that leads with another (a nightly gate).
    pub fn brief(&self) -> String {
        let relied = &self.relied.setting;
        format!(
            "preset `{}` needs `{} = {}`, but {}: change it, or `--force`",
            self.relied.preset,
            relied.path,
            relied.value,
            self.instead()
        )
    }

    /// What gives the other value: `\`embedded-size\` sets it to "z"`.
    fn instead(&self) -> String {
        let value = self.found.value.as_ref().map_or("nothing".to_owned(), ToString::to_string);
        match &self.found.from {
            Some(d) => {
                let who = d.preset.as_deref().map_or_else(|| d.source.clone(), ToOwned::to_owned);
                let inherited = if d.profile == self.relied.setting.path.table.profile {
                    String::new()
                } else {
                    format!(" in `{}`", d.profile)
                };
                format!("`{who}` sets it to {value}{inherited}")
            }
            None => format!("cargo's default is {value}"),
        }
    }
}

/// The error for contradicted goals. `apply --force` shows it as a warning and goes on.
/// `exists` says whether a profile is in the file already: one the presets create can be edited
/// only after applying.
pub fn unmet_error(unmet: &[Unmet<'_>], exists: &dyn Fn(&str) -> bool) -> Error {
    let first = &unmet[0];
    let relied = &first.relied.setting;
    let claim = |u: &Unmet<'_>| {
        format!(
            "preset `{}` relies on `{} = {}`, but {}",
            u.relied.preset,
            u.relied.setting.path,
            u.relied.setting.value,
            u.instead()
        )
    };
    let mut error = if unmet.len() == 1 {
        Error::new(claim(first)).detail(format!("`{}`: {}", first.relied.preset, relied.why))
    } else {
        let error = Error::new(format!("the presets rely on {} values that the result does not give", unmet.len()));
        unmet.iter().fold(error, |e, u| e.detail(format!("{} ({})", claim(u), u.relied.setting.why)))
    };
    let profile = &relied.path.table.profile;
    let setter = first.found.from.as_ref().and_then(|d| d.preset.clone());
    error = match (setter, &first.found.from) {
        (Some(setter), _) => error.help(format!(
            "apply only one of them, or add `overrides = [\"{}\"]` to preset `{setter}` if its value should win; `--force` applies both anyway",
            first.relied.preset
        )),
        (None, Some(d)) if d.profile == *profile => error.help(format!(
            "change that value in `[profile.{profile}]`, or `--force` to apply anyway (later runs then accept that value)"
        )),
        _ => error.help("`--force` applies anyway (later runs then accept that value)"),
    };
    // An inherited value can be undone in the relying profile itself, once that profile exists.
    let inherited = match &first.found.from {
        Some(d) if d.profile != *profile => format!(", which then no longer inherits `{}`'s", d.profile),
        Some(_) => return error,
        None => String::new(),
    };
    if exists(profile) {
        error.help(format!(
            "or keep both: set `{} = {}` in `[profile.{profile}]`{inherited}",
            relied.path.key, relied.value
        ))
    } else {
        error.help(format!(
            "or keep both: once applied, set `{} = {}` in `[profile.{profile}]` (it does not exist until the presets create it){inherited}",
            relied.path.key, relied.value
        ))
    }
}

/// Composes presets as they are written: variants are not chosen (`show`, `remove`). Presets
/// that declare they cannot go together are refused first, with the declared reason.
pub fn compose(library: &Library, names: &[String]) -> Result<Composition> {
    if let Some(error) = declared_conflict(library, names) {
        return Err(error);
    }
    compose_for(library, names, None)
}

/// The first conflict a preset declares (`conflicts-with`) with another among `names` and what
/// they extend: found before composing, so the refusal gives the reason the presets' authors
/// wrote rather than the first key that happens to clash. Either side may declare it. A preset
/// that cannot be loaded is left to composing, which names it.
pub fn declared_conflict(library: &Library, names: &[String]) -> Option<Error> {
    let asked = with_parents(library, names);
    first_declared(&asked, &asked)
        .map(|(declarer, declared, other)| declared_error(declarer, declared, other, ["", ""]))
}

/// The same for presets applied earlier to `file` (`applied`, found by their markers): a preset
/// asked for now must not be one they declare a conflict with, nor declare one with them.
pub fn declared_conflict_in_file(library: &Library, names: &[String], applied: &[String], file: &str) -> Option<Error> {
    let (asked, earlier) = (with_parents(library, names), with_parents(library, applied));
    let (declarer, declared, other) = first_declared(&asked, &earlier).or_else(|| first_declared(&earlier, &asked))?;
    let there = format!(" (already applied to `{file}`)");
    let places = match earlier.iter().any(|(p, _)| p.name == declarer.0.name) {
        true => [there.as_str(), ""],
        false => ["", there.as_str()],
    };
    Some(declared_error(declarer, declared, other, places))
}

/// A preset and the name asked for (or found in a file) that brings it in through `extends`.
type Brought = (Rc<Preset>, String);

fn with_parents(library: &Library, names: &[String]) -> Vec<Brought> {
    // Breadth first, so that a preset asked for (or applied) itself is named as such, not as the
    // parent of another.
    let mut queue: std::collections::VecDeque<(String, String)> =
        names.iter().map(|n| (n.clone(), n.clone())).collect();
    let mut found: Vec<Brought> = Vec::new();
    while let Some((next, by)) = queue.pop_front() {
        if found.iter().any(|(p, _)| p.name == next) {
            continue;
        }
        let Ok(preset) = library.get(&next) else { continue };
        queue.extend(preset.extends.iter().map(|parent| (parent.clone(), by.clone())));
        found.push((preset, by));
    }
    found
}

/// The first conflict a preset of `ours` declares with one of `theirs`.
fn first_declared<'a>(
    ours: &'a [Brought],
    theirs: &'a [Brought],
) -> Option<(&'a Brought, &'a DeclaredConflict, &'a Brought)> {
    ours.iter().find_map(|declarer| {
        declarer.0.conflicts_with.iter().find_map(|declared| {
            theirs.iter().find(|(p, _)| p.name == declared.preset).map(|other| (declarer, declared, other))
        })
    })
}

/// The refusal, giving the declared reason; `places` follow the names of the declaring preset
/// and the other one (where a file holds one of them).
fn declared_error(declarer: &Brought, declared: &DeclaredConflict, other: &Brought, places: [&str; 2]) -> Error {
    let brought = |(preset, by): &Brought, place: &str| match preset.name == *by {
        true => format!("`{}`{place}", preset.name),
        false => format!("`{}`, which `{by}` extends{place}", preset.name),
    };
    Error::new(format!("preset {} cannot go with {}", brought(declarer, places[0]), brought(other, places[1])))
        .detail(format!("`{}`: {}", declarer.0.name, declared.why))
        .help("use only one of them; `apply --force` applies both anyway where their settings can be composed")
}

/// Composes presets as `apply` does when rustc cannot say its release: each preset's fallback,
/// what every cargo accepts.
#[cfg(test)]
pub fn compose_unknown_toolchain(library: &Library, names: &[String]) -> Result<Composition> {
    let machine = Machine::of_release(None, None);
    compose_for(library, names, Some(&For { machine: &machine, variant: None }))
}

/// Composes presets for a machine: each preset's variant chosen, its conditions checked.
pub fn compose_for(library: &Library, names: &[String], target: Option<&For<'_>>) -> Result<Composition> {
    let mut order = Order {
        library,
        target,
        presets: Vec::new(),
        choices: Vec::new(),
        may_override: HashMap::new(),
        stack: Vec::new(),
    };
    for name in names {
        order.visit(name)?;
    }
    if let Some(For { variant: Some(variant), .. }) = target
        && !order.choices.iter().any(|c| c.variant == *variant)
    {
        let mut error = Error::new(format!("none of the presets has a variant named `{variant}`"));
        let written: Vec<_> = order.presets.iter().filter_map(|p| library.get(&p.name).ok()).collect();
        let all = written.iter().flat_map(|p| p.variants.iter().map(|v| v.name.as_str()));
        if let Some(near) = crate::suggest::closest(variant, all, 3) {
            error = error.help(format!("did you mean `{near}`?"));
        }
        for preset in &written {
            let names: Vec<&str> = preset.variants.iter().map(|v| v.name.as_str()).collect();
            if !names.is_empty() {
                error = error.help(format!("`{}` has: {}", preset.name, names.join(", ")));
            }
        }
        return Err(error);
    }
    let Order { presets, choices, may_override, .. } = order;

    let mut settings: Vec<Composed> = Vec::new();
    let mut conflicts = Vec::new();
    for preset in &presets {
        for setting in &preset.settings {
            match settings.iter_mut().find(|c| c.setting.path == setting.path) {
                None => settings.push(Composed { setting: setting.clone(), preset: preset.name.clone() }),
                Some(earlier) if setting.path.key.same_meaning(&earlier.setting.value, &setting.value) => {}
                Some(earlier) => {
                    let allowed = may_override.get(&preset.name).is_some_and(|set| set.contains(&earlier.preset));
                    if allowed {
                        *earlier = Composed { setting: setting.clone(), preset: preset.name.clone() };
                    } else {
                        conflicts.push(Conflict {
                            path: setting.path.to_string(),
                            earlier: earlier.preset.clone(),
                            earlier_value: earlier.setting.value.to_string(),
                            later: preset.name.clone(),
                            value: setting.value.to_string(),
                        });
                    }
                }
            }
        }
    }
    let config = compose_config(&presets, &may_override, &mut conflicts)?;
    if !conflicts.is_empty() {
        return Err(conflict_error(&conflicts));
    }
    let relied = presets.iter().flat_map(|p| Composed::relied_on_by(p)).collect();
    let cargo = target.and_then(|t| t.machine.release);
    let template = |c: &Composed| {
        c.setting.path.table.scope.is_every_package() && presets.iter().any(|p| p.name == c.preset && p.named_packages)
    };
    let (templates, settings) = settings.into_iter().partition(template);
    Ok(Composition { presets, settings, config, choices, relied, templates, cargo, may_override })
}

/// The config settings: a scalar set twice differently is a conflict, as for profile keys;
/// flags from several presets add up, unless two set the same option differently.
fn compose_config(
    presets: &[Rc<Preset>],
    may_override: &HashMap<String, BTreeSet<String>>,
    conflicts: &mut Vec<Conflict>,
) -> Result<Vec<ComposedConfig>> {
    let allowed = |later: &str, earlier: &str| may_override.get(later).is_some_and(|set| set.contains(earlier));
    let mut config: Vec<ComposedConfig> = Vec::new();
    for preset in presets {
        for setting in &preset.config {
            let later = ComposedConfig { setting: setting.clone(), preset: preset.name.clone() };
            if setting.path.is_rustflags() {
                let ours = crate::cargo::config::units(flags_of(&setting.value)).map_err(Error::new)?;
                for earlier in config.iter().filter(|c| c.setting.path == setting.path) {
                    let theirs = crate::cargo::config::units(flags_of(&earlier.setting.value)).map_err(Error::new)?;
                    for flag in &ours {
                        let Some(other) = theirs.iter().find(|t| t.same_option(flag) && t.value != flag.value) else {
                            continue;
                        };
                        if !allowed(&preset.name, &earlier.preset) {
                            conflicts.push(Conflict {
                                path: setting.path.to_string(),
                                earlier: earlier.preset.clone(),
                                earlier_value: format!("`{other}`"),
                                later: preset.name.clone(),
                                value: format!("`{flag}`"),
                            });
                        }
                    }
                }
                config.push(later);
                continue;
            }
            match config.iter_mut().find(|c| c.setting.path == setting.path) {
                None => config.push(later),
                Some(earlier) if earlier.setting.value == setting.value => {}
                Some(earlier) if allowed(&preset.name, &earlier.preset) => *earlier = later,
                Some(earlier) => conflicts.push(Conflict {
                    path: setting.path.to_string(),
                    earlier: earlier.preset.clone(),
                    earlier_value: earlier.setting.value.to_string(),
                    later: preset.name.clone(),
                    value: setting.value.to_string(),
                }),
            }
        }
    }
    Ok(config)
}

/// The flags of a `rustflags` value (presets write arrays).
pub fn flags_of(value: &crate::cargo::schema::Value) -> &[String] {
    match value {
        crate::cargo::schema::Value::Array(flags) => flags,
        _ => &[],
    }
}

struct Conflict {
    path: String,
    earlier: String,
    earlier_value: String,
    later: String,
    value: String,
}

fn conflict_error(conflicts: &[Conflict]) -> Error {
    let first = &conflicts[0];
    let message = if conflicts.len() == 1 {
        format!("presets `{}` and `{}` set `{}` differently", first.earlier, first.later, first.path)
    } else {
        format!("the presets disagree on {} settings", conflicts.len())
    };
    let mut error = Error::new(message);
    for c in conflicts {
        error = error
            .detail(format!("`{}`: `{}` sets {}, `{}` sets {}", c.path, c.earlier, c.earlier_value, c.later, c.value));
    }
    error.help(format!(
        "apply only one of them, or add `overrides = [\"{}\"]` to preset `{}` so that its values win",
        first.earlier, first.later
    ))
}

/// Depth-first expansion of `extends`, each preset once, parents first.
struct Order<'a> {
    library: &'a Library,
    target: Option<&'a For<'a>>,
    presets: Vec<Rc<Preset>>,
    choices: Vec<Choice>,
    may_override: HashMap<String, BTreeSet<String>>,
    stack: Vec<String>,
}

impl Order<'_> {
    fn visit(&mut self, name: &str) -> Result<()> {
        if let Some(start) = self.stack.iter().position(|n| n == name) {
            let cycle: Vec<&str> = self.stack[start..].iter().map(String::as_str).chain([name]).collect();
            return Err(Error::new(format!("presets extend each other in a cycle: {}", cycle.join(" -> ")))
                .help("remove one of these `extends` entries"));
        }
        if self.presets.iter().any(|p| p.name == name) {
            return Ok(());
        }
        if self.stack.len() >= MAX_EXTENDS_DEPTH {
            return Err(Error::new(format!(
                "`extends` nests more than {MAX_EXTENDS_DEPTH} presets deep, at `{name}` (from `{}`)",
                self.stack[0]
            )));
        }
        let preset = self.library.get(name).map_err(|e| match self.stack.last() {
            Some(parent) => {
                Error::new(format!("preset `{parent}` extends `{name}`, which cannot be loaded")).detail(e.to_string())
            }
            None => e,
        })?;
        let preset = match self.target {
            Some(target) => {
                let chosen = target.variant.filter(|v| preset.variants.iter().any(|p| p.name == *v));
                let (resolved, choice) = preset.for_machine(target.machine, chosen)?;
                self.choices.extend(choice);
                Rc::new(resolved)
            }
            _ => preset,
        };
        self.stack.push(name.to_owned());
        let mut replaceable: BTreeSet<String> = preset.overrides.iter().cloned().collect();
        for parent in &preset.extends {
            self.visit(parent)?;
            replaceable.insert(parent.clone());
            replaceable.extend(self.may_override.get(parent).into_iter().flatten().cloned());
        }
        self.stack.pop();
        self.may_override.insert(name.to_owned(), replaceable);
        self.presets.push(preset);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// A library of project presets written to a fresh folder.
    fn library(files: &[(&str, &str)]) -> Library {
        let dir = crate::scratch(&format!("compose-{}", files[0].0));
        for (name, text) in files {
            fs::write(dir.join(format!("{name}.toml")), text).unwrap();
        }
        Library::discover(Some(&dir), None).unwrap()
    }

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    const A: &str = "summary = \"a\"\n[profile.dev]\nopt-level = { value = 1, why = \"a\" }\n";

    /// `embedded-size-nightly` needs std rebuilt for the host on every build; the host is asked
    /// only of a composition whose arguments name it.
    #[test]
    fn cargo_args_name_the_host_only_where_a_preset_needs_it() {
        let lib = Library::discover(None, None).unwrap();
        let size = compose(&lib, &names(&["embedded-size-nightly"])).unwrap();
        let args = size.cargo_args(|| "x86_64-unknown-linux-gnu".to_owned());
        let expected = ["-Zbuild-std=std,panic_abort", "-Zbuild-std-features=", "--target", "x86_64-unknown-linux-gnu"];
        assert_eq!(args, expected);
        let dev = compose(&lib, &names(&["fast-dev"])).unwrap();
        assert!(dev.cargo_args(|| unreachable!("no argument names the host")).is_empty());
    }

    #[test]
    fn extends_applies_parents_first_and_once() {
        let lib = library(&[
            ("xa", A),
            ("xb", "summary = \"b\"\nextends = [\"xa\"]\n[profile.dev]\nopt-level = { value = 2, why = \"b\" }\n"),
            ("xc", "summary = \"c\"\nextends = [\"xa\"]\n"),
        ]);
        let composed = compose(&lib, &names(&["xb", "xc"])).unwrap();
        let order: Vec<&str> = composed.presets.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(order, ["xa", "xb", "xc"]);
        // xb extends xa, so its value wins without a conflict.
        assert_eq!(composed.settings.len(), 1);
        assert_eq!(composed.settings[0].preset, "xb");
    }

    #[test]
    fn different_values_without_override_are_a_conflict_naming_both() {
        let lib =
            library(&[("ya", A), ("yb", "summary = \"b\"\n[profile.dev]\nopt-level = { value = 3, why = \"b\" }\n")]);
        let err = compose(&lib, &names(&["ya", "yb"])).unwrap_err().to_string();
        assert!(err.contains("presets `ya` and `yb` set `profile.dev.opt-level` differently"), "{err}");
        assert!(err.contains("`ya` sets 1, `yb` sets 3"), "{err}");
        assert!(err.contains("overrides = [\"ya\"]"), "{err}");
    }

    #[test]
    fn declared_override_lets_the_later_preset_win() {
        let lib = library(&[
            ("za", A),
            ("zb", "summary = \"b\"\noverrides = [\"za\"]\n[profile.dev]\nopt-level = { value = 3, why = \"b\" }\n"),
        ]);
        let composed = compose(&lib, &names(&["za", "zb"])).unwrap();
        assert_eq!(composed.settings[0].setting.value.to_string(), "3");
        assert!(composed.may_override("zb", "za"));
        assert!(!composed.may_override("za", "zb"));
    }

    #[test]
    fn same_value_from_two_presets_is_fine() {
        let lib = library(&[("wa", A), ("wb", A)]);
        assert_eq!(compose(&lib, &names(&["wa", "wb"])).unwrap().settings.len(), 1);
    }

    /// The file as `apply` would leave it: `opt-level = "z"` written by preset `small`.
    fn release_z_by(preset: &str) -> Layers {
        let text = format!("[profile.release]\n# cargo-presets({preset}): small\nopt-level = \"z\"\n");
        Layers {
            files: vec![crate::cargo::effective::Layer::manifest("Cargo.toml".into(), text)],
            env: Vec::new(),
            cargo_release: None,
        }
    }

    const FAST: &str = "summary = \"fast\"\n[relies-on.profile.release]\nopt-level = { value = 3, why = \"speed\" }\n";

    #[test]
    fn a_relied_on_value_set_otherwise_is_unmet_unless_the_setter_overrides_it() {
        let lib = library(&[("rfast", FAST), ("rsmall", "summary = \"small\"\n")]);
        let composed = compose(&lib, &names(&["rsmall", "rfast"])).unwrap();
        let unmet = composed.unmet(&release_z_by("rsmall"), &[]);
        assert_eq!(unmet.len(), 1);
        let err = unmet_error(&unmet, &|_| true).to_string();
        assert!(
            err.contains("preset `rfast` relies on `profile.release.opt-level = 3`, but `rsmall` sets it to \"z\""),
            "{err}"
        );

        let lib = library(&[("sfast", FAST), ("ssmall", "summary = \"small\"\noverrides = [\"sfast\"]\n")]);
        let composed = compose(&lib, &names(&["sfast", "ssmall"])).unwrap();
        assert!(composed.unmet(&release_z_by("ssmall"), &[]).is_empty(), "`overrides` makes its value a decision");
        // Cargo's default (opt-level 3 for release) meets it.
        let empty = Layers { files: Vec::new(), env: Vec::new(), cargo_release: None };
        assert!(composed.unmet(&empty, &[]).is_empty());
    }

    /// A library (in a folder of its own per `p`) where `<p>d` declares a conflict with `<p>z`,
    /// which `<p>zz` extends; `<p>x` conflicts with nothing.
    fn declaring(p: &str) -> Library {
        let declares =
            format!("summary = \"d\"\nconflicts-with = [{{ preset = \"{p}z\", why = \"speed against size\" }}]\n");
        let zz = format!("summary = \"zz\"\nextends = [\"{p}z\"]\n");
        let names = ["d", "z", "zz", "x"].map(|n| format!("{p}{n}"));
        library(&[
            (&names[0], &declares),
            (&names[1], "summary = \"z\"\n"),
            (&names[2], &zz),
            (&names[3], "summary = \"x\"\n"),
        ])
    }

    #[test]
    fn a_declared_conflict_is_refused_with_its_reason_whichever_side_declares_it_and_through_extends() {
        let lib = declaring("d");
        for pair in [["dd", "dz"], ["dz", "dd"]] {
            let err = compose(&lib, &names(&pair)).unwrap_err().to_string();
            assert!(err.starts_with("preset `dd` cannot go with `dz`\n  `dd`: speed against size\nhelp: "), "{err}");
        }
        let err = compose(&lib, &names(&["dzz", "dd"])).unwrap_err().to_string();
        assert!(err.starts_with("preset `dd` cannot go with `dz`, which `dzz` extends\n"), "{err}");
        assert!(compose(&lib, &names(&["dd", "dx"])).is_ok());
        // Composing for a machine is the second step of `apply`, which decides on `--force` first.
        assert!(compose_for(&lib, &names(&["dd", "dz"]), None).is_ok());
    }

    #[test]
    fn a_declared_conflict_with_a_preset_in_the_file_says_which_side_is_there() {
        let lib = declaring("f");
        let err = declared_conflict_in_file(&lib, &names(&["fd"]), &names(&["fzz", "fz"]), "Cargo.toml").unwrap();
        assert!(
            err.to_string()
                .starts_with("preset `fd` cannot go with `fz` (already applied to `Cargo.toml`)\n  `fd`: speed")
        );
        let err = declared_conflict_in_file(&lib, &names(&["fz"]), &names(&["fd"]), "x.toml").unwrap();
        assert!(
            err.to_string().starts_with("preset `fd` (already applied to `x.toml`) cannot go with `fz`\n"),
            "{err}"
        );
        assert!(declared_conflict_in_file(&lib, &names(&["fz"]), &names(&["fzz"]), "x.toml").is_none());
    }

    #[test]
    fn cycle_is_reported_with_its_path() {
        let lib = library(&[
            ("ca", "summary = \"a\"\nextends = [\"cb\"]\n"),
            ("cb", "summary = \"b\"\nextends = [\"cc\"]\n"),
            ("cc", "summary = \"c\"\nextends = [\"ca\"]\n"),
        ]);
        let err = compose(&lib, &names(&["ca"])).unwrap_err().to_string();
        assert!(err.contains("cycle: ca -> cb -> cc -> ca"), "{err}");
    }

    #[test]
    fn missing_parent_names_the_child() {
        let lib = library(&[("ma", "summary = \"a\"\nextends = [\"nope\"]\n")]);
        let err = compose(&lib, &names(&["ma"])).unwrap_err().to_string();
        assert!(err.contains("preset `ma` extends `nope`, which cannot be loaded"), "{err}");
    }
}
