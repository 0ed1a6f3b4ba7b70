//! `cargo presets status`: which presets are applied in which file, and whether each is intact
//! or has drifted (a value changed since) or is partial (keys missing). Each key's state says
//! which: set by the preset, kept (the user's value stays, as `apply --keep` leaves it), already
//! set (hand-written with the preset's value), changed since, taken by another preset, missing.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::rc::Rc;

use serde::Serialize;

use crate::compose::compose;
use crate::destination::{Destination, Target};
use crate::edit::{self, KeyState, marker::Marker};
use crate::error::Result;
use crate::files;
use crate::ops::{Context, Format};
use crate::preset::Preset;

pub fn run(ctx: &mut Context<'_>, format: Format) -> Result<i32> {
    let workspace = ctx.workspace()?;
    let library = ctx.library(Some(&workspace))?;
    // Values presets wrote into the manifest that a config file or a variable replaces.
    let overridden = ctx.reading(&workspace)?.layers.overridden_presets();
    let mut files_seen: Vec<PathBuf> = Vec::new();
    let mut report = Status { files: Vec::new() };
    for destination in [Destination::Manifest, Destination::Config, Destination::User] {
        let Ok(target) = Target::resolve(&destination, &workspace, &ctx.cwd) else { continue };
        if files_seen.contains(&target.path) {
            continue;
        }
        files_seen.push(target.path.clone());
        let file = ctx.relative(&target.path);
        let shown = file.display().to_string();
        let Some(text) = files::read_optional(&file)? else { continue };
        // Discovery parsed the manifest already: the same text gives the same parse.
        let reparsed;
        let parsed = match workspace.parsed.is_of(&text) {
            true => workspace.parsed.as_ref(),
            false => {
                reparsed = edit::parse(&file, &text)?;
                &reparsed
            }
        };
        let names: BTreeSet<&str> = text.lines().filter_map(Marker::parse).map(|m| m.preset).collect();
        let mut presets = Vec::new();
        for name in names {
            let Ok(preset) = library.get(name) else {
                presets.push(PresetStatus::unknown(name));
                continue;
            };
            // `apply --profile` writes a preset's one profile under another name: it is reported
            // where its comments are, once for each profile it went to.
            let marked = edit::marked_profiles(parsed, name);
            // `apply --package` writes its per-package settings for the packages named.
            let packages = edit::marked_packages(parsed, name);
            let preset = Rc::new(preset.as_written_in(&marked).for_packages(&packages));
            let own: Vec<&str> = preset.settings.iter().map(|s| s.path.table.profile.as_str()).collect();
            let mut applied: Vec<(Option<&str>, Rc<Preset>)> = Vec::new();
            for to in marked.iter().filter(|p| !own.contains(&p.as_str())) {
                let names = [name.to_owned()];
                let moved = compose(&library, &names)
                    .and_then(|c| super::show::for_toolchain(ctx, Some(&workspace), &library, c, &names))
                    .and_then(|(c, _)| c.to_profile(to, &Default::default()));
                if let Some(moved) = moved.ok().and_then(|c| c.presets.into_iter().find(|p| p.name == name)) {
                    applied.push((Some(to.as_str()), Rc::new(moved.for_packages(&packages))));
                }
            }
            if applied.is_empty() || marked.iter().any(|p| own.contains(&p.as_str())) {
                applied.insert(0, (None, preset));
            }
            let named: Vec<String> = packages.into_iter().filter(|s| s != "*").collect();
            for (profile, preset) in applied {
                let overridden = if destination == Destination::Manifest { overridden.as_slice() } else { &[] };
                let place = Written { profile, packages: &named };
                presets.push(preset_report(parsed, &preset, place, overridden));
            }
        }
        if !presets.is_empty() {
            report.files.push(FileStatus { file: shown, presets });
        }
    }
    let text = match format {
        Format::Json => crate::report::json(&report)?,
        Format::Human => report.human(),
    };
    ctx.shell.print(&text)?;
    Ok(0)
}

/// `status`'s report: each file with comments of ours, and where each preset in it stands.
#[derive(Serialize)]
pub struct Status {
    files: Vec<FileStatus>,
}

#[derive(Serialize)]
struct FileStatus {
    file: String,
    presets: Vec<PresetStatus>,
}

/// Where one preset stands in a file, and each of its keys.
#[derive(Serialize)]
struct PresetStatus {
    name: String,
    state: State,
    /// The keys written by the preset (intact or changed since).
    keys: usize,
    changed: Vec<Changed>,
    taken: Vec<Taken>,
    missing: Vec<String>,
    key_states: Vec<KeyStatus>,
    /// Nothing for a preset the library no longer has.
    #[serde(flatten)]
    known: Option<Known>,
}

#[derive(Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
enum State {
    Intact,
    /// A value changed since.
    Drifted,
    /// Keys missing.
    Partial,
    /// Written by a preset that no longer exists here.
    Unknown,
}

/// What `status` knows of a preset the library has.
#[derive(Serialize)]
struct Known {
    /// The profile `apply --profile` wrote it as.
    profile: Option<String>,
    /// The packages `apply --package` wrote its per-package settings for.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    packages: Vec<String>,
    /// Its values a config file or a variable replaces.
    overridden: Vec<OverriddenKey>,
}

#[derive(Serialize)]
struct Changed {
    key: String,
    current: String,
    preset: Option<String>,
}

#[derive(Serialize)]
struct Taken {
    key: String,
    by: String,
}

/// A key, how it stands, its value in the file and the preset's (both as TOML).
#[derive(Serialize)]
struct KeyStatus {
    key: String,
    state: Standing,
    value: Option<String>,
    preset: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
enum Standing {
    /// Set by the preset.
    Set,
    Changed,
    /// Now set by another preset.
    Taken,
    /// The user's value stays, as `apply --keep` leaves it.
    Kept,
    /// Hand-written with the preset's value.
    AlreadySet,
    Missing,
}

#[derive(Serialize)]
struct OverriddenKey {
    key: String,
    value: String,
    by: String,
}

/// Where `apply` wrote a preset, besides its own tables: the profile of `--profile` and the
/// packages of `--package`.
struct Written<'a> {
    profile: Option<&'a str>,
    packages: &'a [String],
}

/// Where one preset stands in a file: its state and each key's. `place` says where `apply`
/// put it; `overridden` the values of the file that others replace.
fn preset_report(
    parsed: &edit::Parsed,
    preset: &Preset,
    place: Written<'_>,
    overridden: &[crate::cargo::effective::Overridden],
) -> PresetStatus {
    let name = preset.name.as_str();
    let mut changed = Vec::new();
    let mut taken = Vec::new();
    let mut missing = Vec::new();
    let mut key_states = Vec::new();
    let mut written = 0;
    for (path, state) in edit::key_states(parsed, preset) {
        let wanted = preset.value_of(path).map(ToString::to_string);
        let key = path.to_string();
        let (state, current) = match state {
            KeyState::Intact => {
                written += 1;
                (Standing::Set, wanted.clone())
            }
            KeyState::Changed(current) => {
                written += 1;
                changed.push(Changed { key: key.clone(), current: current.clone(), preset: wanted.clone() });
                (Standing::Changed, Some(current))
            }
            KeyState::TakenBy(other) => {
                taken.push(Taken { key: key.clone(), by: other });
                (Standing::Taken, None)
            }
            KeyState::Kept(current) => (Standing::Kept, Some(current)),
            KeyState::AlreadySet => (Standing::AlreadySet, wanted.clone()),
            KeyState::Missing => {
                missing.push(key.clone());
                (Standing::Missing, None)
            }
        };
        key_states.push(KeyStatus { key, state, value: current, preset: wanted });
    }
    let overridden = overridden
        .iter()
        .filter(|o| o.written.preset.as_deref() == Some(name) && preset.value_of(&o.path).is_some())
        .map(|o| OverriddenKey { key: o.path.to_string(), value: o.by.value.to_string(), by: o.by.source.clone() })
        .collect();
    let state = if !changed.is_empty() {
        State::Drifted
    } else if missing.is_empty() {
        State::Intact
    } else {
        State::Partial
    };
    PresetStatus {
        name: name.to_owned(),
        state,
        keys: written,
        changed,
        taken,
        missing,
        key_states,
        known: Some(Known { profile: place.profile.map(str::to_owned), packages: place.packages.to_vec(), overridden }),
    }
}

impl PresetStatus {
    /// A preset whose comments are in the file, but which the library no longer has.
    fn unknown(name: &str) -> PresetStatus {
        PresetStatus {
            name: name.to_owned(),
            state: State::Unknown,
            keys: 0,
            changed: Vec::new(),
            taken: Vec::new(),
            missing: Vec::new(),
            key_states: Vec::new(),
            known: None,
        }
    }

    /// The keys the user wrote, as `status` says them: kept with their own value, or already set
    /// to the preset's (`apply` leaves both without a comment of ours).
    fn hand_written(&self) -> Vec<String> {
        let of = |wanted: Standing| self.key_states.iter().filter(move |k| k.state == wanted);
        let mut said: Vec<String> = of(Standing::Kept)
            .map(|k| {
                let (yours, theirs) = (k.value.as_deref().unwrap_or_default(), k.preset.as_deref().unwrap_or("?"));
                format!("`{}` kept: yours is {yours}, the preset's {theirs}", k.key)
            })
            .collect();
        let already: Vec<String> = of(Standing::AlreadySet).map(|k| format!("`{}`", k.key)).collect();
        if !already.is_empty() {
            let verb = if already.len() == 1 { "is" } else { "are" };
            said.push(format!("{} {verb} already yours with the preset's value", already.join(", ")));
        }
        said
    }

    /// `  fast-dev             intact (3 keys)`.
    fn human(&self) -> String {
        let profile = self.known.as_ref().and_then(|k| k.profile.as_deref());
        // Written as another profile with `apply --profile`.
        let mut name = match profile {
            Some(profile) => format!("{} as {profile}", self.name),
            None => self.name.clone(),
        };
        // Its per-package settings written for named packages with `apply --package`.
        if let Some(known) = self.known.as_ref().filter(|k| !k.packages.is_empty()) {
            name.push_str(&format!(" for {}", known.packages.join(", ")));
        }
        let keys = self.keys;
        let line = match self.state {
            State::Intact => {
                let taken = self.taken.iter().map(|t| format!("`{}` now set by `{}`", t.key, t.by));
                let also: String = taken.chain(self.hand_written()).map(|t| format!("; {t}")).collect();
                format!("intact ({keys} {}{also})", if keys == 1 { "key" } else { "keys" })
            }
            State::Unknown => "written by a preset that no longer exists here".to_owned(),
            State::Drifted | State::Partial => {
                let changed = self.changed.iter().map(|c| {
                    format!("`{}` is {}, the preset sets {}", c.key, c.current, c.preset.as_deref().unwrap_or("?"))
                });
                let missing = self.missing.iter().map(|m| format!("`{m}` is missing"));
                let state = if self.state == State::Drifted { "drifted" } else { "partial" };
                format!("{state}: {}", changed.chain(missing).chain(self.hand_written()).collect::<Vec<_>>().join("; "))
            }
        };
        let overridden: Vec<String> = self
            .known
            .iter()
            .flat_map(|k| &k.overridden)
            .map(|o| format!("`{}` is {} here: `{}` overrides it", o.key, o.value, o.by))
            .collect();
        let line = if overridden.is_empty() { line } else { format!("{line}; {}", overridden.join("; ")) };
        format!("  {name:<20} {line}\n")
    }
}

impl Status {
    fn human(&self) -> String {
        if self.files.is_empty() {
            return "no presets applied here\n".to_owned();
        }
        let mut out = String::new();
        for file in &self.files {
            out.push_str(&format!("{}\n", file.file));
            for preset in &file.presets {
                out.push_str(&preset.human());
            }
        }
        out
    }
}
