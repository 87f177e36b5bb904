"""Run every benchmark side by side, one process per comparison, and write one report.

    python scripts/bench.py --update-readme    # everything -> docs/benchmarks.md + README
    python scripts/bench.py threshold stats    # re-run some; the others are kept

Each comparison is a script in scripts/ that times the package against the fastest
library path a user would pick and the numpy floor (the least work any method must do),
interleaved, on the same data, checks the numbers agree, and writes a Markdown table to
--out and summary rows to a .json beside it. This driver adds the machine description and
load average, keeps every benchmark's section and rows in docs/benchmarks.json (so a
partial re-run keeps the others, each with its own run date and load), and writes the
summary table.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = {
    "threshold": (
        "Exact cost-optimal threshold vs confusion_matrix_at_thresholds and roc_curve",
        "bench_threshold.py",
    ),
    "fairness": (
        "Group metrics and their bootstrap intervals vs fairlearn MetricFrame and aif360",
        "bench_fairness.py",
    ),
    "stats": (
        "AUC-difference bootstrap vs roc_auc_score; KS vs scipy.stats.ks_2samp",
        "bench_stats.py",
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


def _speed(ours: float, other: float) -> str:
    """Plain words for a time ratio: "6.2x faster" or "1.13x slower"."""
    return f"{other / ours:,.1f}x faster" if ours <= other else f"{ours / other:.2f}x slower"


def _cell(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3g}"


def summary_table(rows: list[dict]) -> str:
    """One Markdown row per comparison: casebook vs the fastest library path and the floor.

    ``vs library`` in words ("6.2x faster"); ``x floor`` is casebook time / floor time.
    Rows written by an older script (``anchor_s``, no floor) are shown with ``n/a``.
    """
    out = [
        "| comparison | size | casebook (s) | fastest library path | library (s) "
        "| vs library | numpy floor (s) | x floor | target met | numbers agree | peak memory "
        "(casebook / library) |",
        "|---|---|---:|---|---:|---:|---:|---:|---|---|---|",
    ]
    for r in rows:
        lib_s = r.get("library_s", r.get("anchor_s"))
        floor_s = r.get("floor_s")
        x_floor = f"{r['casebook_s'] / floor_s:.3g}x" if floor_s else "n/a"
        met = "n/a" if r.get("met") is None else ("yes" if r["met"] else "**no**")
        out.append(
            f"| {r['comparison']} | {r['size']} | {_cell(r['casebook_s'])} "
            f"| {r.get('library', 'anchor')} | {_cell(lib_s)} "
            f"| {_speed(r['casebook_s'], lib_s)} "
            f"| {_cell(floor_s)} ({r.get('floor') or 'none'}) "
            f"| {x_floor} "
            f"| {met} | {'yes' if r['agree'] else '**no**'} | {r.get('peak') or 'n/a'} |"
        )
    return "\n".join(out)


def _load_store(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


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
    store_path = Path(args.out).with_suffix(".json")
    store = _load_store(store_path)
    failed = []
    for name in names:
        title, script = BENCHMARKS[name]
        with tempfile.NamedTemporaryFile(suffix=".md", delete=False) as tmp:
            out = Path(tmp.name)
        print(f"== {name}: {title}", flush=True)
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / script), "--out", str(out)], check=False
        )
        seconds = time.perf_counter() - start
        rows_file = out.with_suffix(".json")
        if proc.returncode != 0 or not out.read_text().strip() or not rows_file.is_file():
            failed.append(name)
            store[name] = {"section": f"FAILED (exit code {proc.returncode}).", "rows": []}
        else:
            store[name] = {
                "section": _demote(out.read_text()),
                "rows": json.loads(rows_file.read_text(encoding="utf-8")),
            }
        store[name]["run"] = (
            f"{machine_line[len('Machine: ') : -1]}; load average {load_before:.1f} at the "
            f"start of this benchmark, {os.getloadavg()[0]:.1f} at its end; took {seconds:.0f} s"
        )
        out.unlink(missing_ok=True)
        rows_file.unlink(missing_ok=True)
    summary = [r for name in BENCHMARKS if name in store for r in store[name]["rows"]]
    table = summary_table(summary)
    details = "\n".join(
        f"### {BENCHMARKS[name][0]}\n\nRun: {store[name].get('run', 'unknown')}.\n\n"
        f"{store[name]['section']}\n"
        for name in BENCHMARKS
        if name in store
    )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    store_path.write_text(json.dumps(store, indent=1) + "\n", encoding="utf-8")
    Path(args.out).write_text(
        f"# Benchmarks\n\n{machine_line} Each benchmark's own run (date, load average) is "
        f"given in its section; `x floor` is casebook time / numpy-floor time (the floor is the "
        f"least work any method must do).\n\n{table}\n\n## Details\n\n{details}",
        encoding="utf-8",
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
