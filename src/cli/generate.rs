//! What is generated from the command-line definition: shell completion scripts and the man
//! page. The scripts of bash, zsh and fish ask the binary for preset names as they complete
//! (`ops::generate::candidates` answers).

use clap::CommandFactory;

use super::Cli;
use crate::error::{Error, Result};
use crate::ops::Context;

/// The name completions and the man page are made for: the binary cargo runs.
const BIN: &str = "cargo-presets";

/// What the bash, zsh and fish scripts run when they complete a PRESET argument: the binary,
/// in the user's directory, so they offer the presets `list` shows there (built-in, personal and
/// the project's). `presets` first, as cargo passes it; errors go nowhere, a completion must not
/// write into the command line being typed.
const ASK_PRESETS: &str = "cargo-presets presets __complete presets 2>/dev/null";

pub fn completions(ctx: &mut Context<'_>, shell: clap_complete::Shell) -> Result<i32> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut named(Cli::command().name(BIN), BIN), BIN, &mut out);
    let mut script = String::from_utf8_lossy(&out).into_owned();
    // clap_complete bakes the built-in names (`PresetName`'s possible values) into the script
    // where a PRESET is completed; these shells ask the binary instead, as they complete.
    let builtin = crate::library::BUILTIN.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(" ");
    match shell {
        clap_complete::Shell::Bash => {
            // clap_complete 4.6 names a subcommand's case `cargo__subcmd__presets__subcmd__apply`
            // (the `-` of the binary's name turned into a subcommand separator) but sets
            // `cmd="cargo__presets__subcmd__apply"`, so no subcommand completed anything.
            script = script.replace("cargo__subcmd__presets__subcmd__", "cargo__presets__subcmd__");
            // The names end each subcommand's `opts="…"`, a double-quoted string, so the
            // substitution runs each time the case is reached.
            script = script.replace(&format!(" {builtin}\""), &format!(" $({ASK_PRESETS})\""));
        }
        clap_complete::Shell::Zsh => {
            // `_arguments` evaluates a `{…}` action at completion time; `(f)` splits the lines.
            script =
                script.replace(&format!(":({builtin})'"), &format!(":{{compadd -- ${{(f)\"$({ASK_PRESETS})\"}}}}'"));
        }
        clap_complete::Shell::Fish => {
            // clap_complete's fish script offers no values for positional arguments: name the
            // presets for each subcommand that takes them. Fish runs a `(…)` in `-a` each time
            // it completes.
            for sub in Cli::command().get_subcommands() {
                if sub.get_positionals().any(|a| a.get_value_names().is_some_and(|n| n.iter().any(|n| n == "PRESET"))) {
                    script.push_str(&format!(
                        "complete -c {BIN} -n \"__fish_cargo_presets_using_subcommand {}\" -f -a \"({ASK_PRESETS})\"\n",
                        sub.get_name(),
                    ));
                }
            }
        }
        _ => {}
    }
    ctx.shell.print(&script)?;
    Ok(0)
}

pub fn man(ctx: &mut Context<'_>) -> Result<i32> {
    let mut out = Vec::new();
    clap_mangen::Man::new(named(Cli::command().name(BIN), BIN))
        .render(&mut out)
        .map_err(|e| Error::new(format!("failed to render the man page: {e}")))?;
    ctx.shell.print(&String::from_utf8_lossy(&out))?;
    Ok(0)
}

/// The command and its subcommands named for the binary (`cargo-presets apply`), not for how
/// cargo runs it (`cargo presets apply`): bash completion names its functions after these names,
/// and a space in them left every subcommand without completions.
fn named(command: clap::Command, bin: &str) -> clap::Command {
    command.bin_name(bin).mut_subcommands(|sub| {
        let name = format!("{bin} {}", sub.get_name());
        named(sub, &name)
    })
}
