//! The built-in presets' claims. A description may cite only the sources its preset lists, and
//! every figure in it must come from a measurement: `scripts/bench-presets.sh`, whose output the
//! README records under "Measured: the presets on a real workload". A figure someone else
//! published is fine in a sentence that says so ("reports", "published"), citing a listed source.

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

/// One column of a recorded `bench` table: the variant and, per row, the ratio to the baseline.
struct Column {
    name: String,
    ratios: Vec<f64>,
}

/// The README's recorded benchmark output.
fn measured() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("## Measured: the presets on a real workload").expect("the README records the bench");
    let end = readme[start + 3..].find("\n## ").map_or(readme.len(), |i| start + 3 + i);
    readme[start..end].to_owned()
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
        let unit = ["%", " MB", " kB", " KB", " s", "x"]
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
        let text = preset.description.replace('\n', " ");
        for sentence in text.split(". ") {
            if sentence.contains("report") || sentence.contains("published") {
                continue;
            }
            // A figure belongs to this preset, or to another one the sentence names.
            let mut about: Vec<&str> = vec![preset.name.as_str()];
            about.extend(names.iter().filter(|n| sentence.contains(&format!("`{n}`"))));
            about.extend(columns.iter().map(|c| c.name.as_str()).filter(|n| sentence.contains(&format!("`{n}`"))));
            for figure in figures(sentence) {
                let backed = match figure.unit {
                    "MB" | "kB" | "KB" | "s" => measured.contains(&format!("{} {}", figure.number_text(), figure.unit)),
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
