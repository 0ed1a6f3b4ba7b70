//! Cargo's `inherits` rules, in one place (`cargo-profiles.md` §2.2): `dev` and `release` are
//! roots and may not inherit; `test`, `bench` and the deprecated `doc` inherit `dev`, `release`
//! and `dev` unless told otherwise; every other profile needs `inherits`, naming a profile that
//! exists, not the reserved `debug`, without a loop. From cargo 1.99 `debug` is a predefined
//! profile inheriting `dev` (rust-lang/cargo#17214), so the rules take the cargo release where
//! it is known; unknown means an older cargo.
//!
//! Used by the preset planner (over the presets' profiles), by `check` and by the effective-value
//! model (over a workspace's files and environment), so that they agree on every chain.

use std::fmt;

use crate::cargo::machine::Version;
use crate::cargo::schema;

/// Why a profile has no chain, with cargo's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Broken {
    /// `[profile.dev] inherits = …`
    RootInherits,
    /// A custom profile without `inherits`.
    Missing,
    /// `inherits = "debug"`: cargo reserves the name (the dev profile is `dev`).
    InheritsDebug,
    /// `inherits` names a profile defined nowhere.
    UndefinedParent(String),
    /// A profile asked for that no file defines.
    NotDefined,
    /// The profiles of the loop, the first repeated at the end.
    Loop(Vec<String>),
}

/// A broken chain: the profile whose definition is at fault, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainError {
    pub profile: String,
    pub broken: Broken,
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.profile;
        match &self.broken {
            Broken::RootInherits => write!(f, "`inherits` must not be specified in root profile `{name}`"),
            Broken::Missing => write!(f, "profile `{name}` is missing an `inherits` directive"),
            Broken::InheritsDebug => write!(f, "profile `{name}` inherits `debug`, which cargo reserves"),
            Broken::UndefinedParent(parent) => {
                write!(f, "profile `{name}` inherits from `{parent}`, but that profile is not defined")
            }
            Broken::NotDefined => write!(f, "profile `{name}` is not defined"),
            Broken::Loop(chain) => write!(f, "profile inheritance loop: {}", chain.join(" -> ")),
        }
    }
}

/// The parent `cargo` gives a predefined profile that does not say `inherits`.
pub fn implicit_parent(name: &str, cargo: Option<Version>) -> Option<&'static str> {
    match name {
        "test" | "doc" => Some("dev"),
        "bench" => Some("release"),
        "debug" if schema::has_debug_profile(cargo) => Some("dev"),
        _ => None,
    }
}

/// Whether `cargo` knows `name` without any file defining it.
pub fn is_predefined(name: &str, cargo: Option<Version>) -> bool {
    schema::is_root_profile(name) || implicit_parent(name, cargo).is_some()
}

/// `profile` and the profiles it inherits from, ending at `dev` or `release`. `parent_of` gives
/// the winning `inherits` value of a profile; `defined` whether some source has the profile;
/// `cargo` the release whose rules apply (unknown: an older one).
pub fn chain(
    profile: &str,
    cargo: Option<Version>,
    parent_of: impl Fn(&str) -> Option<String>,
    defined: impl Fn(&str) -> bool,
) -> Result<Vec<String>, ChainError> {
    let broken = |profile: &str, broken| Err(ChainError { profile: profile.to_owned(), broken });
    if !is_predefined(profile, cargo) && !defined(profile) {
        return broken(profile, Broken::NotDefined);
    }
    let mut chain = vec![profile.to_owned()];
    loop {
        let current = chain.last().expect("never empty").clone();
        let explicit = parent_of(&current);
        if schema::is_root_profile(&current) {
            return match explicit {
                Some(_) => broken(&current, Broken::RootInherits),
                None => Ok(chain),
            };
        }
        let parent = match explicit.or_else(|| implicit_parent(&current, cargo).map(str::to_owned)) {
            Some(parent) => parent,
            None => return broken(&current, Broken::Missing),
        };
        if parent == "debug" && !schema::has_debug_profile(cargo) {
            return broken(&current, Broken::InheritsDebug);
        }
        if !is_predefined(&parent, cargo) && !defined(&parent) {
            return broken(&current, Broken::UndefinedParent(parent));
        }
        if chain.contains(&parent) {
            chain.push(parent);
            return broken(&current, Broken::Loop(chain));
        }
        chain.push(parent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain_of(profile: &str, parents: &[(&str, Option<&str>)]) -> Result<Vec<String>, Broken> {
        let parent_of = |n: &str| parents.iter().find(|(p, _)| *p == n).and_then(|(_, i)| i.map(str::to_owned));
        let defined = |n: &str| parents.iter().any(|(p, _)| *p == n);
        chain(profile, None, parent_of, defined).map_err(|e| e.broken)
    }

    #[test]
    fn predefined_profiles_have_their_parents() {
        assert_eq!(chain_of("test", &[]).unwrap(), ["test", "dev"]);
        assert_eq!(chain_of("bench", &[]).unwrap(), ["bench", "release"]);
        assert_eq!(chain_of("x", &[("x", Some("doc"))]).unwrap(), ["x", "doc", "dev"]);
        assert_eq!(chain_of("test", &[("test", Some("release"))]).unwrap(), ["test", "release"]);
        assert_eq!(chain_of("ci", &[("ci", Some("test"))]).unwrap(), ["ci", "test", "dev"]);
    }

    #[test]
    fn each_broken_chain_says_why() {
        assert_eq!(chain_of("dev", &[("dev", Some("release"))]), Err(Broken::RootInherits));
        assert_eq!(chain_of("fast", &[("fast", None)]), Err(Broken::Missing));
        assert_eq!(chain_of("fast", &[("fast", Some("debug"))]), Err(Broken::InheritsDebug));
        assert_eq!(chain_of("a", &[("a", Some("nope"))]), Err(Broken::UndefinedParent("nope".into())));
        assert_eq!(chain_of("nope", &[]), Err(Broken::NotDefined));
        assert_eq!(
            chain_of("a", &[("a", Some("b")), ("b", Some("a"))]),
            Err(Broken::Loop(vec!["a".into(), "b".into(), "a".into()]))
        );
    }

    #[test]
    fn cargo_1_99_predefines_debug_inheriting_dev() {
        let none = |_: &str| None;
        let cargo = |release| Some(Version(1, release, 0));
        assert_eq!(chain("debug", cargo(99), none, |_| false).unwrap(), ["debug", "dev"]);
        let from_debug = |n: &str| (n == "mine").then(|| "debug".to_owned());
        assert_eq!(chain("mine", cargo(100), from_debug, |n| n == "mine").unwrap(), ["mine", "debug", "dev"]);
        assert_eq!(chain("mine", cargo(98), from_debug, |n| n == "mine").unwrap_err().broken, Broken::InheritsDebug);
        assert_eq!(chain("debug", cargo(98), none, |_| true).unwrap_err().broken, Broken::Missing);
    }
}
