"""Run every benchmark side by side, one process per comparison, and write one report.

    python scripts/bench.py                    # all benchmarks -> docs/benchmarks.md
    python scripts/bench.py threshold drift    # some of them
    python scripts/bench.py --update-readme    # also refresh the README's benchmark section

Each comparison is a script in scripts/ that times the package against its anchor on the
same data, checks the numbers agree, and writes a Markdown table to --out. This driver adds
the machine description and collects the tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = {
    "threshold": (
        "Exact cost-optimal threshold vs roc_curve and a 1,000-threshold grid",
        "bench_threshold.py",
    ),
    "fairness": (
        "Group fairness metrics vs fairlearn MetricFrame and aif360 ClassificationMetric",
        "bench_fairness.py",
    ),
    "drift": ("Drift statistics (PSI + KS) vs Evidently", "bench_drift.py"),
    "pointintime": ("Point-in-time window aggregation", "bench_pointintime.py"),
}
START, END = "<!-- benchmarks:start -->", "<!-- benchmarks:end -->"


def machine() -> str:
    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024**2:.0f} GiB RAM"
    except (OSError, AttributeError):
        pass
    import numpy
    import pandas
    import sklearn

    return (
        f"{cpu}, {os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable by this run){mem}; Python {platform.python_version()}, numpy "
        f"{numpy.__version__}, pandas {pandas.__version__}, scikit-learn {sklearn.__version__}; "
        f"run {dt.date.today().isoformat()}"
    )


def _demote(markdown: str) -> str:
    """Drop a sub-report's own top-level title: the section heading replaces it."""
    lines = markdown.strip().splitlines()
    if lines and lines[0].startswith("# "):
        lines = lines[1:]
    return "\n".join(lines).strip()


def summary_table(rows: list[dict]) -> str:
    """One Markdown row per comparison: sizes, medians, ratio, target, agreement."""
    out = [
        "| comparison | size | casebook (s) | anchor (s) | speed-up | target | met | numbers agree |",
        "|---|---|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        met = "n/a" if r["met"] is None else ("yes" if r["met"] else "**no**")
        out.append(
            f"| {r['comparison']} | {r['size']} | {r['casebook_s']:.3g} | {r['anchor_s']:.3g} "
            f"| {r['ratio']:,.1f}x | {r['target']} | {met} | {'yes' if r['agree'] else '**no**'} |"
        )
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("names", nargs="*", help=f"any of {', '.join(BENCHMARKS)} (default: all)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--update-readme", action="store_true")
    args = parser.parse_args()
    names = args.names or list(BENCHMARKS)
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {list(BENCHMARKS)}")
    machine_line = f"Machine: {machine()}."
    sections: list[str] = []
    summary: list[dict] = []
    failed = []
    for name in names:
        title, script = BENCHMARKS[name]
        with tempfile.NamedTemporaryFile(suffix=".md", delete=False) as tmp:
            out = Path(tmp.name)
        print(f"== {name}: {title}", flush=True)
        proc = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / script), "--out", str(out)], check=False
        )
        rows_file = out.with_suffix(".json")
        if proc.returncode != 0 or not out.read_text().strip() or not rows_file.is_file():
            failed.append(name)
            sections.append(f"### {title}\n\nFAILED (exit code {proc.returncode}).\n")
        else:
            summary += json.loads(rows_file.read_text(encoding="utf-8"))
            sections.append(f"### {title}\n\n{_demote(out.read_text())}\n")
        out.unlink(missing_ok=True)
        rows_file.unlink(missing_ok=True)
    table = summary_table(summary)
    details = "\n".join(sections)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(
        f"# Benchmarks\n\n{machine_line}\n\n{table}\n\n## Details\n\n{details}", encoding="utf-8"
    )
    print(f"wrote {args.out}")
    report = (
        f"{machine_line} Produced by `python scripts/bench.py --update-readme`; "
        f"sizes, repeats and every per-column check are in "
        f"[docs/benchmarks.md](docs/benchmarks.md).\n\n{table}\n"
    )
    if args.update_readme:
        readme = ROOT / "README.md"
        text = readme.read_text(encoding="utf-8")
        if START in text and END in text:
            head, rest = text.split(START, 1)
            _, tail = rest.split(END, 1)
            readme.write_text(f"{head}{START}\n{report}\n{END}{tail}", encoding="utf-8")
            print("updated README.md")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
