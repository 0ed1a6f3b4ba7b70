//! Building a workspace without touching it, for `bench`, `tune` and `verify`: cargo builds a
//! private copy of the workspace, each variant in a private target directory with its settings
//! in a private `--config` file. The user's files are never written, touched or removed, so
//! they can go on editing while a run builds; the scratch directory goes away on Ctrl-C,
//! SIGTERM and SIGHUP too, and what a killed run left is removed by the next one
//! (`leftovers`). Besides the files, the copy carries what cargo would see in place
//! (`carry`: a rustup directory override, config-relative `[env]` paths).

use std::io::{IsTerminal, Write};
use std::path::{Component, Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::cargo::config_files::{ConfigScope, config_files};
use crate::cargo::workspace::{self, Workspace};
use crate::error::{Error, Result};
use crate::measure::stats;
use crate::ops::Context;
use crate::shell::Verbosity;

mod carry;
mod leftovers;

use carry::{TOOLCHAIN_FILES, anchor_relative_env, rustup_override};
use leftovers::remove_abandoned;

/// The file in a scratch directory that names the process using it, so that a later run can
/// tell a killed run's leftovers from a live run's directory.
const OWNER: &str = "owner.pid";

/// One configuration to build.
#[derive(Clone)]
pub struct Variant {
    pub name: String,
    pub profile: String,
    /// The settings as a config file; `None` for the workspace's own.
    pub config: Option<PathBuf>,
    /// `Some("nightly")` where the settings need unstable features.
    pub toolchain: Option<&'static str>,
    /// What the settings need on the command line too (`-Zbuild-std=…`, `--target <host>`).
    pub cargo_args: Vec<String>,
    pub target: PathBuf,
}

impl Variant {
    /// Where cargo puts what a build in `target` makes: below the triple with `--target`.
    pub fn outputs(&self, target: &Path) -> PathBuf {
        let triple = self.cargo_args.iter().skip_while(|a| *a != "--target").nth(1);
        let target = triple.map_or_else(|| target.to_owned(), |t| target.join(t));
        target.join(output_dir(&self.profile))
    }
}

/// The scratch directory with the copy of the workspace cargo builds. Dropping it removes the
/// directory, so that an error or a signal leaves nothing behind.
pub struct Sandbox {
    pub scratch: PathBuf,
    /// The copy's root manifest.
    pub manifest: PathBuf,
    /// Where cargo runs: the copy of the user's current directory, below which lie copies of
    /// the config and toolchain files cargo and rustup would find from there.
    pub cwd: PathBuf,
    /// The copy of a member's source file, which `rebuild` touches.
    touched: Option<PathBuf>,
    /// The toolchain of a `rustup override set` that applies in place, which cargo in the copy
    /// gets as `RUSTUP_TOOLCHAIN` (see [`rustup_override`]).
    rustup_toolchain: Option<String>,
    /// When a time budget (`tune`'s) runs out: each build's progress line counts down to it
    /// as it runs, rather than showing the time left when the build began.
    pub deadline: Option<Instant>,
    interrupted: Arc<AtomicBool>,
    /// The signal that stopped the run.
    signal: Arc<AtomicUsize>,
    #[cfg(unix)]
    handlers: Vec<signal_hook::SigId>,
}

impl Sandbox {
    /// `what` begins the scratch directory's name: `cargo-presets-tune-<random>` in the
    /// temporary directory.
    pub fn new(workspace: &Workspace, cwd: &Path, what: &str) -> Result<Sandbox> {
        let temp = std::env::temp_dir();
        remove_abandoned(&temp);
        let interrupted = Arc::new(AtomicBool::new(false));
        let signal = Arc::new(AtomicUsize::new(0));
        // A signal sets the flag, and the build in progress is stopped; a second one ends the
        // process at once, as usual. Registered before the scratch directory is made, so that
        // no signal can leave it behind.
        #[cfg(unix)]
        let handlers = {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            use signal_hook::flag;
            [SIGINT, SIGTERM, SIGHUP]
                .into_iter()
                .flat_map(|s| {
                    [
                        flag::register_conditional_default(s, Arc::clone(&interrupted)),
                        flag::register_usize(s, Arc::clone(&signal), s as usize),
                        flag::register(s, Arc::clone(&interrupted)),
                    ]
                })
                .filter_map(std::result::Result::ok)
                .collect()
        };
        // A random name, mode 0700, created without following a link: nobody else can
        // prepare it or look inside.
        let prefix = format!("cargo-presets-{what}-");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix);
        // tempfile leaves the mode to the umask unless told.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
        let scratch = builder.tempdir_in(&temp).map_err(|e| Error::io("create a directory in", &temp, &e))?.keep();
        // Made before the copy fills in its paths, so that dropping it removes a half-made copy.
        let mut sandbox = Sandbox {
            manifest: PathBuf::new(),
            cwd: PathBuf::new(),
            touched: None,
            rustup_toolchain: None,
            deadline: None,
            interrupted,
            signal,
            #[cfg(unix)]
            handlers,
            scratch,
        };
        let owner = sandbox.scratch.join(OWNER);
        std::fs::write(&owner, std::process::id().to_string()).map_err(|e| Error::io("write", &owner, &e))?;
        sandbox.copy(workspace, cwd)?;
        Ok(sandbox)
    }

    /// Copies the workspace into `copy/`, at its absolute path below it: the members and the
    /// path dependencies, with the directories between them, then the config and toolchain
    /// files cargo and rustup find upward from `cwd`, so that cargo run from the copy of `cwd`
    /// sees the same configuration, in the same precedence, as in place.
    fn copy(&mut self, workspace: &Workspace, cwd: &Path) -> Result<()> {
        let copy = self.scratch.join("copy");
        let inside = |path: &Path| -> PathBuf {
            copy.join(path.components().filter(|c| matches!(c, Component::Normal(_))).collect::<PathBuf>())
        };
        let dependencies = workspace::outside_path_dependencies(workspace);
        let dirs = workspace.members.iter().chain(&dependencies).map(|m| crate::files::dir_of(m).to_owned());
        let tree = dirs.fold(workspace.root().to_owned(), |common, dir| {
            common.ancestors().find(|a| dir.starts_with(a)).map(Path::to_owned).unwrap_or_default()
        });
        copy_tree(&tree, &inside(&tree), &self.scratch)?;
        let toolchain = cwd.ancestors().find_map(|dir| {
            let files: Vec<PathBuf> =
                TOOLCHAIN_FILES.iter().map(|name| dir.join(name)).filter(|f| f.is_file()).collect();
            (!files.is_empty()).then_some(files)
        });
        let configs: Vec<PathBuf> =
            config_files(cwd).read.into_iter().filter(|f| f.scope == ConfigScope::Directory).map(|f| f.path).collect();
        for file in configs.iter().cloned().chain(toolchain.into_iter().flatten()) {
            // Only regular files: cargo would block on a FIFO, and the config readers refuse
            // one with a clear error once the copy is made.
            if !file.starts_with(&tree) && std::fs::metadata(&file).is_ok_and(|m| m.is_file()) {
                let to = inside(&file);
                std::fs::create_dir_all(crate::files::dir_of(&to))
                    .and_then(|()| std::fs::copy(&file, &to))
                    .map_err(|e| Error::io("copy", &file, &e))?;
            }
        }
        for file in &configs {
            let copied = inside(file);
            let root = file.parent().and_then(Path::parent).unwrap_or(Path::new("/"));
            let text = std::fs::read_to_string(&copied).ok();
            if let Some(anchored) = text.and_then(|text| anchor_relative_env(&text, root, &tree)) {
                std::fs::write(&copied, anchored).map_err(|e| Error::io("write", &copied, &e))?;
            }
        }
        self.rustup_toolchain = rustup_override(cwd);
        self.cwd = inside(cwd);
        std::fs::create_dir_all(&self.cwd).map_err(|e| Error::io("create", &self.cwd, &e))?;
        self.manifest = inside(&workspace.manifest);
        self.touched = workspace
            .members
            .iter()
            .flat_map(|m| ["src/main.rs", "src/lib.rs"].map(|s| inside(crate::files::dir_of(m)).join(s)))
            .find(|p| p.is_file());
        Ok(())
    }

    /// The exit status for the signal that stopped the run, as a shell reports a process it
    /// ended (130 after Ctrl-C); `None` while none came.
    pub fn interrupted(&self) -> Option<i32> {
        self.interrupted.load(Ordering::Relaxed).then(|| 128 + self.signal.load(Ordering::Relaxed) as i32)
    }

    /// Removes the copy and its builds, whatever happened. For a run a signal stopped, says that
    /// `lost` (`nothing measured is kept`) and gives the exit status to end with.
    pub fn remove(self, shell: &mut crate::shell::Shell, lost: &str) -> Option<i32> {
        let interrupted = self.interrupted();
        drop(self);
        if interrupted.is_some() {
            shell.status("Interrupted", format!("{lost}; the temporary files are removed"));
        }
        interrupted
    }

    /// The copy of the workspace root, where a measured binary runs.
    pub fn root(&self) -> &Path {
        crate::files::dir_of(&self.manifest)
    }

    /// Marks the copy of a member's source file as edited, for a `rebuild`.
    pub fn touch(&self) -> Result<()> {
        let touched = self.touched.as_deref().ok_or_else(|| {
            Error::new(
                "`--workflow rebuild` needs a member with a source file (`src/main.rs` or `src/lib.rs`) to touch",
            )
        })?;
        std::fs::File::options()
            .write(true)
            .open(touched)
            .and_then(|f| f.set_modified(SystemTime::now()))
            .map_err(|e| Error::io("touch", touched, &e))
    }

    /// Runs cargo on the copy for one variant: its wall time and, on Linux, its CPU time (user
    /// and system, the compiler processes included); `Ok(Err(output))` when the build fails, with
    /// the last lines cargo printed. A signal stops the build and is an error.
    pub fn cargo(
        &self,
        ctx: &mut Context<'_>,
        variant: &Variant,
        subcommand: &[&str],
        label: &str,
    ) -> Result<std::result::Result<(f64, Option<f64>), String>> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = self.command(if variant.toolchain.is_some() { "cargo".into() } else { cargo });
        if let Some(toolchain) = variant.toolchain {
            command.arg(format!("+{toolchain}"));
        }
        if let Some(config) = &variant.config {
            command.arg("--config").arg(config);
        }
        command.args(subcommand).args(&variant.cargo_args);
        command.args(["--profile", &variant.profile, "--manifest-path"]).arg(&self.manifest);
        command.env("CARGO_TARGET_DIR", &variant.target);
        // `-v` shows cargo's own output as it builds; otherwise it is kept for a failure's report.
        let log = self.scratch.join("cargo.log");
        if ctx.shell.verbosity() == Verbosity::Verbose {
            command.stdout(Stdio::inherit()).stderr(Stdio::inherit());
        } else {
            let file = std::fs::File::create(&log).map_err(|e| Error::io("create", &log, &e))?;
            let copy = file.try_clone().map_err(|e| Error::io("open", &log, &e))?;
            command.stdout(Stdio::from(copy)).stderr(Stdio::from(file));
        }
        let spinner = Spinner::start(ctx, label, self.deadline);
        let cpu_before = children_cpu();
        let start = Instant::now();
        let status = self.wait(command);
        let wall = start.elapsed().as_secs_f64();
        let cpu = children_cpu().zip(cpu_before).map(|(after, before)| after - before);
        spinner.stop();
        let status = status?;
        if !status.success() {
            let output = std::fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = output.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect();
            return Ok(Err(tail.join("\n")));
        }
        Ok(Ok((wall, cpu)))
    }

    /// A command to run in the copy (cargo): in the copy of the user's directory, with the
    /// toolchain rustup would pick in place, in a process group of its own so that stopping it
    /// on a signal stops the compilers it runs too.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.cwd);
        if let Some(toolchain) = &self.rustup_toolchain {
            command.env("RUSTUP_TOOLCHAIN", toolchain);
        }
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        command
    }

    /// Waits for the command, stopping it on a signal.
    fn wait(&self, mut command: Command) -> Result<std::process::ExitStatus> {
        let mut child = command.spawn().map_err(|e| Error::new(format!("failed to run cargo: {e}")))?;
        loop {
            if let Some(status) = child.try_wait().map_err(|e| Error::new(format!("failed to wait for cargo: {e}")))? {
                if self.interrupted().is_some() {
                    return Err(interrupted());
                }
                return Ok(status);
            }
            if self.interrupted().is_some() {
                #[cfg(unix)]
                stop_group(child.id());
                #[cfg(not(unix))]
                let _ = child.kill();
                let _ = child.wait();
                return Err(interrupted());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// Stops the process group a child leads (cargo and the compilers it runs), as Ctrl-C would.
#[cfg(unix)]
fn stop_group(pid: u32) {
    if let Some(pid) = i32::try_from(pid).ok().and_then(rustix::process::Pid::from_raw) {
        let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::INT);
    }
}

/// Stops a child when a signal comes, for a caller busy reading its output; ends when dropped.
pub struct Watch {
    done: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Sandbox {
    /// Watches for a signal while `child`, made by [`Sandbox::command`], runs: its process
    /// group is then stopped, so that the caller's reads of its output end.
    pub fn watch(&self, child: &std::process::Child) -> Watch {
        let done = Arc::new(AtomicBool::new(false));
        let (stop, signalled, pid) = (Arc::clone(&done), Arc::clone(&self.interrupted), child.id());
        let thread = std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if signalled.load(Ordering::Relaxed) {
                    #[cfg(unix)]
                    stop_group(pid);
                    #[cfg(not(unix))]
                    let _ = pid;
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        Watch { done, thread: Some(thread) }
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The error of a run stopped by a signal.
pub fn interrupted() -> Error {
    Error::new("interrupted")
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if std::fs::remove_dir_all(&self.scratch).is_err() {
            // A compiler stopped by a signal may still be writing there for a moment.
            std::thread::sleep(Duration::from_millis(300));
            let _ = std::fs::remove_dir_all(&self.scratch);
        }
        #[cfg(unix)]
        for id in self.handlers.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
}

/// Copies the tree at `from` to `to`, less what a build does not read and a copy must not
/// carry: VCS data, build output (a `target` directory beside a manifest or tagged by cargo)
/// and the scratch directory itself. Links are copied as links.
fn copy_tree(from: &Path, to: &Path, scratch: &Path) -> Result<()> {
    let skipped = |e: &walkdir::DirEntry| {
        let name = e.file_name();
        e.path() == scratch
            || name == ".git"
            || (name == "target"
                && e.file_type().is_dir()
                && (e.path().join("CACHEDIR.TAG").exists()
                    || crate::files::dir_of(e.path()).join("Cargo.toml").is_file()))
    };
    for entry in walkdir::WalkDir::new(from).into_iter().filter_entry(|e| !skipped(e)) {
        let entry = entry.map_err(|e| Error::new(format!("cannot read the workspace to copy it: {e}")))?;
        let path = entry.path();
        let dest = to.join(path.strip_prefix(from).expect("walkdir stays below its root"));
        let kind = entry.file_type();
        let copied = if kind.is_dir() {
            std::fs::create_dir_all(&dest)
        } else if kind.is_symlink() {
            std::fs::read_link(path).and_then(|link| symlink(&link, &dest))
        } else if kind.is_file() {
            std::fs::copy(path, &dest).map(drop)
        } else {
            // A FIFO or a socket: nothing a build reads.
            Ok(())
        };
        copied.map_err(|e| Error::io("copy", path, &e))?;
    }
    Ok(())
}

#[cfg(unix)]
fn symlink(link: &Path, at: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(link, at)
}

#[cfg(windows)]
fn symlink(link: &Path, at: &Path) -> std::io::Result<()> {
    std::os::windows::fs::symlink_file(link, at)
}

/// The comment inside every chart this tool writes: `--chart` replaces only a file that has it.
const CHART_MARK: &str = "<!-- cargo-presets chart -->";

/// Refuses a `--chart` file that exists and is not a chart this tool wrote (a source file, say),
/// before anything is built; returns what it holds.
pub fn check_chart(ctx: &Context<'_>, chosen: &Path) -> Result<Option<String>> {
    let old = crate::files::read_optional(chosen)?;
    if old.as_deref().is_some_and(|text| !text.contains(CHART_MARK)) {
        return Err(Error::new(format!("`{}` exists and is not a chart cargo-presets wrote", ctx.display(chosen)))
            .help("name a new `.svg` file with `--chart`, or remove that file first"));
    }
    Ok(old)
}

/// Writes the chart of a `bench` or `tune` run to `chosen`, or else to a new file per run
/// (`target/cargo-presets/<command>-<time>.svg`), so that a second run keeps the first's.
pub fn write_chart(
    ctx: &mut Context<'_>,
    workspace: &Workspace,
    chosen: Option<&Path>,
    command: &str,
    svg: &str,
) -> Result<()> {
    let stamp = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let chart = chosen.map_or_else(
        || workspace.root().join("target").join("cargo-presets").join(format!("{command}-{stamp}.svg")),
        Path::to_path_buf,
    );
    let mut lock = crate::files::lock(&[&chart])?;
    lock.create_dir_all(crate::files::dir_of(&chart)).map_err(|e| Error::io("create", &chart, &e))?;
    // Checked again under the lock: the file may have appeared while the builds ran.
    let old = check_chart(ctx, &chart)?;
    let text = format!("{svg}{CHART_MARK}\n");
    crate::files::commit(
        &mut lock,
        &[crate::files::Change::Write { path: &chart, expected: old.as_deref(), text: &text }],
    )?;
    ctx.shell.status("Chart", format!("{} (open it in a browser)", ctx.display(&chart)));
    Ok(())
}

/// Renders composed settings into a private config file for `cargo --config`, as `apply`
/// would write a new one; returns its text.
pub fn write_config(
    path: &Path,
    plan: &crate::plan::Plan,
    composition: &crate::compose::Composition,
) -> Result<String> {
    let edit = crate::edit::Edit { force: true, ..crate::edit::Edit::new(path, crate::edit::FileKind::Config) };
    let text = crate::edit::render_new(plan, composition, &edit)?;
    std::fs::write(path, &text).map_err(|e| Error::io("write", path, &e))?;
    Ok(text)
}

pub fn clean(target: &Path) {
    let _ = std::fs::remove_dir_all(target);
}

/// The CPU time of this process's finished children, from `/proc` (Linux); cargo waits for
/// rustc, so its time is counted too.
fn children_cpu() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(13)?.parse::<f64>().ok()? + fields.get(14)?.parse::<f64>().ok()?;
    // Linux reports these in USER_HZ, 100 on every mainstream configuration.
    Some(ticks / 100.0)
}

/// A spinner on a terminal, a status line elsewhere, nothing with `-q`.
pub struct Spinner {
    running: Option<(Arc<AtomicBool>, std::thread::JoinHandle<()>)>,
}

impl Spinner {
    pub fn start(ctx: &mut Context<'_>, label: &str, deadline: Option<Instant>) -> Spinner {
        if ctx.shell.verbosity() == Verbosity::Quiet {
            return Spinner { running: None };
        }
        if !std::io::stderr().is_terminal() {
            ctx.shell.status("Building", with_time_left(label, deadline, Instant::now()));
            return Spinner { running: None };
        }
        let running = Arc::new(AtomicBool::new(true));
        let flag = Arc::clone(&running);
        let label = label.to_owned();
        let handle = std::thread::spawn(move || {
            let frames = ['|', '/', '-', '\\'];
            let start = Instant::now();
            let mut i = 0;
            while flag.load(Ordering::Relaxed) {
                let now = Instant::now();
                let label = with_time_left(&label, deadline, now);
                let _ = write!(std::io::stderr(), "\r{} building {label} {}s ", frames[i % 4], (now - start).as_secs());
                i += 1;
                std::thread::sleep(Duration::from_millis(120));
            }
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        });
        Spinner { running: Some((running, handle)) }
    }

    pub fn stop(self) {
        if let Some((flag, handle)) = self.running {
            flag.store(false, Ordering::Relaxed);
            let _ = handle.join();
        }
    }
}

/// `label, 2m59s left` while a budget runs, read at `now`.
fn with_time_left(label: &str, deadline: Option<Instant>, now: Instant) -> String {
    match deadline {
        Some(deadline) => {
            format!("{label}, {} left", crate::measure::tune::minutes(deadline.saturating_duration_since(now)))
        }
        None => label.to_owned(),
    }
}

/// Where cargo puts a profile's output.
fn output_dir(profile: &str) -> &str {
    match profile {
        "dev" | "test" => "debug",
        "bench" => "release",
        other => other,
    }
}

/// The executables directly in a profile's output directory.
pub fn executables(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && is_executable(p))
        .collect();
    found.sort();
    found
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.extension().is_none() && std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "exe")
}

pub fn disk_usage(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

/// Runs the binary five times and keeps the median: a run is cheap next to a build, and a short
/// one is noisy on a busy machine.
pub fn run_binary(binary: &Path, args: &str, cwd: &Path) -> Result<f64> {
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let status = Command::new(binary)
            .args(args.split_whitespace())
            .current_dir(cwd)
            .stdout(Stdio::null())
            .status()
            .map_err(|e| Error::io("run", binary, &e))?;
        if !status.success() {
            return Err(Error::new(format!("`{} {args}` failed ({status})", binary.display())));
        }
        times.push(start.elapsed().as_secs_f64());
    }
    Ok(stats::summarize(&times).expect("five samples").median)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text` at `path`, its directories made first.
    pub(super) fn write_file(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// With `--target`, cargo puts a build's outputs below the triple: `size` and `run` must
    /// look there (`embedded-size-nightly` builds std for `--target <host>`).
    #[test]
    fn a_build_for_a_target_puts_its_outputs_below_the_triple() {
        let variant = |profile: &str, args: &[&str]| Variant {
            name: "v".into(),
            profile: profile.into(),
            config: None,
            toolchain: None,
            cargo_args: args.iter().map(|a| (*a).to_owned()).collect(),
            target: "t".into(),
        };
        let build = Path::new("t/build");
        assert_eq!(variant("dev", &[]).outputs(build), build.join("debug"));
        assert_eq!(variant("prod", &[]).outputs(build), build.join("prod"));
        let std = variant("release", &["-Zbuild-std=std", "--target", "x86_64-unknown-linux-gnu"]);
        assert_eq!(std.outputs(build), build.join("x86_64-unknown-linux-gnu/release"));
    }

    #[test]
    fn the_time_left_counts_down_while_a_build_runs() {
        let now = Instant::now();
        let deadline = Some(now + Duration::from_secs(179));
        assert_eq!(with_time_left("mold, pair 1/8", deadline, now), "mold, pair 1/8, 2m59s left");
        // A minute into the same build, the same line says a minute less.
        let later = now + Duration::from_secs(60);
        assert_eq!(with_time_left("mold, pair 1/8", deadline, later), "mold, pair 1/8, 1m59s left");
        assert_eq!(
            with_time_left("mold, pair 1/8", deadline, now + Duration::from_secs(600)),
            "mold, pair 1/8, 0s left"
        );
        assert_eq!(with_time_left("fast-dev (build, run 1/3)", None, now), "fast-dev (build, run 1/3)");
    }

    #[test]
    fn the_copy_leaves_out_vcs_data_build_output_and_the_scratch_directory_only() {
        let from = crate::scratch_with(
            "sandbox-copy",
            &[
                ("Cargo.toml", "[package]\nname = \"a\"\n"),
                ("Cargo.lock", "# lock\n"),
                (".cargo/config.toml", "[build]\n"),
                (".git/HEAD", "ref\n"),
                ("target/debug/a", "binary"),
                ("member/target/CACHEDIR.TAG", "tag"),
                ("src/target/mod.rs", "// a module named target\n"),
                ("scratch/owner.pid", "1"),
            ],
        );
        let to = crate::scratch("sandbox-copy-to").join("to");
        copy_tree(&from, &to, &from.join("scratch")).unwrap();
        let copied: Vec<String> = walkdir::WalkDir::new(&to)
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&to).unwrap().display().to_string())
            .collect();
        assert_eq!(copied, [".cargo/config.toml", "Cargo.lock", "Cargo.toml", "src/target/mod.rs"]);
    }

    /// What cargo and rustup would find above the workspace is copied into the copy's ancestor
    /// chain, the workspace's own files come with the tree, and `rebuild` touches the copy.
    #[test]
    fn config_and_toolchain_files_above_the_workspace_are_found_from_the_copy() {
        let dir = crate::scratch_with(
            "sandbox-ancestors",
            &[
                (
                    ".cargo/config.toml",
                    "[build]\nrustflags = [\"--cfg\", \"above\"]\n\n[env]\nIN = { value = \"ws/app\", relative = true }\nOUT = { value = \"data\", relative = true }\n",
                ),
                ("rust-toolchain.toml", "[toolchain]\nchannel = \"stable\"\n"),
                ("ws/Cargo.toml", "[workspace]\nmembers = [\"app\"]\n"),
                ("ws/.cargo/config.toml", "[profile.dev]\nopt-level = 1\n"),
                ("ws/app/Cargo.toml", "[package]\nname = \"app\"\n"),
                ("ws/app/src/main.rs", "fn main() {}\n"),
            ],
        );
        let cwd = dir.join("ws/app");
        let workspace = workspace::locate(&cwd, None).unwrap();
        let user_source = dir.join("ws/app/src/main.rs");
        let time = std::fs::metadata(&user_source).unwrap().modified().unwrap();
        let sandbox = Sandbox::new(&workspace, &cwd, "unit").unwrap();
        let found = |name: &str| sandbox.cwd.ancestors().map(|a| a.join(name)).find(|p| p.is_file());
        let above = found(".cargo/config.toml").unwrap();
        assert!(above.starts_with(&sandbox.scratch) && above.ends_with("ws/.cargo/config.toml"), "{above:?}");
        let read: Vec<PathBuf> = config_files(&sandbox.cwd).read.into_iter().map(|f| f.path).collect();
        let texts: Vec<String> = read.iter().map(|f| std::fs::read_to_string(f).unwrap()).take(2).collect();
        assert!(texts[0].contains("opt-level = 1") && texts[1].contains("above"), "{read:?}");
        // A relative `[env]` path into the copied tree points into the copy; one outside it, at
        // what it names in place.
        assert!(texts[1].contains("IN = { value = \"ws/app\", relative = true }"), "{}", texts[1]);
        let out = format!("OUT = {{ value = \"{}\", relative = true }}", dir.join("data").display());
        assert!(texts[1].contains(&out), "{}", texts[1]);
        assert!(found("rust-toolchain.toml").unwrap().starts_with(&sandbox.scratch));
        assert!(sandbox.manifest.starts_with(&sandbox.scratch) && sandbox.manifest.is_file());
        std::thread::sleep(Duration::from_millis(20));
        sandbox.touch().unwrap();
        assert_eq!(std::fs::metadata(&user_source).unwrap().modified().unwrap(), time);
        let scratch = sandbox.scratch.clone();
        drop(sandbox);
        assert!(!scratch.exists());
    }
}
