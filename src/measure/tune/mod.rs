//! `cargo presets tune`: the settings that make this workspace's workflows fastest, found by
//! measuring them.
//!
//! The search is coordinate descent: from the current settings, one setting (a [`Dimension`])
//! is changed at a time, and the change is kept only when it wins beyond the noise. Each
//! comparison runs the two configurations in interleaved pairs (A B A B …), so that a slow
//! moment of the machine hits both sides, and stops as soon as the pairs say win, loss or tie,
//! or at a cap. Everything here is pure: a [`Sampler`] builds and times a configuration (real
//! builds through [`workflows::Workflows`], a cost model with seeded noise in the tests).

pub mod report;
#[cfg(test)]
mod sim;
pub mod space;
pub mod workflows;

use std::time::Duration;

use crate::cargo::schema::Value;
use crate::error::Result;

/// One setting searched: the values tried, the first of which is the one the search starts
/// from (and writes nothing).
pub struct Dimension {
    /// As shown: `debug info of your crates`.
    pub name: String,
    pub options: Vec<Choice>,
    /// Why trying it would measure nothing in a configuration (split-debuginfo where no debug
    /// info is left to split), or `None`.
    pub pointless: Option<Pointless>,
    /// For each workflow, in the builder's order, whether the setting can change its time: the
    /// others are not run in its comparisons (debug info cannot change `check`, which generates
    /// no code), which saves their time and keeps their noise out of the verdict.
    pub affects: Vec<bool>,
}

/// Says why a dimension is pointless in a configuration (an option index per dimension).
pub type Pointless = Box<dyn Fn(&[usize]) -> Option<String>>;

/// One value of a dimension.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// As shown: `false`, `"line-tables-only"`, `mold`.
    pub label: String,
    /// What a preset writes for it; empty for the value the search starts from.
    pub writes: Vec<Write>,
    /// Where the value's cost is known to rise with it (debug info: none, line tables, limited,
    /// full), its place in that order: an option costlier than the best so far cannot win, nor
    /// one between the best and an option that did not win.
    pub rank: Option<u32>,
}

/// One key a preset writes: `[profile.dev.package."*"] debug = false`.
#[derive(Clone, Debug, PartialEq)]
pub struct Write {
    /// The table's keys: `["profile", "dev", "package", "*"]`.
    pub table: Vec<String>,
    pub key: String,
    pub value: Value,
}

/// A configuration: the index of the chosen option of each dimension.
pub type Config = Vec<usize>;

/// Seconds per workflow, `None` where the workflow was not run.
pub type Times = Vec<Option<f64>>;

/// What one build-and-time of a configuration gave.
#[derive(Clone, Debug, PartialEq)]
pub enum Sample {
    /// Seconds, one per workflow, in the order the builder was given them; `None` for one not
    /// run.
    Times(Times),
    /// The configuration does not build (or its binary does not run): why.
    Failed(String),
}

/// Builds a configuration and times each workflow once: [`workflows::Workflows`] over the
/// [`Builder`](crate::measure::builder::Builder) seam, a cost model in the search's tests.
pub trait Sampler {
    /// Times the workflows marked in `workflows` (one flag per workflow, in the builder's
    /// order). `label` says what is measured, for a progress line. An `Err` stops the search
    /// (Ctrl-C, a file that cannot be written); a configuration that fails is a
    /// [`Sample::Failed`].
    fn measure(&mut self, config: &[usize], workflows: &[bool], label: &str) -> Result<Sample>;
    /// The time spent since the search began, against which the budget is kept.
    fn elapsed(&self) -> Duration;
}

/// How long the search may take, and how much evidence a comparison needs.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub budget: Duration,
    /// Pairs before any verdict: fewer cannot estimate the noise.
    pub min_pairs: usize,
    /// Pairs after which a comparison still undecided is a tie.
    pub max_pairs: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { budget: Duration::from_secs(600), min_pairs: 3, max_pairs: 8 }
    }
}

/// How a comparison ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Faster beyond the noise: kept.
    Win,
    Loss,
    /// No difference beyond the noise, or none worth a setting.
    Tie,
    /// The candidate did not build: dropped.
    Failed(String),
    /// The budget ran out before the pairs decided.
    Unfinished,
}

impl Verdict {
    pub fn name(&self) -> &'static str {
        match self {
            Verdict::Win => "kept",
            Verdict::Loss => "slower",
            Verdict::Tie => "no difference",
            Verdict::Failed(_) => "failed",
            Verdict::Unfinished => "unfinished",
        }
    }
}

/// One comparison: the best configuration so far with one dimension changed, against it.
#[derive(Clone, Debug)]
pub struct Trial {
    pub dimension: usize,
    pub option: usize,
    pub config: Config,
    pub against: Config,
    /// Per pair, the candidate's and the comparator's times (one per workflow).
    pub pairs: Vec<(Times, Times)>,
    pub verdict: Verdict,
}

impl Trial {
    /// The candidate's time over the comparator's, the geometric mean over the pairs and the
    /// workflows (each workflow counts the same, however long it takes).
    pub fn ratio(&self) -> Option<f64> {
        let logs = pair_logs(&self.pairs);
        (!logs.is_empty()).then(|| (logs.iter().sum::<f64>() / logs.len() as f64).exp())
    }

    /// The candidate's and the comparator's samples of workflow `w`: none where the setting
    /// cannot change it.
    pub fn samples(&self, w: usize) -> (Vec<f64>, Vec<f64>) {
        self.pairs.iter().filter_map(|(c, a)| c[w].zip(a[w])).unzip()
    }
}

/// The reason given for what the budget left untried.
pub const OUT_OF_BUDGET: &str = "the budget ran out first";

/// A dimension not measured, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Skip {
    pub dimension: String,
    pub reason: String,
}

/// What the search found.
#[derive(Debug)]
pub struct Outcome {
    pub start: Config,
    pub best: Config,
    pub trials: Vec<Trial>,
    pub skipped: Vec<Skip>,
    pub elapsed: Duration,
}

impl Outcome {
    /// The trials whose change was kept, in the order they were found.
    pub fn kept(&self) -> impl Iterator<Item = &Trial> {
        self.trials.iter().filter(|t| t.verdict == Verdict::Win)
    }
}

/// Runs the search over `dimensions` from the configuration of all first options.
pub fn search(dimensions: &[Dimension], limits: &Limits, builder: &mut dyn Sampler) -> Result<Outcome> {
    let start: Config = vec![0; dimensions.len()];
    let mut best = start.clone();
    let mut trials = Vec::new();
    let mut skipped = Vec::new();
    // What the last pair cost, the first of a trial apart (it also builds what later ones reuse).
    let (mut first_pair, mut later_pair) = (Duration::ZERO, Duration::ZERO);
    let mut out_of_budget = false;
    for (d, dimension) in dimensions.iter().enumerate() {
        if out_of_budget {
            skipped.push(Skip { dimension: dimension.name.clone(), reason: OUT_OF_BUDGET.into() });
            continue;
        }
        if let Some(reason) = dimension.pointless.as_ref().and_then(|p| p(&best)) {
            skipped.push(Skip { dimension: dimension.name.clone(), reason });
            continue;
        }
        let affects = &dimension.affects;
        // The rank of the cheapest option that did not beat the current best.
        let mut lost: Option<u32> = None;
        for option in 1..dimension.options.len() {
            if let Some(why) = cannot_win(dimension, best[d], option, lost) {
                let name = format!("{} = {}", dimension.name, dimension.options[option].label);
                skipped.push(Skip { dimension: name, reason: why });
                continue;
            }
            let mut config = best.clone();
            config[d] = option;
            let mut trial =
                Trial { dimension: d, option, config, against: best.clone(), pairs: Vec::new(), verdict: Verdict::Tie };
            let verdict = loop {
                // A comparison is begun only if the pairs it needs before any verdict fit in
                // what is left: one that cannot finish would spend the budget on nothing.
                let estimate = if trial.pairs.is_empty() {
                    first_pair + later_pair * (limits.min_pairs.max(2) - 1) as u32
                } else {
                    later_pair
                };
                if builder.elapsed() + estimate > limits.budget {
                    out_of_budget = true;
                    break Verdict::Unfinished;
                }
                let before = builder.elapsed();
                let pair = trial.pairs.len() + 1;
                let what = format!("{} = {}", dimension.name, dimension.options[option].label);
                // The time left is the builder's to show: it changes while a build runs.
                let label = |side: &str| format!("{what}, {side} {pair}/{}", limits.max_pairs);
                // The comparator first in odd pairs, second in even ones: neither side always
                // runs right after the other's build.
                let (a, b) = if pair % 2 == 1 {
                    let a = builder.measure(&trial.against, affects, &label("current, pair"))?;
                    (a, builder.measure(&trial.config, affects, &label("candidate, pair"))?)
                } else {
                    let b = builder.measure(&trial.config, affects, &label("candidate, pair"))?;
                    (builder.measure(&trial.against, affects, &label("current, pair"))?, b)
                };
                let cost = builder.elapsed() - before;
                if trial.pairs.is_empty() {
                    first_pair = first_pair.max(cost)
                } else {
                    later_pair = cost
                }
                match (a, b) {
                    (Sample::Failed(why), _) => {
                        return Err(crate::error::Error::new("the current settings do not build").detail(why));
                    }
                    (_, Sample::Failed(why)) => break Verdict::Failed(why),
                    (Sample::Times(a), Sample::Times(b)) => trial.pairs.push((b, a)),
                }
                if let Some(verdict) = decide(&pair_logs(&trial.pairs), limits) {
                    break verdict;
                }
            };
            trial.verdict = verdict;
            match trial.verdict {
                Verdict::Win => {
                    best = trial.config.clone();
                    lost = None;
                }
                Verdict::Loss | Verdict::Tie => {
                    let rank = dimension.options[option].rank;
                    lost = match (lost, rank) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                }
                Verdict::Failed(_) | Verdict::Unfinished => {}
            }
            // Each setting gets one verdict: a comparison cut short is listed as unfinished,
            // one never begun as not tried.
            let unfinished = trial.verdict == Verdict::Unfinished;
            if unfinished && trial.pairs.is_empty() {
                // Once one of its values has a verdict, the setting is named with the values left.
                if trials.iter().any(|t: &Trial| t.dimension == d) {
                    skipped.extend(dimension.options[option..].iter().map(|o| Skip {
                        dimension: format!("{} = {}", dimension.name, o.label),
                        reason: OUT_OF_BUDGET.into(),
                    }));
                } else {
                    skipped.push(Skip { dimension: dimension.name.clone(), reason: OUT_OF_BUDGET.into() });
                }
                break;
            }
            trials.push(trial);
            if unfinished {
                break;
            }
        }
    }
    Ok(Outcome { start, best, trials, skipped, elapsed: builder.elapsed() })
}

/// Why `option` need not be measured against the current `best` option, from the order of
/// costs: it costs at least as much as the best, or lies between the best and a cheaper option
/// that did not win.
fn cannot_win(dimension: &Dimension, best: usize, option: usize, lost: Option<u32>) -> Option<String> {
    let (Some(rank), Some(best_rank)) = (dimension.options[option].rank, dimension.options[best].rank) else {
        return None;
    };
    let best_label = dimension.options[best].label.trim_end_matches(" (current)");
    if rank >= best_rank {
        return Some(format!("it costs more than {best_label}, so it cannot be faster"));
    }
    let cheaper = lost.filter(|lost| *lost < rank)?;
    let label = dimension.options.iter().find(|o| o.rank == Some(cheaper)).map_or("", |o| o.label.as_str());
    Some(format!("{label}, which costs less, was not faster than {best_label}"))
}

/// The log of the candidate-to-comparator ratio of each pair, averaged over the workflows run.
fn pair_logs(pairs: &[(Times, Times)]) -> Vec<f64> {
    pairs
        .iter()
        .map(|(candidate, against)| {
            let logs: Vec<f64> = candidate
                .iter()
                .zip(against)
                .filter_map(|(c, a)| c.zip(*a))
                .filter(|(c, a)| *c > 0.0 && *a > 0.0)
                .map(|(c, a)| (c / a).ln())
                .collect();
            if logs.is_empty() { 0.0 } else { logs.iter().sum::<f64>() / logs.len() as f64 }
        })
        .collect()
}

/// A change smaller than this is not worth a setting, however sure the measurement.
const WORTH: f64 = 0.02;

/// A verdict once the pairs say one, or `None` while more pairs are needed. `logs` are the
/// pairs' log ratios: a one-sided 99.5% interval of their mean decides. A win needs the whole
/// interval below -1% and the mean below -2%: a false win writes a setting that does nothing,
/// which is worse than missing a small one.
fn decide(logs: &[f64], limits: &Limits) -> Option<Verdict> {
    let n = logs.len();
    if n < limits.min_pairs.max(2) {
        return None;
    }
    let mean = logs.iter().sum::<f64>() / n as f64;
    let variance = logs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let margin = t995(n - 1) * (variance / n as f64).sqrt();
    let worth = (1.0 - WORTH).ln().abs();
    if mean + margin < -worth / 2.0 && mean < -worth {
        Some(Verdict::Win)
    } else if mean - margin > 0.0 {
        Some(Verdict::Loss)
    } else if (mean + margin < worth && mean - margin > -worth) || n >= limits.max_pairs {
        // Sure that the difference is too small to matter, or out of pairs.
        Some(Verdict::Tie)
    } else {
        None
    }
}

/// Student's t, one-sided 99.5%, for `df` degrees of freedom.
fn t995(df: usize) -> f64 {
    const TABLE: [f64; 12] = [63.66, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.250, 3.169, 3.106, 3.055];
    TABLE.get(df.saturating_sub(1)).copied().unwrap_or(2.95)
}

/// `7m40s`, `45s`.
pub fn minutes(time: Duration) -> String {
    let secs = time.as_secs();
    match (secs / 60, secs % 60) {
        (0, s) => format!("{s}s"),
        (m, 0) => format!("{m}m"),
        (m, s) => format!("{m}m{s:02}s"),
    }
}

/// `10m`, `90s`, `1h30m`, `15m30s`: a budget as people write it.
pub fn parse_duration(text: &str) -> std::result::Result<Duration, String> {
    let mut total = 0u64;
    let mut number = String::new();
    for c in text.trim().chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        let unit = match c {
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return Err(format!("`{text}` is not a duration: `{c}` is not h, m or s")),
        };
        let value: u64 =
            number.parse().map_err(|_| format!("`{text}` is not a duration: a number must come before `{c}`"))?;
        total += value * unit;
        number.clear();
    }
    if !number.is_empty() {
        return Err(format!("`{text}` is not a duration: say the unit, as in `{number}m` or `{number}s`"));
    }
    if total == 0 {
        return Err(format!("`{text}` is not a duration: write one like `10m`, `90s` or `1h30m`"));
    }
    Ok(Duration::from_secs(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_write_them() {
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("15m30s"), Ok(Duration::from_secs(930)));
        assert!(parse_duration("10").unwrap_err().contains("say the unit"));
        assert!(parse_duration("5d").unwrap_err().contains("`d` is not h, m or s"));
        assert!(parse_duration("0s").is_err());
        assert_eq!(minutes(Duration::from_secs(460)), "7m40s");
        assert_eq!(minutes(Duration::from_secs(45)), "45s");
    }

    #[test]
    fn verdicts_need_evidence_and_an_effect_worth_a_setting() {
        let limits = Limits::default();
        let ln = |r: f64| r.ln();
        // Two pairs never decide.
        assert_eq!(decide(&[ln(0.5), ln(0.5)], &limits), None);
        assert_eq!(decide(&[ln(0.70), ln(0.72), ln(0.71)], &limits), Some(Verdict::Win));
        assert_eq!(decide(&[ln(1.30), ln(1.28), ln(1.31)], &limits), Some(Verdict::Loss));
        // Sure, but 1%: not worth a setting.
        assert_eq!(decide(&[ln(0.99), ln(0.991), ln(0.989)], &limits), Some(Verdict::Tie));
        // Noisy: more pairs, then a tie at the cap.
        let noisy = [ln(0.9), ln(1.1), ln(0.95), ln(1.04)];
        assert_eq!(decide(&noisy, &limits), None);
        let capped: Vec<f64> = noisy.iter().cycle().take(limits.max_pairs).copied().collect();
        assert_eq!(decide(&capped, &limits), Some(Verdict::Tie));
    }
}
