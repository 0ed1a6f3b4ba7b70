#!/usr/bin/env python3
"""Times `cargo presets apply` against the floor of any tool that shells out to cargo.

Run from the repository root: `python3 scripts/bench.py [RUNS]` (default 200). It builds the
release binary, copies the demo workspace to a temporary directory and times, side by side in
one run, with each command started the same way:

- `apply fast-dev` writing the file (the manifest is restored before each run, untimed);
- `apply fast-dev` on a workspace where it is already applied (nothing to write);
- `cargo locate-project --workspace`, the cheapest cargo child process a tool could start;
- `cargo metadata --no-deps`, what cargo-wizard-style tools start to find the root;

then `apply` on a large manifest (about 5,700 lines and 160 KB, shaped like a game engine's:
hundreds of `[[example]]` tables with their metadata) against the floor of any editor, one
toml_edit parse and write of the same file (`examples/toml_floor.rs`);

then `check` on generated workspaces of 10, 100 and 1,000 members (each member manifest with a
dependency and a profile table cargo ignores, so every file is parsed and linted), to show that
its cost grows linearly with the number of members;

then `check`, `explain dev` and `status` on a manifest of 17,000 profile tables (1.6 MB), against
one toml_edit parse and write of it: the cost of naming each key's line must not grow with the
square of the tables;

then `check`, `explain dev` and `status` on the demo with a config file that sets rustflags,
against the same command without it, timed in turn: which rustflags cargo uses depends on the
machine, so rustc is asked; its answers are kept across runs (`cargo::machine::cache`), so only
the first run asks. The same commands without rustup's variables show the cost of asking every
run (rustup's proxy told no toolchain is not cached).

Every command runs with the environment cargo gives a subcommand, as `cargo presets` gets it:
`RUSTUP_HOME` and `RUSTUP_TOOLCHAIN` as rustup's proxy sets them for cargo (asked of cargo itself,
through a throw-away subcommand), and a fresh cache directory (`XDG_CACHE_HOME`). The output says
which, and the machine's load before and after.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
ROOT = Path(__file__).resolve().parent.parent


def sample(cmd, cwd, env=None):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def summary(samples):
    return statistics.median(samples), min(samples), max(samples)


def timed(cmd, cwd, before=None):
    samples = []
    for _ in range(RUNS):
        if before:
            before()
        samples.append(sample(cmd, cwd))
    return summary(samples)


def interleaved(cwd, variants):
    """Times each variant (setup, command, environment) once a round, RUNS rounds: a change in the
    machine's load falls on all of them alike."""
    samples = [[] for _ in variants]
    for _ in range(RUNS):
        for (setup, cmd, env), out in zip(variants, samples):
            setup()
            out.append(sample(cmd, cwd, env))
    return [summary(s) for s in samples]


def subcommand_env(cwd, tmp):
    """rustup's variables as cargo passes them to a subcommand run in `cwd`: a throw-away
    `cargo presets-bench-env` prints them."""
    bindir = Path(tmp) / "bench-env-bin"
    bindir.mkdir()
    script = bindir / "cargo-presets-bench-env"
    script.write_text(
        f"#!{sys.executable}\nimport json, os\n"
        "print(json.dumps({k: os.environ.get(k) for k in ('RUSTUP_HOME', 'RUSTUP_TOOLCHAIN')}))\n"
    )
    script.chmod(0o755)
    path = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}")
    out = subprocess.run(["cargo", "presets-bench-env"], cwd=cwd, env=path, check=True, capture_output=True, text=True)
    return {k: v for k, v in json.loads(out.stdout).items() if v}


def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def generated_workspace(root, members):
    """A workspace of `members` packages, each with a dependency and an (ignored) profile."""
    root.mkdir(parents=True)
    (root / "Cargo.toml").write_text(
        '[workspace]\nmembers = ["crates/*"]\nresolver = "3"\n\n'
        '[profile.dev]\ndebug = "line-tables-only"\n\n[profile.dev.package."*"]\ndebug = false\n'
    )
    for i in range(members):
        crate = root / "crates" / f"m{i}"
        (crate / "src").mkdir(parents=True)
        dep = f'm{i - 1} = {{ path = "../m{i - 1}" }}\n' if i else ""
        (crate / "Cargo.toml").write_text(
            f'[package]\nname = "m{i}"\nversion = "0.1.0"\nedition = "2024"\n\n[dependencies]\n{dep}'
            f"\n[profile.release]\nlto = true\n"
        )
        (crate / "src" / "lib.rs").write_text("")


def large_manifest(root, examples=430):
    """A virtual-less root package with `examples` examples, each with its metadata table."""
    root.mkdir(parents=True)
    parts = [
        '[package]\nname = "engine"\nversion = "0.1.0"\nedition = "2024"\n\n'
        '[workspace]\nmembers = []\n\n[profile.release]\nlto = "thin"\n\n'
        "[dependencies]\n" + "".join(f'dep{i} = {{ version = "1", optional = true }}\n' for i in range(60))
    ]
    for i in range(examples):
        parts.append(
            f'\n[[example]]\nname = "example_{i}"\npath = "examples/group_{i % 20}/example_{i}.rs"\n'
            f"doc-scrape-examples = true\n\n[package.metadata.example.example_{i}]\n"
            f'name = "Example {i}"\ndescription = "Shows feature number {i} of the engine, in a small scene"\n'
            f'category = "Group {i % 20}"\nwasm = {"true" if i % 3 else "false"}\n'
        )
    (root / "Cargo.toml").write_text("".join(parts))
    (root / "src").mkdir()
    (root / "src" / "lib.rs").write_text("")


def many_profiles(root, tables=17000):
    """A package with `tables` custom profiles, each inheriting and setting four keys."""
    root.mkdir(parents=True)
    parts = ['[package]\nname = "many"\nversion = "0.1.0"\nedition = "2024"\n']
    for i in range(tables):
        parts.append(
            f'\n[profile.p{i}]\ninherits = "{"dev" if i % 2 else "release"}"\nopt-level = {i % 4}\n'
            f'codegen-units = {1 + i % 16}\ndebug = "line-tables-only"\nincremental = {"true" if i % 3 else "false"}\n'
        )
    (root / "Cargo.toml").write_text("".join(parts))
    (root / "src").mkdir()
    (root / "src" / "lib.rs").write_text("")


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "toml_floor"], cwd=ROOT, check=True)
    floor = ROOT / "target" / "release" / "examples" / "toml_floor"
    binary = ROOT / "target" / "release" / "cargo-presets"
    load_before = load()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "demo"
        shutil.copytree(ROOT / "demo", ws)
        rustup = subcommand_env(ws, tmp)
        os.environ.update(rustup, XDG_CACHE_HOME=str(Path(tmp) / "cache"))
        no_rustup = {k: v for k, v in os.environ.items() if k not in ("RUSTUP_HOME", "RUSTUP_TOOLCHAIN")}
        pristine = (ws / "Cargo.toml").read_bytes()
        restore = lambda: (ws / "Cargo.toml").write_bytes(pristine)
        rows = [
            ("cargo presets apply fast-dev (writes)", timed([binary, "presets", "apply", "fast-dev"], ws, restore)),
        ]
        subprocess.run([binary, "presets", "-q", "apply", "fast-dev"], cwd=ws, check=True)
        rows += [
            ("cargo presets apply fast-dev (unchanged)", timed([binary, "presets", "apply", "fast-dev"], ws)),
            ("cargo locate-project --workspace", timed(["cargo", "locate-project", "--workspace"], ws)),
            ("cargo metadata --no-deps", timed(["cargo", "metadata", "--no-deps", "--format-version", "1"], ws)),
        ]
        big = Path(tmp) / "large"
        large_manifest(big)
        manifest = big / "Cargo.toml"
        big_text = manifest.read_bytes()
        lines = big_text.count(b"\n")
        restore_big = lambda: manifest.write_bytes(big_text)
        large_rows = [
            ("cargo presets apply fast-dev (writes)", timed([binary, "presets", "apply", "fast-dev"], big, restore_big)),
            ("toml_edit parse + write (the floor)", timed([floor, manifest], big, restore_big)),
        ]
        check_rows = []
        for members in (10, 100, 1000):
            root = Path(tmp) / f"ws{members}"
            generated_workspace(root, members)
            check_rows.append((members, timed([binary, "presets", "-q", "check", "--deny", "error"], root)))
        many = Path(tmp) / "many"
        many_profiles(many)
        many_manifest = many / "Cargo.toml"
        many_text = many_manifest.read_bytes()
        restore_many = lambda: many_manifest.write_bytes(many_text)
        many_rows = [
            (name, timed([binary, "presets", "-q", *args], many))
            for name, args in [("check", ["check", "--deny", "error"]), ("explain dev", ["explain", "dev"]), ("status", ["status"])]
        ]
        many_rows.append(("toml_edit parse + write (the floor)", timed([floor, many_manifest], many, restore_many)))
        flags_ws = Path(tmp) / "flags"
        shutil.copytree(ROOT / "demo", flags_ws)
        config = flags_ws / ".cargo" / "config.toml"
        config.parent.mkdir(exist_ok=True)
        no_config = lambda: config.unlink(missing_ok=True)
        flags_config = lambda: config.write_text('[build]\nrustflags = ["--cfg", "bench"]\n')
        flag_rows = []
        for name, args in [("check", ["check", "--deny", "error"]), ("explain dev", ["explain", "dev"]), ("status", ["status"])]:
            cmd = [binary, "presets", "-q", *args]
            variants = [(no_config, cmd, None), (flags_config, cmd, None), (flags_config, cmd, no_rustup)]
            flag_rows.append((name, *interleaved(flags_ws, variants)))
    print(f"environment as cargo gives a subcommand: {' '.join(f'{k}={v}' for k, v in sorted(rustup.items())) or 'no rustup variables'}")
    print(f"rustc's answers kept in a fresh XDG_CACHE_HOME; load average {load_before} before, {load()} after")
    base = rows[2][1][0]
    print(f"{RUNS} runs each, median (min-max) wall time in ms; ratio to `cargo locate-project`")
    for name, (median, low, high) in rows:
        print(f"  {name:<42} {median:7.2f}  ({low:.2f}-{high:.2f})  x{median / base:.2f}")
    floor_median = large_rows[1][1][0]
    print(f"a large manifest ({lines} lines, {len(big_text) // 1024} KB); ratio to one toml_edit parse and write")
    for name, (median, low, high) in large_rows:
        print(f"  {name:<42} {median:7.2f}  ({low:.2f}-{high:.2f})  x{median / floor_median:.2f}")
    many_floor = many_rows[-1][1][0]
    print(f"a manifest of 17,000 profile tables ({len(many_text) // 1024} KB); ratio to one toml_edit parse and write")
    for name, (median, low, high) in many_rows:
        print(f"  {name:<42} {median:7.2f}  ({low:.2f}-{high:.2f})  x{median / many_floor:.2f}")
    print("the demo with a config file setting rustflags; ratio to the same command without it, timed in turn")
    print("(asking: with it, but without rustup's variables, so rustc is asked every run)")
    print("(medians, then the ratio of the fastest runs, which a loaded machine disturbs least)")
    for name, without, with_flags, asking in flag_rows:
        print(
            f"  {name:<14} without {without[0]:6.2f}  with {with_flags[0]:6.2f}  x{with_flags[0] / without[0]:.2f}"
            f" (min x{with_flags[1] / without[1]:.2f})  asking {asking[0]:6.2f}  x{asking[0] / without[0]:.2f}"
            f" (min x{asking[1] / without[1]:.2f})"
        )
    print("cargo presets check on generated workspaces (each member manifest parsed and linted)")
    for members, (median, low, high) in check_rows:
        print(f"  {members:>5} members {median:9.2f} ms  ({low:.2f}-{high:.2f})  {median / members * 1000:7.1f} us per member")


if __name__ == "__main__":
    main()
