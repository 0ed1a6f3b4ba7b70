//! The JSON Schema of preset files, so that editors with a TOML language server (taplo, Even
//! Better TOML) validate and complete them. Built from the same key table the parser uses.

use serde_json::{Map, Value, json};

use crate::schema::{self, Key};

pub fn preset_schema() -> Value {
    let setting = |key: Key| {
        json!({
            "type": "object",
            "description": format!("`{}`: the value, and a short reason written next to the key", key.name()),
            "additionalProperties": false,
            "required": ["value", "why"],
            "properties": { "value": key.json_domain(), "why": { "type": "string", "minLength": 1 } }
        })
    };
    let layer = |in_override: bool| {
        let mut properties = Map::new();
        for key in Key::ALL.into_iter().filter(|k| !in_override || k.allowed_in_override()) {
            let schema = if key == Key::Inherits {
                json!({ "anyOf": [key.json_domain(), { "type": "object", "additionalProperties": false, "required": ["value"], "properties": { "value": key.json_domain(), "why": { "type": "string" } } }] })
            } else {
                setting(key)
            };
            properties.insert(key.name().to_owned(), schema);
        }
        if !in_override {
            properties.insert("package".into(), json!({ "type": "object", "description": "overrides per package: \"*\" (every dependency), a name, or name@version", "additionalProperties": { "$ref": "#/$defs/override" } }));
            properties.insert("build-override".into(), json!({ "$ref": "#/$defs/override" }));
        }
        json!({ "type": "object", "additionalProperties": false, "properties": properties })
    };
    let name = json!({ "type": "string", "pattern": "^[A-Za-z0-9_-]+$" });
    // Lower case only: JSON Schema has no case-insensitive match. `doc` has no effect.
    let reserved: Vec<&str> = schema::RESERVED_PROFILE_NAMES.into_iter().chain(["doc"]).collect();
    let profiles = json!({
        "type": "object",
        "propertyNames": { "type": "string", "pattern": "^[\\w-]+$", "not": { "enum": reserved } },
        "additionalProperties": { "$ref": "#/$defs/profile" }
    });
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cargo-presets preset file",
        "description": "A preset for `cargo presets`: profile settings, each with a reason, composable with `extends`.",
        "type": "object",
        "additionalProperties": false,
        "required": ["summary"],
        "properties": {
            "summary": { "type": "string", "minLength": 1, "description": "one line: what the preset is for" },
            "description": { "type": "string", "description": "when to use it, when not, and what it costs" },
            "extends": { "type": "array", "items": name, "description": "presets composed before this one" },
            "overrides": { "type": "array", "items": name, "description": "presets whose values this one may replace" },
            "sources": { "type": "array", "items": { "type": "string" }, "description": "where the advice comes from" },
            "requires": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "components": { "type": "array", "items": { "type": "string" }, "description": "rustup components the settings need" },
                    "cargo-args": { "type": "array", "items": { "type": "string" }, "description": "arguments a cargo command needs to use the settings; `{host}` is the host's target triple" }
                }
            },
            "profile": profiles.clone(),
            "relies-on": {
                "type": "object",
                "additionalProperties": false,
                "description": "values the preset needs but does not write (profile keys only); other values there are a conflict",
                "properties": { "profile": profiles }
            }
        },
        "$defs": { "profile": layer(false), "override": layer(true) }
    })
}
