//! `apply` then `remove`, through the real binary, for every built-in preset and every kind of
//! target file: the files come back byte for byte (a file `apply` created is deleted again).

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const MANIFEST: &str =
    "# team workspace\r\n[workspace]\r\nmembers = []\r\n\r\n[profile.release]\r\ndebug = 1 # ours\r\n";

fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_owned(), fs::read(e.path()).unwrap()))
        .collect()
}

fn run(dir: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .arg("presets")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("CARGO_HOME", dir.join("cargo-home"))
        .output()
        .unwrap();
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

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
            let before = tree(&dir);
            let (ok, stderr) = run(&dir, &["apply", preset, "--to", to, "--force"]);
            if !ok {
                // Only `--to user` with a gated preset is refused (rustup's default here is stable).
                assert!(to == "user" && stderr.contains("needs nightly cargo"), "{preset} --to {to}:\n{stderr}");
                continue;
            }
            assert_ne!(tree(&dir), before, "{preset} --to {to} changed nothing");
            let (ok, stderr) = run(&dir, &["remove", preset, "--to", to]);
            assert!(ok, "{preset} --to {to}:\n{stderr}");
            assert!(tree(&dir) == before, "{preset} --to {to}: not byte for byte\n{:#?}", tree(&dir).keys());
        }
    }
}
