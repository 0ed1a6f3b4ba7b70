//! Files generated from the command-line definition and the schema: shell completions, the man
//! page, and the JSON Schema of preset files.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::ops::Context;

/// The name completions and the man page are made for: the binary cargo runs.
const BIN: &str = "cargo-presets";

pub fn completions(ctx: &mut Context<'_>, shell: clap_complete::Shell) -> Result<i32> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut named(Cli::command().name(BIN), BIN), BIN, &mut out);
    let mut script = String::from_utf8_lossy(&out).into_owned();
    if shell == clap_complete::Shell::Bash {
        // clap_complete 4.6 names a subcommand's case `cargo__subcmd__presets__subcmd__apply`
        // (the `-` of the binary's name turned into a subcommand separator) but sets
        // `cmd="cargo__presets__subcmd__apply"`, so no subcommand completed anything.
        script = script.replace("cargo__subcmd__presets__subcmd__", "cargo__presets__subcmd__");
    }
    if shell == clap_complete::Shell::Fish {
        // clap_complete's fish script offers no values for positional arguments: name the
        // presets for each subcommand that takes them.
        let names: Vec<&str> = crate::library::BUILTIN.iter().map(|(name, _)| *name).collect();
        for sub in Cli::command().get_subcommands() {
            if sub.get_positionals().any(|a| a.get_value_names().is_some_and(|n| n.iter().any(|n| n == "PRESET"))) {
                script.push_str(&format!(
                    "complete -c {BIN} -n \"__fish_cargo_presets_using_subcommand {}\" -f -a \"{}\"\n",
                    sub.get_name(),
                    names.join(" ")
                ));
            }
        }
    }
    ctx.shell.print(&script)?;
    Ok(0)
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
