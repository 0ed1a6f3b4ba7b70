//! The built-in presets' claims, in every string of a preset's file but its `sources` (summary,
//! description, each `why`, variant notes, declared conflicts, `when.min-rustc`, and any field
//! added later). A description may cite only the sources its preset lists. A Rust version ("since Rust 1.92", "cargo ≥ 1.97", `min-rustc`) must be one
//! that a listed source states: each source entry names what it is evidence for, versions
//! included ("… (merged September 2025, Rust 1.92): https://…"). Every figure (a percentage, a
//! ratio, seconds, a size) must come from a recorded run: `scripts/bench-presets.sh` and `tune`,
//! whose output the README records under "Measured: the presets on a real workload" and "`tune`
//! on the same workload". A figure someone else published is fine in a sentence that says so
//! ("reports", "published", "says") and names the listed source it comes from.

use cargo_presets::library::BUILTIN;
use cargo_presets::preset::{Origin, Preset, parse};

fn builtins() -> Vec<Preset> {
    BUILTIN.iter().map(|(name, text)| parse(name, Origin::Builtin, text).unwrap()).collect()
}

/// The name a source is cited by: `Cargo book` for "Cargo book, Optimizing Build Performance:
/// https://…", `cargo-wizard` for "Kobzol/cargo-wizard, the fast-compile template: https://…".
fn cited_name(source: &str) -> String {
    let title = source.split(": http").next().unwrap();
    let title = title.strip_prefix("The ").unwrap_or(title);
    let title = title.split([',', '(']).next().unwrap().trim();
    let title = title.strip_suffix(" README").unwrap_or(title);
    title.rsplit_once('/').map_or(title, |(_, name)| name).to_owned()
}

/// Names that cite something: every source any preset lists, and documents we must not claim
/// (there is no "Cargo documentation" recipe for `staging` or `prod`).
fn citation_vocabulary(presets: &[Preset]) -> Vec<String> {
    let mut names: Vec<String> = presets.iter().flat_map(|p| p.sources.iter().map(|s| cited_name(s))).collect();
    names.extend(["Cargo documentation".to_owned(), "release notes".to_owned()]);
    names.sort();
    names.dedup();
    names
}

#[test]
fn descriptions_cite_only_their_own_sources() {
    let presets = builtins();
    let vocabulary = citation_vocabulary(&presets);
    assert!(vocabulary.contains(&"cargo-wizard".to_owned()) && vocabulary.contains(&"Bevy".to_owned()));
    let mut wrong = Vec::new();
    for preset in &presets {
        let own: Vec<String> = preset.sources.iter().map(|s| cited_name(s)).collect();
        for name in &vocabulary {
            if preset.description.contains(name.as_str()) && !own.contains(name) {
                wrong.push(format!("`{}` cites {name:?}, which is not among its sources", preset.name));
            }
        }
        assert!(!preset.sources.is_empty(), "`{}` lists no sources", preset.name);
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A declared conflict with a name no built-in has would never fire: `tests/pairs.rs` holds only
/// the declarations between built-ins to their refusals.
#[test]
fn declared_conflicts_name_built_in_presets() {
    let presets = builtins();
    let names: Vec<&str> = presets.iter().map(|p| p.name.as_str()).collect();
    let declared: Vec<(&str, &str)> =
        presets.iter().flat_map(|p| p.conflicts_with.iter().map(|c| (p.name.as_str(), c.preset.as_str()))).collect();
    assert!(!declared.is_empty(), "no built-in preset declares a conflict");
    for (preset, other) in declared {
        assert!(
            names.contains(&other),
            "`{preset}` declares a conflict with `{other}`, which is not a built-in preset"
        );
    }
}

/// One column of a recorded `bench` table: the variant and, per row, the ratio to the baseline.
struct Column {
    name: String,
    ratios: Vec<f64>,
}

/// The README's recorded runs: the bench of the presets, and `tune` on the same workload.
fn measured() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = |heading: &str| {
        let start = readme.find(heading).unwrap_or_else(|| panic!("the README records {heading:?}"));
        let end = readme[start + heading.len()..].find("\n#").map_or(readme.len(), |i| start + heading.len() + i);
        readme[start..end].to_owned()
    };
    section("## Measured: the presets on a real workload") + &section("### `tune` on the same workload")
}

/// Every string of a built-in preset's file but its `sources`, with its key path: summary,
/// description, each `why`, variant notes, declared conflicts, `when.min-rustc`, and whatever
/// field a preset gains later, so that no claim hides in a field this test does not know.
fn texts(preset: &Preset) -> Vec<(String, String)> {
    let (_, text) = BUILTIN.iter().find(|(name, _)| *name == preset.name).unwrap();
    let doc: toml_edit::DocumentMut = text.parse().unwrap();
    let mut found = Vec::new();
    for (key, item) in doc.iter().filter(|(key, _)| *key != "sources") {
        strings_of_item(key, item, &mut found);
    }
    found
}

fn strings_of_item(path: &str, item: &toml_edit::Item, found: &mut Vec<(String, String)>) {
    match item {
        toml_edit::Item::Value(value) => strings_of_value(path, value, found),
        toml_edit::Item::Table(table) => {
            table.iter().for_each(|(key, item)| strings_of_item(&format!("{path}.{key}"), item, found))
        }
        toml_edit::Item::ArrayOfTables(tables) => {
            for (i, table) in tables.iter().enumerate() {
                table.iter().for_each(|(key, item)| strings_of_item(&format!("{path}[{i}].{key}"), item, found))
            }
        }
        toml_edit::Item::None => {}
    }
}

fn strings_of_value(path: &str, value: &toml_edit::Value, found: &mut Vec<(String, String)>) {
    match value {
        toml_edit::Value::String(text) => found.push((format!("`{path}`"), text.value().clone())),
        toml_edit::Value::Array(values) => {
            values.iter().enumerate().for_each(|(i, v)| strings_of_value(&format!("{path}[{i}]"), v, found))
        }
        toml_edit::Value::InlineTable(table) => {
            table.iter().for_each(|(key, v)| strings_of_value(&format!("{path}.{key}"), v, found))
        }
        _ => {}
    }
}

/// The Rust versions a text names, as `(1, minor)`: `1.92` in "since Rust 1.92", "cargo ≥ 1.97",
/// "1.90.0". A number with a unit (`1.00 s`, `1.31x`) is a figure, and one with a single decimal
/// (`1.9 MB`) never a version.
fn versions(text: &str) -> Vec<(u32, u32)> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for i in 0..chars.len().saturating_sub(3) {
        let starts = chars[i] == '1'
            && chars[i + 1] == '.'
            && (i == 0 || !(chars[i - 1].is_alphanumeric() || matches!(chars[i - 1], '.' | '-' | '+')));
        if !starts {
            continue;
        }
        let digits: String = chars[i + 2..].iter().take_while(|c| c.is_ascii_digit()).collect();
        let mut end = i + 2 + digits.len();
        while end < chars.len()
            && (chars[end].is_ascii_digit()
                || chars[end] == '.' && chars.get(end + 1).is_some_and(char::is_ascii_digit))
        {
            end += 1;
        }
        let rest: String = chars[end..].iter().take(4).collect();
        let unit = ["%", "x", "\u{d7}", " s", " ms", " MB", " kB", " KB", " GB"]
            .iter()
            .any(|u| rest.starts_with(u) && !rest[u.len()..].starts_with(char::is_alphanumeric));
        if digits.len() >= 2 && !unit {
            found.push((1, digits.parse().unwrap()));
        }
    }
    found
}

/// Whether a source entry states version `1.minor` (`1.90` in "1.90.0 stable", not in "1.900").
fn states(source: &str, (major, minor): (u32, u32)) -> bool {
    versions(source).contains(&(major, minor))
}

#[test]
fn every_version_claimed_is_stated_by_one_of_the_presets_sources() {
    let mut unstated = Vec::new();
    let mut claims = 0;
    for preset in builtins() {
        let mut claimed: Vec<(String, (u32, u32))> = Vec::new();
        for (place, text) in texts(&preset) {
            claimed.extend(versions(&text).into_iter().map(|v| (place.clone(), v)));
        }
        for (place, version) in claimed {
            claims += 1;
            if !preset.sources.iter().any(|s| states(s, version)) {
                unstated.push(format!(
                    "`{}`: {place} names Rust {}.{}, which none of its sources states",
                    preset.name, version.0, version.1
                ));
            }
        }
    }
    assert!(claims > 0, "no version claims found: the reader is broken");
    assert!(unstated.is_empty(), "{}", unstated.join("\n"));
}

#[test]
fn the_version_reader_finds_versions_and_leaves_figures() {
    let text = "since Rust 1.92, cargo \u{2265} 1.97, 1.90.0 stable, 1.00 s, 1.31x, 1.9 MB, 11.92, v1.95, 1.5";
    assert_eq!(versions(text), [(1, 92), (1, 97), (1, 90)]);
    assert!(states("Rust blog, Faster linking times with 1.90.0 stable: https://…", (1, 90)));
    assert!(!states("rust-lang/rust PR #1, (Rust 1.920)", (1, 92)));
}

/// The columns of every table in `text`: a header line names the variants (`fast-dev [dev]`), and
/// each row has a value per variant, followed by `xR` after the baseline's.
fn columns(text: &str) -> Vec<Column> {
    let mut all: Vec<Column> = Vec::new();
    let mut current: Vec<usize> = Vec::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
        if line.contains("(baseline)") {
            current.clear();
            for cell in &cells {
                let name = cell.split(" [").next().unwrap().trim_end_matches(" (baseline)");
                all.push(Column { name: name.to_owned(), ratios: Vec::new() });
                current.push(all.len() - 1);
            }
            continue;
        }
        if current.is_empty() || cells.len() < 2 {
            current.clear();
            continue;
        }
        // The metric's name, then per variant a value and (after the baseline) its ratio.
        let mut column = 0;
        for cell in &cells[1..] {
            match cell.strip_prefix('x').and_then(|r| r.parse::<f64>().ok()) {
                Some(ratio) => all[current[column - 1]].ratios.push(ratio),
                None => column += 1,
            }
            if column > current.len() {
                break;
            }
        }
    }
    all
}

/// A figure in a description: `-52%`, `+31%`, `5x`, `4.8 MB`, `0.46 s`.
#[derive(Debug)]
struct Figure {
    text: String,
    number: f64,
    sign: Option<char>,
    unit: &'static str,
}

fn figures(sentence: &str) -> Vec<Figure> {
    let chars: Vec<char> = sentence.chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_number =
            chars[i].is_ascii_digit() && (i == 0 || !chars[i - 1].is_alphanumeric() && chars[i - 1] != '.');
        if !starts_number {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len()
            && (chars[i].is_ascii_digit() || chars[i] == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            i += 1;
        }
        let number: String = chars[start..i].iter().collect();
        let sign = start.checked_sub(1).map(|j| chars[j]).filter(|c| *c == '+' || *c == '-');
        let rest: String = chars[i..].iter().take(4).collect();
        let unit = ["%", " MB", " kB", " KB", " GB", " ms", " s", "x", "\u{d7}"]
            .into_iter()
            .find(|u| rest.starts_with(u) && !rest[u.len()..].starts_with(|c: char| c.is_alphanumeric()));
        if let Some(unit) = unit {
            let text = format!("{}{number}{unit}", sign.map(String::from).unwrap_or_default());
            found.push(Figure { text, number: number.parse().unwrap(), sign, unit: unit.trim() });
        }
    }
    found
}

/// Whether a recorded ratio backs `figure`: `-52%` is `x0.48`, `+31%` is `x1.31`, `5x` is `x5.0`
/// or `x0.20`.
fn backed_by(figure: &Figure, ratio: f64) -> bool {
    match figure.unit {
        "%" => {
            let change = (ratio - 1.0) * 100.0;
            let sign_ok = match figure.sign {
                Some('+') => change > 0.0,
                Some('-') => change < 0.0,
                _ => true,
            };
            sign_ok && (change.abs() - figure.number).abs() <= 1.0
        }
        _ => [ratio, 1.0 / ratio].iter().any(|r| (r - figure.number).abs() <= 0.05 * figure.number),
    }
}

#[test]
fn every_figure_in_a_description_was_measured() {
    let measured = measured();
    let columns = columns(&measured);
    assert!(columns.iter().any(|c| c.name == "fast-dev" && !c.ratios.is_empty()), "no bench tables in the README");
    let presets = builtins();
    let names: Vec<&str> = presets.iter().map(|p| p.name.as_str()).collect();
    let mut unbacked = Vec::new();
    for preset in &presets {
        let own: Vec<String> = preset.sources.iter().map(|s| cited_name(s)).collect();
        let text = texts(preset).into_iter().map(|(_, t)| t.replace('\n', " ")).collect::<Vec<_>>().join(". ");
        for sentence in text.split(". ") {
            if attributed(sentence, &own) {
                continue;
            }
            // A figure belongs to this preset, or to another one the sentence names.
            let mut about: Vec<&str> = vec![preset.name.as_str()];
            about.extend(names.iter().filter(|n| sentence.contains(&format!("`{n}`"))));
            about.extend(columns.iter().map(|c| c.name.as_str()).filter(|n| sentence.contains(&format!("`{n}`"))));
            for figure in figures(sentence) {
                let backed = match figure.unit {
                    "MB" | "kB" | "KB" | "GB" | "ms" | "s" => {
                        measured.contains(&format!("{} {}", figure.number_text(), figure.unit))
                    }
                    _ => columns
                        .iter()
                        .filter(|c| about.contains(&c.name.as_str()))
                        .any(|c| c.ratios.iter().any(|r| backed_by(&figure, *r))),
                };
                if !backed {
                    unbacked.push(format!("`{}`: {} in \"{sentence}\"", preset.name, figure.text));
                }
            }
        }
    }
    assert!(
        unbacked.is_empty(),
        "figures with no measurement in the README's recorded bench output:\n{}",
        unbacked.join("\n")
    );
}

/// Whether a sentence gives its figures as someone else's: it says so ("reports", "published",
/// "says", "according to") and names a source its preset lists.
fn attributed(sentence: &str, own: &[String]) -> bool {
    let says = ["report", "published", " says", "according to"].iter().any(|w| sentence.contains(w));
    says && own.iter().any(|name| sentence.contains(name.as_str()))
}

impl Figure {
    fn number_text(&self) -> &str {
        self.text.trim_start_matches(['+', '-']).trim_end_matches(self.unit).trim_end()
    }
}

#[test]
fn the_figure_reader_finds_signed_percentages_sizes_times_and_factors() {
    let found: Vec<String> =
        figures("clean build -13% wall, +31% rebuild, 37.0 -> 13.1 MB, 0.46 s, 5x faster, opt-level 3, 1.90")
            .into_iter()
            .map(|f| f.text)
            .collect();
    assert_eq!(found, ["-13%", "+31%", "13.1 MB", "0.46 s", "5x"]);
    assert!(backed_by(&figures("-52%")[0], 0.48));
    assert!(!backed_by(&figures("+52%")[0], 0.48));
    assert!(backed_by(&figures("5x")[0], 0.21));
}

#[test]
fn a_recorded_table_gives_each_variant_its_ratios() {
    let table = "\
               release (baseline)   embedded-size [release]   fast-runtime [release]
build (wall)   31.6 s               27.0 s  x0.85             32.3 s  x1.02
binary size    3.9 MB               1.9 MB  x0.47             2.5 MB  x0.64
";
    let columns = columns(table);
    let ratios = |name: &str| columns.iter().find(|c| c.name == name).unwrap().ratios.clone();
    assert_eq!(ratios("embedded-size"), [0.85, 0.47]);
    assert_eq!(ratios("fast-runtime"), [1.02, 0.64]);
    assert!(ratios("release").is_empty());
}

/// The Rust releases a text names, as `1.99`: "cargo 1.99", "Rust 1.92", "before 1.97", a
/// range's ">=1.99" or "< 1.99.0". A bare number ("1.00 s") is no release.
fn releases(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for prefix in ["Rust ", "rustc ", "cargo ", "Cargo ", "before ", ">=", ">= ", "< ", "<"] {
        for (at, _) in text.match_indices(prefix) {
            let rest = &text[at + prefix.len()..];
            let Some(minor) = rest.strip_prefix("1.") else { continue };
            let digits: String = minor.chars().take_while(char::is_ascii_digit).collect();
            if (2..=3).contains(&digits.len()) {
                found.push(format!("1.{digits}"));
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn every_release_a_preset_names_is_one_its_sources_name() {
    let mut wrong = Vec::new();
    for preset in builtins() {
        let sources = preset.sources.join("\n");
        let mut claims = vec![preset.description.clone(), format!("{}", preset.when.rustc)];
        for variant in &preset.variants {
            claims.push(variant.note.clone());
            claims.push(format!("{}", variant.when.rustc));
        }
        let settings = preset.variants.iter().flat_map(|v| &v.settings).chain(&preset.settings);
        for setting in settings {
            claims.push(setting.why.clone());
            claims.push(format!("{}", setting.rustc));
            if let Some(redundant) = &setting.redundant {
                claims.push(format!("{} {}", redundant.rustc, redundant.because));
            }
        }
        for release in releases(&claims.join("\n")) {
            if !sources.contains(&release) {
                wrong.push(format!("`{}` names Rust {release}, which none of its sources names", preset.name));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_release_reader_finds_named_releases_and_not_figures() {
    let text = "since Rust 1.92, cargo 1.99 and later, before 1.97, >= 1.90.0, <1.100, ran 4.76 s -> 1.00 s";
    assert_eq!(releases(text), ["1.100", "1.90", "1.92", "1.97", "1.99"]);
}
