#!/usr/bin/env bash
# Contributor onboarding for a project that uses cargo-presets: copy this into your repository.
#
# It installs cargo-presets if it is missing, applies the project's personal-machine presets to
# the contributor's own $CARGO_HOME/config.toml (never to the files the project commits), then
# runs `cargo presets check`. It never prompts and exits non-zero with a readable message when
# anything is off, so setup scripts and CI can run it unattended.
#
# Environment:
#   ONBOARD_PRESETS        the presets to apply to this machine (default: fast-dev)
#   CARGO_PRESETS_INSTALL  how to install cargo-presets (default: cargo install --locked cargo-presets)
set -euo pipefail

presets=${ONBOARD_PRESETS:-fast-dev}
install=${CARGO_PRESETS_INSTALL:-cargo install --locked cargo-presets}
cargo_home=${CARGO_HOME:-$HOME/.cargo}
export PATH="$cargo_home/bin:$PATH"

fail() {
  printf 'onboard: %s\n' "$1" >&2
  exit 1
}

command -v cargo >/dev/null 2>&1 || fail "cargo is not installed; install Rust first: https://rustup.rs"

if ! cargo presets --version >/dev/null 2>&1; then
  printf 'onboard: installing cargo-presets: %s\n' "$install" >&2
  eval "$install" || fail "could not install cargo-presets with: $install"
  cargo presets --version >/dev/null 2>&1 ||
    fail "cargo-presets was installed, but cargo cannot find it: is $cargo_home/bin on PATH?"
fi

# The preset list is split into words on purpose.
# shellcheck disable=SC2086
cargo presets apply $presets --to user ||
  fail "could not apply $presets to $cargo_home/config.toml; see the error above"
cargo presets check --deny warning ||
  fail "cargo presets check found problems; fix them and run this again"

printf 'onboard: done: %s applied to %s/config.toml\n' "$presets" "$cargo_home" >&2
