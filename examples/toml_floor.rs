//! The floor for editing a manifest: one toml_edit parse of the file and one write of it back,
//! nothing else. `scripts/bench.py` times `cargo presets apply` on a large manifest against it.
//!
//! Usage: `toml_floor FILE`

fn main() {
    let path = std::env::args_os().nth(1).expect("usage: toml_floor FILE");
    let text = std::fs::read_to_string(&path).expect("a readable UTF-8 file");
    let doc: toml_edit::DocumentMut = text.parse().expect("valid TOML");
    std::fs::write(&path, doc.to_string()).expect("a writable file");
}
