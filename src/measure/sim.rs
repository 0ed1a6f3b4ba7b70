//! A simulated [`Builder`] for the tests of `bench` and `tune`: each step of each variant takes
//! a set time, a little longer each time it runs (so that runs differ), and every build is
//! logged by its label.

use std::time::Duration;

use crate::error::Result;
use crate::measure::builder::{Builder, Built, Step};
use crate::measure::sandbox::Variant;

pub struct Simulated {
    /// Per variant, the seconds of check, test, build and rebuild.
    pub times: Vec<[f64; 4]>,
    /// A step of a variant that fails to build.
    pub fails: Option<(usize, Step)>,
    /// Whether the built binaries fail when run.
    pub run_fails: bool,
    /// The label of every build, in order.
    pub log: Vec<String>,
    /// Builds run, the first build of a rebuild included.
    pub builds: usize,
    /// The names of the variants added.
    pub added: Vec<String>,
    built: Vec<bool>,
    runs: Vec<(usize, Step)>,
    clock: f64,
}

impl Simulated {
    pub fn new(times: Vec<[f64; 4]>) -> Simulated {
        Simulated {
            built: vec![false; times.len()],
            times,
            fails: None,
            run_fails: false,
            log: Vec::new(),
            builds: 0,
            added: Vec::new(),
            runs: Vec::new(),
            clock: 0.0,
        }
    }

    /// The step's time: 1% more for each earlier run of the same step of the same variant.
    fn time(&mut self, variant: usize, step: Step) -> Built {
        self.builds += 1;
        if self.fails == Some((variant, step)) {
            return Built::Failed("error: could not compile `app`".into());
        }
        let earlier = self.runs.iter().filter(|r| **r == (variant, step)).count();
        self.runs.push((variant, step));
        let column = [Step::Check, Step::Test, Step::Build, Step::Rebuild].iter().position(|s| *s == step).unwrap();
        let wall = self.times[variant][column] * (100 + earlier) as f64 / 100.0;
        self.clock += wall;
        Built::Timed { wall, cpu: Some(2.0 * wall) }
    }
}

impl Builder for Simulated {
    fn add(&mut self, variant: Variant) -> usize {
        self.added.push(variant.name);
        self.added.len() - 1
    }

    fn build(&mut self, variant: usize, step: Step, label: &str) -> Result<Built> {
        self.log.push(label.to_owned());
        if step == Step::Rebuild && !self.built[variant] {
            if let failed @ Built::Failed(_) = self.time(variant, Step::Build) {
                return Ok(failed);
            }
            self.built[variant] = true;
        }
        let built = self.time(variant, step);
        if step == Step::Build {
            self.built[variant] = matches!(built, Built::Timed { .. });
        }
        Ok(built)
    }

    fn sizes(&mut self, _: usize) -> Result<(u64, u64)> {
        Ok((1000, 50_000))
    }

    fn run(&mut self, _: usize) -> Result<std::result::Result<f64, String>> {
        Ok(if self.run_fails { Err("`app` failed (exit status: 1)".into()) } else { Ok(0.01) })
    }

    fn elapsed(&self) -> Duration {
        Duration::from_secs_f64(self.clock)
    }
}
