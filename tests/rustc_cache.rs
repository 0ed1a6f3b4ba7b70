//! rustc's answers kept across runs (`cargo::machine::cache`): a workspace whose config file
//! sets rustflags for two hosts, so `explain` must ask rustc which host this is; a fake rustc
//! that logs every start and answers for the host its toolchain names. A second run starts it
//! no more, unless the compiler may have changed; a compiler the cache cannot name is asked every
//! run; a cache that cannot be read or written costs time, never the answer.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const CONFIG: &str = "[target.x86_64-unknown-linux-gnu]\nrustflags = [\"--cfg\", \"on_x86\"]\n\n\
                      [target.aarch64-unknown-linux-gnu]\nrustflags = [\"--cfg\", \"on_arm\"]\n";
const X86: &str = "rustflags for x86_64-unknown-linux-gnu: --cfg on_x86";
const ARM: &str = "rustflags for aarch64-unknown-linux-gnu: --cfg on_arm";

/// A fake rustc: logs `$RUSTUP_TOOLCHAIN ARGS` to `log`, and answers for aarch64 when the
/// toolchain is `arm`, else for x86_64. `old` is a rustc before 1.84, which fails on
/// `--print host-tuple`.
fn rustc_script(log: &Path, old: bool) -> String {
    let host_tuple = if old { "exit 1" } else { "echo $host" };
    format!(
        "#!/bin/sh\necho \"$RUSTUP_TOOLCHAIN $*\" >> '{}'\n\
         case \"$RUSTUP_TOOLCHAIN\" in arm) host=aarch64-unknown-linux-gnu ;; *) host=x86_64-unknown-linux-gnu ;; esac\n\
         case \"$1 $2\" in\n\
         -vV*) printf 'rustc 1.95.0\\nbinary: rustc\\nhost: %s\\nrelease: 1.95.0\\n' $host ;;\n\
         '--print host-tuple') {host_tuple}; printf '%s\\n' unix 'target_os=\"linux\"' ;;\n\
         '--print cfg') printf '%s\\n' unix 'target_os=\"linux\"' ;;\n\
         *) exit 1 ;;\nesac\n",
        log.display()
    )
}

struct Setup {
    dir: PathBuf,
    env: Vec<(String, String)>,
}

impl Setup {
    /// A workspace in `<dir>/ws`, the cache in `<dir>/cache`, no rustc yet.
    fn new(name: &str) -> Setup {
        let dir = common::tree(
            "rustc-cache",
            name,
            &[
                ("ws/Cargo.toml", "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n"),
                ("ws/src/main.rs", "fn main() {}\n"),
                ("ws/.cargo/config.toml", CONFIG),
            ],
        );
        let env = vec![
            ("CARGO_HOME".to_owned(), dir.join("cargo-home").display().to_string()),
            ("XDG_CACHE_HOME".to_owned(), dir.join("cache").display().to_string()),
        ];
        Setup { dir, env }
    }

    /// `$RUSTC` names a fake rustc of the machine's own (not rustup's proxy).
    fn with_rustc(name: &str, old: bool) -> Setup {
        let mut setup = Setup::new(name);
        let rustc = setup.dir.join("bin").join("rustc");
        common::executable(&rustc, &rustc_script(&setup.log(), old));
        setup.set("RUSTC", &rustc.display().to_string());
        setup.set("PATH", &setup.dir.join("bin").display().to_string());
        setup
    }

    fn log(&self) -> PathBuf {
        self.dir.join("rustc.log")
    }

    fn cache_file(&self) -> PathBuf {
        self.dir.join("cache").join("cargo-presets").join("rustc-answers.json")
    }

    fn set(&mut self, name: &str, value: &str) {
        self.env.retain(|(n, _)| n != name);
        self.env.push((name.to_owned(), value.to_owned()));
    }

    /// Runs `cargo presets ARGS` in the workspace; its stdout's rustflags line, and how many
    /// times it started rustc.
    fn run(&self, args: &[&str]) -> (String, usize) {
        self.run_in("ws", args)
    }

    /// `run` in `<dir>/<workspace>`.
    fn run_in(&self, workspace: &str, args: &[&str]) -> (String, usize) {
        let before = fs::read_to_string(self.log()).unwrap_or_default().lines().count();
        let output = common::presets_with(&self.dir.join(workspace), args, &self.env);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success() && stderr.is_empty(), "{args:?}:\n{stderr}");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout.lines().find(|l| l.starts_with("rustflags for")).unwrap_or_default().to_owned();
        (line, fs::read_to_string(self.log()).unwrap_or_default().lines().count() - before)
    }

    fn explain(&self) -> (String, usize) {
        self.run(&["explain", "dev"])
    }

    /// Runs `explain` once per entry: each run gives the answer, having asked rustc that many
    /// times.
    fn explains(&self, answers: &[(&str, usize)]) {
        for (run, (answer, asked)) in answers.iter().enumerate() {
            assert_eq!(self.explain(), ((*answer).to_owned(), *asked), "run {}", run + 1);
        }
    }
}

fn set_modified(path: &Path, time: SystemTime) {
    fs::File::options().write(true).open(path).unwrap().set_modified(time).unwrap();
}

#[test]
fn a_second_run_starts_rustc_no_more_and_writes_nothing_in_the_workspace() {
    let setup = Setup::with_rustc("again", false);
    let workspace = common::snapshot(&setup.dir.join("ws"), false);
    setup.explains(&[(X86, 1)]);
    assert!(setup.cache_file().is_file(), "the answer is kept in the cache directory");
    setup.explains(&[(X86, 0)]);
    let (_, asked) = setup.run(&["-q", "check"]);
    assert_eq!(asked, 0, "`check` asks the same question");
    assert_eq!(common::snapshot(&setup.dir.join("ws"), false), workspace);
}

#[test]
fn a_failing_question_is_kept_too() {
    // Before 1.84 rustc fails on `host-tuple`: the fallback asks `-vV` and `--print cfg`.
    let setup = Setup::with_rustc("old", true);
    setup.explains(&[(X86, 3), (X86, 0)]);
}

#[test]
fn a_touched_or_replaced_rustc_is_asked_again() {
    let setup = Setup::with_rustc("touched", false);
    let rustc = setup.dir.join("bin").join("rustc");
    setup.explains(&[(X86, 1)]);
    let modified = fs::metadata(&rustc).unwrap().modified().unwrap();
    set_modified(&rustc, modified + Duration::from_secs(60));
    setup.explains(&[(X86, 1), (X86, 0)]);
    // Another compiler put in its place with the same time: the key still tells them apart.
    let script = rustc_script(&setup.log(), false).replace("*) host=x86_64", "*) host=aarch64");
    let replacement = setup.dir.join("bin").join("rustc.new");
    common::executable(&replacement, &script);
    set_modified(&replacement, modified + Duration::from_secs(60));
    fs::rename(&replacement, &rustc).unwrap();
    setup.explains(&[(ARM, 1)]);
}

#[test]
fn rustc_bootstrap_is_part_of_the_question() {
    let mut setup = Setup::with_rustc("bootstrap", false);
    setup.explains(&[(X86, 1)]);
    setup.set("RUSTC_BOOTSTRAP", "1");
    setup.explains(&[(X86, 1), (X86, 0)]);
}

#[test]
fn the_directory_counts_only_for_a_launcher() {
    // No sysroot beside it: a launcher, which may pick a compiler by directory (asdf's shim).
    let setup = Setup::with_rustc("launcher", false);
    for file in ["Cargo.toml", "src/main.rs", ".cargo/config.toml"] {
        let to = setup.dir.join("other").join(file);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        fs::copy(setup.dir.join("ws").join(file), to).unwrap();
    }
    let explain = |workspace| setup.run_in(workspace, &["explain", "dev"]);
    assert_eq!(explain("ws"), (X86.to_owned(), 1));
    assert_eq!(explain("other"), (X86.to_owned(), 1));
    assert_eq!(explain("ws"), (X86.to_owned(), 0));
    // A compiler in its sysroot answers the same wherever it runs.
    fs::create_dir_all(setup.dir.join("lib/rustlib")).unwrap();
    assert_eq!(explain("ws"), (X86.to_owned(), 1));
    assert_eq!(explain("other"), (X86.to_owned(), 0));
}

/// rustup's proxy as `$CARGO_HOME/bin/rustc` (found on PATH), and a `$RUSTUP_HOME` with the
/// toolchains `x86` and `arm`.
fn proxy(name: &str) -> Setup {
    let mut setup = Setup::new(name);
    let bin = setup.dir.join("cargo-home").join("bin");
    common::executable(&bin.join("rustc"), &rustc_script(&setup.log(), false));
    for toolchain in ["x86", "arm"] {
        common::executable(&setup.dir.join("rustup/toolchains").join(toolchain).join("bin/rustc"), "#!/bin/sh\n");
    }
    setup.set("PATH", &bin.display().to_string());
    setup
}

#[test]
fn rustups_toolchain_names_the_compiler() {
    let mut setup = proxy("rustup");
    setup.set("RUSTUP_HOME", &setup.dir.join("rustup").display().to_string());
    setup.set("RUSTUP_TOOLCHAIN", "x86");
    setup.explains(&[(X86, 1), (X86, 0)]);
    setup.set("RUSTUP_TOOLCHAIN", "arm");
    setup.explains(&[(ARM, 1), (ARM, 0)]);
    setup.set("RUSTUP_TOOLCHAIN", "x86");
    assert_eq!(setup.explain(), (X86.to_owned(), 0), "both toolchains' answers are kept");
    // `rustup update` replaces the toolchain's rustc in place.
    let toolchain_rustc = setup.dir.join("rustup/toolchains/x86/bin/rustc");
    set_modified(&toolchain_rustc, SystemTime::now() + Duration::from_secs(60));
    setup.explains(&[(X86, 1)]);
    // A toolchain rustup has no rustc for names no compiler: asked every run.
    setup.set("RUSTUP_TOOLCHAIN", "missing");
    setup.explains(&[(X86, 1), (X86, 1)]);
}

#[test]
fn a_proxy_without_rustups_variables_is_asked_every_run() {
    let setup = proxy("proxy-alone");
    setup.explains(&[(X86, 1), (X86, 1)]);
    // A distribution's layout: `rustc` a link to `rustup`, outside `$CARGO_HOME`.
    let mut setup = Setup::new("proxy-link");
    let bin = setup.dir.join("usr-bin");
    common::executable(&bin.join("rustup"), &rustc_script(&setup.log(), false));
    std::os::unix::fs::symlink("rustup", bin.join("rustc")).unwrap();
    setup.set("PATH", &bin.display().to_string());
    setup.explains(&[(X86, 1), (X86, 1)]);
    assert!(!setup.cache_file().exists());
}

#[test]
fn a_corrupt_cache_file_is_ignored_and_replaced() {
    let setup = Setup::with_rustc("corrupt", false);
    let corrupt: [&[u8]; 3] = [b"{\"format\": 1, \"answers\": [", b"\xff\xfe not text", b"[]"];
    for bytes in corrupt {
        fs::create_dir_all(setup.cache_file().parent().unwrap()).unwrap();
        fs::write(setup.cache_file(), bytes).unwrap();
        assert_eq!(setup.explain(), (X86.to_owned(), 1), "{}", String::from_utf8_lossy(bytes));
        assert_eq!(setup.explain(), (X86.to_owned(), 0), "{}", String::from_utf8_lossy(bytes));
    }
}

#[test]
fn an_unwritable_cache_directory_is_no_error() {
    let mut setup = Setup::with_rustc("unwritable", false);
    // A file where the cache directory should be: no user, root included, can create it.
    let file = setup.dir.join("cache-is-a-file");
    fs::write(&file, "").unwrap();
    setup.set("XDG_CACHE_HOME", &file.display().to_string());
    setup.explains(&[(X86, 1), (X86, 1)]);
    // A read-only directory (which root may still write).
    let read_only = setup.dir.join("read-only");
    fs::create_dir_all(&read_only).unwrap();
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o555)).unwrap();
    setup.set("XDG_CACHE_HOME", &read_only.display().to_string());
    assert_eq!(setup.explain().0, X86);
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o755)).unwrap();
}

/// Through real cargo and rustup's real proxy: `cargo presets` gets rustup's variables from
/// cargo, so the proxy's answer is kept, keyed by the toolchain, and the next run finds it (a
/// run that asked would have replaced the file).
#[test]
fn run_by_cargo_the_real_proxys_answer_is_kept() {
    use std::os::unix::fs::MetadataExt;
    let setup = Setup::new("real");
    let bin = Path::new(env!("CARGO_BIN_EXE_cargo-presets")).parent().unwrap().to_owned();
    let path = common::path_with(bin);
    let run = || {
        let output = std::process::Command::new("cargo")
            .args(["presets", "explain", "dev"])
            .current_dir(setup.dir.join("ws"))
            .env_remove("RUSTUP_TOOLCHAIN")
            .env_remove("RUSTC")
            // In CI, cargo's release is asked too (`CI` changes `incremental` from 1.99): a
            // second answer, not what this test counts.
            .env_remove("CI")
            .env_remove("TF_BUILD")
            .env("PATH", &path)
            .envs(setup.env.iter().cloned())
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let first = run();
    assert!(first.lines().any(|l| l.starts_with("rustflags for ")), "{first}");
    let kept: serde_json::Value = serde_json::from_str(&fs::read_to_string(setup.cache_file()).unwrap()).unwrap();
    let answers = kept["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 1, "{kept:#}");
    if std::env::var_os("RUSTUP_HOME").is_some() {
        assert!(answers[0]["key"]["toolchain"]["name"].is_string(), "keyed by rustup's toolchain: {kept:#}");
    } else {
        eprintln!("SKIPPED: the rustup part (these tests do not run under rustup)");
    }
    let written = fs::metadata(setup.cache_file()).unwrap().ino();
    assert_eq!(run(), first);
    assert_eq!(fs::metadata(setup.cache_file()).unwrap().ino(), written, "the second run asked rustc");
}

#[test]
fn a_crash_is_not_kept() {
    let setup = Setup::with_rustc("crash", false);
    let rustc = setup.dir.join("bin").join("rustc");
    let crashing = rustc_script(&setup.log(), false).replace("case \"$1 $2\" in", "exit 101\ncase \"$1 $2\" in");
    common::executable(&rustc, &crashing);
    let ws = setup.dir.join("ws");
    for _ in 0..2 {
        let before = fs::read_to_string(setup.log()).unwrap_or_default().lines().count();
        common::presets_with(&ws, &["explain", "dev"], &setup.env);
        // The failed `host-tuple` question, then `-vV` for the fallback: both asked each run.
        assert_eq!(fs::read_to_string(setup.log()).unwrap().lines().count() - before, 2);
    }
}
