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
    from casebook.course.runner import _kernel_never_started

    assert _kernel_never_started(RuntimeError("Kernel didn't respond in 60 seconds"), None)
    assert not _kernel_never_started(RuntimeError("Kernel didn't respond in 60 seconds"), 3)
    assert not _kernel_never_started(ValueError("No language found in notebook"), None)
