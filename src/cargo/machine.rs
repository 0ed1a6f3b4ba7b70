//! The machine a preset is applied for: what rustc says about it (host triple, version, channel,
//! `cfg` values), its cores, and the programs on its PATH. Presets that only hold profile keys
//! never need it, so a plain `apply` starts no process; the rest ask rustc once.
//!
//! rustc is found as cargo finds it: `$RUSTC`, else `rustc` on PATH, run in the workspace so
//! that a `rust-toolchain.toml` there picks the toolchain. Every rustc this tool starts is
//! started by [`rustc`], which asks each question once per run, and keeps its answers for the
//! next runs where it can name the compiler that gave them (`machine::cache`).

mod cache;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A rustc version, `1.90.0`; a pre-release (`1.97.0-nightly`) compares by its numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u32, pub u32, pub u32);

impl Version {
    /// `1.90` or `1.90.1`.
    pub fn parse(text: &str) -> Option<Version> {
        let numbers = text.split('-').next()?;
        let mut parts = numbers.split('.').map(|p| p.parse::<u32>().ok());
        let major = parts.next()??;
        let minor = parts.next()??;
        let patch = parts.next().unwrap_or(Some(0))?;
        parts.next().is_none().then_some(Version(major, minor, patch))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

/// The rustc (and so cargo: a toolchain ships both) releases a preset names for a variant or a
/// setting: `>=1.99`, `<1.99` or `>=1.92, <1.99`. The default holds for every release.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Releases {
    pub from: Option<Version>,
    pub before: Option<Version>,
}

impl Releases {
    pub fn parse(text: &str) -> Result<Releases, String> {
        let expected = "expected releases like \">=1.99\", \"<1.99\" or \">=1.92, <1.99\"";
        let mut range = Releases::default();
        for part in text.split(',').map(str::trim) {
            let (bound, version) = match (part.strip_prefix(">="), part.strip_prefix('<')) {
                (Some(version), _) => (&mut range.from, version),
                (None, Some(version)) => (&mut range.before, version),
                (None, None) => return Err(format!("{expected}, not \"{text}\"")),
            };
            let version = Version::parse(version.trim()).ok_or_else(|| format!("{expected}, not \"{text}\""))?;
            if bound.replace(version).is_some() {
                return Err(format!("\"{text}\" gives the same bound twice"));
            }
        }
        if let (Some(from), Some(before)) = (range.from, range.before)
            && from >= before
        {
            return Err(format!("\"{text}\" holds no release"));
        }
        Ok(range)
    }

    pub fn is_any(&self) -> bool {
        *self == Releases::default()
    }

    pub fn contains(&self, release: Version) -> bool {
        self.from.is_none_or(|from| release >= from) && self.before.is_none_or(|before| release < before)
    }

    /// `Ok` with what held (`rustc 1.95.0 >= 1.90.0`), or `Err` with what did not; an unknown
    /// release meets no bound.
    pub fn check(&self, release: Option<Version>) -> Result<String, String> {
        let Some(release) = release else { return Err("rustc's release is unknown".to_owned()) };
        if let Some(from) = self.from.filter(|from| release < *from) {
            return Err(format!("rustc is {release}, older than {from}"));
        }
        if let Some(before) = self.before.filter(|before| release >= *before) {
            return Err(format!("rustc is {release}, {before} or newer"));
        }
        Ok(format!("rustc {release} {self}"))
    }
}

impl fmt::Display for Releases {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.before) {
            (Some(from), Some(before)) => write!(f, ">= {from}, < {before}"),
            (Some(from), None) => write!(f, ">= {from}"),
            (None, Some(before)) => write!(f, "< {before}"),
            (None, None) => write!(f, "any"),
        }
    }
}

/// A name and its value: `("target_os", Some("linux"))`, `("unix", None)`.
pub type CfgValue = (String, Option<String>);

#[derive(Clone, Debug)]
pub struct Machine {
    pub host: String,
    /// `None` where only the target was asked ([`Machine::target`]).
    pub release: Option<Version>,
    /// `stable`, `beta`, `nightly` or `dev`; `None` as `release`.
    pub channel: Option<String>,
    /// `rustc --print cfg`: `unix`, `target_os="linux"`, …
    pub cfg: Vec<CfgValue>,
    pub cores: usize,
    search_path: Option<std::ffi::OsString>,
}

/// What `rustc ARGS` prints, run in `dir` as cargo would run it there (`$RUSTC`, else `rustc`
/// on PATH, so a toolchain file in `dir` picks the toolchain). Answers are kept for the run: a
/// command that asks twice starts one process; and across runs where `machine::cache` can name the
/// compiler. The error says why rustc could not answer.
pub fn rustc(dir: &Path, args: &[&str]) -> Result<String, String> {
    type Answers = std::collections::HashMap<(PathBuf, Vec<String>), Result<String, String>>;
    static ANSWERS: std::sync::Mutex<Option<Answers>> = std::sync::Mutex::new(None);
    let key = (dir.to_owned(), args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>());
    if let Some(answer) = ANSWERS.lock().ok().and_then(|a| a.as_ref()?.get(&key).cloned()) {
        return answer;
    }
    let rustc = std::env::var_os("RUSTC").filter(|v| !v.is_empty()).unwrap_or_else(|| "rustc".into());
    // Named before rustc runs: a compiler replaced meanwhile is asked again next time.
    let kept = cache::key(&rustc, dir, args);
    let answer = match kept.as_ref().and_then(cache::recall) {
        Some(answer) => answer,
        None => {
            let (answer, lasting) = ask(&rustc, dir, args);
            if let (Some(kept), true) = (&kept, lasting) {
                cache::keep(kept, &answer);
            }
            answer
        }
    };
    if let Ok(mut answers) = ANSWERS.lock() {
        answers.get_or_insert_with(Answers::new).insert(key, answer.clone());
    }
    answer
}

/// Starts `rustc ARGS` in `dir`. Returns its answer, and whether that is rustc's own: its output,
/// or its refusal (exit status 1: an unknown flag, as `host-tuple` before 1.84), rather than a
/// failure to start it, a crash (101) or a kill, which the next run may not meet.
fn ask(rustc: &std::ffi::OsStr, dir: &Path, args: &[&str]) -> (Result<String, String>, bool) {
    match Command::new(rustc).args(args).current_dir(dir).output() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            (Err(format!("`{}` is not on PATH", Path::new(rustc).display())), false)
        }
        Err(e) => (Err(format!("`{}` could not run: {e}", Path::new(rustc).display())), false),
        Ok(output) if !output.status.success() => (
            Err(format!("`rustc {}` failed: {}", args.join(" "), String::from_utf8_lossy(&output.stderr).trim())),
            output.status.code() == Some(1),
        ),
        Ok(output) => (Ok(String::from_utf8_lossy(&output.stdout).into_owned()), true),
    }
}

/// The `split-debuginfo` values rustc supports here (`rustc --print split-debuginfo`).
pub fn split_debuginfo_values(dir: &Path) -> Option<Vec<String>> {
    let text = rustc(dir, &["--print", "split-debuginfo"]).ok()?;
    Some(text.lines().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect())
}

/// The release of the rustc (and so of the cargo) that builds in `dir`, from `rustc -vV`.
pub fn release(dir: &Path) -> Option<Version> {
    let text = rustc(dir, &["-vV"]).ok()?;
    Version::parse(text.lines().find_map(|l| l.strip_prefix("release: "))?.trim())
}

/// The host's target triple, from `rustc -vV`; `None` when rustc cannot say.
pub fn host_triple(dir: &Path) -> Option<String> {
    host_of(&rustc(dir, &["-vV"]).ok()?).map(str::to_owned)
}

/// The `host: ` line of `rustc -vV`.
fn host_of(version: &str) -> Option<&str> {
    version.lines().find_map(|l| l.strip_prefix("host: ")).map(str::trim)
}

/// The channel of the rustc that builds in `dir` (`stable`, `beta`, `nightly` or `dev`), from
/// `rustc -vV`.
pub fn channel(dir: &Path) -> Option<String> {
    let text = rustc(dir, &["-vV"]).ok()?;
    Some(channel_of(text.lines().find_map(|l| l.strip_prefix("release: "))?.trim()))
}

/// `1.97.0-nightly` is on `nightly`; a release without a pre-release part is `stable`.
fn channel_of(release: &str) -> String {
    match release.split_once('-') {
        Some((_, pre)) => pre.split('.').next().unwrap_or(pre).to_owned(),
        None => "stable".to_owned(),
    }
}

/// What `rustc --print host-tuple --print cfg` prints: the host's triple on the first line, then
/// one `cfg` value a line.
fn parse_host_and_cfg(text: &str) -> Option<(String, Vec<CfgValue>)> {
    let mut lines = text.lines();
    let host = lines.next()?.trim();
    (!host.is_empty()).then(|| (host.to_owned(), lines.filter_map(parse_cfg_line).collect()))
}

impl Machine {
    /// Asks rustc (`$RUSTC` or `rustc`, run in `dir`). The error says why it could not.
    pub fn probe(dir: &Path) -> Result<Machine, String> {
        let mut machine = Machine::target(dir, None)?;
        let version = rustc(dir, &["-vV"])?;
        let release_text = version
            .lines()
            .find_map(|l| l.strip_prefix("release: "))
            .map(str::trim)
            .ok_or("`rustc -vV` gives no release")?;
        let release = Version::parse(release_text).ok_or_else(|| format!("unknown rustc release `{release_text}`"))?;
        machine.release = Some(release);
        machine.channel = Some(channel_of(release_text));
        Ok(machine)
    }

    /// The toolchain alone, for presets whose conditions name nothing but rustc releases: the
    /// release a toolchain file pins (`pinned`, no process), else `rustc -vV`'s, else unknown,
    /// which meets no release condition (a preset's fallback is what every cargo accepts). The
    /// host, `cfg` and programs are left empty.
    pub fn toolchain(dir: &Path, pinned: Option<Version>) -> Machine {
        match pinned {
            Some(release) => Machine::of_release(Some(release), Some("stable".to_owned())),
            None => Machine::of_release(release(dir), channel(dir)),
        }
    }

    /// A toolchain known by its release and channel only (either may be unknown).
    pub fn of_release(release: Option<Version>, channel: Option<String>) -> Machine {
        Machine { host: String::new(), release, channel, cfg: Vec::new(), cores: 1, search_path: None }
    }

    /// The machine as cargo sees it when building for `target` (`[build] target`): that triple
    /// and its `cfg` values, the host's programs. All that matching rustflags needs, so rustc's
    /// release and channel are not asked (`-vV` would be a second process): they are `None`.
    pub fn target(dir: &Path, target: Option<&str>) -> Result<Machine, String> {
        let (host, cfg) = match target {
            Some(target) => {
                let cfg = rustc(dir, &["--print", "cfg", "--target", target])?;
                (target.to_owned(), cfg.lines().filter_map(parse_cfg_line).collect())
            }
            None => match rustc(dir, &["--print", "host-tuple", "--print", "cfg"]) {
                Ok(text) => parse_host_and_cfg(&text).ok_or("`rustc --print host-tuple` names no host")?,
                // `host-tuple` is rustc 1.84's; an older one (pinned by a toolchain file) is
                // asked in two processes.
                Err(_) => {
                    let host = host_of(&rustc(dir, &["-vV"])?).ok_or("`rustc -vV` names no host")?.to_owned();
                    (host, rustc(dir, &["--print", "cfg"])?.lines().filter_map(parse_cfg_line).collect())
                }
            },
        };
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        Ok(Machine { host, release: None, channel: None, cfg, cores, search_path: std::env::var_os("PATH") })
    }

    /// Where `program` is on PATH, if it is.
    pub fn program(&self, program: &str) -> Option<PathBuf> {
        let search = self.search_path.as_ref()?;
        std::env::split_paths(search).map(|dir| dir.join(program)).find(|path| is_executable(path))
    }

    /// A `cfg` value: `target_os` gives `linux`.
    pub fn cfg_value(&self, name: &str) -> Option<&str> {
        self.cfg.iter().find(|(n, v)| n == name && v.is_some()).and_then(|(_, v)| v.as_deref())
    }

    /// The machine as rustc describes it when given `flags`: their `--cfg` values added (other
    /// flags that change `cfg`, such as `-C target-feature`, are not modelled).
    pub fn with_cfg_flags(&self, flags: &[String]) -> Machine {
        let mut machine = self.clone();
        let mut tokens = flags.iter().map(String::as_str);
        while let Some(token) = tokens.next() {
            let value = match token {
                "--cfg" => tokens.next(),
                _ => token.strip_prefix("--cfg="),
            };
            machine.cfg.extend(value.and_then(parse_cfg_line));
        }
        machine
    }

    /// Whether a `[target.<key>]` table applies here: the host triple, or a `cfg(…)` that holds.
    pub fn matches_target(&self, key: &str) -> Result<bool, String> {
        match key.strip_prefix("cfg(").and_then(|rest| rest.strip_suffix(')')) {
            Some(expression) => Cfg { text: expression, at: 0, machine: self }.evaluate(),
            None => Ok(key == self.host),
        }
    }
}

/// Checks the form of a `cfg(…)` target key.
pub fn check_cfg(key: &str) -> Result<(), String> {
    if !key.ends_with(')') {
        return Err("a `cfg(…)` key must end with `)`".to_owned());
    }
    let nowhere =
        Machine { host: String::new(), release: None, channel: None, cfg: Vec::new(), cores: 1, search_path: None };
    nowhere.matches_target(key).map(|_| ())
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata().is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file() || path.with_extension("exe").is_file()
}

/// `target_os="linux"` or `unix`.
fn parse_cfg_line(line: &str) -> Option<CfgValue> {
    let line = line.trim();
    if line.is_empty() {
        return None;
    }
    Some(match line.split_once('=') {
        Some((name, value)) => (name.to_owned(), Some(value.trim_matches('"').to_owned())),
        None => (line.to_owned(), None),
    })
}

/// Evaluates the inside of `cfg(…)`: `unix`, `target_os = "linux"`, `all(…)`, `any(…)`,
/// `not(…)`, as cargo does for `[target.'cfg(…)']` tables.
struct Cfg<'a> {
    text: &'a str,
    at: usize,
    machine: &'a Machine,
}

impl Cfg<'_> {
    fn evaluate(mut self) -> Result<bool, String> {
        let value = self.predicate()?;
        self.skip_space();
        if self.at != self.text.len() {
            return Err(self.error("end of expression"));
        }
        Ok(value)
    }

    fn error(&self, expected: &str) -> String {
        format!("expected {expected} at `{}` in `cfg({})`", &self.text[self.at..], self.text)
    }

    fn skip_space(&mut self) {
        self.at += self.text[self.at..].len() - self.text[self.at..].trim_start().len();
    }

    fn eat(&mut self, token: char) -> bool {
        self.skip_space();
        let found = self.text[self.at..].starts_with(token);
        if found {
            self.at += token.len_utf8();
        }
        found
    }

    fn ident(&mut self) -> Result<&str, String> {
        self.skip_space();
        let rest = &self.text[self.at..];
        let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        if len == 0 {
            return Err(self.error("a name"));
        }
        self.at += len;
        Ok(&rest[..len])
    }

    fn predicate(&mut self) -> Result<bool, String> {
        let name = self.ident()?.to_owned();
        if self.eat('(') {
            let mut values = Vec::new();
            while !self.eat(')') {
                values.push(self.predicate()?);
                if !self.eat(',') {
                    if !self.eat(')') {
                        return Err(self.error("`,` or `)`"));
                    }
                    break;
                }
            }
            return match name.as_str() {
                "all" => Ok(values.iter().all(|v| *v)),
                "any" => Ok(values.iter().any(|v| *v)),
                "not" if values.len() == 1 => Ok(!values[0]),
                _ => Err(format!("`{name}(…)` is not a cfg operator (all, any, not)")),
            };
        }
        if self.eat('=') {
            self.skip_space();
            let rest = &self.text[self.at..];
            let value = rest.strip_prefix('"').and_then(|r| r.split_once('"')).map(|(v, _)| v);
            let Some(value) = value else { return Err(self.error("a quoted value")) };
            self.at += value.len() + 2;
            return Ok(self.machine.cfg.iter().any(|(n, v)| *n == name && v.as_deref() == Some(value)));
        }
        Ok(self.machine.cfg.iter().any(|(n, v)| *n == name && v.is_none()))
    }
}

/// Where a preset or one of its variants applies; every condition given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct When {
    pub host: Vec<String>,
    pub os: Vec<String>,
    pub arch: Vec<String>,
    pub channel: Option<String>,
    /// `min-rustc = "1.90"` or `rustc = ">=1.92, <1.99"`.
    pub rustc: Releases,
}

impl When {
    pub fn is_always(&self) -> bool {
        *self == When::default()
    }

    /// Whether only the toolchain (its release and channel) decides, which a toolchain file
    /// may tell without starting rustc.
    pub fn toolchain_only(&self) -> bool {
        self.host.is_empty() && self.os.is_empty() && self.arch.is_empty()
    }

    /// `Ok` with what held (`host x86_64-unknown-linux-gnu, rustc 1.95.0 >= 1.90.0`), or `Err`
    /// with the first condition that does not.
    pub fn check(&self, machine: &Machine) -> Result<String, String> {
        let mut held = Vec::new();
        let mut one_of = |what: &str, allowed: &[String], actual: Option<&str>| {
            if allowed.is_empty() {
                return Ok(());
            }
            let actual = actual.unwrap_or("unknown");
            if allowed.iter().any(|a| a == actual) {
                held.push(format!("{what} {actual}"));
                Ok(())
            } else {
                Err(format!("{what} is {actual}, not {}", allowed.join(" or ")))
            }
        };
        one_of("host", &self.host, Some(&machine.host))?;
        one_of("OS", &self.os, machine.cfg_value("target_os"))?;
        one_of("architecture", &self.arch, machine.cfg_value("target_arch"))?;
        if let Some(channel) = &self.channel {
            one_of("channel", std::slice::from_ref(channel), machine.channel.as_deref())?;
        }
        if !self.rustc.is_any() {
            held.push(self.rustc.check(machine.release)?);
        }
        Ok(held.join(", "))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A machine as rustc would describe an x86_64 Linux host.
    pub(crate) fn linux(release: &str) -> Machine {
        let cfg =
            ["unix", "target_os=\"linux\"", "target_arch=\"x86_64\"", "target_env=\"gnu\"", "target_family=\"unix\""];
        Machine {
            host: "x86_64-unknown-linux-gnu".into(),
            release: Version::parse(release),
            channel: Some("stable".into()),
            cfg: cfg.iter().filter_map(|l| parse_cfg_line(l)).collect(),
            cores: 2,
            search_path: None,
        }
    }

    #[test]
    fn cfg_expressions_evaluate_like_cargo() {
        let m = linux("1.95.0");
        for (expr, expected) in [
            ("cfg(unix)", true),
            ("cfg(windows)", false),
            ("cfg(target_os = \"linux\")", true),
            ("cfg(all(target_os = \"linux\", not(target_env = \"musl\")))", true),
            ("cfg(any(target_os = \"macos\", target_arch=\"aarch64\"))", false),
            ("cfg(all())", true),
            ("x86_64-unknown-linux-gnu", true),
            ("aarch64-unknown-linux-gnu", false),
        ] {
            assert_eq!(m.matches_target(expr), Ok(expected), "{expr}");
        }
        assert!(m.matches_target("cfg(all(unix)").is_err());
        assert!(m.matches_target("cfg(nope(unix))").is_err());
    }

    #[test]
    fn conditions_say_what_held_or_what_did_not() {
        let when = When {
            host: vec!["x86_64-unknown-linux-gnu".into()],
            rustc: Releases { from: Version::parse("1.90"), before: None },
            ..When::default()
        };
        assert_eq!(when.check(&linux("1.95.0")), Ok("host x86_64-unknown-linux-gnu, rustc 1.95.0 >= 1.90.0".into()));
        assert_eq!(when.check(&linux("1.89.0")), Err("rustc is 1.89.0, older than 1.90.0".into()));
        let mac = When { os: vec!["macos".into()], ..When::default() };
        assert_eq!(mac.check(&linux("1.95.0")), Err("OS is linux, not macos".into()));
    }

    #[test]
    fn host_and_cfg_come_from_one_answer() {
        let text = "x86_64-unknown-linux-gnu\ndebug_assertions\ntarget_os=\"linux\"\nunix\n";
        let (host, cfg) = parse_host_and_cfg(text).unwrap();
        assert_eq!(host, "x86_64-unknown-linux-gnu");
        assert_eq!(
            cfg,
            [
                ("debug_assertions".to_owned(), None),
                ("target_os".to_owned(), Some("linux".to_owned())),
                ("unix".to_owned(), None),
            ]
        );
        assert_eq!(parse_host_and_cfg(""), None);
    }

    #[test]
    fn channels_come_from_the_release() {
        assert_eq!(channel_of("1.95.0"), "stable");
        assert_eq!(channel_of("1.97.0-nightly"), "nightly");
        assert_eq!(channel_of("1.96.0-beta.3"), "beta");
    }

    #[test]
    fn release_ranges_parse_check_and_show() {
        let range = Releases::parse(">=1.92, <1.99").unwrap();
        assert_eq!(range.to_string(), ">= 1.92.0, < 1.99.0");
        assert!(range.contains(Version(1, 98, 3)) && !range.contains(Version(1, 99, 0)));
        assert_eq!(range.check(Version::parse("1.99.0-nightly")), Err("rustc is 1.99.0, 1.99.0 or newer".into()));
        assert_eq!(range.check(Version::parse("1.91.0")), Err("rustc is 1.91.0, older than 1.92.0".into()));
        assert_eq!(range.check(None), Err("rustc's release is unknown".into()));
        assert_eq!(Releases::parse("<1.99").unwrap().check(Version::parse("1.95")), Ok("rustc 1.95.0 < 1.99.0".into()));
        for bad in ["1.99", ">1.99", ">=1.99, >=1.98", ">=1.99, <1.99", ">=x", ""] {
            assert!(Releases::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn versions_compare_by_number() {
        assert!(Version::parse("1.97.0-nightly").unwrap() > Version::parse("1.90").unwrap());
        assert_eq!(Version::parse("1.x"), None);
    }
}
