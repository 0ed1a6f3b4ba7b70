//! Members and their manifests: profiles in a member's `Cargo.toml`, which cargo ignores, and
//! members that are not there.

use std::ops::Range;

use crate::lint::findings::SourceKind;
use crate::lint::pass::Lint;
use crate::lint::rules::{Code, Severity};

impl Lint<'_> {
    /// Profiles in a member's manifest: ignored, but still validated.
    pub(super) fn member_profiles(&mut self, i: usize, key_span: Option<Range<usize>>) {
        if self.inputs.sources[i].kind != SourceKind::MemberManifest {
            return;
        }
        let file = self.inputs.sources[i].path.display().to_string();
        self.push(
            Severity::Warning,
            Code::MemberProfile,
            key_span.map(|s| (i, s)),
            format!("profiles in `{file}` are ignored: cargo reads profiles only from the workspace root manifest"),
            &["move them to the root `Cargo.toml`; cargo still validates them here, so an error in them breaks the build"],
        );
    }

    /// Members the root lists that are not there: cargo fails to load the workspace.
    pub(super) fn missing_members(&mut self) {
        for missing in &self.inputs.missing_members {
            self.push(
                Severity::Error,
                Code::MemberMissing,
                None,
                format!("workspace member `{}` does not exist: cargo fails to load the workspace", missing.display()),
                &["create it, or take it out of `[workspace] members`"],
            );
        }
    }
}
