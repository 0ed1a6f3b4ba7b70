//! Workspace discovery against real cargo: on generated layouts (members by glob and by list,
//! `exclude`, path dependencies inside and outside the root, `package.workspace` pointing right,
//! nowhere or at a plain package, nested roots), run from a random package, our `locate` must
//! find the root `cargo locate-project --workspace` finds, or fail where it fails.
//!
//! `DISCOVERY_CASES=N` runs N layouts (40 by default; the README records a longer run).

mod common;

use std::fmt::Write as _;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use common::Rng;

/// `to` relative to `from` (both relative to one base), with `..` where needed.
fn relative(from: &Path, to: &Path) -> String {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(to[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() { ".".to_owned() } else { parts.join("/") }
}

/// One generated layout: files (path relative to the case directory, text) and where to run.
fn layout(rng: &mut Rng) -> (Vec<(PathBuf, String)>, PathBuf) {
    const PLACES: [&str; 5] = ["ws/crates", "ws", "ws/nested/deeper", "outside", "ws/excluded"];
    let count = 2 + rng.below(4);
    let dirs: Vec<PathBuf> =
        (0..count).map(|i| Path::new(PLACES[rng.below(PLACES.len())]).join(format!("p{i}"))).collect();
    let ws = Path::new("ws");
    let mut files = Vec::new();

    let mut root = String::from("[workspace]\n");
    match rng.below(4) {
        0 => {}
        1 => root.push_str("members = [\"crates/*\"]\n"),
        2 => {
            let listed: Vec<String> =
                dirs.iter().filter(|_| rng.chance(60)).map(|d| format!("\"{}\"", relative(ws, d))).collect();
            let _ = writeln!(root, "members = [{}]", listed.join(", "));
        }
        _ => {
            let one = relative(ws, &dirs[rng.below(count)]);
            let _ = writeln!(root, "members = [\"crates/*\", \"{one}\", \"missing\"]");
        }
    }
    match rng.below(3) {
        0 => {}
        1 => root.push_str("exclude = [\"excluded\"]\n"),
        _ => {
            let _ = writeln!(root, "exclude = [\"{}\"]", relative(ws, &dirs[rng.below(count)]));
        }
    }
    if rng.chance(40) {
        root.push_str("\n[package]\nname = \"root\"\nversion = \"0.1.0\"\n\n[dependencies]\n");
        for (i, dir) in dirs.iter().enumerate() {
            if rng.chance(30) {
                let _ = writeln!(root, "p{i} = {{ path = \"{}\" }}", relative(ws, dir));
            }
        }
        files.push((ws.join("src/lib.rs"), String::new()));
    }
    files.push((ws.join("Cargo.toml"), root));
    // A plain package (no workspace) that some `package.workspace` may wrongly point at.
    files.push((PathBuf::from("plain/Cargo.toml"), "[package]\nname = \"plain\"\nversion = \"0.1.0\"\n".to_owned()));
    files.push((PathBuf::from("plain/src/lib.rs"), String::new()));

    for (i, dir) in dirs.iter().enumerate() {
        let mut manifest = format!("[package]\nname = \"p{i}\"\nversion = \"0.1.0\"\n");
        match rng.below(8) {
            0 => {
                let _ = writeln!(manifest, "workspace = \"{}\"", relative(dir, ws));
            }
            1 => manifest.push_str("workspace = \"../nonexistent\"\n"),
            2 => {
                let _ = writeln!(manifest, "workspace = \"{}\"", relative(dir, Path::new("plain")));
            }
            _ => {}
        }
        manifest.push_str("\n[dependencies]\n");
        for (j, other) in dirs.iter().enumerate() {
            if j != i && rng.chance(25) {
                let _ = writeln!(manifest, "p{j} = {{ path = \"{}\" }}", relative(dir, other));
            }
        }
        if rng.chance(8) {
            manifest.push_str("\n[workspace]\n");
        }
        files.push((dir.join("Cargo.toml"), manifest));
        files.push((dir.join("src/lib.rs"), String::new()));
    }
    let start = if rng.chance(15) { ws.to_owned() } else { dirs[rng.below(count)].clone() };
    (files, start)
}

#[test]
fn discovery_agrees_with_cargo_locate_project_on_generated_layouts() {
    let cases: u64 = std::env::var("DISCOVERY_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(40);
    let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("discovery");
    let (mut found, mut refused) = (0, 0);
    for seed in 1..=cases {
        let mut rng = Rng::for_case(seed);
        let (files, start) = layout(&mut rng);
        let dir = base.join(format!("case-{seed}"));
        let _ = fs::remove_dir_all(&dir);
        for (path, text) in &files {
            let path = dir.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let cwd = dir.join(&start);
        let output = Command::new("cargo")
            .args(["locate-project", "--workspace", "--message-format", "plain", "--offline"])
            .current_dir(&cwd)
            .env("CARGO_HOME", base.join("no-cargo-home"))
            .output()
            .unwrap();
        let cargo = output
            .status
            .success()
            .then(|| PathBuf::from(String::from_utf8_lossy(&output.stdout).trim()))
            .ok_or_else(|| String::from_utf8_lossy(&output.stderr).into_owned());
        let ours = cargo_presets::cargo::workspace::locate(&cwd, None).map(|ws| ws.manifest).map_err(|e| e.to_string());
        let shown: String = files
            .iter()
            .filter(|(p, _)| p.ends_with("Cargo.toml"))
            .map(|(p, t)| format!("--- {}\n{t}", p.display()))
            .collect();
        match (&cargo, &ours) {
            (Ok(theirs), Ok(mine)) => assert_eq!(mine, theirs, "case {seed}, from {}:\n{shown}", start.display()),
            (Err(_), Err(_)) => {}
            _ => panic!("case {seed}, from {}: cargo says {cargo:?}, we say {ours:?}\n{shown}", start.display()),
        }
        if cargo.is_ok() { found += 1 } else { refused += 1 }
    }
    eprintln!("discovery: {cases} layouts agree with cargo ({found} roots found, {refused} refused by both)");
    assert!(found > 0 && refused > 0, "the layouts must exercise both outcomes");
}

/// `apply --to user` and `remove --to user` need no project: from a directory with no
/// `Cargo.toml` above it, they write and take back `$CARGO_HOME/config.toml`; `apply` into a
/// manifest there still says there is no workspace.
#[test]
fn your_own_config_needs_no_project() {
    let dir = std::env::temp_dir().join(format!("cargo-presets-nowhere-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    if dir.ancestors().any(|d| d.join("Cargo.toml").is_file()) {
        eprintln!("SKIPPED: {} is inside a Cargo project", dir.display());
        return;
    }
    let home = dir.join("home");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
            .arg("presets")
            .args(args)
            .current_dir(&dir)
            .env_clear()
            .env("CARGO_HOME", &home)
            .output()
            .unwrap()
    };
    let applied = run(&["apply", "fast-dev", "--to", "user"]);
    assert!(applied.status.success(), "{}", String::from_utf8_lossy(&applied.stderr));
    let config = fs::read_to_string(home.join("config.toml")).unwrap();
    assert!(config.contains("debug = \"line-tables-only\""), "{config}");
    assert!(String::from_utf8_lossy(&applied.stderr).contains("Creating $CARGO_HOME/config.toml"));

    let into_manifest = run(&["apply", "fast-dev"]);
    assert_eq!(into_manifest.status.code(), Some(101));
    assert!(String::from_utf8_lossy(&into_manifest.stderr).contains("could not find `Cargo.toml`"));

    let removed = run(&["remove", "fast-dev", "--to", "user"]);
    assert!(removed.status.success(), "{}", String::from_utf8_lossy(&removed.stderr));
    assert!(!home.join("config.toml").exists(), "the file apply created is gone again");
    let _ = fs::remove_dir_all(&dir);
}

/// A relative `CARGO_HOME` is taken from the current directory, as cargo takes it (the `home`
/// crate): set to `.cargo` in the workspace root, that directory's config file is the user's
/// config, read once and named as such, not a directory config beside it.
#[test]
fn a_relative_cargo_home_is_taken_from_the_current_directory() {
    let dir = common::tree(
        "discovery",
        "relative-cargo-home",
        &[
            ("Cargo.toml", "[package]\nname = \"x\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"),
            ("src/main.rs", "fn main() {}\n"),
            (".cargo/config.toml", "[profile.dev]\nopt-level = 1\n"),
        ],
    );
    let output = common::presets_with(&dir, &["check", "-v"], &[("CARGO_HOME".to_owned(), ".cargo".to_owned())]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Reading $CARGO_HOME/config.toml (your config file"), "{stderr}");
    assert!(!stderr.contains("Reading .cargo/config.toml"), "{stderr}");
}
