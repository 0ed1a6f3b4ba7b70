//! The command line: `cargo presets list | show | apply`, with cargo's global flags. The only
//! module that knows clap: it turns the arguments into each command's options (plain structs
//! defined with the commands in `ops`) and runs the command. What is generated from the
//! definition itself, the completion scripts and the man page, is made in `generate`.

mod generate;

use std::ffi::OsString;
use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::destination::Destination;
use crate::error::Result;
use crate::measure::workflow::Workflow;
use crate::ops::apply::ApplyOptions;
use crate::ops::bench::{BenchOptions, MeasureOptions};
use crate::ops::check::{CheckFormat, CheckOptions};
use crate::ops::explain::ExplainOptions;
use crate::ops::remove::RemoveOptions;
use crate::ops::scaffold::{InitOptions, NewOptions};
use crate::ops::show::ShowOptions;
use crate::ops::tune::TuneOptions;
use crate::ops::verify::VerifyOptions;
use crate::ops::{self, Context, Format};
use crate::prompt;

const AFTER_HELP: &str = "\
Examples:
  cargo presets                            on a terminal: pick, preview, apply
  cargo presets init                       set a repository up (fast-dev)
  cargo presets list -v                    the presets, and what each is for
  cargo presets show fast-dev              what it is for, and what it writes
  cargo presets apply fast-dev             write into the workspace Cargo.toml
  cargo presets apply fast-dev --dry-run   the change as a diff, nothing written
  cargo presets apply fast-dev --to config write .cargo/config.toml instead
  cargo presets apply fast-dev --to user   write $CARGO_HOME/config.toml
  cargo presets apply prod --profile dist  prod's settings as [profile.dist]
  cargo presets check                      lint the profiles cargo would use
  cargo presets status                     which presets are applied, intact
  cargo presets remove fast-dev            take back what apply wrote
  cargo presets explain release debug      a value, and where it came from
  cargo presets verify release             prove it with real cargo
  cargo presets bench fast-dev --runs 3    measure it on this workspace
  cargo presets tune                       search for faster settings here

Exit status: 0 on success, 2 on a usage error, 101 on any other failure (nothing
is written); `check` exits 1 when it finds problems.";

/// Set up Cargo build profiles from composable, explained presets.
///
/// Presets are TOML files: the built-in ones, the project's in `.cargo/presets/`, and your own in
/// `$CARGO_HOME/presets/`. Applying them writes `[profile.*]` tables, with a comment on every key
/// saying why, and leaves everything else in the file exactly as it was.
#[derive(Debug, Parser)]
#[command(name = "cargo-presets", bin_name = "cargo presets", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Without a command, on a terminal: the guided mode (`apply --interactive`)
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Path to Cargo.toml (default: found from the current directory, as cargo does)
    #[arg(long, global = true, value_name = "PATH")]
    pub manifest_path: Option<PathBuf>,

    /// Coloring
    #[arg(long, global = true, value_name = "WHEN", value_enum)]
    pub color: Option<Color>,

    /// Do not print status lines, warnings or notes (errors still are)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Say more: every key written, component checks, cargo's output in `bench` and `tune` (`-vv` is the same)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// The arguments as clap reads them (`cargo-presets` first); on `--help`, `--version` or a usage
/// error, what clap prints is printed and the exit status returned instead.
pub fn parse(args: Vec<OsString>) -> std::result::Result<Cli, i32> {
    Cli::try_parse_from(args).map_err(|e| {
        let _ = e.print();
        e.exit_code()
    })
}

/// Runs the command, each with the options its arguments give.
pub fn run(command: Option<Command>, ctx: &mut Context<'_>) -> Result<i32> {
    match command {
        // No command: the guided mode for a person at a terminal; for a script, the usage
        // (exit 2) at once, never a prompt.
        None if prompt::at_a_terminal() => ops::guide::run(ctx),
        None => {
            let help = Cli::command().render_help();
            ctx.shell.error_text(&help.ansi().to_string());
            Ok(ops::guide::NO_TERMINAL)
        }
        Some(Command::Apply(args)) if args.interactive => ops::guide::run(ctx),
        Some(Command::List(args)) => ops::list::run(ctx, args.format),
        Some(Command::Show(args)) => ops::show::run(ctx, &args.into()),
        Some(Command::Apply(args)) => ops::apply::run(ctx, &args.into()),
        Some(Command::Init(args)) => ops::scaffold::init(ctx, &args.into()),
        Some(Command::New(args)) => ops::scaffold::new(ctx, &args.into()),
        Some(Command::Check(args)) => ops::check::run(ctx, &args.into()),
        Some(Command::Remove(args)) => ops::remove::run(ctx, &args.into()),
        Some(Command::Status(args)) => ops::status::run(ctx, args.format),
        Some(Command::Explain(args)) => ops::explain::run(ctx, &args.into()),
        Some(Command::Verify(args)) => ops::verify::run(ctx, &args.into()),
        Some(Command::Bench(args)) => ops::bench::run(ctx, &args.into()),
        Some(Command::Tune(args)) => ops::tune::run(ctx, &args.into()),
        Some(Command::Completions(args)) => generate::completions(ctx, args.shell),
        Some(Command::Man) => generate::man(ctx),
        Some(Command::Schema) => ops::generate::schema(ctx),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the presets there are, one line each, with where each comes from
    List(ListArgs),
    /// Print exactly what `apply` would write for these presets, comments included
    Show(ShowArgs),
    /// Write the presets' settings into Cargo.toml or a config file
    #[command(after_help = "\
A value you set by hand that differs from a preset's is a conflict: nothing is
written, and each key is listed with both values. `--force` replaces them and
keeps each old line in a comment. Applying the same presets again changes
nothing.

`--profile NAME` writes the settings of a preset's one profile as
[profile.NAME] (and its package and build-override tables), with the
`inherits` that profile had: `prod --profile dist` gives [profile.dist]
inheriting `release`, and a preset for `release` itself gives the same. An
existing [profile.NAME] keeps its own `inherits`. Presets that write several
profiles, or only config keys, are refused. `remove PRESET --profile NAME`
takes it back.

`--package SPEC` (repeatable) writes the presets' settings for every
dependency, [profile.P.package.\"*\"], as [profile.P.package.SPEC] for each
package named, and their other settings as usual:
  cargo presets apply deps-opt1-dev --package regex --package serde_json
Each name must be in Cargo.lock (as `name` or `name@version`): cargo ignores
an override that matches no package. A preset with `packages = \"named\"`
(hint-mostly-unused) writes those tables only for named packages.
`remove PRESET` takes them back.")]
    Apply(ApplyArgs),
    /// Set a repository up: apply presets (default: fast-dev) and add an example project preset
    #[command(after_help = "\
With no PRESET, applies `fast-dev`. Creates .cargo/presets/example.toml, a
commented example of a project preset, unless the project already has presets.
Says what to commit. Running it again changes nothing. It never prompts, so
scaffolding scripts can run it as is.")]
    Init(InitArgs),
    /// Start a new preset file that teaches the format through its comments
    New(NewArgs),
    /// Lint the profiles cargo would use here: manifests, config files and environment
    #[command(after_help = "\
Reads the workspace root manifest, every other Cargo.toml below it (cargo
ignores their profiles but still validates them), the config files cargo reads
from here upwards and in $CARGO_HOME, and the CARGO_PROFILE_*, RUSTFLAGS,
CARGO_ENCODED_RUSTFLAGS and CARGO_INCREMENTAL variables.

Exit status: 0 when no finding reaches --deny, 1 when one does, 101 when the
check itself failed.")]
    Check(CheckArgs),
    /// Take back what `apply` wrote for presets (and the presets they extend)
    #[command(after_help = "\
Keys the preset set go, or return to the hand-written value `--force` replaced;
its comments go; tables it created and left empty go; feature gates it added go
when nothing else needs them. A value changed since the preset wrote it is left
alone and reported. `apply X` then `remove X` gives back the original file byte
for byte.

The file is found as `apply` finds it (a legacy .cargo/config, a symlink
followed). `--format json` prints a report shaped like apply's: the file, the
action (updated, deleted, unchanged, dry-run), and each key removed, restored
or left.")]
    Remove(RemoveArgs),
    /// Which presets are applied in which file, and whether each is intact or has drifted
    Status(StatusArgs),
    /// Each setting of a profile, its effective value and where it came from; or what a key does
    #[command(after_help = "\
Precedence, lowest first: cargo's built-in defaults, the `inherits` chain, the
root Cargo.toml, $CARGO_HOME/config.toml, the .cargo/config.toml files from /
down to the current directory, and CARGO_PROFILE_<NAME>_<KEY> variables.

Examples:
  cargo presets explain                  every setting of `dev`
  cargo presets explain release debug    one setting, and what it overrides
  cargo presets explain lto              what the `lto` key does")]
    Explain(ExplainArgs),
    /// Prove a profile with real cargo: compare the rustc flags each unit gets with the settings
    #[command(after_help = "\
Runs `cargo check --profile PROFILE -v --message-format=json` in a private
target directory and compares, for every member and dependency, the -C flags
rustc received (opt-level, debuginfo, codegen-units, strip, panic) with what the
profile's settings say, as `explain` computes them. Each mismatch is reported
with its cause: RUSTFLAGS, a config file's rustflags, or a package spec that
does not match the package it was meant for.

Exit status: 0 when every unit matches, 1 on a mismatch, 101 when cargo could
not build.")]
    Verify(VerifyArgs),
    /// Measure presets with real builds: current settings against each preset, side by side
    #[command(after_help = "\
The workspace's files are not edited: each preset goes into a private config
file passed with `cargo --config`, and each variant builds in its own target
directory. Runs are interleaved.

Workflows: check (clean `cargo check`), build (clean build, wall and CPU time),
rebuild (after touching a source file), test (clean `cargo test --no-run`), size
(the binaries), target-size (the target directory), run (the first binary, with
--run-args; median of five runs).

Examples:
  cargo presets bench fast-dev
  cargo presets bench embedded-size fast-runtime \\
      --workflow build,size,run --run-args \"--help\"
  cargo presets bench fast-dev fast-compile --runs 3 \\
      --workflow check,build,rebuild,test")]
    Bench(BenchArgs),
    /// Search for the fastest settings for this workspace by measuring them, and save a preset
    #[command(after_help = "\
From the current settings, tune changes one setting at a time (debug info of
your crates and of dependencies, split-debuginfo, an installed linker that is
not the default, codegen-units and incremental for clean builds, the
dependencies' opt-level for `run`; on nightly, Cranelift and -Zthreads) and
keeps a change only when it wins beyond the noise, in interleaved runs. It says
which settings it skipped and why, and stops within the budget.

The workspace's files and target directory are not touched: every candidate
builds in its own temporary target directory through `cargo --config`. The
winner is saved as an ordinary preset whose comments give the measured figures;
if nothing wins, nothing is written. Nightly-only settings are tried when the
workspace builds with nightly: `cargo +nightly presets tune`.

Workflows: check, build, rebuild, test and run, as in `cargo presets bench`.

Examples:
  cargo presets tune
  cargo presets tune --workflow build,rebuild --budget 15m
  cargo presets tune --workflow build,run --run-args \"bench-input.txt\"
  cargo presets apply tuned")]
    Tune(TuneArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(after_help = "\
Examples:
  cargo presets completions bash \\
      > ~/.local/share/bash-completion/completions/cargo-presets
  cargo presets completions zsh > ~/.zfunc/_cargo-presets")]
    Completions(CompletionsArgs),
    /// Print the man page (roff), e.g. `cargo presets man > cargo-presets.1`
    Man,
    /// Print the JSON Schema of preset files, for editors that validate TOML
    #[command(after_help = "\
With taplo or Even Better TOML, save it and point preset files at it, e.g. in
.taplo.toml:
  [[rule]]
  include = [\".cargo/presets/*.toml\"]
  schema.path = \"preset.schema.json\"")]
    Schema,
}

/// A preset name: any name is accepted here (project and personal presets are found later). The
/// built-in names are what the powershell and elvish scripts offer; the bash, zsh and fish scripts
/// ask the binary instead (`__complete presets`), so they offer the project's and personal ones too.
#[derive(Clone, Debug)]
pub struct PresetName;

impl clap::builder::TypedValueParser for PresetName {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(crate::library::BUILTIN.iter().map(|(name, _)| clap::builder::PossibleValue::new(*name))))
    }
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Presets to compose, in order
    #[arg(required = true, value_name = "PRESET", value_parser = PresetName, hide_possible_values = true)]
    pub presets: Vec<String>,

    /// The kind of file to render for (see `apply --to`)
    #[arg(long, value_name = "WHERE", default_value = "manifest", value_parser = Destination::parse)]
    pub to: Destination,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// `impl From<$args> for $options` moving each field across, converted where the types differ:
/// both sides are destructured whole, so a field added to one and not the other does not compile.
macro_rules! options_from {
    ($args:ident => $options:ident { $($field:ident),* }) => {
        impl From<$args> for $options {
            fn from(args: $args) -> Self {
                let $args { $($field),* } = args;
                $options { $($field: $field.into()),* }
            }
        }
    };
}

options_from!(ShowArgs => ShowOptions { presets, to, format });

#[derive(Debug, Args)]
pub struct ApplyArgs {
    /// Presets to compose, in order; each after the presets it extends
    #[arg(required_unless_present = "interactive", value_name = "PRESET", value_parser = PresetName, hide_possible_values = true)]
    pub presets: Vec<String>,

    /// Use this variant of a preset (`fast-link --variant mold`) instead of the one `apply`
    /// picks for this machine; what it needs is still checked
    #[arg(long, value_name = "NAME")]
    pub variant: Option<String>,

    /// Keep your hand-written value of this key (`profile.dev.debug`) and skip the preset's;
    /// repeat for more keys. Other conflicts still stop `apply` (or `--force` replaces them)
    #[arg(long, value_name = "KEY")]
    pub keep: Vec<String>,

    /// Write the presets' one profile as `[profile.NAME]` instead (`prod` as cargo-dist's
    /// `dist`), inheriting what the preset's profile inherits
    #[arg(long, value_name = "NAME", conflicts_with = "interactive")]
    pub profile: Option<String>,

    /// Write the presets' settings for every dependency (`[profile.dev.package."*"]`) for this
    /// package instead (`regex`, `serde_json@1`); repeat for more packages
    #[arg(long = "package", value_name = "SPEC", conflicts_with = "interactive")]
    pub packages: Vec<String>,

    /// Pick the presets, the file, the profile and each conflict in a guided flow (needs a terminal)
    #[arg(long, short = 'i')]
    pub interactive: bool,

    #[command(flatten)]
    pub write: WriteArgs,
}

impl From<ApplyArgs> for ApplyOptions {
    fn from(args: ApplyArgs) -> Self {
        // `--interactive` runs the guide instead, which asks for the rest.
        let ApplyArgs { presets, variant, keep, profile, packages, interactive: _, write } = args;
        let WriteArgs { to, dry_run, force, format } = write;
        ApplyOptions { presets, variant, to, force, keep, profile, packages, dry_run, format }
    }
}

/// How `apply` and `init` write.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// Where to write: `manifest` (the workspace Cargo.toml), `config` (<workspace>/.cargo/config.toml),
    /// `user` ($CARGO_HOME/config.toml), or a path ending in `.toml` for a standalone config file
    /// used as `cargo --config <path> …`
    #[arg(long, value_name = "WHERE", default_value = "manifest", value_parser = Destination::parse)]
    pub to: Destination,

    /// Print the change as a unified diff and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Replace values set by hand (each old line is kept in a comment)
    #[arg(long)]
    pub force: bool,

    /// Output format: `json` prints what changed, in which file, on stdout
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Presets to apply (default: fast-dev)
    #[arg(value_name = "PRESET", value_parser = PresetName, hide_possible_values = true)]
    pub presets: Vec<String>,

    #[command(flatten)]
    pub write: WriteArgs,
}

impl From<InitArgs> for InitOptions {
    fn from(args: InitArgs) -> Self {
        let WriteArgs { to, dry_run, force, format } = args.write;
        InitOptions { presets: args.presets, to, dry_run, force, format }
    }
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The preset's name, which is its file name
    #[arg(value_name = "NAME")]
    pub name: String,

    /// Presets it builds on
    #[arg(long, value_name = "PRESET")]
    pub extends: Vec<String>,

    /// Create it in $CARGO_HOME/presets/ (yours alone) instead of <workspace>/.cargo/presets/
    #[arg(long)]
    pub user: bool,

    /// Output format: `json` prints the file created, on stdout
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

options_from!(NewArgs => NewOptions { name, extends, user, format });

#[derive(Debug, Args)]
pub struct RemoveArgs {
    /// The presets to take back
    #[arg(required = true, value_name = "PRESET", value_parser = PresetName, hide_possible_values = true)]
    pub presets: Vec<String>,

    /// Take them back from `[profile.NAME]`, where `apply --profile NAME` wrote them
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// The file to take it out of, as for `apply --to`
    #[arg(long, value_name = "WHERE", default_value = "manifest", value_parser = Destination::parse)]
    pub to: Destination,

    /// Print the change as a unified diff and write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Output format: `json` prints what was taken back, from which file, on stdout
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

options_from!(RemoveArgs => RemoveOptions { presets, profile, to, dry_run, format });

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The profile (default `dev`), or a key name to learn what it does
    #[arg(value_name = "PROFILE")]
    pub profile: Option<String>,

    /// One setting of the profile
    #[arg(value_name = "KEY")]
    pub key: Option<String>,

    /// What one package gets: built for the target, and built for a build script or proc-macro
    #[arg(long, short = 'p', value_name = "NAME")]
    pub package: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

options_from!(ExplainArgs => ExplainOptions { profile, key, package, format });

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The profile to verify (default `dev`)
    #[arg(value_name = "PROFILE")]
    pub profile: Option<String>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

options_from!(VerifyArgs => VerifyOptions { profile, format });

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Presets to compare with the current settings, each on its own
    #[arg(required = true, value_name = "PRESET", value_parser = PresetName, hide_possible_values = true)]
    pub presets: Vec<String>,

    /// What to measure, comma-separated
    #[arg(long, value_enum, value_delimiter = ',', default_value = "build,rebuild,target-size")]
    pub workflow: Vec<Workflow>,

    /// How many times to measure each variant (the table shows medians)
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub runs: u32,

    #[command(flatten)]
    pub report: MeasureArgs,
}

options_from!(BenchArgs => BenchOptions { presets, workflow, runs, report });

#[derive(Debug, Args)]
pub struct TuneArgs {
    /// What to make faster, comma-separated (each counts the same)
    #[arg(long, value_enum, value_delimiter = ',', default_value = "rebuild,check")]
    pub workflow: Vec<Workflow>,

    /// How long the search may take: `10m`, `90s`, `1h30m`
    #[arg(long, default_value = "10m", value_name = "TIME", value_parser = crate::measure::tune::parse_duration)]
    pub budget: std::time::Duration,

    /// Most run pairs per candidate before an undecided comparison counts as a tie
    #[arg(long, default_value_t = 8, value_name = "N", value_parser = clap::value_parser!(u32).range(3..))]
    pub max_pairs: u32,

    /// The name of the preset to write, in .cargo/presets/
    #[arg(long, default_value = "tuned", value_name = "NAME")]
    pub save: String,

    #[command(flatten)]
    pub report: MeasureArgs,
}

options_from!(TuneArgs => TuneOptions { workflow, budget, max_pairs, save, report });

/// What `bench` and `tune` share: the binary's arguments for `run`, and the report.
#[derive(Debug, Args)]
pub struct MeasureArgs {
    /// Arguments for the binary in `--workflow run`
    #[arg(long, value_name = "ARGS", allow_hyphen_values = true)]
    pub run_args: Option<String>,

    /// Where to write the SVG chart (default: target/cargo-presets/<command>-<time>.svg)
    #[arg(long, value_name = "PATH")]
    pub chart: Option<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

options_from!(MeasureArgs => MeasureOptions { run_args, chart, format });

impl ValueEnum for Workflow {
    fn value_variants<'a>() -> &'a [Self] {
        &Workflow::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()))
    }
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Describe a rule (what it means, an example, the fix, the source) instead of checking
    #[arg(long, value_name = "CODE")]
    pub explain: Option<String>,

    /// The lowest severity that makes the exit status 1
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = Level::Warning)]
    pub deny: Level,

    /// Output format (`github`: one workflow annotation per finding, for GitHub Actions)
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
}

options_from!(CheckArgs => CheckOptions { explain, deny, format });

impl ValueEnum for CheckFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &[CheckFormat::Human, CheckFormat::Json, CheckFormat::Github]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            CheckFormat::Human => "human",
            CheckFormat::Json => "json",
            CheckFormat::Github => "github",
        }))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl From<Level> for crate::lint::Severity {
    fn from(level: Level) -> Self {
        match level {
            Level::Error => crate::lint::Severity::Error,
            Level::Warning => crate::lint::Severity::Warning,
            Level::Note => crate::lint::Severity::Note,
        }
    }
}

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[Format::Human, Format::Json]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            Format::Human => "human",
            Format::Json => "json",
        }))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl From<Color> for anstream::ColorChoice {
    fn from(color: Color) -> Self {
        match color {
            Color::Auto => anstream::ColorChoice::Auto,
            Color::Always => anstream::ColorChoice::Always,
            Color::Never => anstream::ColorChoice::Never,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Help text is written for 80 columns, so that a terminal never wraps an example into the
    /// column of its neighbour.
    #[test]
    fn after_help_fits_80_columns() {
        fn check(command: &clap::Command) {
            for line in command.get_after_help().map(ToString::to_string).unwrap_or_default().lines() {
                assert!(line.chars().count() <= 80, "`{}` help: {line:?}", command.get_name());
            }
            command.get_subcommands().for_each(check);
        }
        check(&Cli::command());
    }

    #[test]
    fn to_accepts_names_and_paths() {
        assert_eq!(Destination::parse("user"), Ok(Destination::User));
        assert_eq!(Destination::parse(".cargo/x.toml"), Ok(Destination::File(".cargo/x.toml".into())));
        assert!(Destination::parse("elsewhere").is_err());
    }
}
