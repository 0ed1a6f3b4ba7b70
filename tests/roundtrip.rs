//! `apply` then `remove`, through the real binary, for every built-in preset and every kind of
//! target file: the files come back byte for byte (a file `apply` created is deleted again).

mod common;

use std::fs;
use std::path::Path;

const MANIFEST: &str =
    "# team workspace\r\n[workspace]\r\nmembers = []\r\n\r\n[profile.release]\r\ndebug = 1 # ours\r\n";

#[test]
fn every_preset_in_every_file_kind_comes_back_out_byte_for_byte() {
    let presets: Vec<String> = cargo_presets::library::BUILTIN.iter().map(|(name, _)| (*name).to_owned()).collect();
    let targets = ["manifest", "config", "user", ".cargo/opt-in.toml"];
    for preset in &presets {
        for to in targets {
            let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
                .join("roundtrip")
                .join(format!("{preset}-{}", to.replace(['.', '/'], "_")));
            let _ = fs::remove_dir_all(&dir);
            fs::create_dir_all(dir.join(".cargo")).unwrap();
            fs::create_dir_all(dir.join("cargo-home")).unwrap();
            fs::write(dir.join("Cargo.toml"), MANIFEST).unwrap();
            fs::write(dir.join(".cargo/config.toml"), "[alias]\nb = \"build\"\n").unwrap();
            // Cranelift's gate needs nightly where stable cargo reads the file.
            fs::write(dir.join("rust-toolchain.toml"), "[toolchain]\nchannel = \"nightly\"\n").unwrap();
            let before = common::files(&dir);
            let (ok, stderr) = run(&dir, &["apply", preset, "--to", to, "--force"]);
            if !ok {
                // Refused: gated or nightly settings `--to user` (rustup's default here is
                // stable), and config settings in the manifest.
                let nightly = to == "user" && stderr.contains("needs nightly cargo");
                let config_only = to == "manifest" && stderr.contains("cargo reads from config files only");
                assert!(nightly || config_only, "{preset} --to {to}:\n{stderr}");
                continue;
            }
            assert_ne!(common::files(&dir), before, "{preset} --to {to} changed nothing");
            let (ok, stderr) = run(&dir, &["remove", preset, "--to", to]);
            assert!(ok, "{preset} --to {to}:\n{stderr}");
            assert!(
                common::files(&dir) == before,
                "{preset} --to {to}: not byte for byte\n{:#?}",
                common::files(&dir).keys()
            );
        }
    }
}

/// An AArch64 Linux machine with mold and sccache, where every built-in writes something.
const MACHINE: &str = "host=aarch64-unknown-linux-gnu\nrelease=1.95.0\ncfg=unix\ncfg=target_os=\"linux\"\ncfg=target_arch=\"aarch64\"\ncfg=target_env=\"gnu\"\nprograms=mold sccache\n";

fn run(dir: &Path, args: &[&str]) -> (bool, String) {
    let machine = dir.parent().unwrap().join(format!("{}-machine", dir.file_name().unwrap().to_string_lossy()));
    let output = common::presets_with(dir, args, &common::fake_machine(&machine, MACHINE));
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// A config whose tables are inline (`build = { … }`): TOML 1.0 wants an inline table on one
/// line, so no comment fits inside the braces; the preset's record goes above the line, and
/// `status` and `remove` find it there. `toml_edit` accepts TOML 1.1, where newlines are allowed,
/// so the 1.0 rule is checked on its own, and cargo must read the file.
#[test]
fn inline_config_tables_stay_valid_toml_through_apply_status_remove() {
    let old_output = "build = { # cargo-presets(native-cpu) rustflags += -C target-cpu=native: why\n rustflags = \"-W unused -C target-cpu=native\" }\n";
    assert!(!inline_tables_on_one_line(old_output.parse::<toml_edit::DocumentMut>().unwrap().as_item()));
    for (name, config) in [
        ("string", "# team flags\nbuild = { rustflags = \"-W unused\" }\n"),
        ("created", "build = { jobs = 2 }  # fast\n[alias]\nb = \"build\"\n"),
        ("target", "target = { aarch64-unknown-linux-gnu = { rustflags = [\"-W\", \"unused\"] } }\n"),
    ] {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("roundtrip-inline").join(name);
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join(".cargo")).unwrap();
        fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        fs::write(dir.join(".cargo/config.toml"), config).unwrap();
        let before = common::files(&dir);
        // `--force`: the copy sits in this repository, so the file looks shared through git.
        let (ok, stderr) = run(&dir, &["apply", "native-cpu", "--to", "config", "--force"]);
        assert!(ok, "{name}: {stderr}");
        let written = fs::read_to_string(dir.join(".cargo/config.toml")).unwrap();
        let doc: toml_edit::DocumentMut = written.parse().unwrap_or_else(|e| panic!("{name}: {e}\n{written}"));
        assert!(inline_tables_on_one_line(doc.as_item()), "{name}: not TOML 1.0:\n{written}");
        assert_toml_1_0(&dir.join(".cargo/config.toml"), name);
        assert!(written.contains("target-cpu=native"), "{name}: {written}");
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let metadata = std::process::Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(metadata.status.success(), "{name}: {}", String::from_utf8_lossy(&metadata.stderr));
        let output = common::presets(&dir, &["status", "--format", "json"]);
        let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(status["files"][0]["presets"][0]["name"], "native-cpu", "{name}: {status:#}\n{written}");
        let (ok, stderr) = run(&dir, &["remove", "native-cpu", "--to", "config"]);
        assert!(ok, "{name}: {stderr}");
        let after = fs::read_to_string(dir.join(".cargo/config.toml")).unwrap();
        assert!(common::files(&dir) == before, "{name}: not byte for byte:\n{after}");
    }
}

/// A strict TOML 1.0 parser reads the file: Python's `tomllib` (toml_edit 0.25 reads TOML 1.1,
/// which allows newlines in inline tables). SKIPPED, visibly, where python3 3.11+ is missing.
fn assert_toml_1_0(path: &Path, name: &str) {
    let parse = std::process::Command::new("python3")
        .args(["-c", "import sys, tomllib; tomllib.load(open(sys.argv[1], 'rb'))"])
        .arg(path)
        .output();
    match parse {
        Ok(output) if output.status.success() => {}
        Ok(output) if String::from_utf8_lossy(&output.stderr).contains("No module named 'tomllib'") => {
            eprintln!("SKIPPED: the TOML 1.0 parse (python3 has no tomllib)");
        }
        Ok(output) => panic!("{name}: TOML 1.0 rejects it: {}", String::from_utf8_lossy(&output.stderr)),
        Err(_) => eprintln!("SKIPPED: the TOML 1.0 parse (no python3)"),
    }
}

/// TOML 1.0's rule for inline tables: each on a single line, so with no comment inside.
fn inline_tables_on_one_line(item: &toml_edit::Item) -> bool {
    fn value_ok(value: &toml_edit::Value) -> bool {
        match value {
            toml_edit::Value::InlineTable(t) => !t.to_string().contains('\n'),
            toml_edit::Value::Array(a) => a.iter().all(value_ok),
            _ => true,
        }
    }
    match item {
        toml_edit::Item::Value(value) => value_ok(value),
        toml_edit::Item::Table(table) => table.iter().all(|(_, item)| inline_tables_on_one_line(item)),
        toml_edit::Item::ArrayOfTables(tables) => {
            tables.iter().all(|t| t.iter().all(|(_, item)| inline_tables_on_one_line(item)))
        }
        toml_edit::Item::None => true,
    }
}
