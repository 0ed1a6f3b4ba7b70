//! Files generated from the command-line definition and the schema: shell completions (and the
//! candidates they ask for as they complete), the man page, and the JSON Schema of preset files.

use std::ffi::OsString;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::library::Library;
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

/// `__complete presets`: the names `list` would show here, one a line, for the completion
/// scripts. It fails for nothing: a workspace that cannot be read counts as none, and a preset
/// folder that cannot be read (two files of one name) is left out, so the user still gets the
/// rest. Preset files are not parsed, so a broken one is still offered, and `show` then says what
/// is wrong with it. Exit status 2 for a question it does not know, as for a usage error.
pub fn candidates(ctx: &mut Context<'_>, question: &[OsString]) -> i32 {
    if question != ["presets"] {
        return 2;
    }
    let workspace = ctx.optional_workspace().ok().flatten();
    let library =
        ctx.library(workspace.as_ref()).or_else(|_| ctx.library(None)).or_else(|_| Library::discover(None, None));
    let names: String = library.iter().flat_map(Library::entries).map(|entry| format!("{}\n", entry.name)).collect();
    // A completion has nowhere to report a closed pipe.
    let _ = ctx.shell.print(&names);
    0
}

pub fn man(ctx: &mut Context<'_>) -> Result<i32> {
    let mut out = Vec::new();
    clap_mangen::Man::new(named(Cli::command().name(BIN), BIN))
        .render(&mut out)
        .map_err(|e| Error::new(format!("failed to render the man page: {e}")))?;
    print(ctx, out)
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

pub fn schema(ctx: &mut Context<'_>) -> Result<i32> {
    ctx.shell.print(&format!("{:#}\n", crate::json_schema::preset_schema()))?;
    Ok(0)
}

fn print(ctx: &mut Context<'_>, bytes: Vec<u8>) -> Result<i32> {
    ctx.shell.print(&String::from_utf8_lossy(&bytes))?;
    Ok(0)
}
