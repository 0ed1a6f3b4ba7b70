//! Walking a `[profile]` tree with Cargo's structural rules: profile names, package specs,
//! `package` and `build-override` only directly below a profile, no `dir-name`, known keys only,
//! no whole-program keys in overrides.
//!
//! Shared by the preset parser (which stops at the first problem, and whose values are
//! `{ value, why }` tables) and by `check` (which reports every problem in a user's files, whose
//! values are plain). Values themselves are checked by each caller with [`Key::check`].

use std::ops::Range;

use toml_edit::{Item, TableLike};

use crate::cargo::schema::{self, Key, KeyPath, Scope, TablePath};

/// A key Cargo knows, at a place it is allowed.
pub struct Entry<'i> {
    pub path: KeyPath,
    pub item: &'i Item,
    /// The span of the key, for messages about the setting as a whole.
    pub key_span: Option<Range<usize>>,
}

/// What is wrong, in the terms of Cargo's rules; `check` reports each under a rule of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// A name cargo reserves or refuses.
    ProfileName,
    /// `profile`, a profile or an override that is not a table.
    NotATable,
    /// A package spec cargo cannot parse.
    PackageSpec,
    /// `package` or `build-override` inside an override.
    NestedOverride,
    /// `dir-name`, which cargo refuses.
    DirName,
    /// A key cargo does not know.
    UnknownKey,
    /// A whole-build key (`panic`, `lto`, …) in an override.
    OverrideKey,
}

/// Something Cargo would reject, ignore, or misread.
#[derive(Debug)]
pub struct Problem {
    pub fault: Fault,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Vec<String>,
}

/// What a walk found, each list in file order.
#[derive(Default)]
pub struct Walk<'i> {
    pub entries: Vec<Entry<'i>>,
    pub problems: Vec<Problem>,
}

/// Walks the item of a `profile` key by the rules of `cargo` (a release, or unknown: an older
/// one).
pub fn walk(profile: &Item, cargo: Option<crate::cargo::machine::Version>) -> Walk<'_> {
    let mut walk = Walk::default();
    let Some(profiles) = as_table(profile, "profile", &mut walk) else { return walk };
    for (name, body) in profiles.iter() {
        if let Err(bad) = schema::check_profile_name(name, cargo) {
            walk.problems.push(Problem {
                fault: Fault::ProfileName,
                span: key_span(profiles, name),
                message: bad.reason,
                help: bad.help.into_iter().collect(),
            });
            // `[profile.doc]` has no effect, but cargo still validates what is in it.
            if name != "doc" {
                continue;
            }
        }
        layer(body, &TablePath { profile: name.to_owned(), scope: Scope::Profile }, &mut walk);
    }
    walk
}

fn as_table<'i>(item: &'i Item, what: &str, walk: &mut Walk<'_>) -> Option<&'i dyn TableLike> {
    let table = item.as_table_like();
    if table.is_none() {
        walk.problems.push(Problem {
            fault: Fault::NotATable,
            span: item.span(),
            message: format!("`{what}` must be a table"),
            help: Vec::new(),
        });
    }
    table
}

fn key_span(table: &dyn TableLike, key: &str) -> Option<Range<usize>> {
    table.get_key_value(key).and_then(|(k, _)| k.span())
}

/// One layer: the profile itself, a package override or the build-override.
fn layer<'i>(item: &'i Item, table: &TablePath, walk: &mut Walk<'i>) {
    let Some(body) = as_table(item, &table.to_string(), walk) else { return };
    for (key, value) in body.iter() {
        let problem = |fault, message: String, help: &str| Problem {
            fault,
            span: key_span(body, key),
            message,
            help: vec![help.to_owned()],
        };
        match (key, &table.scope) {
            ("package", Scope::Profile) => {
                let Some(specs) = as_table(value, &format!("{table}.package"), walk) else { continue };
                for (spec, body) in specs.iter() {
                    if let Err(why) = schema::check_package_spec(spec) {
                        walk.problems.push(Problem {
                            fault: Fault::PackageSpec,
                            span: key_span(specs, spec),
                            message: format!("invalid package spec in `{table}.package`: {why}"),
                            help: Vec::new(),
                        });
                        continue;
                    }
                    let scope = Scope::Package(spec.to_owned());
                    layer(body, &TablePath { profile: table.profile.clone(), scope }, walk);
                }
            }
            ("build-override", Scope::Profile) => {
                layer(value, &TablePath { profile: table.profile.clone(), scope: Scope::BuildOverride }, walk);
            }
            ("package" | "build-override", _) => walk.problems.push(problem(
                Fault::NestedOverride,
                format!("`{key}` cannot be nested inside `{table}`"),
                "Cargo allows `package` and `build-override` only directly below a profile",
            )),
            ("dir-name", _) => walk.problems.push(problem(
                Fault::DirName,
                format!("`{table}.dir-name` is not allowed"),
                "Cargo names a profile's output directory after the profile itself",
            )),
            _ => match Key::from_name(key) {
                None => {
                    let mut help: Vec<String> =
                        suggest_key(key).map(|s| format!("did you mean `{s}`?")).into_iter().collect();
                    help.push(
                        "see the keys Cargo knows: https://doc.rust-lang.org/cargo/reference/profiles.html".into(),
                    );
                    walk.problems.push(Problem {
                        fault: Fault::UnknownKey,
                        span: key_span(body, key),
                        message: format!("unknown profile key `{table}.{key}`"),
                        help,
                    });
                }
                Some(known) if table.scope != Scope::Profile && !known.allowed_in_override() => {
                    let kind = if table.scope == Scope::BuildOverride { "build-override" } else { "package" };
                    walk.problems.push(Problem {
                        fault: Fault::OverrideKey,
                        span: key_span(body, key),
                        message: format!("`{key}` may not be specified in a `{kind}` profile (`{table}.{key}`)"),
                        help: vec![format!(
                            "set `{key}` in `[profile.{}]` instead; it applies to the whole build",
                            table.profile
                        )],
                    });
                }
                Some(known) => walk.entries.push(Entry {
                    path: KeyPath { table: table.clone(), key: known },
                    item: value,
                    key_span: key_span(body, key),
                }),
            },
        }
    }
}

/// The known key closest to a mistyped one (`opt_level` → `opt-level`, `opt-levle` → `opt-level`).
pub fn suggest_key(typed: &str) -> Option<&'static str> {
    let kebab = typed.replace('_', "-").to_lowercase();
    crate::suggest::closest(&kebab, Key::ALL.iter().map(|k| k.name()), 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<(Fault, String)> {
        let doc = toml_edit::Document::parse(text.to_owned()).unwrap();
        walk(doc.get("profile").unwrap(), None).problems.into_iter().map(|p| (p.fault, p.message)).collect()
    }

    #[test]
    fn every_problem_is_reported_in_file_order() {
        let found = problems(
            "[profile.debug]\nx = 1\n[profile.dev]\nopt_level = 1\ndir-name = \"x\"\n[profile.dev.package.\"*\"]\npanic = \"abort\"\n",
        );
        let faults: Vec<Fault> = found.iter().map(|(f, _)| *f).collect();
        assert_eq!(faults, [Fault::ProfileName, Fault::UnknownKey, Fault::DirName, Fault::OverrideKey]);
    }

    #[test]
    fn settings_come_with_their_paths() {
        let doc = toml_edit::Document::parse("[profile.dev.build-override]\nopt-level = 3\n".to_owned()).unwrap();
        let walk = walk(doc.get("profile").unwrap(), None);
        assert!(walk.problems.is_empty());
        assert_eq!(walk.entries[0].path.to_string(), "profile.dev.build-override.opt-level");
    }
}
