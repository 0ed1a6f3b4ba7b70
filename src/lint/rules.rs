//! The catalogue of `check`'s rules: one entry per code, in one declarative place. The list
//! below makes both the enum of codes ([`Code`]), which every finding names (so a misspelt code
//! does not compile), and the entries (`RULES`): `check --explain CODE` prints an entry, the
//! README's table lists them (a test keeps the two equal), and lint levels name them.

use std::fmt;

/// How much a finding matters: the rule's usual level, or the one the project sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

pub struct Rule {
    pub code: Code,
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

/// Makes `Code` and `RULES` from one list of `Variant = "code" { level, summary, … }`, in the
/// order of the list: `RULES[code as usize]` is the code's entry.
macro_rules! catalogue {
    ($($variant:ident = $code:literal {
        level: $level:ident,
        summary: $summary:expr,
        explanation: $explanation:expr,
        bad: $bad:expr,
        good: $good:expr,
        source: $source:expr $(,)?
    }),* $(,)?) => {
        /// A rule's stable name, as findings, JSON output, lint levels and `--explain` show it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Code {
            $($variant),*
        }

        impl Code {
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code),*
                }
            }
        }

        pub const RULES: &[Rule] = &[$(Rule {
            code: Code::$variant,
            level: Severity::$level,
            summary: $summary,
            explanation: $explanation,
            bad: $bad,
            good: $good,
            source: $source,
        }),*];
    };
}

const PROFILES: &str = "Cargo reference, Profiles: https://doc.rust-lang.org/cargo/reference/profiles.html";
const CONFIG: &str = "Cargo reference, Configuration: https://doc.rust-lang.org/cargo/reference/config.html";
const UNSTABLE: &str = "Cargo reference, Unstable features: https://doc.rust-lang.org/cargo/reference/unstable.html";
const VERIFIED: &str = "cargo 1.95, verified: shared/reference/cargo-profiles.md";
const CONFIG_VERIFIED: &str = "cargo 1.95, verified: shared/reference/cargo-config.md";

catalogue! {
    Parse = "parse" {
        level: Error,
        summary: "a manifest or config file is not valid TOML",
        explanation: "Cargo cannot read the file, so every command fails. Nothing else in it is checked.",
        bad: "[profile.dev\nopt-level = 1",
        good: "[profile.dev]\nopt-level = 1",
        source: "TOML 1.0: https://toml.io/en/v1.0.0",
    },
    InvalidValue = "invalid-value" {
        level: Error,
        summary: "a value outside the key's domain, or of the wrong type",
        explanation: "Cargo refuses the manifest (or rustc the flag), so every build fails.",
        bad: "[profile.dev]\nopt-level = 4",
        good: "[profile.dev]\nopt-level = 3",
        source: PROFILES,
    },
    UnknownKey = "unknown-key" {
        level: Error,
        summary: "a key cargo does not know in a profile",
        explanation: "Cargo warns and ignores it, so the setting silently does nothing; often a typo or the snake_case spelling of a key.",
        bad: "[profile.dev]\nopt_level = 1",
        good: "[profile.dev]\nopt-level = 1",
        source: PROFILES,
    },
    NotATable = "not-a-table" {
        level: Error,
        summary: "`profile`, a profile or an override is not a table",
        explanation: "Cargo refuses the manifest.",
        bad: "profile = 1",
        good: "[profile.dev]\nopt-level = 1",
        source: PROFILES,
    },
    ProfileName = "profile-name" {
        level: Error,
        summary: "a profile name cargo reserves or refuses",
        explanation: "Empty names, names with characters other than letters, digits, `-` and `_`, and reserved names (`build`, `check`, `debug`, `doc`, `cargo…`, …) are refused. `[profile.doc]` is only a warning: cargo accepts it and it has no effect.",
        bad: "[profile.check]\ninherits = \"dev\"",
        good: "[profile.quick-check]\ninherits = \"dev\"",
        source: PROFILES,
    },
    PackageSpec = "package-spec" {
        level: Error,
        summary: "a package override whose spec cargo cannot parse",
        explanation: "Cargo refuses the manifest.",
        bad: "[profile.dev.package.\"serde@\"]\nopt-level = 3",
        good: "[profile.dev.package.\"serde@1.0.200\"]\nopt-level = 3",
        source: PROFILES,
    },
    NestedOverride = "nested-override" {
        level: Error,
        summary: "`package` or `build-override` inside an override",
        explanation: "Overrides are allowed only directly below a profile; cargo refuses the manifest.",
        bad: "[profile.dev.build-override.package.syn]\nopt-level = 3",
        good: "[profile.dev.package.syn]\nopt-level = 3",
        source: PROFILES,
    },
    DirName = "dir-name" {
        level: Error,
        summary: "`dir-name` in a profile",
        explanation: "Cargo names a profile's output directory after the profile and refuses `dir-name`.",
        bad: "[profile.fast]\ninherits = \"dev\"\ndir-name = \"quick\"",
        good: "[profile.quick]\ninherits = \"dev\"",
        source: VERIFIED,
    },
    OverrideKey = "override-key" {
        level: Error,
        summary: "`panic`, `lto`, `rpath` or `inherits` in a package override or build-override",
        explanation: "These apply to the whole build, not to one package; cargo refuses them in overrides.",
        bad: "[profile.release.package.app]\nlto = true",
        good: "[profile.release]\nlto = true",
        source: PROFILES,
    },
    MemberProfile = "member-profile" {
        level: Warning,
        summary: "profiles in a member's manifest",
        explanation: "Cargo reads profiles only from the workspace root manifest and ignores these (with a warning), but still validates them: an error in them breaks the build.",
        bad: "# crates/app/Cargo.toml\n[profile.release]\nlto = true",
        good: "# Cargo.toml (the root)\n[profile.release]\nlto = true",
        source: PROFILES,
    },
    LegacyValue = "legacy-value" {
        level: Warning,
        summary: "an old spelling cargo still accepts (`lto = \"yes\"`)",
        explanation: "It works today, but the documented value says what it means.",
        bad: "[profile.release]\nlto = \"yes\"",
        good: "[profile.release]\nlto = true",
        source: PROFILES,
    },
    IgnoredOnStable = "ignored-on-stable" {
        level: Warning,
        summary: "an unstable key that stable cargo ignores",
        explanation: "On stable cargo the key does nothing (cargo warns), so the setting silently has no effect.",
        bad: "[profile.dev]\nhint-mostly-unused = true",
        good: "# in a config file used only with nightly cargo\n[profile.dev]\nhint-mostly-unused = true",
        source: UNSTABLE,
    },
    NeedsNightly = "needs-nightly" {
        level: Error,
        summary: "an unstable setting in a file stable cargo reads",
        explanation: "Stable cargo refuses the feature gate, so every stable command in the workspace fails.",
        bad: "cargo-features = [\"codegen-backend\"]\n[profile.dev]\ncodegen-backend = \"cranelift\"",
        good: "# .cargo/cranelift.toml, used as `cargo +nightly --config .cargo/cranelift.toml build`",
        source: UNSTABLE,
    },
    MissingGate = "missing-gate" {
        level: Error,
        summary: "an unstable key whose feature is not enabled",
        explanation: "Nightly cargo refuses it without `cargo-features` (manifest) or `[unstable]` (config). A key that has no manifest feature (`hint-mostly-unused`) is only ignored, with cargo's warning: a warning here too.",
        bad: "[profile.dev]\ncodegen-backend = \"cranelift\"",
        good: "cargo-features = [\"codegen-backend\"]\n[profile.dev]\ncodegen-backend = \"cranelift\"",
        source: UNSTABLE,
    },
    ImmediateAbortWithoutBuildStd = "immediate-abort-without-build-std" {
        level: Warning,
        summary: "`panic = \"immediate-abort\"` where no config file rebuilds std",
        explanation: "Gated or not, every binary, test and example built with the profile fails unless std is rebuilt with it (nightly 1.97: `the crate core was compiled with a panic strategy which is incompatible with immediate-abort`; a library alone still builds): `-Z build-std` on the command line, or `[unstable] build-std` in a config file. A warning, since the command line may bring it.",
        bad: "[profile.release]\npanic = \"immediate-abort\"",
        good: "# .cargo/config.toml\n[unstable]\nbuild-std = [\"std\", \"panic_abort\"]",
        source: VERIFIED,
    },
    CraneliftMissing = "cranelift-missing" {
        level: Warning,
        summary: "Cranelift asked for, but its rustup component is not installed",
        explanation: "Every build with that profile fails until it is.",
        bad: "[profile.dev]\ncodegen-backend = \"cranelift\"",
        good: "# after `rustup component add rustc-codegen-cranelift-preview --toolchain nightly`",
        source: "rustc_codegen_cranelift: https://github.com/rust-lang/rustc_codegen_cranelift",
    },
    SplitDebuginfoUnsupported = "split-debuginfo-unsupported" {
        level: Warning,
        summary: "a `split-debuginfo` value this target does not support",
        explanation: "Cargo silently drops it. The supported values come from `rustc --print split-debuginfo`.",
        bad: "# on Linux\n[profile.dev]\nsplit-debuginfo = \"unpacked\"",
        good: "[profile.dev]\nsplit-debuginfo = \"packed\"",
        source: PROFILES,
    },
    IgnoredPanic = "ignored-panic" {
        level: Warning,
        summary: "`panic` in `profile.test` or `profile.bench`",
        explanation: "Tests and benches always unwind; cargo ignores the setting.",
        bad: "[profile.bench]\npanic = \"abort\"",
        good: "[profile.release]\npanic = \"abort\"",
        source: PROFILES,
    },
    ExplicitStripNone = "explicit-strip-none" {
        level: Warning,
        summary: "`strip = false` or `\"none\"` where the profile asks for no debug info",
        explanation: "Where the effective profile has no debug info, cargo strips std's debug info by itself; an explicit `strip = false` turns that off and every binary keeps about 4 MB more. Quiet where debug info is asked for, or where the key undoes a `strip` inherited from the parent.",
        bad: "[profile.release]\nstrip = false",
        good: "[profile.release]\n# strip left unset: cargo strips debug info by itself",
        source: PROFILES,
    },
    StripSkipsOverride = "strip-skips-override" {
        level: Warning,
        summary: "a profile's `strip` does not reach a member that a package override matches",
        explanation: "Cargo builds a package matched by `[profile.P.package.<name>]` with the default strip, not the profile's: a release binary with an override ships unstripped. Verified with `cargo build --release -v`: `-C strip=debuginfo` for the overridden member, `-C strip=symbols` for the rest.",
        bad: "[profile.release]\nstrip = \"symbols\"\n[profile.release.package.app]\nopt-level = 2",
        good: "[profile.release]\nstrip = \"symbols\"\n[profile.release.package.app]\nopt-level = 2\nstrip = \"symbols\"",
        source: "cargo 1.95, verified here (issue found on real projects)",
    },
    MultipleSpecs = "multiple-specs" {
        level: Error,
        summary: "two package overrides that match one package",
        explanation: "Cargo refuses to build when two specs in one profile (`dep` and `dep@0.2.0`) match the same package.",
        bad: "[profile.dev.package.dep]\nopt-level = 1\n[profile.dev.package.\"dep@0.2.0\"]\nopt-level = 2",
        good: "[profile.dev.package.dep]\nopt-level = 2",
        source: VERIFIED,
    },
    SpecMismatch = "spec-mismatch" {
        level: Warning,
        summary: "a package spec that differs from a package's name only by `-`/`_`",
        explanation: "Cargo does not treat `-` and `_` as the same in specs: the override matches nothing.",
        bad: "[profile.dev.package.serde_json]\nopt-level = 3  # the package is `serde-json`",
        good: "[profile.dev.package.serde-json]\nopt-level = 3",
        source: VERIFIED,
    },
    SpecUnmatched = "spec-unmatched" {
        level: Warning,
        summary: "a package spec that matches no package",
        explanation: "The override does nothing. A warning when `Cargo.lock` lists every package; a note without it, since the spec may name a transitive dependency.",
        bad: "[profile.dev.package.serd]\nopt-level = 3",
        good: "[profile.dev.package.serde]\nopt-level = 3",
        source: VERIFIED,
    },
    ReleaseWithoutAssertions = "release-without-assertions" {
        level: Note,
        summary: "a testing profile that gets debug info but no debug assertions from `release`",
        explanation: "`debug` is symbols, not checks: a `staging` or `qa` profile inheriting `release` runs without `debug_assert!` and overflow checks unless it says so. Quiet for profiles meant for profiling, benchmarking or shipping (names with prof, bench, perf, rel, prod, dist, …).",
        bad: "[profile.staging]\ninherits = \"release\"\ndebug = true",
        good: "[profile.staging]\ninherits = \"release\"\ndebug = true\ndebug-assertions = true",
        source: PROFILES,
    },
    StarExcludesMembers = "star-excludes-members" {
        level: Note,
        summary: "hand-written `package.\"*\"` settings never reach the workspace's own crates",
        explanation: "`\"*\"` matches every non-member package; often the point, sometimes a surprise. Quiet on tables a preset wrote, whose header says so.",
        bad: "[profile.dev.package.\"*\"]\nopt-level = 2  # expecting the app to be optimised too",
        good: "[profile.dev]\nopt-level = 1\n[profile.dev.package.\"*\"]\nopt-level = 2",
        source: PROFILES,
    },
    RootInherits = "root-inherits" {
        level: Error,
        summary: "`inherits` in `dev` or `release`",
        explanation: "Cargo refuses `inherits` in its root profiles, from a file or from `CARGO_PROFILE_DEV_INHERITS` / `CARGO_PROFILE_RELEASE_INHERITS`, which it reads for every command (verified with cargo 1.95).",
        bad: "[profile.dev]\ninherits = \"release\"",
        good: "[profile.fast-dev]\ninherits = \"release\"",
        source: PROFILES,
    },
    MissingInherits = "missing-inherits" {
        level: Error,
        summary: "a custom profile without `inherits`",
        explanation: "Cargo refuses every command while a custom profile lacks it.",
        bad: "[profile.staging]\ndebug = true",
        good: "[profile.staging]\ninherits = \"release\"\ndebug = true",
        source: PROFILES,
    },
    InheritsDebug = "inherits-debug" {
        level: Error,
        summary: "a profile inheriting `debug`, a name cargo reserves",
        explanation: "Cargo refuses it.",
        bad: "[profile.x]\ninherits = \"debug\"",
        good: "[profile.x]\ninherits = \"dev\"",
        source: VERIFIED,
    },
    UndefinedParent = "undefined-parent" {
        level: Error,
        summary: "`inherits` names a profile that is not defined",
        explanation: "Cargo refuses every command using the profile. A warning where only a `CARGO_PROFILE_<NAME>_INHERITS` variable defines the profile: cargo checks such a profile only when a build uses it (verified with cargo 1.95).",
        bad: "[profile.x]\ninherits = \"stagin\"",
        good: "[profile.x]\ninherits = \"staging\"",
        source: PROFILES,
    },
    InheritsLoop = "inherits-loop" {
        level: Error,
        summary: "profiles that inherit from each other in a loop",
        explanation: "Cargo refuses the manifest.",
        bad: "[profile.a]\ninherits = \"b\"\n[profile.b]\ninherits = \"a\"",
        good: "[profile.a]\ninherits = \"release\"\n[profile.b]\ninherits = \"a\"",
        source: PROFILES,
    },
    EnvCollision = "env-collision" {
        level: Note,
        summary: "profile names whose environment variables collide (`release-lto`)",
        explanation: "`CARGO_PROFILE_RELEASE_LTO_…` is read as `profile.release.lto.…`, so any such variable makes every cargo command fail. A note while none is set; an error when one is. Two names that differ only by `-`/`_` share every variable (a warning).",
        bad: "[profile.release-lto]\ninherits = \"release\"",
        good: "[profile.fat-lto]\ninherits = \"release\"",
        source: VERIFIED,
    },
    MemberMissing = "member-missing" {
        level: Error,
        summary: "a workspace member without a `Cargo.toml`",
        explanation: "Cargo loads every member for a build, and fails on one whose manifest is not there (`failed to load manifest for workspace member`).",
        bad: "[workspace]\nmembers = [\"crates/gone\"]",
        good: "[workspace]\nmembers = [\"crates/here\"]",
        source: VERIFIED,
    },
    ShadowedConfig = "shadowed-config" {
        level: Warning,
        summary: "a `config.toml` hidden by a legacy `config` beside it",
        explanation: "Cargo reads only the legacy `.cargo/config`; everything in `config.toml` is ignored.",
        bad: ".cargo/config + .cargo/config.toml",
        good: ".cargo/config.toml alone",
        source: CONFIG,
    },
    UserProfiles = "user-profiles" {
        level: Note,
        summary: "profiles in `$CARGO_HOME/config.toml`",
        explanation: "They apply to every project on the machine and to `cargo install`, and beat what each project commits.",
        bad: "# ~/.cargo/config.toml\n[profile.release]\nlto = true",
        good: "# the project's Cargo.toml\n[profile.release]\nlto = true",
        source: CONFIG,
    },
    PresetOverridden = "preset-overridden" {
        level: Note,
        summary: "a config file or variable replaces a value a preset wrote into Cargo.toml",
        explanation: "Config files and `CARGO_PROFILE_*` variables beat Cargo.toml, so builds here do not get what the preset the project committed says. It may be on purpose (a personal setting); `status` says it too.",
        bad: "# Cargo.toml, from `apply fast-dev`\n[profile.dev]\ndebug = \"line-tables-only\"\n# .cargo/config.toml\n[profile.dev]\ndebug = true",
        good: "# Cargo.toml only\n[profile.dev]\ndebug = \"line-tables-only\"",
        source: CONFIG,
    },
    EnvIgnored = "env-ignored" {
        level: Warning,
        summary: "a `CARGO_PROFILE_<NAME>_PACKAGE_…` variable",
        explanation: "Package overrides cannot be set from the environment; cargo ignores the variable.",
        bad: "CARGO_PROFILE_DEV_PACKAGE_FOO_OPT_LEVEL=3",
        good: "[profile.dev.package.foo]\nopt-level = 3",
        source: CONFIG,
    },
    EnvOverride = "env-override" {
        level: Warning,
        summary: "a `CARGO_PROFILE_*` or `CARGO_INCREMENTAL` variable is set",
        explanation: "It beats every file, so what the files say is not what builds get.",
        bad: "CARGO_PROFILE_RELEASE_LTO=false cargo build --release",
        good: "cargo build --release",
        source: CONFIG,
    },
    EnvRustflags = "env-rustflags" {
        level: Warning,
        summary: "`RUSTFLAGS` or `CARGO_ENCODED_RUSTFLAGS` is set",
        explanation: "It replaces every config file's `rustflags`, and flags like `-C opt-level` fight the profile settings.",
        bad: "RUSTFLAGS=\"-C opt-level=3\" cargo build",
        good: "[profile.dev]\nopt-level = 3",
        source: CONFIG,
    },
    RustflagsUnread = "rustflags-unread" {
        level: Warning,
        summary: "a `[build].rustflags` that a matching `[target]` table hides",
        explanation: "Cargo takes rustflags from the `[target]` tables that match the machine, and then ignores `[build].rustflags` entirely: those flags do nothing here.",
        bad: "[build]\nrustflags = [\"-C\", \"target-cpu=native\"]\n[target.x86_64-unknown-linux-gnu]\nrustflags = [\"-C\", \"force-frame-pointers=yes\"]",
        good: "[target.x86_64-unknown-linux-gnu]\nrustflags = [\"-C\", \"force-frame-pointers=yes\", \"-C\", \"target-cpu=native\"]",
        source: CONFIG,
    },
    RustflagsMerge = "rustflags-merge" {
        level: Error,
        summary: "`rustflags` as a string in one config file and as an array in another",
        explanation: "Cargo merges config files before reading them: arrays join, a string replaces a lower file's string, and a string meeting an array is an error (`failed to merge config value`), so every cargo command fails. Verified with cargo 1.95.",
        bad: "# ~/.cargo/config.toml\n[build]\nrustflags = [\"--cfg\", \"a\"]\n# .cargo/config.toml\n[build]\nrustflags = \"--cfg b\"",
        good: "# ~/.cargo/config.toml\n[build]\nrustflags = [\"--cfg\", \"a\"]\n# .cargo/config.toml\n[build]\nrustflags = [\"--cfg\", \"b\"]",
        source: CONFIG_VERIFIED,
    },
    IncludeForm = "include-form" {
        level: Error,
        summary: "`include` in a config file is a string, not a list",
        explanation: "Cargo 1.95 accepts only a list of paths or `{ path, optional }` tables, and refuses to load the config otherwise: every cargo command fails.",
        bad: "include = \"extra.toml\"",
        good: "include = [\"extra.toml\"]",
        source: CONFIG_VERIFIED,
    },
    UnstableRustflags = "unstable-rustflags" {
        level: Error,
        summary: "a `-Z` flag in the rustflags cargo uses, with a stable rustc",
        explanation: "Cargo passes its rustflags to the first rustc it runs, to learn about the target; stable rustc refuses `-Z` (`the option `Z` is only accepted on the nightly compiler`), so every cargo command fails, `cargo metadata` included. Verified with cargo 1.95.",
        bad: "[build]\nrustflags = [\"-Z\", \"share-generics\"]",
        good: "# .cargo/nightly.toml, used as `cargo +nightly --config .cargo/nightly.toml build`\n[build]\nrustflags = [\"-Z\", \"share-generics\"]",
        source: CONFIG_VERIFIED,
    },
    RustflagsCfgLoop = "rustflags-cfg-loop" {
        level: Warning,
        summary: "a `[target.'cfg(…)']` table switched on by a `--cfg` in the rustflags it hides",
        explanation: "Cargo matches `cfg(…)` tables against what rustc says given the rustflags found without them; the table's flags then hide `[build]`, and with them the `--cfg` that switched it on. Cargo warns (`non-trivial mutual dependency between target-specific configuration and RUSTFLAGS`) and passes the table's flags alone. Verified with cargo 1.95.",
        bad: "[build]\nrustflags = [\"--cfg\", \"foo\"]\n[target.'cfg(foo)']\nrustflags = [\"--cfg\", \"bar\"]",
        good: "[build]\nrustflags = [\"--cfg\", \"foo\"]\n[target.'cfg(foo)']\nrustflags = [\"--cfg\", \"foo\", \"--cfg\", \"bar\"]",
        source: CONFIG_VERIFIED,
    },
    UnknownLint = "unknown-lint" {
        level: Warning,
        summary: "a lint level or `allow` comment names no rule",
        explanation: "The level does nothing; a typo, or a rule that was renamed.",
        bad: "[workspace.metadata.cargo-presets.lints]\nstrip-none = \"allow\"",
        good: "[workspace.metadata.cargo-presets.lints]\nexplicit-strip-none = \"allow\"",
        source: "cargo-presets",
    },
}

impl Code {
    /// The code's entry in the catalogue.
    pub fn rule(self) -> &'static Rule {
        &RULES[self as usize]
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// As its name, in JSON output.
impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// The rule a code written by a user names (`check --explain`, lint levels, allow comments).
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code.as_str() == code)
}

/// The rule a mistyped code most likely means: one spelled within three edits, or one that
/// contains it (`strip-none` for `explicit-strip-none`).
pub fn closest(code: &str) -> Option<Code> {
    let names = || RULES.iter().map(|r| r.code.as_str());
    let known = crate::suggest::closest(code, names(), 3)
        .or_else(|| names().find(|known| code.len() >= 4 && known.contains(code)))?;
    rule(known).map(|r| r.code)
}

/// What `check --explain CODE` prints.
pub fn explain(rule: &Rule) -> String {
    let indent = |text: &str| text.lines().map(|l| format!("    {l}\n")).collect::<String>();
    format!(
        "{} ({} by default): {}\n\n{}\n\nTriggers it:\n{}\nFixed:\n{}\nSource: {}\n",
        rule.code.as_str(),
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
    fn each_code_names_its_own_entry_and_users_write_it_by_name() {
        for entry in RULES {
            assert_eq!(entry.code.rule().code, entry.code);
            assert_eq!(rule(entry.code.as_str()).map(|r| r.code), Some(entry.code));
        }
        assert!(rule("explicit-strip").is_none());
        assert_eq!(closest("explicit-strip"), Some(Code::ExplicitStripNone));
        assert_eq!(closest("strip-none"), Some(Code::ExplicitStripNone));
        assert_eq!(closest("nothing-like-it"), None);
    }

    #[test]
    fn explanations_show_both_examples_and_the_source() {
        let text = explain(Code::MissingInherits.rule());
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
