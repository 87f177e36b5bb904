import json
from pathlib import Path

import nbformat
import pytest

from casebook.course.cli import main
from casebook.course.runner import NotebookRun, resolve_notebooks, run_notebooks


def write_notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        "fast: bool = False\nseed: int = 0\noutput_dir: str | None = None\nsolutions: bool = False"
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {path.stem}"), params]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    src = tmp_path_factory.mktemp("src")
    good = write_notebook(
        src / "01_good.ipynb",
        "import json, pathlib, os\np = pathlib.Path(output_dir)\n"
        "(p / 'seen.json').write_text(json.dumps({'fast': fast, 'seed': seed, 'cwd': os.getcwd()}))",
        "import os; os.write(2, b'kernel-level noise')",
    )
    bad = write_notebook(
        src / "02_bad.ipynb", "x = 1", "raise ValueError('broken on purpose')", "y = 2"
    )
    before = {p: p.read_bytes() for p in (good, bad)}
    out = tmp_path_factory.mktemp("build")
    result = run_notebooks([good, bad], output=out, fast=True, parameters={"seed": 7}, workers=2)
    return result, out, before


def test_good_notebook_runs_with_parameters(runs):
    result, out, _ = runs
    good = result[0]
    assert isinstance(good, NotebookRun) and good.status == "ok" and good.report() == ""
    seen = json.loads((Path(good.output_dir) / "seen.json").read_text())
    assert seen["fast"] is True and seen["seed"] == 7
    assert seen["cwd"] == good.output_dir
    assert Path(good.html).is_file() and Path(good.executed).is_file()


def test_failing_notebook_names_cell_and_exception(runs):
    bad = runs[0][1]
    assert bad.status == "failed"
    assert bad.cell == 3  # parameters (1), injected parameters (2)... counted among code cells
    assert bad.error == "ValueError: broken on purpose"
    report = bad.report()
    assert "02_bad failed in code cell 3: ValueError: broken on purpose" in report
    assert bad.executed in report


def test_sources_are_never_written(runs):
    for path, content in runs[2].items():
        assert path.read_bytes() == content


def test_kernel_noise_goes_to_log(runs):
    _, out, _ = runs
    assert "kernel-level noise" in (out / "logs" / "01_good.log").read_text()
    summary = json.loads((out / "summary.json").read_text())
    assert [s["status"] for s in summary] == ["ok", "failed"]


def test_run_validation(tmp_path):
    nb = write_notebook(tmp_path / "01_x.ipynb", "pass")
    with pytest.raises(ValueError, match="notebooks must name at least one notebook"):
        run_notebooks([])
    with pytest.raises(ValueError, match="no such notebook file"):
        run_notebooks([tmp_path / "missing.ipynb"])
    with pytest.raises(ValueError, match="workers must be a positive int"):
        run_notebooks([nb], workers=0)
    with pytest.raises(ValueError, match="parameters must not set 'output_dir'"):
        run_notebooks([nb], parameters={"output_dir": "x"})


def test_resolve_notebooks(tmp_path):
    for name in ("01_alpha", "02_beta", "10_gamma"):
        write_notebook(tmp_path / f"{name}.ipynb", "pass")
    (tmp_path / "scratch.ipynb").write_text("{}")
    assert [p.stem for p in resolve_notebooks(None, notebooks_dir=tmp_path)] == [
        "01_alpha",
        "02_beta",
        "10_gamma",
    ]
    assert [
        p.stem for p in resolve_notebooks(["10", "01_alpha", "01"], notebooks_dir=tmp_path)
    ] == [
        "01_alpha",
        "10_gamma",
    ]
    with pytest.raises(ValueError, match="'99' matches no notebook; available: 01_alpha"):
        resolve_notebooks(["99"], notebooks_dir=tmp_path)


def test_cli_exit_codes(tmp_path, monkeypatch, capsys):
    import casebook.course.runner as runner_mod

    nb_dir = tmp_path / "nbs"
    nb_dir.mkdir()
    write_notebook(nb_dir / "01_ok.ipynb", "pass")
    write_notebook(nb_dir / "02_fail.ipynb", "1/0")
    original = runner_mod.resolve_notebooks
    monkeypatch.setattr(
        runner_mod, "resolve_notebooks", lambda names: original(names, notebooks_dir=nb_dir)
    )
    out = tmp_path / "out"
    assert main(["run", "01", "-o", str(out), "-j", "1", "--no-html"]) == 0
    assert (out / "index.html").is_file()
    assert main(["run", "02", "-o", str(out), "-j", "1", "--no-html", "-p", "seed", "2"]) == 1
    err = capsys.readouterr().err
    assert "FAILED 02_fail failed in code cell" in err and "ZeroDivisionError" in err
    assert main(["run", "77", "-o", str(out)]) == 2


def test_kernel_start_failures_are_recognised():
    from casebook.course.notebook_worker import kernel_never_started as _kernel_never_started

    assert _kernel_never_started(RuntimeError("Kernel didn't respond in 60 seconds"), None)
    assert not _kernel_never_started(RuntimeError("Kernel didn't respond in 60 seconds"), 3)
    assert not _kernel_never_started(ValueError("No language found in notebook"), None)


def test_relative_paths_are_resolved_against_the_callers_directory(tmp_path, monkeypatch):
    """Kernels run in <out>/lessons/<nb>/: a relative mirror, cache or -o must not move with them."""
    (tmp_path / "shared" / "datasets").mkdir(parents=True)
    work = tmp_path / "work"
    work.mkdir()
    nb = write_notebook(
        work / "01_paths.ipynb",
        "import json, os, pathlib\nfrom casebook.data.fetch import data_home_dir\n"
        "seen = {v: os.environ.get(v) for v in ('CASEBOOK_DATA_MIRROR', 'MLFLOW_TRACKING_URI')}\n"
        "seen['home'] = str(data_home_dir())\n"
        "pathlib.Path(output_dir, 'paths.json').write_text(json.dumps(seen))",
    )
    monkeypatch.chdir(work)
    monkeypatch.setenv("CASEBOOK_DATA_MIRROR", "../shared/datasets")
    monkeypatch.setenv("CASEBOOK_DATA_HOME", "cache")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "sqlite:///runs/mlflow.db")
    assert main(["run", nb.name, "-o", "out", "-j", "1", "--no-html"]) == 0
    seen = json.loads((work / "out" / "lessons" / "01_paths" / "paths.json").read_text())
    assert seen == {
        "CASEBOOK_DATA_MIRROR": str(tmp_path / "shared" / "datasets"),
        "MLFLOW_TRACKING_URI": f"sqlite:///{work / 'runs' / 'mlflow.db'}",
        "home": str(work / "cache"),
    }


def test_kernel_death_is_reported_as_such_naming_only_existing_files(tmp_path):
    nb = write_notebook(tmp_path / "01_dies.ipynb", "x = 1", "import os; os._exit(1)")
    (run,) = run_notebooks([nb], output=tmp_path / "out", workers=1, html=False)
    assert run.status == "failed" and run.kernel_died
    report = run.report()
    assert report.startswith("01_dies failed: the kernel died (DeadKernelError: Kernel died)")
    assert "failed in before" not in report
    named = [line.split(": ", 1)[1] for line in report.splitlines()[1:]]
    assert named and all(Path(p).is_file() for p in named)
    gone = NotebookRun("02_x", "failed", 0.0, str(tmp_path / "missing.ipynb"), None, ".", error="E")
    assert gone.report() == "02_x failed before any cell ran: E"


def test_duplicate_file_names_are_refused(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_notebook(tmp_path / "a" / "00_start.ipynb", "pass")
    second = write_notebook(tmp_path / "b" / "00_start.ipynb", "1/0")
    with pytest.raises(ValueError, match="notebooks must have distinct file names"):
        run_notebooks([first, second], output=tmp_path / "out")
    assert main(["run", str(first), str(second), "-o", str(tmp_path / "out")]) == 2
    assert "distinct file names" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_output_must_not_hold_the_sources(tmp_path, capsys):
    (tmp_path / "nbs").mkdir()
    src = write_notebook(tmp_path / "nbs" / "01_x.ipynb", "pass")
    with pytest.raises(ValueError, match="output must not hold the source notebooks"):
        run_notebooks([src], output=tmp_path / "nbs")
    inside = tmp_path / "build" / "executed"
    inside.mkdir(parents=True)
    copy = write_notebook(inside / "01_x.ipynb", "pass")
    before = copy.read_bytes()
    assert main(["run", str(copy), "-o", str(tmp_path / "build")]) == 2
    assert "output must not hold the source notebooks" in capsys.readouterr().err
    assert copy.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "nbs").iterdir()) == ["01_x.ipynb"]


def test_output_that_is_a_file_or_not_creatable_is_a_clear_error(tmp_path, capsys):
    nb = write_notebook(tmp_path / "01_x.ipynb", "pass")
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    with pytest.raises(ValueError, match="output must be a folder, got .*which is a file"):
        run_notebooks([nb], output=blocker)
    assert main(["run", str(nb), "-o", str(blocker)]) == 2
    assert main(["run", str(nb), "-o", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert "which is a file" in err and "output must be a writable folder" in err
    assert "Traceback" not in err


def test_timeout_must_be_positive(tmp_path, capsys):
    nb = write_notebook(tmp_path / "01_x.ipynb", "pass")
    for bad in (0, -1, float("nan"), True, "10"):
        with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
            run_notebooks([nb], output=tmp_path / "out", timeout=bad)
    with pytest.raises(SystemExit) as info:
        main(["run", str(nb), "--timeout", "-1"])
    assert info.value.code == 2
    assert "'none' for no limit; got '-1'" in capsys.readouterr().err
    from casebook.course.cli import build_parser

    assert build_parser().parse_args(["run", "--timeout", "none"]).timeout is None


def test_parameters_are_checked_against_the_parameters_cell(tmp_path, capsys):
    from casebook.course.cli import _checked_parameters

    nb = write_notebook(tmp_path / "01_x.ipynb", "pass")
    assert main(["run", str(nb), "-o", str(tmp_path / "out"), "-p", "seed", "abc"]) == 2
    err = capsys.readouterr().err
    assert (
        "parameter 'seed' must be int (as declared in the parameters cell of 01_x), got 'abc'"
        in err
    )
    assert not (tmp_path / "out").exists()
    assert _checked_parameters([["seed", "3"], ["output_dir", "x"]], [nb]) == {
        "seed": 3,
        "output_dir": "x",
    }
    assert _checked_parameters([["output_dir", "null"]], [nb]) == {"output_dir": None}
    lr = write_notebook(tmp_path / "02_lr.ipynb", "pass")
    cells = json.loads(lr.read_text())
    cells["cells"][1]["source"] = "lr: float = 0.1\nname: str = 'a'"
    lr.write_text(json.dumps(cells))
    assert _checked_parameters([["lr", "1e-3"], ["name", "3"]], [lr]) == {"lr": 0.001, "name": "3"}
    with pytest.raises(ValueError, match="parameter 'fast' must be bool .* got '1'"):
        _checked_parameters([["fast", "1"]], [nb])
    assert _checked_parameters([["sed", "1"]], [nb]) == {"sed": 1}
    assert (
        "warning: parameter 'sed' is not in the parameters cell of 01_x" in capsys.readouterr().err
    )


def test_time_curriculum_keeps_twins_outside_the_floor_output(tmp_path):
    from casebook.course.timing import time_curriculum

    (tmp_path / "nbs").mkdir()
    nb = write_notebook(tmp_path / "nbs" / "01_x.ipynb", "import json")
    report = time_curriculum([nb], output=tmp_path / "t", workers=1)
    assert report["status"] == {"01_x": "ok"} and report["floor_seconds"]["01_x"] > 0
