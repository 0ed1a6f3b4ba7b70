#!/usr/bin/env bash
# Measures the built-in presets on a real workload with `cargo presets bench`, side by side in one
# run: scripts/workload, a small CLI with clap (derive), serde, serde_json, regex and tokio
# (37 crates). About 30 minutes on 2 cores; RUNS=N for more runs of the dev builds (default 3).
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
#   linker:   the default linker (rust-lld on x86_64 Linux since Rust 1.90) vs mold and wild
#             (fast-link's variants, each where installed): clean build, rebuild
#   frontend: parallel-frontend (nightly -Zthreads=min(cores, 8)) against nightly's default, both
#             on nightly: clean check and build (skipped without nightly)
#   levers:   deps-opt1-dev vs deps-optimized-dev (clean build, rebuild, runtime probe);
#             deps-opt1-test (test build); prod vs quick-release (build, rebuild, size, runtime);
#             split-debuginfo (clean build, rebuild, target dir, binary size)
#   hint:     hint-mostly-unused on every dependency (what the preset never writes) against
#             nightly's default: clean build, rebuild (skipped without nightly)
#   nightly-size: embedded-size vs embedded-size-nightly vs embedded-size-nightly-extras, std
#             rebuilt with -Zbuild-std (binary size; skipped without nightly's rust-src)
#   tune:     `cargo presets tune --workflow rebuild,build --budget 15m` from the default settings,
#             then the preset it saved against fast-dev and fast-compile, side by side
#             (about 15 + 10 minutes; not in the default set, name it)
#
# Name groups to run only those: `bash scripts/bench-presets.sh linker frontend`.
#
# The figures in the built-in presets' descriptions come from this script's output, recorded in
# the README ("Measured: the presets on a real workload"); tests/presets.rs checks each one.
#
# Charts are written next to the printed tables (see the `Chart` lines).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
groups=${*:-dev deps release staging size linker frontend levers hint nightly-size}
wants() { [[ " $groups " == *" $1 "* ]]; }

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

if wants dev; then
echo "== dev builds ($runs runs each, interleaved)"
"$presets" presets -q bench fast-dev fast-compile ci --workflow build,rebuild,target-size,size --runs "$runs" --chart "$out/dev.svg"
fi
if wants deps; then
echo "== optimised dependencies in dev builds"
mkdir -p .cargo/presets
cat > .cargo/presets/deps-optimized-dev-full-debug.toml <<'PRESET'
summary = "deps-optimized-dev with dev's full debug info kept for dependencies"
extends = ["deps-optimized-dev"]
[profile.dev.package."*"]
debug = { value = true, why = "what dependencies get without the preset's debug = false" }
PRESET
"$presets" presets -q bench deps-optimized-dev deps-optimized-dev-full-debug --workflow build,rebuild,run --run-args "words input.txt" --chart "$out/deps.svg"
fi
if wants release; then
echo "== release builds"
"$presets" presets -q bench embedded-size fast-runtime prod --workflow build,size,run --run-args "words input.txt" --chart "$out/release.svg"
fi
if wants staging; then
echo "== staging builds"
"$presets" presets -q bench staging debuggable-staging profiling --workflow build,size --chart "$out/staging.svg"
fi
if wants size; then
echo "== opt-level z (embedded-size) vs s, for the smallest binary"
"$presets" presets -q bench embedded-size embedded-size-s --workflow size,run --run-args "words input.txt" --chart "$out/size.svg"
fi
if wants linker; then
  # Each installed linker fast-link can pick, against the default.
  linkers=()
  command -v mold >/dev/null && linkers+=(fast-link:mold)
  command -v ld.wild >/dev/null && command -v clang >/dev/null && linkers+=(fast-link:wild)
  if [ ${#linkers[@]} -gt 0 ]; then
    echo "== linker: the default (rust-lld on x86_64 Linux) vs ${linkers[*]} ($runs runs each, interleaved)"
    "$presets" presets -q bench "${linkers[@]}" --workflow build,rebuild --runs "$runs" --chart "$out/linker.svg"
  else
    echo "== linker: SKIPPED (neither mold nor wild with clang is installed)"
  fi
fi
if wants frontend; then
  if cargo +nightly --version >/dev/null 2>&1; then
    echo "== parallel front-end on $(nproc) cores, nightly against nightly ($runs runs each, interleaved)"
    "$presets" presets -q bench parallel-frontend --workflow check,build --runs "$runs" --chart "$out/frontend.svg"
  else
    echo "== parallel front-end: SKIPPED (no nightly toolchain)"
  fi
fi
if wants levers; then
echo "== dependencies at opt-level 1 vs 3 in dev builds"
"$presets" presets -q bench deps-opt1-dev deps-optimized-dev --workflow build,rebuild,run --run-args "words input.txt" --chart "$out/deps-opt1.svg"
echo "== dependencies at opt-level 1 for tests only ($runs runs each, interleaved)"
"$presets" presets -q bench deps-opt1-test --workflow test --runs "$runs" --chart "$out/deps-opt1-test.svg"
echo "== a release tuned for shipping (prod) vs quick-release's thin LTO"
"$presets" presets -q bench prod quick-release --workflow build,rebuild,size,run --run-args "words input.txt" --chart "$out/quick-release.svg"
echo "== split debug info in dev builds ($runs runs each, interleaved)"
"$presets" presets -q bench split-debuginfo --workflow build,rebuild,target-size,size --runs "$runs" --chart "$out/split-debuginfo.svg"
fi
if wants hint; then
  if cargo +nightly --version >/dev/null 2>&1; then
    echo "== hint-mostly-unused on every dependency, nightly against nightly ($runs runs each, interleaved)"
    mkdir -p .cargo/presets
    cat > .cargo/presets/hint-every-crate.toml <<'PRESET'
summary = "hint-mostly-unused on every dependency, which the built-in preset never writes: to measure why"
[unstable]
profile-hint-mostly-unused = { value = true, why = "the nightly opt-in" }
[profile.dev.package."*"]
hint-mostly-unused = { value = true, why = "every dependency" }
PRESET
    "$presets" presets -q bench hint-every-crate --workflow build,rebuild --runs "$runs" --chart "$out/hint.svg"
  else
    echo "== hint-mostly-unused on every dependency: SKIPPED (no nightly toolchain)"
  fi
fi
if wants nightly-size; then
  if rustup component list --installed --toolchain nightly 2>/dev/null | grep -q '^rust-src'; then
    echo "== the nightly size presets, std rebuilt (nightly against nightly)"
    "$presets" presets -q bench embedded-size embedded-size-nightly embedded-size-nightly-extras --workflow size --chart "$out/nightly-size.svg"
  else
    echo "== nightly size presets: SKIPPED (needs nightly with rust-src: rustup component add rust-src --toolchain nightly)"
  fi
fi
if wants tune; then
  echo "== tune: rebuild and build, 15 minutes"
  /usr/bin/time -f "tune took %e s" "$presets" presets tune --workflow rebuild,build --budget 15m --chart "$out/tune.svg"
  if [ -f .cargo/presets/tuned.toml ]; then
    cat .cargo/presets/tuned.toml
    echo "== tuned against fast-dev and fast-compile ($runs runs each, interleaved)"
    "$presets" presets -q bench tuned fast-dev fast-compile --workflow build,rebuild --runs "$runs" --chart "$out/tuned.svg"
  fi
fi
echo "charts: $out/*.svg"
