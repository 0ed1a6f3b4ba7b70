//! The catalogue of `check`'s rules: one entry per code, in one declarative place. `check
//! --explain CODE` prints an entry, the README's table lists them (a test keeps the two equal),
//! and lint levels name them.

use crate::lint::Severity;

pub struct Rule {
    pub code: &'static str,
    /// The usual severity. A few rules raise or lower it where the context says more (named in
    /// `explanation`); a lint level set by the user replaces it.
    pub level: Severity,
    pub summary: &'static str,
    pub explanation: &'static str,
    /// TOML that triggers the rule, and the same fixed.
    pub bad: &'static str,
    pub good: &'static str,
    /// Where the claim comes from.
    pub source: &'static str,
}

const PROFILES: &str = "Cargo reference, Profiles: https://doc.rust-lang.org/cargo/reference/profiles.html";
const CONFIG: &str = "Cargo reference, Configuration: https://doc.rust-lang.org/cargo/reference/config.html";
const UNSTABLE: &str = "Cargo reference, Unstable features: https://doc.rust-lang.org/cargo/reference/unstable.html";
const VERIFIED: &str = "cargo 1.95, verified: shared/reference/cargo-profiles.md";
const CONFIG_VERIFIED: &str = "cargo 1.95, verified: shared/reference/cargo-config.md";

use Severity::{Error, Note, Warning};

pub const RULES: &[Rule] = &[
    Rule {
        code: "parse",
        level: Error,
        summary: "a manifest or config file is not valid TOML",
        explanation: "Cargo cannot read the file, so every command fails. Nothing else in it is checked.",
        bad: "[profile.dev\nopt-level = 1",
        good: "[profile.dev]\nopt-level = 1",
        source: "TOML 1.0: https://toml.io/en/v1.0.0",
    },
    Rule {
        code: "invalid-value",
        level: Error,
        summary: "a value outside the key's domain, or of the wrong type",
        explanation: "Cargo refuses the manifest (or rustc the flag), so every build fails.",
        bad: "[profile.dev]\nopt-level = 4",
        good: "[profile.dev]\nopt-level = 3",
        source: PROFILES,
    },
    Rule {
        code: "unknown-key",
        level: Error,
        summary: "a key cargo does not know in a profile",
        explanation: "Cargo warns and ignores it, so the setting silently does nothing; often a typo or the snake_case spelling of a key.",
        bad: "[profile.dev]\nopt_level = 1",
        good: "[profile.dev]\nopt-level = 1",
        source: PROFILES,
    },
    Rule {
        code: "not-a-table",
        level: Error,
        summary: "`profile`, a profile or an override is not a table",
        explanation: "Cargo refuses the manifest.",
        bad: "profile = 1",
        good: "[profile.dev]\nopt-level = 1",
        source: PROFILES,
    },
    Rule {
        code: "profile-name",
        level: Error,
        summary: "a profile name cargo reserves or refuses",
        explanation: "Empty names, names with characters other than letters, digits, `-` and `_`, and reserved names (`build`, `check`, `debug`, `doc`, `cargo…`, …) are refused. `[profile.doc]` is only a warning: cargo accepts it and it has no effect.",
        bad: "[profile.check]\ninherits = \"dev\"",
        good: "[profile.quick-check]\ninherits = \"dev\"",
        source: PROFILES,
    },
    Rule {
        code: "package-spec",
        level: Error,
        summary: "a package override whose spec cargo cannot parse",
        explanation: "Cargo refuses the manifest.",
        bad: "[profile.dev.package.\"serde@\"]\nopt-level = 3",
        good: "[profile.dev.package.\"serde@1.0.200\"]\nopt-level = 3",
        source: PROFILES,
    },
    Rule {
        code: "nested-override",
        level: Error,
        summary: "`package` or `build-override` inside an override",
        explanation: "Overrides are allowed only directly below a profile; cargo refuses the manifest.",
        bad: "[profile.dev.build-override.package.syn]\nopt-level = 3",
        good: "[profile.dev.package.syn]\nopt-level = 3",
        source: PROFILES,
    },
    Rule {
        code: "dir-name",
        level: Error,
        summary: "`dir-name` in a profile",
        explanation: "Cargo names a profile's output directory after the profile and refuses `dir-name`.",
        bad: "[profile.fast]\ninherits = \"dev\"\ndir-name = \"quick\"",
        good: "[profile.quick]\ninherits = \"dev\"",
        source: VERIFIED,
    },
    Rule {
        code: "override-key",
        level: Error,
        summary: "`panic`, `lto`, `rpath` or `inherits` in a package override or build-override",
        explanation: "These apply to the whole build, not to one package; cargo refuses them in overrides.",
        bad: "[profile.release.package.app]\nlto = true",
        good: "[profile.release]\nlto = true",
        source: PROFILES,
    },
    Rule {
        code: "member-profile",
        level: Warning,
        summary: "profiles in a member's manifest",
        explanation: "Cargo reads profiles only from the workspace root manifest and ignores these (with a warning), but still validates them: an error in them breaks the build.",
        bad: "# crates/app/Cargo.toml\n[profile.release]\nlto = true",
        good: "# Cargo.toml (the root)\n[profile.release]\nlto = true",
        source: PROFILES,
    },
    Rule {
        code: "legacy-value",
        level: Warning,
        summary: "an old spelling cargo still accepts (`lto = \"yes\"`)",
        explanation: "It works today, but the documented value says what it means.",
        bad: "[profile.release]\nlto = \"yes\"",
        good: "[profile.release]\nlto = true",
        source: PROFILES,
    },
    Rule {
        code: "ignored-on-stable",
        level: Warning,
        summary: "an unstable key that stable cargo ignores",
        explanation: "On stable cargo the key does nothing (cargo warns), so the setting silently has no effect.",
        bad: "[profile.dev]\nhint-mostly-unused = true",
        good: "# in a config file used only with nightly cargo\n[profile.dev]\nhint-mostly-unused = true",
        source: UNSTABLE,
    },
    Rule {
        code: "needs-nightly",
        level: Error,
        summary: "an unstable setting in a file stable cargo reads",
        explanation: "Stable cargo refuses the feature gate, so every stable command in the workspace fails.",
        bad: "cargo-features = [\"codegen-backend\"]\n[profile.dev]\ncodegen-backend = \"cranelift\"",
        good: "# .cargo/cranelift.toml, used as `cargo +nightly --config .cargo/cranelift.toml build`",
        source: UNSTABLE,
    },
    Rule {
        code: "missing-gate",
        level: Error,
        summary: "an unstable key whose feature is not enabled",
        explanation: "Nightly cargo refuses it without `cargo-features` (manifest) or `[unstable]` (config). A key that has no manifest feature (`hint-mostly-unused`) is only ignored, with cargo's warning: a warning here too.",
        bad: "[profile.dev]\ncodegen-backend = \"cranelift\"",
        good: "cargo-features = [\"codegen-backend\"]\n[profile.dev]\ncodegen-backend = \"cranelift\"",
        source: UNSTABLE,
    },
    Rule {
        code: "immediate-abort-without-build-std",
        level: Warning,
        summary: "`panic = \"immediate-abort\"` where no config file rebuilds std",
        explanation: "Gated or not, every binary, test and example built with the profile fails unless std is rebuilt with it (nightly 1.97: `the crate core was compiled with a panic strategy which is incompatible with immediate-abort`; a library alone still builds): `-Z build-std` on the command line, or `[unstable] build-std` in a config file. A warning, since the command line may bring it.",
        bad: "[profile.release]\npanic = \"immediate-abort\"",
        good: "# .cargo/config.toml\n[unstable]\nbuild-std = [\"std\", \"panic_abort\"]",
        source: VERIFIED,
    },
    Rule {
        code: "cranelift-missing",
        level: Warning,
        summary: "Cranelift asked for, but its rustup component is not installed",
        explanation: "Every build with that profile fails until it is.",
        bad: "[profile.dev]\ncodegen-backend = \"cranelift\"",
        good: "# after `rustup component add rustc-codegen-cranelift-preview --toolchain nightly`",
        source: "rustc_codegen_cranelift: https://github.com/rust-lang/rustc_codegen_cranelift",
    },
    Rule {
        code: "split-debuginfo-unsupported",
        level: Warning,
        summary: "a `split-debuginfo` value this target does not support",
        explanation: "Cargo silently drops it. The supported values come from `rustc --print split-debuginfo`.",
        bad: "# on Linux\n[profile.dev]\nsplit-debuginfo = \"unpacked\"",
        good: "[profile.dev]\nsplit-debuginfo = \"packed\"",
        source: PROFILES,
    },
    Rule {
        code: "ignored-panic",
        level: Warning,
        summary: "`panic` in `profile.test` or `profile.bench`",
        explanation: "Tests and benches always unwind; cargo ignores the setting.",
        bad: "[profile.bench]\npanic = \"abort\"",
        good: "[profile.release]\npanic = \"abort\"",
        source: PROFILES,
    },
    Rule {
        code: "explicit-strip-none",
        level: Warning,
        summary: "`strip = false` or `\"none\"` where the profile asks for no debug info",
        explanation: "Where the effective profile has no debug info, cargo strips std's debug info by itself; an explicit `strip = false` turns that off and every binary keeps about 4 MB more. Quiet where debug info is asked for, or where the key undoes a `strip` inherited from the parent.",
        bad: "[profile.release]\nstrip = false",
        good: "[profile.release]\n# strip left unset: cargo strips debug info by itself",
        source: PROFILES,
    },
    Rule {
        code: "strip-skips-override",
        level: Warning,
        summary: "a profile's `strip` does not reach a member that a package override matches",
        explanation: "Cargo builds a package matched by `[profile.P.package.<name>]` with the default strip, not the profile's: a release binary with an override ships unstripped. Verified with `cargo build --release -v`: `-C strip=debuginfo` for the overridden member, `-C strip=symbols` for the rest.",
        bad: "[profile.release]\nstrip = \"symbols\"\n[profile.release.package.app]\nopt-level = 2",
        good: "[profile.release]\nstrip = \"symbols\"\n[profile.release.package.app]\nopt-level = 2\nstrip = \"symbols\"",
        source: "cargo 1.95, verified here (issue found on real projects)",
    },
    Rule {
        code: "multiple-specs",
        level: Error,
        summary: "two package overrides that match one package",
        explanation: "Cargo refuses to build when two specs in one profile (`dep` and `dep@0.2.0`) match the same package.",
        bad: "[profile.dev.package.dep]\nopt-level = 1\n[profile.dev.package.\"dep@0.2.0\"]\nopt-level = 2",
        good: "[profile.dev.package.dep]\nopt-level = 2",
        source: VERIFIED,
    },
    Rule {
        code: "spec-mismatch",
        level: Warning,
        summary: "a package spec that differs from a package's name only by `-`/`_`",
        explanation: "Cargo does not treat `-` and `_` as the same in specs: the override matches nothing.",
        bad: "[profile.dev.package.serde_json]\nopt-level = 3  # the package is `serde-json`",
        good: "[profile.dev.package.serde-json]\nopt-level = 3",
        source: VERIFIED,
    },
    Rule {
        code: "spec-unmatched",
        level: Warning,
        summary: "a package spec that matches no package",
        explanation: "The override does nothing. A warning when `Cargo.lock` lists every package; a note without it, since the spec may name a transitive dependency.",
        bad: "[profile.dev.package.serd]\nopt-level = 3",
        good: "[profile.dev.package.serde]\nopt-level = 3",
        source: VERIFIED,
    },
    Rule {
        code: "release-without-assertions",
        level: Note,
        summary: "a testing profile that gets debug info but no debug assertions from `release`",
        explanation: "`debug` is symbols, not checks: a `staging` or `qa` profile inheriting `release` runs without `debug_assert!` and overflow checks unless it says so. Quiet for profiles meant for profiling, benchmarking or shipping (names with prof, bench, perf, rel, prod, dist, …).",
        bad: "[profile.staging]\ninherits = \"release\"\ndebug = true",
        good: "[profile.staging]\ninherits = \"release\"\ndebug = true\ndebug-assertions = true",
        source: PROFILES,
    },
    Rule {
        code: "star-excludes-members",
        level: Note,
        summary: "hand-written `package.\"*\"` settings never reach the workspace's own crates",
        explanation: "`\"*\"` matches every non-member package; often the point, sometimes a surprise. Quiet on tables a preset wrote, whose header says so.",
        bad: "[profile.dev.package.\"*\"]\nopt-level = 2  # expecting the app to be optimised too",
        good: "[profile.dev]\nopt-level = 1\n[profile.dev.package.\"*\"]\nopt-level = 2",
        source: PROFILES,
    },
    Rule {
        code: "root-inherits",
        level: Error,
        summary: "`inherits` in `dev` or `release`",
        explanation: "Cargo refuses `inherits` in its root profiles, from a file or from `CARGO_PROFILE_DEV_INHERITS` / `CARGO_PROFILE_RELEASE_INHERITS`, which it reads for every command (verified with cargo 1.95).",
        bad: "[profile.dev]\ninherits = \"release\"",
        good: "[profile.fast-dev]\ninherits = \"release\"",
        source: PROFILES,
    },
    Rule {
        code: "missing-inherits",
        level: Error,
        summary: "a custom profile without `inherits`",
        explanation: "Cargo refuses every command while a custom profile lacks it.",
        bad: "[profile.staging]\ndebug = true",
        good: "[profile.staging]\ninherits = \"release\"\ndebug = true",
        source: PROFILES,
    },
    Rule {
        code: "inherits-debug",
        level: Error,
        summary: "a profile inheriting `debug`, a name cargo reserves",
        explanation: "Cargo refuses it.",
        bad: "[profile.x]\ninherits = \"debug\"",
        good: "[profile.x]\ninherits = \"dev\"",
        source: VERIFIED,
    },
    Rule {
        code: "undefined-parent",
        level: Error,
        summary: "`inherits` names a profile that is not defined",
        explanation: "Cargo refuses every command using the profile. A warning where only a `CARGO_PROFILE_<NAME>_INHERITS` variable defines the profile: cargo checks such a profile only when a build uses it (verified with cargo 1.95).",
        bad: "[profile.x]\ninherits = \"stagin\"",
        good: "[profile.x]\ninherits = \"staging\"",
        source: PROFILES,
    },
    Rule {
        code: "inherits-loop",
        level: Error,
        summary: "profiles that inherit from each other in a loop",
        explanation: "Cargo refuses the manifest.",
        bad: "[profile.a]\ninherits = \"b\"\n[profile.b]\ninherits = \"a\"",
        good: "[profile.a]\ninherits = \"release\"\n[profile.b]\ninherits = \"a\"",
        source: PROFILES,
    },
    Rule {
        code: "env-collision",
        level: Note,
        summary: "profile names whose environment variables collide (`release-lto`)",
        explanation: "`CARGO_PROFILE_RELEASE_LTO_…` is read as `profile.release.lto.…`, so any such variable makes every cargo command fail. A note while none is set; an error when one is. Two names that differ only by `-`/`_` share every variable (a warning).",
        bad: "[profile.release-lto]\ninherits = \"release\"",
        good: "[profile.fat-lto]\ninherits = \"release\"",
        source: VERIFIED,
    },
    Rule {
        code: "member-missing",
        level: Error,
        summary: "a workspace member without a `Cargo.toml`",
        explanation: "Cargo loads every member for a build, and fails on one whose manifest is not there (`failed to load manifest for workspace member`).",
        bad: "[workspace]\nmembers = [\"crates/gone\"]",
        good: "[workspace]\nmembers = [\"crates/here\"]",
        source: VERIFIED,
    },
    Rule {
        code: "shadowed-config",
        level: Warning,
        summary: "a `config.toml` hidden by a legacy `config` beside it",
        explanation: "Cargo reads only the legacy `.cargo/config`; everything in `config.toml` is ignored.",
        bad: ".cargo/config + .cargo/config.toml",
        good: ".cargo/config.toml alone",
        source: CONFIG,
    },
    Rule {
        code: "user-profiles",
        level: Note,
        summary: "profiles in `$CARGO_HOME/config.toml`",
        explanation: "They apply to every project on the machine and to `cargo install`, and beat what each project commits.",
        bad: "# ~/.cargo/config.toml\n[profile.release]\nlto = true",
        good: "# the project's Cargo.toml\n[profile.release]\nlto = true",
        source: CONFIG,
    },
    Rule {
        code: "preset-overridden",
        level: Note,
        summary: "a config file or variable replaces a value a preset wrote into Cargo.toml",
        explanation: "Config files and `CARGO_PROFILE_*` variables beat Cargo.toml, so builds here do not get what the preset the project committed says. It may be on purpose (a personal setting); `status` says it too.",
        bad: "# Cargo.toml, from `apply fast-dev`\n[profile.dev]\ndebug = \"line-tables-only\"\n# .cargo/config.toml\n[profile.dev]\ndebug = true",
        good: "# Cargo.toml only\n[profile.dev]\ndebug = \"line-tables-only\"",
        source: CONFIG,
    },
    Rule {
        code: "env-ignored",
        level: Warning,
        summary: "a `CARGO_PROFILE_<NAME>_PACKAGE_…` variable",
        explanation: "Package overrides cannot be set from the environment; cargo ignores the variable.",
        bad: "CARGO_PROFILE_DEV_PACKAGE_FOO_OPT_LEVEL=3",
        good: "[profile.dev.package.foo]\nopt-level = 3",
        source: CONFIG,
    },
    Rule {
        code: "env-override",
        level: Warning,
        summary: "a `CARGO_PROFILE_*` or `CARGO_INCREMENTAL` variable is set",
        explanation: "It beats every file, so what the files say is not what builds get.",
        bad: "CARGO_PROFILE_RELEASE_LTO=false cargo build --release",
        good: "cargo build --release",
        source: CONFIG,
    },
    Rule {
        code: "env-rustflags",
        level: Warning,
        summary: "`RUSTFLAGS` or `CARGO_ENCODED_RUSTFLAGS` is set",
        explanation: "It replaces every config file's `rustflags`, and flags like `-C opt-level` fight the profile settings.",
        bad: "RUSTFLAGS=\"-C opt-level=3\" cargo build",
        good: "[profile.dev]\nopt-level = 3",
        source: CONFIG,
    },
    Rule {
        code: "rustflags-unread",
        level: Warning,
        summary: "a `[build].rustflags` that a matching `[target]` table hides",
        explanation: "Cargo takes rustflags from the `[target]` tables that match the machine, and then ignores `[build].rustflags` entirely: those flags do nothing here.",
        bad: "[build]\nrustflags = [\"-C\", \"target-cpu=native\"]\n[target.x86_64-unknown-linux-gnu]\nrustflags = [\"-C\", \"force-frame-pointers=yes\"]",
        good: "[target.x86_64-unknown-linux-gnu]\nrustflags = [\"-C\", \"force-frame-pointers=yes\", \"-C\", \"target-cpu=native\"]",
        source: CONFIG,
    },
    Rule {
        code: "rustflags-merge",
        level: Error,
        summary: "`rustflags` as a string in one config file and as an array in another",
        explanation: "Cargo merges config files before reading them: arrays join, a string replaces a lower file's string, and a string meeting an array is an error (`failed to merge config value`), so every cargo command fails. Verified with cargo 1.95.",
        bad: "# ~/.cargo/config.toml\n[build]\nrustflags = [\"--cfg\", \"a\"]\n# .cargo/config.toml\n[build]\nrustflags = \"--cfg b\"",
        good: "# ~/.cargo/config.toml\n[build]\nrustflags = [\"--cfg\", \"a\"]\n# .cargo/config.toml\n[build]\nrustflags = [\"--cfg\", \"b\"]",
        source: CONFIG_VERIFIED,
    },
    Rule {
        code: "include-form",
        level: Error,
        summary: "`include` in a config file is a string, not a list",
        explanation: "Cargo 1.95 accepts only a list of paths or `{ path, optional }` tables, and refuses to load the config otherwise: every cargo command fails.",
        bad: "include = \"extra.toml\"",
        good: "include = [\"extra.toml\"]",
        source: CONFIG_VERIFIED,
    },
    Rule {
        code: "unstable-rustflags",
        level: Error,
        summary: "a `-Z` flag in the rustflags cargo uses, with a stable rustc",
        explanation: "Cargo passes its rustflags to the first rustc it runs, to learn about the target; stable rustc refuses `-Z` (`the option `Z` is only accepted on the nightly compiler`), so every cargo command fails, `cargo metadata` included. Verified with cargo 1.95.",
        bad: "[build]\nrustflags = [\"-Z\", \"share-generics\"]",
        good: "# .cargo/nightly.toml, used as `cargo +nightly --config .cargo/nightly.toml build`\n[build]\nrustflags = [\"-Z\", \"share-generics\"]",
        source: CONFIG_VERIFIED,
    },
    Rule {
        code: "rustflags-cfg-loop",
        level: Warning,
        summary: "a `[target.'cfg(…)']` table switched on by a `--cfg` in the rustflags it hides",
        explanation: "Cargo matches `cfg(…)` tables against what rustc says given the rustflags found without them; the table's flags then hide `[build]`, and with them the `--cfg` that switched it on. Cargo warns (`non-trivial mutual dependency between target-specific configuration and RUSTFLAGS`) and passes the table's flags alone. Verified with cargo 1.95.",
        bad: "[build]\nrustflags = [\"--cfg\", \"foo\"]\n[target.'cfg(foo)']\nrustflags = [\"--cfg\", \"bar\"]",
        good: "[build]\nrustflags = [\"--cfg\", \"foo\"]\n[target.'cfg(foo)']\nrustflags = [\"--cfg\", \"foo\", \"--cfg\", \"bar\"]",
        source: CONFIG_VERIFIED,
    },
    Rule {
        code: "unknown-lint",
        level: Warning,
        summary: "a lint level or `allow` comment names no rule",
        explanation: "The level does nothing; a typo, or a rule that was renamed.",
        bad: "[workspace.metadata.cargo-presets.lints]\nstrip-none = \"allow\"",
        good: "[workspace.metadata.cargo-presets.lints]\nexplicit-strip-none = \"allow\"",
        source: "cargo-presets",
    },
];

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

/// The rule a mistyped code most likely means: one spelled within three edits, or one that
/// contains it (`strip-none` for `explicit-strip-none`).
pub fn closest(code: &str) -> Option<&'static str> {
    crate::suggest::closest(code, RULES.iter().map(|r| r.code), 3)
        .or_else(|| RULES.iter().map(|r| r.code).find(|known| code.len() >= 4 && known.contains(code)))
}

/// What `check --explain CODE` prints.
pub fn explain(rule: &Rule) -> String {
    let indent = |text: &str| text.lines().map(|l| format!("    {l}\n")).collect::<String>();
    format!(
        "{} ({} by default): {}\n\n{}\n\nTriggers it:\n{}\nFixed:\n{}\nSource: {}\n",
        rule.code,
        rule.level.name(),
        rule.summary,
        rule.explanation,
        indent(rule.bad),
        indent(rule.good),
        rule.source
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_listed_once_and_every_code_check_emits_is_listed() {
        for (i, rule) in RULES.iter().enumerate() {
            assert!(!RULES[..i].iter().any(|r| r.code == rule.code), "`{}` twice", rule.code);
        }
        // The codes as the sources write them: `code: "x"`, `Severity::Y, "x"`, `"x",` on the
        // line after `Severity::Y,` or `problem(`, or a `("x", help)` pair.
        let mut emitted = Vec::new();
        for source in [include_str!("mod.rs"), include_str!("../cargo/profiles.rs"), include_str!("levels.rs")] {
            let lines: Vec<&str> = source.lines().map(str::trim).collect();
            for (i, line) in lines.iter().enumerate() {
                let after_severity = i > 0
                    && (lines[i - 1].starts_with("Severity::") && lines[i - 1].ends_with(',')
                        || lines[i - 1].ends_with("problem("));
                let quoted = |from: &str| from.split('"').nth(1).map(str::to_owned);
                if let Some(rest) = line.split("code: \"").nth(1) {
                    emitted.extend(rest.split('"').next().map(str::to_owned));
                } else if let Some(rest) = line
                    .split("Severity::")
                    .nth(1)
                    .or_else(|| line.split("self.push(").nth(1))
                    .and_then(|r| r.split_once(", \""))
                {
                    emitted.extend(quoted(&format!("\"{}", rest.1)));
                } else if after_severity && line.starts_with('"') && line.ends_with("\",") {
                    emitted.extend(quoted(line));
                } else if let Some((code, _)) = line.split("(\"").nth(1).and_then(|r| r.split_once("\", &")) {
                    emitted.push(code.to_owned());
                }
            }
        }
        emitted.retain(|c| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'));
        assert!(emitted.len() >= 30, "the scan found only {emitted:?}");
        for code in &emitted {
            assert!(rule(code).is_some(), "`{code}` is emitted but missing from the catalogue");
        }
        for rule in RULES {
            assert!(emitted.iter().any(|c| c == rule.code), "`{}` is in the catalogue but never emitted", rule.code);
        }
    }

    #[test]
    fn explanations_show_both_examples_and_the_source() {
        let text = explain(rule("missing-inherits").unwrap());
        assert!(
            text.starts_with("missing-inherits (error by default): a custom profile without `inherits`\n"),
            "{text}"
        );
        assert!(text.contains("Triggers it:\n    [profile.staging]\n    debug = true\n"), "{text}");
        assert!(
            text.ends_with(
                "Source: Cargo reference, Profiles: https://doc.rust-lang.org/cargo/reference/profiles.html\n"
            )
        );
    }
}
