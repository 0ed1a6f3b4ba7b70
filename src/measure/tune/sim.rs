//! A simulated [`Sampler`]: a known cost model, seeded noise and a drifting machine, so that the
//! search can be tested in milliseconds against an optimum known in advance.

use std::collections::HashSet;
use std::time::Duration;

use super::*;

/// Each option multiplies each workflow's time by a factor; the effects are independent, so the
/// optimum is the best option of each dimension on its own.
struct Model {
    /// Seconds per workflow with every first option.
    base: Vec<f64>,
    /// `factors[dimension][option][workflow]`.
    factors: Vec<Vec<Vec<f64>>>,
    /// `(dimension, option)` that does not build.
    broken: Option<(usize, usize)>,
}

impl Model {
    fn time(&self, config: &[usize], workflow: usize) -> f64 {
        config.iter().enumerate().fold(self.base[workflow], |t, (d, &o)| t * self.factors[d][o][workflow])
    }

    /// The figure the search minimises: the mean log of the workflows' times.
    fn score(&self, config: &[usize]) -> f64 {
        (0..self.base.len()).map(|w| self.time(config, w).ln()).sum::<f64>() / self.base.len() as f64
    }

    /// The score of the best option of each dimension on its own, the broken one left out.
    fn optimum(&self) -> f64 {
        let best: Vec<usize> = (0..self.factors.len())
            .map(|d| {
                let cost = |o: usize| self.factors[d][o].iter().map(|f| f.ln()).sum::<f64>();
                (0..self.factors[d].len())
                    .filter(|o| self.broken != Some((d, *o)))
                    .min_by(|a, b| cost(*a).total_cmp(&cost(*b)))
                    .unwrap_or(0)
            })
            .collect();
        self.score(&best)
    }
}

struct Simulated<'a> {
    model: &'a Model,
    rng: u64,
    /// Standard deviation of a sample's log time.
    noise: f64,
    clock: f64,
    built: HashSet<Vec<usize>>,
    labels: Vec<String>,
}

impl Simulated<'_> {
    fn new(model: &Model, seed: u64, noise: f64) -> Simulated<'_> {
        Simulated { model, rng: seed, noise, clock: 0.0, built: HashSet::new(), labels: Vec::new() }
    }

    /// splitmix64, uniform in (0, 1).
    fn uniform(&mut self) -> f64 {
        self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.rng;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64 + f64::EPSILON
    }

    fn gaussian(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

impl Sampler for Simulated<'_> {
    fn measure(&mut self, config: &[usize], workflows: &[bool], label: &str) -> Result<Sample> {
        self.labels.push(label.to_owned());
        if let Some((d, o)) = self.model.broken
            && config[d] == o
        {
            self.clock += 5.0;
            return Ok(Sample::Failed("error: linking with `cc` failed".into()));
        }
        if self.built.insert(config.to_vec()) {
            // The first time, a build the workflows then reuse.
            self.clock += self.model.time(config, 0);
        }
        // The machine slows down and speeds up by 10% over a few minutes.
        let drift = 1.0 + 0.1 * (self.clock / 200.0).sin();
        let mut times = Vec::new();
        for (w, &run) in workflows.iter().enumerate() {
            if !run {
                times.push(None);
                continue;
            }
            let t = self.model.time(config, w) * drift * (self.noise * self.gaussian()).exp();
            self.clock += t;
            times.push(Some(t));
        }
        Ok(Sample::Times(times))
    }

    fn elapsed(&self) -> Duration {
        Duration::from_secs_f64(self.clock)
    }
}

fn dimension(name: &str, options: usize) -> Dimension {
    let options =
        (0..options).map(|o| Choice { label: format!("{name}{o}"), writes: Vec::new(), rank: None }).collect();
    Dimension { name: name.into(), options, pointless: None, affects: vec![true; 2] }
}

/// Build 20 s and rebuild 2 s to start; some options clearly help, some hurt, some do nothing,
/// and one dimension helps one workflow and hurts the other.
fn model() -> (Model, Vec<Dimension>) {
    let model = Model {
        base: vec![20.0, 2.0],
        factors: vec![
            // debug info of dependencies: off helps both, line tables a little less.
            vec![vec![1.0, 1.0], vec![0.75, 0.85], vec![0.85, 0.9]],
            // debug info of your crates: off helps most, line tables next, limited a little.
            vec![vec![1.0, 1.0], vec![0.92, 0.88], vec![0.85, 0.8], vec![0.95, 0.97]],
            // split-debuginfo: nothing, or worse.
            vec![vec![1.0, 1.0], vec![1.0, 1.0], vec![1.08, 1.1]],
            // a linker that changes nothing here.
            vec![vec![1.0, 1.0], vec![1.0, 1.0]],
            // codegen-units: 16 helps the clean build only.
            vec![vec![1.0, 1.0], vec![0.8, 1.0], vec![0.9, 1.0]],
            // incremental off: a faster clean build, a much slower rebuild.
            vec![vec![1.0, 1.0], vec![0.9, 2.5]],
        ],
        broken: None,
    };
    let dims = vec![
        dimension("deps-debug", 3),
        dimension("debug", 4),
        dimension("split", 3),
        dimension("linker", 2),
        dimension("cgu", 3),
        dimension("incremental", 2),
    ];
    (model, dims)
}

#[test]
fn finds_the_optimum_in_at_least_95_of_100_seeds_within_the_budget() {
    let (model, dims) = model();
    let limits = Limits { budget: Duration::from_secs(3600), ..Limits::default() };
    let optimum = model.optimum();
    let mut found = 0;
    for seed in 0..100 {
        let mut builder = Simulated::new(&model, seed, 0.03);
        let outcome = search(&dims, &limits, &mut builder).unwrap();
        assert!(outcome.elapsed <= limits.budget, "seed {seed}: {:?}", outcome.elapsed);
        assert!(outcome.skipped.is_empty(), "seed {seed}: {:?}", outcome.skipped);
        if model.score(&outcome.best) <= optimum + 0.005 {
            found += 1;
        }
    }
    assert!(found >= 95, "the optimum in {found} of 100 seeds");
}

#[test]
fn a_slower_setting_and_a_setting_that_does_nothing_are_not_kept() {
    let (model, dims) = model();
    let mut builder = Simulated::new(&model, 7, 0.03);
    let outcome =
        search(&dims, &Limits { budget: Duration::from_secs(3600), ..Limits::default() }, &mut builder).unwrap();
    let verdict = |d: usize, o: usize| {
        outcome.trials.iter().find(|t| t.dimension == d && t.option == o).map(|t| t.verdict.clone())
    };
    assert_eq!(verdict(5, 1), Some(Verdict::Loss), "incremental off");
    assert_eq!(verdict(3, 1), Some(Verdict::Tie), "a linker that changes nothing");
    assert_eq!(outcome.best[5], 0);
    assert_eq!(outcome.best[3], 0);
    // Each kept change is measured against the best before it, with interleaved pairs.
    for trial in outcome.kept() {
        assert!(trial.pairs.len() >= 3 && trial.ratio().unwrap() < 0.98, "{trial:?}");
    }
}

#[test]
fn stops_on_budget_and_says_what_it_did_not_try() {
    let (model, dims) = model();
    let budget = Duration::from_secs(300);
    let mut builder = Simulated::new(&model, 3, 0.03);
    let outcome = search(&dims, &Limits { budget, ..Limits::default() }, &mut builder).unwrap();
    assert!(outcome.elapsed <= budget, "{:?}", outcome.elapsed);
    assert!(!outcome.skipped.is_empty());
    assert!(outcome.skipped.iter().all(|s| s.reason == OUT_OF_BUDGET), "{:?}", outcome.skipped);
    // The last dimension is never reached in 5 minutes of 20-second builds.
    assert!(outcome.skipped.iter().any(|s| s.dimension == "incremental"));
    // What was found before the budget ran out is kept.
    assert!(outcome.best[0] != 0, "{:?}", outcome.best);
    // Each setting has one verdict: none is both a comparison and not tried.
    for seed in 0..50 {
        for budget in [120, 200, 300, 450] {
            let budget = Duration::from_secs(budget);
            let outcome =
                search(&dims, &Limits { budget, ..Limits::default() }, &mut Simulated::new(&model, seed, 0.03))
                    .unwrap();
            // Once a pair's cost is known, no comparison is begun that cannot reach a verdict.
            for trial in outcome.trials.iter().skip(1) {
                assert!(trial.verdict != Verdict::Unfinished || trial.pairs.len() >= 3, "seed {seed}: {trial:?}");
            }
            for trial in &outcome.trials {
                let dimension = &dims[trial.dimension];
                let candidate = format!("{} = {}", dimension.name, dimension.options[trial.option].label);
                assert!(
                    outcome.skipped.iter().all(|s| s.dimension != dimension.name && s.dimension != candidate),
                    "seed {seed}: {candidate} twice: {:?}",
                    outcome.skipped
                );
            }
        }
    }
}

#[test]
fn writes_nothing_when_nothing_wins() {
    let (mut model, dims) = model();
    for options in &mut model.factors {
        for factors in options.iter_mut().skip(1) {
            // Every change does nothing, or makes something slower.
            factors.iter_mut().for_each(|f| *f = f.max(1.0));
        }
    }
    let limits = Limits { budget: Duration::from_secs(3600), ..Limits::default() };
    let mut nothing = 0;
    for seed in 0..100 {
        let outcome = search(&dims, &limits, &mut Simulated::new(&model, seed, 0.03)).unwrap();
        let preset = report::preset_text(&dims, &outcome, &report::Measured::example());
        if outcome.kept().count() == 0 {
            nothing += 1;
            assert_eq!(outcome.best, outcome.start, "seed {seed}");
            assert!(preset.is_none(), "seed {seed}");
        } else {
            assert!(preset.is_some());
        }
    }
    // Twelve comparisons where nothing wins: a false win in any of them is rare.
    assert!(nothing >= 95, "nothing kept in {nothing} of 100 seeds");
}

#[test]
fn a_candidate_that_fails_is_dropped_and_reported() {
    let (mut model, dims) = model();
    // `debug info of dependencies` off fails to build; line tables still win.
    model.broken = Some((0, 1));
    let mut builder = Simulated::new(&model, 11, 0.03);
    let outcome =
        search(&dims, &Limits { budget: Duration::from_secs(3600), ..Limits::default() }, &mut builder).unwrap();
    let failed = outcome.trials.iter().find(|t| t.dimension == 0 && t.option == 1).unwrap();
    assert_eq!(failed.verdict, Verdict::Failed("error: linking with `cc` failed".into()));
    assert_eq!(outcome.best[0], 2);
}

#[test]
fn the_current_settings_failing_is_an_error() {
    let (mut model, dims) = model();
    model.broken = Some((0, 0));
    let mut builder = Simulated::new(&model, 1, 0.03);
    let error = search(&dims, &Limits::default(), &mut builder).unwrap_err();
    assert!(error.to_string().contains("the current settings do not build"), "{error}");
}

#[test]
fn a_pointless_dimension_is_skipped_with_its_reason() {
    let (model, mut dims) = model();
    // split-debuginfo is pointless once dependencies have no debug info.
    dims[2].pointless = Some(Box::new(|config: &[usize]| (config[0] != 0).then(|| "no debug info left".to_owned())));
    let mut builder = Simulated::new(&model, 5, 0.03);
    let outcome =
        search(&dims, &Limits { budget: Duration::from_secs(3600), ..Limits::default() }, &mut builder).unwrap();
    assert!(outcome.best[0] != 0);
    assert_eq!(outcome.skipped, vec![Skip { dimension: "split".into(), reason: "no debug info left".into() }]);
    assert!(outcome.trials.iter().all(|t| t.dimension != 2));
    // The progress line names the candidate and the pair; the builder adds the time left, live.
    assert_eq!(builder.labels[0], "deps-debug = deps-debug1, current, pair 1/8");
}

#[test]
fn costlier_debug_info_is_not_measured_once_cheaper_debug_info_decided() {
    let (model, mut dims) = model();
    // The model's debug options in order of cost: off, line tables, limited, full (the start).
    for (d, ranks) in [(0, vec![3, 0, 1]), (1, vec![3, 1, 0, 2])] {
        for (option, rank) in dims[d].options.iter_mut().zip(ranks) {
            option.rank = Some(rank);
        }
    }
    let limits = Limits { budget: Duration::from_secs(3600), ..Limits::default() };
    let optimum = model.optimum();
    let mut found = 0;
    for seed in 0..100 {
        let outcome = search(&dims, &limits, &mut Simulated::new(&model, seed, 0.03)).unwrap();
        if model.score(&outcome.best) <= optimum + 0.005 {
            found += 1;
        }
        // Dependencies: off wins, and nothing costlier is tried after it. Your crates: line
        // tables win, then off is tried against them; limited never is.
        let tried = |d: usize| outcome.trials.iter().filter(|t| t.dimension == d).count();
        if outcome.best[0] == 1 {
            assert_eq!(tried(0), 1, "seed {seed}");
        }
        assert!(outcome.trials.iter().all(|t| !(t.dimension == 1 && t.option == 3)), "seed {seed}");
        assert!(tried(1) <= 2, "seed {seed}");
    }
    assert!(found >= 95, "the optimum in {found} of 100 seeds");
    let outcome = search(&dims, &limits, &mut Simulated::new(&model, 1, 0.03)).unwrap();
    let reasons: Vec<(&str, &str)> =
        outcome.skipped.iter().map(|s| (s.dimension.as_str(), s.reason.as_str())).collect();
    assert!(
        reasons.contains(&("deps-debug = deps-debug2", "it costs more than deps-debug1, so it cannot be faster")),
        "{reasons:?}"
    );
}

#[test]
fn a_workflow_a_setting_cannot_change_is_not_run_in_its_comparisons() {
    let (mut model, mut dims) = model();
    // The first workflow stands for `check`: debug info of dependencies cannot change it.
    model.factors[0] = vec![vec![1.0, 1.0], vec![1.0, 0.85], vec![1.0, 0.9]];
    dims[0].affects = vec![false, true];
    let limits = Limits { budget: Duration::from_secs(3600), ..Limits::default() };
    let outcome = search(&dims, &limits, &mut Simulated::new(&model, 4, 0.03)).unwrap();
    let trials: Vec<&Trial> = outcome.trials.iter().filter(|t| t.dimension == 0).collect();
    assert!(!trials.is_empty());
    for trial in &trials {
        assert!(trial.pairs.iter().all(|(c, a)| c[0].is_none() && a[0].is_none() && c[1].is_some()), "{trial:?}");
        assert!(trial.samples(0).0.is_empty());
    }
    // The win is decided on the workflow it changes, not diluted by one it cannot.
    assert_eq!(outcome.best[0], 1);
    assert!(trials[0].ratio().unwrap() < 0.9, "{:?}", trials[0].ratio());
    let text = report::table(&dims, &outcome, &report::Measured::example(), limits.budget);
    assert!(text.contains("not measured"), "{text}");
    // The chart and the JSON show a workflow not run as no samples.
    report::chart(&dims, &outcome, &report::Measured::example());
    let measured = report::Measured::example();
    let saved = [("x.toml".to_owned(), "user")];
    let json = serde_json::to_value(report::Tuned::new(&dims, &outcome, &measured, &saved)).unwrap();
    assert_eq!(json["saved_as"], "user");
    assert_eq!(json["trials"][0]["workflows"][0]["samples"], serde_json::json!([]));
    assert_eq!(json["trials"][0]["workflows"][0]["median"], serde_json::Value::Null);
}

#[test]
fn a_winning_linker_is_saved_as_a_personal_preset_and_the_rest_as_the_projects() {
    let (mut model, mut dims) = model();
    // mold halves the link of both workflows; its flags make the C compiler run a program.
    model.factors[3][1] = vec![0.5, 0.5];
    dims[3].options[1].writes = vec![Write {
        table: vec!["build".into()],
        key: "rustflags".into(),
        value: Value::Array(vec!["-C".into(), "link-arg=-fuse-ld=mold".into()]),
    }];
    for (o, value) in [(1, Value::Bool(false)), (2, Value::Str("line-tables-only".into()))] {
        dims[0].options[o].writes =
            vec![Write { table: vec!["profile".into(), "dev".into()], key: "debug".into(), value }];
    }
    let limits = Limits { budget: Duration::from_secs(3600), ..Limits::default() };
    let mut outcome = search(&dims, &limits, &mut Simulated::new(&model, 2, 0.03)).unwrap();
    assert_eq!(outcome.best[3], 1, "the linker wins");
    assert_eq!(outcome.best[0], 1, "debug info off wins");
    // The other dimensions of the model write nothing: their wins are left out.
    let only = |outcome: &mut Outcome, dims: &[usize]| {
        outcome.trials.retain(|t| dims.contains(&t.dimension) || t.verdict != Verdict::Win);
        (0..outcome.best.len()).filter(|d| !dims.contains(d)).for_each(|d| outcome.best[d] = 0);
    };
    only(&mut outcome, &[0, 3]);

    let temp = tempfile::tempdir().unwrap();
    let (project, personal) = (temp.path().join("project"), temp.path().join("home"));
    let places =
        crate::ops::tune::Places { name: "tuned".into(), project: project.clone(), personal: Some(personal.clone()) };
    let measured = report::Measured::example();
    let parts = places.split(&dims, &outcome, &measured).unwrap();
    let summary: Vec<(&str, bool, usize)> = parts.iter().map(|p| (p.name.as_str(), p.personal, p.settings)).collect();
    assert_eq!(summary, [("tuned", false, 1), ("tuned-linker", true, 1)]);
    assert_eq!(parts[0].path, project.join("tuned.toml"));
    assert_eq!(parts[1].path, personal.join("tuned-linker.toml"));
    // Each part holds its own settings and names the other.
    assert!(parts[0].text.contains("debug") && !parts[0].text.contains("mold"), "{}", parts[0].text);
    assert!(parts[0].text.replace('\n', " ").contains("your own preset `tuned-linker`"), "{}", parts[0].text);
    assert!(parts[1].text.contains("fuse-ld=mold") && !parts[1].text.contains("[profile"), "{}", parts[1].text);
    assert!(parts[1].text.replace('\n', " ").contains("the project preset `tuned`"), "{}", parts[1].text);

    let written = places.save(&parts).unwrap();
    assert_eq!(written.replaced, [false, false]);
    assert_eq!(written.removed, None);
    let library = crate::library::Library::discover(Some(&project), Some(&personal)).unwrap();
    let tuned = library.get("tuned").unwrap();
    assert!(matches!(tuned.origin, crate::preset::Origin::Project(_)));
    assert!(tuned.config.is_empty() && !tuned.settings.is_empty());
    let linker = library.get("tuned-linker").unwrap();
    assert!(matches!(linker.origin, crate::preset::Origin::User(_)));
    assert!(linker.config.iter().any(|s| s.path.key == "rustflags"), "{:?}", linker.config);
    let saved = [("a.toml".to_owned(), "project"), ("b.toml".to_owned(), "user")];
    let json = serde_json::to_value(report::Tuned::new(&dims, &outcome, &measured, &saved)).unwrap();
    assert_eq!((&json["saved"], &json["saved_as"]), (&"a.toml".into(), &"project".into()));
    assert_eq!(json["saved_files"][1], serde_json::json!({ "path": "b.toml", "as": "user" }));

    // When only the linker wins, the result is all the user's own, and an earlier result in
    // the project (an older measurement under the same name) goes.
    let mut only_linker = outcome;
    only(&mut only_linker, &[3]);
    let parts = places.split(&dims, &only_linker, &measured).unwrap();
    assert_eq!(parts.len(), 1);
    assert!(parts[0].personal && !parts[0].text.contains("project preset"), "{}", parts[0].text);
    let written = places.save(&parts).unwrap();
    assert_eq!(written.replaced, [true]);
    assert_eq!(written.removed, Some(project.join("tuned.toml")));
    assert!(!project.join("tuned.toml").exists());

    // Without a program, the result stays the project's.
    dims[3].options[1].writes[0].value = Value::Array(vec!["-C".into(), "debuginfo=0".into()]);
    let parts = places.split(&dims, &only_linker, &measured).unwrap();
    assert_eq!(parts.len(), 1);
    assert!(!parts[0].personal && parts[0].path == project.join("tuned.toml"));
}
