//! What is generated for tools rather than people: the candidates the shell completion scripts
//! ask for as they complete (the scripts themselves come from the command line, `cli`), and the
//! JSON Schema of preset files.

use std::ffi::OsString;

use crate::error::{Error, Result};
use crate::library::Library;
use crate::ops::Context;

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

pub fn schema(ctx: &mut Context<'_>) -> Result<i32> {
    // Printed through `Value`, whose maps are sorted (no `preserve_order`): keys come in
    // alphabetical order, as they always have.
    let schema = serde_json::to_value(crate::json_schema::preset_schema())
        .map_err(|e| Error::new(format!("cannot write the schema as JSON: {e}")))?;
    ctx.shell.print(&format!("{schema:#}\n"))?;
    Ok(0)
}
