//! `cargo presets verify [PROFILE]`: proves a profile with real cargo. Runs
//! `cargo check --profile P -v --message-format=json` on a private copy of the workspace with a
//! private target directory (so every unit is compiled and its rustc command line printed, and
//! the user's files are not touched), then compares each unit's flags with
//! what the profile's settings, as `explain` computes them, should produce.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Output, Stdio};

use serde::Serialize;

use crate::cargo::effective::Role;
use crate::cargo::schema::Key;
use crate::cargo::workspace::Workspace;
use crate::error::{Error, Result};
use crate::lint::Severity;
use crate::ops::{Context, Format};
use crate::shell::{Shell, plural};
use crate::verify::{self, Compiled, PackageId};

use crate::measure::sandbox::{Sandbox, interrupted};

/// Exit status when a unit did not get what the profile says.
pub const MISMATCH: i32 = 1;

/// What `verify` is asked.
pub struct VerifyOptions {
    /// The profile to verify (default `dev`).
    pub profile: Option<String>,
    pub format: Format,
}

pub fn run(ctx: &mut Context<'_>, args: &VerifyOptions) -> Result<i32> {
    let workspace = ctx.workspace()?;
    // Cargo fails on a configuration it cannot load: so does its proof (the reading refuses it).
    let reading = ctx.reading(&workspace)?;
    let layers = &reading.layers;
    let profile = args.profile.as_deref().unwrap_or("dev");
    layers.chain(profile).map_err(|why| super::explain::unknown_profile("verify", profile, &why, layers))?;
    ctx.shell.status(
        "Verifying",
        format!("profile `{profile}` with `cargo check --profile {profile} -v` on a private copy of the workspace"),
    );
    let sandbox = Sandbox::new(&workspace, &ctx.cwd, "verify")?;
    let units = units(ctx, &workspace, &sandbox, profile);
    if let Some(code) = sandbox.remove(ctx.shell, "nothing compared") {
        return Ok(code);
    }
    let units = units?;
    let rustflags = match layers.sets_rustflags().then(|| reading.config_rustflags()) {
        Some(Ok(rustflags)) => Some(rustflags),
        Some(Err(why)) => {
            ctx.shell.warn(format!("rustflags are not compared: cannot tell which cargo uses: {why}"));
            None
        }
        None => None,
    };
    let env: Vec<(String, String)> = std::env::vars().filter(|(k, _)| verify::reads_variable(k)).collect();
    let report =
        verify::compare(layers, profile, &units, rustflags.as_ref(), &env).map_err(|e| Error::new(e.to_string()))?;
    let report =
        Verified { profile, units: units.len(), mismatches: &report.mismatches, set_by_rustflags: &report.notes };
    match args.format {
        Format::Json => ctx.shell.print(&crate::report::json(&report)?)?,
        Format::Human => report.human(ctx.shell),
    }
    Ok(if report.mismatches.is_empty() { 0 } else { MISMATCH })
}

/// `verify`'s report: how many units cargo compiled, those that did not get what the profile
/// says, and the keys the rustflags decide instead of the profile.
#[derive(Serialize)]
pub struct Verified<'a> {
    profile: &'a str,
    units: usize,
    mismatches: &'a [verify::Mismatch],
    set_by_rustflags: &'a [verify::Note],
}

impl Verified<'_> {
    /// A note per key the rustflags set, an error per mismatch, then the verdict.
    fn human(&self, shell: &mut Shell) {
        for n in self.set_by_rustflags {
            let text = format!(
                "{} = {} is set by rustflags in {}: {} passes it after the profile's settings, so the profile does not decide it",
                n.key,
                n.value,
                plural(n.units, "unit", "units"),
                n.described
            );
            shell.diagnostic(Severity::Note, &format!("note: {text}"));
        }
        for m in self.mismatches {
            let text = if m.key == Key::Rustflags {
                format!(
                    "`{}` was compiled without `{}`, which cargo should pass from {}\n  cause: {}",
                    m.package, m.expected, m.source, m.cause
                )
            } else {
                format!(
                    "`{}` was compiled with {} = {}, but the profile says {} (from {})\n  cause: {}",
                    m.package, m.key, m.actual, m.expected, m.source, m.cause
                )
            };
            shell.diagnostic(Severity::Error, &format!("error: {text}"));
        }
        let verdict = match self.mismatches.len() {
            0 if self.set_by_rustflags.is_empty() => "every unit got what the profile says".to_owned(),
            0 => "every unit got what the profile and the rustflags say".to_owned(),
            1 => "1 mismatch".to_owned(),
            n => format!("{n} mismatches"),
        };
        shell.status(
            "Verified",
            format!("{} of profile `{}`: {verdict}", plural(self.units, "unit", "units"), self.profile),
        );
    }
}

/// The units `cargo check` compiles for `profile`, with their rustc command lines, and which of
/// them cargo built for the host (see [`host_units`]).
fn units(ctx: &mut Context<'_>, workspace: &Workspace, sandbox: &Sandbox, profile: &str) -> Result<Vec<Compiled>> {
    let output = sandbox
        .command(cargo())
        .args(["check", "-v", "--message-format=json", "--profile", profile, "--manifest-path"])
        .arg(&sandbox.manifest)
        .env("CARGO_TARGET_DIR", sandbox.scratch.join("target"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|child| {
            // A signal stops cargo while its output is read here.
            let _watch = sandbox.watch(&child);
            with_progress(ctx, child)
        });
    let output = output.map_err(|e| Error::new(format!("failed to run cargo: {e}")))?;
    if sandbox.interrupted().is_some() {
        return Err(interrupted());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        let tail: Vec<&str> = stderr.lines().filter(|l| !l.trim_start().starts_with("Running")).collect();
        return Err(Error::new(format!("`cargo check --profile {profile}` failed"))
            .detail(tail[tail.len().saturating_sub(20)..].join("\n  ")));
    }
    let artifacts = artifacts(&String::from_utf8_lossy(&output.stdout));
    let members = &workspace.member_names;
    let lines: Vec<&str> = stderr.lines().filter(|l| is_unit_line(l)).collect();
    let found: Vec<Option<&Artifact>> = lines.iter().map(|line| artifact_of(line, &artifacts)).collect();
    let build_scripts: BTreeSet<usize> =
        found.iter().enumerate().filter(|(_, a)| a.is_some_and(|a| a.build_script)).map(|(i, _)| i).collect();
    let (host, shared) = host_units(&lines, &build_scripts);
    let mut units = Vec::new();
    for (i, (line, artifact)) in lines.iter().zip(found).enumerate() {
        let Some(artifact) = artifact else {
            return Err(Error::new(format!("cargo reported no artifact for the unit `{}`", line.trim())));
        };
        let role = match (host.contains(&i), shared.contains(&i)) {
            (false, _) => Role::Target,
            (true, true) => Role::HostShared,
            (true, false) => Role::HostOnly,
        };
        units.push(Compiled {
            member: members.contains(&artifact.package.name),
            local: artifact.package.source.starts_with("path+"),
            package: artifact.package.clone(),
            role,
            args: (*line).to_owned(),
        });
    }
    Ok(units)
}

fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// The line `cargo -v` prints as it starts compiling a unit: its rustc command.
fn is_unit_line(line: &str) -> bool {
    line.trim_start().starts_with("Running `") && line.contains("--crate-name ")
}

/// Waits for cargo, showing each unit it starts compiling, as `[n] crate`. No total: stable
/// cargo tells none before it builds (its unit graph is unstable), and a count worked out from
/// `cargo metadata` would have to redo cargo's rules for units (features, platform and build
/// dependencies, build scripts, proc-macros and what they use built again for the host): one
/// that came out wrong would show `[5/4]`.
fn with_progress(ctx: &mut Context<'_>, mut child: Child) -> std::io::Result<Output> {
    let mut stdout = child.stdout.take().expect("piped");
    // JSON messages fill stdout while stderr is read here: each pipe must be drained.
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        stdout.read_to_end(&mut bytes).map(|_| bytes)
    });
    let mut stderr = Vec::new();
    let mut lines = BufReader::new(child.stderr.take().expect("piped"));
    let mut done = 0;
    loop {
        let start = stderr.len();
        if lines.read_until(b'\n', &mut stderr)? == 0 {
            break;
        }
        let line = String::from_utf8_lossy(&stderr[start..]);
        if is_unit_line(&line) {
            done += 1;
            let name = word_after(&line, "--crate-name ").unwrap_or("");
            ctx.shell.progress("Compiling", Some(format!("[{done}] {name}")));
        }
    }
    ctx.shell.progress("Compiling", None::<&str>);
    let status = child.wait()?;
    let stdout = reader.join().map_err(|_| std::io::Error::other("reading cargo's output failed"))??;
    Ok(Output { status, stdout, stderr })
}

fn word_after<'l>(line: &'l str, flag: &str) -> Option<&'l str> {
    line.split(flag).nth(1).and_then(|r| r.split_whitespace().next())
}

/// The units cargo builds for the host, as it does (`cargo-profiles.md` §2.3): build scripts,
/// proc-macros linked for use, everything any proc-macro depends on, and, transitively, what
/// those depend on. The graph comes from each unit's output name (`lib<crate><extra-filename>`)
/// and the `--extern` paths of the others. Also returns the units some target unit depends on,
/// directly or not: a host unit among them is shared, not host-only.
fn host_units(lines: &[&str], build_scripts: &BTreeSet<usize>) -> (BTreeSet<usize>, BTreeSet<usize>) {
    let output = |line: &str| -> Option<String> {
        Some(format!("lib{}{}", word_after(line, "--crate-name ")?, word_after(line, "-C extra-filename=")?))
    };
    let by_output: BTreeMap<String, usize> =
        lines.iter().enumerate().filter_map(|(i, l)| Some((output(l)?, i))).collect();
    let externs = |line: &str| -> Vec<usize> {
        line.split("--extern ")
            .skip(1)
            .filter_map(|r| r.split_whitespace().next()?.split_once('=').map(|(_, path)| path.to_owned()))
            .filter_map(|path| {
                let file = path.rsplit('/').next()?;
                by_output.get(file.split('.').next()?).copied()
            })
            .collect()
    };
    let proc_macro = |line: &str| line.contains("--crate-type proc-macro");
    let linked = |line: &str| word_after(line, "--emit=").is_some_and(|e| e.split(',').any(|x| x == "link"));
    let mut host: BTreeSet<usize> = BTreeSet::new();
    let mut todo: Vec<usize> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if build_scripts.contains(&i) || (proc_macro(line) && linked(line)) {
            todo.push(i);
        }
        if proc_macro(line) {
            todo.extend(externs(line));
        }
    }
    while let Some(i) = todo.pop() {
        if host.insert(i) {
            todo.extend(externs(lines[i]));
        }
    }
    // What target code links: a proc-macro is run, not linked, and what it uses is for the host
    // even when the proc-macro itself is checked as a member.
    let mut shared: BTreeSet<usize> = BTreeSet::new();
    let targets_use = |i: usize| externs(lines[i]).into_iter().filter(|d| !proc_macro(lines[*d]));
    let target_units = (0..lines.len()).filter(|i| !host.contains(i) && !proc_macro(lines[*i]));
    let mut todo: Vec<usize> = target_units.flat_map(targets_use).collect();
    while let Some(i) = todo.pop() {
        if shared.insert(i) {
            todo.extend(targets_use(i));
        }
    }
    (host, shared)
}

/// A unit cargo compiled, from its `compiler-artifact` message.
struct Artifact {
    package: PackageId,
    /// A `custom-build` target: a build script, whatever its file is called (`build =
    /// "build/main.rs"` makes the crate `build_script_main`).
    build_script: bool,
    /// The target's name with `-` as `_`: the crate name rustc gets.
    crate_name: String,
    filenames: Vec<String>,
}

fn artifacts(stdout: &str) -> Vec<Artifact> {
    stdout
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter_map(|m| {
            let target = &m["target"];
            let kinds = target["kind"].as_array()?;
            Some(Artifact {
                package: PackageId::parse(m["package_id"].as_str()?)?,
                build_script: kinds.iter().any(|k| k == "custom-build"),
                crate_name: target["name"].as_str()?.replace('-', "_"),
                filenames: m["filenames"].as_array()?.iter().filter_map(|f| Some(f.as_str()?.to_owned())).collect(),
            })
        })
        .collect()
}

/// The artifact a rustc command line produced: the one of that crate whose file, or whose
/// folder for a build script (`build/<package>-<hash>/build-script-main`), carries the unit's
/// `-C extra-filename` (a hash unique to the unit). A crate name alone is ambiguous: every
/// package's build script may be `build_script_build`, and two versions of a package share it.
fn artifact_of<'a>(line: &str, artifacts: &'a [Artifact]) -> Option<&'a Artifact> {
    let crate_name = word_after(line, "--crate-name ")?;
    let extra = word_after(line, "-C extra-filename=").unwrap_or_default();
    let carries = |file: &str| file.split(['/', '.']).any(|part| part.ends_with(extra));
    artifacts.iter().find(|a| a.crate_name == crate_name && a.filenames.iter().any(|f| carries(f)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As cargo 1.95 prints them for a package whose build script is `build/main.rs` and whose
    /// library is renamed, with a dependency at two versions sharing a crate name.
    const STDOUT: &str = r#"{"reason":"compiler-artifact","package_id":"path+file:///w/app#0.1.0","target":{"kind":["custom-build"],"name":"build-script-main"},"filenames":["/t/debug/build/app-07d6a5941f5732fc/build-script-main"]}
{"reason":"compiler-artifact","package_id":"path+file:///w/app#0.1.0","target":{"kind":["lib"],"name":"applib"},"filenames":["/t/debug/deps/libapplib-45915e991f02533d.rmeta"]}
{"reason":"compiler-artifact","package_id":"path+file:///w/v1#dep@1.0.0","target":{"kind":["lib"],"name":"dep"},"filenames":["/t/debug/deps/libdep-1111111111111111.rmeta"]}
{"reason":"compiler-artifact","package_id":"path+file:///w/v2#dep@2.0.0","target":{"kind":["lib"],"name":"dep"},"filenames":["/t/debug/deps/libdep-2222222222222222.rmeta"]}"#;

    #[test]
    fn each_unit_maps_to_its_artifact_by_its_hash() {
        let artifacts = artifacts(STDOUT);
        let of = |line: &str| {
            artifact_of(line, &artifacts).map(|a| (a.package.name.clone(), a.package.version.clone(), a.build_script))
        };
        let script = "rustc --crate-name build_script_main --edition=2024 app/build/main.rs --crate-type bin -C extra-filename=-07d6a5941f5732fc --out-dir /t/debug/build/app-07d6a5941f5732fc";
        assert_eq!(of(script), Some(("app".into(), "0.1.0".into(), true)));
        let lib =
            "rustc --crate-name applib --crate-type lib -C extra-filename=-45915e991f02533d --out-dir /t/debug/deps";
        assert_eq!(of(lib), Some(("app".into(), "0.1.0".into(), false)));
        let v2 = "rustc --crate-name dep --crate-type lib -C extra-filename=-2222222222222222 --out-dir /t/debug/deps";
        assert_eq!(of(v2), Some(("dep".into(), "2.0.0".into(), false)));
        assert_eq!(of("rustc --crate-name dep -C extra-filename=-3333333333333333"), None);
    }
}
