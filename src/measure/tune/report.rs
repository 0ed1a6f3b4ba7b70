//! What `tune` shows and writes: the table of every comparison, its JSON, the chart `bench`
//! draws, and the preset of the settings kept, with the measured figures in its comments.

use std::fmt::Write as _;

use serde::Serialize;
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, value};

use crate::measure::stats::{self, Metric, Report, Unit};
use crate::shell::plural;

use super::{Dimension, Outcome, Trial, Verdict, Write, minutes, space};

/// Where and how the measurements were made, for the preset's description.
#[derive(Clone, Debug)]
pub struct Measured {
    /// The command that measured: `cargo presets tune --workflow rebuild,check --budget 10m`.
    pub command: String,
    /// `x86_64-unknown-linux-gnu, 2 cores, rustc 1.95.0`.
    pub machine: String,
    /// `2026-11-23`.
    pub date: String,
    /// `rebuild`, `check`: the workflows, in the order of each sample's times.
    pub workflows: Vec<String>,
}

#[cfg(test)]
impl Measured {
    pub fn example() -> Measured {
        Measured {
            command: "cargo presets tune --workflow build,rebuild".into(),
            machine: "x86_64-unknown-linux-gnu, 2 cores, rustc 1.95.0".into(),
            date: "2026-11-23".into(),
            workflows: vec!["build".into(), "rebuild".into()],
        }
    }
}

/// `debug info of dependencies = false`.
fn candidate(dimensions: &[Dimension], trial: &Trial) -> String {
    let dimension = &dimensions[trial.dimension];
    format!("{} = {}", dimension.name, dimension.options[trial.option].label)
}

/// `build 15.2 s vs 17.9 s, rebuild 0.29 s vs 0.35 s`: medians of the candidate and of what
/// it was measured against.
fn figures(trial: &Trial, workflows: &[String]) -> String {
    let parts: Vec<String> = workflows
        .iter()
        .enumerate()
        .map(|(w, name)| {
            let (candidate, against) = trial.samples(w);
            match (stats::summarize(&candidate), stats::summarize(&against)) {
                (Some(c), Some(a)) => {
                    format!(
                        "{name} {} vs {}",
                        stats::format(c.median, Unit::Seconds),
                        stats::format(a.median, Unit::Seconds)
                    )
                }
                _ => format!("{name} not measured"),
            }
        })
        .collect();
    parts.join(", ")
}

/// The ratio of each trial to the start: its ratio to what it was measured against, times
/// the ratios of the changes kept before it.
fn to_start(outcome: &Outcome) -> Vec<Option<f64>> {
    let mut kept = 1.0;
    outcome
        .trials
        .iter()
        .map(|trial| {
            let ratio = trial.ratio().map(|r| r * kept);
            if trial.verdict == Verdict::Win {
                kept = ratio.unwrap_or(kept);
            }
            ratio
        })
        .collect()
}

/// One row per comparison: the change, the medians, the ratios and the verdict; then what was
/// skipped and why.
pub fn table(dimensions: &[Dimension], outcome: &Outcome, measured: &Measured, budget: std::time::Duration) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} comparison{} in {} (budget {}), workflows: {}",
        outcome.trials.len(),
        if outcome.trials.len() == 1 { "" } else { "s" },
        minutes(outcome.elapsed),
        minutes(budget),
        measured.workflows.join(", ")
    );
    let mut rows = vec![vec![
        "change".to_owned(),
        "medians (candidate vs current)".to_owned(),
        "ratio".to_owned(),
        "vs start".to_owned(),
        "pairs".to_owned(),
        "verdict".to_owned(),
    ]];
    for (trial, start) in outcome.trials.iter().zip(to_start(outcome)) {
        let ratio = |r: Option<f64>| r.map_or_else(|| "-".to_owned(), |r| format!("x{r:.2}"));
        rows.push(vec![
            candidate(dimensions, trial),
            if trial.pairs.is_empty() { "-".into() } else { figures(trial, &measured.workflows) },
            ratio(trial.ratio()),
            ratio(start),
            trial.pairs.len().to_string(),
            trial.verdict.name().to_owned(),
        ]);
    }
    let widths: Vec<usize> =
        (0..rows[0].len()).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    for row in rows {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        let _ = writeln!(out, "{}", cells.join("   ").trim_end());
    }
    for trial in &outcome.trials {
        if let Verdict::Failed(why) = &trial.verdict {
            let first = why.lines().find(|l| l.starts_with("error")).or(why.lines().next()).unwrap_or("");
            let _ = writeln!(out, "failed: {}: {first}", candidate(dimensions, trial));
        }
    }
    for skip in &outcome.skipped {
        let _ = writeln!(out, "not tried: {}: {}", skip.dimension, skip.reason);
    }
    out
}

/// `tune`'s report as `--format json` gives it: every comparison with each workflow's samples,
/// the settings kept and those not tried, and the preset file written.
#[derive(Serialize)]
pub struct Tuned<'a> {
    workflows: &'a [String],
    elapsed_s: f64,
    trials: Vec<Tried<'a>>,
    kept: Vec<Kept<'a>>,
    skipped: Vec<NotTried<'a>>,
    /// The first file written, and its kind of preset: `project`, or `user` for the settings
    /// that name a program.
    saved: Option<&'a str>,
    saved_as: Option<&'a str>,
    /// Every file written.
    saved_files: Vec<Saved<'a>>,
}

/// A preset file `tune` wrote.
#[derive(Serialize)]
struct Saved<'a> {
    path: &'a str,
    /// `project`, or `user`.
    #[serde(rename = "as")]
    kind: &'a str,
}

/// A candidate setting measured against the settings before it.
#[derive(Serialize)]
struct Tried<'a> {
    setting: &'a str,
    value: &'a str,
    verdict: &'static str,
    error: Option<&'a str>,
    pairs: usize,
    ratio: Option<f64>,
    ratio_to_start: Option<f64>,
    workflows: Vec<Timed<'a>>,
}

/// One workflow's times in a comparison: the candidate's, and those it was measured against.
#[derive(Serialize)]
struct Timed<'a> {
    workflow: &'a str,
    samples: Vec<f64>,
    against_samples: Vec<f64>,
    median: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    against_median: Option<f64>,
}

#[derive(Serialize)]
struct Kept<'a> {
    setting: &'a str,
    value: &'a str,
}

#[derive(Serialize)]
struct NotTried<'a> {
    setting: &'a str,
    reason: &'a str,
}

impl<'a> Tuned<'a> {
    /// `saved` are the files written and their kinds of preset (`project`, and `user` for the
    /// settings that name a program).
    pub fn new(
        dimensions: &'a [Dimension],
        outcome: &'a Outcome,
        measured: &'a Measured,
        saved: &'a [(String, &'a str)],
    ) -> Tuned<'a> {
        let trials = outcome
            .trials
            .iter()
            .zip(to_start(outcome))
            .map(|(trial, start)| {
                let dimension = &dimensions[trial.dimension];
                let workflows = measured
                    .workflows
                    .iter()
                    .enumerate()
                    .map(|(w, name)| {
                        let (candidate, against) = trial.samples(w);
                        let s = stats::summarize(&candidate);
                        Timed {
                            workflow: name,
                            median: s.map(|s| s.median),
                            min: s.map(|s| s.min),
                            max: s.map(|s| s.max),
                            against_median: stats::summarize(&against).map(|s| s.median),
                            samples: candidate,
                            against_samples: against,
                        }
                    })
                    .collect();
                Tried {
                    setting: &dimension.name,
                    value: &dimension.options[trial.option].label,
                    verdict: trial.verdict.name(),
                    error: match &trial.verdict {
                        Verdict::Failed(why) => Some(why),
                        _ => None,
                    },
                    pairs: trial.pairs.len(),
                    ratio: trial.ratio(),
                    ratio_to_start: start,
                    workflows,
                }
            })
            .collect();
        let kept = outcome
            .kept()
            .map(|t| Kept {
                setting: &dimensions[t.dimension].name,
                value: &dimensions[t.dimension].options[t.option].label,
            })
            .collect();
        let skipped = outcome.skipped.iter().map(|s| NotTried { setting: &s.dimension, reason: &s.reason }).collect();
        Tuned {
            workflows: &measured.workflows,
            elapsed_s: outcome.elapsed.as_secs_f64(),
            trials,
            kept,
            skipped,
            saved: saved.first().map(|(path, _)| path.as_str()),
            saved_as: saved.first().map(|(_, kind)| *kind),
            saved_files: saved.iter().map(|(path, kind)| Saved { path, kind }).collect(),
        }
    }
}

/// The chart `bench` draws: the start, then each candidate, each workflow's bars relative to
/// the start's median.
pub fn chart(dimensions: &[Dimension], outcome: &Outcome, measured: &Measured) -> String {
    let mut variants = vec![("start".to_owned(), "dev".to_owned())];
    variants.extend(
        outcome.trials.iter().filter(|t| !t.pairs.is_empty()).map(|t| (candidate(dimensions, t), "dev".to_owned())),
    );
    let metrics = measured
        .workflows
        .iter()
        .enumerate()
        .map(|(w, name)| {
            let start: Vec<f64> =
                outcome.trials.iter().filter(|t| t.against == outcome.start).flat_map(|t| t.samples(w).1).collect();
            let samples = std::iter::once(start)
                .chain(outcome.trials.iter().filter(|t| !t.pairs.is_empty()).map(|t| t.samples(w).0))
                .collect();
            Metric { name: format!("{name} (wall)"), unit: Unit::Seconds, samples }
        })
        .collect();
    stats::svg(&Report { variants, metrics })
}

/// The first line of a preset `tune` wrote: a later run may replace such a file.
pub const HEADER: &str = "# Written by `cargo presets tune`: run it again to measure afresh.";

/// The preset of the changes kept, or `None` when nothing won.
pub fn preset_text(dimensions: &[Dimension], outcome: &Outcome, measured: &Measured) -> Option<String> {
    part_text(dimensions, outcome, measured, &Part { dimensions: vec![true; dimensions.len()], other: None })
}

/// One file of a result split between places: the dimensions whose kept changes it holds, and
/// a sentence that names the file holding the others.
pub struct Part {
    pub dimensions: Vec<bool>,
    pub other: Option<String>,
}

/// The preset of the changes kept in `part`'s dimensions, or `None` when none of them won.
pub fn part_text(dimensions: &[Dimension], outcome: &Outcome, measured: &Measured, part: &Part) -> Option<String> {
    let kept: Vec<&Trial> = outcome.kept().filter(|t| part.dimensions[t.dimension]).collect();
    if kept.is_empty() {
        return None;
    }
    let changes: Vec<String> = kept.iter().map(|t| candidate(dimensions, t)).collect();
    let not_kept: Vec<String> = outcome
        .trials
        .iter()
        .filter(|t| t.verdict != Verdict::Win)
        .map(|t| format!("{} ({})", candidate(dimensions, t), t.verdict.name()))
        .collect();
    let mut doc = DocumentMut::new();
    doc["summary"] = value(format!(
        "Measured fastest for {} on this machine: {} (cargo presets tune, {})",
        measured.workflows.join(" and "),
        plural(changes.len(), "setting", "settings"),
        measured.date
    ));
    let mut description = format!(
        "Found by `{}` on {}, on {}, starting from the settings in effect then. Each setting \
         below won beyond the noise in interleaved runs against the settings before it; its \
         comment gives the medians.",
        measured.command, measured.date, measured.machine
    );
    if !not_kept.is_empty() {
        let _ = write!(description, " Tried and not kept: {}.", not_kept.join(", "));
    }
    let unreached: Vec<&str> =
        outcome.skipped.iter().filter(|s| s.reason == super::OUT_OF_BUDGET).map(|s| s.dimension.as_str()).collect();
    if !unreached.is_empty() {
        let _ = write!(description, " Not reached within the budget: {}.", unreached.join(", "));
    }
    if let Some(other) = &part.other {
        let _ = write!(description, " {other}");
    }
    description
        .push_str(" Measured on one machine and one workspace: run `cargo presets tune` again after either changes.");
    doc["description"] = value(crate::render::wrap(&description, 96).join("\n") + "\n");
    let mut sources = Array::new();
    sources.push(format!("{}, {} ({})", measured.command, measured.date, measured.machine));
    doc["sources"] = value(sources);
    // The other part's dimensions as they started: they write nothing here.
    let config: Vec<usize> =
        outcome.best.iter().zip(&part.dimensions).map(|(&option, &here)| if here { option } else { 0 }).collect();
    let writes = space::writes(dimensions, &config);
    insert_settings(&mut doc, &writes, |write| {
        let trial = kept
            .iter()
            .rev()
            .find(|t| {
                dimensions[t.dimension].options[t.option]
                    .writes
                    .iter()
                    .any(|w| w.table == write.table && w.key == write.key)
            })
            .expect("every write of the best configuration comes from a kept change");
        format!(
            "measured faster here: {}, {} pairs (x{:.2})",
            figures(trial, &measured.workflows),
            trial.pairs.len(),
            trial.ratio().unwrap_or(1.0)
        )
    });
    Some(format!("{HEADER}\n{doc}"))
}

/// A candidate of the search as a preset, to be composed and rendered like any other.
pub fn candidate_text(writes: &[Write]) -> String {
    let mut doc = DocumentMut::new();
    doc["summary"] = value("a candidate of `cargo presets tune`");
    insert_settings(&mut doc, writes, |_| "measured by `cargo presets tune`".to_owned());
    doc.to_string()
}

/// Each write as `key = { value = …, why = … }` in its table.
fn insert_settings(doc: &mut DocumentMut, writes: &[Write], why: impl Fn(&Write) -> String) {
    for write in writes {
        let mut setting = InlineTable::new();
        setting.insert("value", write.value.to_toml());
        setting.insert("why", why(write).into());
        let mut table = doc.as_table_mut();
        for key in &write.table {
            let entry = table.entry(key).or_insert_with(|| {
                let mut t = Table::new();
                t.set_implicit(true);
                Item::Table(t)
            });
            table = entry.as_table_mut().expect("tables only");
        }
        table.set_implicit(false);
        table.insert(&write.key, value(setting));
    }
}

/// `2026-11-23` for a time in seconds since 1970 (UTC; Howard Hinnant's days-to-civil).
pub fn date(unix: u64) -> String {
    let days = (unix / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::super::Choice;
    use super::*;
    use crate::cargo::schema::Value;
    use crate::preset::{self, Origin};

    fn space() -> Vec<Dimension> {
        let choice = |label: &str, table: &[&str], key: &str, value: Option<Value>| Choice {
            label: label.into(),
            writes: value
                .map(|value| Write { table: table.iter().map(|t| (*t).to_owned()).collect(), key: key.into(), value })
                .into_iter()
                .collect(),
            rank: None,
        };
        let deps = ["profile", "dev", "package", "*"];
        vec![
            Dimension {
                name: "debug info of dependencies".into(),
                options: vec![
                    choice("true (current)", &deps, "debug", None),
                    choice("false", &deps, "debug", Some(Value::Bool(false))),
                ],
                pointless: None,
                affects: vec![true; 2],
            },
            Dimension {
                name: "linker".into(),
                options: vec![
                    choice("the default", &["build"], "rustflags", None),
                    choice(
                        "mold",
                        &["build"],
                        "rustflags",
                        Some(Value::Array(vec!["-C".into(), "link-arg=-fuse-ld=mold".into()])),
                    ),
                ],
                pointless: None,
                affects: vec![true; 2],
            },
        ]
    }

    fn outcome() -> Outcome {
        let pairs = |c: f64, a: f64| {
            (0..4)
                .map(|i| {
                    (vec![Some(c + i as f64 * 0.1), Some(c / 10.0)], vec![Some(a + i as f64 * 0.1), Some(a / 10.0)])
                })
                .collect()
        };
        // Option 1 of `dimension` won: `config` measured against `against`.
        let win = |dimension, config, against, pairs| Trial {
            dimension,
            option: 1,
            config,
            against,
            pairs,
            verdict: Verdict::Win,
        };
        Outcome {
            start: vec![0, 0],
            best: vec![1, 1],
            trials: vec![
                win(0, vec![1, 0], vec![0, 0], pairs(15.0, 18.0)),
                win(1, vec![1, 1], vec![1, 0], pairs(13.0, 15.0)),
            ],
            skipped: vec![],
            elapsed: std::time::Duration::from_secs(300),
        }
    }

    #[test]
    fn the_preset_is_an_ordinary_preset_whose_comments_carry_the_figures() {
        let text = preset_text(&space(), &outcome(), &Measured::example()).unwrap();
        assert!(text.starts_with(HEADER), "{text}");
        let parsed = preset::parse("tuned", Origin::Builtin, &text).unwrap();
        assert_eq!(parsed.settings.len(), 1);
        assert_eq!(parsed.settings[0].value, Value::Bool(false));
        assert_eq!(
            parsed.settings[0].why,
            "measured faster here: build 15.1 s vs 18.1 s, rebuild 1.50 s vs 1.80 s, 4 pairs (x0.83)"
        );
        assert_eq!(parsed.config.len(), 1);
        assert!(
            parsed.description.contains("Found by `cargo presets tune --workflow build,rebuild` on 2026-11-23"),
            "{}",
            parsed.description
        );
        assert_eq!(
            parsed.summary,
            "Measured fastest for build and rebuild on this machine: 2 settings (cargo presets tune, 2026-11-23)"
        );
    }

    #[test]
    fn the_table_has_a_row_per_comparison_with_ratios_to_the_start() {
        let table = table(&space(), &outcome(), &Measured::example(), std::time::Duration::from_secs(600));
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].starts_with("2 comparisons in 5m (budget 10m)"), "{table}");
        assert!(
            lines[2].starts_with("debug info of dependencies = false")
                && lines[2].contains("x0.83")
                && lines[2].ends_with("kept"),
            "{table}"
        );
        // 0.83 of the start, then 0.87 of that: 0.72 of the start.
        assert!(lines[3].contains("x0.87   x0.72"), "{table}");
        let svg = chart(&space(), &outcome(), &Measured::example());
        // A candidate that failed is listed with the first error line of its build.
        let mut failed = outcome();
        failed.trials[1].pairs.clear();
        failed.trials[1].verdict =
            Verdict::Failed("   Compiling app\nerror: linking with `cc` failed: exit status: 1\n".into());
        let table = super::table(&space(), &failed, &Measured::example(), std::time::Duration::from_secs(600));
        let row: Vec<&str> = table.lines().nth(3).unwrap().split_whitespace().collect();
        assert_eq!(row, ["linker", "=", "mold", "-", "-", "-", "0", "failed"], "{table}");
        assert!(table.ends_with("failed: linker = mold: error: linking with `cc` failed: exit status: 1\n"), "{table}");
        assert!(svg.contains("linker = mold") && svg.contains(">start<"), "{svg}");
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_795_392_000), "2026-11-23");
        assert_eq!(date(951_782_400), "2000-02-29");
    }
}
