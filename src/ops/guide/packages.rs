//! The guided mode's question about packages (`apply --package`): for presets whose settings are
//! for dependencies, every dependency as written or the packages named, typed and checked
//! against `Cargo.lock` in place as `apply --package` checks them.

use crate::compose::{self, Composed, Composition};
use crate::error::{Error, Result};
use crate::ops::Context;
use crate::prompt::{self, Input, Select};

use super::{Part, ask_failed, item};

/// The first answer the question offers, before "named packages…".
#[derive(Debug, PartialEq, Eq)]
enum First {
    /// `package."*"` as written: every dependency.
    EveryDependency,
    /// The presets' `package."*"` tables are only templates for named packages
    /// (`packages = "named"`): none, only the rest of the presets.
    NoPackage,
}

/// The first answer for `composition`, or `None` when the question is not asked. It is asked
/// where every profile setting is for every dependency (`deps-opt1-dev`: which dependencies is
/// then the whole point), or a preset has tables only for named packages (`hint-mostly-unused`,
/// which without names writes none of them). A preset that also sets its profile for the
/// workspace's own crates (`fast-dev`, `cranelift-dev`) gives the dependencies the other half of
/// one choice, and goes in as written (`--package` stays for a script).
fn first(composition: &Composition) -> Option<First> {
    let every = |c: &Composed| c.setting.path.table.scope.is_every_package();
    let for_every = composition.settings.iter().any(every);
    if !composition.templates.is_empty() {
        return Some(if for_every { First::EveryDependency } else { First::NoPackage });
    }
    (for_every && composition.settings.iter().all(every)).then_some(First::EveryDependency)
}

/// The package specs in an answer: names separated by spaces or commas.
fn specs(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == ',').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

/// Asks which packages the per-dependency settings of `part` are for, and keeps the names
/// (`--package`); `false` when cancelled. No question for other presets.
pub(super) fn ask(ctx: &Context<'_>, colour: bool, part: &mut Part) -> Result<bool> {
    let composition = compose::compose(&part.library, &part.presets)?;
    let Some(first) = first(&composition) else { return Ok(true) };
    let who = part.presets.join(", ");
    let tables = tables(&composition, part.profile.as_deref());
    let mut details = Vec::new();
    if first == First::EveryDependency {
        details.push(format!(
            "{}, as `{who}` is written: every package that is not a member of the workspace",
            tables("\"*\"")
        ));
    }
    details.extend(left_out(&composition));
    let label = match first {
        First::EveryDependency => "every dependency, as written",
        First::NoPackage => "none: only the rest of the preset",
    };
    let first_item = item(label, &details.join("\n\n"));
    let named_item = item(
        "named packages…",
        &format!(
            "{} for each package you name from Cargo.lock; the other dependencies are left as they are",
            tables("NAME")
        ),
    );
    let first_summary = match first {
        First::EveryDependency => "Packages: every dependency",
        First::NoPackage => "Packages: none",
    };
    let mut select = Select::new(format!("Which packages should {who} apply to?"), vec![first_item, named_item]);
    let answer = prompt::ask(colour, &mut select, |&i| match i {
        0 => first_summary.to_owned(),
        _ => "Packages: named packages…".to_owned(),
    })
    .map_err(ask_failed)?;
    match answer {
        None => return Ok(false),
        Some(0) => return Ok(true),
        Some(_) => {}
    }
    let locked = crate::cargo::lockfile::locked_versions(part.workspace.root());
    let mut hint =
        format!("Names separated by spaces or commas, as `name` or `name@version`: {} for each.", tables("NAME"));
    if locked.is_none() {
        let manifest = ctx.display(&part.workspace.manifest);
        hint.push_str(&format!(
            "\n\nNo Cargo.lock beside {manifest}: the names cannot be checked, and cargo ignores an override that matches no package."
        ));
    }
    let check = |text: &str| {
        let specs = specs(text);
        if specs.is_empty() {
            let error = Error::new("no package named")
                .help("type the names of packages in Cargo.lock, separated by spaces or commas");
            return Err(error.to_string());
        }
        crate::packages::check_specs(&specs, locked.as_ref()).map_err(|e| e.to_string())
    };
    let mut input = Input::new(format!("Packages for {who}, as Cargo.lock names them:"), hint, check);
    let summary = |text: &String| format!("Packages: {}", specs(text).join(" "));
    let Some(text) = prompt::ask(colour, &mut input, summary).map_err(ask_failed)? else {
        return Ok(false);
    };
    part.packages = specs(&text);
    Ok(true)
}

/// What the first answer leaves out: the tables of presets only for named packages.
fn left_out(composition: &Composition) -> Option<String> {
    let names: Vec<String> = composition.named_only().iter().map(|n| format!("`{n}`")).collect();
    let (who, its) = match names.len() {
        0 => return None,
        1 => (names[0].clone(), "its"),
        _ => (names.join(", "), "their"),
    };
    Some(format!(
        "{who} writes {its} per-package settings only for the packages you name, never for every dependency: without names they are left out"
    ))
}

/// The tables the per-dependency settings of `composition` go into, for a package `spec` (`"*"`
/// or `NAME`), in the profile `moved_to` where `--profile` moves them: `[profile.dev.package.NAME]`.
fn tables<'a>(composition: &'a Composition, moved_to: Option<&'a str>) -> impl Fn(&str) -> String + 'a {
    let mut profiles: Vec<&str> = Vec::new();
    for composed in composition.settings.iter().chain(&composition.templates) {
        let table = &composed.setting.path.table;
        let profile = moved_to.unwrap_or(&table.profile);
        if table.scope.is_every_package() && !profiles.contains(&profile) {
            profiles.push(profile);
        }
    }
    move |spec: &str| {
        let tables: Vec<String> = profiles.iter().map(|p| format!("`[profile.{p}.package.{spec}]`")).collect();
        tables.join(" and ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::library::Library;

    fn composed(names: &[&str]) -> Composition {
        let library = Library::discover(None, None).unwrap();
        let names: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
        compose::compose_unknown_toolchain(&library, &names).unwrap()
    }

    #[test]
    fn asked_for_presets_about_dependencies_and_for_tables_only_for_named_packages() {
        assert_eq!(first(&composed(&["deps-opt1-dev"])), Some(First::EveryDependency));
        assert_eq!(first(&composed(&["deps-opt1-dev", "deps-opt1-test"])), Some(First::EveryDependency));
        assert_eq!(first(&composed(&["hint-mostly-unused"])), Some(First::NoPackage));
        assert_eq!(first(&composed(&["hint-mostly-unused", "fast-dev"])), Some(First::EveryDependency));
        for others in [&["fast-dev"][..], &["cranelift-dev"], &["prod"], &["deps-opt1-dev", "fast-dev"]] {
            assert_eq!(first(&composed(others)), None, "{others:?}");
        }
    }

    #[test]
    fn the_tables_are_named_for_each_profile_and_where_the_profile_moves() {
        let hint = composed(&["hint-mostly-unused"]);
        assert_eq!(tables(&hint, None)("NAME"), "`[profile.dev.package.NAME]` and `[profile.release.package.NAME]`");
        let deps = composed(&["deps-opt1-dev"]);
        assert_eq!(tables(&deps, None)("\"*\""), "`[profile.dev.package.\"*\"]`");
        assert_eq!(tables(&deps, Some("sim"))("NAME"), "`[profile.sim.package.NAME]`");
    }

    #[test]
    fn names_are_separated_by_spaces_or_commas() {
        assert_eq!(specs(" regex, serde_json@1  fastmath,,"), ["regex", "serde_json@1", "fastmath"]);
        assert!(specs(" , ").is_empty());
    }
}
