//! Environment variables: `CARGO_PROFILE_*`, `CARGO_INCREMENTAL` and `RUSTFLAGS` that beat the
//! files, values cargo fails on, and profile names whose variables collide.

use std::collections::{BTreeMap, BTreeSet};

use crate::cargo::effective;
use crate::cargo::schema::{self, Key};
use crate::lint::pass::{Defined, Lint};
use crate::lint::rules::{Code, Severity};

impl Lint<'_> {
    /// Names that collide in environment variables: `release-lto` shares `CARGO_PROFILE_RELEASE_LTO_…`
    /// with `release`'s `lto` key, and `my-prof` and `my_prof` share every variable.
    pub(super) fn names(&mut self, defined: &BTreeMap<String, Vec<Defined>>) {
        // One pass with set lookups: thousands of profiles must not cost their square.
        let known: BTreeSet<&str> =
            defined.keys().map(String::as_str).chain(schema::BUILTIN_PROFILES.iter().copied()).collect();
        let mut by_variable: BTreeMap<String, &str> = BTreeMap::new();
        for (name, list) in defined {
            let at = list[0].span.clone().map(|s| (list[0].source, s));
            let collision = Key::ALL.iter().find_map(|k| {
                let other = name.strip_suffix(k.name())?.strip_suffix('-')?;
                known.contains(other).then_some((other, k))
            });
            if let Some((other, key)) = collision {
                // Harmless until such a variable is set; then every cargo command fails.
                let prefix = format!("CARGO_PROFILE_{}_", name.to_uppercase().replace('-', "_"));
                let set = self.inputs.env.iter().find(|(k, _)| k.starts_with(&prefix)).map(|(k, _)| k.clone());
                let (severity, message) = match &set {
                    Some(var) => (
                        Severity::Error,
                        format!(
                            "`{var}` is read as `profile.{other}.{key}.…`, so cargo fails: profile name `{name}` collides with `{other}`'s `{key}` key"
                        ),
                    ),
                    None => (
                        Severity::Note,
                        format!("profile name `{name}` collides with `{other}`'s `{key}` key in environment variables"),
                    ),
                };
                self.push(severity, Code::EnvCollision, at.clone(), message, &[&format!(
                    "any `{prefix}…` variable makes cargo read `profile.{other}.{key}` as a table and fail; unset it, or rename the profile"
                )]);
            }
            // The first name (in order) of those sharing variables is the twin the rest are named with.
            match by_variable.entry(name.replace('-', "_")) {
                std::collections::btree_map::Entry::Occupied(twin) => self.push(
                    Severity::Warning,
                    Code::EnvCollision,
                    at,
                    format!("profiles `{}` and `{name}` share environment variable names", twin.get()),
                    &["rename one of them"],
                ),
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(name);
                }
            }
        }
    }

    /// A `CARGO_PROFILE_<NAME>_<KEY>` value outside the key's domain: cargo loads every profile's
    /// variables (`release`'s even for a dev build) and fails.
    fn env_value(&mut self, var: &str, raw: &str) {
        let rest = var.trim_start_matches("CARGO_PROFILE_");
        let Some(key) = Key::ALL.iter().find(|k| rest.ends_with(&format!("_{}", effective::env_name(k.name())))) else {
            return;
        };
        let value = effective::env_value(raw);
        if !key.accepts(&value) {
            self.push(
                Severity::Error,
                Code::InvalidValue,
                None,
                format!("invalid value in `{var}={raw}`: `{}` expects {}", key.name(), key.expected()),
                &["cargo reads this variable for every command and fails on it; fix or unset it"],
            );
        }
    }

    pub(super) fn environment(&mut self) {
        const FIGHTS: [&str; 6] = ["opt-level", "debuginfo", "codegen-units", "lto", "panic", "strip"];
        let env = self.inputs.env.clone();
        for (key, value) in env {
            if key.starts_with("CARGO_PROFILE_") {
                if key.contains("_PACKAGE_") {
                    self.push(
                        Severity::Warning,
                        Code::EnvIgnored,
                        None,
                        format!("`{key}` is ignored: package overrides cannot be set from the environment"),
                        &[],
                    );
                } else {
                    self.push(
                        Severity::Warning,
                        Code::EnvOverride,
                        None,
                        format!("`{key}={value}` overrides the profile settings of every file"),
                        &["unset it, or make it part of your documented build command"],
                    );
                    self.env_value(&key, &value);
                }
            } else if key == "CARGO_BUILD_INCREMENTAL" && !matches!(value.as_str(), "true" | "false") {
                self.push(
                    Severity::Error,
                    Code::InvalidValue,
                    None,
                    format!("invalid value in `CARGO_BUILD_INCREMENTAL={value}`: `build.incremental` expects `true` or `false`"),
                    &["cargo reads this variable for every command and fails on it (`CARGO_INCREMENTAL` is the one that takes `0` and `1`)"],
                );
            } else if key == "CARGO_INCREMENTAL" || key == "CARGO_BUILD_INCREMENTAL" {
                self.push(
                    Severity::Note,
                    Code::EnvOverride,
                    None,
                    format!("`{key}={value}` overrides `incremental` in every profile"),
                    &[],
                );
            } else if key == "RUSTFLAGS" || key == "CARGO_ENCODED_RUSTFLAGS" {
                let flags: Vec<String> = codegen_flags(&value)
                    .into_iter()
                    .filter(|f| FIGHTS.iter().any(|k| f == &format!("-C {k}") || f.starts_with(&format!("-C {k}="))))
                    .collect();
                let mut help = vec![
                    "it replaces `build.rustflags` and `target.*.rustflags` from every config file, and changes the cache key of every crate",
                ];
                let joined = flags.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ");
                let fights = format!("{joined} fights the profile settings: rustc takes the last value, so these win");
                if !flags.is_empty() {
                    help.insert(0, &fights);
                }
                self.push(
                    Severity::Warning,
                    Code::EnvRustflags,
                    None,
                    format!("`{key}` is set in the environment"),
                    &help,
                );
            }
        }
    }
}

/// The `-C` flags of a RUSTFLAGS value, each as `-C name=value` whether written `-Cname=value`
/// or `-C name=value` (`CARGO_ENCODED_RUSTFLAGS` separates with 0x1f).
fn codegen_flags(value: &str) -> Vec<String> {
    let mut tokens = value.split([' ', '\u{1f}']).filter(|t| !t.is_empty());
    let mut flags = Vec::new();
    while let Some(token) = tokens.next() {
        let option = match token {
            "-C" | "--codegen" => tokens.next(),
            _ => token.strip_prefix("-C").or_else(|| token.strip_prefix("--codegen=")),
        };
        if let Some(option) = option {
            flags.push(format!("-C {option}"));
        }
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::tests::{check, codes, inputs};
    use crate::lint::{Code, Severity};

    #[test]
    fn gated_keys_on_stable_and_rustflags_in_the_environment() {
        assert_eq!(codes("[profile.dev]\ncodegen-backend = \"cranelift\"\n"), [Code::NeedsNightly]);
        let mut with_env = inputs("[workspace]\n");
        with_env.env = vec![("RUSTFLAGS".into(), "-C opt-level=3".into())];
        let found = check(&with_env);
        assert_eq!(found[0].code, Code::EnvRustflags);
        assert!(found[0].help[0].starts_with("`-C opt-level=3` fights the profile settings"), "{:?}", found[0].help);
    }

    #[test]
    fn cargo_build_incremental_takes_only_true_or_false() {
        let mut inputs = inputs("[workspace]\n");
        inputs.env = vec![("CARGO_BUILD_INCREMENTAL".into(), "1".into())];
        let found: Vec<(Code, Severity)> = check(&inputs).iter().map(|f| (f.code, f.severity)).collect();
        assert_eq!(found, [(Code::InvalidValue, Severity::Error)]);
    }

    #[test]
    fn codegen_flags_in_either_spelling_and_either_separator() {
        assert_eq!(
            codegen_flags("-Copt-level=1 --cfg x -C debuginfo=2\u{1f}-Cpanic=abort"),
            ["-C opt-level=1", "-C debuginfo=2", "-C panic=abort"]
        );
    }
}
