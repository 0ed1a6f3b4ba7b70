//! Helpers shared by the integration tests (each test file is its own crate and uses a subset).

// Each test crate compiles this module and uses only some of it.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A fresh directory `<CARGO_TARGET_TMPDIR>/<group>/<name>` holding `files` (path, contents).
pub fn tree<C: AsRef<[u8]>>(group: &str, name: &str, files: &[(&str, C)]) -> PathBuf {
    tree_at(Path::new(env!("CARGO_TARGET_TMPDIR")).join(group).join(name), files)
}

/// `dir`, emptied, holding `files` (path, contents).
pub fn tree_at<C: AsRef<[u8]>>(dir: PathBuf, files: &[(&str, C)]) -> PathBuf {
    let _ = fs::remove_dir_all(&dir);
    write_all(&dir, files);
    dir
}

/// Writes `files` (path, contents) below `dir`, making their directories.
pub fn write_all<C: AsRef<[u8]>>(dir: &Path, files: &[(&str, C)]) {
    for (path, contents) in files {
        let path = dir.join(path);
        fs::create_dir_all(path.parent().expect("a file has a parent")).unwrap();
        fs::write(path, contents).unwrap();
    }
}

/// The workspace the real-cargo tests build, `<group>/<name>` as [`tree`] makes it: member `app`
/// (a binary) depending on `dependency`, a path dependency in `vendor/` outside the members, so
/// that `[profile.*.package."*"]` reaches it as it would a crates.io dependency. `root` follows
/// the `[workspace]` table of the root manifest.
pub fn app_and_dependency(group: &str, name: &str, dependency: &str, root: &str) -> PathBuf {
    let krate = dependency.replace('-', "_");
    let (manifest, lib) = (format!("vendor/{dependency}/Cargo.toml"), format!("vendor/{dependency}/src/lib.rs"));
    let files = [
        ("Cargo.toml", format!("[workspace]\nmembers = [\"app\"]\nexclude = [\"vendor\"]\nresolver = \"3\"\n{root}")),
        (
            "app/Cargo.toml",
            format!(
                "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n{dependency} = {{ path = \"../vendor/{dependency}\" }}\n"
            ),
        ),
        ("app/src/main.rs", format!("fn main() {{\n    {krate}::f();\n}}\n")),
        (&manifest, format!("[package]\nname = \"{dependency}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n")),
        (&lib, "pub fn f() {}\n".to_owned()),
    ];
    tree(group, name, &files)
}

/// The names in `dir`, sorted.
pub fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

/// How a run ended: its exit status (-1 for a signal) and its stderr.
pub fn status_and_stderr(output: std::process::Output) -> (i32, String) {
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// Every file below `dir`, by path relative to it, with its bytes.
pub fn files(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_owned(), fs::read(e.path()).unwrap()))
        .collect()
}

/// Every file below `dir` (outside any `target/` when `skip_target`), with its bytes and
/// modification time: what a command that must not touch the workspace must leave as it was.
pub fn snapshot(
    dir: &Path,
    skip_target: bool,
) -> std::collections::BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| !(skip_target && e.file_name() == "target"))
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_owned(), (fs::read(e.path()).unwrap(), e.metadata().unwrap().modified().unwrap())))
        .collect()
}

/// Runs `cargo presets <args>` in `dir` with an empty environment and `CARGO_HOME` inside `dir`.
pub fn presets(dir: &Path, args: &[&str]) -> std::process::Output {
    presets_with(dir, args, &[])
}

/// `presets`, with `env` set too.
pub fn presets_with(dir: &Path, args: &[&str], env: &[(String, String)]) -> std::process::Output {
    presets_command(dir, args).envs(env.iter().map(|(k, v)| (k, v))).output().unwrap()
}

/// The command [`presets`] runs, to be given more and started by the caller.
pub fn presets_command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-presets"));
    command.arg("presets").args(args).current_dir(dir).env_clear().env("CARGO_HOME", dir.join("cargo-home"));
    command
}

/// xorshift64*: enough randomness for generated test cases, and the same cases for the same seed.
pub struct Rng(pub u64);

impl Rng {
    /// A generator for case number `seed` (any seed, zero included, gives a good state).
    pub fn for_case(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Writes `text` to `path` (creating its directory) as a program anyone may run.
pub fn executable(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(path.parent().expect("a file has a parent")).unwrap();
    fs::write(path, text).unwrap();
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).unwrap();
}

/// This process's `PATH` with `dir` first, where programs stand in for the machine's.
pub fn path_with(dir: PathBuf) -> std::ffi::OsString {
    std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap()))).unwrap()
}

/// A simulated machine for `apply`: a `rustc` script that answers `-vV`, `--print cfg` and
/// `--print host-tuple --print cfg` as `spec` says, and empty programs, all in `dir`. `spec` has
/// `host=`, `release=`, `cfg=` (one per line, as `rustc --print cfg` prints them) and
/// `programs=` (names, space-separated) lines.
/// Returns the variables that point the binary at it (`RUSTC`, and `PATH` with the programs).
pub fn fake_machine(dir: &Path, spec: &str) -> Vec<(String, String)> {
    let value = |key: &str| spec.lines().find_map(|l| l.strip_prefix(key)).unwrap_or_default().trim().to_owned();
    let cfg: Vec<&str> = spec.lines().filter_map(|l| l.strip_prefix("cfg=")).collect();
    let bin = dir.join("fake-bin");
    let _ = fs::remove_dir_all(&bin);
    let (host, release) = (value("host="), value("release="));
    executable(
        &bin.join("rustc"),
        &format!(
            "#!/bin/sh\ncase \"$1\" in\n-vV) printf 'rustc {release}\\nbinary: rustc\\nhost: {host}\\nrelease: {release}\\n' ;;\n--print) [ \"$2\" = host-tuple ] && echo {host}; printf '%s\\n' {} ;;\n*) exit 1 ;;\nesac\n",
            cfg.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(" ")
        ),
    );
    for program in value("programs=").split_whitespace() {
        executable(&bin.join(program), "#!/bin/sh\n");
    }
    vec![("RUSTC".to_owned(), bin.join("rustc").display().to_string()), ("PATH".to_owned(), bin.display().to_string())]
}

/// A run stopped at `point` (see `files::debug_pause`) until [`Paused::go`]; `start` returns
/// once the run is there.
pub struct Paused {
    child: Child,
    signals: PathBuf,
    point: &'static str,
}

impl Paused {
    pub fn start(mut command: Command, signals: &Path, point: &'static str) -> Paused {
        let _ = fs::remove_dir_all(signals);
        fs::create_dir_all(signals).unwrap();
        let mut child = command
            .env("CARGO_PRESETS_DEBUG_HANDSHAKE", signals)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let reached = signals.join(format!("{point}.reached"));
        let start = Instant::now();
        while !reached.exists() {
            assert!(start.elapsed() < Duration::from_secs(30), "the run never reached `{point}`");
            if child.try_wait().unwrap().is_some() {
                let output = child.wait_with_output().unwrap();
                panic!("the run ended before reaching `{point}`:\n{}", String::from_utf8_lossy(&output.stderr));
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        Paused { child, signals: signals.to_owned(), point }
    }

    pub fn go(self) -> (i32, String) {
        fs::write(self.signals.join(format!("{}.go", self.point)), "").unwrap();
        status_and_stderr(self.child.wait_with_output().unwrap())
    }
}

/// `cargo presets <args>` in `dir` as the measuring commands (`bench`, `tune`) are tested:
/// offline, and without the variables that would change what cargo builds (a profile's settings,
/// rustflags, incremental compilation).
pub fn measuring(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-presets"));
    command.env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"));
    command.arg("presets").args(args).current_dir(dir).env("CARGO_NET_OFFLINE", "true");
    for (key, _) in std::env::vars() {
        if key.starts_with("CARGO_PROFILE_") || key.contains("RUSTFLAGS") || key == "CARGO_INCREMENTAL" {
            command.env_remove(key);
        }
    }
    command
}

/// Holds `apply fast-dev` in `dir` once it has checked the manifest and written the new text
/// beside it, has `save` put `edited` in the manifest then (as an editor saves), and checks that
/// the run noticed and wrote nothing: the edit is kept and no temporary file is left. The
/// handshake goes through `signals`; `how` names the case in failures.
pub fn a_save_during_apply_is_kept(dir: &Path, signals: &Path, edited: &str, save: impl Fn(&Path, &str), how: &str) {
    let paused = Paused::start(presets_command(dir, &["apply", "fast-dev"]), signals, "before-rename");
    save(&dir.join("Cargo.toml"), edited);
    let (status, stderr) = paused.go();
    assert_eq!(status, 101, "{how}: {stderr}");
    assert!(
        stderr.contains("error: `Cargo.toml` changed while cargo presets was editing it; nothing was written"),
        "{how}: {stderr}"
    );
    assert_eq!(fs::read_to_string(dir.join("Cargo.toml")).unwrap(), edited, "{how}: the edit was lost");
    assert_eq!(names(dir), ["Cargo.toml"], "{how}: no temporary file is left");
}

/// A `RUSTC_WRAPPER` at `<dir>/pause-rustc.sh` that, when it compiles `krate` for the first
/// time, creates `<dir>/reached` holding its process id and waits for `<dir>/go`: the test acts
/// in the middle of a build.
pub fn pause_wrapper(dir: &Path, krate: &str) -> PathBuf {
    let wrapper = dir.join("pause-rustc.sh");
    let script = format!(
        "#!/bin/sh\ncase \"$*\" in *'--crate-name {krate}'*)\n  if [ ! -e '{0}/reached' ]; then\n    echo $$ > '{0}/reached.tmp' && mv '{0}/reached.tmp' '{0}/reached'\n    while [ ! -e '{0}/go' ]; do sleep 0.05; done\n  fi;;\nesac\nexec \"$@\"\n",
        dir.display()
    );
    executable(&wrapper, &script);
    wrapper
}

/// Starts `command` (which builds with [`pause_wrapper`]) and returns once the build is paused.
pub fn spawn_paused(dir: &Path, command: &mut Command) -> Child {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let start = Instant::now();
    while !dir.join("reached").exists() {
        assert!(start.elapsed() < Duration::from_secs(60), "the build never reached the paused crate");
        if child.try_wait().unwrap().is_some() {
            let output = child.wait_with_output().unwrap();
            panic!("the command ended before the paused crate:\n{}", String::from_utf8_lossy(&output.stderr));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

/// Sends `signal` (`TERM`, `HUP`) to a run paused by the wrapper in `dir`, and checks that it
/// ends within 5 seconds with 128 + the signal and says so; returns its stderr. A run that
/// goes on is released and killed, and the test fails.
pub fn stop_with(dir: &Path, mut child: Child, signal: &str) -> String {
    let code = match signal {
        "TERM" => 143,
        "HUP" => 129,
        other => panic!("no exit code known for SIG{other}"),
    };
    assert!(Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status().unwrap().success());
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(5) {
            fs::write(dir.join("go"), "").unwrap();
            let _ = child.kill();
            panic!("SIG{signal} did not stop the run within 5 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "{signal}: {stderr}");
    assert!(stderr.contains("Interrupted"), "{stderr}");
    stderr
}

/// The string fields `a` and `b` of each object in the JSON array `list`.
pub fn string_pairs<'j>(list: &'j serde_json::Value, a: &str, b: &str) -> Vec<(&'j str, &'j str)> {
    list.as_array().unwrap().iter().map(|o| (o[a].as_str().unwrap(), o[b].as_str().unwrap())).collect()
}

/// Asserts that `json` has the shape `tests/schemas/reports.json` documents for `command`'s
/// `--format json` (its `$defs` entry of that name), naming each place it does not.
pub fn assert_report_shape(command: &str, json: &serde_json::Value) {
    let mut schema: serde_json::Value = serde_json::from_str(include_str!("../schemas/reports.json")).unwrap();
    assert!(schema["$defs"].get(command).is_some(), "no schema for `{command}`");
    schema["$ref"] = format!("#/$defs/{command}").into();
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");
    let errors: Vec<String> =
        validator.iter_errors(json).map(|e| format!("  at `{}`: {e}", e.instance_path())).collect();
    assert!(
        errors.is_empty(),
        "`{command} --format json` does not have its documented shape:\n{}\n{json:#}",
        errors.join("\n")
    );
}

/// Real cargo in `dir`, with a private target directory, no network, and none of this
/// process's variables that would change the profile or the flags.
pub fn cargo(dir: &Path, toolchain: Option<&str>, args: &[&str]) -> std::process::Output {
    let mut command = Command::new("cargo");
    if let Some(toolchain) = toolchain {
        command.arg(format!("+{toolchain}"));
    }
    command
        .args(args)
        .arg("--offline")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_INCREMENTAL")
        .env_remove("CARGO_BUILD_RUSTFLAGS");
    for (key, _) in std::env::vars() {
        if key.starts_with("CARGO_PROFILE_") {
            command.env_remove(key);
        }
    }
    command.output().unwrap()
}

/// The line of cargo's `-v` output that runs rustc for crate `name`.
pub fn rustc_invocation<'s>(stderr: &'s str, name: &str) -> Option<&'s str> {
    let needle = format!("--crate-name {name} ");
    stderr.lines().find(|l| l.contains("Running") && l.contains(&needle))
}
