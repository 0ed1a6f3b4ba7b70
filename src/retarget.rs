//! `--profile NAME`: a composition's settings for its one profile, written as profile `NAME`
//! instead (cargo-dist's `dist`, a team's `release-small`). Pure: the composition goes in, the
//! moved one comes out, before planning, so everything after (plan, edit, comments, `remove`,
//! `status`) sees only `[profile.NAME]`.
//!
//! The settings keep their meaning only on the base they were written for, so the moved profile
//! inherits what the preset's own profile did: `prod`'s `inherits = "release"` comes along, and
//! a preset for `release` itself gives `[profile.dist]` `inherits = "release"`.

use std::rc::Rc;

use crate::cargo::inherit;
use crate::cargo::schema::{self, Key, KeyPath, Scope, TablePath, Value};
use crate::compose::{Composed, Composition};
use crate::error::{Error, Result};
use crate::plan::ExistingProfiles;
use crate::preset::{Preset, Setting};

/// A profile's settings moving to another name, with the `inherits` the new one needs.
struct Move {
    from: String,
    to: String,
    /// `inherits` for `[profile.<to>]`, and the preset that writes it; `None` where cargo gives
    /// the base already (`release` itself, or `bench`, which inherits `release`).
    inherits: Option<Composed>,
}

impl Composition {
    /// This composition with its profile settings in `[profile.<to>]` (and its `package`
    /// and `build-override` tables). Refused for presets that write several profiles or only
    /// config keys, and for a name cargo refuses. `existing` are the target's profiles: one with
    /// its own `inherits` keeps it (the chain is checked when planning).
    pub fn to_profile(mut self, to: &str, existing: &ExistingProfiles) -> Result<Composition> {
        let Some(moved) = self.move_to(to)? else { return Ok(self) };
        let keeps_own = existing.get(to).is_some_and(Option::is_some);
        let rename = |path: &KeyPath| moved.rename(path);
        let mut settings: Vec<Composed> = Vec::new();
        if let Some(inherits) = moved.inherits.clone().filter(|_| !keeps_own) {
            settings.push(inherits);
        }
        for composed in self.settings.iter().filter(|c| !is_inherits(&c.setting.path)) {
            settings.push(Composed {
                setting: rename_setting(&composed.setting, &rename),
                preset: composed.preset.clone(),
            });
        }
        self.settings = settings;
        for relied in &mut self.relied {
            relied.setting = rename_setting(&relied.setting, &rename);
        }
        self.presets = self.presets.iter().map(|p| Rc::new(moved.preset(p))).collect();
        Ok(self)
    }

    /// The one profile `--profile` would move, where it may move one: `None` for presets that
    /// write several profiles, none, or config keys (which apply to every profile). Decided
    /// without the machine, so a variant writing another profile (`fast-dev`'s `debug` on cargo
    /// 1.99) counts as written.
    pub fn movable_profile(&self) -> Option<&str> {
        let in_variants = self.presets.iter().flat_map(|p| &p.variants).flat_map(|v| &v.settings);
        let one = match self.profiles()[..] {
            [one] if self.config.is_empty() => one,
            _ => return None,
        };
        in_variants.into_iter().all(|s| s.path.table.profile == one).then_some(one)
    }

    /// The profiles the settings are in, each once, in the order they first appear.
    fn profiles(&self) -> Vec<&str> {
        let mut profiles: Vec<&str> = Vec::new();
        for composed in &self.settings {
            let profile = composed.setting.path.table.profile.as_str();
            if !profiles.contains(&profile) {
                profiles.push(profile);
            }
        }
        profiles
    }

    /// Where the settings move from, and the `inherits` they need; `None` when they are in
    /// `[profile.<to>]` already.
    fn move_to(&self, to: &str) -> Result<Option<Move>> {
        let flag = format!("--profile {to}");
        if let Err(bad) = schema::check_profile_name(to, self.cargo) {
            let error = Error::new(format!("`{flag}`: {}", bad.reason));
            return Err(bad.help.into_iter().fold(error, Error::help));
        }
        let names: Vec<String> = self.presets.iter().map(|p| format!("`{}`", p.name)).collect();
        let who = match names.len() {
            1 => format!("preset {} writes", names[0]),
            _ => format!("presets {} write", names.join(", ")),
        };
        let without = "apply it without `--profile`";
        let profiles = self.profiles();
        if let Some(config) = self.config.first() {
            let key = &config.setting.path;
            let error = if profiles.is_empty() {
                Error::new(format!("`{flag}`: {who} no profile settings, only config keys (`{key}`)"))
                    .help(format!("{without}: config keys apply to every profile"))
            } else {
                Error::new(format!("`{flag}` moves profile settings, but {who} config keys too (`{key}`)"))
                    .detail("config keys apply to every profile: there is no profile of theirs to move")
                    .help("apply the presets that write config keys without `--profile`")
            };
            return Err(error);
        }
        let from = match profiles[..] {
            [] => return Err(Error::new(format!("`{flag}`: {who} no settings on this machine")).help(without)),
            [one] => one.to_owned(),
            _ => {
                let list: Vec<String> = profiles.iter().map(|p| format!("`[profile.{p}]`")).collect();
                return Err(Error::new(format!(
                    "`{flag}` moves one profile, but {who} {}",
                    list.join(" and ")
                ))
                .detail(format!("which of them becomes `[profile.{to}]` is not for cargo presets to guess"))
                .help(format!(
                    "{without}, or write a preset of your own with the settings you want in `[profile.{to}]` (`cargo presets new`)"
                )));
            }
        };
        if from == to {
            return Ok(None);
        }
        let own = self.settings.iter().find(|c| is_inherits(&c.setting.path));
        let base = match own.map(|c| &c.setting.value) {
            Some(Value::Str(parent)) => parent.clone(),
            _ if schema::is_root_profile(&from) => from.clone(),
            _ => inherit::implicit_parent(&from, self.cargo).map_or_else(|| from.clone(), ToOwned::to_owned),
        };
        let owner = own.unwrap_or(&self.settings[0]).preset.clone();
        // Settings written for `release` (or on top of it) mean something else on top of `dev`.
        let written_for = if base == from { format!("`{from}`") } else { format!("`{from}`, which inherits `{base}`") };
        if schema::is_root_profile(to) && base != to {
            return Err(Error::new(format!(
                "`{flag}`: preset `{owner}` is written for {written_for}, and `{to}` cannot inherit `{base}`"
            ))
            .detail("`dev` and `release` are the roots every other profile inherits from")
            .help(format!(
                "give the settings a profile of their own, which then inherits `{base}`: `--profile NAME`"
            )));
        }
        let implicit = schema::is_root_profile(to) || inherit::implicit_parent(to, self.cargo) == Some(base.as_str());
        let inherits = (!implicit).then(|| {
            let why = own.map_or_else(
                || format!("the settings are written for {written_for}: `{to}` starts from `{base}` too"),
                |c| c.setting.why.clone(),
            );
            let path =
                KeyPath { table: TablePath { profile: to.to_owned(), scope: Scope::Profile }, key: Key::Inherits };
            Composed {
                setting: Setting { path, value: Value::Str(base), why, rustc: Default::default(), redundant: None },
                preset: owner,
            }
        });
        Ok(Some(Move { from, to: to.to_owned(), inherits }))
    }
}

impl Move {
    fn rename(&self, path: &KeyPath) -> KeyPath {
        let mut path = path.clone();
        if path.table.profile == self.from {
            path.table.profile = self.to.clone();
        }
        path
    }

    /// The preset as `remove` and `status` look for it: its keys in the moved profile, with the
    /// `inherits` that profile got when the preset is the one that writes it.
    fn preset(&self, preset: &Preset) -> Preset {
        let rename = |path: &KeyPath| self.rename(path);
        let moved = |settings: &[Setting]| -> Vec<Setting> {
            settings.iter().filter(|s| !is_inherits(&s.path)).map(|s| rename_setting(s, &rename)).collect()
        };
        let mut moved_preset = preset.clone();
        moved_preset.settings = moved(&preset.settings);
        if let Some(inherits) = self.inherits.as_ref().filter(|c| c.preset == preset.name) {
            moved_preset.settings.insert(0, inherits.setting.clone());
        }
        moved_preset.relies_on = moved(&preset.relies_on);
        for (variant, original) in moved_preset.variants.iter_mut().zip(&preset.variants) {
            variant.settings = moved(&original.settings);
        }
        moved_preset
    }
}

fn rename_setting(setting: &Setting, rename: &dyn Fn(&KeyPath) -> KeyPath) -> Setting {
    Setting { path: rename(&setting.path), ..setting.clone() }
}

/// A profile's own `inherits` (overrides have none).
fn is_inherits(path: &KeyPath) -> bool {
    path.key == Key::Inherits && path.table.scope == Scope::Profile
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Library;

    fn moved(names: &[&str], to: &str, existing: &[(&str, Option<&str>)]) -> Result<Composition> {
        let library = Library::discover(None, None).unwrap();
        let names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
        let existing = existing.iter().map(|(n, p)| ((*n).to_owned(), p.map(str::to_owned))).collect();
        crate::compose::compose_unknown_toolchain(&library, &names).unwrap().to_profile(to, &existing)
    }

    fn keys(composition: &Composition) -> Vec<String> {
        composition.settings.iter().map(|c| format!("{} = {}", c.setting.path, c.setting.value)).collect()
    }

    #[test]
    fn a_custom_profile_moves_with_its_own_inherits() {
        let moved = moved(&["prod"], "dist", &[]).unwrap();
        let keys = keys(&moved);
        assert_eq!(keys[0], "profile.dist.inherits = \"release\"");
        assert!(keys.iter().all(|k| k.starts_with("profile.dist.")), "{keys:?}");
        assert_eq!(moved.presets[0].settings.len(), keys.len(), "`remove` looks for the same keys");
    }

    #[test]
    fn a_release_preset_as_a_custom_profile_inherits_release() {
        let moved = moved(&["embedded-size"], "release-small", &[]).unwrap();
        let first = &moved.settings[0];
        assert_eq!(first.setting.path.to_string(), "profile.release-small.inherits");
        assert_eq!(first.setting.value, Value::Str("release".into()));
        assert_eq!(first.preset, "embedded-size");
        assert_eq!(moved.presets[0].settings[0], first.setting);
    }

    #[test]
    fn an_existing_profile_keeps_its_own_inherits() {
        let moved = moved(&["prod"], "dist", &[("dist", Some("release"))]).unwrap();
        assert!(keys(&moved).iter().all(|k| !k.contains("inherits")));
    }

    #[test]
    fn package_overrides_move_too_and_need_no_inherits_where_cargo_gives_the_base() {
        let moved = moved(&["deps-optimized-dev"], "test", &[]).unwrap();
        let keys = keys(&moved);
        assert!(keys.iter().all(|k| k.starts_with("profile.test.package.\"*\".")), "{keys:?}");
    }

    #[test]
    fn refusals_name_the_reason() {
        let err = |names: &[&str], to: &str| moved(names, to, &[]).unwrap_err().to_string();
        let several = err(&["fast-dev"], "dist");
        assert!(several.contains("write `[profile.debugging]` and `[profile.dev]`"), "{several}");
        assert!(err(&["native-cpu"], "dist").contains("no profile settings, only config keys (`build.rustflags`)"));
        assert!(err(&["prod"], "debug").contains("profile name `debug` is reserved by cargo"));
        assert!(err(&["embedded-size"], "dev").contains("`dev` cannot inherit `release`"));
    }

    #[test]
    fn a_movable_profile_is_the_one_profile_of_presets_without_config_keys() {
        let library = Library::discover(None, None).unwrap();
        let movable = |name: &str| {
            let composition = crate::compose::compose(&library, &[name.to_owned()]).unwrap();
            composition.movable_profile().map(str::to_owned)
        };
        assert_eq!(movable("prod").as_deref(), Some("prod"));
        assert_eq!(movable("embedded-size").as_deref(), Some("release"));
        assert_eq!(movable("fast-dev"), None, "dev and debugging");
        assert_eq!(movable("native-cpu"), None, "config keys only");
    }

    #[test]
    fn the_profile_the_preset_writes_is_no_move() {
        let moved = moved(&["prod"], "prod", &[]).unwrap();
        assert_eq!(keys(&moved)[0], "profile.prod.inherits = \"release\"");
    }
}
