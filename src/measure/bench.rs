//! What `bench` decides, on the [`Builder`] seam: the order of the runs (each run builds every
//! variant in turn, so that a slow moment of the machine hits them all), which metrics each
//! workflow gives, and what it says when a preset cannot change a workflow. `ops::bench` makes
//! the variants; [`stats`](super::stats) turns the samples into medians and ratios.

use crate::cargo::schema::Key;
use crate::error::{Error, Result};
use crate::measure::builder::{Builder, Built, Step};
use crate::measure::stats::{Metric, Report, Unit};
use crate::measure::workflow::Workflow;

/// Runs every workflow of every variant `runs` times, interleaved: run 1 of each variant in
/// order, then run 2, …. `variants` are `(name, profile)`, added to `builder` in this order;
/// the first is the baseline. A build that fails ends the measurement with its output.
pub fn measure(
    builder: &mut dyn Builder,
    variants: &[(String, String)],
    workflows: &[Workflow],
    runs: u32,
) -> Result<Report> {
    let wants = |w: Workflow| workflows.contains(&w);
    let mut metrics: Vec<Metric> = Vec::new();
    let mut record = |name: &str, unit: Unit, variant: usize, value: f64| {
        let index = match metrics.iter().position(|m| m.name == name) {
            Some(i) => i,
            None => {
                metrics.push(Metric { name: name.to_owned(), unit, samples: vec![Vec::new(); variants.len()] });
                metrics.len() - 1
            }
        };
        metrics[index].samples[variant].push(value);
    };
    let runs = runs.max(1);
    for run in 1..=runs {
        for (i, (name, _)) in variants.iter().enumerate() {
            let label = |what: &str| format!("{name} ({what}, run {run}/{runs})");
            let timed = |builder: &mut dyn Builder, step: Step, what: &str| -> Result<(f64, Option<f64>)> {
                let label = label(what);
                match builder.build(i, step, &label)? {
                    Built::Timed { wall, cpu } => Ok((wall, cpu)),
                    Built::Failed(tail) => {
                        Err(Error::new(format!("the build for {label} failed")).detail(tail.replace('\n', "\n  ")))
                    }
                }
            };
            if wants(Workflow::Check) {
                let (wall, cpu) = timed(builder, Step::Check, "check")?;
                record("check (wall)", Unit::Seconds, i, wall);
                cpu.into_iter().for_each(|c| record("check (CPU)", Unit::Seconds, i, c));
            }
            let needs_build = [Workflow::Build, Workflow::Rebuild, Workflow::Size, Workflow::TargetSize, Workflow::Run];
            if needs_build.iter().any(|w| wants(*w)) {
                let (wall, cpu) = timed(builder, Step::Build, "build")?;
                if wants(Workflow::Build) {
                    record("build (wall)", Unit::Seconds, i, wall);
                    cpu.into_iter().for_each(|c| record("build (CPU)", Unit::Seconds, i, c));
                }
                if wants(Workflow::Size) || wants(Workflow::TargetSize) {
                    let (binaries, target) = builder.sizes(i)?;
                    if wants(Workflow::Size) {
                        record("binary size", Unit::Bytes, i, binaries as f64);
                    }
                    if wants(Workflow::TargetSize) {
                        record("target dir", Unit::Bytes, i, target as f64);
                    }
                }
                if wants(Workflow::Run) {
                    let time = builder.run(i)?.map_err(Error::new)?;
                    record("run", Unit::Seconds, i, time);
                }
                if wants(Workflow::Rebuild) {
                    let (wall, _) = timed(builder, Step::Rebuild, "rebuild")?;
                    record("rebuild (wall)", Unit::Seconds, i, wall);
                }
            }
            if wants(Workflow::Test) {
                let (wall, cpu) = timed(builder, Step::Test, "test build")?;
                record("test build (wall)", Unit::Seconds, i, wall);
                cpu.into_iter().for_each(|c| record("test build (CPU)", Unit::Seconds, i, c));
            }
        }
    }
    Ok(Report { variants: variants.to_vec(), metrics })
}

/// What to say when the runs asked for cannot tell a time from noise: one run per variant of
/// a timed workflow (a size needs only one).
pub fn too_few_runs(runs: u32, workflows: &[Workflow]) -> Option<&'static str> {
    let timed = [Workflow::Check, Workflow::Build, Workflow::Rebuild, Workflow::Test, Workflow::Run];
    (runs <= 1 && workflows.iter().any(|w| timed.contains(w))).then_some(
        "one run per variant cannot tell a difference from noise: build times move by several percent between runs on the same machine\n\
         help: use `--runs 3` or more before trusting a time; sizes need only one run",
    )
}

/// What to say when a preset cannot change `check`: its `keys` (the settings of the profiles its
/// builds use) all act in code generation, which `cargo check` does not run, so its `check`
/// column differs from the baseline's by noise alone, which a bare ratio hides. A preset with
/// config settings (flags) may change anything.
pub fn cannot_change_check(name: &str, keys: &[Key], has_config: bool) -> Option<String> {
    if keys.is_empty() || has_config || !keys.iter().all(|k| k.codegen_only()) {
        return None;
    }
    let mut names: Vec<&str> = keys.iter().map(|k| k.name()).collect();
    names.dedup();
    Some(format!(
        "`{name}` cannot change `check`: its settings ({}) act only in code generation, which `cargo check` does not run, so its `check` figures differ by noise alone",
        names.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::sim::Simulated;
    use crate::measure::stats::{self, ratio, summarize};

    fn variants() -> Vec<(String, String)> {
        vec![("dev".into(), "dev".into()), ("fast-dev".into(), "dev".into())]
    }

    /// The baseline builds in 20 s (check 5 s, rebuild 2 s); the preset in 15 s (check the same,
    /// rebuild 1 s), each run of the same step a little slower than the last.
    fn builder() -> Simulated {
        Simulated::new(vec![[5.0, 30.0, 20.0, 2.0], [5.0, 25.0, 15.0, 1.0]])
    }

    #[test]
    fn runs_are_interleaved_across_variants_and_each_clean_build_precedes_its_rebuild() {
        let mut builder = builder();
        let all = [Workflow::Check, Workflow::Build, Workflow::Rebuild, Workflow::Test];
        measure(&mut builder, &variants(), &all, 2).unwrap();
        let order: Vec<&str> = builder.log.iter().map(String::as_str).collect();
        let run = |run: u32| {
            ["dev", "fast-dev"].map(|name| {
                ["check", "build", "rebuild", "test build"].map(|what| format!("{name} ({what}, run {run}/2)"))
            })
        };
        let expected: Vec<String> = [run(1), run(2)].into_iter().flatten().flatten().collect();
        assert_eq!(order, expected);
        // The rebuild reused the build before it: no extra build.
        assert_eq!(builder.builds, 2 * 2 * 4);
    }

    #[test]
    fn medians_ratios_and_cpu_come_from_the_samples_of_each_variant() {
        let mut builder = builder();
        let report = measure(&mut builder, &variants(), &[Workflow::Build, Workflow::Rebuild], 3).unwrap();
        let names: Vec<&str> = report.metrics.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["build (wall)", "build (CPU)", "rebuild (wall)"]);
        let build = &report.metrics[0];
        assert_eq!(build.samples[0], [20.0, 20.2, 20.4]);
        assert_eq!(summarize(&build.samples[1]).unwrap().median, 15.15);
        assert!((ratio(build, 1).unwrap() - 0.75).abs() < 1e-9, "{:?}", ratio(build, 1));
        assert!((ratio(&report.metrics[2], 1).unwrap() - 0.5).abs() < 1e-9);
        // CPU is twice the wall time in the simulation.
        assert_eq!(report.metrics[1].samples[0], [40.0, 40.4, 40.8]);
        let table = stats::table(&report);
        assert!(table.contains("20.2 s (20.0-20.4 s)") && table.contains("x0.75"), "{table}");
    }

    #[test]
    fn sizes_and_runs_are_read_from_the_build_of_each_run() {
        let mut builder = builder();
        let workflows = [Workflow::Size, Workflow::TargetSize, Workflow::Run];
        let report = measure(&mut builder, &variants(), &workflows, 1).unwrap();
        let names: Vec<&str> = report.metrics.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["binary size", "target dir", "run"]);
        assert_eq!(report.metrics[0].samples, [vec![1000.0], vec![1000.0]]);
        assert_eq!(report.metrics[0].unit, Unit::Bytes);
        // One untimed build per variant, for the sizes and the binary.
        assert_eq!(builder.log, ["dev (build, run 1/1)", "fast-dev (build, run 1/1)"]);
    }

    #[test]
    fn a_build_that_fails_ends_the_measurement_with_its_output() {
        let mut builder = builder();
        builder.fails = Some((1, Step::Build));
        let error = measure(&mut builder, &variants(), &[Workflow::Build], 2).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the build for fast-dev (build, run 1/2) failed\n  error: could not compile `app`"
        );
        assert_eq!(builder.log.len(), 2, "nothing more is built");
        builder.fails = None;
        builder.run_fails = true;
        let error = measure(&mut builder, &variants(), &[Workflow::Run], 1).unwrap_err();
        assert!(error.to_string().contains("exit status: 1"), "{error}");
    }

    #[test]
    fn one_run_of_a_timed_workflow_is_flagged_and_one_of_sizes_is_not() {
        assert!(too_few_runs(1, &[Workflow::Size, Workflow::Rebuild]).unwrap().contains("--runs 3"));
        assert_eq!(too_few_runs(1, &[Workflow::Size, Workflow::TargetSize]), None);
        assert_eq!(too_few_runs(3, &[Workflow::Build]), None);
    }

    #[test]
    fn a_preset_of_code_generation_settings_cannot_change_check() {
        let note = cannot_change_check("fast-dev", &[Key::Debug, Key::Debug, Key::SplitDebuginfo], false).unwrap();
        assert_eq!(
            note,
            "`fast-dev` cannot change `check`: its settings (debug, split-debuginfo) act only in code generation, which `cargo check` does not run, so its `check` figures differ by noise alone"
        );
        // `opt-level` sets `cfg`s that a check sees; flags may do anything; nothing says nothing.
        assert_eq!(cannot_change_check("x", &[Key::Debug, Key::OptLevel], false), None);
        assert_eq!(cannot_change_check("x", &[Key::Debug], true), None);
        assert_eq!(cannot_change_check("x", &[], false), None);
    }
}
