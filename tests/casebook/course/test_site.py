import json
from pathlib import Path

from casebook.course.runner import NotebookRun
from casebook.course.site import build_site, notebook_objective, part_of


def fake_run(out: Path, name: str, status: str = "ok") -> NotebookRun:
    lessons = out / "lessons" / name
    (lessons / "figures").mkdir(parents=True)
    (lessons / "figures" / "key.png").write_bytes(b"\x89PNG fake")
    (lessons / "results.json").write_text(
        json.dumps({"claims": [{"holds": True}, {"holds": True}], "key_figure": "figures/key.png"})
    )
    executed = out / "executed" / f"{name}.ipynb"
    executed.parent.mkdir(parents=True, exist_ok=True)
    md = f"# {name[:2]} · Title {name}\n\n## Learning objectives\n\n- Learn {name}."
    executed.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": md}]}))
    html = out / "html" / f"{name}.html"
    html.parent.mkdir(parents=True, exist_ok=True)
    html.write_text(
        '<html><head><title>x</title><script src="https://cdn.example/mathjax.js"></script></head>'
        '<body class="jp-Notebook"><h2 id="Summary">Summary<a href="#Summary">¶</a></h2></body></html>'
    )
    return NotebookRun(
        name,
        status,
        12.3,
        str(executed),
        str(html),
        str(lessons),
        cell=4 if status != "ok" else None,
    )


def test_build_site(tmp_path):
    runs = [fake_run(tmp_path, "00_start_here"), fake_run(tmp_path, "05_audit", status="failed")]
    index = build_site(runs, tmp_path)
    page = index.read_text()
    assert "Start here" in page and "Part II" in page
    assert 'src="lessons/00_start_here/figures/key.png"' in page
    assert "failed in cell 4" in page and "2/2 claims held" in page
    assert "Learn 00_start_here." in page
    first = (tmp_path / "html" / "00_start_here.html").read_text()
    assert "cdn.example" not in first
    assert 'href="05_audit.html" rel="next"' in first and '<a href="#Summary">Summary</a>' in first
    assert "<title>00 · Title 00_start_here</title>" in first
    second = (tmp_path / "html" / "05_audit.html").read_text()
    assert 'rel="prev"' in second and 'rel="next"' not in second
    interview = (tmp_path / "interview.html").read_text()
    assert 'href="html/00_start_here.html"' in interview
    # decorating twice does not duplicate the navigation
    build_site(runs, tmp_path)
    assert (tmp_path / "html" / "00_start_here.html").read_text().count('casebook-nav"') == 1


def test_part_of_and_objective(tmp_path):
    assert part_of("14_retraining_policy").startswith("Part IV")
    assert part_of("xx") == "More"
    p = tmp_path / "n.ipynb"
    p.write_text(
        json.dumps({"cells": [{"cell_type": "markdown", "source": "# T\n\nA scenario. More."}]})
    )
    assert notebook_objective(p) == "A scenario."
    assert notebook_objective(tmp_path / "missing.ipynb") == ""


def test_objective_keeps_a_wrapped_bullet(tmp_path):
    md = "## Learning objectives\n\n- Read a confusion matrix in counts\n  and in rates.\n- Next."
    p = tmp_path / "n.ipynb"
    p.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": md}]}))
    assert notebook_objective(p) == "Read a confusion matrix in counts and in rates."
