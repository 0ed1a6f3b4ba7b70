//! The published crate holds what `cargo install` needs (sources, the built-in presets and the
//! comment templates, which are embedded at build time), the README and licenses, and nothing
//! stray (no tests, fixtures, demo, scripts or CI).

use std::path::Path;
use std::process::Command;

#[test]
fn the_package_holds_exactly_what_it_needs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(env!("CARGO"))
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let mut listed: Vec<String> = String::from_utf8_lossy(&output.stdout).lines().map(str::to_owned).collect();
    listed.retain(|f| f != ".cargo_vcs_info.json"); // present only when built from git

    let mut expected: Vec<String> =
        ["Cargo.lock", "Cargo.toml", "Cargo.toml.orig", "LICENSE-APACHE", "LICENSE-MIT", "README.md"]
            .map(String::from)
            .to_vec();
    for dir in ["src", "presets", "templates"] {
        for entry in walkdir::WalkDir::new(root.join(dir)) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                expected.push(entry.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/"));
            }
        }
    }
    listed.sort();
    expected.sort();
    assert_eq!(listed, expected);
}
