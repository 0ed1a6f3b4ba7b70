//! Hostile and broken input, through the real binary: each class gets its exact error, and no
//! file changes. Inputs that are too big or too odd for fixture files are generated here.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

const MANIFEST: &str = "[workspace]\nmembers = []\n";

/// A workspace with the given files (path → bytes), each written as given.
fn workspace(name: &str, files: &[(&str, &[u8])]) -> PathBuf {
    common::tree("hostile", name, files)
}

/// Runs `args` and asserts a clean failure: exit 101, every `expected` piece in the message, no
/// panic, no Debug dump, and every file exactly as before.
fn refused(dir: &Path, args: &[&str], expected: &[&str]) -> String {
    refused_with(dir, args, &[], expected)
}

/// [`refused`], with `env` set.
fn refused_with(dir: &Path, args: &[&str], env: &[(String, String)], expected: &[&str]) -> String {
    let before = common::files(dir);
    let (status, stderr) = common::status_and_stderr(common::presets_with(dir, args, env));
    assert_eq!(status, 101, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    for piece in expected {
        assert!(stderr.contains(piece), "expected `{piece}` in:\n{stderr}");
    }
    assert!(!stderr.contains("panicked") && !stderr.contains("\\n"), "not a clean message:\n{stderr}");
    assert!(common::files(dir) == before, "files changed");
    stderr
}

/// A workspace whose project preset `p` is `text`.
fn with_preset(name: &str, text: &str) -> PathBuf {
    workspace(name, &[("Cargo.toml", MANIFEST.as_bytes()), (".cargo/presets/p.toml", text.as_bytes())])
}

/// Each case (name, the text of preset `p`, message) refused by `args` with its message, pointing
/// at `place` (the preset's file and line).
fn every_preset_refused(group: &str, cases: &[(&str, &str, &str)], args: &[&str], place: &str) {
    for (name, text, message) in cases {
        let dir = with_preset(&format!("{group}-{name}"), text);
        refused(&dir, args, &[message, place]);
    }
}

#[test]
fn malformed_toml_in_manifest_config_and_preset() {
    let dir =
        workspace("malformed-config", &[("Cargo.toml", MANIFEST.as_bytes()), (".cargo/config.toml", b"build = [\n")]);
    refused(
        &dir,
        &["apply", "fast-dev", "--to", "config"],
        &["could not parse `.cargo/config.toml`: unclosed array", "--> .cargo/config.toml:1:10"],
    );
    let dir = with_preset("malformed-preset", "summary = \"x\"\n[profile.dev\n");
    refused(&dir, &["apply", "p"], &["could not parse `.cargo/presets/p.toml`", ":2:13"]);
    let dir = workspace("malformed-manifest", &[("Cargo.toml", b"[workspace]\nmembers = [\"a\",,]\n")]);
    refused(&dir, &["apply", "fast-dev"], &["could not parse", "Cargo.toml:2:"]);
}

#[test]
fn wrong_types_at_every_level() {
    let cases: [(&str, &str, &str); 5] = [
        ("summary", "summary = 3\n", "invalid type: integer `3`, expected a string"),
        ("profile", "summary = \"s\"\nprofile = \"dev\"\n", "`profile` must be a table"),
        ("profile-dev", "summary = \"s\"\n[profile]\ndev = 1\n", "`profile.dev` must be a table"),
        (
            "value",
            "summary = \"s\"\n[profile.dev]\ndebug = { value = [1], why = \"w\" }\n",
            "invalid value for `profile.dev.debug`",
        ),
        (
            "why",
            "summary = \"s\"\n[profile.dev]\ndebug = { value = 1, why = 2 }\n",
            "`profile.dev.debug.why` must be a string",
        ),
    ];
    every_preset_refused("types", &cases, &["apply", "p"], "--> .cargo/presets/p.toml:");
    let dir = workspace("types-manifest", &[("Cargo.toml", b"[workspace]\n\n[profile]\ndev = 1\n")]);
    refused(&dir, &["apply", "fast-dev"], &["`profile.dev` in `Cargo.toml` is not a table", "--> Cargo.toml:4:7"]);
}

#[test]
fn a_huge_manifest_is_edited_and_kept_byte_for_byte() {
    let mut text = String::from("[workspace]\nmembers = []\n");
    for i in 0..100_000 {
        text.push_str(&format!("# comment line {i} that the user wrote, kept as it was\n"));
    }
    let dir = workspace("huge", &[("Cargo.toml", text.as_bytes())]);
    let (status, stderr) = run(&dir, &["apply", "fast-dev"]);
    assert_eq!(status, 0, "{stderr}");
    let after = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(after.starts_with(&text), "the user's text is kept");
    assert!(after[text.len()..].starts_with("\n# cargo-presets(fast-dev)"));
    let (_, stderr) = run(&dir, &["apply", "fast-dev"]);
    assert!(stderr.contains("Unchanged"), "{stderr}");
}

#[test]
fn deep_nesting_is_an_error_with_a_short_message() {
    let text = format!("[workspace]\nx = {}{}\n", "[".repeat(5000), "]".repeat(5000));
    let dir = workspace("deep", &[("Cargo.toml", text.as_bytes())]);
    let stderr = refused(&dir, &["apply", "fast-dev"], &["max recursion depth"]);
    assert!(stderr.len() < 1000, "the offending line is cut, not echoed whole:\n{stderr}");
}

#[test]
fn invalid_utf8_nul_bytes_and_a_bom() {
    let dir = workspace("utf8", &[("Cargo.toml", b"[workspace]\nx = \"\xff\"\n")]);
    refused(
        &dir,
        &["apply", "fast-dev"],
        &["is not valid UTF-8 (invalid byte at offset 17)", "help: TOML files must be UTF-8"],
    );
    let dir = workspace("nul", &[("Cargo.toml", b"[workspace]\nx = \"a\0b\"\n")]);
    let stderr = refused(&dir, &["apply", "fast-dev"], &["could not parse", "x = \"a\\u{0}b\""]);
    assert!(!stderr.contains('\0'), "the NUL byte is not sent to the terminal");

    let dir = workspace("bom", &[("Cargo.toml", "\u{feff}[workspace]\nmembers = []\n".as_bytes())]);
    let (status, stderr) = run(&dir, &["apply", "fast-dev"]);
    assert_eq!(status, 0, "{stderr}");
    let after = fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    assert!(
        after.starts_with("\u{feff}[workspace]\nmembers = []\n\n# cargo-presets(fast-dev)"),
        "the BOM is kept:\n{after}"
    );
}

#[test]
fn preset_names_cannot_leave_their_folder() {
    let dir = workspace("names", &[("Cargo.toml", MANIFEST.as_bytes())]);
    refused(&dir, &["apply", "../../etc/passwd"], &["invalid character `.` in preset name `../../etc/passwd`"]);
    refused(&dir, &["apply", "/etc/passwd"], &["invalid character `/` in preset name `/etc/passwd`"]);
    let dir = with_preset("extends-path", "summary = \"s\"\nextends = [\"../../x\"]\n");
    refused(
        &dir,
        &["apply", "p"],
        &["`extends` entry `../../x`: invalid character `.`", "--> .cargo/presets/p.toml:2:"],
    );
}

#[test]
fn duplicate_names_cycles_and_deep_extends_chains() {
    let summary = b"summary = \"s\"\n" as &[u8];
    let dir = workspace(
        "duplicates",
        &[
            ("Cargo.toml", MANIFEST.as_bytes()),
            (".cargo/presets/a/x.toml", summary),
            (".cargo/presets/b/x.toml", summary),
        ],
    );
    refused(&dir, &["list"], &["two presets are named `x`", ".cargo/presets/a/x.toml", ".cargo/presets/b/x.toml"]);

    let dir = with_preset("self-cycle", "summary = \"s\"\nextends = [\"p\"]\n");
    refused(&dir, &["apply", "p"], &["presets extend each other in a cycle: p -> p"]);

    let mut files: Vec<(String, Vec<u8>)> = vec![("Cargo.toml".into(), MANIFEST.as_bytes().to_vec())];
    for i in 0..40 {
        files.push((
            format!(".cargo/presets/p{i}.toml"),
            format!("summary = \"s\"\nextends = [\"p{}\"]\n", i + 1).into_bytes(),
        ));
    }
    files.push((".cargo/presets/p40.toml".into(), summary.to_vec()));
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    let dir = workspace("deep-extends", &files);
    refused(&dir, &["apply", "p0"], &["`extends` nests more than 32 presets deep"]);
}

/// Reasons and summaries cannot end a comment: the written file holds exactly the intended keys.
#[test]
fn comment_text_cannot_inject_toml() {
    let text = "summary = \"x\\n[profile.release]\\r\\nlto = true\"\n\
                [profile.dev]\n\
                debug = { value = false, why = \"a\\nopt-level = 3\\r\\n]\\\"\\\"\\\"\\n[profile.release]\\nlto = true\" }\n";
    let dir = with_preset("injection", text);
    let (status, stderr) = run(&dir, &["apply", "p"]);
    assert_eq!(status, 0, "{stderr}");
    let written: toml_edit::DocumentMut = fs::read_to_string(dir.join("Cargo.toml")).unwrap().parse().unwrap();
    let profiles: Vec<&str> = written["profile"].as_table().unwrap().iter().map(|(k, _)| k).collect();
    assert_eq!(profiles, ["dev"]);
    let keys: Vec<&str> = written["profile"]["dev"].as_table().unwrap().iter().map(|(k, _)| k).collect();
    assert_eq!(keys, ["debug"]);
    // A carriage return alone, which can hide text on a terminal, is refused at load.
    let dir = with_preset("injection-cr", "summary = \"safe\\rlto = true\"\n");
    let (status, stderr) = run(&dir, &["apply", "p"]);
    assert_eq!(status, 101, "{stderr}");
    assert!(stderr.contains("`summary` holds \\u{d}"), "{stderr}");
}

/// Presets set profile keys only: nothing that makes cargo or rustc run a program.
#[test]
fn settings_that_run_programs_are_refused() {
    let cases: [(&str, &str, &str); 11] = [
        ("env", "summary = \"s\"\n[env]\nRUSTC_WRAPPER = \"x\"\n", "unknown field `env`"),
        (
            "target-linker-path",
            "summary = \"s\"\n[target.x86_64-unknown-linux-gnu]\nlinker = { value = \"./evil\", why = \"w\" }\n",
            "`./evil` is not a program name (presets name programs, not paths)",
        ),
        (
            "target-linker",
            "summary = \"s\"\n[target.'cfg(unix)']\nlinker = { value = \"clang\", why = \"w\" }\n",
            "`target.'cfg(unix)'.linker` names a program to run, which a project preset may not do (\"clang\")",
        ),
        (
            "rustc-wrapper",
            "summary = \"s\"\n[build]\nrustc-wrapper = { value = \"sccache\", why = \"w\" }\n",
            "`build.rustc-wrapper` names a program to run, which a project preset may not do",
        ),
        (
            "fuse-ld",
            "summary = \"s\"\n[build]\nrustflags = { value = [\"-C\", \"link-arg=-fuse-ld=mold\"], why = \"w\" }\n",
            "has `-C link-arg=-fuse-ld=mold`, which chooses the linker rustc runs: a project preset may not do that",
        ),
        (
            "config-linker-flag",
            "summary = \"s\"\n[[variant]]\nname = \"v\"\n[variant.target.x86_64-unknown-linux-gnu]\nrustflags = { value = [\"-Clinker=./evil.sh\"], why = \"w\" }\n",
            "has `-Clinker=./evil.sh`, which names the linker rustc runs",
        ),
        (
            "config-backend",
            "summary = \"s\"\n[build]\nrustflags = { value = [\"-Z\", \"codegen-backend=/tmp/x.so\"], why = \"w\" }\n",
            "which loads a code generator",
        ),
        (
            "config-args-file",
            "summary = \"s\"\n[build]\nrustflags = { value = [\"@/tmp/args\"], why = \"w\" }\n",
            "which makes rustc read files",
        ),
        (
            "profile-linker",
            "summary = \"s\"\n[profile.dev]\nlinker = { value = \"./evil\", why = \"w\" }\n",
            "unknown profile key `profile.dev.linker`",
        ),
        (
            "rustflags-linker",
            "summary = \"s\"\n[profile.dev]\nrustflags = { value = [\"-C\", \"linker=./evil.sh\"], why = \"w\" }\n",
            "`-C linker=./evil.sh` is not allowed in a preset's rustflags: presets may not make rustc run a program or load a library",
        ),
        (
            "backend-path",
            "summary = \"s\"\n[profile.dev]\ncodegen-backend = { value = \"/tmp/evil.so\", why = \"w\" }\n",
            "invalid value for `profile.dev.codegen-backend`: expected a backend name",
        ),
    ];
    every_preset_refused("run", &cases, &["apply", "p", "--to", ".cargo/p.toml"], ".cargo/presets/p.toml:");
}

/// The config keys, conditions and variants of a preset are checked as strictly as its profile
/// keys: every mistake names the file, the line and what was expected.
#[test]
fn config_keys_conditions_and_variants_are_validated() {
    let cases: [(&str, &str, &str); 12] = [
        (
            "build-typo",
            "summary = \"s\"\n[build]\nrustflag = { value = [], why = \"w\" }\n",
            "unknown key `build.rustflag`, expected `rustflags` or `rustc-wrapper`",
        ),
        (
            "flags-type",
            "summary = \"s\"\n[build]\nrustflags = { value = \"-Cx=1\", why = \"w\" }\n",
            "invalid value for `build.rustflags`: expected an array of rustc flags",
        ),
        (
            "flags-dangling",
            "summary = \"s\"\n[build]\nrustflags = { value = [\"-C\"], why = \"w\" }\n",
            "`-C` needs an argument",
        ),
        ("no-why", "summary = \"s\"\n[build]\nrustflags = [\"-Cx=1\"]\n", "`build.rustflags` must say why"),
        (
            "resolver",
            "summary = \"s\"\n[resolver]\nfeature-unification = { value = \"all\", why = \"w\" }\n",
            "expected `\"selected\"`, `\"workspace\"` or `\"package\"`",
        ),
        (
            "unstable-key",
            "summary = \"s\"\n[unstable]\nBuild_Std = { value = true, why = \"w\" }\n",
            "unknown key `unstable.Build_Std`",
        ),
        (
            "bad-cfg",
            "summary = \"s\"\n[target.'cfg(all(unix)']\nrustflags = { value = [\"-Cx=1\"], why = \"w\" }\n",
            "`target.'cfg(all(unix)'`: expected `,` or `)`",
        ),
        (
            "bad-triple",
            "summary = \"s\"\n[target.\"x y\"]\nrustflags = { value = [\"-Cx=1\"], why = \"w\" }\n",
            "expected a target triple or `cfg(…)`",
        ),
        ("when-field", "summary = \"s\"\n[when]\nplatform = [\"linux\"]\n", "unknown field `when.platform`"),
        (
            "when-version",
            "summary = \"s\"\n[when]\nmin-rustc = \"latest\"\n",
            "`when.min-rustc` must be a version like \"1.90\"",
        ),
        ("variant-name", "summary = \"s\"\n[[variant]]\nnote = \"n\"\n", "each `[[variant]]` needs a `name`"),
        (
            "variant-field",
            "summary = \"s\"\n[[variant]]\nname = \"a\"\nprogram = [\"x\"]\n",
            "unknown field `program` in variant `a`",
        ),
    ];
    every_preset_refused("config", &cases, &["apply", "p", "--to", ".cargo/p.toml"], ".cargo/presets/p.toml:");
}

fn run(dir: &Path, args: &[&str]) -> (i32, String) {
    common::status_and_stderr(common::presets(dir, args))
}

/// A machine-specific preset is refused in a file shared through git, and nothing is written;
/// `--force` writes it with a warning. (Not a fixture: git keeps no `.git` inside a repository.)
#[test]
fn machine_specific_settings_stay_out_of_files_shared_through_git() {
    let dir = workspace(
        "shared-through-git",
        &[("Cargo.toml", MANIFEST.as_bytes()), (".git/HEAD", b"ref: refs/heads/main\n")],
    );
    let machine = common::fake_machine(
        &dir.with_extension("machine"),
        "host=x86_64-unknown-linux-gnu\nrelease=1.95.0\ncfg=unix\ncfg=target_os=\"linux\"\n",
    );
    let error = "error: preset `native-cpu` is for this machine only, and `.cargo/config.toml` is shared through git";
    let help = "help: apply it to your own config file: `cargo presets apply native-cpu --to user`";
    refused_with(&dir, &["apply", "native-cpu", "--to", "config"], &machine, &[error, help]);
    // With a project preset beside it, only the machine's preset is sent to the personal file.
    let before = common::files(&dir);
    let output = common::presets_with(&dir, &["apply", "fast-dev", "native-cpu", "--to", "config"], &machine);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`cargo presets apply native-cpu --to user` and `cargo presets apply fast-dev --to config`"),
        "{stderr}"
    );
    assert!(common::files(&dir) == before, "files changed");

    let output = common::presets_with(&dir, &["apply", "native-cpu", "--to", "config", "--force"], &machine);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stderr.contains("warning: preset `native-cpu` is for this machine only"),
        "{stderr}"
    );
    assert!(fs::read_to_string(dir.join(".cargo/config.toml")).unwrap().contains("target-cpu=native"));
}
