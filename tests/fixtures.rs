//! Fixture tests: the real `cargo-presets` binary on copies of real-looking workspaces.
//!
//! Each `tests/fixtures/<case>/` holds:
//! - `cmd`: the arguments after `cargo presets`, split on spaces;
//! - `cwd` (optional): the directory to run in, relative to the workspace copy;
//! - `env` (optional): `KEY=VALUE` lines, the only variables set besides `CARGO_HOME` and `HOME`;
//! - `machine` (optional): the machine `apply` sees, simulated (`common::fake_machine`): its
//!   `rustc` answers and the programs on its PATH;
//! - `status` (optional, default 0), `stdout`, `stderr`: what the run must print, with the
//!   copy's path shown as `[ROOT]`;
//! - `in/`: the workspace before; `out/`: the workspace after, every file compared byte for byte,
//!   with no file more or less. No `out/` means nothing may change (every error case).
//!
//! Every case runs twice; the second run must leave the files exactly as the first left them.
//! The environment is emptied (no `PATH`, `CARGO_HOME` inside the copy, git's search for a
//! repository stopped above the copy), so a case cannot reach
//! the developer's own presets, and any child process on the hot path would fail.
//! `SNAPSHOTS=overwrite cargo test --test fixtures` re-blesses `out/`, `stdout`, `stderr`, `status`.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every file below `dir`, by relative path.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return files;
    }
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            files.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// The empty directories below `dir`, by relative path.
fn empty_dirs(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_dir() && fs::read_dir(e.path()).unwrap().next().is_none())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect()
}

fn write_tree(dir: &Path, files: &BTreeMap<String, Vec<u8>>) {
    let _ = fs::remove_dir_all(dir);
    for (rel, bytes) in files {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }
}

/// The optional `env` file of a case: `KEY=VALUE` lines set for the run.
fn env_file(case_dir: &Path) -> Vec<(String, String)> {
    let text = fs::read_to_string(case_dir.join("env")).unwrap_or_default();
    text.lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.to_owned(), v.to_owned())).collect()
}

/// The variables that simulate the case's `machine`, outside the compared tree.
fn machine(case_dir: &Path) -> Vec<(String, String)> {
    let Ok(spec) = fs::read_to_string(case_dir.join("machine")) else { return Vec::new() };
    let case = case_dir.file_name().unwrap();
    common::fake_machine(&Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-machines").join(case), &spec)
}

struct Run {
    status: i32,
    stdout: String,
    stderr: String,
}

fn run(sandbox: &Path, case_dir: &Path) -> Run {
    let args = fs::read_to_string(case_dir.join("cmd")).unwrap();
    let cwd = fs::read_to_string(case_dir.join("cwd")).map(|c| sandbox.join(c.trim())).unwrap_or(sandbox.to_owned());
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
        .arg("presets")
        .args(args.split_whitespace())
        .current_dir(cwd)
        .env_clear()
        .env("XDG_CACHE_HOME", concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"))
        .env("CARGO_HOME", sandbox.join("cargo-home"))
        .env("HOME", sandbox.join("home"))
        // The copy is inside this repository; to git tools it is a project of its own.
        .env("GIT_CEILING_DIRECTORIES", sandbox.parent().unwrap())
        .envs(env_file(case_dir))
        .envs(machine(case_dir))
        .output()
        .unwrap();
    let root = sandbox.display().to_string();
    let clean = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace(&root, "[ROOT]");
    Run { status: output.status.code().unwrap_or(-1), stdout: clean(&output.stdout), stderr: clean(&output.stderr) }
}

fn check(case: &str) {
    let case_dir = fixtures_dir().join(case);
    let sandbox = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixtures").join(case);
    let input = read_tree(&case_dir.join("in"));
    assert!(!input.is_empty(), "{case}: in/ is empty");
    write_tree(&sandbox, &input);

    let first = run(&sandbox, &case_dir);
    let after_first = read_tree(&sandbox);
    let second = run(&sandbox, &case_dir);
    let after_second = read_tree(&sandbox);

    let out_dir = case_dir.join("out");
    if std::env::var("SNAPSHOTS").as_deref() == Ok("overwrite") {
        if after_first == input {
            let _ = fs::remove_dir_all(&out_dir);
        } else {
            write_tree(&out_dir, &after_first);
        }
        fs::write(case_dir.join("stdout"), &first.stdout).unwrap();
        fs::write(case_dir.join("stderr"), &first.stderr).unwrap();
        if first.status == 0 {
            let _ = fs::remove_file(case_dir.join("status"));
        } else {
            fs::write(case_dir.join("status"), format!("{}\n", first.status)).unwrap();
        }
    }

    let expected_status: i32 =
        fs::read_to_string(case_dir.join("status")).map(|s| s.trim().parse().unwrap()).unwrap_or(0);
    let expected_tree = if out_dir.exists() { read_tree(&out_dir) } else { input.clone() };
    let expected = |name: &str| fs::read_to_string(case_dir.join(name)).unwrap_or_default();

    assert_eq!(first.status, expected_status, "{case}: exit status\nstderr:\n{}", first.stderr);
    assert_eq!(first.stdout, expected("stdout"), "{case}: stdout");
    assert_eq!(first.stderr, expected("stderr"), "{case}: stderr");
    for (name, bytes) in &expected_tree {
        let got = after_first.get(name).unwrap_or_else(|| panic!("{case}: {name} is missing after the run"));
        assert!(
            got == bytes,
            "{case}: {name} differs\n--- expected\n{}\n--- got\n{}",
            String::from_utf8_lossy(bytes),
            String::from_utf8_lossy(got)
        );
    }
    let extra: Vec<&String> = after_first.keys().filter(|k| !expected_tree.contains_key(*k)).collect();
    assert!(extra.is_empty(), "{case}: unexpected files {extra:?}");
    // A tree in git holds no empty directory, so none may be left: `remove` takes back the
    // `.cargo/` that `apply` created.
    assert_eq!(empty_dirs(&sandbox), Vec::<String>::new(), "{case}: empty directories left");
    assert_eq!(second.status, expected_status, "{case}: second run's exit status\n{}", second.stderr);
    assert!(after_second == after_first, "{case}: the second run changed files");
}

#[test]
fn runs_as_cargo_presets_without_the_subcommand_argument() {
    let output =
        Command::new(env!("CARGO_BIN_EXE_cargo-presets")).args(["show", "debugging"]).env_clear().output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("[profile.debugging]\ninherits = \"dev\"\n"));
}

/// Issue 27: a manifest with a conflict and a value the preset relies on is refused once, naming
/// both (`error-conflict-and-relied`); `--force` then writes exactly the input of
/// `reapply-forced-relied`, where a plain re-apply succeeds (and fails again once the value
/// changes): the chain behind those two fixtures.
#[test]
fn refused_once_then_forced_then_reapplied() {
    let sandbox = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fixture-chains").join("forced-relied");
    write_tree(&sandbox, &read_tree(&fixtures_dir().join("error-conflict-and-relied/in")));
    let apply = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cargo-presets"))
            .args(["presets", "apply", "fast-runtime"])
            .args(args)
            .current_dir(&sandbox)
            .env_clear()
            .env("CARGO_HOME", sandbox.join("cargo-home"))
            .env("GIT_CEILING_DIRECTORIES", sandbox.parent().unwrap())
            .output()
            .unwrap()
    };
    let refused = apply(&[]);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(101));
    assert!(stderr.contains("2 problems") && stderr.contains("--keep profile.release.lto"), "{stderr}");
    assert!(apply(&["--force"]).status.success());
    let forced = fs::read_to_string(sandbox.join("Cargo.toml")).unwrap();
    let expected = fs::read_to_string(fixtures_dir().join("reapply-forced-relied/in/Cargo.toml")).unwrap();
    assert_eq!(forced, expected);
    let again = apply(&[]);
    assert!(again.status.success(), "{}", String::from_utf8_lossy(&again.stderr));
    // The record accepts that value only: another one is refused again.
    fs::write(sandbox.join("Cargo.toml"), forced.replace("opt-level = \"s\"", "opt-level = \"z\"")).unwrap();
    let changed = apply(&[]);
    assert_eq!(changed.status.code(), Some(101));
    assert!(String::from_utf8_lossy(&changed.stderr).contains("relies on `profile.release.opt-level = 3`"));
}

// Regressions for the bugs of cargo-wizard 0.2.3 (shared/reference/peer-cargo-wizard.md) that
// apply to us: reserved and invalid profile names written and breaking the workspace
// (`error-reserved-profile-name`, and `schema` unit tests for `;;`, `a.b`, `check`, …);
// non-idempotent writes (every case runs twice); a hand-written value silently overwritten
// (`conflict-hand-written`, `user-edited-our-value`, `reapply-unrelated-preset`); a stale comment
// left on a replaced value (`force`: the old trailing comment moves into the `was` record);
// nightly settings making stable cargo fail (`error-nightly-on-stable`, `error-nightly-to-user`,
// `nightly-to-file`, and `tests/cargo.rs`); a config file shadowed by a legacy `.cargo/config`
// (`legacy-config`); profiles written into a member manifest (`manifest-path-member`); dotted
// keys hoisted (`dotted-keys`); valid inline profile tables rejected (`inline-profile-table`).
macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                check(&stringify!($name).replace('_', "-"));
            }
        )*

        #[test]
        fn every_fixture_directory_is_listed() {
            let listed: Vec<String> = [$(stringify!($name)),*].iter().map(|n| n.replace('_', "-")).collect();
            for entry in fs::read_dir(fixtures_dir()).unwrap() {
                let name = entry.unwrap().file_name().to_string_lossy().into_owned();
                assert!(listed.contains(&name), "fixture `{name}` is not listed in tests/fixtures.rs");
            }
        }
    };
}

fixtures! {
    apply_package_dry_run, apply_package_json, apply_named_only_note, apply_package_hint_mostly_unused, error_package_no_settings, error_package_unknown, error_package_config_in_manifest, status_package, status_package_json, remove_package,
    apply_profile_dist, apply_profile_existing, error_profile_existing_chain, remove_profile_dist, status_profile_dist, error_profile_several, error_profile_config_only,
    config_native_cpu_joins_target_table, config_native_cpu_with_fast_link, error_native_cpu_foreign_build_target, config_flags_string_form, config_flags_two_presets,
    error_config_flags_conflict, config_flags_conflict_force, config_flags_conflict_keep, keep_hand_written, error_keep_unknown_key, error_config_in_manifest, error_to_rustfmt_toml, error_tune_hand_written_preset, error_tune_size_workflow, error_tune_budget, error_config_env_rustflags,
    error_config_target_hides_build, error_config_flags_unread, error_config_flags_string_elsewhere, fast_link_nothing_on_x86_64,
    fast_link_mold_on_aarch64, fast_link_lld_without_mold, error_fast_link_no_linker, error_sccache_missing,
    remove_config_flags, show_fast_link, error_unified_features_on_stable,
    error_variant_unknown, check_rustflags_unread, explain_rustflags, explain_rustflags_strings, explain_rustflags_build_target,
    list_verbose, show_relies_on, apply_behaviour_notes, error_declared_conflict, error_relies_on_symbols,
    relies_on_force, error_relies_on_hand_written, error_relies_on_earlier_preset, error_declared_conflict_in_file,
    error_show_declared_conflict, init_force, init_dry_run,
    init_to_config, nightly_note_build_std, new_shadows_builtin, apply_project_preset_shadows, verbose_twice,
    dry_run_from_member, dry_run_colour, remove_several, status_config_overrides_preset,
    check_config_overrides_preset,
    comment_injection, conflict_hand_written, crlf, dotted_keys, dry_run, error_extends_cycle,
    error_invalid_project_preset, error_preset_terminal_escape, error_malformed_manifest, error_missing_inherits,
    error_missing_manifest_path, error_nightly_on_stable, error_nightly_to_user,
    error_preset_conflict, error_profile_not_a_table, error_reserved_profile_name,
    error_unknown_preset, error_value_outside_domain, existing_config,
    existing_profiles_with_comments, force, from_member_directory, inline_profile_table,
    legacy_config, list_json, manifest_path_member, nightly_to_file, nightly_workspace,
    no_final_newline, project_preset_shadows, show_fast_dev, show_json, show_hint_mostly_unused, show_hint_mostly_unused_json, single_package, to_user,
    virtual_workspace, reapply_extending_preset, user_edited_our_value, reapply_unrelated_preset, usage_error,
    help, invalid_profile_name_in_table_key, color_always, quiet, verbose,
    check_member_unparsable, check_member_missing, check_dependency_manifest, check_immediate_abort,
    check_immediate_abort_build_std,
    check_clean, check_deny_error, check_env, check_inherits, check_invalid_values, check_json, check_legacy_config, check_malformed, check_member_profile, check_nightly_on_stable, check_override_keys, check_profile_names, check_specs, check_traps, check_unknown_key, check_user_config,
    remove_created_directory, remove_created_directory_in_use,
    remove_json, remove_json_restored, remove_json_flags_dry_run, remove_json_deleted, remove_dry_run_deletes_file, remove_legacy_config,
    toolchain_pinned_debug_profile, toolchain_rustc_fast_dev, toolchain_rustc_before_debug_profile, toolchain_ci_notes,
    toolchain_show_pinned, toolchain_check_debug_profile, toolchain_check_debug_profile_old, toolchain_remove_debug_profile,
    toolchain_env_above_file, error_preset_release_range, split_debuginfo_nothing_on_macos, fast_link_wild_without_mold,
    error_hint_mostly_unused_on_stable, toolchain_explain_debug_profile, toolchain_apply_debug_as_profile,
    toolchain_remove_debug_as_profile, toolchain_status_debug_as_profile,
    remove_after_apply, remove_changed_value, remove_crlf, remove_dotted_keys, remove_dry_run, remove_forced_value_comes_back, remove_from_config, remove_gate, remove_inline_table, remove_new_config_file, remove_no_final_newline, status_intact_and_drifted, status_json,
    init_default, init_json, new_preset, new_user_preset, new_unknown_parent, new_existing, apply_json, apply_to_user_warns,
    explain_json, apply_dry_run_json, new_json,
    color_from_cargo_term_color, color_never_overrides_env,
    header_spelling, dotted_key_spelling, remove_header_spelling,
    implicit_parent, remove_implicit_parent, forced_inherits, remove_forced_inherits, forced_aligned_key,
    remove_forced_aligned_key, check_no_false_alarms, check_env_collision_set,
    check_explain, check_explain_unknown, check_lint_levels, check_lint_levels_json, check_empty_overrides,
    check_inherited_specs, check_strip_skips_override,
    explain_incremental_in_ci, explain_key_outside_project, explain_unknown_profile, explain_package, explain_inherits_doc, explain_units,
    status_kept_key, status_already_set, error_conflict_and_relied, reapply_forced_relied,
    remove_forced_relied, check_github, check_verbose_files, verify_unknown_profile, explain_unknown_key,
    error_manifest_path_directory, error_variant_misspelt, library_only_release, error_unstable_gate_conflict,
    error_nightly_with_conflicts,
}
