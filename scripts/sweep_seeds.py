"""Run the curriculum over many seeds and report how often every claim holds.

    python scripts/sweep_seeds.py --fast --seeds 0-29 -o build/sweep-fast
    python scripts/sweep_seeds.py --full --seeds 0-9 -o build/sweep-full 03 05
    python scripts/sweep_seeds.py --report build/sweep-fast build/sweep-full --write docs/seed_sweep.md

Each seed is one ``casebook run`` (notebooks in parallel, ``-j``), with ``solutions=true`` so
every reference solution is checked too. The report has one row per claim (notebook, seeds
tried, held, failed, not reached, the observed values' range next to the expected value, and
the tightest margin) and the spread of every recorded number (mean, standard deviation, min,
max over seeds). A claim holds on a seed only if that seed's run recorded it as holding; a
run that stopped earlier counts the claims after the failure as "not reached".
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path


def parse_seeds(text: str) -> list[int]:
    """``"0-4,7"`` -> ``[0, 1, 2, 3, 4, 7]``; raises ValueError naming the bad part."""
    seeds: list[int] = []
    for part in text.split(","):
        part = part.strip()
        try:
            if "-" in part:
                lo, hi = (int(x) for x in part.split("-", 1))
                if hi < lo:
                    raise ValueError
                seeds.extend(range(lo, hi + 1))
            else:
                seeds.append(int(part))
        except ValueError:
            raise ValueError(f"seeds must look like '0-29' or '0,3,5', got part {part!r}") from None
    if not seeds:
        raise ValueError(f"seeds must name at least one seed, got {text!r}")
    return sorted(set(seeds))


def run_seed(
    seed: int, out: Path, *, fast: bool, notebooks: Sequence[str], jobs: int | None
) -> float:
    """One ``casebook run`` for ``seed`` into ``out/<mode>/seed-<seed>``; returns wall seconds."""
    target = out / ("fast" if fast else "full") / f"seed-{seed}"
    cmd = [str(Path(sys.executable).parent / "casebook"), "run", *notebooks, "-o", str(target)]
    cmd += ["-p", "seed", str(seed), "-p", "solutions", "true"]
    if fast:
        cmd.append("--fast")
    if jobs:
        cmd += ["-j", str(jobs)]
    start = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def _load_runs(roots: Iterable[Path]) -> list[dict]:
    """Every ``lessons/<nb>/results.json`` below the given sweep folders, with mode and seed."""
    runs = []
    for root in roots:
        for path in sorted(Path(root).glob("*/seed-*/lessons/*/results.json")):
            data = json.loads(path.read_text())
            data["_mode"] = "fast" if data.get("fast") else "full"
            summary = path.parents[2] / "summary.json"
            status = "ok"
            if summary.is_file():
                for row in json.loads(summary.read_text()):
                    if row["notebook"] == data["notebook"]:
                        status = row["status"]
            data["_status"] = status
            runs.append(data)
    return runs


def _number(x) -> float | None:
    if isinstance(x, bool) or not isinstance(x, int | float):
        return None
    return float(x) if math.isfinite(x) else None


def claim_table(runs: Sequence[dict]) -> list[dict]:
    """One row per (notebook, mode, claim): how often it held, and its tightest observed value."""
    order: dict[tuple[str, str], list[str]] = {}
    seen: dict[tuple[str, str, str], list[dict]] = {}
    seeds: dict[tuple[str, str], set[int]] = {}
    for run in runs:
        key = (run["notebook"], run["_mode"])
        seeds.setdefault(key, set()).add(run["seed"])
        statements = order.setdefault(key, [])
        for claim in run.get("claims", []):
            if claim["statement"] not in statements:
                statements.append(claim["statement"])
            seen.setdefault((*key, claim["statement"]), []).append(claim)
    rows = []
    for (notebook, mode), statements in sorted(order.items()):
        tried = len(seeds[(notebook, mode)])
        for statement in statements:
            claims = seen[(notebook, mode, statement)]
            held = sum(c["holds"] for c in claims)
            observed = [v for c in claims if (v := _number(c.get("observed"))) is not None]
            expected = [v for c in claims if (v := _number(c.get("expected"))) is not None]
            margins = [
                o - e
                for c in claims
                if (o := _number(c.get("observed"))) is not None
                and (e := _number(c.get("expected"))) is not None
            ]
            # the direction a holding claim keeps: observed above or below expected
            held_margins = [
                _number(c["observed"]) - _number(c["expected"])
                for c in claims
                if c["holds"]
                and _number(c.get("observed")) is not None
                and _number(c.get("expected")) is not None
            ]
            direction = 0
            if held_margins and all(m >= 0 for m in held_margins):
                direction = 1
            elif held_margins and all(m <= 0 for m in held_margins):
                direction = -1
            tightest = None
            if margins and direction:
                tightest = min(m * direction for m in margins)
            rows.append(
                {
                    "notebook": notebook,
                    "mode": mode,
                    "claim": statement,
                    "seeds": tried,
                    "held": held,
                    "failed": len(claims) - held,
                    "not_reached": tried - len(claims),
                    "observed_min": min(observed) if observed else None,
                    "observed_max": max(observed) if observed else None,
                    "expected": (expected[0] if len(set(expected)) == 1 else None)
                    if expected
                    else None,
                    "tightest_margin": tightest,
                }
            )
    return rows


def spread_table(runs: Sequence[dict]) -> list[dict]:
    """Mean, standard deviation, min and max of every numeric recorded result, per mode."""
    values: dict[tuple[str, str, str], list[float]] = {}
    volatile: set[tuple[str, str, str]] = set()
    for run in runs:
        for name, entry in run.get("results", {}).items():
            v = _number(entry.get("value"))
            key = (run["notebook"], run["_mode"], name)
            if v is not None:
                values.setdefault(key, []).append(v)
            if entry.get("volatile"):
                volatile.add(key)
    rows = []
    for (notebook, mode, name), vs in sorted(values.items()):
        rows.append(
            {
                "notebook": notebook,
                "mode": mode,
                "result": name,
                "n": len(vs),
                "mean": statistics.fmean(vs),
                "sd": statistics.stdev(vs) if len(vs) > 1 else 0.0,
                "min": min(vs),
                "max": max(vs),
                "volatile": (notebook, mode, name) in volatile,
            }
        )
    return rows


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    if x == 0 or 1e-3 <= abs(x) < 1e5:
        return f"{x:.4g}"
    return f"{x:.3g}"


def render_report(runs: Sequence[dict], *, wall: dict[str, float] | None = None) -> str:
    """The Markdown report: claim hold rates first, then the spread of recorded numbers."""
    claims = claim_table(runs)
    spread = spread_table(runs)
    modes = sorted({r["_mode"] for r in runs})
    lines = ["# Seed sweep: does every lesson hold for any seed?", ""]
    for mode in modes:
        mode_runs = [r for r in runs if r["_mode"] == mode]
        seeds = sorted({r["seed"] for r in mode_runs})
        failed_runs = sum(r["_status"] != "ok" for r in mode_runs)
        rows = [c for c in claims if c["mode"] == mode]
        perfect = sum(c["held"] == c["seeds"] for c in rows)
        lines.append(
            f"- **{mode} mode**: seeds {seeds[0]}-{seeds[-1]} ({len(seeds)} seeds), "
            f"{len(mode_runs)} notebook runs, {failed_runs} failed; "
            f"{perfect} of {len(rows)} claims held on every seed"
            + (f"; sweep wall time {wall[mode] / 60:.1f} min" if wall and mode in wall else "")
            + "."
        )
    lines += [
        "",
        "The *tightest margin* is the smallest distance, over seeds, between the observed value "
        "and the claim's threshold, on the side the claim requires (blank when a claim records "
        "no numbers).",
        "",
        "## Claims",
        "",
        "| notebook | mode | claim | seeds | held | failed | not reached "
        "| observed (min .. max) | threshold | tightest margin |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in claims:
        obs = (
            f"{_fmt(c['observed_min'])} .. {_fmt(c['observed_max'])}"
            if c["observed_min"] is not None
            else ""
        )
        bad = c["held"] != c["seeds"]
        lines.append(
            f"| {c['notebook'][:2]} | {c['mode']} | {c['claim'].replace('|', '/')} | {c['seeds']} "
            f"| {'**' if bad else ''}{c['held']}{'**' if bad else ''} | {c['failed']} "
            f"| {c['not_reached']} | {obs} | {_fmt(c['expected'])} | {_fmt(c['tightest_margin'])} |"
        )
    lines += [
        "",
        "## Spread of every recorded number",
        "",
        "Timings are marked *volatile*: they depend on the machine, not on the seed.",
        "",
        "| notebook | mode | result | seeds | mean | sd | min | max |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in spread:
        name = s["result"] + (" *(volatile)*" if s["volatile"] else "")
        lines.append(
            f"| {s['notebook'][:2]} | {s['mode']} | {name} | {s['n']} | {_fmt(s['mean'])} "
            f"| {_fmt(s['sd'])} | {_fmt(s['min'])} | {_fmt(s['max'])} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("notebooks", nargs="*", help="notebook names or numbers (default: all)")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--fast", action="store_true", help="fast mode (default)")
    mode.add_argument("--full", action="store_true", help="full mode")
    parser.add_argument("--seeds", default="0-29", help="e.g. 0-29 or 0,5,9 (default 0-29)")
    parser.add_argument("-o", "--output", default="build/sweep", help="sweep folder")
    parser.add_argument("-j", "--jobs", type=int, default=None, help="notebooks in parallel")
    parser.add_argument(
        "--report", nargs="+", metavar="FOLDER", help="only report on finished sweep folders"
    )
    parser.add_argument("--write", help="write the Markdown report here (default: print it)")
    args = parser.parse_args(argv)
    wall: dict[str, float] = {}
    if args.report:
        roots = [Path(p) for p in args.report]
    else:
        try:
            seeds = parse_seeds(args.seeds)
        except ValueError as exc:
            parser.error(str(exc))
        out = Path(args.output).resolve()
        fast = not args.full
        name = "fast" if fast else "full"
        wall[name] = 0.0
        for i, seed in enumerate(seeds, 1):
            sec = run_seed(seed, out, fast=fast, notebooks=args.notebooks, jobs=args.jobs)
            wall[name] += sec
            print(f"{name} seed {seed}: {sec:.0f} s ({i}/{len(seeds)})", flush=True)
        (out / f"wall-{name}.json").write_text(json.dumps({name: wall[name]}))
        roots = [out]
    for root in roots:
        for path in Path(root).glob("wall-*.json"):
            wall.update(json.loads(path.read_text()))
    runs = _load_runs(roots)
    if not runs:
        print(f"no results.json found under {[str(r) for r in roots]}", file=sys.stderr)
        return 2
    report = render_report(runs, wall=wall)
    if args.write:
        Path(args.write).write_text(report)
        print(f"report: {args.write}")
    else:
        print(report)
    table = claim_table(runs)
    return 0 if all(c["held"] == c["seeds"] for c in table) else 1


if __name__ == "__main__":
    os.environ.setdefault("MPLBACKEND", "Agg")
    sys.exit(main())
