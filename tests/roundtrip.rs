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
                // Only `--to user` with a gated preset is refused (rustup's default here is stable).
                assert!(to == "user" && stderr.contains("needs nightly cargo"), "{preset} --to {to}:\n{stderr}");
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

fn run(dir: &Path, args: &[&str]) -> (bool, String) {
    let output = common::presets(dir, args);
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}
