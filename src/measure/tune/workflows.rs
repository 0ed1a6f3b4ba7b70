//! The configurations of the search, built and timed on the [`Builder`] seam `bench` uses:
//! each configuration becomes a variant the first time it is measured, and each workflow a
//! build step (the clean ones from scratch, `rebuild` and `run` over the last build).

use std::collections::HashMap;

use crate::error::Result;
use crate::measure::builder::{Builder, Built, Step};
use crate::measure::sandbox::Variant;
use crate::measure::workflow::Workflow;

use super::{Config, Sample, Sampler};

/// A [`Sampler`] over a [`Builder`]: `prepare` makes the variant of a configuration (given
/// its index among those made so far).
pub struct Workflows<'b, P> {
    builder: &'b mut dyn Builder,
    workflows: &'b [Workflow],
    /// As the user names them, for the progress lines.
    names: &'b [String],
    prepare: P,
    /// Each configuration's variant, and whether it has a build to run.
    prepared: HashMap<Config, (usize, bool)>,
}

impl<'b, P: FnMut(&[usize], usize) -> Result<Variant>> Workflows<'b, P> {
    /// `workflows` in the order each sample runs them: each clean build before the rebuild
    /// that reuses it.
    pub fn new(
        builder: &'b mut dyn Builder,
        workflows: &'b [Workflow],
        names: &'b [String],
        prepare: P,
    ) -> Workflows<'b, P> {
        Workflows { builder, workflows, names, prepare, prepared: HashMap::new() }
    }
}

impl<P: FnMut(&[usize], usize) -> Result<Variant>> Sampler for Workflows<'_, P> {
    fn measure(&mut self, config: &[usize], affects: &[bool], label: &str) -> Result<Sample> {
        if !self.prepared.contains_key(config) {
            let variant = (self.prepare)(config, self.prepared.len())?;
            self.prepared.insert(config.to_vec(), (self.builder.add(variant), false));
        }
        let (variant, _) = self.prepared[config];
        let mut times = Vec::new();
        for ((&workflow, name), &run) in self.workflows.iter().zip(self.names).zip(affects) {
            if !run {
                times.push(None);
                continue;
            }
            let label = format!("{label}: {name}");
            let step = match workflow {
                Workflow::Check => Step::Check,
                Workflow::Test => Step::Test,
                Workflow::Build => Step::Build,
                Workflow::Rebuild => Step::Rebuild,
                Workflow::Run => {
                    if !self.prepared[config].1 {
                        let first = self.builder.build(variant, Step::Build, &format!("{label} (first build)"))?;
                        if let Built::Failed(why) = first {
                            return Ok(Sample::Failed(why));
                        }
                        self.prepared.get_mut(config).expect("prepared above").1 = true;
                    }
                    match self.builder.run(variant)? {
                        Ok(time) => times.push(Some(time)),
                        Err(why) => return Ok(Sample::Failed(why)),
                    }
                    continue;
                }
                Workflow::Size | Workflow::TargetSize => unreachable!("`tune` refuses size workflows"),
            };
            match self.builder.build(variant, step, &label)? {
                Built::Timed { wall, .. } => times.push(Some(wall)),
                Built::Failed(why) => return Ok(Sample::Failed(why)),
            }
            if matches!(step, Step::Build | Step::Rebuild) {
                self.prepared.get_mut(config).expect("prepared above").1 = true;
            }
        }
        Ok(Sample::Times(times))
    }

    fn elapsed(&self) -> std::time::Duration {
        self.builder.elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::sim::Simulated;

    fn names(workflows: &[Workflow]) -> Vec<String> {
        workflows.iter().map(|w| format!("{w:?}").to_lowercase()).collect()
    }

    fn variant(config: &[usize], index: usize) -> Result<Variant> {
        Ok(Variant {
            name: format!("config {index} {config:?}"),
            profile: "dev".into(),
            config: None,
            toolchain: None,
            cargo_args: Vec::new(),
            target: std::path::PathBuf::from(format!("target-{index}")),
        })
    }

    #[test]
    fn each_configuration_is_one_variant_and_each_workflow_one_step() {
        let mut builder = Simulated::new(vec![[1.0, 2.0, 10.0, 0.5], [1.0, 2.0, 8.0, 0.4]]);
        let flows = [Workflow::Check, Workflow::Build, Workflow::Rebuild];
        let labels = names(&flows);
        let mut workflows = Workflows::new(&mut builder, &flows, &labels, variant);
        let a = workflows.measure(&[0, 0], &[false, true, true], "current").unwrap();
        let b = workflows.measure(&[1, 0], &[true, true, true], "candidate").unwrap();
        let again = workflows.measure(&[0, 0], &[false, true, true], "current").unwrap();
        assert_eq!(a, Sample::Times(vec![None, Some(10.0), Some(0.5)]));
        assert_eq!(b, Sample::Times(vec![Some(1.0), Some(8.0), Some(0.4)]));
        assert_eq!(again, Sample::Times(vec![None, Some(10.1), Some(0.505)]));
        drop(workflows);
        assert_eq!(builder.added, ["config 0 [0, 0]", "config 1 [1, 0]"]);
        assert_eq!(
            builder.log[..3],
            ["current: build".to_owned(), "current: rebuild".into(), "candidate: check".into()]
        );
    }

    #[test]
    fn a_run_or_a_rebuild_alone_builds_first_and_a_failure_is_the_sample() {
        let mut builder = Simulated::new(vec![[1.0, 2.0, 10.0, 0.5]]);
        let flows = [Workflow::Rebuild, Workflow::Run];
        let labels = names(&flows);
        let mut workflows = Workflows::new(&mut builder, &flows, &labels, variant);
        assert_eq!(workflows.measure(&[0], &[true, true], "x").unwrap(), Sample::Times(vec![Some(0.5), Some(0.01)]));
        drop(workflows);
        // The rebuild's first build is not timed; the run reuses the rebuild.
        assert_eq!(builder.builds, 2);

        let mut builder = Simulated::new(vec![[1.0, 2.0, 10.0, 0.5]]);
        builder.fails = Some((0, Step::Build));
        let mut workflows = Workflows::new(&mut builder, &flows[1..], &labels[1..], variant);
        let failed = workflows.measure(&[0], &[true], "x").unwrap();
        assert_eq!(failed, Sample::Failed("error: could not compile `app`".into()));
        drop(workflows);
        assert_eq!(builder.log, ["x: run (first build)"]);

        let mut builder = Simulated::new(vec![[1.0, 2.0, 10.0, 0.5]]);
        builder.run_fails = true;
        let mut workflows = Workflows::new(&mut builder, &flows[1..], &labels[1..], variant);
        assert_eq!(
            workflows.measure(&[0], &[true], "x").unwrap(),
            Sample::Failed("`app` failed (exit status: 1)".into())
        );
    }
}
