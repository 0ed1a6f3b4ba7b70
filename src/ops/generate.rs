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
    clap_complete::generate(shell, &mut Cli::command().name(BIN).bin_name(BIN), BIN, &mut out);
    print(ctx, out)
}

pub fn man(ctx: &mut Context<'_>) -> Result<i32> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command().name(BIN).bin_name(BIN))
        .render(&mut out)
        .map_err(|e| Error::new(format!("failed to render the man page: {e}")))?;
    print(ctx, out)
}

pub fn schema(ctx: &mut Context<'_>) -> Result<i32> {
    ctx.shell.print(&format!("{:#}\n", crate::json_schema::preset_schema()))?;
    Ok(0)
}

fn print(ctx: &mut Context<'_>, bytes: Vec<u8>) -> Result<i32> {
    ctx.shell.print(&String::from_utf8_lossy(&bytes))?;
    Ok(0)
}
