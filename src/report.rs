//! Reports: what a command found, as one struct that derives `Serialize` and renders itself for
//! people. `--format json` prints the struct as it serializes, through [`json`].

use serde::Serialize;

/// A report as `--format json` prints it: indented, then a newline.
///
/// Keys come in alphabetical order at every level, whatever the order fields are declared in
/// (which follows how people read them): the documented shapes always had serde_json's own map
/// order (it is built without `preserve_order`), and going through its `Value` keeps them so.
pub fn json(report: &impl Serialize) -> String {
    // Reports hold strings, numbers and paths; only a path that is not UTF-8 fails, as it did
    // when the shapes were written by hand.
    let value = serde_json::to_value(report).expect("a report serializes to JSON");
    format!("{value:#}\n")
}
