//! `bench` results: medians, the side-by-side table, JSON, and an SVG chart.
//!
//! Pure: `ops::bench` runs the builds and hands over the samples.

use std::fmt::Write;

use serde::Serialize;

/// What a workflow measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    Bytes,
}

/// One measured quantity (a row of the table), with the samples of each variant (a column).
#[derive(Debug)]
pub struct Metric {
    pub name: String,
    pub unit: Unit,
    /// Per variant, in the order of `Report::variants`; empty where not measured.
    pub samples: Vec<Vec<f64>>,
}

/// Everything one `bench` run measured. The first variant is the baseline.
#[derive(Debug)]
pub struct Report {
    /// `(name, profile)` of each variant.
    pub variants: Vec<(String, String)>,
    pub metrics: Vec<Metric>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

pub fn summarize(samples: &[f64]) -> Option<Summary> {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = match n {
        0 => return None,
        _ if n % 2 == 1 => sorted[n / 2],
        _ => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    };
    Some(Summary { median, min: sorted[0], max: sorted[n - 1] })
}

/// The ratio of a variant's median to the baseline's, where both exist and the baseline is not 0.
pub fn ratio(metric: &Metric, variant: usize) -> Option<f64> {
    let base = summarize(&metric.samples[0])?.median;
    let this = summarize(&metric.samples[variant])?.median;
    (base > 0.0).then(|| this / base)
}

pub fn format(value: f64, unit: Unit) -> String {
    match unit {
        // A few hundredths of a second read as `0.00 s`; milliseconds say what was measured.
        Unit::Seconds if value < 0.1 => format!("{:.0} ms", value * 1000.0),
        Unit::Seconds if value < 10.0 => format!("{value:.2} s"),
        Unit::Seconds => format!("{value:.1} s"),
        Unit::Bytes if value >= 1e6 => format!("{:.1} MB", value / 1e6),
        Unit::Bytes if value >= 1e3 => format!("{:.1} kB", value / 1e3),
        Unit::Bytes => format!("{value:.0} B"),
    }
}

/// The side-by-side table: a row per metric, a column per variant with the median (and the
/// range when there were several runs) and, after the baseline, the ratio to it.
pub fn table(report: &Report) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header = vec![String::new()];
    for (i, (name, profile)) in report.variants.iter().enumerate() {
        header.push(if i == 0 { format!("{name} (baseline)") } else { format!("{name} [{profile}]") });
    }
    rows.push(header);
    for metric in report.metrics.iter().filter(|m| !all_zero(m)) {
        let mut row = vec![metric.name.clone()];
        for (i, samples) in metric.samples.iter().enumerate() {
            let Some(s) = summarize(samples) else {
                row.push("-".into());
                continue;
            };
            let mut cell = format(s.median, metric.unit);
            if format(s.min, metric.unit) != format(s.max, metric.unit) {
                // `(16.1-18.1 s)`: the unit once, after the range.
                let low = format(s.min, metric.unit);
                let low = low.rsplit_once(' ').map_or(low.as_str(), |(number, _)| number);
                let _ = write!(cell, " ({low}-{})", format(s.max, metric.unit));
            }
            if i > 0
                && let Some(r) = ratio(metric, i)
            {
                let _ = write!(cell, "  x{r:.2}");
            }
            row.push(cell);
        }
        rows.push(row);
    }
    let widths: Vec<usize> =
        (0..rows[0].len()).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        out.push_str(cells.join("   ").trim_end());
        out.push('\n');
    }
    out
}

/// A metric where nothing was measured for anyone (a CPU time the platform does not report).
fn all_zero(metric: &Metric) -> bool {
    metric.samples.iter().flatten().all(|v| *v == 0.0)
}

/// `bench`'s report as `--format json` gives it: the variants, and for each metric every
/// variant's samples, their median and range, and the ratio to the baseline.
#[derive(Serialize)]
pub struct Json<'a> {
    variants: Vec<Named<'a>>,
    metrics: Vec<Measured<'a>>,
}

#[derive(Serialize)]
struct Named<'a> {
    name: &'a str,
    profile: &'a str,
}

#[derive(Serialize)]
struct Measured<'a> {
    metric: &'a str,
    /// `s` or `bytes`.
    unit: &'static str,
    values: Vec<Values<'a>>,
}

/// One variant's samples of a metric.
#[derive(Serialize)]
struct Values<'a> {
    variant: &'a str,
    samples: &'a [f64],
    median: Option<f64>,
    min: Option<f64>,
    max: Option<f64>,
    /// To the baseline's median; `None` for the baseline itself.
    ratio: Option<f64>,
}

impl<'a> Json<'a> {
    pub fn of(report: &'a Report) -> Json<'a> {
        let variants = report.variants.iter().map(|(name, profile)| Named { name, profile }).collect();
        let metrics = report
            .metrics
            .iter()
            .map(|m| {
                let values = m
                    .samples
                    .iter()
                    .enumerate()
                    .map(|(i, samples)| {
                        let s = summarize(samples);
                        Values {
                            variant: &report.variants[i].0,
                            samples,
                            median: s.map(|s| s.median),
                            min: s.map(|s| s.min),
                            max: s.map(|s| s.max),
                            ratio: if i == 0 { None } else { ratio(m, i) },
                        }
                    })
                    .collect();
                let unit = match m.unit {
                    Unit::Seconds => "s",
                    Unit::Bytes => "bytes",
                };
                Measured { metric: &m.name, unit, values }
            })
            .collect();
        Json { variants, metrics }
    }
}

/// A bar chart: one group per metric, one bar per variant, scaled to the baseline (= 1).
pub fn svg(report: &Report) -> String {
    const BAR: f64 = 18.0;
    const LABEL: f64 = 190.0;
    const SCALE: f64 = 300.0; // pixels for a ratio of 1
    const COLORS: [&str; 6] = ["#888888", "#3b7dd8", "#e07b39", "#3aa655", "#b85cc8", "#c9a227"];
    let groups: Vec<&Metric> =
        report.metrics.iter().filter(|m| summarize(&m.samples[0]).is_some() && !all_zero(m)).collect();
    let height =
        40.0 + groups.len() as f64 * (report.variants.len() as f64 * BAR + 16.0) + 20.0 * report.variants.len() as f64;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">\n",
        LABEL + SCALE * 2.0 + 120.0
    );
    let _ = writeln!(
        svg,
        "<text x=\"10\" y=\"20\" font-size=\"14\">cargo presets bench: each bar relative to the baseline (grey); lower is better; the line across a bar spans the fastest to the slowest run</text>"
    );
    let mut y = 36.0;
    for metric in groups {
        let _ = writeln!(svg, "<text x=\"10\" y=\"{}\">{}</text>", y + BAR, escape(&metric.name));
        for (i, (name, _)) in report.variants.iter().enumerate() {
            let r = if i == 0 { Some(1.0) } else { ratio(metric, i) };
            if let (Some(r), Some(s)) = (r, summarize(&metric.samples[i])) {
                let width = (r * SCALE).min(SCALE * 2.0);
                let _ = writeln!(
                    svg,
                    "<rect x=\"{LABEL}\" y=\"{y}\" width=\"{width:.1}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
                    BAR - 2.0,
                    COLORS[i % COLORS.len()],
                    escape(name),
                    format(s.median, metric.unit)
                );
                let base = summarize(&metric.samples[0]).map_or(0.0, |b| b.median);
                if s.min < s.max && base > 0.0 {
                    let (low, high) =
                        ((s.min / base * SCALE).min(SCALE * 2.0), (s.max / base * SCALE).min(SCALE * 2.0));
                    let middle = y + (BAR - 2.0) / 2.0;
                    let _ = writeln!(
                        svg,
                        "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{middle}\" y2=\"{middle}\" stroke=\"black\"/>",
                        LABEL + low,
                        LABEL + high
                    );
                }
                let _ = writeln!(
                    svg,
                    "<text x=\"{:.1}\" y=\"{}\">{} (x{r:.2})</text>",
                    LABEL + width + 6.0,
                    y + BAR - 5.0,
                    format(s.median, metric.unit)
                );
            }
            y += BAR;
        }
        y += 16.0;
    }
    for (i, (name, _)) in report.variants.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<rect x=\"10\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"28\" y=\"{}\">{}</text>",
            COLORS[i % COLORS.len()],
            y + 10.0,
            escape(name)
        );
        y += 20.0;
    }
    svg.push_str("</svg>\n");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        Report {
            variants: vec![("dev".into(), "dev".into()), ("fast-dev".into(), "dev".into())],
            metrics: vec![
                Metric {
                    name: "build (wall)".into(),
                    unit: Unit::Seconds,
                    samples: vec![vec![20.0, 22.0, 21.0], vec![17.0, 18.0, 19.0]],
                },
                Metric { name: "target-size".into(), unit: Unit::Bytes, samples: vec![vec![335e6], vec![183e6]] },
            ],
        }
    }

    #[test]
    fn medians_and_ratios() {
        assert_eq!(summarize(&[3.0, 1.0, 2.0]), Some(Summary { median: 2.0, min: 1.0, max: 3.0 }));
        assert_eq!(summarize(&[4.0, 1.0]).unwrap().median, 2.5);
        assert_eq!(summarize(&[]), None);
        let r = report();
        assert!((ratio(&r.metrics[0], 1).unwrap() - 18.0 / 21.0).abs() < 1e-9);
    }

    #[test]
    fn table_puts_variants_side_by_side_with_ratios() {
        let table = table(&report());
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[0].contains("dev (baseline)") && lines[0].contains("fast-dev [dev]"), "{table}");
        assert!(
            lines[1].starts_with("build (wall)")
                && lines[1].contains("21.0 s (20.0-22.0 s)")
                && lines[1].contains("x0.86"),
            "{table}"
        );
        assert!(lines[2].contains("335.0 MB") && lines[2].contains("183.0 MB  x0.55"), "{table}");
    }

    #[test]
    fn chart_is_an_svg_with_a_bar_per_variant_and_metric() {
        let svg = svg(&report());
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<rect x=\"190\"").count(), 4);
        assert!(svg.contains("lower is better"));
        // Only the build times had several runs: a range line for each of their two bars.
        assert_eq!(svg.matches("<line ").count(), 2);
    }

    #[test]
    fn short_times_show_in_milliseconds_and_unmeasured_rows_are_left_out() {
        assert_eq!(format(0.004, Unit::Seconds), "4 ms");
        assert_eq!(format(0.35, Unit::Seconds), "0.35 s");
        let mut r = report();
        r.metrics.push(Metric { name: "check (CPU)".into(), unit: Unit::Seconds, samples: vec![vec![0.0], vec![0.0]] });
        let table = table(&r);
        assert!(!table.contains("check (CPU)") && !table.contains("0.00 s"), "{table}");
    }
}
