//! From a composition to a plan: the tables and keys to write, checked against Cargo's rules for
//! whole profiles (`inherits` required on custom profiles, forbidden on `dev`/`release`, defined,
//! acyclic) and the feature gates the settings need.
//!
//! Rules that concern a single key (value domains, keys forbidden in overrides, profile names)
//! were already checked when each preset was parsed.

use std::collections::{BTreeMap, BTreeSet};

use crate::cargo::inherit::{self, Broken};
use crate::cargo::schema::{self, Gate, Key, Scope, TablePath, Value};
use crate::compose::{Composed, Composition};
use crate::error::{Error, Result};

/// The profiles a target already defines (in the file being written and, for a config file,
/// in the workspace manifest), each with its `inherits` if it has one.
pub type ExistingProfiles = BTreeMap<String, Option<String>>;

/// One table to write, with its keys in order (`inherits` first).
#[derive(Debug)]
pub struct TablePlan {
    pub path: TablePath,
    /// The presets that set keys here, in application order.
    pub presets: Vec<String>,
    pub keys: Vec<Composed>,
}

#[derive(Debug)]
pub struct Plan {
    pub tables: Vec<TablePlan>,
    /// The gates the settings need, each with the first setting that needs it.
    pub gates: BTreeMap<Gate, Composed>,
}

impl Plan {
    /// The custom profiles the plan writes, for telling users how to select them.
    pub fn custom_profiles(&self) -> BTreeSet<&str> {
        self.tables.iter().map(|t| t.path.profile.as_str()).filter(|p| !schema::is_builtin_profile(p)).collect()
    }
}

pub fn plan(composition: &Composition, existing: &ExistingProfiles) -> Result<Plan> {
    check_inherits(composition, existing)?;

    let mut tables: Vec<TablePlan> = Vec::new();
    let mut gates = BTreeMap::new();
    for composed in &composition.settings {
        let setting = &composed.setting;
        if let Some(gate) = setting.path.key.gate(&setting.value) {
            gates.entry(gate).or_insert_with(|| composed.clone());
        }
        let table = match tables.iter_mut().position(|t| t.path == setting.path.table) {
            Some(i) => &mut tables[i],
            None => {
                tables.push(TablePlan { path: setting.path.table.clone(), presets: Vec::new(), keys: Vec::new() });
                tables.last_mut().expect("just pushed")
            }
        };
        if !table.presets.contains(&composed.preset) {
            table.presets.push(composed.preset.clone());
        }
        table.keys.push(composed.clone());
    }
    for table in &mut tables {
        // A person reads `inherits` first: it says what the rest is relative to.
        table.keys.sort_by_key(|c| c.setting.path.key != Key::Inherits);
    }
    // Built-in profiles first, as Cargo's documentation lists them, then custom ones in the order
    // the presets declare them; a profile's own table before its overrides.
    tables.sort_by_key(|t| {
        let builtin_rank = schema::BUILTIN_PROFILES.iter().position(|p| *p == t.path.profile);
        let first_of_profile = composition.settings.iter().position(|c| c.setting.path.table.profile == t.path.profile);
        (builtin_rank.is_none(), builtin_rank, first_of_profile, t.path.scope != Scope::Profile)
    });
    Ok(Plan { tables, gates })
}

/// Checks `inherits` over the composed profiles together with those the target already has.
fn check_inherits(composition: &Composition, existing: &ExistingProfiles) -> Result<()> {
    let mut parents: BTreeMap<&str, Option<&str>> =
        existing.iter().map(|(name, parent)| (name.as_str(), parent.as_deref())).collect();
    for composed in &composition.settings {
        let path = &composed.setting.path;
        let entry = parents.entry(path.table.profile.as_str()).or_insert(None);
        if let (Key::Inherits, Scope::Profile, Value::Str(parent)) =
            (path.key, &path.table.scope, &composed.setting.value)
        {
            *entry = Some(parent.as_str());
        }
    }
    let profiles: BTreeSet<&str> = composition.settings.iter().map(|c| c.setting.path.table.profile.as_str()).collect();
    let parent_of = |name: &str| parents.get(name).copied().flatten().map(str::to_owned);
    for profile in profiles {
        let Err(error) = inherit::chain(profile, composition.cargo, parent_of, |name| parents.contains_key(name))
        else {
            continue;
        };
        // The preset that declares the profile at fault, or else the one asked about.
        let declared_by = [error.profile.as_str(), profile]
            .iter()
            .find_map(|p| composition.settings.iter().find(|c| c.setting.path.table.profile == *p))
            .map(|c| c.preset.as_str())
            .unwrap_or_default();
        let at_fault = &error.profile;
        let help = match &error.broken {
            Broken::RootInherits => "`dev` and `release` are the roots every other profile inherits from".to_owned(),
            Broken::Missing => {
                format!("add `inherits = \"release\"` (or \"dev\") to `[profile.{at_fault}]` in the preset")
            }
            Broken::InheritsDebug => {
                format!("the development profile is called `dev`: use `inherits = \"dev\"` in preset `{declared_by}`")
            }
            Broken::UndefinedParent(parent) => {
                format!("apply a preset that defines `{parent}` too, or inherit from `dev` or `release`")
            }
            Broken::Loop(_) => "one of these profiles must inherit from `dev` or `release` instead".to_owned(),
            // Every profile checked here is one a preset declares.
            Broken::NotDefined => format!("define `[profile.{at_fault}]` in the preset"),
        };
        let mut report = Error::new(format!("{error} (preset `{declared_by}`)"));
        if error.broken == Broken::Missing {
            report =
                report.detail("`inherits` is required for all profiles except `dev`, `release`, `test` and `bench`");
        }
        return Err(report.help(help));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Library;

    fn builtin(names: &[&str], existing: &ExistingProfiles) -> Result<Plan> {
        let library = Library::discover(None, None).unwrap();
        let names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
        plan(&crate::compose::compose_unknown_toolchain(&library, &names).unwrap(), existing)
    }

    #[test]
    fn fast_dev_plans_profile_tables_before_their_overrides_with_inherits_first() {
        let plan = builtin(&["fast-dev"], &ExistingProfiles::new()).unwrap();
        let tables: Vec<String> = plan.tables.iter().map(|t| t.path.to_string()).collect();
        assert_eq!(tables, ["profile.dev", "profile.dev.package.\"*\"", "profile.debugging"]);
        assert_eq!(plan.tables[2].keys[0].setting.path.key, Key::Inherits);
        assert_eq!(plan.custom_profiles().into_iter().collect::<Vec<_>>(), ["debugging"]);
        assert!(plan.gates.is_empty());
    }

    #[test]
    fn cranelift_needs_the_codegen_backend_gate() {
        let plan = builtin(&["cranelift-dev"], &ExistingProfiles::new()).unwrap();
        let gates: Vec<&str> = plan.gates.keys().map(|g| g.unstable_key).collect();
        assert_eq!(gates, ["codegen-backend"]);
    }

    /// Plans one project preset given as text, against `existing` profiles; `case` names the
    /// test's own folder.
    fn project(case: &str, text: &str, existing: &[(&str, Option<&str>)]) -> Result<Plan> {
        let dir = crate::scratch(&format!("plan-{case}"));
        std::fs::write(dir.join("p.toml"), text).unwrap();
        let library = Library::discover(Some(&dir), None).unwrap();
        let existing = existing.iter().map(|(n, p)| ((*n).to_owned(), p.map(str::to_owned))).collect();
        plan(&crate::compose::compose(&library, &["p".to_owned()]).unwrap(), &existing)
    }

    #[test]
    fn a_profile_inheriting_from_an_existing_one_is_fine() {
        let mut existing = ExistingProfiles::new();
        existing.insert("a".into(), Some("staging".into()));
        builtin(&["staging"], &existing).unwrap();
        project("existing", "summary = \"s\"\n[profile.b]\ninherits = \"a\"\n", &[("a", Some("release"))]).unwrap();
    }

    #[test]
    fn inherits_on_a_root_profile_is_refused() {
        let err = project("root", "summary = \"root\"\n[profile.dev]\ninherits = \"release\"\n", &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("`inherits` must not be specified in root profile `dev`"), "{err}");
    }

    #[test]
    fn undefined_parent_is_refused() {
        let err =
            project("orphan", "summary = \"orphan\"\n[profile.b]\ninherits = \"nope\"\n", &[]).unwrap_err().to_string();
        assert!(err.contains("profile `b` inherits from `nope`, but that profile is not defined"), "{err}");
    }

    #[test]
    fn inheriting_the_reserved_debug_name_is_refused() {
        let err =
            project("dbg", "summary = \"dbg\"\n[profile.b]\ninherits = \"debug\"\n", &[]).unwrap_err().to_string();
        assert!(err.contains("inherits `debug`, which cargo reserves"), "{err}");
    }

    #[test]
    fn a_loop_through_the_existing_file_is_refused() {
        let err = project("loop", "summary = \"loop\"\n[profile.b]\ninherits = \"a\"\n", &[("a", Some("b"))])
            .unwrap_err()
            .to_string();
        assert!(err.contains("profile inheritance loop: b -> a -> b"), "{err}");
    }
}
