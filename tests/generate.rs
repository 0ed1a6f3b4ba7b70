//! What the binary generates: shell completions, the man page, and the JSON Schema of presets.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_presets::cargo::schema::{Key, Value};
use cargo_presets::json_schema::domain;

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
        "summary = \"s\"\n[profile.dev]\ndebug = { value = 1, why = \"w\", rustc = \"1.99\" }\n",
        "summary = \"s\"\n[[variant]]\nname = \"v\"\nwhen = { rustc = \">1.99\" }\n",
        "summary = \"s\"\nextends = [\"../x\"]\n",
        "summary = \"s\"\nconflicts-with = [{ preset = \"x\" }]\n",
        "summary = \"s\"\nconflicts-with = [{ preset = \"x\", why = \"w\", also = 1 }]\n",
        "summary = \"s\"\nconflicts-with = [\"x\"]\n",
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
        let validator = jsonschema::validator_for(&serde_json::to_value(domain(key)).unwrap()).unwrap();
        for value in &samples {
            let json = serde_json::to_value(value).unwrap();
            assert_eq!(validator.is_valid(&json), key.accepts(value), "{key} = {value}");
        }
    }
}

/// A workspace with a project preset `team-fast` and, in its `CARGO_HOME`, a personal preset
/// `teatime`; and the `PATH` the completion scripts find the binary on, as when it is installed.
fn workspace_with_presets(name: &str) -> (PathBuf, Vec<(String, String)>) {
    let preset = |summary: &str| {
        format!(
            "summary = \"{summary}\"\nextends = [\"fast-dev\"]\n\n[profile.dev.package.\"*\"]\n\
             opt-level = {{ value = 1, why = \"dependencies run fast enough for the tests\" }}\n"
        )
    };
    let dir = common::tree(
        "completions",
        name,
        &[
            (
                "Cargo.toml",
                "[workspace]\n\n[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n".to_owned(),
            ),
            ("src/main.rs", "fn main() {}\n".to_owned()),
            (".cargo/presets/team-fast.toml", preset("the team's dev builds")),
            ("cargo-home/presets/teatime.toml", preset("my own dev builds")),
        ],
    );
    let bin = Path::new(env!("CARGO_BIN_EXE_cargo-presets")).parent().unwrap().to_owned();
    let path = common::path_with(bin);
    let env = vec![
        ("PATH".to_owned(), path.into_string().unwrap()),
        ("CARGO_HOME".to_owned(), dir.join("cargo-home").display().to_string()),
    ];
    (dir, env)
}

/// Runs `shell -c script` in `dir` with `env`, and returns the words it printed, one a line.
fn complete(shell: &[&str], script: &str, dir: &Path, env: &[(String, String)]) -> Vec<String> {
    let output = Command::new(shell[0])
        .args(&shell[1..])
        .arg("-c")
        .arg(script)
        .current_dir(dir)
        .envs(env.iter().cloned())
        .output()
        .unwrap();
    assert!(output.status.success(), "{script}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().lines().map(str::to_owned).collect()
}

/// The completion scripts' question: the names `list` shows here, also where `list` fails.
#[test]
fn completion_candidates_are_the_presets_list_shows() {
    let (dir, env) = workspace_with_presets("candidates");
    let names = |dir: &Path| common::presets_with(dir, &["__complete", "presets"], &env[1..]);
    let output = names(&dir);
    assert!(output.status.success() && output.stderr.is_empty(), "{output:?}");
    let listed: serde_json::Value =
        serde_json::from_slice(&common::presets_with(&dir, &["list", "--format", "json"], &env[1..]).stdout).unwrap();
    let listed: Vec<&str> = listed["presets"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    let offered = String::from_utf8(output.stdout).unwrap();
    assert_eq!(offered.lines().collect::<Vec<_>>(), listed);
    assert!(listed.contains(&"team-fast") && listed.contains(&"teatime") && listed.contains(&"fast-dev"), "{listed:?}");

    // A preset file that does not parse is still a name to offer; `show` says what is wrong.
    std::fs::write(dir.join(".cargo/presets/half-written.toml"), "summary = \"").unwrap();
    let offered = String::from_utf8(names(&dir).stdout).unwrap();
    assert!(offered.lines().any(|n| n == "half-written") && offered.lines().any(|n| n == "team-fast"), "{offered}");

    // A project folder discovery refuses (two presets of one name) leaves the other presets.
    std::fs::create_dir_all(dir.join(".cargo/presets/more")).unwrap();
    std::fs::write(dir.join(".cargo/presets/more/team-fast.toml"), "summary = \"again\"\n").unwrap();
    let output = names(&dir);
    let offered = String::from_utf8(output.stdout).unwrap();
    assert!(output.status.success() && output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(offered.lines().any(|n| n == "teatime") && offered.lines().any(|n| n == "fast-dev"), "{offered}");

    // Outside any workspace: built-in and personal.
    let outside = std::env::temp_dir().join("cargo-presets-completion-outside");
    std::fs::create_dir_all(&outside).unwrap();
    let output = common::presets_with(&outside, &["__complete", "presets"], &env[1..]);
    assert!(output.status.success(), "{output:?}");
    let offered = String::from_utf8(output.stdout).unwrap();
    assert!(offered.lines().any(|n| n == "teatime") && !offered.lines().any(|n| n == "team-fast"), "{offered}");
}

/// Bash completes the preset names visible where it runs, after `apply` and the other
/// subcommands that take presets, run for real in bash.
#[test]
fn bash_completes_preset_names() {
    let (dir, env) = workspace_with_presets("bash");
    let path = dir.join("cargo-presets.bash");
    std::fs::write(&path, run(&["presets", "completions", "bash"])).unwrap();
    for (words, expected) in [
        ("cargo-presets apply fast-r", &["fast-runtime"][..]),
        ("cargo-presets apply te", &["team-fast", "teatime"]),
        ("cargo-presets presets apply te", &["team-fast", "teatime"]),
        ("cargo-presets apply fast-dev fast-d", &["fast-dev"]),
        ("cargo-presets remove team", &["team-fast"]),
        ("cargo-presets bench teat", &["teatime"]),
    ] {
        let words: Vec<&str> = words.split(' ').collect();
        let (cur, prev) = (words[words.len() - 1], words[words.len() - 2]);
        let script = format!(
            "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; _cargo__presets cargo-presets {cur} {prev}; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            path.display(),
            words.join(" "),
            words.len() - 1,
        );
        assert_eq!(complete(&["bash"], &script, &dir, &env), expected, "{words:?}");
    }
}

/// Fish offers the preset names visible where it runs after each subcommand that takes presets.
/// Runs fish itself (`.ci/run` installs it); SKIPPED where it cannot be had.
#[test]
fn fish_completes_preset_names() {
    if Command::new("fish").arg("--version").output().is_err() {
        eprintln!("SKIPPED: fish is not installed");
        return;
    }
    let (dir, env) = workspace_with_presets("fish");
    let path = dir.join("cargo-presets.fish");
    std::fs::write(&path, run(&["presets", "completions", "fish"])).unwrap();
    for (line, expected) in [
        ("cargo-presets apply fast-r", &["fast-runtime"][..]),
        ("cargo-presets remove native", &["native-cpu"]),
        ("cargo-presets apply te", &["team-fast", "teatime"]),
        ("cargo-presets show team", &["team-fast"]),
    ] {
        let script = format!("source '{}'; complete -C '{line}'", path.display());
        assert_eq!(complete(&["fish", "--no-config"], &script, &dir, &env), expected, "{line}");
    }
}

/// The zsh script is valid zsh (completing in zsh needs a terminal); SKIPPED without zsh.
#[test]
fn zsh_script_is_valid_zsh() {
    if Command::new("zsh").arg("--version").output().is_err() {
        eprintln!("SKIPPED: zsh is not installed");
        return;
    }
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cargo-presets.zsh");
    let script = run(&["presets", "completions", "zsh"]);
    assert!(script.contains("cargo-presets presets __complete presets"), "zsh asks the binary for preset names");
    std::fs::write(&path, script).unwrap();
    let syntax = Command::new("zsh").arg("-n").arg(&path).output().unwrap();
    assert!(syntax.status.success(), "{}", String::from_utf8_lossy(&syntax.stderr));
}
