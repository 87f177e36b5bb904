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


def set_title(run: NotebookRun, title: str) -> None:
    md = f"# {title}\n\n## Learning objectives\n\n- Learn."
    Path(run.executed).write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": md}]}))


def test_a_title_with_backslashes_builds(tmp_path):
    run = fake_run(tmp_path, "00_start_here")
    set_title(run, r"00 · Shrinkage $\lambda$ and \1 \g<0>")
    build_site([run], tmp_path)
    page = (tmp_path / "html" / "00_start_here.html").read_text()
    assert r"<title>00 · Shrinkage $\lambda$ and \1 \g&lt;0&gt;</title>" in page
    assert r"Shrinkage $\lambda$" in (tmp_path / "index.html").read_text()


def test_names_and_key_figures_cannot_inject_attributes(tmp_path):
    name = '01_a" onmouseover="alert(1)'
    run = fake_run(tmp_path, name)
    figure = Path(run.output_dir) / "figures" / 'k" onerror="x.png'
    figure.write_bytes(b"\x89PNG fake")
    results = Path(run.output_dir) / "results.json"
    results.write_text(json.dumps({"claims": [], "key_figure": f"figures/{figure.name}"}))
    page = build_site([run], tmp_path).read_text()
    assert '" onmouseover="' not in page and '" onerror="' not in page  # no attribute escapes
    assert 'href="html/01_a%22%20onmouseover%3D%22alert%281%29.html"' in page
    assert "figures/k%22%20onerror%3D%22x.png" in page


def test_key_figure_outside_the_output_is_not_linked(tmp_path):
    run = fake_run(tmp_path, "00_start_here")
    outside = tmp_path.parent / f"{tmp_path.name}-secret.png"
    outside.write_bytes(b"\x89PNG")
    results = Path(run.output_dir) / "results.json"
    results.write_text(json.dumps({"claims": [], "key_figure": str(outside)}))
    assert "<img" not in build_site([run], tmp_path).read_text()


def test_toc_headings_with_ampersands_are_escaped_once(tmp_path):
    run = fake_run(tmp_path, "00_start_here")
    Path(run.html).write_text(
        "<html><head><title>x</title></head><body>"
        '<h2 id="Costs-&amp;-benefits">Costs &amp; benefits &lt;3<a href="#x">¶</a></h2>'
        "</body></html>"
    )
    build_site([run], tmp_path)
    page = Path(run.html).read_text()
    assert '<a href="#Costs-&amp;-benefits">Costs &amp; benefits &lt;3</a>' in page
    assert "&amp;amp;" not in page


def test_interrupted_and_dead_kernel_cards(tmp_path):
    stopped = fake_run(tmp_path, "01_stopped", status="interrupted")
    died = NotebookRun(
        "02_died",
        "failed",
        1.0,
        str(tmp_path / "none.ipynb"),
        None,
        ".",
        error="DeadKernelError: Kernel died",
    )
    page = build_site([stopped, died], tmp_path).read_text()
    assert '<span class="status-failed">interrupted</span>' in page
    assert '<span class="status-failed">kernel died</span>' in page
    assert "cell None" not in page


def test_concurrent_site_builds_do_not_collide(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    runs = [fake_run(tmp_path, "00_start_here"), fake_run(tmp_path, "05_audit")]
    with ThreadPoolExecutor(4) as pool:
        for future in [pool.submit(build_site, runs, tmp_path) for _ in range(24)]:
            future.result()  # a shared temporary name raised FileNotFoundError here
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert (tmp_path / "html" / "05_audit.html").read_text().count('casebook-nav"') == 1


def test_site_files_get_the_usual_mode(tmp_path):
    import os
    import stat

    mask = os.umask(0o022)
    try:
        build_site([fake_run(tmp_path, "00_start_here")], tmp_path)
    finally:
        os.umask(mask)
    for name in ("index.html", "interview.html", "html/00_start_here.html"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name


def test_workflow_installs_the_browser_the_site_test_needs():
    """`make test` with CI set fails the browser test when no `chromium` is on PATH."""
    import yaml

    from casebook.course.paths import project_root

    workflow = project_root() / ".github" / "workflows" / "casebook.yml"
    steps = yaml.safe_load(workflow.read_text())["jobs"]["test"]["steps"]
    commands = [s.get("run", "") for s in steps]
    test_step = next(i for i, c in enumerate(commands) if "make test" in c)
    browser = [i for i, c in enumerate(commands) if "chromium" in c and "install" in c]
    assert browser and browser[0] < test_step
    assert "/bin/chromium" in commands[browser[0]] and "chromium --version" in commands[browser[0]]
