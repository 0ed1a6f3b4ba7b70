//! The toolchain cargo runs with, as rustup decides it: the channel a toolchain file pins,
//! rustup's default, and the components installed. The only module that asks rustup; rustc
//! itself is asked in [`super::machine`].

use std::path::Path;

use toml_edit::DocumentMut;

/// The channel pinned for builds in `dir`: the toolchain file found the way rustup finds it, in
/// `dir` or its nearest ancestor that has one.
pub fn pinned_channel(dir: &Path) -> Option<String> {
    dir.ancestors().find_map(toolchain_channel)
}

/// The channel a toolchain file in `dir` names, if there is one.
pub fn toolchain_channel(dir: &Path) -> Option<String> {
    if let Ok(text) = crate::files::read(&dir.join("rust-toolchain.toml")) {
        let doc: DocumentMut = text.parse().ok()?;
        return doc.get("toolchain")?.get("channel")?.as_str().map(str::to_owned);
    }
    let text = crate::files::read(&dir.join("rust-toolchain")).ok()?;
    match text.parse::<DocumentMut>() {
        Ok(doc) if doc.contains_key("toolchain") => doc["toolchain"].get("channel")?.as_str().map(str::to_owned),
        _ => Some(text.trim().to_owned()),
    }
}

/// rustup's `settings.toml` (default toolchain, directory overrides), from `$RUSTUP_HOME` found
/// as rustup finds it (the `home` crate); `None` when there is none.
pub fn rustup_settings() -> Option<String> {
    home::rustup_home().ok().and_then(|dir| crate::files::read(&dir.join("settings.toml")).ok())
}

/// Whether rustup's default toolchain is a nightly (for settings in `$CARGO_HOME`, which every
/// project on the machine reads).
pub fn default_toolchain_is_nightly() -> bool {
    let Some(text) = rustup_settings() else {
        return false;
    };
    let default =
        text.parse::<DocumentMut>().ok().and_then(|doc| doc.get("default_toolchain")?.as_str().map(str::to_owned));
    default.is_some_and(|name| name.starts_with("nightly"))
}

/// The rustup components installed for `toolchain`, one per line as rustup lists them
/// (`rustc-codegen-cranelift-preview-x86_64-unknown-linux-gnu`). Runs rustup: call it only when
/// a component matters. The error says why rustup could not be asked (`it is not on PATH`).
pub fn installed_components(toolchain: &str) -> Result<Vec<String>, String> {
    let output = std::process::Command::new("rustup")
        .args(["component", "list", "--installed", "--toolchain", toolchain])
        .output()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound { "it is not on PATH".to_owned() } else { e.to_string() }
        })?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    Ok(String::from_utf8_lossy(&output.stdout).lines().map(|l| l.trim().to_owned()).collect())
}

/// Whether `component` is among `installed`, with or without its target suffix.
pub fn has_component(installed: &[String], component: &str) -> bool {
    installed.iter().any(|line| line == component || line.starts_with(&format!("{component}-")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_toolchain_file_pins_its_directory_and_those_below() {
        let dir = crate::scratch_with(
            "toolchain-pinned",
            &[("rust-toolchain.toml", "[toolchain]\nchannel = \"nightly-2026-05-19\"\n")],
        );
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        assert_eq!(pinned_channel(&dir.join("a/b")).as_deref(), Some("nightly-2026-05-19"));
        std::fs::write(dir.join("a/rust-toolchain"), "stable\n").unwrap();
        assert_eq!(pinned_channel(&dir.join("a/b")).as_deref(), Some("stable"));
    }

    #[test]
    fn a_component_matches_with_or_without_its_target() {
        let installed = ["rustc-codegen-cranelift-preview-x86_64-unknown-linux-gnu".to_owned()];
        assert!(has_component(&installed, "rustc-codegen-cranelift-preview"));
        assert!(!has_component(&installed, "rustc-codegen-gcc"));
    }
}
