//! The seam between what `bench` and `tune` decide and the builds they time: a [`Builder`]
//! builds one variant for one step and says how long it took. [`Cargo`] runs real cargo in a
//! [`Sandbox`]; the tests use a simulated builder, so that the decisions above it (the order
//! of the runs, medians, ratios, verdicts) are tested in milliseconds.

use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::measure::sandbox::{Sandbox, Variant, clean, disk_usage, executables, run_binary};
use crate::ops::Context;

/// A build step, each in a target directory of its own: clean builds start from an empty one,
/// and `Rebuild` reuses `Build`'s (building it first if it was not built).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Check,
    /// `cargo test --no-run`.
    Test,
    Build,
    /// A member's source touched, then `cargo build` over the last build.
    Rebuild,
}

/// What a step gave.
#[derive(Clone, Debug, PartialEq)]
pub enum Built {
    /// Wall time and, where the platform says, the CPU time of cargo and the compilers.
    Timed { wall: f64, cpu: Option<f64> },
    /// The build failed: the last lines cargo printed.
    Failed(String),
}

/// Builds variants and times them. An `Err` ends the measurement (a signal, a file that cannot
/// be written); a variant that does not build is [`Built::Failed`].
pub trait Builder {
    /// Adds a variant to build; its index names it from then on.
    fn add(&mut self, variant: Variant) -> usize;
    /// Runs `step` for a variant; `label` says what is measured, for a progress line.
    fn build(&mut self, variant: usize, step: Step, label: &str) -> Result<Built>;
    /// The bytes of the executables of the variant's last build, and of its target directory.
    fn sizes(&mut self, variant: usize) -> Result<(u64, u64)>;
    /// Runs the first executable of the variant's last build; `Ok(Err(why))` when it fails.
    fn run(&mut self, variant: usize) -> Result<std::result::Result<f64, String>>;
    /// The time since the builder was made.
    fn elapsed(&self) -> Duration;
}

/// Cargo on the private copy of a workspace.
pub struct Cargo<'c, 'a> {
    ctx: &'c mut Context<'a>,
    sandbox: &'c Sandbox,
    run_args: String,
    variants: Vec<Variant>,
    /// Per variant, whether its `build` directory holds a build to rebuild from.
    built: Vec<bool>,
    started: Instant,
}

impl<'c, 'a> Cargo<'c, 'a> {
    pub fn new(ctx: &'c mut Context<'a>, sandbox: &'c Sandbox, run_args: &str) -> Cargo<'c, 'a> {
        Cargo {
            ctx,
            sandbox,
            run_args: run_args.to_owned(),
            variants: Vec::new(),
            built: Vec::new(),
            started: Instant::now(),
        }
    }

    fn cargo(&mut self, variant: usize, dir: &str, subcommand: &[&str], label: &str) -> Result<Built> {
        let variant = &self.variants[variant];
        let variant = Variant { target: variant.target.join(dir), ..variant.clone() };
        Ok(match self.sandbox.cargo(self.ctx, &variant, subcommand, label)? {
            Ok((wall, cpu)) => Built::Timed { wall, cpu },
            Err(tail) => Built::Failed(tail),
        })
    }

    /// The output directory of the variant's `build` step.
    fn outputs(&self, variant: usize) -> std::path::PathBuf {
        let variant = &self.variants[variant];
        variant.outputs(&variant.target.join("build"))
    }
}

impl Builder for Cargo<'_, '_> {
    fn add(&mut self, variant: Variant) -> usize {
        self.variants.push(variant);
        self.built.push(false);
        self.variants.len() - 1
    }

    fn build(&mut self, v: usize, step: Step, label: &str) -> Result<Built> {
        let target = self.variants[v].target.clone();
        let clean_in = |dir: &str| clean(&target.join(dir));
        match step {
            Step::Check => {
                clean_in("check");
                self.cargo(v, "check", &["check"], label)
            }
            Step::Test => {
                clean_in("test");
                self.cargo(v, "test", &["test", "--no-run"], label)
            }
            Step::Build => {
                clean_in("build");
                let built = self.cargo(v, "build", &["build"], label)?;
                self.built[v] = matches!(built, Built::Timed { .. });
                Ok(built)
            }
            Step::Rebuild => {
                if !self.built[v] {
                    let first = self.cargo(v, "build", &["build"], &format!("{label} (first build)"))?;
                    if let Built::Failed(_) = first {
                        return Ok(first);
                    }
                    self.built[v] = true;
                }
                self.sandbox.touch()?;
                self.cargo(v, "build", &["build"], label)
            }
        }
    }

    fn sizes(&mut self, v: usize) -> Result<(u64, u64)> {
        let binaries = executables(&self.outputs(v));
        let size = binaries.iter().filter_map(|b| std::fs::metadata(b).ok()).map(|m| m.len()).sum();
        Ok((size, disk_usage(&self.variants[v].target.join("build"))))
    }

    fn run(&mut self, v: usize) -> Result<std::result::Result<f64, String>> {
        let binary = executables(&self.outputs(v))
            .into_iter()
            .next()
            .ok_or_else(|| Error::new("`--workflow run` needs a binary target in the workspace"))?;
        Ok(run_binary(&binary, &self.run_args, self.sandbox.root()).map_err(|e| e.to_string()))
    }

    fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}
