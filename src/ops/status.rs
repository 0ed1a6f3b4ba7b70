//! `cargo presets status`: which presets are applied in which file, and whether each is intact
//! or has drifted (a value changed since) or is partial (keys missing). Each key's state says
//! which: set by the preset, kept (the user's value stays, as `apply --keep` leaves it), already
//! set (hand-written with the preset's value), changed since, taken by another preset, missing.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::rc::Rc;

use serde_json::json;

use crate::cargo::workspace::{Destination, Target};
use crate::cli::{Format, StatusArgs};
use crate::compose::compose;
use crate::edit::{self, KeyState, marker::Marker};
use crate::error::Result;
use crate::files;
use crate::ops::Context;
use crate::preset::Preset;

pub fn run(ctx: &mut Context<'_>, args: &StatusArgs) -> Result<i32> {
    let workspace = ctx.workspace()?;
    let library = ctx.library(Some(&workspace))?;
    // Values presets wrote into the manifest that a config file or a variable replaces.
    let overridden = super::explain::layers(ctx, &workspace)?.overridden_presets();
    let mut files_seen: Vec<PathBuf> = Vec::new();
    let mut report = Vec::new();
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
                presets.push(
                    json!({ "name": name, "state": "unknown", "keys": 0, "changed": [], "taken": [], "missing": [], "key_states": [] }),
                );
                continue;
            };
            // `apply --profile` writes a preset's one profile under another name: it is reported
            // where its comments are, once for each profile it went to.
            let marked = edit::marked_profiles(parsed, name);
            let preset = Rc::new(preset.as_written_in(&marked));
            let own: Vec<&str> = preset.settings.iter().map(|s| s.path.table.profile.as_str()).collect();
            let mut applied: Vec<(Option<&str>, Rc<Preset>)> = Vec::new();
            for to in marked.iter().filter(|p| !own.contains(&p.as_str())) {
                let names = [name.to_owned()];
                let moved = compose(&library, &names)
                    .and_then(|c| super::show::for_toolchain(ctx, Some(&workspace), &library, c, &names))
                    .and_then(|(c, _)| c.to_profile(to, &Default::default()));
                if let Some(moved) = moved.ok().and_then(|c| c.presets.into_iter().find(|p| p.name == name)) {
                    applied.push((Some(to.as_str()), moved));
                }
            }
            if applied.is_empty() || marked.iter().any(|p| own.contains(&p.as_str())) {
                applied.insert(0, (None, preset));
            }
            for (profile, preset) in applied {
                let overridden = if destination == Destination::Manifest { overridden.as_slice() } else { &[] };
                presets.push(preset_report(parsed, &preset, profile, overridden));
            }
        }
        if !presets.is_empty() {
            report.push(json!({ "file": shown, "presets": presets }));
        }
    }
    let text = match args.format {
        Format::Json => format!("{:#}\n", json!({ "files": report })),
        Format::Human => human(&report),
    };
    ctx.shell.print(&text)?;
    Ok(0)
}

/// Where one preset stands in a file: its state and each key's. `profile` is the profile
/// `apply --profile` wrote it as; `overridden` the values of the file that others replace.
fn preset_report(
    parsed: &edit::Parsed,
    preset: &Preset,
    profile: Option<&str>,
    overridden: &[crate::cargo::effective::Overridden],
) -> serde_json::Value {
    let name = preset.name.as_str();
    let mut changed = Vec::new();
    let mut taken = Vec::new();
    let mut missing = Vec::new();
    let mut key_states = Vec::new();
    let mut written = 0;
    for (path, state) in edit::key_states(parsed, preset) {
        let wanted = preset.value_of(path).map(ToString::to_string);
        let (name, current) = match state {
            KeyState::Intact => {
                written += 1;
                ("set", wanted.clone())
            }
            KeyState::Changed(current) => {
                written += 1;
                changed.push(json!({ "key": path.to_string(), "current": current, "preset": wanted }));
                ("changed", Some(current))
            }
            KeyState::TakenBy(other) => {
                taken.push(json!({ "key": path.to_string(), "by": other }));
                ("taken", None)
            }
            KeyState::Kept(current) => ("kept", Some(current)),
            KeyState::AlreadySet => ("already-set", wanted.clone()),
            KeyState::Missing => {
                missing.push(path.to_string());
                ("missing", None)
            }
        };
        key_states.push(json!({ "key": path.to_string(), "state": name, "value": current, "preset": wanted }));
    }
    let overridden: Vec<_> = overridden
        .iter()
        .filter(|o| o.written.preset.as_deref() == Some(name) && preset.value_of(&o.path).is_some())
        .map(|o| json!({ "key": o.path.to_string(), "value": o.by.value.to_string(), "by": o.by.source }))
        .collect();
    let state = if !changed.is_empty() {
        "drifted"
    } else if missing.is_empty() {
        "intact"
    } else {
        "partial"
    };
    json!({
        "name": name, "profile": profile, "state": state, "keys": written, "changed": changed, "taken": taken,
        "missing": missing, "overridden": overridden, "key_states": key_states,
    })
}

/// The keys the user wrote, as `status` says them: kept with their own value, or already set to
/// the preset's (`apply` leaves both without a comment of ours).
fn hand_written(preset: &serde_json::Value) -> Vec<String> {
    let states = preset["key_states"].as_array().into_iter().flatten();
    let of = |wanted: &'static str| {
        states.clone().filter(move |k| k["state"] == wanted).map(|k| {
            (
                k["key"].as_str().unwrap_or_default(),
                k["value"].as_str().unwrap_or_default(),
                k["preset"].as_str().unwrap_or("?"),
            )
        })
    };
    let mut said: Vec<String> = of("kept")
        .map(|(key, yours, theirs)| format!("`{key}` kept: yours is {yours}, the preset's {theirs}"))
        .collect();
    let already: Vec<String> = of("already-set").map(|(key, _, _)| format!("`{key}`")).collect();
    if !already.is_empty() {
        let verb = if already.len() == 1 { "is" } else { "are" };
        said.push(format!("{} {verb} already yours with the preset's value", already.join(", ")));
    }
    said
}

fn human(report: &[serde_json::Value]) -> String {
    if report.is_empty() {
        return "no presets applied here\n".to_owned();
    }
    let mut out = String::new();
    for file in report {
        out.push_str(&format!("{}\n", file["file"].as_str().unwrap_or_default()));
        for preset in file["presets"].as_array().into_iter().flatten() {
            let name = preset["name"].as_str().unwrap_or_default();
            // Written as another profile with `apply --profile`.
            let name = match preset["profile"].as_str() {
                Some(profile) => format!("{name} as {profile}"),
                None => name.to_owned(),
            };
            let keys = preset["keys"].as_u64().unwrap_or(0);
            let line = match preset["state"].as_str().unwrap_or_default() {
                "intact" => {
                    let taken: Vec<String> = preset["taken"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|t| {
                            format!(
                                "`{}` now set by `{}`",
                                t["key"].as_str().unwrap_or_default(),
                                t["by"].as_str().unwrap_or_default()
                            )
                        })
                        .collect();
                    let also: String = taken.iter().chain(&hand_written(preset)).map(|t| format!("; {t}")).collect();
                    format!("intact ({keys} {}{also})", if keys == 1 { "key" } else { "keys" })
                }
                "unknown" => "written by a preset that no longer exists here".to_owned(),
                state => {
                    let changed = preset["changed"].as_array().into_iter().flatten().map(|c| {
                        format!(
                            "`{}` is {}, the preset sets {}",
                            c["key"].as_str().unwrap_or_default(),
                            c["current"].as_str().unwrap_or_default(),
                            c["preset"].as_str().unwrap_or("?")
                        )
                    });
                    let missing = preset["missing"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .map(|m| format!("`{}` is missing", m.as_str().unwrap_or_default()));
                    format!(
                        "{state}: {}",
                        changed.chain(missing).chain(hand_written(preset)).collect::<Vec<_>>().join("; ")
                    )
                }
            };
            let overridden: Vec<String> = preset["overridden"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| {
                    format!(
                        "`{}` is {} here: `{}` overrides it",
                        o["key"].as_str().unwrap_or_default(),
                        o["value"].as_str().unwrap_or_default(),
                        o["by"].as_str().unwrap_or_default()
                    )
                })
                .collect();
            let line = if overridden.is_empty() { line } else { format!("{line}; {}", overridden.join("; ")) };
            out.push_str(&format!("  {name:<20} {line}\n"));
        }
    }
    out
}
