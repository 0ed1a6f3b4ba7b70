//! The settings `tune` searches, for the workflows asked for and the machine it runs on: only
//! those that can change a measured time and that this machine can build with. Each skipped
//! one is reported with its reason.

use crate::cargo::schema::{Key, Value};
use crate::measure::workflow::Workflow;

use super::{Choice, Dimension, Skip, Write};

/// What `ops::tune` found out about the workspace and the machine.
#[derive(Clone, Debug)]
pub struct Facts {
    pub workflows: Vec<Workflow>,
    /// Effective `dev` values: for a workspace member, and for a registry dependency.
    pub member_debug: Option<Value>,
    pub deps_debug: Option<Value>,
    /// Whether dependencies take their debug info from `[profile.dev]` (no override sets it).
    pub deps_debug_inherited: bool,
    pub deps_opt_level: Option<Value>,
    pub split_debuginfo: Option<Value>,
    pub codegen_units: Option<Value>,
    pub incremental: Option<Value>,
    /// What sets `incremental` for every profile (`CARGO_INCREMENTAL`, `build.incremental`),
    /// which a profile setting cannot change.
    pub incremental_fixed: Option<String>,
    pub codegen_backend: Option<Value>,
    /// `rustc --print split-debuginfo`, less the value in effect when none is set.
    pub split_values: Vec<String>,
    /// The table flags go in for cargo to read them here (`["build"]`), or why none would work.
    pub flags_table: Result<Vec<String>, String>,
    /// The target triple cargo builds for, whose `[target]` table holds a linker setting.
    pub host: String,
    /// Each alternative linker.
    pub linkers: Vec<Linker>,
    /// Why Cranelift cannot be tried, or `None` when it can.
    pub cranelift: Option<String>,
    /// `-Zthreads=N`, or why it is not tried.
    pub threads: Result<String, String>,
}

/// A linker `tune` may try.
#[derive(Clone, Debug)]
pub struct Linker {
    pub name: String,
    /// The rustflags that select it: `-C link-arg=-fuse-ld=mold`.
    pub flags: Vec<String>,
    /// The C compiler to link through, where the usual one cannot run it (`clang` for wild).
    pub cc: Option<String>,
    /// Why it is not tried here, if it is not.
    pub available: Result<(), String>,
}

/// The dimensions to search, most promising first, and those skipped with their reasons.
pub fn dimensions(facts: &Facts) -> (Vec<Dimension>, Vec<Skip>) {
    let mut space = Space { facts, dimensions: Vec::new(), skipped: Vec::new() };
    let codegen = [Workflow::Build, Workflow::Rebuild, Workflow::Test];
    let clean = [Workflow::Check, Workflow::Build, Workflow::Test];
    let debug_order =
        |first: &[Value]| first.iter().cloned().chain([Value::Str("limited".into()), Value::Bool(true)]).collect();
    let dev = || vec!["profile".to_owned(), "dev".to_owned()];
    let deps = || vec!["profile".to_owned(), "dev".to_owned(), "package".to_owned(), "*".to_owned()];

    let deps_debug = space.profile(
        "debug info of dependencies",
        &codegen,
        (deps(), Key::Debug, facts.deps_debug.as_ref()),
        debug_order(&[Value::Bool(false), Value::Str("line-tables-only".into())]),
        "code generation does not run for these workflows",
    );
    let member_debug = space.profile(
        "debug info of your crates",
        &codegen,
        (dev(), Key::Debug, facts.member_debug.as_ref()),
        debug_order(&[Value::Str("line-tables-only".into()), Value::Bool(false)]),
        "code generation does not run for these workflows",
    );
    let split: Vec<Value> = facts.split_values.iter().map(|v| Value::Str(v.clone())).collect();
    let split = space.profile(
        "split-debuginfo",
        &codegen,
        (dev(), Key::SplitDebuginfo, facts.split_debuginfo.as_ref()),
        split,
        "nothing is linked in these workflows",
    );
    if let Some(split) = split {
        let pointless = no_debug_info(facts, &space.dimensions, member_debug, deps_debug);
        space.dimensions[split].pointless = Some(pointless);
    }
    space.linkers(&codegen);
    space.cranelift(&codegen, dev(), deps());
    space.threads();
    space.profile(
        "codegen-units",
        &[Workflow::Build, Workflow::Test],
        (dev(), Key::CodegenUnits, facts.codegen_units.as_ref()),
        vec![Value::Int(16), Value::Int(64)],
        "it only changes clean builds, and none is measured",
    );
    match &facts.incremental_fixed {
        Some(source) => {
            space.skip("incremental", &format!("{source} sets it for every profile, over any profile setting"))
        }
        None => {
            space.profile(
                "incremental",
                &clean,
                (dev(), Key::Incremental, facts.incremental.as_ref()),
                vec![Value::Bool(false), Value::Bool(true)],
                "it only speeds up clean builds, and none is measured",
            );
        }
    }
    space.profile(
        "opt-level of dependencies",
        &[Workflow::Run],
        (deps(), Key::OptLevel, facts.deps_opt_level.as_ref()),
        vec![Value::Int(1), Value::Int(3), Value::Int(2)],
        "it trades build time for run time, and `run` is not measured",
    );
    (space.dimensions, space.skipped)
}

/// Says when a configuration leaves no debug info at all, from the two debug dimensions (either
/// may be absent, where its value is the one in effect).
fn no_debug_info(
    facts: &Facts,
    dimensions: &[Dimension],
    members: Option<usize>,
    deps: Option<usize>,
) -> super::Pointless {
    // Per dimension: its index and which of its options turn debug info off.
    let offs = |d: Option<usize>| {
        d.map(|d| {
            let off = dimensions[d].options.iter().map(|o| o.writes.iter().any(|w| w.value == Value::Bool(false)));
            (d, off.collect::<Vec<bool>>())
        })
    };
    let (members, deps) = (offs(members), offs(deps));
    let starts_off = [&facts.member_debug, &facts.deps_debug].map(|v| v.as_ref().is_some_and(|v| !debug_on(v)));
    let inherited = facts.deps_debug_inherited;
    Box::new(move |config: &[usize]| {
        let is_off =
            |dimension: &Option<(usize, Vec<bool>)>| dimension.as_ref().map(|(d, off)| (config[*d], off[config[*d]]));
        let members_off = match is_off(&members) {
            Some((0, _)) | None => starts_off[0],
            Some((_, off)) => off,
        };
        let deps_off = match is_off(&deps) {
            Some((0, _)) | None => starts_off[1] || (inherited && members_off),
            Some((_, off)) => off,
        };
        (members_off && deps_off).then(|| "no debug info is left to split".to_owned())
    })
}

/// Whether a `debug` value asks for any debug info.
fn debug_on(value: &Value) -> bool {
    !matches!(value, Value::Bool(false) | Value::Int(0)) && *value != Value::Str("none".into())
}

struct Space<'a> {
    facts: &'a Facts,
    dimensions: Vec<Dimension>,
    skipped: Vec<Skip>,
}

impl Space<'_> {
    /// Whether any workflow measured can see the setting; else it is skipped with `why_not`.
    fn matters(&mut self, name: &str, workflows: &[Workflow], why_not: &str) -> bool {
        let matters = self.facts.workflows.iter().any(|w| workflows.contains(w));
        if !matters {
            self.skip(name, why_not);
        }
        matters
    }

    /// For each workflow measured, whether a setting can change it: one that acts only in code
    /// generation or linking cannot change `check`, which does neither.
    fn affects(&self, codegen_only: bool) -> Vec<bool> {
        self.facts.workflows.iter().map(|w| !(codegen_only && *w == Workflow::Check)).collect()
    }

    fn skip(&mut self, name: &str, reason: &str) {
        self.skipped.push(Skip { dimension: name.to_owned(), reason: reason.to_owned() });
    }

    /// A profile key: the values that differ in meaning from the one in effect.
    fn profile(
        &mut self,
        name: &str,
        workflows: &[Workflow],
        (table, key, current): (Vec<String>, Key, Option<&Value>),
        values: Vec<Value>,
        why_not: &str,
    ) -> Option<usize> {
        if !self.matters(name, workflows, why_not) {
            return None;
        }
        let mut options = vec![start(current, current.and_then(|c| rank(key, c)))];
        for value in values {
            if current.is_some_and(|c| key.same_meaning(c, &value)) {
                continue;
            }
            let write = Write { table: table.clone(), key: key.name().to_owned(), value: value.clone() };
            options.push(Choice { label: value.to_string(), writes: vec![write], rank: rank(key, &value) });
        }
        if options.len() == 1 {
            self.skip(name, "this machine offers no other value");
            return None;
        }
        let affects = self.affects(key.codegen_only());
        self.dimensions.push(Dimension { name: name.to_owned(), options, pointless: None, affects });
        Some(self.dimensions.len() - 1)
    }

    fn linkers(&mut self, workflows: &[Workflow]) {
        const NAME: &str = "linker";
        if !self.matters(NAME, workflows, "nothing is linked in these workflows") {
            return;
        }
        let table = match &self.facts.flags_table {
            Ok(table) => table.clone(),
            Err(why) => return self.skip(NAME, why),
        };
        let mut options = vec![Choice { label: "the default".into(), writes: Vec::new(), rank: None }];
        let mut not_tried = Vec::new();
        for linker in &self.facts.linkers {
            if let Err(why) = &linker.available {
                not_tried.push(format!("{}: {why}", linker.name));
                continue;
            }
            let mut writes = vec![Write {
                table: table.clone(),
                key: "rustflags".into(),
                value: Value::Array(linker.flags.clone()),
            }];
            if let Some(cc) = &linker.cc {
                let table = vec!["target".to_owned(), self.facts.host.clone()];
                writes.push(Write { table, key: "linker".into(), value: Value::Str(cc.clone()) });
            }
            options.push(Choice { label: linker.name.clone(), writes, rank: None });
        }
        if options.len() == 1 {
            return self.skip(NAME, &not_tried.join("; "));
        }
        let affects = self.affects(true);
        self.dimensions.push(Dimension { name: NAME.into(), options, pointless: None, affects });
    }

    fn cranelift(&mut self, workflows: &[Workflow], dev: Vec<String>, deps: Vec<String>) {
        const NAME: &str = "codegen-backend (Cranelift)";
        if !self.matters(NAME, workflows, "code generation does not run for these workflows") {
            return;
        }
        if let Some(why) = &self.facts.cranelift {
            return self.skip(NAME, why);
        }
        if self.facts.codegen_backend.as_ref().is_some_and(|v| *v == Value::Str("cranelift".into())) {
            return self.skip(NAME, "your crates already build with Cranelift");
        }
        let backend = |table: Vec<String>, value: &str| Write {
            table,
            key: Key::CodegenBackend.name().into(),
            value: Value::Str(value.into()),
        };
        let options = vec![
            start(self.facts.codegen_backend.as_ref(), None),
            // Dependencies stay on LLVM, as in `cranelift-dev`: built once, and some use SIMD
            // intrinsics Cranelift lacks.
            Choice {
                label: "\"cranelift\"".into(),
                writes: vec![backend(dev, "cranelift"), backend(deps, "llvm")],
                rank: None,
            },
        ];
        let affects = self.affects(Key::CodegenBackend.codegen_only());
        self.dimensions.push(Dimension { name: NAME.into(), options, pointless: None, affects });
    }

    fn threads(&mut self) {
        const NAME: &str = "parallel front-end (-Zthreads)";
        let all = [Workflow::Check, Workflow::Build, Workflow::Rebuild, Workflow::Test];
        if !self.matters(NAME, &all, "no compilation is measured") {
            return;
        }
        let (flag, table) = match (&self.facts.threads, &self.facts.flags_table) {
            (Err(why), _) | (_, Err(why)) => return self.skip(NAME, why),
            (Ok(flag), Ok(table)) => (flag.clone(), table.clone()),
        };
        let write = Write { table, key: "rustflags".into(), value: Value::Array(vec![flag.clone()]) };
        let options = vec![
            Choice { label: "off".into(), writes: Vec::new(), rank: None },
            Choice { label: flag, writes: vec![write], rank: None },
        ];
        // The parallel front-end is the part `check` runs.
        let affects = self.affects(false);
        self.dimensions.push(Dimension { name: NAME.into(), options, pointless: None, affects });
    }
}

/// The option the search starts from: the value in effect, which writes nothing.
fn start(current: Option<&Value>, rank: Option<u32>) -> Choice {
    let label = current.map_or_else(|| "unset".to_owned(), ToString::to_string);
    Choice { label: format!("{label} (current)"), writes: Vec::new(), rank }
}

/// A value's place in the order of cost, where its key has one: debug info from none to full.
fn rank(key: Key, value: &Value) -> Option<u32> {
    if key != Key::Debug {
        return None;
    }
    match value {
        Value::Bool(false) | Value::Int(0) => Some(0),
        Value::Str(s) if s == "none" => Some(0),
        Value::Str(s) if s == "line-tables-only" => Some(1),
        Value::Int(1) => Some(2),
        Value::Str(s) if s == "limited" => Some(2),
        Value::Bool(true) | Value::Int(2) => Some(3),
        Value::Str(s) if s == "full" => Some(3),
        _ => None,
    }
}

/// What a configuration writes: its options' writes, with flags for one table joined into one
/// array (`-C link-arg=-fuse-ld=mold` and `-Zthreads=2` in one `rustflags`).
pub fn writes(dimensions: &[Dimension], config: &[usize]) -> Vec<Write> {
    let mut out: Vec<Write> = Vec::new();
    for (dimension, &option) in dimensions.iter().zip(config) {
        for write in &dimension.options[option].writes {
            match out.iter_mut().find(|w| w.table == write.table && w.key == write.key) {
                Some(Write { value: Value::Array(flags), .. }) => {
                    if let Value::Array(more) = &write.value {
                        flags.extend(more.iter().cloned());
                    }
                }
                _ => out.push(write.clone()),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(workflows: &[Workflow]) -> Facts {
        Facts {
            workflows: workflows.to_vec(),
            member_debug: Some(Value::Bool(true)),
            deps_debug: Some(Value::Bool(true)),
            deps_debug_inherited: true,
            split_values: vec!["packed".into(), "unpacked".into()],
            flags_table: Ok(vec!["build".into()]),
            host: "x86_64-unknown-linux-gnu".into(),
            linkers: vec![
                Linker {
                    name: "lld".into(),
                    flags: vec!["-C".into(), "link-arg=-fuse-ld=lld".into()],
                    cc: None,
                    available: Err("rustc already links with its bundled rust-lld on x86_64 Linux".into()),
                },
                Linker {
                    name: "mold".into(),
                    flags: vec!["-C".into(), "link-arg=-fuse-ld=mold".into()],
                    cc: None,
                    available: Ok(()),
                },
            ],
            cranelift: Some("the rustup component `rustc-codegen-cranelift-preview` is not installed".into()),
            threads: Err("the workspace builds with stable rustc".into()),
            deps_opt_level: None,
            split_debuginfo: None,
            codegen_units: None,
            incremental: None,
            incremental_fixed: None,
            codegen_backend: None,
        }
    }

    fn names(dimensions: &[Dimension]) -> Vec<&str> {
        dimensions.iter().map(|d| d.name.as_str()).collect()
    }

    #[test]
    fn the_edit_loop_searches_what_can_change_it_and_says_why_the_rest_is_not() {
        let (dimensions, skipped) = dimensions(&facts(&[Workflow::Rebuild, Workflow::Check]));
        assert_eq!(
            names(&dimensions),
            ["debug info of dependencies", "debug info of your crates", "split-debuginfo", "linker", "incremental"]
        );
        let reason = |name: &str| skipped.iter().find(|s| s.dimension == name).map(|s| s.reason.as_str());
        assert_eq!(reason("codegen-units"), Some("it only changes clean builds, and none is measured"));
        assert_eq!(reason("opt-level of dependencies").map(|r| r.contains("`run` is not measured")), Some(true));
        assert!(reason("codegen-backend (Cranelift)").unwrap().contains("not installed"));
        assert_eq!(reason("parallel front-end (-Zthreads)"), Some("the workspace builds with stable rustc"));
        // The value in effect is the start and is not tried again; `true` means full debug info.
        let labels: Vec<&str> = dimensions[1].options.iter().map(|o| o.label.as_str()).collect();
        assert_eq!(labels, ["true (current)", "\"line-tables-only\"", "false", "\"limited\""]);
        // Only the linkers that can be tried are offered.
        assert_eq!(dimensions[3].options.len(), 2);
    }

    #[test]
    fn a_check_only_workflow_skips_codegen_settings() {
        let (dimensions, skipped) = dimensions(&facts(&[Workflow::Check]));
        assert_eq!(names(&dimensions), ["incremental"]);
        assert!(skipped.iter().any(|s| s.dimension == "debug info of your crates"
            && s.reason == "code generation does not run for these workflows"));
    }

    #[test]
    fn codegen_settings_are_not_measured_on_check_alongside_a_build() {
        let (dimensions, _) = dimensions(&facts(&[Workflow::Check, Workflow::Build]));
        let affects: Vec<(&str, &[bool])> =
            dimensions.iter().map(|d| (d.name.as_str(), d.affects.as_slice())).collect();
        assert_eq!(
            affects,
            [
                ("debug info of dependencies", &[false, true][..]),
                ("debug info of your crates", &[false, true]),
                ("split-debuginfo", &[false, true]),
                ("linker", &[false, true]),
                ("codegen-units", &[false, true]),
                ("incremental", &[true, true]),
            ]
        );
    }

    #[test]
    fn incremental_set_for_every_profile_is_not_searched() {
        let mut f = facts(&[Workflow::Build]);
        f.incremental_fixed = Some("`CARGO_INCREMENTAL`".into());
        let (dimensions, skipped) = dimensions(&f);
        assert!(dimensions.iter().all(|d| d.name != "incremental"));
        assert!(skipped.contains(&Skip {
            dimension: "incremental".into(),
            reason: "`CARGO_INCREMENTAL` sets it for every profile, over any profile setting".into()
        }));
    }

    #[test]
    fn split_debuginfo_is_pointless_once_no_debug_info_is_left() {
        let (dimensions, _) = dimensions(&facts(&[Workflow::Build]));
        let split = dimensions.iter().position(|d| d.name == "split-debuginfo").unwrap();
        let pointless = dimensions[split].pointless.as_ref().unwrap();
        let mut config = vec![0; dimensions.len()];
        assert_eq!(pointless(&config), None);
        // Dependencies off (option 1), then your crates off (option 2): nothing left.
        config[0] = 1;
        assert_eq!(pointless(&config), None);
        config[1] = 2;
        assert_eq!(pointless(&config).as_deref(), Some("no debug info is left to split"));
    }

    #[test]
    fn flags_for_one_table_are_joined() {
        let mut f = facts(&[Workflow::Build]);
        f.threads = Ok("-Zthreads=2".into());
        f.cranelift = None;
        let (dimensions, _) = dimensions(&f);
        let linker = dimensions.iter().position(|d| d.name == "linker").unwrap();
        let threads = dimensions.iter().position(|d| d.name.starts_with("parallel")).unwrap();
        let mut config = vec![0; dimensions.len()];
        config[linker] = 1;
        config[threads] = 1;
        assert_eq!(
            writes(&dimensions, &config),
            vec![Write {
                table: vec!["build".into()],
                key: "rustflags".into(),
                value: Value::Array(vec!["-C".into(), "link-arg=-fuse-ld=mold".into(), "-Zthreads=2".into()]),
            }]
        );
    }
}
