//! Building a workspace without touching it, for `bench` and `tune`: each variant builds in a
//! private target directory with its settings in a private `--config` file, and the workspace
//! is left as it was found (no new `Cargo.lock`, a touched source file's time given back, the
//! scratch directory removed), also when the user presses Ctrl-C.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use crate::bench;
use crate::error::{Error, Result};
use crate::ops::Context;
use crate::shell::Verbosity;
use crate::workspace::Workspace;

/// The exit status after Ctrl-C, as a shell reports a process ended by SIGINT.
pub const INTERRUPTED: i32 = 130;

/// One configuration to build.
#[derive(Clone)]
pub struct Variant {
    pub name: String,
    pub profile: String,
    /// The settings as a config file; `None` for the workspace's own.
    pub config: Option<PathBuf>,
    /// `Some("nightly")` where the settings need unstable features.
    pub toolchain: Option<&'static str>,
    pub target: PathBuf,
}

/// The scratch directory and what to give back to the workspace when done. Dropping it
/// restores the workspace, so that an error or Ctrl-C leaves nothing behind.
pub struct Sandbox {
    pub scratch: PathBuf,
    lock: PathBuf,
    had_lock: bool,
    /// The source file `rebuild` touches, and its time before.
    pub touched: Option<PathBuf>,
    touched_time: Option<SystemTime>,
    interrupted: Arc<AtomicBool>,
    #[cfg(unix)]
    handlers: Vec<signal_hook::SigId>,
}

impl Sandbox {
    /// `what` names the scratch directory: `cargo-presets-tune-<pid>` in the temporary directory.
    pub fn new(workspace: &Workspace, what: &str) -> Result<Sandbox> {
        let scratch = std::env::temp_dir().join(format!("cargo-presets-{what}-{}", std::process::id()));
        std::fs::create_dir_all(&scratch).map_err(|e| Error::io("create", &scratch, &e))?;
        let lock = workspace.root().join("Cargo.lock");
        let had_lock = lock.exists();
        let touched = source_to_touch(workspace.root());
        let touched_time = touched.as_ref().and_then(|p| std::fs::metadata(p).ok()?.modified().ok());
        let interrupted = Arc::new(AtomicBool::new(false));
        // Ctrl-C sets the flag, and the build in progress is stopped; a second one ends the
        // process at once, as usual.
        #[cfg(unix)]
        let handlers = {
            use signal_hook::consts::SIGINT;
            use signal_hook::flag;
            [
                flag::register_conditional_default(SIGINT, Arc::clone(&interrupted)),
                flag::register(SIGINT, Arc::clone(&interrupted)),
            ]
            .into_iter()
            .filter_map(std::result::Result::ok)
            .collect()
        };
        Ok(Sandbox {
            scratch,
            lock,
            had_lock,
            touched,
            touched_time,
            interrupted,
            #[cfg(unix)]
            handlers,
        })
    }

    pub fn interrupted(&self) -> bool {
        self.interrupted.load(Ordering::Relaxed)
    }

    /// Marks the source file as edited, for a `rebuild`.
    pub fn touch(&self) -> Result<()> {
        let touched = self.touched.as_deref().ok_or_else(|| {
            Error::new("`--workflow rebuild` needs a source file (`src/main.rs` or `src/lib.rs`) to touch")
        })?;
        std::fs::File::options()
            .write(true)
            .open(touched)
            .and_then(|f| f.set_modified(SystemTime::now()))
            .map_err(|e| Error::io("touch", touched, &e))
    }

    /// Runs cargo for one variant: its wall time and, on Linux, its CPU time (user + system,
    /// the compiler processes included); `Ok(Err(output))` when the build fails, with the last
    /// lines cargo printed. Ctrl-C stops the build and is an error.
    pub fn cargo(
        &self,
        ctx: &mut Context<'_>,
        workspace: &Workspace,
        variant: &Variant,
        subcommand: &[&str],
        label: &str,
    ) -> Result<std::result::Result<(f64, Option<f64>), String>> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(if variant.toolchain.is_some() { "cargo".into() } else { cargo });
        if let Some(toolchain) = variant.toolchain {
            command.arg(format!("+{toolchain}"));
        }
        if let Some(config) = &variant.config {
            command.arg("--config").arg(config);
        }
        command.args(subcommand).args(["--profile", &variant.profile, "--manifest-path"]).arg(&workspace.manifest);
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
        // Its own process group, so that stopping it stops the compilers it runs too.
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let spinner = Spinner::start(ctx, label);
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

    /// Waits for the command, stopping it on Ctrl-C.
    fn wait(&self, mut command: Command) -> Result<std::process::ExitStatus> {
        let mut child = command.spawn().map_err(|e| Error::new(format!("failed to run cargo: {e}")))?;
        loop {
            if let Some(status) = child.try_wait().map_err(|e| Error::new(format!("failed to wait for cargo: {e}")))? {
                if self.interrupted() {
                    return Err(interrupted());
                }
                return Ok(status);
            }
            if self.interrupted() {
                #[cfg(unix)]
                let _ = rustix::process::kill_process_group(
                    rustix::process::Pid::from_child(&child),
                    rustix::process::Signal::INT,
                );
                #[cfg(not(unix))]
                let _ = child.kill();
                let _ = child.wait();
                return Err(interrupted());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The error of a run stopped with Ctrl-C.
pub fn interrupted() -> Error {
    Error::new("interrupted")
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if !self.had_lock {
            let _ = std::fs::remove_file(&self.lock);
        }
        if let (Some(path), Some(time)) = (&self.touched, self.touched_time) {
            let _ = std::fs::File::options().write(true).open(path).and_then(|f| f.set_modified(time));
        }
        if std::fs::remove_dir_all(&self.scratch).is_err() {
            // A compiler stopped by Ctrl-C may still be writing there for a moment.
            std::thread::sleep(Duration::from_millis(300));
            let _ = std::fs::remove_dir_all(&self.scratch);
        }
        #[cfg(unix)]
        for id in self.handlers.drain(..) {
            signal_hook::low_level::unregister(id);
        }
    }
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
    let old = crate::files::read_optional(&chart)?;
    crate::files::commit(
        &mut lock,
        &[crate::files::Change::Write { path: &chart, expected: old.as_deref(), text: svg }],
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
    let edit = crate::edit::Edit {
        file: path,
        kind: crate::edit::FileKind::Config,
        force: true,
        keep: &[],
        new_file_header: Vec::new(),
        creates_directory: false,
    };
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
    pub fn start(ctx: &mut Context<'_>, label: &str) -> Spinner {
        if ctx.shell.verbosity() == Verbosity::Quiet {
            return Spinner { running: None };
        }
        if !std::io::stderr().is_terminal() {
            ctx.shell.status("Building", label);
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
                let _ =
                    write!(std::io::stderr(), "\r{} building {label} {}s ", frames[i % 4], start.elapsed().as_secs());
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

/// Where cargo puts a profile's output.
pub fn output_dir(profile: &str) -> &str {
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
    Ok(bench::summarize(&times).expect("five samples").median)
}

/// The first workspace source file a rebuild can start from.
pub fn source_to_touch(root: &Path) -> Option<PathBuf> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            e.depth() == 0 || !(e.file_name() == "target" || e.file_name().to_string_lossy().starts_with('.'))
        })
        .flatten()
        .map(walkdir::DirEntry::into_path)
        .find(|p| p.ends_with("src/main.rs") || p.ends_with("src/lib.rs"))
}
