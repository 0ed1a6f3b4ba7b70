//! Values: outside a key's domain, in a legacy spelling, dropped by the target, or doing
//! something else than they seem to (`strip = false`, `panic` in tests).

use crate::cargo::profiles;
use crate::cargo::schema::{Key, Scope, Value};
use crate::lint::findings::SourceKind;
use crate::lint::pass::Lint;
use crate::lint::rules::{Code, Severity};

impl Lint<'_> {
    /// A value outside the key's domain, or in a legacy spelling.
    pub(super) fn value(&mut self, i: usize, entry: &profiles::Entry<'_>, value: &Value) {
        let path = &entry.path;
        let at = entry.item.span().map(|s| (i, s));
        let legacy_lto = ["y", "yes", "on", "n", "no", "none"];
        match (path.key, value) {
            // A user's own files may name any backend or pass any flag; presets may not.
            (Key::CodegenBackend, Value::Str(s)) if !s.is_empty() => {}
            (Key::Rustflags, Value::Array(_)) => {}
            (Key::Lto, Value::Str(s)) if legacy_lto.contains(&s.as_str()) => {
                let means = if ["n", "no", "none"].contains(&s.as_str()) { "\"off\"" } else { "true" };
                self.push(
                    Severity::Warning,
                    Code::LegacyValue,
                    at.clone(),
                    format!("`{path} = \"{s}\"` is a legacy spelling"),
                    &[&format!("write `{} = {means}`", path.key)],
                );
            }
            // In a dependency's manifest cargo checks only what it deserializes: an integer
            // `opt-level` out of range passes, since it is checked only where the profile applies
            // (cargo 1.95: `opt-level = 9` there builds; `"fast"` fails every build).
            (Key::OptLevel, Value::Int(_)) if self.inputs.sources[i].kind == SourceKind::DependencyManifest => {}
            _ => {
                if let Err(why) = path.key.check(value) {
                    self.push(
                        Severity::Error,
                        Code::InvalidValue,
                        at.clone(),
                        format!("invalid value for `{path}`: {why}"),
                        &["cargo accepts some of these and rustc fails later, or ignores them silently"],
                    );
                }
            }
        }
    }

    /// A valid value that does not do here what it seems to: dropped by the target, ignored in
    /// tests and benches, or turning off cargo's own stripping.
    pub(super) fn effect(&mut self, i: usize, entry: &profiles::Entry<'_>, value: &Value) {
        let path = &entry.path;
        let at = entry.item.span().map(|s| (i, s));
        if let (Key::SplitDebuginfo, Value::Str(mode), Some(supported)) =
            (path.key, value, &self.inputs.split_debuginfo_supported)
            && Key::SplitDebuginfo.accepts(value)
            && !supported.contains(mode)
        {
            self.push(
                Severity::Warning,
                Code::SplitDebuginfoUnsupported,
                at.clone(),
                format!("`{path} = \"{mode}\"` is not supported by this target, and cargo silently drops it"),
                &[&format!(
                    "this target supports {}",
                    supported.iter().map(|m| format!("`\"{m}\"`")).collect::<Vec<_>>().join(", ")
                )],
            );
        }
        let profile = path.table.profile.as_str();
        if path.key == Key::Panic && (profile == "test" || profile == "bench") {
            self.push(
                Severity::Warning,
                Code::IgnoredPanic,
                at.clone(),
                format!("`{path}` is ignored: tests and benches always unwind"),
                &[],
            );
        }
        let explicit_no_strip = matches!(value, Value::Bool(false)) || *value == Value::Str("none".into());
        let counts = self.inputs.sources[i].kind.profiles_apply();
        if path.key == Key::Strip && explicit_no_strip && path.table.scope == Scope::Profile && counts {
            // Cargo strips debug info by itself only where the profile asks for none; and the
            // key is needed to undo a `strip` inherited from the parent.
            let no_debug = self.effective_on(profile, Key::Debug) == Some(false);
            let parent = self.layers.chain(profile).ok().and_then(|chain| chain.get(1).cloned());
            let undoes = parent.is_some_and(|p| self.effective_on(&p, Key::Strip) != Some(false));
            if no_debug && !undoes {
                self.push(Severity::Warning, Code::ExplicitStripNone, at.clone(), format!("`{path} = {value}` turns off cargo's automatic stripping of debug info"), &[
                    "this profile asks for no debug info, so without the key cargo strips std's debug info; with it, every binary keeps about 4 MB more. Remove the key unless you need that",
                ]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::lint::Code;
    use crate::lint::tests::codes;

    #[test]
    fn values_cargo_accepts_but_gets_wrong() {
        let found = codes(
            "[profile.release]\nopt-level = 4\nstrip = \"all\"\nlto = \"full\"\ncodegen-units = 0\nsplit-debuginfo = \"foo\"\nopt_level = 3\n",
        );
        assert_eq!(
            found,
            [
                Code::UnknownKey,
                Code::InvalidValue,
                Code::InvalidValue,
                Code::InvalidValue,
                Code::InvalidValue,
                Code::InvalidValue
            ]
        );
    }

    #[test]
    fn split_debuginfo_the_target_drops() {
        assert_eq!(codes("[profile.dev]\nsplit-debuginfo = \"unpacked\"\n"), [Code::SplitDebuginfoUnsupported]);
        assert!(codes("[profile.dev]\nsplit-debuginfo = \"packed\"\n").is_empty());
    }
}
