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
its cost grows linearly with the number of members.
"""
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 200
ROOT = Path(__file__).resolve().parent.parent


def timed(cmd, cwd, before=None):
    samples = []
    for _ in range(RUNS):
        if before:
            before()
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples), max(samples)


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


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "toml_floor"], cwd=ROOT, check=True)
    floor = ROOT / "target" / "release" / "examples" / "toml_floor"
    binary = ROOT / "target" / "release" / "cargo-presets"
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "demo"
        shutil.copytree(ROOT / "demo", ws)
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
    base = rows[2][1][0]
    print(f"{RUNS} runs each, median (min-max) wall time in ms; ratio to `cargo locate-project`")
    for name, (median, low, high) in rows:
        print(f"  {name:<42} {median:7.2f}  ({low:.2f}-{high:.2f})  x{median / base:.2f}")
    floor_median = large_rows[1][1][0]
    print(f"a large manifest ({lines} lines, {len(big_text) // 1024} KB); ratio to one toml_edit parse and write")
    for name, (median, low, high) in large_rows:
        print(f"  {name:<42} {median:7.2f}  ({low:.2f}-{high:.2f})  x{median / floor_median:.2f}")
    print("cargo presets check on generated workspaces (each member manifest parsed and linted)")
    for members, (median, low, high) in check_rows:
        print(f"  {members:>5} members {median:9.2f} ms  ({low:.2f}-{high:.2f})  {median / members * 1000:7.1f} us per member")


if __name__ == "__main__":
    main()
