"""Check an installed hfmap (from the wheel, not the checkout) as a user gets it: run it from any folder.

Usage: <venv>/bin/python scripts/check_wheel.py EXAMPLES_DIR [DIST_DIR]

Checks that hfmap is imported from site-packages (never the source tree), that `hfmap --version` names the
installed version, that `hfmap lint` passes the bundled examples and reads standard input, that the JSON
Schema and the generated Hub data are inside the package and parse, and (given DIST_DIR) that the sdist
carries them too. Prints one line per check; exits 1 at the first failure.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from importlib import metadata, resources
from pathlib import Path

PACKAGE_FILES = ("schemas/mapping-file.schema.json", "data/hf_data.json")


def fail(message: str) -> None:
    print(f"check_wheel: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    hfmap = Path(sys.executable).parent / "hfmap"
    return subprocess.run([str(hfmap), *args], input=stdin, capture_output=True, check=False)


def main(examples: Path, dist: Path | None) -> None:
    import hfmap

    source_tree = examples.resolve().parents[1]
    where = Path(hfmap.__file__).resolve()
    if source_tree in where.parents:
        fail(f"hfmap was imported from the source tree ({where}), not from the installed wheel")
    print(f"ok: imported from {where.parent}")

    version = metadata.version("hfmap")
    shown = run("--version")
    if shown.returncode != 0 or shown.stdout.decode().strip() != f"hfmap, version {version}":
        fail(f"`hfmap --version` printed {shown.stdout!r} {shown.stderr!r}, expected version {version}")
    print(f"ok: hfmap --version: {version}")

    for name in PACKAGE_FILES:
        resource = resources.files("hfmap").joinpath(name)
        if not resource.is_file():
            fail(f"{name} is missing from the installed package")
        json.loads(resource.read_text(encoding="utf-8"))
        print(f"ok: {name} is in the package and parses")

    linted = run("lint", str(examples))
    if linted.returncode != 0:
        fail(f"`hfmap lint {examples}` exited {linted.returncode}: {linted.stdout!r} {linted.stderr!r}")
    print(f"ok: hfmap lint {examples}: {linted.stdout.decode().strip()}")

    broken = run("lint", "-", "--stdin-filename", "x.yaml", stdin=b"provider: replicate\nmappings: [1]\n")
    if broken.returncode != 1 or b"x.yaml:2:" not in broken.stdout:
        fail(f"`hfmap lint -` did not report the broken file: {broken.stdout!r} {broken.stderr!r}")
    print("ok: hfmap lint - finds the schema error in standard input (the schema is used)")

    if dist is not None:
        sdists = sorted(dist.glob(f"hfmap-{version}.tar.gz"))
        if not sdists:
            fail(f"no sdist hfmap-{version}.tar.gz in {dist}")
        with tarfile.open(sdists[0]) as archive:
            names = archive.getnames()
        for name in PACKAGE_FILES:
            if not any(n.endswith(f"src/hfmap/{name}") for n in names):
                fail(f"{name} is missing from {sdists[0].name}")
        print(f"ok: {sdists[0].name} carries the schema and the data")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        fail("usage: check_wheel.py EXAMPLES_DIR [DIST_DIR]")
    main(Path(sys.argv[1]), Path(sys.argv[2]) if len(sys.argv) == 3 else None)
