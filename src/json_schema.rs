//! The JSON Schema of preset files, so that editors with a TOML language server (taplo, Even
//! Better TOML) validate and complete them. Built from the same key table the parser uses.

use serde_json::{Map, Value, json};

use crate::cargo::schema::{self, Key};

pub fn preset_schema() -> Value {
    let releases = json!({
        "type": "string",
        "description": "rustc (and cargo) releases: \">=1.99\", \"<1.99\" or \">=1.92, <1.99\"",
        "pattern": "^\\s*(>=|<)\\s*[0-9]+\\.[0-9]+(\\.[0-9]+)?\\s*(,\\s*(>=|<)\\s*[0-9]+\\.[0-9]+(\\.[0-9]+)?\\s*)?$"
    });
    let setting = |key: Key| {
        json!({
            "type": "object",
            "description": format!("`{}`: the value, and a short reason written next to the key", key.name()),
            "additionalProperties": false,
            "required": ["value", "why"],
            "properties": {
                "value": key.json_domain(),
                "why": { "type": "string", "minLength": 1 },
                "rustc": releases.clone(),
                "redundant": {
                    "type": "object", "additionalProperties": false, "required": ["rustc", "because"],
                    "description": "releases on which cargo does the same by itself: still written, and said so",
                    "properties": { "rustc": releases.clone(), "because": { "type": "string", "minLength": 1 } }
                }
            }
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
    // Lower case only: JSON Schema has no case-insensitive match. `doc` has no effect. `debug`
    // is cargo's own profile from 1.99, which a variant for those releases may write: there the
    // parser, which knows the variant's releases, decides.
    let profiles_but = |allowed: &str| {
        let reserved: Vec<&str> =
            schema::RESERVED_PROFILE_NAMES.into_iter().filter(|n| *n != allowed).chain(["doc"]).collect();
        json!({
            "type": "object",
            "propertyNames": { "type": "string", "pattern": "^[\\w-]+$", "not": { "enum": reserved } },
            "additionalProperties": { "$ref": "#/$defs/profile" }
        })
    };
    let profiles = profiles_but("");
    let why = json!({ "type": "string", "minLength": 1 });
    let config_setting = |value: Value, what: &str| {
        json!({
            "type": "object",
            "description": format!("{what}: the value, and a short reason written next to the key"),
            "additionalProperties": false,
            "required": ["value", "why"],
            "properties": { "value": value, "why": why }
        })
    };
    let flags = json!({ "type": "array", "items": { "type": "string" } });
    let program = json!({ "type": "string", "pattern": "^[A-Za-z0-9_+-][A-Za-z0-9._+-]*$" });
    let strings = json!({ "type": "array", "items": { "type": "string" } });
    let config_tables = json!({
        "build": {
            "type": "object", "additionalProperties": false,
            "properties": {
                "rustflags": config_setting(flags.clone(), "flags added to `[build].rustflags` (or the `[target]` table cargo reads instead); `{threads}` is min(cores, 8)"),
                "rustc-wrapper": config_setting(program.clone(), "a program cargo runs rustc through, found on PATH"),
            }
        },
        "target": {
            "type": "object",
            "description": "`[target.<triple>]` or `[target.'cfg(…)']` tables",
            "additionalProperties": {
                "type": "object", "additionalProperties": false,
                "properties": {
                    "linker": config_setting(program.clone(), "the linker, a program found on PATH"),
                    "rustflags": config_setting(flags, "flags added to the table's `rustflags`"),
                }
            }
        },
        "resolver": {
            "type": "object", "additionalProperties": false,
            "properties": {
                "feature-unification": config_setting(json!({ "enum": ["selected", "workspace", "package"] }), "`resolver.feature-unification` (nightly)"),
                "incompatible-rust-versions": config_setting(json!({ "enum": ["allow", "fallback"] }), "`resolver.incompatible-rust-versions`"),
            }
        },
        "unstable": {
            "type": "object",
            "propertyNames": { "pattern": "^[a-z0-9-]+$" },
            "additionalProperties": config_setting(json!({ "anyOf": [{ "type": "boolean" }, strings] }), "a `-Z` flag of nightly cargo")
        }
    });
    let when = json!({
        "type": "object", "additionalProperties": false,
        "description": "where it applies; every condition given must hold",
        "properties": {
            "host": strings, "os": strings, "arch": strings,
            "channel": { "enum": ["stable", "beta", "nightly"] },
            "min-rustc": { "type": "string", "pattern": "^[0-9]+\\.[0-9]+(\\.[0-9]+)?$" },
            "rustc": releases
        }
    });
    let mut variant_properties = Map::new();
    variant_properties.insert("name".into(), name.clone());
    variant_properties.insert("when".into(), when.clone());
    variant_properties.insert(
        "requires".into(),
        json!({ "type": "object", "additionalProperties": false, "properties": { "programs": { "type": "array", "items": program } } }),
    );
    variant_properties
        .insert("note".into(), json!({ "type": "string", "description": "said when the variant is chosen" }));
    variant_properties.insert("profile".into(), profiles_but("debug"));
    for (key, table) in config_tables.as_object().expect("an object") {
        variant_properties.insert(key.clone(), table.clone());
    }
    let mut root = json!({
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
            "conflicts-with": {
                "type": "array",
                "description": "presets this one cannot go with: `apply`, `show` and the guided mode refuse them together with `why`",
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["preset", "why"],
                    "properties": { "preset": name, "why": { "type": "string", "minLength": 1 } }
                }
            },
            "sources": { "type": "array", "items": { "type": "string" }, "description": "where the advice comes from" },
            "requires": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "components": { "type": "array", "items": { "type": "string" }, "description": "rustup components the settings need" },
                    "cargo-args": { "type": "array", "items": { "type": "string" }, "description": "arguments a cargo command needs to use the settings; `{host}` is the host's target triple" },
                    "programs": { "type": "array", "items": program, "description": "programs the settings run, which must be on PATH" },
                    "install": { "type": "object", "additionalProperties": { "type": "string" }, "description": "how to install each program" }
                }
            },
            "machine-specific": { "type": "boolean", "description": "settings right for one machine only: refused in files shared through git unless forced" },
            "packages": { "const": "named", "description": "the `package.\"*\"` tables are templates for the packages named with `apply --package`, never written for every dependency" },
            "when": when,
            "variant": {
                "type": "array",
                "description": "variants for different machines: `apply` takes the first that fits",
                "items": { "type": "object", "additionalProperties": false, "required": ["name"], "properties": variant_properties }
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
    });
    let properties = root["properties"].as_object_mut().expect("an object");
    for (key, table) in config_tables.as_object().expect("an object") {
        properties.insert(key.clone(), table.clone());
    }
    root
}
