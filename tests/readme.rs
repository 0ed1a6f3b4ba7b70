//! The README stays true: every ```console block in it is run, in order, against one copy of the
//! `demo/` workspace, and each command's output must be what the README shows.
//!
//! Lines starting with `$ ` are commands: `cargo presets …` runs the real binary, `cat FILE`
//! shows a file of the copy. The lines up to the next command are its output (stdout, then
//! stderr). `SNAPSHOTS=overwrite cargo test --test readme` writes the real output into the README.
//! Every ```toml block that starts with `# A project preset` must equal the demo's preset file,
//! and the error examples shown as ```text (strict parsing, contradictory presets) must be what
//! their fixtures print.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn readme_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")
}

fn copy_demo() -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("readme");
    let _ = fs::remove_dir_all(&root);
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo");
    for entry in walkdir::WalkDir::new(&demo) {
        let entry = entry.unwrap();
        let target = root.join("demo").join(entry.path().strip_prefix(&demo).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
    root.join("demo")
}

fn run(dir: &Path, command: &str) -> String {
    if let Some(file) = command.strip_prefix("cat ") {
        return fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("`{command}`: {e}"));
    }
    let args =
        command.strip_prefix("cargo presets ").unwrap_or_else(|| panic!("unsupported README command `{command}`"));
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .arg("presets")
        .args(args.split_whitespace())
        .current_dir(dir)
        .env_clear()
        .env("CARGO_HOME", dir.join("../cargo-home"))
        // The stub `rustup` first; then the toolchain these tests run with, for `verify`.
        .env(
            "PATH",
            std::env::join_paths([fake_rustup(dir), Path::new(env!("CARGO")).parent().unwrap().to_owned()]).unwrap(),
        )
        .env("CARGO", env!("CARGO"))
        .output()
        .unwrap();
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

/// A directory holding a `rustup` that reports no optional component installed, so the output
/// of presets that need one is the same on every machine.
fn fake_rustup(dir: &Path) -> PathBuf {
    let bin = dir.join("../bin");
    fs::create_dir_all(&bin).unwrap();
    let script = bin.join("rustup");
    fs::write(&script, "#!/bin/sh\necho cargo-x86_64-unknown-linux-gnu\necho rustc-x86_64-unknown-linux-gnu\n")
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

#[test]
fn console_blocks_show_real_output() {
    let readme = fs::read_to_string(readme_path()).unwrap();
    let dir = copy_demo();
    let mut rewritten = String::new();
    let mut mismatches = Vec::new();
    let mut in_console = false;
    let mut expected: Option<(String, String)> = None; // (command, output lines so far)
    let finish = |expected: &mut Option<(String, String)>, out: &mut String, mismatches: &mut Vec<String>| {
        if let Some((command, shown)) = expected.take() {
            let actual = run(&dir, &command);
            if actual != shown {
                mismatches.push(format!("$ {command}\n--- README\n{shown}--- actual\n{actual}"));
            }
            out.push_str(&actual);
        }
    };
    for line in readme.split_inclusive('\n') {
        if !in_console {
            rewritten.push_str(line);
            in_console = line.trim_end() == "```console";
            continue;
        }
        if line.trim_end() == "```" {
            finish(&mut expected, &mut rewritten, &mut mismatches);
            rewritten.push_str(line);
            in_console = false;
        } else if let Some(command) = line.strip_prefix("$ ") {
            finish(&mut expected, &mut rewritten, &mut mismatches);
            rewritten.push_str(line);
            expected = Some((command.trim_end().to_owned(), String::new()));
        } else if let Some((_, shown)) = expected.as_mut() {
            shown.push_str(line);
        }
    }
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        fs::write(readme_path(), rewritten).unwrap();
        return;
    }
    assert!(mismatches.is_empty(), "README output is out of date:\n{}", mismatches.join("\n"));
}

#[test]
fn preset_example_is_the_demo_preset() {
    let readme = fs::read_to_string(readme_path()).unwrap();
    let block = readme
        .split("```toml\n")
        .skip(1)
        .map(|rest| &rest[..rest.find("```").unwrap()])
        .find(|block| block.starts_with("# A project preset"))
        .expect("the README shows the demo's project preset");
    let file =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/.cargo/presets/sim-dev.toml")).unwrap();
    assert_eq!(block, file);
}

/// Errors the demo cannot show are shown from a fixture, after its command.
#[test]
fn error_examples_are_the_fixture_output() {
    let readme = fs::read_to_string(readme_path()).unwrap();
    for case in ["error-invalid-project-preset", "error-declared-conflict", "error-conflict-and-relied"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(case);
        let stderr = fs::read_to_string(dir.join("stderr")).unwrap();
        let shown = match case {
            "error-invalid-project-preset" => format!("```text\n{stderr}```"),
            _ => format!("```text\n$ cargo presets {}{stderr}```", fs::read_to_string(dir.join("cmd")).unwrap()),
        };
        assert!(readme.contains(&shown), "the README shows the error of fixture `{case}`:\n{shown}");
    }
}

/// The README's example of flags joining the `[target]` table cargo reads is that fixture: its
/// command, what it printed and the file it wrote.
#[test]
fn flags_example_is_the_fixture() {
    assert_shows_fixture("config-native-cpu-joins-target-table", |read| {
        format!(
            "$ cargo presets {}{}$ cat .cargo/config.toml\n{}",
            read("cmd"),
            read("stderr"),
            read("out/.cargo/config.toml")
        )
    });
}

/// The README's `explain` rustflags example is `tests/fixtures/explain-rustflags`.
#[test]
fn explain_rustflags_example_is_the_fixture() {
    assert_shows_fixture("explain-rustflags", |read| {
        format!(
            "$ cat .cargo/config.toml\n{}$ cargo presets {}{}",
            read("in/.cargo/config.toml"),
            read("cmd"),
            read("stdout")
        )
    });
}

/// The README's GitHub annotations example is `tests/fixtures/check-github`.
#[test]
fn check_github_example_is_the_fixture() {
    assert_shows_fixture("check-github", |read| format!("$ cargo presets {}{}", read("cmd"), read("stdout")));
}

/// The README holds a `text` block made of a fixture's files, so the example is what the
/// binary does (the fixture test proves that).
fn assert_shows_fixture(case: &str, block: impl Fn(&dyn Fn(&str) -> String) -> String) {
    let readme = fs::read_to_string(readme_path()).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(case);
    let read = |name: &str| fs::read_to_string(dir.join(name)).unwrap();
    let shown = format!("```text\n{}```", block(&read));
    assert!(readme.contains(&shown), "the README shows the fixture {case}:\n{shown}");
}

/// The README's table of `check` rules is the catalogue, row for row.
#[test]
fn rules_table_is_the_catalogue() {
    let readme = fs::read_to_string(readme_path()).unwrap();
    let start = readme.find("| code | default | what it finds |").expect("the README has the rules table");
    let rows: Vec<String> =
        readme[start..].lines().skip(2).take_while(|l| l.starts_with('|')).map(str::to_owned).collect();
    let expected: Vec<String> = cargo_presets::lint::rules::RULES
        .iter()
        .map(|r| format!("| `{}` | {} | {} |", r.code, r.level.name(), r.summary))
        .collect();
    assert_eq!(rows, expected);
}
