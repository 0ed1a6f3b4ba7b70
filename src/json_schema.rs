//! The JSON Schema of preset files, so that editors with a TOML language server (taplo, Even
//! Better TOML) validate and complete them. Built from the same key table the parser uses: each
//! profile key's domain is written here in JSON Schema's terms (a match on [`Key`], so a new key
//! does not compile without one), which keeps `cargo::schema` free of JSON Schema. The schema is
//! a typed [`Schema`] holding only the keywords this file uses.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};
use serde_json::Value;

use crate::cargo::schema::{self, Key};

/// A JSON Schema, as far as preset files need one; a keyword not set is left out. Field order
/// does not matter: the schema is printed through serde_json's `Value`, whose maps are sorted.
#[derive(Clone, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    #[serde(rename = "$schema", skip_serializing_if = "Option::is_none")]
    dialect: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    kind: Option<Type>,
    #[serde(rename = "$ref", skip_serializing_if = "Option::is_none")]
    reference: Option<&'static str>,
    #[serde(rename = "enum", skip_serializing_if = "Vec::is_empty")]
    values: Vec<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    any_of: Vec<Schema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    not: Option<Box<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pattern: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    min_length: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minimum: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    maximum: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<Box<Schema>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    required: Vec<&'static str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    properties: BTreeMap<&'static str, Schema>,
    #[serde(skip_serializing_if = "Option::is_none")]
    property_names: Option<Box<Schema>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    additional_properties: Option<Others>,
    #[serde(rename = "$defs", skip_serializing_if = "BTreeMap::is_empty")]
    defs: BTreeMap<&'static str, Schema>,
}

#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "lowercase")]
enum Type {
    String,
    Integer,
    Boolean,
    Array,
    Object,
}

/// What the keys an object does not list may hold: nothing (JSON Schema's `false`), or values
/// of one schema.
#[derive(Clone)]
enum Others {
    Refused,
    Each(Box<Schema>),
}

impl Serialize for Others {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Others::Refused => serializer.serialize_bool(false),
            Others::Each(schema) => schema.serialize(serializer),
        }
    }
}

impl Schema {
    fn of(kind: Type) -> Schema {
        Schema { kind: Some(kind), ..Schema::default() }
    }

    fn string() -> Schema {
        Schema::of(Type::String)
    }

    fn non_empty_string() -> Schema {
        Schema { min_length: Some(1), ..Schema::string() }
    }

    fn string_matching(pattern: &'static str) -> Schema {
        Schema { pattern: Some(pattern), ..Schema::string() }
    }

    fn array(items: Schema) -> Schema {
        Schema { items: Some(Box::new(items)), ..Schema::of(Type::Array) }
    }

    fn strings() -> Schema {
        Schema::array(Schema::string())
    }

    /// An object with these keys and no other.
    fn object(properties: impl IntoIterator<Item = (&'static str, Schema)>) -> Schema {
        let properties = properties.into_iter().collect();
        Schema { properties, additional_properties: Some(Others::Refused), ..Schema::of(Type::Object) }
    }

    /// An object with any keys, each holding a value of `each`.
    fn map(each: Schema) -> Schema {
        Schema { additional_properties: Some(Others::Each(Box::new(each))), ..Schema::of(Type::Object) }
    }

    /// Exactly these values, in this order, which may mix types (`[true, false]`, then `[0, 1]`
    /// with [`Schema::or`]).
    fn one_of<V: Into<Value>>(values: impl IntoIterator<Item = V>) -> Schema {
        Schema::default().or(values)
    }

    fn or<V: Into<Value>>(mut self, values: impl IntoIterator<Item = V>) -> Schema {
        self.values.extend(values.into_iter().map(Into::into));
        self
    }

    fn any_of(schemas: impl IntoIterator<Item = Schema>) -> Schema {
        Schema { any_of: schemas.into_iter().collect(), ..Schema::default() }
    }

    fn reference(to: &'static str) -> Schema {
        Schema { reference: Some(to), ..Schema::default() }
    }

    fn describe(self, description: impl Into<String>) -> Schema {
        Schema { description: Some(description.into()), ..self }
    }

    fn require(self, keys: impl IntoIterator<Item = &'static str>) -> Schema {
        Schema { required: keys.into_iter().collect(), ..self }
    }

    /// Only keys that match `names`.
    fn keys(self, names: Schema) -> Schema {
        Schema { property_names: Some(Box::new(names)), ..self }
    }
}

/// The key's domain, for editors that validate preset files. A test checks it accepts what
/// [`Key::accepts`] accepts; `rustflags`' allow-list is only enforced by us.
pub fn domain(key: Key) -> Schema {
    match key {
        Key::Inherits => Schema::non_empty_string(),
        Key::OptLevel => Schema::one_of([0, 1, 2, 3]).or(["s", "z"]),
        Key::Debug => Schema::one_of([true, false]).or([0, 1, 2]).or([
            "none",
            "line-directives-only",
            "line-tables-only",
            "limited",
            "full",
        ]),
        Key::SplitDebuginfo => Schema::one_of(["off", "packed", "unpacked"]),
        Key::Strip => Schema::one_of([true, false]).or(["none", "debuginfo", "symbols"]),
        Key::Lto => Schema::one_of([true, false]).or(["fat", "thin", "off"]),
        Key::Panic => Schema::one_of(["unwind", "abort", "immediate-abort"]),
        Key::CodegenUnits => Schema { minimum: Some(1), maximum: Some(4_294_967_295), ..Schema::of(Type::Integer) },
        Key::CodegenBackend => Schema::string_matching("^[A-Za-z0-9_-]+$"),
        Key::Rustflags => Schema::strings(),
        Key::TrimPaths => Schema::any_of([
            Schema::one_of([true, false]).or(["none", "macro", "diagnostics", "object", "all"]),
            Schema::array(Schema::one_of(["macro", "diagnostics", "object"])),
        ]),
        Key::DebugAssertions | Key::OverflowChecks | Key::Incremental | Key::Rpath | Key::HintMostlyUnused => {
            Schema::of(Type::Boolean)
        }
    }
}

/// A setting as a preset writes it: the value, and why.
fn reasoned(value: Schema, what: &str) -> Schema {
    Schema::object([("value", value), ("why", Schema::non_empty_string())])
        .require(["value", "why"])
        .describe(format!("{what}: the value, and a short reason written next to the key"))
}

/// The schema of a whole preset file, as `cargo presets schema` prints it.
pub fn preset_schema() -> Schema {
    let releases = Schema::string_matching(
        "^\\s*(>=|<)\\s*[0-9]+\\.[0-9]+(\\.[0-9]+)?\\s*(,\\s*(>=|<)\\s*[0-9]+\\.[0-9]+(\\.[0-9]+)?\\s*)?$",
    )
    .describe("rustc (and cargo) releases: \">=1.99\", \"<1.99\" or \">=1.92, <1.99\"");
    let setting = |key: Key| {
        let mut setting = reasoned(domain(key), &format!("`{}`", key.name()));
        let redundant = Schema::object([("rustc", releases.clone()), ("because", Schema::non_empty_string())])
            .require(["rustc", "because"])
            .describe("releases on which cargo does the same by itself: still written, and said so");
        setting.properties.extend([("rustc", releases.clone()), ("redundant", redundant)]);
        setting
    };
    let layer = |in_override: bool| {
        let mut properties: BTreeMap<_, _> = Key::ALL
            .into_iter()
            .filter(|k| !in_override || k.allowed_in_override())
            .map(|key| {
                let schema = if key == Key::Inherits {
                    let reasoned = Schema::object([("value", domain(key)), ("why", Schema::string())]);
                    Schema::any_of([domain(key), reasoned.require(["value"])])
                } else {
                    setting(key)
                };
                (key.name(), schema)
            })
            .collect();
        if !in_override {
            let package = Schema::map(Schema::reference("#/$defs/override"))
                .describe("overrides per package: \"*\" (every dependency), a name, or name@version");
            properties.extend([("package", package), ("build-override", Schema::reference("#/$defs/override"))]);
        }
        Schema::object(properties)
    };
    let name = Schema::string_matching("^[A-Za-z0-9_-]+$");
    // Lower case only: JSON Schema has no case-insensitive match. `doc` has no effect. `debug`
    // is cargo's own profile from 1.99, which a variant for those releases may write: there the
    // parser, which knows the variant's releases, decides.
    let profiles_but = |allowed: &str| {
        let reserved = schema::RESERVED_PROFILE_NAMES.into_iter().filter(|n| *n != allowed).chain(["doc"]);
        let names = Schema { not: Some(Box::new(Schema::one_of(reserved))), ..Schema::string_matching("^[\\w-]+$") };
        Schema::map(Schema::reference("#/$defs/profile")).keys(names)
    };
    let profiles = profiles_but("");
    let program = Schema::string_matching("^[A-Za-z0-9_+-][A-Za-z0-9._+-]*$");
    let config_tables = [
        (
            "build",
            Schema::object([
                (
                    "rustflags",
                    reasoned(
                        Schema::strings(),
                        "flags added to `[build].rustflags` (or the `[target]` table cargo reads instead); `{threads}` is min(cores, 8)",
                    ),
                ),
                ("rustc-wrapper", reasoned(program.clone(), "a program cargo runs rustc through, found on PATH")),
            ]),
        ),
        (
            "target",
            Schema::map(Schema::object([
                ("linker", reasoned(program.clone(), "the linker, a program found on PATH")),
                ("rustflags", reasoned(Schema::strings(), "flags added to the table's `rustflags`")),
            ]))
            .describe("`[target.<triple>]` or `[target.'cfg(…)']` tables"),
        ),
        (
            "resolver",
            Schema::object([
                (
                    "feature-unification",
                    reasoned(
                        Schema::one_of(["selected", "workspace", "package"]),
                        "`resolver.feature-unification` (nightly)",
                    ),
                ),
                (
                    "incompatible-rust-versions",
                    reasoned(Schema::one_of(["allow", "fallback"]), "`resolver.incompatible-rust-versions`"),
                ),
            ]),
        ),
        (
            "unstable",
            Schema::map(reasoned(
                Schema::any_of([Schema::of(Type::Boolean), Schema::strings()]),
                "a `-Z` flag of nightly cargo",
            ))
            .keys(Schema { pattern: Some("^[a-z0-9-]+$"), ..Schema::default() }),
        ),
    ];
    let when = Schema::object([
        ("host", Schema::strings()),
        ("os", Schema::strings()),
        ("arch", Schema::strings()),
        ("channel", Schema::one_of(["stable", "beta", "nightly"])),
        ("min-rustc", Schema::string_matching("^[0-9]+\\.[0-9]+(\\.[0-9]+)?$")),
        ("rustc", releases.clone()),
    ])
    .describe("where it applies; every condition given must hold");
    let variant = Schema::object(
        [
            ("name", name.clone()),
            ("when", when.clone()),
            ("requires", Schema::object([("programs", Schema::array(program.clone()))])),
            ("note", Schema::string().describe("said when the variant is chosen")),
            ("profile", profiles_but("debug")),
        ]
        .into_iter()
        .chain(config_tables.clone()),
    )
    .require(["name"]);
    let conflict = Schema::object([("preset", name.clone()), ("why", Schema::non_empty_string())]);
    let requires = Schema::object([
        ("components", Schema::strings().describe("rustup components the settings need")),
        (
            "cargo-args",
            Schema::strings()
                .describe("arguments a cargo command needs to use the settings; `{host}` is the host's target triple"),
        ),
        ("programs", Schema::array(program).describe("programs the settings run, which must be on PATH")),
        ("install", Schema::map(Schema::string()).describe("how to install each program")),
    ]);
    let properties = [
        ("summary", Schema::non_empty_string().describe("one line: what the preset is for")),
        ("description", Schema::string().describe("when to use it, when not, and what it costs")),
        ("extends", Schema::array(name.clone()).describe("presets composed before this one")),
        ("overrides", Schema::array(name).describe("presets whose values this one may replace")),
        (
            "conflicts-with",
            Schema::array(conflict.require(["preset", "why"])).describe(
                "presets this one cannot go with: `apply`, `show` and the guided mode refuse them together with `why`",
            ),
        ),
        ("sources", Schema::strings().describe("where the advice comes from")),
        ("requires", requires),
        (
            "machine-specific",
            Schema::of(Type::Boolean)
                .describe("settings right for one machine only: refused in files shared through git unless forced"),
        ),
        (
            "packages",
            Schema::one_of(["named"]).describe(
                "the `package.\"*\"` tables are templates for the packages named with `apply --package`, never written for every dependency",
            ),
        ),
        ("when", when),
        (
            "variant",
            Schema::array(variant).describe("variants for different machines: `apply` takes the first that fits"),
        ),
        ("profile", profiles.clone()),
        (
            "relies-on",
            Schema::object([("profile", profiles)]).describe(
                "values the preset needs but does not write (profile keys only); other values there are a conflict",
            ),
        ),
    ];
    Schema {
        dialect: Some("https://json-schema.org/draft/2020-12/schema"),
        title: Some("cargo-presets preset file"),
        defs: BTreeMap::from([("profile", layer(false)), ("override", layer(true))]),
        ..Schema::object(properties.into_iter().chain(config_tables))
            .require(["summary"])
            .describe("A preset for `cargo presets`: profile settings, each with a reason, composable with `extends`.")
    }
}
