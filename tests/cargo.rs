//! Cargo is the judge: each built-in preset is applied by the real binary to a real workspace,
//! and real `cargo check -v --message-format=json` (offline, private target directory) shows the
//! rustc flags every unit received, for the workspace member `app` and for `dep`, a path
//! dependency outside the workspace (so `[profile.*.package."*"]` applies to it, as it would to a
//! crates.io dependency).
//!
//! Nightly-only presets are checked with nightly cargo where it is installed; the compile with
//! the Cranelift backend runs only where its rustup component is, and says so when it skips.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A workspace `<tmp>/cargo/<name>`: member `app` (bin) depending on `vendor/dep` (excluded).
fn workspace(name: &str) -> PathBuf {
    common::app_and_dependency("cargo", name, "dep", "")
}

/// Runs `cargo presets <args>` in `dir`, with no personal presets.
fn presets(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
        .arg("presets")
        .args(args)
        .current_dir(dir)
        .env("CARGO_HOME", dir.join("no-cargo-home"))
        .env("NO_COLOR", "1")
        // rustup names the toolchain running the tests; the workspace's own pin must decide.
        .env_remove("RUSTUP_TOOLCHAIN")
        // The workspace is inside this repository; to git it is a project of its own.
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap())
        .output()
        .unwrap();
    assert!(output.status.success(), "cargo presets {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    output
}

/// What one crate was compiled with.
struct Unit {
    rustc_args: String,
    /// The `profile` object cargo reports for the artifact (`opt_level`, `debuginfo`, …).
    profile: serde_json::Value,
}

/// `cargo check -v --message-format=json` with `profile_args`; the units of `app` and `dep`.
fn check(dir: &Path, profile_args: &[&str]) -> (Unit, Unit) {
    let mut args = vec!["check", "-v", "--message-format=json"];
    args.extend(profile_args);
    let output = common::cargo(dir, None, &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "cargo {args:?} failed:\n{stderr}");
    let unit = |name: &str| {
        let rustc_args = common::rustc_invocation(&stderr, name).unwrap_or_else(|| {
            panic!("no rustc invocation for `{name}` (a fresh unit?):\n{stderr}");
        });
        let profile = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .find(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == name)
            .map(|m| m["profile"].clone())
            .unwrap_or_else(|| panic!("no artifact message for `{name}`"));
        Unit { rustc_args: rustc_args.to_owned(), profile }
    };
    (unit("app"), unit("dep"))
}

impl Unit {
    fn has(&self, flag: &str) -> &Self {
        // Followed by the next flag, or by the backtick that closes the command line.
        let found = [' ', '`'].iter().any(|end| self.rustc_args.contains(&format!("{flag}{end}")));
        assert!(found, "expected `{flag}` in:\n{}", self.rustc_args);
        self
    }

    fn has_all(&self, flags: &[&str]) -> &Self {
        flags.iter().fold(self, |unit, flag| unit.has(flag))
    }

    fn lacks(&self, flag_prefix: &str) -> &Self {
        assert!(!self.rustc_args.contains(flag_prefix), "did not expect `{flag_prefix}…` in:\n{}", self.rustc_args);
        self
    }

    fn reports(&self, key: &str, value: serde_json::Value) -> &Self {
        assert_eq!(self.profile[key], value, "cargo's artifact profile `{key}`: {}", self.profile);
        self
    }
}

/// A fresh workspace `name` where `cargo presets apply <apply>` ran, and its units as [`check`]
/// with `check_args` finds them.
fn applied(name: &str, apply: &[&str], check_args: &[&str]) -> (PathBuf, Unit, Unit) {
    let dir = workspace(name);
    presets(&dir, &[&["apply"], apply].concat());
    let (app, dep) = check(&dir, check_args);
    (dir, app, dep)
}

/// What `prod` and `embedded-size` give every unit besides its `opt-level`, whichever profile
/// they are applied as.
const SHIPPED: [&str; 3] = ["-C panic=abort", "-C codegen-units=1", "-C strip=symbols"];

#[test]
fn fast_dev_gives_members_line_tables_and_dependencies_no_debug_info() {
    let (dir, app, dep) = applied("fast-dev", &["fast-dev"], &[]);
    app.has("-C debuginfo=line-tables-only").lacks("-C opt-level");
    dep.lacks("-C debuginfo").reports("debuginfo", 0.into());

    // The opt-in profile it adds: full debug info for members; dependencies keep dev's none.
    let (app, dep) = check(&dir, &["--profile", "debugging"]);
    app.has("-C debuginfo=2").reports("debuginfo", 2.into());
    dep.lacks("-C debuginfo");
}

#[test]
fn fast_dev_in_the_workspace_config_file_works_the_same() {
    let (dir, app, dep) = applied("fast-dev-config", &["fast-dev", "--to", "config"], &[]);
    assert!(!fs::read_to_string(dir.join("Cargo.toml")).unwrap().contains("profile"));
    app.has("-C debuginfo=line-tables-only");
    dep.lacks("-C debuginfo");
}

#[test]
fn debugging_builds_with_full_debug_info() {
    let (_, app, dep) = applied("debugging", &["debugging"], &["--profile", "debugging"]);
    app.has("-C debuginfo=2").lacks("-C opt-level");
    dep.has("-C debuginfo=2");
}

/// Pins the workspace in `dir` to `channel` (a `rust-toolchain.toml`).
fn pin(dir: &Path, channel: &str) {
    fs::write(dir.join("rust-toolchain.toml"), format!("[toolchain]\nchannel = \"{channel}\"\n")).unwrap();
}

/// The toolchain decides the profile: a pin naming 1.95.0 (installed; cargo 1.95 reserves
/// `debug`) gets `debugging`, which real cargo 1.95 obeys; a pin naming 1.99.0 (simulated: not
/// installed, and read without starting it) gets cargo's own `[profile.debug]`, which cargo 1.95
/// refuses, the reason for the pin to decide. `remove` gives the bytes back either way.
#[test]
fn debugging_follows_the_pinned_toolchain() {
    let dir = workspace("debugging-pinned");
    let original = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    pin(&dir, "1.95.0");
    presets(&dir, &["apply", "debugging"]);
    let written = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(written.contains("[profile.debugging]\ninherits = \"dev\"\n"), "{written}");
    let (app, _) = check(&dir, &["--profile", "debugging"]);
    app.has("-C debuginfo=2");
    presets(&dir, &["remove", "debugging"]);
    assert_eq!(fs::read_to_string(dir.join("Cargo.toml")).unwrap(), original);

    pin(&dir, "1.99.0");
    presets(&dir, &["apply", "debugging"]);
    let written = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(written.contains("[profile.debug]\n") && !written.contains("inherits"), "{written}");
    let checked = presets(&dir, &["check"]);
    assert!(String::from_utf8_lossy(&checked.stderr).contains("no problems found"));
    fs::remove_file(dir.join("rust-toolchain.toml")).unwrap();
    let refused = common::cargo(&dir, Some("1.95.0"), &["metadata", "--format-version", "1", "--no-deps"]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success() && stderr.contains("profile name `debug` is reserved"), "{stderr}");
    presets(&dir, &["remove", "debugging"]);
    assert_eq!(fs::read_to_string(dir.join("Cargo.toml")).unwrap(), original);
}

#[test]
fn staging_is_optimised_with_assertions_and_full_debug_info() {
    let (_, app, dep) = applied("staging", &["staging"], &["--profile", "staging"]);
    for unit in [&app, &dep] {
        unit.has("-C opt-level=3").has("-C debuginfo=2").reports("debug_assertions", true.into());
    }
}

#[test]
fn debuggable_staging_keeps_checks_and_line_tables() {
    let (_, app, dep) = applied("debuggable-staging", &["debuggable-staging"], &["--profile", "staging"]);
    for unit in [&app, &dep] {
        // rustc's overflow checks follow debug assertions, so cargo passes no flag for them:
        // cargo's own report of the unit's profile is the proof.
        unit.has("-C opt-level=3")
            .has("-C debuginfo=line-tables-only")
            .has("-C debug-assertions=on")
            .reports("overflow_checks", true.into());
    }
}

#[test]
fn prod_has_fat_lto_one_codegen_unit_abort_and_stripped_symbols() {
    let (_, app, dep) = applied("prod", &["prod"], &["--profile", "prod"]);
    for unit in [&app, &dep] {
        unit.has("-C opt-level=3").has_all(&SHIPPED);
    }
    // The binary is link-time optimised; its dependency is built for it.
    app.has("-C lto");
    dep.has("-C linker-plugin-lto");
}

#[test]
fn embedded_size_optimises_release_for_size() {
    let (_, app, dep) = applied("embedded-size", &["embedded-size"], &["--release"]);
    for unit in [&app, &dep] {
        unit.has("-C opt-level=z").has_all(&SHIPPED);
    }
    app.has("-C lto");
}

/// Applies with `apply` in a fresh workspace `name`, checks with `check_args`, hands each unit to
/// `expect`, and removes with the same arguments: the manifest's bytes come back.
fn applied_obeyed_removed(name: &str, apply: &[&str], check_args: &[&str], expect: impl Fn(&Unit, &Unit)) {
    let dir = workspace(name);
    let manifest = dir.join("Cargo.toml");
    let original = fs::read(&manifest).unwrap();
    presets(&dir, &[&["apply"], apply].concat());
    let (app, dep) = check(&dir, check_args);
    expect(&app, &dep);
    presets(&dir, &[&["remove"], apply].concat());
    assert_eq!(fs::read(&manifest).unwrap(), original, "remove gives the original bytes back");
}

#[test]
fn deps_opt1_dev_builds_dependencies_at_opt_level_1_only() {
    applied_obeyed_removed("deps-opt1-dev", &["deps-opt1-dev"], &[], |app, dep| {
        dep.has("-C opt-level=1").lacks("-C debuginfo");
        app.lacks("-C opt-level").has("-C debuginfo=2");
    });
}

#[test]
fn quick_release_is_release_with_thin_lto_and_16_codegen_units() {
    applied_obeyed_removed("quick-release", &["quick-release"], &["--profile", "release-fast"], |app, dep| {
        for unit in [app, dep] {
            unit.has("-C opt-level=3").has("-C codegen-units=16");
        }
        app.has("-C lto=thin");
    });
}

#[test]
fn wasm_size_optimises_for_size_and_strips_debug_info_only() {
    applied_obeyed_removed("wasm-size", &["wasm-size"], &["--profile", "wasm-release"], |app, dep| {
        for unit in [app, dep] {
            unit.has("-C opt-level=z").has("-C codegen-units=1").has("-C strip=debuginfo").lacks("strip=symbols");
        }
        app.has("-C lto");
    });
}

/// Only the `test` profile's dependencies are optimised: `cargo build`'s stay as they were.
#[test]
fn deps_opt1_test_optimises_dependencies_for_tests_only() {
    applied_obeyed_removed("deps-opt1-test", &["deps-opt1-test"], &["--profile", "test"], |app, dep| {
        dep.has("-C opt-level=1").lacks("-C debuginfo");
        app.lacks("-C opt-level");
    });
    let (_, _, dep) = applied("deps-opt1-test", &["deps-opt1-test"], &[]);
    dep.lacks("-C opt-level").has("-C debuginfo=2");
}

/// The Linux variant (this machine's): rustc gets the value for every unit with debug info.
#[cfg(target_os = "linux")]
#[test]
fn split_debuginfo_is_unpacked_on_linux() {
    applied_obeyed_removed("split-debuginfo", &["split-debuginfo"], &[], |app, dep| {
        for unit in [app, dep] {
            unit.has("-C split-debuginfo=unpacked");
        }
    });
}

#[test]
fn prod_applied_as_dist_reaches_rustc_and_comes_back_out() {
    applied_obeyed_removed("prod-as-dist", &["prod", "--profile", "dist"], &["--profile", "dist"], |app, dep| {
        for unit in [app, dep] {
            unit.has("-C opt-level=3").has_all(&SHIPPED);
        }
        app.has("-C lto");
    });
}

#[test]
fn embedded_size_as_a_custom_profile_inherits_release() {
    let apply = ["embedded-size", "--profile", "release-small"];
    let (dir, app, dep) = applied("embedded-size-as-release-small", &apply, &["--profile", "release-small"]);
    for unit in [&app, &dep] {
        unit.has("-C opt-level=z").has_all(&SHIPPED);
    }
    // `release` itself is untouched.
    let (app, _) = check(&dir, &["--release"]);
    app.has("-C opt-level=3").lacks("-C panic=abort");
}

#[test]
fn force_replaces_a_hand_written_value_and_cargo_obeys_it() {
    let dir = workspace("force");
    let manifest = dir.join("Cargo.toml");
    let text = fs::read_to_string(&manifest).unwrap() + "\n[profile.release]\nopt-level = 2 # ours\n";
    fs::write(&manifest, text).unwrap();
    presets(&dir, &["apply", "embedded-size", "--force"]);
    let (app, _) = check(&dir, &["--release"]);
    app.has("-C opt-level=z");
}

fn nightly_available() -> bool {
    Command::new("cargo").args(["+nightly", "--version"]).output().is_ok_and(|o| o.status.success())
}

/// A fresh workspace `name`, or `None` where nightly cargo is not installed (the test then says
/// it is skipped).
fn nightly_workspace(name: &str) -> Option<PathBuf> {
    if !nightly_available() {
        eprintln!("SKIPPED: nightly cargo is not installed");
        return None;
    }
    Some(workspace(name))
}

/// Real cargo's `-v` output (its stderr) for `args`, which must succeed.
fn succeeded(dir: &Path, toolchain: Option<&str>, args: &[&str]) -> String {
    let output = common::cargo(dir, toolchain, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "cargo {args:?} failed:\n{stderr}");
    stderr
}

/// The Cranelift preset on a stable workspace goes to a standalone file: stable cargo still
/// works, and nightly cargo accepts the file and either compiles with Cranelift or fails with the
/// missing-component diagnosis the preset warns about.
#[test]
fn cranelift_dev_file_keeps_stable_working_and_nightly_accepts_it() {
    let dir = workspace("cranelift-dev");
    presets(&dir, &["apply", "cranelift-dev", "--to", ".cargo/cranelift-dev.toml"]);
    let (app, _) = check(&dir, &[]);
    app.lacks("codegen-backend");

    if !nightly_available() {
        eprintln!("SKIPPED: nightly cargo is not installed; the nightly half of this test did not run");
        return;
    }
    let config = ["--config", ".cargo/cranelift-dev.toml"];
    let dry = common::cargo(&dir, Some("nightly"), &[&config[..], &["clean", "--dry-run"]].concat());
    assert!(dry.status.success(), "nightly cargo rejected the file:\n{}", String::from_utf8_lossy(&dry.stderr));
    let build = common::cargo(&dir, Some("nightly"), &[&config[..], &["check", "-v"]].concat());
    let stderr = String::from_utf8_lossy(&build.stderr);
    if build.status.success() {
        assert!(stderr.contains("-Z codegen-backend=cranelift"), "{stderr}");
        assert!(stderr.contains("-Z codegen-backend=llvm"), "{stderr}");
    } else {
        assert!(stderr.contains("failed to find a `codegen-backends` folder"), "unexpected failure:\n{stderr}");
        eprintln!("SKIPPED: the Cranelift compile (component rustc-codegen-cranelift-preview is not installed)");
    }
}

/// `preset` applied in a fresh workspace `name` that pins nightly, whose cargo accepts what it
/// wrote (`cargo clean --dry-run <clean_args>`): the manifest it wrote. `None` where nightly cargo
/// is not installed.
fn accepted_by_nightly(name: &str, preset: &str, clean_args: &[&str]) -> Option<String> {
    let dir = nightly_workspace(name)?;
    pin(&dir, "nightly");
    presets(&dir, &["apply", preset]);
    succeeded(&dir, Some("nightly"), &[&["clean", "--dry-run"], clean_args].concat());
    Some(fs::read_to_string(dir.join("Cargo.toml")).unwrap())
}

/// On a workspace that pins nightly, the gate goes into Cargo.toml and nightly cargo accepts it.
#[test]
fn cranelift_dev_in_a_nightly_workspace_manifest_is_accepted_by_nightly_cargo() {
    let Some(manifest) = accepted_by_nightly("cranelift-dev-nightly", "cranelift-dev", &[]) else { return };
    assert!(manifest.starts_with("# cargo-presets(cranelift-dev) codegen-backend: "), "{manifest}");
}

/// Whether a fixture simulates a cargo newer than those installed here (its `machine` or its
/// toolchain pin names 1.99 or later): what it writes is for that cargo only.
fn simulates_a_newer_cargo(case: &Path) -> bool {
    let files = [case.join("machine"), case.join("out/rust-toolchain.toml"), case.join("out/rust-toolchain")];
    let minor = |word: &str| word.strip_prefix("1.").and_then(|rest| rest.split('.').next()?.parse::<u32>().ok());
    files
        .iter()
        .map(|file| fs::read_to_string(file).unwrap_or_default())
        .any(|text| text.split(|c: char| !(c.is_ascii_digit() || c == '.')).filter_map(minor).any(|minor| minor >= 99))
}

/// What every fixture wrote is a manifest cargo accepts (S1-S2 of the reference): no fixture
/// output may be something cargo rejects.
#[test]
fn every_fixture_output_manifest_is_accepted_by_cargo_metadata() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for entry in fs::read_dir(&fixtures).unwrap() {
        let case = entry.unwrap().path();
        let out = case.join("out");
        if !out.join("Cargo.toml").is_file() {
            continue;
        }
        let nightly = out.join("rust-toolchain.toml").exists();
        if nightly && !nightly_available() || simulates_a_newer_cargo(&case) {
            continue;
        }
        let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cargo-metadata").join(case.file_name().unwrap());
        let _ = fs::remove_dir_all(&copy);
        copy_dir(&out, &copy);
        let output =
            common::cargo(&copy, nightly.then_some("nightly"), &["metadata", "--no-deps", "--format-version", "1"]);
        assert!(
            output.status.success(),
            "{}: cargo rejected it:\n{}",
            case.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("unused manifest key"), "{}: {stderr}", case.display());
    }
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Our in-process root discovery agrees with `cargo locate-project --workspace` on every fixture
/// cargo can read, run from the directory the fixture runs in.
#[test]
fn workspace_root_discovery_agrees_with_cargo_locate_project() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut compared = 0;
    for entry in fs::read_dir(&fixtures).unwrap() {
        let case = entry.unwrap().path();
        let copy = Path::new(env!("CARGO_TARGET_TMPDIR")).join("locate").join(case.file_name().unwrap());
        let _ = fs::remove_dir_all(&copy);
        copy_dir(&case.join("in"), &copy);
        let cwd = fs::read_to_string(case.join("cwd")).map(|c| copy.join(c.trim())).unwrap_or(copy.clone());
        let output = Command::new("cargo")
            .args(["locate-project", "--workspace", "--message-format", "plain", "--offline"])
            .current_dir(&cwd)
            .output()
            .unwrap();
        if !output.status.success() {
            continue; // a fixture of a manifest cargo itself refuses
        }
        let cargo_says = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        let ours =
            cargo_presets::cargo::workspace::locate(&cwd, None).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
        assert_eq!(ours.manifest, cargo_says, "{}", case.display());
        compared += 1;
    }
    assert!(compared >= 40, "only {compared} fixtures were compared");
}

#[test]
fn deps_optimized_dev_optimises_dependencies_only() {
    let (_, app, dep) = applied("deps-optimized-dev", &["deps-optimized-dev"], &[]);
    app.lacks("-C opt-level").has("-C debuginfo=2");
    dep.has("-C opt-level=3").reports("opt_level", "3".into());
}

#[test]
fn fast_compile_turns_debug_info_off() {
    let (_, app, dep) = applied("fast-compile", &["fast-compile"], &[]);
    for unit in [&app, &dep] {
        unit.lacks("-C debuginfo").reports("debuginfo", 0.into());
    }
}

#[test]
fn fast_runtime_has_fat_lto_one_codegen_unit_and_abort() {
    let (_, app, dep) = applied("fast-runtime", &["fast-runtime"], &["--release"]);
    for unit in [&app, &dep] {
        unit.has_all(&["-C opt-level=3", "-C panic=abort", "-C codegen-units=1"]);
    }
    app.has("-C lto");
    dep.has("-C linker-plugin-lto");
}

#[test]
fn ci_profile_cuts_debug_info_and_incremental_state() {
    let (_, app, dep) = applied("ci", &["ci"], &["--profile", "ci"]);
    app.has("-C debuginfo=line-tables-only").lacks("-C incremental");
    dep.lacks("-C debuginfo");
}

#[test]
fn profiling_profile_is_release_with_line_tables() {
    let (_, app, dep) = applied("profiling", &["profiling"], &["--profile", "profiling"]);
    for unit in [&app, &dep] {
        unit.has("-C opt-level=3").has("-C debuginfo=line-tables-only").lacks("-C strip");
    }
}

/// The nightly size preset: nightly cargo accepts what it writes (the build itself needs
/// `-Z build-std`, which the preset's description says).
#[test]
fn embedded_size_nightly_is_accepted_by_nightly_cargo() {
    let Some(manifest) = accepted_by_nightly("embedded-size-nightly", "embedded-size-nightly", &["--release"]) else {
        return;
    };
    assert!(manifest.contains("cargo-features = [\"panic-immediate-abort\"]"), "{manifest}");
}

/// The extras' profile rustflags reach rustc through nightly cargo (the manifest gains the
/// `profile-rustflags` feature), and remove gives the bytes back.
#[test]
fn embedded_size_nightly_extras_reach_rustc_through_nightly_cargo() {
    let Some(dir) = nightly_workspace("embedded-size-nightly-extras") else { return };
    pin(&dir, "nightly");
    let original = fs::read(dir.join("Cargo.toml")).unwrap();
    presets(&dir, &["apply", "embedded-size-nightly-extras"]);
    let stderr = succeeded(&dir, Some("nightly"), &["check", "-v", "--release"]);
    for name in ["app", "dep"] {
        let line = common::rustc_invocation(&stderr, name).unwrap();
        assert!(line.contains("-Zlocation-detail=none -Zfmt-debug=none"), "{line}");
        assert!(line.contains("-C panic=immediate-abort") && line.contains("-C opt-level=z"), "{line}");
    }
    presets(&dir, &["remove", "embedded-size-nightly-extras"]);
    assert_eq!(fs::read(dir.join("Cargo.toml")).unwrap(), original, "remove gives the original bytes back");
}

/// Every built-in preset renders (`show`, whose JSON carries the TOML `apply` would write) to
/// TOML that parses and holds exactly its settings.
#[test]
fn every_preset_renders_to_toml_holding_its_settings() {
    let library = cargo_presets::library::Library::discover(None, None).unwrap();
    for (name, _) in cargo_presets::library::BUILTIN {
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
            .args(["presets", "show", name, "--format", "json"])
            .env_clear()
            .output()
            .unwrap();
        assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
        let shown: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let doc: toml_edit::DocumentMut =
            shown["toml"].as_str().unwrap().parse().unwrap_or_else(|e| panic!("{name}: {e}"));
        let composition = cargo_presets::compose::compose(&library, &[(*name).to_owned()]).unwrap();
        for composed in &composition.settings {
            let path = &composed.setting.path;
            let mut item = doc.as_item();
            for key in path.table.keys() {
                item = &item[key];
            }
            let value = item[path.key.name()].as_value().unwrap_or_else(|| panic!("{name}: {path} missing"));
            assert_eq!(
                cargo_presets::cargo::schema::Value::from_toml(value).as_ref(),
                Some(&composed.setting.value),
                "{name}: {path}"
            );
        }
    }
}

/// The host triple and version of the rustc cargo uses here.
fn host() -> (String, String) {
    let output = Command::new("rustc").arg("-vV").output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    let field = |name: &str| text.lines().find_map(|l| l.strip_prefix(name)).unwrap().trim().to_owned();
    (field("host: "), field("release: "))
}

#[test]
fn native_cpu_joins_the_target_table_cargo_reads_and_comes_back_out() {
    let dir = workspace("native-cpu");
    let (host, _) = host();
    let original = format!("[target.{host}]\nrustflags = [\"-C\", \"force-frame-pointers=yes\"]\n");
    fs::create_dir_all(dir.join(".cargo")).unwrap();
    fs::write(dir.join(".cargo/config.toml"), &original).unwrap();

    presets(&dir, &["apply", "native-cpu", "--to", "config"]);
    let applied = fs::read_to_string(dir.join(".cargo/config.toml")).unwrap();
    assert!(!applied.contains("[build]"), "[build].rustflags would be ignored here:\n{applied}");
    let (app, dep) = check(&dir, &[]);
    for unit in [&app, &dep] {
        unit.has("-C force-frame-pointers=yes").has("-C target-cpu=native");
    }

    presets(&dir, &["apply", "native-cpu", "--to", "config"]);
    assert_eq!(fs::read_to_string(dir.join(".cargo/config.toml")).unwrap(), applied, "re-applying changed the file");
    presets(&dir, &["remove", "native-cpu", "--to", "config"]);
    assert_eq!(fs::read_to_string(dir.join(".cargo/config.toml")).unwrap(), original);
}

#[test]
fn native_cpu_in_a_new_config_file_reaches_rustc() {
    let (dir, app, dep) = applied("native-cpu-new", &["native-cpu", "--to", "config"], &[]);
    app.has("-C target-cpu=native");
    dep.has("-C target-cpu=native");
    presets(&dir, &["remove", "native-cpu", "--to", "config"]);
    assert!(!dir.join(".cargo/config.toml").exists(), "the file apply created is gone again");
}

#[test]
fn fast_link_changes_nothing_where_rust_lld_is_already_the_default() {
    let (host, release) = host();
    let minor: u32 = release.split('.').nth(1).unwrap().parse().unwrap();
    if host != "x86_64-unknown-linux-gnu" || minor < 90 {
        eprintln!("SKIPPED: rustc {release} on {host} does not link with rust-lld by default");
        return;
    }
    let dir = workspace("fast-link-default");
    let output = presets(&dir, &["apply", "fast-link", "--to", "config"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("variant `rust-lld`") && stderr.contains("nothing to write on this machine"), "{stderr}");
    assert!(!dir.join(".cargo/config.toml").exists(), "fast-link wrote a file where it has nothing to say");
}

/// Whether mold is on PATH; where it is not, the test says it is skipped.
fn mold_installed() -> bool {
    let found = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).any(|d| d.join("mold").is_file());
    if !found {
        eprintln!("SKIPPED: mold is not installed (`.ci/run` installs it with apt)");
    }
    found
}

#[test]
fn fast_link_with_mold_links_with_mold() {
    if !mold_installed() {
        return;
    }
    let dir = workspace("fast-link-mold");
    presets(&dir, &["apply", "fast-link", "--variant", "mold", "--to", "config"]);
    let stderr = succeeded(&dir, None, &["build", "-v"]);
    let app = common::rustc_invocation(&stderr, "app").unwrap();
    assert!(app.contains("-C link-arg=-fuse-ld=mold"), "{app}");
    let binary = fs::read(dir.join("target/debug/app")).unwrap();
    assert!(binary.windows(5).any(|w| w == b"mold "), "the binary's .comment names no mold");
}

/// The wild variant for real: where wild (`ld.wild`) and clang are installed, cargo builds and
/// the binary's `.comment` names wild as its linker. (`cargo install --locked
/// wild-linker@0.10.0` and `ln -s wild ~/.cargo/bin/ld.wild`; wild 0.11 needs Rust 1.99.)
#[test]
fn fast_link_with_wild_links_with_wild() {
    let on_path = |program: &str| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()).any(|d| d.join(program).is_file())
    };
    if !on_path("ld.wild") || !on_path("clang") {
        eprintln!("SKIPPED: wild (as `ld.wild`) and clang are not both installed");
        return;
    }
    let dir = workspace("fast-link-wild-real");
    presets(&dir, &["apply", "fast-link", "--variant", "wild", "--to", "config"]);
    let stderr = succeeded(&dir, None, &["build", "-v"]);
    let app = common::rustc_invocation(&stderr, "app").unwrap();
    assert!(app.contains("-C linker=clang") && app.contains("-C link-arg=-fuse-ld=wild"), "{app}");
    let binary = fs::read(dir.join("target/debug/app")).unwrap();
    assert!(binary.windows(13).any(|w| w == b"Linker: Wild "), "the binary's .comment names no wild");
}

/// The wild variant with stand-ins: with `clang` and `ld.wild` on PATH (stand-ins,
/// which `cargo check` never runs), apply writes the clang linker and `-fuse-ld=wild` for Linux,
/// real cargo hands both to rustc for every unit, and remove takes the file back.
#[cfg(target_os = "linux")]
#[test]
fn fast_link_wild_goes_through_clang() {
    let dir = workspace("fast-link-wild");
    let bin = dir.join("stand-ins");
    for program in ["clang", "ld.wild"] {
        common::executable(&bin.join(program), "#!/bin/sh\nexit 1\n");
    }
    let apply = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .args(["presets", "apply", "fast-link", "--variant", "wild", "--to", "config"])
        .current_dir(&dir)
        .env("PATH", common::path_with(bin))
        .env("CARGO_HOME", dir.join("no-cargo-home"))
        .env("GIT_CEILING_DIRECTORIES", dir.parent().unwrap())
        .output()
        .unwrap();
    assert!(apply.status.success(), "{}", String::from_utf8_lossy(&apply.stderr));
    let (app, dep) = check(&dir, &[]);
    for unit in [&app, &dep] {
        unit.has("-C linker=clang").has("-C link-arg=-fuse-ld=wild");
    }
    presets(&dir, &["remove", "fast-link", "--to", "config"]);
    assert!(!dir.join(".cargo").exists(), "the file and directory apply created are gone again");
}

/// fast-link's Linux table would hide native-cpu's `[build]` flags: applied together, both
/// presets' flags reach rustc (issue 24: they used to be lost without a word).
#[test]
fn native_cpu_and_fast_link_together_both_reach_rustc() {
    if !mold_installed() {
        return;
    }
    let apply = ["native-cpu", "fast-link", "--variant", "mold", "--to", "config"];
    let (dir, app, dep) = applied("native-cpu-fast-link", &apply, &[]);
    for unit in [&app, &dep] {
        unit.has("-C target-cpu=native").has("-C link-arg=-fuse-ld=mold");
    }
    presets(&dir, &["remove", "native-cpu", "fast-link", "--to", "config"]);
    assert!(!dir.join(".cargo").exists(), "the file and directory apply created are gone again");
}

#[test]
fn nightly_config_presets_in_a_separate_file_reach_nightly_cargo() {
    let Some(dir) = nightly_workspace("nightly-config") else { return };
    presets(&dir, &["apply", "parallel-frontend", "unified-features", "--to", ".cargo/nightly.toml"]);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let stderr = succeeded(&dir, Some("nightly"), &["--config", ".cargo/nightly.toml", "check", "-v"]);
    let app = common::rustc_invocation(&stderr, "app").unwrap();
    assert!(app.contains(&format!("-Zthreads={threads}")), "{app}");
    assert!(!stderr.contains("warning: ignoring `resolver.feature-unification`"), "{stderr}");
    // Stable cargo never reads the file: the workspace still builds on stable.
    succeeded(&dir, None, &["check"]);
}

/// A dependency that declares `[hints] mostly-unused = true` gets `-Zhint-mostly-unused` from
/// nightly cargo once the preset's opt-in is read, and nothing else does; stable cargo never
/// reads the separate file.
#[test]
fn hint_mostly_unused_reaches_only_the_crates_that_ask_for_it() {
    let Some(dir) = nightly_workspace("hint-mostly-unused") else { return };
    let dep = dir.join("vendor/dep/Cargo.toml");
    let text = fs::read_to_string(&dep).unwrap();
    fs::write(&dep, format!("{text}\n[hints]\nmostly-unused = true\n")).unwrap();
    presets(&dir, &["apply", "hint-mostly-unused", "--to", ".cargo/nightly.toml"]);
    let stderr = succeeded(&dir, Some("nightly"), &["--config", ".cargo/nightly.toml", "check", "-v"]);
    assert!(common::rustc_invocation(&stderr, "dep").unwrap().contains("-Zhint-mostly-unused"), "{stderr}");
    assert!(!common::rustc_invocation(&stderr, "app").unwrap().contains("-Zhint-mostly-unused"), "{stderr}");
    assert!(common::cargo(&dir, None, &["check"]).status.success());
    presets(&dir, &["remove", "hint-mostly-unused", "--to", ".cargo/nightly.toml"]);
    assert!(!dir.join(".cargo").exists(), "the file and directory apply created are gone again");
}

#[test]
fn check_says_build_rustflags_are_unread_exactly_when_cargo_ignores_them() {
    let dir = workspace("rustflags-unread");
    let (host, _) = host();
    fs::create_dir_all(dir.join(".cargo")).unwrap();
    let config = format!(
        "[build]\nrustflags = [\"-C\", \"target-cpu=native\"]\n\n[target.{host}]\nrustflags = [\"-C\", \"force-frame-pointers=yes\"]\n"
    );
    fs::write(dir.join(".cargo/config.toml"), config).unwrap();
    // What `cargo presets check` says about the workspace (its stderr).
    let lint = || {
        let output = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
            .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
            .args(["presets", "check"])
            .current_dir(&dir)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let (app, _) = check(&dir, &[]);
    app.has("-C force-frame-pointers=yes").lacks("-C target-cpu=native");
    let stderr = lint();
    assert!(stderr.contains("warning[rustflags-unread]"), "{stderr}");

    // Without the target table cargo uses `[build].rustflags`, and check says nothing about them.
    fs::write(dir.join(".cargo/config.toml"), "[build]\nrustflags = [\"-C\", \"target-cpu=native\"]\n").unwrap();
    let (app, _) = check(&dir, &[]);
    app.has("-C target-cpu=native");
    assert!(!lint().contains("rustflags-unread"));
}
