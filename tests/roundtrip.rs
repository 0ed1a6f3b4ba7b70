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
