//! Reports: what a command found, as one struct that derives `Serialize` and renders itself for
//! people. `--format json` prints the struct as it serializes, through [`json`].

use serde::Serialize;

use crate::error::{Error, Result};

/// A report as `--format json` prints it: indented, then a newline.
///
/// Keys come in alphabetical order at every level, whatever the order fields are declared in
/// (which follows how people read them): the documented shapes always had serde_json's own map
/// order (it is built without `preserve_order`), and going through its `Value` keeps them so.
pub fn json(report: &impl Serialize) -> Result<String> {
    // Reports hold strings, numbers and paths; only a path that is not UTF-8 fails.
    let value = serde_json::to_value(report)
        .map_err(|e| Error::new(format!("cannot write the report as JSON: {e}")).help("use `--format human`"))?;
    Ok(format!("{value:#}\n"))
}
