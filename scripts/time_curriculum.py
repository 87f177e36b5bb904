"""Time the curriculum against its floor (kernel start + the same imports).

    python scripts/time_curriculum.py --fast            # default workers = cores
    python scripts/time_curriculum.py --full -o build/timing-full

Prints per-notebook seconds next to their floor, the batch wall times and their
ratio, and writes ``timing.json`` in the output folder.
"""

from __future__ import annotations

import argparse
import sys

from casebook.course.runner import resolve_notebooks
from casebook.course.timing import time_curriculum


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--fast", action="store_true", default=True)
    mode.add_argument("--full", action="store_true")
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("-o", "--output", default="build/timing")
    parser.add_argument("-j", "--workers", type=int, default=None)
    args = parser.parse_args()
    report = time_curriculum(
        resolve_notebooks(args.notebooks),
        output=args.output,
        fast=not args.full,
        workers=args.workers,
        parameters={"solutions": True},
    )
    width = max(map(len, report["seconds"]))
    print(f"{'notebook':<{width}}  seconds  floor  status")
    for name, sec in sorted(report["seconds"].items(), key=lambda kv: -kv[1]):
        print(
            f"{name:<{width}}  {sec:7.1f}  {report['floor_seconds'][name]:5.1f}  {report['status'][name]}"
        )
    mode_name = "fast" if report["fast"] else "full"
    print(
        f"\n{mode_name} mode, {report['workers']} workers: curriculum {report['wall_s']} s wall, "
        f"floor {report['floor_wall_s']} s wall, ratio {report['ratio']}"
    )
    return 0 if all(s == "ok" for s in report["status"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
