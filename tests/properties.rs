//! Property tests (proptest).
//!
//! 1. The editor, over generated awkward manifests (every profile layout: none, `[profile.*]`
//!    headers, dotted keys at the root, inline tables; comments, odd spacing, CRLF, a missing final
//!    newline, a byte-order mark) and random compositions of the built-in presets, with and
//!    without `--force`. Whenever `apply` succeeds: the result parses; every key it did not mean
//!    to set keeps its value; every original line it did not mean to touch is still there, in
//!    order, byte for byte; a second apply changes nothing; and removing the presets gives back
//!    the original bytes. In-process and fast: 512 cases
//!    by default, `PROPTEST_CASES=N` for more.
//! 2. Real cargo accepts what we write: random valid presets (random profiles, scopes, keys and
//!    values from the schema's stable domain), composed and applied by the real binary, then
//!    `cargo metadata --no-deps` and `cargo clean --dry-run --profile P` for each profile written.
//!    Bounded (12 cases) so CI stays quick; `PROPTEST_CARGO_CASES=N` for more.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_presets::cargo::schema::KeyPath;
use cargo_presets::compose::compose;
use cargo_presets::edit::{self, Edit, FileKind};
use cargo_presets::library::Library;
use cargo_presets::plan::plan;
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------------------------------------
// 1. Editor invariants

/// Values users write for the keys our built-in presets set, some equal to a preset's, some not.
const USER_SETTINGS: [&str; 9] = [
    "debug = 1",
    "debug = \"line-tables-only\"",
    "opt-level = 2",
    "opt-level = \"z\"",
    "lto = \"thin\"",
    "codegen-units = 4",
    "panic = \"abort\"",
    "incremental = false",
    "strip = true",
];

fn profile_layout() -> impl Strategy<Value = (u8, Vec<(String, String)>)> {
    let setting = (select(vec!["dev", "release", "staging", "profiling"]), select(USER_SETTINGS.to_vec()));
    (0u8..5, prop::collection::vec(setting, 0..4)).prop_map(|(layout, settings)| {
        // One line per key: drop repeats, which TOML forbids.
        let mut seen = Vec::new();
        let settings = settings
            .into_iter()
            .filter_map(|(profile, line)| {
                let key = (profile, line.split(' ').next().unwrap());
                (!seen.contains(&key)).then(|| {
                    seen.push(key);
                    (profile.to_owned(), line.to_owned())
                })
            })
            .collect();
        (layout, settings)
    })
}

/// A manifest built from awkward but valid pieces.
fn manifest() -> impl Strategy<Value = String> {
    (
        profile_layout(),
        any::<bool>(), // package or virtual workspace
        select(vec!["", "# top comment\n", "\n\n# spaced\n"]),
        select(vec!["", "  # trailing", "    # aligned comment"]),
        select(vec!["", "\n[dependencies]\nserde = \"1\"  # pinned\n", "\n[workspace.metadata.x]\ny = [1, 2]\n"]),
        select(vec!["", "# commented-out: lto = true\n"]),
        (any::<bool>(), any::<bool>(), any::<bool>()), // crlf, final newline, bom
    )
        .prop_map(
            |((layout, settings), package, top, trailing_comment, section, end_comment, (crlf, final_newline, bom))| {
                // `profiling` inherits `bench` where the preset says `release`: replaced under `--force`.
                let parent = |profile: &str| match profile {
                    "staging" => Some("release"),
                    "profiling" => Some("bench"),
                    _ => None,
                };
                let custom_needs_inherits =
                    |profile: &str| parent(profile).map(|p| format!("inherits = \"{p}\"\n")).unwrap_or_default();
                let mut text = String::from(top);
                let mut profiles: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for (profile, line) in &settings {
                    profiles.entry(profile.clone()).or_default().push(line.clone());
                }
                if layout == 2 {
                    for (profile, lines) in &profiles {
                        if let Some(p) = parent(profile) {
                            text.push_str(&format!("profile.{profile}.inherits = \"{p}\"\n"));
                        }
                        for line in lines {
                            text.push_str(&format!("profile.{profile}.{line}{trailing_comment}\n"));
                        }
                    }
                }
                text.push_str(if package {
                    "[package]\nname = \"x\"\nversion = \"0.1.0\"\n"
                } else {
                    "[workspace]\nmembers = []\n"
                });
                match layout {
                    1 => {
                        for (profile, lines) in &profiles {
                            text.push_str(&format!(
                                "\n# the team's {profile}\n[profile.{profile}]\n{}",
                                custom_needs_inherits(profile)
                            ));
                            for line in lines {
                                text.push_str(&format!("{line}{trailing_comment}\n"));
                            }
                        }
                    }
                    3 if !profiles.is_empty() => {
                        text.push_str("\n[profile]\n");
                        for (profile, lines) in &profiles {
                            let mut entries: Vec<String> = lines.clone();
                            if let Some(p) = parent(profile) {
                                entries.insert(0, format!("inherits = \"{p}\""));
                            }
                            text.push_str(&format!("{profile} = {{ {} }}{trailing_comment}\n", entries.join(", ")));
                        }
                    }
                    // Profiles that exist only as the parents of override tables.
                    4 => {
                        for (i, (profile, lines)) in profiles.iter().enumerate() {
                            let table = if i % 2 == 0 { "package.\"*\"" } else { "build-override" };
                            text.push_str(&format!("\n[profile.{profile}.{table}]\n"));
                            for line in lines.iter().filter(|l| !l.starts_with("panic") && !l.starts_with("lto")) {
                                text.push_str(&format!("{line}{trailing_comment}\n"));
                            }
                        }
                    }
                    _ => {}
                }
                text.push_str(section);
                text.push_str(end_comment);
                if !final_newline {
                    text.pop();
                }
                if crlf {
                    text = text.replace('\n', "\r\n");
                }
                if bom {
                    text.insert(0, '\u{feff}');
                }
                text
            },
        )
}

fn composition() -> impl Strategy<Value = Vec<String>> {
    let names = vec!["fast-dev", "debugging", "staging", "debuggable-staging", "prod", "embedded-size", "profiling"];
    prop::sample::subsequence(names, 1..=3).prop_shuffle().prop_map(|v| v.into_iter().map(str::to_owned).collect())
}

/// Applies `names` to `text` in-process, as `apply` does; `None` when apply refuses.
fn apply(library: &Library, names: &[String], text: &str, force: bool) -> Option<(String, Vec<KeyPath>)> {
    let composition = compose(library, names).ok()?;
    let file = Path::new("Cargo.toml");
    let parsed = edit::parse(file, text).ok()?;
    let plan = plan(&composition, &parsed.profiles()).ok()?;
    let options = Edit { force, ..Edit::new(file, FileKind::Manifest) };
    let outcome = edit::apply(&parsed, &plan, &composition, &options, &|name| library.get(name).ok()).ok()?;
    let keys = composition.settings.iter().map(|c| c.setting.path.clone()).collect();
    Some((outcome.text, keys))
}

/// `text` with the presets removed, last applied first, as `remove` does.
fn remove_all(library: &Library, names: &[String], mut text: String, kind: FileKind) -> String {
    let file = Path::new(if kind == FileKind::Manifest { "Cargo.toml" } else { ".cargo/config.toml" });
    for preset in compose(library, names).unwrap().presets.iter().rev() {
        text = edit::remove(&edit::parse(file, &text).unwrap(), preset, kind).unwrap().text;
    }
    text
}

/// Every leaf value of a document by dotted path, as TOML text without decor.
fn leaves(text: &str) -> BTreeMap<String, String> {
    fn walk(prefix: &str, table: &dyn toml_edit::TableLike, out: &mut BTreeMap<String, String>) {
        for (key, item) in table.iter() {
            let path = if prefix.is_empty() { key.to_owned() } else { format!("{prefix}.{key}") };
            match item.as_table_like() {
                Some(inner) => walk(&path, inner, out),
                None => {
                    let mut value = item.as_value().cloned().expect("a leaf is a value");
                    value.decor_mut().clear();
                    out.insert(path, value.to_string());
                }
            }
        }
    }
    let doc: toml_edit::DocumentMut = text.trim_start_matches('\u{feff}').parse().expect("the result parses");
    let mut out = BTreeMap::new();
    walk("", doc.as_table(), &mut out);
    out
}

fn lines(text: &str) -> Vec<&str> {
    text.trim_start_matches('\u{feff}').split('\n').map(|l| l.trim_end_matches('\r')).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512)
    ))]

    #[test]
    fn apply_changes_only_what_it_means_to_is_idempotent_and_removable(text in manifest(), names in composition(), force in any::<bool>()) {
        let library = Library::discover(None, None).unwrap();
        let original_text = text.clone();
        let Some((result, keys)) = apply(&library, &names, &text, force) else { return Ok(()) };

        // Keys it did not set keep their values (`cargo-features` is never added by these presets).
        let intended: Vec<String> = keys.iter().map(|k| k.to_string().replace('"', "")).collect();
        let (before, after) = (leaves(&text), leaves(&result));
        for (path, value) in &before {
            if !intended.contains(path) {
                prop_assert_eq!(after.get(path), Some(value), "`{}` changed", path);
            }
        }
        for path in after.keys() {
            prop_assert!(before.contains_key(path) || intended.contains(path), "unexpected key `{}`", path);
        }

        // Every line it did not mean to touch is still there, in order, byte for byte.
        let touched = |line: &str| line.contains('{') || intended.iter().any(|k| {
            let key = k.rsplit('.').next().unwrap();
            line.trim_start().starts_with(&format!("{key} ")) || line.contains(&format!(".{key} "))
        });
        let result_lines = lines(&result);
        let mut rest = result_lines.iter();
        for line in lines(&text).into_iter().filter(|l| !touched(l)) {
            prop_assert!(rest.any(|r| *r == line), "line {:?} lost or moved in:\n{}", line, result);
        }
        prop_assert_eq!(text.starts_with('\u{feff}'), result.starts_with('\u{feff}'));
        prop_assert_eq!(text.contains("\r\n"), result.contains("\r\n"));

        // A second apply is a no-op.
        let (again, _) = apply(&library, &names, &result, force).expect("a second apply succeeds");
        prop_assert_eq!(&again, &result);

        // Removing the presets, last applied first, gives back the original bytes.
        prop_assert_eq!(remove_all(&library, &names, result, FileKind::Manifest), original_text);
    }
}

// ---------------------------------------------------------------------------------------------
// 1b. Flags are merged, never clobbered

/// Project presets that add flags to `[build].rustflags` or a target table, some setting the
/// same option as a user's flag (`-C target-cpu`), some the same option as each other.
const FLAG_PRESETS: [(&str, &str, &str); 5] = [
    ("cpu", "build", "\"-C\", \"target-cpu=native\""),
    ("lints", "build", "\"-W\", \"unused-crate-dependencies\""),
    ("frames", "build", "\"-Cforce-frame-pointers=yes\""),
    ("cfgs", "target.'cfg(unix)'", "\"--cfg\", \"tokio_unstable\", \"-Csymbol-mangling-version=v0\""),
    ("cpu3", "build", "\"-C\", \"target-cpu=x86-64-v3\""),
];

/// Flags users already have.
const USER_FLAGS: [&str; 6] = [
    "-C target-cpu=x86-64-v3",
    "-Dwarnings",
    "-C force-frame-pointers=yes",
    "--cfg foo",
    "-Clink-arg=-Wl,-z,now",
    "-W unused-crate-dependencies",
];

/// A config file with `rustflags` in `[build]` and maybe a `cfg(unix)` table, each as an array
/// (on one line or several) or a string, with comments around.
fn config_file() -> impl Strategy<Value = String> {
    let flags = || proptest::collection::vec(select(&USER_FLAGS[..]), 0..3);
    let form = || 0u8..4;
    (flags(), form(), proptest::option::of((flags(), form())), any::<bool>()).prop_map(
        |(build, build_form, target, crlf)| {
            let value = |flags: &[&str], form: u8| {
                let tokens: Vec<String> = flags.iter().flat_map(|f| f.split(' ')).map(|t| format!("\"{t}\"")).collect();
                match form {
                    0 => format!("[{}]", tokens.join(", ")),
                    1 if tokens.is_empty() => "[\n]".to_owned(),
                    1 => format!("[\n  {},\n]", tokens.join(",\n  ")),
                    2 => format!("\"{}\"  # mine", flags.join(" ")),
                    _ => format!("[ {} ] # team", tokens.join(",")),
                }
            };
            let mut text = format!("# shared settings\n[build]\njobs = 2\nrustflags = {}\n", value(&build, build_form));
            if let Some((flags, form)) = target {
                text.push_str(&format!("\n[target.'cfg(unix)']\n# ours\nrustflags = {}\n", value(&flags, form)));
            }
            if crlf { text.replace('\n', "\r\n") } else { text }
        },
    )
}

fn flag_library() -> Library {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("flag-presets");
    fs::create_dir_all(&dir).unwrap();
    for (name, table, flags) in FLAG_PRESETS {
        let text = format!("summary = \"{name}\"\n[{table}]\nrustflags = {{ value = [{flags}], why = \"{name}\" }}\n");
        fs::write(dir.join(format!("{name}.toml")), text).unwrap();
    }
    Library::discover(Some(&dir), None).unwrap()
}

/// Applies flag presets to a config file's text in-process; `None` when apply refuses.
fn apply_flags(library: &Library, names: &[String], text: &str, force: bool) -> Option<String> {
    let composition = compose(library, names).ok()?;
    let file = Path::new(".cargo/config.toml");
    let parsed = edit::parse(file, text).ok()?;
    let plan = plan(&composition, &parsed.profiles()).ok()?;
    let options =
        Edit { file, kind: FileKind::Config, force, keep: &[], new_file_header: Vec::new(), creates_directory: false };
    Some(edit::apply(&parsed, &plan, &composition, &options, &|name| library.get(name).ok()).ok()?.text)
}

/// The flags of every `rustflags` in a config text, by table.
fn flags_by_table(text: &str) -> BTreeMap<String, Vec<String>> {
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    let mut found = BTreeMap::new();
    let mut add = |name: String, item: Option<&toml_edit::Item>| {
        if let Some(value) = item.and_then(toml_edit::Item::as_value) {
            found.insert(name, edit::flags_in_value(value).unwrap());
        }
    };
    add("build".into(), doc.get("build").and_then(|b| b.get("rustflags")));
    add("cfg".into(), doc.get("target").and_then(|t| t.get("cfg(unix)")).and_then(|t| t.get("rustflags")));
    found
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512)
    ))]

    #[test]
    fn flags_are_added_never_clobbered_and_come_back_out(
        text in config_file(),
        names in proptest::collection::vec(select(FLAG_PRESETS.iter().map(|p| p.0.to_owned()).collect::<Vec<_>>()), 1..4),
        force in any::<bool>(),
    ) {
        let library = flag_library();
        let mut names = names;
        names.dedup();
        let Some(result) = apply_flags(&library, &names, &text, force) else {
            // Refused: two presets or a preset and the file set an option differently.
            prop_assert!(!force || names.contains(&"cpu".to_owned()) && names.contains(&"cpu3".to_owned()), "refused with --force");
            return Ok(());
        };
        // Every flag the user had is still there, in order, before the presets' flags.
        let (before, after) = (flags_by_table(&text), flags_by_table(&result));
        for (table, flags) in &before {
            prop_assert_eq!(&after[table][..flags.len()], &flags[..], "{} lost or moved flags:\n{}", table, result);
        }
        // Every preset's flags are there.
        for name in &names {
            let (_, table, flags) = FLAG_PRESETS.iter().find(|p| p.0 == name).unwrap();
            let key = if *table == "build" { "build" } else { "cfg" };
            let tokens: Vec<String> = flags.split(", ").map(|t| t.trim_matches('"').to_owned()).collect();
            let joined = after[key].join(" ");
            prop_assert!(joined.contains(&tokens.join(" ")) || tokens.iter().all(|t| after[key].contains(t)), "{:?} missing in {}", tokens, joined);
        }
        // A second apply changes nothing.
        let again = apply_flags(&library, &names, &result, force);
        prop_assert_eq!(again.as_deref(), Some(result.as_str()));
        // Removing them, last first, gives back the original bytes.
        prop_assert_eq!(remove_all(&library, &names, result, FileKind::Config), text);
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Real cargo accepts random valid compositions

const PROFILES: [&str; 6] = ["dev", "release", "test", "bench", "p1", "p2"];

fn value_for(key: &str) -> Vec<&'static str> {
    match key {
        "opt-level" => vec!["0", "1", "2", "3", "\"s\"", "\"z\""],
        "debug" => vec![
            "true",
            "false",
            "0",
            "1",
            "2",
            "\"none\"",
            "\"line-directives-only\"",
            "\"line-tables-only\"",
            "\"limited\"",
            "\"full\"",
        ],
        "split-debuginfo" => vec!["\"off\"", "\"packed\"", "\"unpacked\""],
        "strip" => vec!["true", "false", "\"none\"", "\"debuginfo\"", "\"symbols\""],
        "lto" => vec!["true", "false", "\"fat\"", "\"thin\"", "\"off\""],
        "panic" => vec!["\"unwind\"", "\"abort\""],
        "codegen-units" => vec!["1", "16", "256"],
        _ => vec!["true", "false"],
    }
}

/// One random preset: a few settings in random profiles and scopes, custom profiles inheriting.
fn random_preset() -> impl Strategy<Value = String> {
    let keys = vec![
        "opt-level",
        "debug",
        "split-debuginfo",
        "strip",
        "debug-assertions",
        "overflow-checks",
        "lto",
        "panic",
        "incremental",
        "codegen-units",
        "rpath",
    ];
    let setting = (
        select(PROFILES.to_vec()),
        select(vec!["", ".package.\"*\"", ".package.dep", ".build-override"]),
        select(keys),
        any::<prop::sample::Index>(),
    );
    (prop::collection::vec(setting, 1..5), select(vec!["dev", "release"])).prop_map(|(settings, parent)| {
        let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (profile, scope, key, index) in settings {
            let whole_program = ["panic", "lto", "rpath"].contains(&key);
            let scope = if whole_program { "" } else { scope };
            let table = format!("profile.{profile}{scope}");
            let values = value_for(key);
            let line = format!("{key} = {{ value = {}, why = \"generated\" }}", values[index.index(values.len())]);
            let entry = tables.entry(table).or_default();
            if !entry.iter().any(|l| l.starts_with(&format!("{key} "))) {
                entry.push(line);
            }
        }
        for custom in ["p1", "p2"] {
            if tables.keys().any(|t| t.starts_with(&format!("profile.{custom}"))) {
                tables.entry(format!("profile.{custom}")).or_default().insert(0, format!("inherits = \"{parent}\""));
            }
        }
        let mut text = String::from("summary = \"generated\"\n");
        for (table, lines) in tables {
            text.push_str(&format!("\n[{table}]\n{}\n", lines.join("\n")));
        }
        text
    })
}

fn workspace(case: usize) -> PathBuf {
    let files = [
        ("Cargo.toml", "[workspace]\nmembers = [\"app\"]\nexclude = [\"vendor\"]\nresolver = \"3\"\n"),
        (
            "app/Cargo.toml",
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\ndep = { path = \"../vendor/dep\" }\n",
        ),
        ("app/src/main.rs", "fn main() {}\n"),
        ("vendor/dep/Cargo.toml", "[package]\nname = \"dep\"\nversion = \"0.2.0\"\nedition = \"2024\"\n"),
        ("vendor/dep/src/lib.rs", ""),
    ];
    common::tree("properties", &case.to_string(), &files)
}

fn cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    let output = Command::new("cargo")
        .args(args)
        .arg("--offline")
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .output()
        .unwrap();
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CARGO_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(12)
    ))]

    #[test]
    fn cargo_accepts_every_composition_we_write(presets in prop::collection::vec(random_preset(), 1..=3), to_config in any::<bool>()) {
        static CASE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let dir = workspace(CASE.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
        let mut names = Vec::new();
        for (i, text) in presets.iter().enumerate() {
            fs::create_dir_all(dir.join(".cargo/presets")).unwrap();
            fs::write(dir.join(format!(".cargo/presets/g{i}.toml")), text).unwrap();
            names.push(format!("g{i}"));
        }
        let mut command = Command::new(env!("CARGO_BIN_EXE_cargo-presets"));
        command.env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"));
        command.arg("presets").arg("apply").args(&names).current_dir(&dir).env("CARGO_HOME", dir.join("no-home"));
        if to_config {
            command.args(["--to", "config"]);
        }
        let output = command.output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            // Only a conflict between the generated presets may stop it.
            prop_assert!(stderr.contains("set `") && stderr.contains("differently") || stderr.contains("disagree"), "{}", stderr);
            return Ok(());
        }
        let (ok, stderr) = cargo(&dir, &["metadata", "--no-deps", "--format-version", "1"]);
        prop_assert!(ok, "cargo metadata rejected:\n{}", stderr);
        prop_assert!(!stderr.contains("unused"), "{}", stderr);
        for profile in PROFILES {
            let written = fs::read_to_string(dir.join("Cargo.toml")).unwrap() + &fs::read_to_string(dir.join(".cargo/config.toml")).unwrap_or_default();
            if written.contains(&format!("[profile.{profile}")) {
                let (ok, stderr) = cargo(&dir, &["clean", "--dry-run", "--profile", profile]);
                prop_assert!(ok, "cargo clean --dry-run --profile {} rejected:\n{}\n{}", profile, stderr, written);
            }
        }
    }
}
