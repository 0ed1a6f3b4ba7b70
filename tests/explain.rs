//! `explain` against real cargo: one workspace where each precedence layer wins one setting of a
//! custom profile (built-in default, `inherits`, Cargo.toml, `$CARGO_HOME/config.toml`, an outer
//! directory's config, the workspace's config, the environment). `explain` must name the layer,
//! and `cargo check -v` must show the flag that value produces.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

struct Setup {
    workspace: PathBuf,
    cargo_home: PathBuf,
}

const ENV: (&str, &str) = ("CARGO_PROFILE_RELEASE_OPT_LEVEL", "2");

/// A fresh `<tmp>/<dir>` holding `files`: the workspace is its `ws/`, `$CARGO_HOME` its `home/`.
fn setup_in(dir: &str, files: &[(&str, &str)]) -> Setup {
    let outer = common::tree_at(Path::new(env!("CARGO_TARGET_TMPDIR")).join(dir), files);
    Setup { workspace: outer.join("ws"), cargo_home: outer.join("home") }
}

impl Setup {
    /// The directory holding the workspace and `$CARGO_HOME`.
    fn outer(&self) -> &Path {
        self.workspace.parent().unwrap()
    }
}

fn setup() -> Setup {
    let files = [
        // The custom profile sets nothing itself: everything comes through `inherits`.
        (
            "ws/Cargo.toml",
            "[workspace]\nmembers = [\"app\"]\nresolver = \"3\"\n\n[profile.release]\nopt-level = 1\ndebug = 2\ncodegen-units = 5\n\n[profile.custom]\ninherits = \"release\"\n",
        ),
        ("ws/app/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"),
        ("ws/app/src/main.rs", "fn main() {}\n"),
        ("home/config.toml", "[profile.release]\nstrip = \"symbols\"\ndebug = 1\n"),
        (".cargo/config.toml", "[profile.release]\npanic = \"abort\"\ndebug = 1\n"),
        ("ws/.cargo/config.toml", "[profile.release]\ndebug = \"line-tables-only\"\n"),
    ];
    setup_in("explain", &files)
}

fn command(setup: &Setup, program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(&setup.workspace).env("CARGO_HOME", &setup.cargo_home).env(ENV.0, ENV.1);
    command.env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"));
    for (key, _) in std::env::vars() {
        if key.starts_with("CARGO_PROFILE_") || key.contains("RUSTFLAGS") || key == "CARGO_INCREMENTAL" {
            command.env_remove(key);
        }
    }
    command.env(ENV.0, ENV.1);
    command
}

/// The flag a value of `key` makes cargo pass (for the keys with one).
fn flag(key: &str, value: &serde_json::Value) -> String {
    let value = value.as_str().map(str::to_owned).unwrap_or_else(|| value.to_string());
    match (key, value.as_str()) {
        ("debug", "line-tables-only") => "-C debuginfo=line-tables-only".into(),
        ("opt-level", v) => format!("-C opt-level={v}"),
        ("codegen-units", v) => format!("-C codegen-units={v}"),
        ("strip", v) => format!("-C strip={v}"),
        ("panic", v) => format!("-C panic={v}"),
        other => panic!("no flag for {other:?}"),
    }
}

#[test]
fn each_layer_is_named_by_explain_and_obeyed_by_cargo() {
    let setup = setup();
    let output = command(&setup, env!("CARGO_BIN_EXE_cargo-presets"))
        .args(["presets", "explain", "custom", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["chain"], serde_json::json!(["custom", "release"]));
    let setting = |key: &str| report["settings"].as_array().unwrap().iter().find(|s| s["key"] == key).unwrap().clone();

    // Which layer wins each key, as explain says.
    let expected = [
        ("opt-level", "CARGO_PROFILE_RELEASE_OPT_LEVEL"),
        ("debug", ".cargo/config.toml:2"),
        ("panic", "../.cargo/config.toml:2"),
        ("strip", "$CARGO_HOME/config.toml:2"),
        ("codegen-units", "Cargo.toml:8"),
    ];
    for (key, source) in expected {
        let s = setting(key);
        assert_eq!(s["from"]["source"], source, "{key}: {s:#}");
        assert_eq!(s["from"]["profile"], "release", "{key} comes through `inherits`");
    }
    let debug = setting("debug");
    let lost: Vec<&str> =
        debug["overrides"].as_array().unwrap().iter().map(|d| d["source"].as_str().unwrap()).collect();
    assert_eq!(lost, ["../.cargo/config.toml:3", "$CARGO_HOME/config.toml:3", "Cargo.toml:7"]);
    assert!(setting("overflow-checks")["from"].is_null(), "a built-in default");
    assert_eq!(setting("overflow-checks")["value"], false);

    // What real cargo passes to rustc for the same profile.
    let output = command(&setup, "cargo")
        .args(["check", "-v", "--offline", "--message-format=json", "--profile", "custom"])
        .env("CARGO_TARGET_DIR", setup.workspace.join("target"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let rustc = stderr.lines().find(|l| l.contains("--crate-name app ")).expect("app was compiled");
    for (key, _) in expected {
        let flag = flag(key, &setting(key)["value"]);
        assert!(
            rustc.contains(&format!("{flag} ")),
            "explain says {key} = {}, but rustc got:\n{rustc}",
            setting(key)["value"]
        );
    }
    let artifact = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "app")
        .unwrap();
    assert_eq!(artifact["profile"]["overflow_checks"], setting("overflow-checks")["value"]);
}

/// `incremental` for the workspace's crates where `CARGO_INCREMENTAL` (on only for exactly `1`)
/// or `build.incremental` (`CARGO_BUILD_INCREMENTAL`, else the nearest file) decides it, not
/// the profile: explain's listing gives cargo's value and names the source, and
/// `cargo check -v` agrees.
#[test]
fn the_workspace_crates_incremental_is_cargos_and_names_its_source() {
    let files = [
        ("ws/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[workspace]\n"),
        ("ws/src/lib.rs", ""),
        (".cargo/config.toml", "[build]\nincremental = true\n"),
        ("ws/.cargo/config.toml", "[build]\njobs = 1\nincremental = false\n"),
    ];
    let setup = setup_in("explain-incremental", &files);
    // (profile, variable and value, on, the source explain names)
    type Case<'a> = (&'a str, Option<(&'a str, &'a str)>, bool, &'a str);
    let cases: [Case<'_>; 7] = [
        ("dev", None, false, ".cargo/config.toml:3"),
        ("dev", Some(("CARGO_INCREMENTAL", "")), false, "CARGO_INCREMENTAL"),
        ("dev", Some(("CARGO_INCREMENTAL", "true")), false, "CARGO_INCREMENTAL"),
        ("release", Some(("CARGO_INCREMENTAL", "1")), true, "CARGO_INCREMENTAL"),
        ("release", None, false, ".cargo/config.toml:3"),
        ("release", Some(("CARGO_BUILD_INCREMENTAL", "true")), true, "CARGO_BUILD_INCREMENTAL"),
        ("dev", Some(("CARGO_BUILD_INCREMENTAL", "false")), false, "CARGO_BUILD_INCREMENTAL"),
    ];
    for (profile, variable, on, source) in cases {
        let run = |program: &str| {
            let mut command = command(&setup, program);
            command.env_remove("CARGO_BUILD_INCREMENTAL");
            if let Some((name, value)) = variable {
                command.env(name, value);
            }
            command
        };
        let output = run(env!("CARGO_BIN_EXE_cargo-presets"))
            .args(["presets", "explain", profile, "--format", "json"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let unit = report["units"].as_array().unwrap().iter().find(|u| u["unit"] == "the workspace's crates").unwrap();
        let incremental = unit["settings"].as_array().unwrap().iter().find(|s| s["key"] == "incremental").unwrap();
        let case = format!("{profile} {variable:?}: {incremental}");
        assert_eq!(
            (incremental["value"].as_bool(), incremental["from"]["source"].as_str()),
            (Some(on), Some(source)),
            "{case}"
        );
        let output = run("cargo")
            .args(["check", "-v", "--offline", "--profile", profile])
            .env("CARGO_TARGET_DIR", setup.workspace.join("target"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let rustc = stderr.lines().find(|l| l.contains("--crate-name app ")).expect("app was compiled");
        assert_eq!(rustc.contains("-C incremental="), on, "{case}\n{rustc}");
        let _ = fs::remove_dir_all(setup.workspace.join("target"));
    }
}

/// Package `app` with `source` (path, text), and a config file `.cargo/extra.toml` setting
/// `opt-level` 2 for an `include` to name.
fn with_extra_config<'a>(source: (&'a str, &'a str)) -> [(&'a str, &'a str); 3] {
    [
        ("ws/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
        source,
        ("ws/.cargo/extra.toml", "[profile.dev]\nopt-level = 2\n"),
    ]
}

/// `include` read as cargo 1.95 reads it: a list of paths or of `{ path }` tables (inline or
/// `[[include]]`) is followed (the
/// included profile value is what cargo passes), a plain string makes cargo refuse the whole
/// configuration, and then `explain` and `verify` fail too, naming the file and the key, with
/// the list form as help, and without reading the file the string names.
#[test]
fn include_forms_are_read_as_cargo_reads_them() {
    let setup = setup_in("explain-include", &with_extra_config(("ws/src/lib.rs", "")));
    let (ws, outer) = (&setup.workspace, setup.outer());
    for (include, accepted) in [
        ("include = [\"extra.toml\"]", true),
        ("include = [{ path = \"extra.toml\" }]", true),
        ("[[include]]\npath = \"extra.toml\"", true),
        ("include = \"extra.toml\"", false),
    ] {
        fs::write(ws.join(".cargo/config.toml"), format!("{include}\n")).unwrap();
        // Each case compiles afresh, for its rustc line.
        let _ = fs::remove_dir_all(outer.join("target"));
        let cargo = command(&setup, "cargo")
            .args(["check", "-v", "--offline"])
            .env("CARGO_TARGET_DIR", outer.join("target"))
            .output()
            .unwrap();
        let cargo_stderr = String::from_utf8_lossy(&cargo.stderr);
        assert_eq!(cargo.status.success(), accepted, "cargo on {include}:\n{cargo_stderr}");
        let explain = command(&setup, env!("CARGO_BIN_EXE_cargo-presets"))
            .args(["presets", "explain", "dev", "opt-level"])
            .output()
            .unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&explain.stdout), String::from_utf8_lossy(&explain.stderr));
        assert_eq!(explain.status.success(), accepted, "explain on {include}:\n{stdout}{stderr}");
        if accepted {
            let rustc = cargo_stderr.lines().find(|l| l.contains("--crate-name app ")).expect("app was compiled");
            assert!(rustc.contains("-C opt-level=2"), "{rustc}");
            assert!(stdout.contains("opt-level = 2  (from .cargo/extra.toml:2)"), "{stdout}");
            continue;
        }
        assert!(cargo_stderr.contains("expected a list of strings or a list of tables, but found string at `include`"));
        let verify = command(&setup, env!("CARGO_BIN_EXE_cargo-presets")).args(["presets", "verify"]).output().unwrap();
        assert!(!verify.status.success());
        for stderr in [stderr.into_owned(), String::from_utf8_lossy(&verify.stderr).into_owned()] {
            assert!(
                stderr.starts_with(
                    "error: cargo cannot load its configuration: `include` in `.cargo/config.toml` is a string"
                ) && stderr.contains(" --> .cargo/config.toml:1:1")
                    && stderr.contains("help: write `include = [\"extra.toml\"]`"),
                "{stderr}"
            );
        }
    }
}

/// A configuration cargo refuses to load (an `include` that is not a list: cargo 1.95 fails on
/// it whatever it is asked) stops every command that reads the configuration, with explain's
/// error, before it builds or writes anything: `apply` to the manifest, to that very file and to
/// the user's, a dry run too (the presets would never be read); `status`; `bench` and `tune`
/// before they copy the workspace (the copy would fail here: the temporary directory is
/// missing). `check` names it as one of its findings.
#[test]
fn a_configuration_cargo_refuses_stops_every_command_that_reads_it() {
    let setup = setup_in("explain-refused", &with_extra_config(("ws/src/main.rs", "fn main() {}\n")));
    fs::create_dir_all(&setup.cargo_home).unwrap();
    let (ws, outer) = (&setup.workspace, setup.outer());
    let commands: [&[&str]; 9] = [
        &["apply", "fast-dev"],
        &["apply", "fast-dev", "--to", "config"],
        &["apply", "fast-dev", "--to", "user"],
        &["apply", "fast-dev", "--dry-run"],
        &["status"],
        &["bench", "fast-dev", "--runs", "1"],
        &["tune", "--budget", "1m"],
        &["explain", "dev"],
        &["verify"],
    ];
    for (include, found, help) in [
        ("include = \"extra.toml\"", "string", "help: write `include = [\"extra.toml\"]`"),
        ("include = 1", "integer", "help: write a list: `include = [\"other.toml\"]`"),
    ] {
        fs::write(ws.join(".cargo/config.toml"), format!("{include}\n")).unwrap();
        let cargo = command(&setup, "cargo")
            .args(["check", "--offline"])
            .env("CARGO_TARGET_DIR", outer.join("target"))
            .output()
            .unwrap();
        let cargo_stderr = String::from_utf8_lossy(&cargo.stderr);
        assert!(
            !cargo.status.success() && cargo_stderr.contains(&format!("but found {found} at `include`")),
            "cargo on {include}:\n{cargo_stderr}"
        );
        let before = common::snapshot(outer, false);
        for args in commands {
            let output = command(&setup, env!("CARGO_BIN_EXE_cargo-presets"))
                .arg("presets")
                .args(args)
                .env("TMPDIR", outer.join("no-such-directory"))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            let case = format!("{include}: {args:?}\n{stderr}");
            assert_eq!(output.status.code(), Some(101), "{case}");
            assert!(
                stderr.starts_with(&format!(
                    "error: cargo cannot load its configuration: `include` in `.cargo/config.toml` is a {found}"
                )) && stderr.contains(" --> .cargo/config.toml:1:1")
                    && stderr.contains(help),
                "{case}"
            );
            assert_eq!(common::snapshot(outer, false), before, "{case}");
        }
        let check = command(&setup, env!("CARGO_BIN_EXE_cargo-presets")).args(["presets", "check"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&check.stderr);
        let finding = format!("error[include-form]: `include` in `.cargo/config.toml` is a {found}");
        assert!(check.status.code() == Some(1) && stderr.starts_with(&finding), "{include}: check\n{stderr}");
    }
}
