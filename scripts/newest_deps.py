"""Install the newest release of every direct dependency (ignoring uv.lock) and run the tests.

    python scripts/newest_deps.py                 # unit tests and doctests only
    python scripts/newest_deps.py --notebooks     # the notebook smoke test too
    python scripts/newest_deps.py --python ~/.pyenv/versions/3.13.0/bin/python

Not part of the default CI run: it answers "what breaks when we move the lock forward?".
It prints the versions that differ from the lock and pytest's summary; record upstream
breakages in the README's known-issues section.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--notebooks", action="store_true")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter for the new environment (default: this one), e.g. a newer Python",
    )
    args = parser.parse_args()
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = [*meta["dependencies"], *meta["optional-dependencies"]["dev"]]
    names = [d.split(">")[0].split("=")[0].split("<")[0].split("[")[0].strip() for d in direct]
    extras = {d.split("[")[0]: d.split("[")[1].split("]")[0] for d in direct if "[" in d}
    work = Path(tempfile.mkdtemp(prefix="casebook-newest-"))
    venv = work / "venv"
    # test what is committed, not a work tree that may be mid-edit
    source = work / "casebook"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(source)], check=True)
    uv = (
        [sys.executable, "-m", "uv"]
        if subprocess.run(
            [sys.executable, "-m", "uv", "--version"], capture_output=True, check=False
        ).returncode
        == 0
        else ["uv"]
    )
    subprocess.run([*uv, "venv", "--quiet", "--python", args.python, str(venv)], check=True)
    py = str(venv / "bin" / "python")
    specs = [f"{n}[{extras[n]}]" if n in extras else n for n in names]
    subprocess.run(
        [*uv, "pip", "install", "--quiet", "--python", py, "--upgrade", *specs], check=True
    )
    subprocess.run(
        [*uv, "pip", "install", "--quiet", "--python", py, "--no-deps", "-e", str(source)],
        check=True,
    )
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    locked: dict[str, set[str]] = {}  # a lock for several Pythons may pin several versions
    for package in lock["package"]:
        if "version" in package:
            locked.setdefault(package["name"].lower(), set()).add(package["version"])
    frozen = subprocess.run(
        [*uv, "pip", "freeze", "--python", py], capture_output=True, text=True, check=True
    )
    installed = dict(line.split("==", 1) for line in frozen.stdout.splitlines() if "==" in line)
    wanted = {n.lower().replace("_", "-") for n in names}
    differ = [
        f"  {name}: lock {', '.join(sorted(locked.get(name.lower(), {'(none)'})))} -> "
        f"newest {version}"
        for name, version in sorted(installed.items())
        if name.lower().replace("_", "-") in wanted
        and version not in locked.get(name.lower(), set())
    ]
    print(
        f"{len(wanted)} direct dependencies; {len(differ)} install a release newer than the lock"
        + (":" if differ else ".")
    )
    print("\n".join(differ))
    marker = [] if args.notebooks else ["-m", "not notebooks"]
    env = {**os.environ, "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        [py, "-m", "pytest", "-q", "-p", "no:cacheprovider", *marker],
        cwd=source,
        env=env,
        check=False,
    ).returncode


if __name__ == "__main__":
    sys.exit(main())
