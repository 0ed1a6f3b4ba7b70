//! `verify` with real cargo: it passes where the flags match the profile, and fails with the
//! right cause where an environment variable, a config file or a mismatched package spec makes
//! rustc get something else.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Member `app` depending on `dep-x`, a path dependency outside the workspace members, with
/// `profile` in the root manifest.
fn workspace(name: &str, profile: &str) -> PathBuf {
    common::app_and_dependency("verify", name, "dep-x", &format!("\n{profile}"))
}

const PROFILE: &str = "[profile.dev]\nopt-level = 1\ndebug = \"line-tables-only\"\n\n[profile.dev.package.\"*\"]\nopt-level = 2\ndebug = false\n";

fn verify(dir: &Path, env: &[(&str, &str)]) -> (i32, serde_json::Value, String) {
    verify_profile(dir, "dev", env)
}

/// The report of a `verify` with `env` that passes.
fn passes(dir: &Path, env: &[(&str, &str)]) -> serde_json::Value {
    let (status, report, stderr) = verify(dir, env);
    assert_eq!(status, 0, "{report:#}\n{stderr}");
    report
}

/// `cargo presets verify <args>` in `dir`, offline, with none of the variables it reads.
fn verify_command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-presets"));
    command.env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"));
    command.args(["presets", "verify"]).args(args).current_dir(dir).env("CARGO_NET_OFFLINE", "true");
    for (key, _) in std::env::vars() {
        if cargo_presets::verify::reads_variable(&key) || key == "CARGO_BUILD_TARGET" {
            command.env_remove(key);
        }
    }
    command
}

fn verify_profile(dir: &Path, profile: &str, env: &[(&str, &str)]) -> (i32, serde_json::Value, String) {
    let mut command = verify_command(dir, &[profile, "--format", "json"]);
    command.envs(env.iter().copied());
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("no JSON report:\n{stderr}"));
    common::assert_report_shape("verify", &report);
    (output.status.code().unwrap_or(-1), report, stderr)
}

fn single_mismatch(report: &serde_json::Value) -> &serde_json::Value {
    let mismatches = report["mismatches"].as_array().unwrap();
    assert_eq!(mismatches.len(), 1, "{report:#}");
    &mismatches[0]
}

#[test]
fn passes_when_every_unit_gets_what_the_profile_says() {
    let dir = workspace("pass", PROFILE);
    let report = passes(&dir, &[]);
    assert_eq!(report["units"], 2);
}

/// `verify -v` shows each unit as cargo starts it, counted (on a terminal, one line rewritten
/// in place instead); no total is announced, which stable cargo cannot give before it builds.
#[test]
fn verbose_shows_progress_while_cargo_builds() {
    let dir = workspace("progress", PROFILE);
    let output = verify_command(&dir, &["-v"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let lines: Vec<&str> = stderr.lines().map(str::trim_start).collect();
    let at = |line: &str| lines.iter().position(|l| *l == line).unwrap_or_else(|| panic!("no `{line}` in:\n{stderr}"));
    let first = at("Compiling [1] dep_x");
    let second = at("Compiling [2] app");
    let verdict = at("Verified 2 units of profile `dev`: every unit got what the profile says");
    assert!(first < second && second < verdict, "{stderr}");
    assert!(!stderr.contains("Comparing") && !stderr.contains("unit-graph"), "{stderr}");
}

/// The notes of a report: key, value and source of each key rustflags set.
fn notes(report: &serde_json::Value) -> Vec<(String, String, String)> {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    let notes = report["set_by_rustflags"].as_array().unwrap_or_else(|| panic!("no notes: {report:#}"));
    notes.iter().map(|n| (text(&n["key"]), text(&n["value"]), text(&n["source"]))).collect()
}

fn note(key: &str, value: &str, source: &str) -> (String, String, String) {
    (key.to_owned(), value.to_owned(), source.to_owned())
}

/// Rustflags come last on the rustc line, so a key they set is expected at their value: every
/// unit got what cargo passes, and the report says which keys the profile does not decide.
#[test]
fn a_key_rustflags_set_is_noted_with_its_source_not_failed() {
    let dir = workspace("env", PROFILE);
    let report = passes(&dir, &[("RUSTFLAGS", "-C opt-level=3 -Ccodegen-units=3")]);
    assert_eq!(notes(&report), [note("opt-level", "3", "RUSTFLAGS"), note("codegen-units", "3", "RUSTFLAGS")]);
    assert_eq!(report["set_by_rustflags"][0]["units"], 2);
    let report = passes(&dir, &[("CARGO_ENCODED_RUSTFLAGS", "-C\u{1f}debuginfo=1")]);
    assert_eq!(notes(&report), [note("debug", "1", "CARGO_ENCODED_RUSTFLAGS")]);
}

#[test]
fn a_config_file_setting_a_key_is_noted_with_its_line() {
    let dir = workspace("config", PROFILE);
    common::write_all(&dir, &[(".cargo/config.toml", "[build]\nrustflags = [\"-C\", \"debuginfo=2\"]\n")]);
    let report = passes(&dir, &[]);
    assert_eq!(notes(&report), [note("debug", "2", ".cargo/config.toml:2")]);
}

/// Cargo takes rustflags from one source: with `RUSTFLAGS` set, a config file's are ignored and
/// never named. A config file pulled in by `include` is read, and named, like any other.
#[test]
fn only_the_rustflags_cargo_uses_are_noted_and_included_configs_count() {
    let dir = workspace("rustflags-precedence", PROFILE);
    common::write_all(
        &dir,
        &[
            (".cargo/config.toml", "include = [\"flags.toml\"]\n"),
            (".cargo/flags.toml", "[build]\nrustflags = [\"-C\", \"debuginfo=2\"]\n"),
        ],
    );
    let report = passes(&dir, &[]);
    assert_eq!(notes(&report), [note("debug", "2", ".cargo/flags.toml:2")]);
    let report = passes(&dir, &[("RUSTFLAGS", "-C opt-level=3")]);
    assert_eq!(notes(&report), [note("opt-level", "3", "RUSTFLAGS")], "the config's debuginfo=2 is ignored by cargo");
    // A profile value from an included file is what cargo uses: no mismatch, no note.
    fs::write(dir.join(".cargo/flags.toml"), "[profile.dev]\nopt-level = 3\n").unwrap();
    let report = passes(&dir, &[]);
    assert_eq!(notes(&report), []);
}

#[test]
fn a_package_spec_that_matches_nothing_is_named_as_the_cause() {
    let dir = workspace("spec", &format!("{PROFILE}\n[profile.dev.package.dep_x]\nopt-level = 3\n"));
    let (status, report, _) = verify(&dir, &[]);
    assert_eq!(status, 1);
    let m = single_mismatch(&report);
    assert_eq!(
        (m["package"].as_str(), m["expected"].as_str(), m["actual"].as_str()),
        (Some("dep-x"), Some("3"), Some("2"))
    );
    assert_eq!(m["source"], "Cargo.toml:15");
    assert_eq!(
        m["cause"],
        "package spec `dep_x` does not match package `dep-x`: cargo does not treat `-` and `_` as the same"
    );
}

/// A spec with a version names the package when the version matches, in each form cargo 1.95
/// accepts (`@`, the legacy `:`, a partial version); with another version cargo ignores it.
#[test]
fn a_package_spec_with_a_version_matches_as_in_cargo() {
    for (spec, applies) in [("dep-x@0.1.0", true), ("dep-x:0.1.0", true), ("dep-x@0.1", true), ("dep-x@0.2.0", false)] {
        let dir = workspace("versioned", &format!("{PROFILE}\n[profile.dev.package.\"{spec}\"]\nopt-level = 3\n"));
        let (status, report, stderr) = verify(&dir, &[]);
        assert_eq!(status, 0, "{spec}: {report:#}\n{stderr}");
        let lines = rustc_lines(&dir, &[]);
        let dep = lines.iter().find(|l| l.contains("--crate-name dep_x ")).unwrap();
        let opt_level = cargo_presets::verify::last_option(dep, "opt-level");
        assert_eq!(opt_level.as_deref(), Some(if applies { "3" } else { "2" }), "{spec}: cargo: {dep}");
    }
}

/// A workspace as a new user has one: a proc-macro member, a build script, and a helper crate
/// used by the proc-macro, the build script and the library alike (so cargo builds it for the
/// host and for the target, and shares one unit). Registry-free.
fn workspace_with_host_units(name: &str, profile: &str) -> PathBuf {
    let files = [
        ("Cargo.toml", format!("[workspace]\nmembers = [\"app\", \"mac\"]\nresolver = \"3\"\n\n{profile}")),
        ("helper/Cargo.toml", "[package]\nname = \"helper\"\nversion = \"0.1.0\"\nedition = \"2024\"\n".into()),
        ("helper/src/lib.rs", "pub fn h() -> u32 {\n    1\n}\n".into()),
        ("mac/Cargo.toml", "[package]\nname = \"mac\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[lib]\nproc-macro = true\n\n[dependencies]\nhelper = { path = \"../helper\" }\n".into()),
        ("mac/src/lib.rs", "use proc_macro::TokenStream;\n\n#[proc_macro]\npub fn one(_: TokenStream) -> TokenStream {\n    helper::h().to_string().parse().unwrap()\n}\n".into()),
        ("app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nmac = { path = \"../mac\" }\nhelper = { path = \"../helper\" }\n\n[build-dependencies]\nhelper = { path = \"../helper\" }\n".into()),
        ("app/build.rs", "fn main() {\n    let _ = helper::h();\n}\n".into()),
        ("app/src/lib.rs", "pub fn f() -> u32 {\n    mac::one!() + helper::h()\n}\n".into()),
    ];
    common::tree("verify", name, &files)
}

/// The first `verify` of a new user must pass: build scripts, proc-macros and what they use get
/// cargo's host rules (`build-override`, no debug info unless shared, opt-level 0), not the
/// profile's. Also with overrides that reach host units, and with the presets applied.
#[test]
fn passes_on_a_clean_workspace_with_a_proc_macro_and_a_build_script() {
    let profiles = [
        ("clean", ""),
        (
            "build-override",
            "[profile.dev.build-override]\nopt-level = 3\ndebug = true\n\n[profile.release.build-override]\ncodegen-units = 2\ndebug = 1\n",
        ),
        (
            "star-and-override",
            "[profile.dev.package.\"*\"]\nopt-level = 2\n\n[profile.dev.build-override]\ncodegen-units = 4\n",
        ),
        ("named", "[profile.dev.package.mac]\nopt-level = 1\n\n[profile.release.package.helper]\ndebug = 1\n"),
    ];
    for (name, profile) in profiles {
        let dir = workspace_with_host_units(&format!("host-{name}"), profile);
        for selected in ["dev", "release"] {
            let (status, report, stderr) = verify_profile(&dir, selected, &[]);
            assert_eq!(status, 0, "{name}, {selected}: {report:#}\n{stderr}");
            assert!(
                report["units"].as_u64().unwrap() >= 6,
                "{name}, {selected}: host units are compared too: {report:#}"
            );
        }
    }
    for preset in ["fast-dev", "deps-optimized-dev"] {
        let dir = workspace_with_host_units(&format!("host-{preset}"), "");
        let applied = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
            .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
            .args(["presets", "apply", preset])
            .current_dir(&dir)
            .env("CARGO_HOME", dir.join("no-cargo-home"))
            .output()
            .unwrap();
        assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
        let (status, report, stderr) = verify_profile(&dir, "dev", &[]);
        assert_eq!(status, 0, "{preset}: {report:#}\n{stderr}");
    }
}

fn host() -> String {
    let output = Command::new("rustc").arg("-vV").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    text.lines().find_map(|l| l.strip_prefix("host: ")).unwrap().to_owned()
}

/// A config file (and environment) setting rustflags, what rustc gets, and which tables are
/// ignored (by prefix).
struct Layout {
    name: &'static str,
    config: String,
    env: &'static [(&'static str, &'static str)],
    flags: &'static [&'static str],
    ignored: &'static [&'static str],
}

/// `verify` expects the rustflags cargo takes from the environment or a config file in every
/// unit built for the target, as `explain` states them; a wrong rule (build flags where a target
/// table hides them, a `cfg` table that does not match, flags from a file while `RUSTFLAGS` is
/// set) would be a mismatch here, so passing on each layout proves the rule is cargo's.
#[test]
fn the_rustflags_explain_names_are_the_ones_every_unit_gets() {
    let host = host();
    let build = "[build]\nrustflags = [\"--cfg\", \"from_build\"]\n";
    let target = format!("[target.{host}]\nrustflags = \"--cfg from_target\"\n");
    let case = |name,
                config: String,
                env: &'static [(&'static str, &'static str)],
                flags: &'static [&'static str],
                ignored: &'static [&'static str]| { Layout { name, config, env, flags, ignored } };
    let cases = [
        case("build", build.to_owned(), &[], &["--cfg", "from_build"], &[]),
        case("target-hides-build", format!("{build}{target}"), &[], &["--cfg", "from_target"], &["build"]),
        case(
            "cfg-and-triple-joined",
            format!(
                "[target.'cfg(unix)']\nrustflags = [\"--cfg\", \"from_cfg\"]\n[target.'cfg(windows)']\nrustflags = [\"--cfg\", \"never\"]\n{target}"
            ),
            &[],
            &["--cfg", "from_target", "--cfg", "from_cfg"],
            &[],
        ),
        case(
            "env-hides-files",
            format!("{build}{target}"),
            &[("RUSTFLAGS", "--cfg from_env")],
            &["--cfg", "from_env"],
            &["target.", "build"],
        ),
        case(
            "build-target",
            format!("[build]\ntarget = \"{host}\"\nrustflags = [\"--cfg\", \"from_build\"]\n"),
            &[],
            &["--cfg", "from_build"],
            &[],
        ),
    ];
    for Layout { name, config, env, flags, ignored } in cases {
        let dir = workspace_with_host_units(&format!("rustflags-{name}"), "");
        common::write_all(&dir, &[(".cargo/config.toml", &config)]);
        let (status, report, stderr) = verify_profile(&dir, "dev", env);
        assert_eq!(status, 0, "{name}: {report:#}\n{stderr}");

        let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-presets"));
        command.env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"));
        command.args(["presets", "explain", "--format", "json"]).current_dir(&dir).env_remove("RUSTFLAGS");
        let output = command.envs(env.iter().copied()).output().unwrap();
        let explained: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let rustflags = &explained["rustflags"];
        assert_eq!(rustflags["flags"], serde_json::json!(flags), "{name}: {rustflags:#}");
        let tables: Vec<&str> =
            rustflags["ignored"].as_array().unwrap().iter().map(|s| s["table"].as_str().unwrap_or_default()).collect();
        assert_eq!(tables.len(), ignored.len(), "{name}: {rustflags:#}");
        for (table, prefix) in tables.iter().zip(ignored) {
            assert!(table.starts_with(prefix), "{name}: {rustflags:#}");
        }
    }
}

/// With `build.target` naming two targets, each has its own rustflags: `verify` says it cannot
/// compare them, and still compares the profile (where cargo, building for named targets, keeps
/// the profile's debug info in host units).
#[test]
fn rustflags_are_not_compared_when_two_build_targets_are_set() {
    let host = host();
    let dir = workspace_with_host_units("rustflags-two-targets", "");
    let config = format!("[build]\ntarget = [\"{host}\", \"{host}\"]\nrustflags = [\"--cfg\", \"from_build\"]\n");
    common::write_all(&dir, &[(".cargo/config.toml", config)]);
    let (status, report, stderr) = verify_profile(&dir, "dev", &[]);
    assert_eq!(status, 0, "{report:#}\n{stderr}");
    assert!(
        stderr.contains("rustflags are not compared: cannot tell which cargo uses: `build.target` names 2 targets"),
        "{stderr}"
    );
}

/// A workspace shaped like bat's: member `app` with its build script at `build/main.rs` (crate
/// `build_script_main`), its library renamed `applib` and its binary `tool`; path dependency
/// `dep-x` 0.2.0, outside the members, whose library is `depx`. No crate is named after its
/// package, so a unit maps to its package only through cargo's artifacts.
fn renamed_workspace(name: &str, profile: &str, config: &str) -> PathBuf {
    let files = [
        ("Cargo.toml", format!("[workspace]\nmembers = [\"app\"]\nexclude = [\"vendor\"]\nresolver = \"3\"\n\n{profile}")),
        ("app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\nbuild = \"build/main.rs\"\n\n[lib]\nname = \"applib\"\n\n[[bin]]\nname = \"tool\"\npath = \"src/main.rs\"\n\n[dependencies]\ndep-x = { path = \"../vendor/dep-x\" }\n".into()),
        ("app/build/main.rs", "fn main() {}\n".into()),
        ("app/src/lib.rs", "pub fn g() {\n    depx::f();\n}\n".into()),
        ("app/src/main.rs", "fn main() {\n    applib::g();\n}\n".into()),
        ("vendor/dep-x/Cargo.toml", "[package]\nname = \"dep-x\"\nversion = \"0.2.0\"\nedition = \"2024\"\n\n[lib]\nname = \"depx\"\n".into()),
        ("vendor/dep-x/src/lib.rs", "pub fn f() {}\n".into()),
        (".cargo/config.toml", config.to_owned()),
    ];
    common::tree("verify", name, &files)
}

/// The build script at `build/main.rs` is a host unit (no debug info by default, opt-level 0)
/// of `app`, whose override reaches it as it reaches `applib` and `tool`; `depx` is `dep-x`.
#[test]
fn a_renamed_build_script_library_and_binary_map_to_their_package() {
    let profile = format!(
        "{PROFILE}\n[profile.dev.package.app]\ncodegen-units = 7\n\n[profile.dev.package.dep-x]\ncodegen-units = 5\n"
    );
    let dir = renamed_workspace("renamed", &profile, "");
    let report = passes(&dir, &[]);
    assert_eq!(report["units"], 4);
}

/// One setup of the differential test: a profile, a config file and variables, and the values
/// cargo gives some crates (`crate`, `-C` option, value or `None` for none; `incremental` is
/// `Some("on")` for any directory). The test first proves these against cargo's own rustc
/// lines, then runs `verify`.
struct Setup {
    name: &'static str,
    profile: String,
    config: String,
    env: Vec<(String, String)>,
    cargo: &'static [(&'static str, &'static str, Option<&'static str>)],
    /// The variable the model does not read yet (the rustflags and incremental variables of
    /// config keys): `verify` may fail, but only naming it as the cause.
    unread: Option<&'static str>,
}

impl Setup {
    /// [`PROFILE`] alone, with nothing in a config file or the environment; `cargo` as above.
    fn new(name: &'static str, cargo: &'static [(&'static str, &'static str, Option<&'static str>)]) -> Setup {
        Setup { name, profile: PROFILE.to_owned(), config: String::new(), env: Vec::new(), cargo, unread: None }
    }

    /// `extra` after [`PROFILE`] in the manifest.
    fn profile(self, extra: &str) -> Setup {
        Setup { profile: format!("{PROFILE}\n{extra}"), ..self }
    }

    /// `text` in `.cargo/config.toml`.
    fn config(self, text: impl Into<String>) -> Setup {
        Setup { config: text.into(), ..self }
    }

    fn env(self, variables: &[(&str, &str)]) -> Setup {
        Setup { env: variables.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(), ..self }
    }

    fn unread(self, variable: &'static str) -> Setup {
        Setup { unread: Some(variable), ..self }
    }
}

/// `verify` exits 0 exactly when the model agrees with cargo's rustc lines: on every setup
/// whose settings the model reads, it passes (it never fails a correct setup); where cargo reads
/// a variable the model does not, each mismatch reports the value rustc really got and names
/// that variable.
#[test]
fn verify_agrees_with_cargo_on_generated_setups() {
    let host = host();
    let target_var = format!("CARGO_TARGET_{}_RUSTFLAGS", host.to_uppercase().replace(['-', '.'], "_"));
    let target_var: &'static str = Box::leak(target_var.into_boxed_str());
    let setups = [
        // Package specs with a version (measured: all three forms apply on cargo 1.95).
        Setup::new("versioned", &[("depx", "opt-level", Some("3"))])
            .profile("[profile.dev.package.\"dep-x@0.2.0\"]\nopt-level = 3\n"),
        Setup::new("legacy-versioned", &[("depx", "opt-level", Some("3"))])
            .profile("[profile.dev.package.\"dep-x:0.2.0\"]\nopt-level = 3\n"),
        Setup::new("partial-version", &[("depx", "codegen-units", Some("9"))])
            .profile("[profile.dev.package.\"dep-x@0.2\"]\ncodegen-units = 9\n"),
        // Another version: cargo warns and ignores the spec.
        Setup::new("other-version", &[("depx", "opt-level", Some("2"))])
            .profile("[profile.dev.package.\"dep-x@0.3.0\"]\nopt-level = 3\n"),
        // The renamed build script is a host unit.
        Setup::new(
            "build-script",
            &[("build_script_main", "debuginfo", None), ("applib", "debuginfo", Some("line-tables-only"))],
        ),
        Setup::new(
            "build-override",
            &[("build_script_main", "debuginfo", Some("2")), ("build_script_main", "opt-level", Some("1"))],
        )
        .profile("[profile.dev.build-override]\ndebug = true\nopt-level = 1\n"),
        // Keys set by rustflags, from each source.
        Setup::new(
            "rustflags",
            &[("applib", "codegen-units", Some("3")), ("build_script_main", "codegen-units", Some("3"))],
        )
        .env(&[("RUSTFLAGS", "-Ccodegen-units=3")]),
        Setup::new("encoded-rustflags", &[("tool", "debuginfo", Some("1"))])
            .env(&[("CARGO_ENCODED_RUSTFLAGS", "-C\u{1f}debuginfo=1\u{1f}-Cdebug-assertions=off")]),
        Setup::new("build-table", &[("tool", "opt-level", Some("3")), ("depx", "opt-level", Some("3"))])
            .config("[build]\nrustflags = [\"-C\", \"opt-level=3\"]\n"),
        Setup::new("target-table", &[("depx", "codegen-units", Some("5")), ("depx", "incremental", Some("on"))])
            .config(format!("[target.{host}]\nrustflags = \"-Ccodegen-units=5 -Cincremental=/tmp/ignored\"\n")),
        Setup::new(
            "env-hides-config",
            &[("applib", "opt-level", Some("3")), ("applib", "debuginfo", Some("line-tables-only"))],
        )
        .config("[build]\nrustflags = [\"-C\", \"debuginfo=2\"]\n")
        .env(&[("RUSTFLAGS", "-C opt-level=3")]),
        // Variables cargo reads for these settings.
        Setup::new("profile-variable", &[("applib", "opt-level", Some("3")), ("depx", "opt-level", Some("2"))])
            .env(&[("CARGO_PROFILE_DEV_OPT_LEVEL", "3")]),
        Setup::new("cargo-incremental", &[("applib", "incremental", None)]).env(&[("CARGO_INCREMENTAL", "0")]),
        Setup::new("build-incremental", &[("applib", "incremental", None)])
            .env(&[("CARGO_BUILD_INCREMENTAL", "false")])
            .unread("CARGO_BUILD_INCREMENTAL"),
        Setup::new("build-rustflags", &[("applib", "opt-level", Some("3"))])
            .env(&[("CARGO_BUILD_RUSTFLAGS", "-Copt-level=3")])
            .unread("CARGO_BUILD_RUSTFLAGS"),
        Setup::new("target-rustflags", &[("applib", "debuginfo", Some("0"))])
            .env(&[(target_var, "-C debuginfo=0")])
            .unread(target_var),
        // The host's own triple as the build's target: the build script gets no rustflags.
        Setup::new("host-as-target", &[("applib", "opt-level", Some("3")), ("build_script_main", "opt-level", None)])
            .config(format!("[build]\ntarget = \"{host}\"\nrustflags = [\"-C\", \"opt-level=3\"]\n")),
        Setup::new(
            "host-as-target-variable",
            &[("applib", "codegen-units", Some("3")), ("build_script_main", "codegen-units", None)],
        )
        .env(&[("CARGO_BUILD_TARGET", &host), ("RUSTFLAGS", "-Ccodegen-units=3")]),
    ];
    let count = setups.len();
    // Every setup is run, and the ones that fail are listed together.
    let mut failed = Vec::new();
    for Setup { name, profile, config, env, cargo, unread } in setups {
        let dir = renamed_workspace(&format!("differential-{name}"), &profile, &config);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let lines = rustc_lines(&dir, &env);
        for (crate_name, option, value) in cargo {
            let line = lines
                .iter()
                .find(|l| l.contains(&format!("--crate-name {crate_name} ")))
                .unwrap_or_else(|| panic!("{name}: no unit {crate_name}"));
            let got = cargo_presets::verify::last_option(line, option);
            let got = if *option == "incremental" { got.map(|_| "on".to_owned()) } else { got };
            assert_eq!(got.as_deref(), *value, "{name}: cargo gives {crate_name} {option}: {line}");
        }
        let (status, report, stderr) = verify(&dir, &env);
        let mismatches = report["mismatches"].as_array().unwrap();
        let agrees = match unread {
            None => status == 0,
            // Passing means the model has learnt the variable, so `explain` names it.
            Some(variable) if status == 0 => explain(&dir, &env).contains(variable),
            // Each mismatch names the variable and reports what rustc got.
            Some(variable) => {
                status == 1
                    && !mismatches.is_empty()
                    && mismatches.iter().all(|m| {
                        let value = cargo.iter().find(|(_, option, _)| m["key"] == key_of(option));
                        m["cause"].as_str().unwrap_or_default().contains(&format!("`{variable}"))
                            && value
                                .is_none_or(|(_, _, v)| m["package"] != "app" || m["actual"] == v.unwrap_or("false"))
                    })
            }
        };
        if !agrees {
            failed.push(format!("{name}: exit {status}: {report:#}\n{stderr}"));
        }
    }
    assert!(failed.is_empty(), "{} of {count} setups:\n{}", failed.len(), failed.join("\n"));
}

/// `cargo presets explain --format json` with `env`.
fn explain(dir: &Path, env: &[(&str, &str)]) -> String {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-presets"));
    command.env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"));
    command.args(["presets", "explain", "--format", "json"]).current_dir(dir);
    for (key, _) in std::env::vars() {
        if cargo_presets::verify::reads_variable(&key) {
            command.env_remove(key);
        }
    }
    let output = command.envs(env.iter().copied()).output().unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The profile key a `-C` option carries.
fn key_of(option: &str) -> &str {
    match option {
        "debuginfo" => "debug",
        other => other,
    }
}

/// The rustc command lines of `cargo check -v` in a target directory of its own.
fn rustc_lines(dir: &Path, env: &[(&str, &str)]) -> Vec<String> {
    let target = dir.join("own-target");
    let _ = fs::remove_dir_all(&target);
    let mut command = Command::new("cargo");
    command.args(["check", "-v"]).current_dir(dir).env("CARGO_TARGET_DIR", &target).env("CARGO_NET_OFFLINE", "true");
    for (key, _) in std::env::vars() {
        if cargo_presets::verify::reads_variable(&key) || key == "CARGO_BUILD_TARGET" {
            command.env_remove(key);
        }
    }
    let output = command.envs(env.iter().copied()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
        .lines()
        .filter(|l| l.trim_start().starts_with("Running `rustc") || l.contains("rustc --crate-name"))
        .map(str::to_owned)
        .collect()
}

/// `verify` builds a private copy of the workspace with the configuration cargo finds in place:
/// a config file in a directory above the workspace reaches rustc (`app` does not compile
/// without its `--cfg`), below the workspace's own (whose `opt-level` wins, as `verify` checks),
/// and `app`'s rustc command line is the one cargo runs in place, but for paths and hashes.
#[test]
fn the_copy_builds_with_the_configuration_cargo_finds_in_place() {
    let wrapper = "#!/bin/sh\necho \"$RUN $*\" >> \"$(dirname \"$0\")/rustc.log\"\nexec \"$@\"\n";
    let files = [
        (".cargo/config.toml", "[build]\nrustflags = [\"--cfg\", \"from_above\"]\n\n[profile.dev]\nopt-level = 3\n"),
        ("ws/Cargo.toml", "[workspace]\nmembers = [\"app\"]\nresolver = \"3\"\n"),
        ("ws/.cargo/config.toml", "[profile.dev]\nopt-level = 1\n"),
        ("ws/app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"),
        (
            "ws/app/src/main.rs",
            "#[cfg(not(from_above))]\ncompile_error!(\"the config above the workspace was not read\");\nfn main() {}\n",
        ),
    ];
    let dir = common::tree("verify", "ancestor-config", &files);
    common::executable(&dir.join("log-rustc.sh"), wrapper);
    let ws = dir.join("ws");
    let before = common::snapshot(&ws, false);
    let output = verify_command(&ws, &["--format", "json"])
        .env("RUSTC_WRAPPER", dir.join("log-rustc.sh"))
        .env("RUN", "copy")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}\n{}", String::from_utf8_lossy(&output.stdout));
    assert!(common::snapshot(&ws, false) == before, "verify changed the workspace's files");

    let in_place = Command::new("cargo")
        .args(["check", "-v", "--message-format=json", "--profile", "dev", "--manifest-path"])
        .arg(ws.join("Cargo.toml"))
        .current_dir(&ws)
        .env("CARGO_TARGET_DIR", dir.join("target-in-place"))
        .env("RUSTC_WRAPPER", dir.join("log-rustc.sh"))
        .env("RUN", "in-place")
        .env("CARGO_NET_OFFLINE", "true")
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .output()
        .unwrap();
    assert!(in_place.status.success(), "{}", String::from_utf8_lossy(&in_place.stderr));
    let log = fs::read_to_string(dir.join("rustc.log")).unwrap();
    // Paths differ (the copy is elsewhere), and so do the hashes cargo derives from them.
    let app = |run: &str| -> Vec<String> {
        let line = log
            .lines()
            .find(|l| l.starts_with(&format!("{run} ")) && l.contains("--crate-name app"))
            .unwrap_or_else(|| panic!("no `app` line for {run}:\n{log}"));
        line.split_whitespace()
            .skip(1)
            .map(|word| match word {
                w if w.contains('/') => "<path>".to_owned(),
                w if w.starts_with("metadata=") || w.starts_with("extra-filename=") => "<hash>".to_owned(),
                w => w.to_owned(),
            })
            .collect()
    };
    assert_eq!(app("copy"), app("in-place"), "{log}");
    let copy = app("copy").join(" ");
    assert!(copy.contains("--cfg from_above") && copy.contains("-C opt-level=1"), "{log}");
}

/// SIGTERM or SIGHUP while cargo checks ends the run soon, as Ctrl-C does: cargo and the
/// compilers stopped, nothing compared, the scratch directory gone, the workspace as it was.
#[test]
fn sigterm_and_sighup_stop_the_check_and_remove_the_scratch_directory() {
    for signal in ["TERM", "HUP"] {
        let dir = workspace(&format!("sig{signal}"), PROFILE);
        let aside = common::tree("verify-paused", signal, &[("tmp/.keep", "")]);
        fs::remove_file(aside.join("tmp/.keep")).unwrap();
        let wrapper = common::pause_wrapper(&aside, "app");
        let before = common::snapshot(&dir, false);
        let mut command = verify_command(&dir, &[]);
        command.env("RUSTC_WRAPPER", &wrapper).env("TMPDIR", aside.join("tmp"));
        let stderr = common::stop_with(&aside, common::spawn_paused(&aside, &mut command), signal);
        assert!(stderr.contains("nothing compared; the temporary files are removed"), "{stderr}");
        assert_eq!(fs::read_dir(aside.join("tmp")).unwrap().count(), 0, "{signal}");
        assert!(common::snapshot(&dir, false) == before, "{signal}: the workspace changed");
    }
}
