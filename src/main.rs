//! The `cargo-presets` binary; all the work is in the library.

fn main() {
    std::process::exit(cargo_presets::run(std::env::args_os()));
}
