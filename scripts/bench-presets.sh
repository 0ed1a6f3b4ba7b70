#!/usr/bin/env bash
# Measures the built-in presets on a real workload with `cargo presets bench`, side by side in one
# run: scripts/workload, a small CLI with clap (derive), serde, serde_json, regex and tokio
# (37 crates). About 10 minutes on 2 cores; RUNS=N for more runs of the dev builds (default 3).
#
#   dev:      default dev vs fast-dev vs fast-compile (plain `debug = false`):
#             clean build (wall, CPU), rebuild after touching src/main.rs, target dir
#   release:  default release vs embedded-size vs fast-runtime: clean build, binary size, and a
#             runtime probe (word statistics over a generated 3-million-word text)
#   staging:  release vs staging (full debug info) vs debuggable-staging (line tables)
#   size:     embedded-size (opt-level "z") vs the same with opt-level "s"
#
# Charts are written next to the printed tables (see the `Chart` lines).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}

cargo build --release --quiet
presets="$PWD/target/release/cargo-presets"
out="$PWD/target/bench-presets"
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r scripts/workload "$work/workload"
cd "$work/workload"
cargo fetch --quiet
cargo run --release --quiet -- generate input.txt 3000000

echo "== dev builds ($runs runs each, interleaved)"
"$presets" presets -q bench fast-dev fast-compile --workflow build,rebuild,target-size --runs "$runs" --chart "$out/dev.svg"
echo "== release builds"
"$presets" presets -q bench embedded-size fast-runtime --workflow build,size,run --run-args "words input.txt" --chart "$out/release.svg"
echo "== staging builds"
"$presets" presets -q bench staging debuggable-staging --workflow build --chart "$out/staging.svg"
echo "== opt-level z (embedded-size) vs s, for the smallest binary"
mkdir -p .cargo/presets
cat > .cargo/presets/embedded-size-s.toml <<'PRESET'
summary = "embedded-size with opt-level s"
extends = ["embedded-size"]
[profile.release]
opt-level = { value = "s", why = "s keeps loop vectorisation; sometimes smaller than z" }
PRESET
"$presets" presets -q bench embedded-size embedded-size-s --workflow size,run --run-args "words input.txt" --chart "$out/size.svg"
echo "charts: $out/{dev,release,staging,size}.svg"
