//! What the binary generates: shell completions, the man page, and the JSON Schema of presets.

use std::process::Command;

use cargo_presets::schema::{Key, Value};

fn run(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-presets")).args(args).env_clear().output().unwrap();
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn completions_cover_every_command_in_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let script = run(&["presets", "completions", shell]);
        for word in ["apply", "check", "explain", "verify", "remove", "status", "manifest-path", "dry-run"] {
            assert!(script.contains(word), "{shell} completion lacks `{word}`");
        }
        assert!(script.contains("cargo-presets"), "{shell}: registered for the binary");
    }
    // The bash script is valid bash.
    let bash = run(&["presets", "completions", "bash"]);
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cargo-presets.bash");
    std::fs::write(&path, bash).unwrap();
    let syntax = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(syntax.status.success(), "{}", String::from_utf8_lossy(&syntax.stderr));
}

#[test]
fn man_page_documents_every_command() {
    let page = run(&["presets", "man"]);
    assert!(page.contains(".TH cargo-presets 1"), "{page}");
    for command in ["list", "show", "apply", "check", "explain", "verify", "remove", "status", "completions", "schema"]
    {
        assert!(page.contains(&format!("cargo\\-presets\\-{command}(1)")) || page.contains(command), "{command}");
    }
}

fn schema() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(&run(&["presets", "schema"])).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

fn as_json(toml: &str) -> serde_json::Value {
    toml_edit::de::from_str(toml).unwrap()
}

#[test]
fn every_built_in_preset_validates_against_the_schema() {
    let validator = schema();
    for (name, text) in cargo_presets::library::BUILTIN {
        let errors: Vec<String> = validator.iter_errors(&as_json(text)).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
    let scaffold = cargo_presets::render::Renderer::default().preset_file("team", &["fast-dev".to_owned()]);
    assert!(validator.is_valid(&as_json(&scaffold)), "{scaffold}");
    let demo =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/demo/.cargo/presets/sim-dev.toml")).unwrap();
    assert!(validator.is_valid(&as_json(&demo)));
}

#[test]
fn the_schema_rejects_what_the_parser_rejects() {
    let validator = schema();
    for bad in [
        "summary = \"s\"\nextend = []\n",
        "description = \"no summary\"\n",
        "summary = \"s\"\n[profile.dev]\nopt_level = { value = 1, why = \"w\" }\n",
        "summary = \"s\"\n[profile.dev]\ndebug = false\n",
        "summary = \"s\"\n[profile.dev]\ndebug = { value = false }\n",
        "summary = \"s\"\n[profile.dev.package.\"*\"]\npanic = { value = \"abort\", why = \"w\" }\n",
        "summary = \"s\"\n[profile.debug]\ninherits = \"dev\"\n",
        "summary = \"s\"\nextends = [\"../x\"]\n",
    ] {
        assert!(!validator.is_valid(&as_json(bad)), "the schema accepts:\n{bad}");
        assert!(
            cargo_presets::preset::parse("t", cargo_presets::preset::Origin::Builtin, bad).is_err(),
            "the parser accepts:\n{bad}"
        );
    }
}

/// Each key's JSON domain accepts exactly the values the parser accepts, over a spread of values.
#[test]
fn json_domains_agree_with_the_parser() {
    let samples: Vec<Value> = [
        vec![Value::Bool(true), Value::Bool(false)],
        [-1, 0, 1, 2, 3, 4, 16, 4_294_967_295, 4_294_967_296].into_iter().map(Value::Int).collect(),
        [
            "",
            "s",
            "z",
            "3",
            "none",
            "full",
            "limited",
            "line-tables-only",
            "line-directives-only",
            "off",
            "packed",
            "unpacked",
            "debuginfo",
            "symbols",
            "all",
            "fat",
            "thin",
            "unwind",
            "abort",
            "immediate-abort",
            "llvm",
            "macro",
            "object",
            "diagnostics",
            "/tmp/x.so",
        ]
        .into_iter()
        .map(|s| Value::Str(s.into()))
        .collect(),
        vec![Value::Array(vec![]), Value::Array(vec!["macro".into()]), Value::Array(vec!["--cfg".into(), "x".into()])],
    ]
    .concat();
    for key in Key::ALL.into_iter().filter(|k| *k != Key::Rustflags) {
        let validator = jsonschema::validator_for(&key.json_domain()).unwrap();
        for value in &samples {
            let json = cargo_presets::ops::show::to_json(value);
            assert_eq!(validator.is_valid(&json), key.accepts(value), "{key} = {value}");
        }
    }
}

/// Bash completes preset names after `apply`, run for real in bash.
#[test]
fn bash_completes_preset_names() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cargo-presets-names.bash");
    std::fs::write(&path, run(&["presets", "completions", "bash"])).unwrap();
    let script = format!(
        "source '{}'; COMP_WORDS=(cargo-presets apply fast-r); COMP_CWORD=2; _cargo__presets cargo-presets fast-r apply; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display()
    );
    let output = Command::new("bash").arg("-c").arg(script).output().unwrap();
    let words = String::from_utf8_lossy(&output.stdout);
    assert_eq!(words.trim(), "fast-runtime", "{}", String::from_utf8_lossy(&output.stderr));
}

/// Fish offers the built-in preset names after each subcommand that takes presets. Runs fish
/// itself (`.ci/run` installs it); SKIPPED where it cannot be had.
#[test]
fn fish_completes_preset_names() {
    if Command::new("fish").arg("--version").output().is_err() {
        eprintln!("SKIPPED: fish is not installed");
        return;
    }
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cargo-presets.fish");
    std::fs::write(&path, run(&["presets", "completions", "fish"])).unwrap();
    for (line, expected) in
        [("cargo-presets apply fast-r", "fast-runtime"), ("cargo-presets remove native", "native-cpu")]
    {
        let script = format!("source '{}'; complete -C '{line}'", path.display());
        let output = Command::new("fish").arg("--no-config").arg("-c").arg(script).output().unwrap();
        let words = String::from_utf8_lossy(&output.stdout);
        assert_eq!(words.trim(), expected, "{line}: {}", String::from_utf8_lossy(&output.stderr));
    }
}
