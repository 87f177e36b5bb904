"""The ``casebook`` command line: run notebooks, list them, manage datasets."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

__all__ = ["main", "parse_parameter"]


def parse_parameter(name: str, value: str) -> tuple[str, Any]:
    """Parse ``-p NAME VALUE`` with YAML rules (``true``, ``3``, ``0.5``, ``text``).

    Examples
    --------
    >>> parse_parameter("seed", "3")
    ('seed', 3)
    >>> parse_parameter("solutions", "true")
    ('solutions', True)
    >>> parse_parameter("1x", "2")
    Traceback (most recent call last):
    ...
    ValueError: parameter name must be a Python identifier, got '1x'
    """
    if not name.isidentifier():
        raise ValueError(f"parameter name must be a Python identifier, got {name!r}")
    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError:
        parsed = value
    return name, parsed


_SIMPLE_TYPES: dict[str, tuple[type, ...]] = {
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "str": (str,),
    "list": (list,),
    "dict": (dict,),
}


def _declared_parameters(path: Path) -> dict[str, str]:
    """``{name: type}`` from the cell tagged ``parameters``: annotations, else literal defaults."""
    import ast
    import json

    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return {}
    for cell in cells:
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        src = cell.get("source", "")
        try:
            tree = ast.parse("".join(src) if isinstance(src, list) else src)
        except SyntaxError:
            return {}
        found = {}
        for node in tree.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                found[node.target.id] = ast.unparse(node.annotation)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                kind = type(node.value.value).__name__
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        found[target.id] = kind if kind in _SIMPLE_TYPES else ""
        return found
    return {}


def _typed_value(name: str, raw: str, value: Any, declared: str, notebook: str) -> Any:
    """``value`` if it fits the declared type (``"int | None"``...), the raw text for a str."""
    members = [m.strip() for m in declared.replace("Optional[", "").rstrip("]").split("|")]
    bases = [m.split("[")[0] for m in members]
    if any(b not in _SIMPLE_TYPES and b != "None" for b in bases):
        return value  # a type this check does not know: papermill passes the value as is
    if value is None and "None" in bases:
        return None
    for b in bases:
        kinds = _SIMPLE_TYPES.get(b, ())
        if isinstance(value, kinds) and not (isinstance(value, bool) and b in ("int", "float")):
            return value
    for b, convert in (("int", int), ("float", float)):
        if b in bases and isinstance(value, str):  # YAML reads 1e-3 as text
            try:
                return convert(raw)
            except ValueError:
                pass
    if "str" in bases:
        return raw
    raise ValueError(
        f"parameter {name!r} must be {declared} (as declared in the parameters cell of "
        f"{notebook}), got {raw!r}"
    )


def _checked_parameters(pairs: Sequence[Sequence[str]], paths: Sequence[Path]) -> dict[str, Any]:
    """Parse ``-p`` pairs, check them against each notebook's parameters cell, warn on unknowns."""
    declared = {p.stem: _declared_parameters(p) for p in paths}
    params: dict[str, Any] = {}
    for raw_name, raw in pairs:
        name, value = parse_parameter(raw_name, raw)
        missing = [nb for nb, types in declared.items() if name not in types]
        if len(missing) == len(declared):
            print(
                f"casebook run: warning: parameter {name!r} is not in the parameters cell of "
                f"{', '.join(missing)}; it is injected but no cell declares it",
                file=sys.stderr,
            )
        for nb, types in declared.items():
            if types.get(name):
                value = _typed_value(name, raw, value, types[name], nb)
        params[name] = value
    return params


def _timeout_arg(text: str) -> float | None:
    """``--timeout``: a positive number of seconds, or ``none`` for no limit."""
    import math

    if text.strip().lower() == "none":
        return None
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(
            f"must be a positive number of seconds per cell, or 'none' for no limit; got {text!r}"
        )
    return value


def _print_table(runs: Sequence[Any], index: Path | None) -> None:
    width = max(len(r.notebook) for r in runs)
    print(f"\n{'notebook':<{width}}  status       seconds")
    for r in runs:
        print(f"{r.notebook:<{width}}  {r.status:<11}  {r.seconds:7.1f}")
    total = sum(r.seconds for r in runs)
    print(f"{'total (sum)':<{width}}               {total:7.1f}")
    if index is not None:
        print(f"\nreport: {Path(index).resolve()}")
    for r in runs:
        if r.status == "failed":
            print("\nFAILED " + r.report(), file=sys.stderr)


def _cmd_run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from casebook.course.run_control import output_lock, writable_output
    from casebook.course.runner import (
        RunInterrupted,
        _check_sources,
        resolve_notebooks,
        run_notebooks,
    )
    from casebook.course.site import build_site

    try:
        paths = resolve_notebooks(args.notebooks)
        if not paths:
            print("casebook run: no notebooks found", file=sys.stderr)
            return 2
        params = _checked_parameters(args.parameter, paths)
        _check_sources([Path(p).resolve() for p in paths], Path(args.output).resolve())
        out = writable_output(args.output)
    except (ValueError, FileNotFoundError) as exc:
        print(f"casebook run: {exc}", file=sys.stderr)
        return 2
    bar = tqdm(total=len(paths), desc="notebooks", unit="nb", file=sys.stderr, leave=True)

    def done(run: Any) -> None:
        bar.set_postfix_str(f"{run.notebook} {run.status}", refresh=False)
        bar.update(1)

    code = 0
    try:
        with output_lock(out):
            try:
                runs = run_notebooks(
                    paths,
                    output=out,
                    parameters=params,
                    fast=args.fast,
                    workers=args.workers,
                    timeout=args.timeout,
                    html=not args.no_html,
                    on_done=done,
                )
            except RunInterrupted as stop:
                runs, code = stop.runs, 128 + stop.signum
            bar.close()
            index = build_site(runs, out)
    except ValueError as exc:
        bar.close()
        print(f"casebook run: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # a Ctrl-C while the site is written
        return 130
    _print_table(runs, index)
    if code:
        stopped = sum(r.status == "interrupted" for r in runs)
        print(f"\nstopped: {stopped} notebook(s) interrupted; summary: {out / 'summary.json'}")
        return code
    return 1 if any(r.status != "ok" for r in runs) else 0


def _cmd_list(args: argparse.Namespace) -> int:
    from casebook.course.notebook_html import notebook_title
    from casebook.course.runner import resolve_notebooks

    for p in resolve_notebooks(None):
        print(f"{p.stem:<45} {notebook_title(p)}")
    return 0


def _cmd_data(args: argparse.Namespace) -> int:
    from casebook.data.fetch import DataUnavailableError, fetch_file
    from casebook.data.registry import DATASETS

    names = args.names or sorted(DATASETS)
    status = 0
    for name in names:
        if name not in DATASETS:
            print(
                f"casebook data: unknown dataset {name!r}; known: {sorted(DATASETS)}",
                file=sys.stderr,
            )
            return 2
        ds = DATASETS[name]
        if args.action == "list":
            print(f"{ds.name:<18} {ds.shape[0]:>7} rows  {ds.license:<12}  {ds.title}")
            continue
        for f in ds.files:
            try:
                path = fetch_file(ds, f.name, download=not args.offline)
            except DataUnavailableError as exc:
                print(str(exc), file=sys.stderr)
                status = 1
            else:
                print(f"ok  {ds.name}/{f.name}  {path}")
    return status


def _cmd_quiz(args: argparse.Namespace) -> int:
    from casebook.course.interview.mock import run_mock
    from casebook.course.interview.quiz import run_quiz

    mock_only = {"--questions": args.questions, "--minutes-per-question": args.minutes_per_question}
    try:
        if args.mock:
            if args.topic is not None or args.difficulty is not None:
                raise ValueError(
                    "--mock draws across topics and difficulties; drop --topic and --difficulty"
                )
            run_mock(
                count=5 if args.questions is None else args.questions,
                minutes_per_question=4.0
                if args.minutes_per_question is None
                else args.minutes_per_question,
                progress_file=args.progress_file,
                seed=args.seed,
            )
            return 0
        given = [flag for flag, value in mock_only.items() if value is not None]
        if given:
            raise ValueError(f"{', '.join(given)} only go with --mock")
        run_quiz(
            topic=args.topic,
            difficulty=args.difficulty,
            count=args.count,
            progress_file=args.progress_file,
            seed=args.seed,
        )
    except ValueError as exc:
        print(f"casebook quiz: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nStopped.")
    return 0


def _cmd_progress(args: argparse.Namespace) -> int:
    from casebook.course.progress import format_progress, progress_table

    try:
        table = progress_table(path=args.progress_file, quiz_path=args.quiz_progress_file)
    except ValueError as exc:
        print(f"casebook progress: {exc}", file=sys.stderr)
        return 2
    print(format_progress(table))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``casebook`` command."""
    parser = argparse.ArgumentParser(
        prog="casebook", description="The ML Model Analyst Casebook: run and study the lessons."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="execute notebooks headlessly and write an HTML report")
    run.add_argument("notebooks", nargs="*", help="names or number prefixes (default: all)")
    run.add_argument("--fast", action="store_true", help="shrink data (fast=True)")
    run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="set a notebook parameter, e.g. -p seed 1 -p solutions true",
    )
    run.add_argument(
        "-j", "--workers", type=int, default=None, help="parallel notebooks (default: cores)"
    )
    run.add_argument("-o", "--output", default="build", help="output folder (default: build)")
    run.add_argument(
        "--timeout",
        type=_timeout_arg,
        default=600.0,
        help="seconds per cell, or 'none' for no limit (default: 600)",
    )
    run.add_argument("--no-html", action="store_true", help="skip the HTML renderings")
    run.set_defaults(func=_cmd_run)

    lst = sub.add_parser("list", help="list the notebooks")
    lst.set_defaults(func=_cmd_list)

    data = sub.add_parser("data", help="list or fetch the registered datasets")
    data.add_argument("action", choices=["list", "fetch"])
    data.add_argument("names", nargs="*", help="dataset names (default: all)")
    data.add_argument("--offline", action="store_true", help="cache and mirror only")
    data.set_defaults(func=_cmd_data)

    quiz = sub.add_parser("quiz", help="practise interview questions in the terminal")
    quiz.add_argument("--topic", help="only topics containing this text")
    quiz.add_argument("--difficulty", choices=["easy", "medium", "hard"])
    quiz.add_argument(
        "-n", "--count", type=int, default=5, help="questions per session (default 5)"
    )
    quiz.add_argument("--progress-file", help="progress JSON (default: user data folder)")
    quiz.add_argument("--seed", type=int, default=None, help="reproducible order")
    quiz.add_argument(
        "--mock", action="store_true", help="timed mock interview across topics, self-graded"
    )
    quiz.add_argument("--questions", type=int, help="--mock: questions (default 5)")
    quiz.add_argument(
        "--minutes-per-question",
        type=float,
        help="--mock: minutes for a question and its follow-ups (default 4)",
    )
    quiz.set_defaults(func=_cmd_quiz)

    prog = sub.add_parser("progress", help="show your exercises done and quiz questions to review")
    prog.add_argument("--progress-file", help="exercise progress JSON (default: user data folder)")
    prog.add_argument("--quiz-progress-file", help="quiz progress JSON (default: user data folder)")
    prog.set_defaults(func=_cmd_progress)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``casebook`` command."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
