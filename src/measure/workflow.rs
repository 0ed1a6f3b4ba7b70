//! What `bench` measures and `tune` makes faster: one kind of build a developer waits for, or
//! one size.

/// A workflow, as `--workflow` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Workflow {
    Check,
    Build,
    Rebuild,
    Test,
    Size,
    TargetSize,
    Run,
}

impl Workflow {
    pub const ALL: [Workflow; 7] = [
        Workflow::Check,
        Workflow::Build,
        Workflow::Rebuild,
        Workflow::Test,
        Workflow::Size,
        Workflow::TargetSize,
        Workflow::Run,
    ];

    /// The name `--workflow` takes.
    pub fn name(self) -> &'static str {
        match self {
            Workflow::Check => "check",
            Workflow::Build => "build",
            Workflow::Rebuild => "rebuild",
            Workflow::Test => "test",
            Workflow::Size => "size",
            Workflow::TargetSize => "target-size",
            Workflow::Run => "run",
        }
    }
}
