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
    let expected = ["apply", "check", "explain", "init", "list", "new", "show", "status"];
    assert_eq!(commands, expected.map(str::to_owned).into(), "the commands whose JSON the fixtures show");
}

/// The schemas are strict: a key more, a key less or a value of another type is caught.
#[test]
#[should_panic(expected = "does not have its documented shape")]
fn a_key_the_schema_does_not_know_fails() {
    let mut json = new_report();
    json["files"][0]["path"] = json!("x");
    common::assert_report_shape("new", &json);
}

#[test]
#[should_panic(expected = "does not have its documented shape")]
fn a_missing_key_fails() {
    let mut json = new_report();
    json["files"][0].as_object_mut().unwrap().remove("action");
    common::assert_report_shape("new", &json);
}

#[test]
#[should_panic(expected = "does not have its documented shape")]
fn a_value_of_another_kind_fails() {
    let mut json = new_report();
    json["files"][0]["action"] = json!("written");
    common::assert_report_shape("new", &json);
}

#[test]
fn only_a_preset_status_no_longer_knows_goes_without_profile_and_overrides() {
    let unknown = json!({ "name": "gone", "state": "unknown", "keys": 0, "changed": [], "taken": [], "missing": [], "key_states": [] });
    common::assert_report_shape("status", &json!({ "files": [{ "file": "Cargo.toml", "presets": [unknown] }] }));
    let mut known = unknown.clone();
    known["state"] = json!("intact");
    let result = std::panic::catch_unwind(|| {
        common::assert_report_shape("status", &json!({ "files": [{ "file": "Cargo.toml", "presets": [known] }] }))
    });
    assert!(result.is_err(), "a known preset without `profile` and `overridden` passed");
}

fn new_report() -> Value {
    let json = json!({ "files": [{ "file": ".cargo/presets/team.toml", "action": "created" }] });
    common::assert_report_shape("new", &json);
    json
}
