//! The onboarding script (`scripts/onboard.sh`), run whole in a sandbox: `HOME` and `CARGO_HOME`
//! in a temporary directory, and only the built binary, the toolchain and the system on `PATH`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const MANIFEST: &str = "[workspace]\nmembers = [\"app\"]\nresolver = \"3\"\n";

struct Sandbox {
    root: PathBuf,
    workspace: PathBuf,
    cargo_home: PathBuf,
}

fn sandbox(name: &str, manifest: &str) -> Sandbox {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("onboard").join(name);
    let _ = fs::remove_dir_all(&root);
    let workspace = root.join("project");
    fs::create_dir_all(workspace.join("app/src")).unwrap();
    fs::write(workspace.join("Cargo.toml"), manifest).unwrap();
    fs::write(workspace.join("app/Cargo.toml"), "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n")
        .unwrap();
    fs::write(workspace.join("app/src/main.rs"), "fn main() {}\n").unwrap();
    fs::create_dir_all(root.join("home")).unwrap();
    Sandbox { cargo_home: root.join("cargo-home"), workspace, root }
}

/// Runs the script; `installed` puts the binary on PATH, otherwise the script must install it.
/// Runs the onboarding script for `presets`, cargo-presets `installed` already or not: its exit
/// status and stderr.
fn onboard(sandbox: &Sandbox, presets: &str, installed: bool) -> (i32, String) {
    let bin = sandbox.root.join("bin");
    fs::create_dir_all(&bin).unwrap();
    let binary = env!("CARGO_BIN_EXE_cargo-presets");
    if installed {
        let _ = fs::remove_file(bin.join("cargo-presets"));
        std::os::unix::fs::symlink(binary, bin.join("cargo-presets")).unwrap();
    }
    let toolchain = Path::new(env!("CARGO")).parent().unwrap();
    let path = std::env::join_paths([bin.as_path(), toolchain, Path::new("/usr/bin"), Path::new("/bin")]).unwrap();
    let output = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/onboard.sh"))
        .current_dir(&sandbox.workspace)
        .env_clear()
        .env("PATH", path)
        .env("HOME", sandbox.root.join("home"))
        .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
        .env("CARGO_HOME", &sandbox.cargo_home)
        .env("ONBOARD_PRESETS", presets)
        // A stand-in for `cargo install`: the registry has no cargo-presets to install offline.
        .env(
            "CARGO_PRESETS_INSTALL",
            format!("mkdir -p \"$CARGO_HOME/bin\" && ln -s {binary} \"$CARGO_HOME/bin/cargo-presets\""),
        )
        .output()
        .unwrap();
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn installs_applies_to_the_contributors_own_config_and_checks() {
    let sandbox = sandbox("ok", MANIFEST);
    let (status, stderr) = onboard(&sandbox, "fast-dev", false);
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("onboard: installing cargo-presets"), "{stderr}");
    assert!(stderr.contains("Creating"), "{stderr}");
    assert!(stderr.contains("onboard: done: fast-dev applied to"), "{stderr}");
    let config = fs::read_to_string(sandbox.cargo_home.join("config.toml")).unwrap();
    assert!(config.contains("[profile.dev]\n") && config.contains("[profile.debugging]\n"), "{config}");
    assert_eq!(
        fs::read_to_string(sandbox.workspace.join("Cargo.toml")).unwrap(),
        MANIFEST,
        "the committed manifest is untouched"
    );
    // Again: nothing to do, still success.
    let (status, stderr) = onboard(&sandbox, "fast-dev", true);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(fs::read_to_string(sandbox.cargo_home.join("config.toml")).unwrap(), config);
}

#[test]
fn a_preset_that_cannot_go_into_the_user_config_fails_loudly() {
    let sandbox = sandbox("nightly", MANIFEST);
    let (status, stderr) = onboard(&sandbox, "cranelift-dev", true);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("needs nightly cargo"), "{stderr}");
    assert!(stderr.trim_end().ends_with("see the error above"), "{stderr}");
    assert!(!sandbox.cargo_home.join("config.toml").exists(), "nothing was written");
}

#[test]
fn problems_found_by_check_fail_the_onboarding() {
    let sandbox = sandbox("check", &format!("{MANIFEST}\n[profile.fast]\nopt-level = 4\n"));
    let (status, stderr) = onboard(&sandbox, "fast-dev", true);
    assert_eq!(status, 1, "{stderr}");
    assert!(stderr.contains("error[missing-inherits]"), "{stderr}");
    assert!(
        stderr.trim_end().ends_with("onboard: cargo presets check found problems; fix them and run this again"),
        "{stderr}"
    );
}
