"""Clone this repository into a temporary folder and time the README's two commands there.

    python scripts/fresh_install.py                  # make test, then make run ARGS=--fast
    python scripts/fresh_install.py --cold-cache     # also start from an empty uv cache
    python scripts/fresh_install.py --only test

The clone gets a new .venv from uv.lock. Datasets come from $CASEBOOK_DATA_MIRROR (or the
upstream URLs) into a cache inside the clone, so nothing of this checkout is reused.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {"test": ["make", "test"], "run": ["make", "run", "ARGS=--fast"]}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", choices=list(COMMANDS), action="append")
    parser.add_argument(
        "--cold-cache", action="store_true", help="empty uv cache: every wheel is downloaded"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary clone")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="casebook-fresh-"))
    clone = tmp / "casebook"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_PROJECT"))}
    env["CASEBOOK_DATA_HOME"] = str(clone / ".cache" / "data")
    if "CASEBOOK_DATA_MIRROR" not in env and (ROOT.parent / "shared" / "datasets").is_dir():
        env["CASEBOOK_DATA_MIRROR"] = str(ROOT.parent / "shared" / "datasets")
    if args.cold_cache:
        env["UV_CACHE_DIR"] = str(tmp / "uv-cache")
    status = 0
    rows = []
    for name in args.only or list(COMMANDS):
        cmd = COMMANDS[name]
        start = time.perf_counter()
        log = tmp / f"{name}.log"
        with open(log, "w") as fh:
            proc = subprocess.run(
                cmd, cwd=clone, env=env, stdout=fh, stderr=subprocess.STDOUT, check=False
            )
        seconds = time.perf_counter() - start
        rows.append((" ".join(cmd), proc.returncode, seconds, log))
        status = status or proc.returncode
    print(f"fresh clone: {clone} ({'cold' if args.cold_cache else 'warm'} uv cache)")
    print("| command | exit | seconds | log |\n|---|---|---|---|")
    for cmd, code, seconds, log in rows:
        print(f"| `{cmd}` | {code} | {seconds:.0f} | {log} |")
    if not args.keep and status == 0:
        subprocess.run(["rm", "-rf", str(clone / ".venv"), str(clone / ".tools")], check=False)
    return status


if __name__ == "__main__":
    sys.exit(main())
