//! Every command's `--format json` against its JSON Schema (`tests/schemas/reports.json`): the
//! output of every fixture run with `--format json` here; `verify`, `bench` and `tune`, which
//! need real builds, in their own tests.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use serde_json::{Value, json};

#[test]
fn every_json_fixture_has_its_commands_documented_shape() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut commands = BTreeSet::new();
    for entry in fs::read_dir(fixtures).unwrap() {
        let case = entry.unwrap().path();
        let cmd = fs::read_to_string(case.join("cmd")).unwrap_or_default();
        let Some(stdout) =
            cmd.contains("--format json").then(|| fs::read_to_string(case.join("stdout")).ok()).flatten()
        else {
            continue;
        };
        let command = cmd.split_whitespace().next().unwrap();
        let json: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{}: {e}", case.display()));
        common::assert_report_shape(command, &json);
        commands.insert(command.to_owned());
    }
    let expected = ["apply", "check", "explain", "init", "list", "new", "remove", "show", "status"];
    assert_eq!(commands, expected.map(str::to_owned).into(), "the commands whose JSON the fixtures show");
}

/// The schemas are strict: a key more, a key less or a value of another kind is caught.
#[test]
fn a_key_more_a_key_less_or_a_value_of_another_kind_fails() {
    let good = json!({ "files": [{ "file": ".cargo/presets/team.toml", "action": "created" }] });
    common::assert_report_shape("new", &good);
    let mut more = good.clone();
    more["files"][0]["path"] = json!("x");
    let mut less = good.clone();
    less["files"][0].as_object_mut().unwrap().remove("action");
    let mut other = good;
    other["files"][0]["action"] = json!("written");
    for bad in [more, less, other] {
        assert!(fails("new", &bad), "passed: {bad:#}");
    }
}

#[test]
fn only_a_preset_status_no_longer_knows_goes_without_profile_and_overrides() {
    let unknown = json!({ "name": "gone", "state": "unknown", "keys": 0, "changed": [], "taken": [], "missing": [], "key_states": [] });
    let status = |preset: &Value| json!({ "files": [{ "file": "Cargo.toml", "presets": [preset] }] });
    common::assert_report_shape("status", &status(&unknown));
    let mut known = unknown;
    known["state"] = json!("intact");
    assert!(fails("status", &status(&known)), "a known preset without `profile` and `overridden` passed");
}

/// Whether `json` fails `command`'s schema.
fn fails(command: &str, json: &Value) -> bool {
    std::panic::catch_unwind(|| common::assert_report_shape(command, json)).is_err()
}
