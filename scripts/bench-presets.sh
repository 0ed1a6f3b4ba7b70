#!/usr/bin/env bash
# Measures the built-in presets on a real workload with `cargo presets bench`, side by side in one
# run: scripts/workload, a small CLI with clap (derive), serde, serde_json, regex and tokio
# (37 crates). About 20 minutes on 2 cores; RUNS=N for more runs of the dev builds (default 3).
#
#   dev:      default dev vs fast-dev vs fast-compile (plain `debug = false`) vs ci: clean build
#             (wall, CPU), rebuild after touching src/main.rs, target dir, dev binary size
#   deps:     default dev vs deps-optimized-dev vs the same with full debug info for dependencies:
#             clean build, rebuild, and the runtime probe on the dev binary
#   release:  default release vs embedded-size vs fast-runtime vs prod: clean build, binary size,
#             and a runtime probe (word statistics over a generated 3-million-word text)
#   staging:  release vs staging (full debug info) vs debuggable-staging (line tables) vs
#             profiling (line tables, no checks): clean build, binary size
#   size:     embedded-size (opt-level "z") vs embedded-size-s (opt-level "s")
#
# The figures in the built-in presets' descriptions come from this script's output, recorded in
# the README ("Measured: the presets on a real workload"); tests/presets.rs checks each one.
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
"$presets" presets -q bench fast-dev fast-compile ci --workflow build,rebuild,target-size,size --runs "$runs" --chart "$out/dev.svg"
echo "== optimised dependencies in dev builds"
mkdir -p .cargo/presets
cat > .cargo/presets/deps-optimized-dev-full-debug.toml <<'PRESET'
summary = "deps-optimized-dev with dev's full debug info kept for dependencies"
extends = ["deps-optimized-dev"]
[profile.dev.package."*"]
debug = { value = true, why = "what dependencies get without the preset's debug = false" }
PRESET
"$presets" presets -q bench deps-optimized-dev deps-optimized-dev-full-debug --workflow build,rebuild,run --run-args "words input.txt" --chart "$out/deps.svg"
echo "== release builds"
"$presets" presets -q bench embedded-size fast-runtime prod --workflow build,size,run --run-args "words input.txt" --chart "$out/release.svg"
echo "== staging builds"
"$presets" presets -q bench staging debuggable-staging profiling --workflow build,size --chart "$out/staging.svg"
echo "== opt-level z (embedded-size) vs s, for the smallest binary"
"$presets" presets -q bench embedded-size embedded-size-s --workflow size,run --run-args "words input.txt" --chart "$out/size.svg"
echo "charts: $out/{dev,deps,release,staging,size}.svg"
