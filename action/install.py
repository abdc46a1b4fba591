"""Install hfmap for the composite action: reproducible, portable, and nothing written into the action.

Run by action.yml with the interpreter `actions/setup-python` provides (standard library only, so it works
the same on Linux, macOS and Windows runners, where `sha256sum` and friends may be missing):

    python install.py keys      # cache keys for pip's downloads and for `check`'s answer cache
    python install.py install   # a venv in $RUNNER_TEMP with hfmap in it

`install`: the dependencies come from `requirements.txt` beside this file, pinned and hash-locked
(`pip install --require-hashes`); hfmap itself is built from a copy of the action's sources in
$RUNNER_TEMP (`--no-build-isolation`, with the locked setuptools), so no `build/` or `*.egg-info` lands in
the action's folder and no unpinned build dependency is fetched. This interpreter's pip does the installing
(`pip --python VENV`), so the venv gets no pip of its own unless that pip is older than 22.3. Writes
`python=` (the venv's interpreter) to $GITHUB_OUTPUT.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "src")


def _output(**values: str) -> None:
    target = os.environ.get("GITHUB_OUTPUT")
    text = "".join(f"{name}={value}\n" for name, value in values.items())
    if target:
        with open(target, "a", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)


def _version() -> str:
    for line in (ROOT / "src" / "hfmap" / "__init__.py").read_text(encoding="utf-8").splitlines():
        if line.startswith("__version__"):
            return line.split("=", 1)[1].strip().strip("\"'")
    return "0"


def keys() -> None:
    """pip's cache: per OS, arch, Python and lock file. The answer cache: per OS, hfmap version and
    paths, rolling (a new key each run, restored from the newest one with the same prefix)."""
    runner = f"{os.environ.get('RUNNER_OS', sys.platform)}-{os.environ.get('RUNNER_ARCH', 'x')}"
    python = ".".join(str(n) for n in sys.version_info[:3])
    lock = hashlib.sha256((HERE / "requirements.txt").read_bytes()).hexdigest()[:16]
    paths = hashlib.sha256(os.environ.get("INPUT_PATHS", "").encode("utf-8")).hexdigest()[:8]
    prefix = f"hfmap-answers-{os.environ.get('RUNNER_OS', sys.platform)}-{_version()}-{paths}-"
    run = f"{os.environ.get('GITHUB_RUN_ID', '0')}-{os.environ.get('GITHUB_RUN_ATTEMPT', '1')}"
    temp = Path(os.environ.get("RUNNER_TEMP") or ".")
    _output(
        **{
            "pip-cache": str(temp / "hfmap-pip-cache"),
            "pip-key": f"hfmap-pip-{runner}-py{python}-{lock}",
            "answers": str(temp / "hfmap-answers"),
            "answers-key": prefix + run,
            "answers-restore": prefix,
        }
    )


def _run(*args: object) -> None:
    subprocess.run([str(a) for a in args], check=True)


def _pip_aims_elsewhere() -> bool:
    """Whether this interpreter's pip installs into another environment (`pip --python`, pip 22.3+)."""
    try:
        parts = version("pip").split(".")[:2]
        return tuple(int(part) for part in parts) >= (22, 3)
    except (PackageNotFoundError, ValueError):
        return False


def install() -> None:
    temp = Path(os.environ.get("RUNNER_TEMP") or ".")
    env_dir, copy = temp / "hfmap-venv", temp / "hfmap-src"
    # setup-python's pip installs into the venv (`--python`), so the venv needs no copy of pip of its own
    # (ensurepip: about 2.3 s of every install); an older pip gets the copy, as before.
    elsewhere = _pip_aims_elsewhere()
    venv.EnvBuilder(with_pip=not elsewhere, clear=True).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    runner = (sys.executable, "-m", "pip", "--python", python) if elsewhere else (python, "-m", "pip")
    pip = (*runner, "install", "--quiet", "--disable-pip-version-check", "--no-input")
    _run(*pip, "--require-hashes", "--only-binary", "setuptools,wheel", "-r", HERE / "requirements.txt")
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir(parents=True)
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif source.exists():
            shutil.copy2(source, copy / name)
    _run(*pip, "--no-deps", "--no-build-isolation", "--no-index", copy)
    _output(python=str(python))


if __name__ == "__main__":
    {"keys": keys, "install": install}[sys.argv[1] if len(sys.argv) > 1 else "install"]()
