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


def markdown_page(prose: str) -> str:
    return (
        '<html><head><title>x</title></head><body class="jp-Notebook"><main>'
        '<div class="jp-Cell jp-MarkdownCell"><div class="jp-RenderedHTMLCommon '
        f'jp-RenderedMarkdown jp-MarkdownOutput" data-mime-type="text/markdown">{prose}</div></div>'
        '<div class="jp-CodeCell"><pre>calibration = 1  # PSI in code</pre></div>'
        "<p>calibration outside a markdown cell</p></main></body></html>"
    )


def test_no_machine_path_survives_in_a_page(tmp_path, monkeypatch):
    import tempfile

    run = fake_run(tmp_path, "00_start_here")
    blob = "data:image/png;base64,AAAA/tmp/rootBBB" + str(Path.home()).replace("/", "+") + "=="
    Path(run.html).write_text(
        '<html><head><title>x</title></head><body class="jp-Notebook"><main>'
        f'<pre>output_dir = "{run.output_dir}"</pre><pre>saved to {tmp_path}/lessons/x.png</pre>'
        f"<pre>{Path.home()}/.cache/casebook and {tempfile.gettempdir()}/casebook-run-1/log</pre>"
        f'<img src="{blob}"></main></body></html>'
    )
    build_site([run], tmp_path)
    page = Path(run.html).read_text()
    assert 'output_dir = "&lt;output_dir&gt;"' in page
    assert "&lt;build&gt;/lessons/x.png" in page and "~/.cache/casebook" in page
    assert "&lt;tmp&gt;/casebook-run-1/log" in page
    assert blob in page  # an inline image is never edited
    outside_images = page.replace(blob, "")
    for leak in (str(tmp_path), str(Path.home()), tempfile.gettempdir() + "/"):
        assert leak not in outside_images


def test_glossary_links_the_first_use_in_prose_only(tmp_path):
    run = fake_run(tmp_path, "00_start_here")
    prose = (
        "<h2>Calibration</h2><p>We check <code>calibration</code>, then "
        '<a href="https://x.org">calibration</a> and then calibration, and calibration again; '
        "a concept drift is not drift, $PSI$ is math, PSI is prose.</p>"
    )
    Path(run.html).write_text(markdown_page(prose))
    build_site([run], tmp_path)
    page = Path(run.html).read_text()
    link = '<a class="casebook-term" href="../glossary.html#term-calibration"'
    assert page.count(link) == 1
    assert f"{link} " in page and "and then " + link in page.replace("\n", "")
    assert "<h2>Calibration</h2>" in page and "<code>calibration</code>" in page
    assert "calibration = 1  # PSI in code" in page and "<p>calibration outside" in page
    assert 'href="../glossary.html#term-concept-drift"' in page
    assert 'href="../glossary.html#term-drift"' in page  # the plain "drift" after it
    assert "$PSI$ is math, " + '<a class="casebook-term" href="../glossary.html#term-psi"' in page


def test_mode_note_says_blank_or_solutions(tmp_path):
    blank = fake_run(tmp_path, "00_start_here")
    index = build_site([blank], tmp_path).read_text()
    assert "Blank run" in index and "not attempted" in index
    assert "Blank run" in Path(blank.html).read_text()
    other = tmp_path / "solved"
    solved = fake_run(other, "00_start_here")
    solved = NotebookRun(**{**solved.__dict__, "parameters": {"solutions": True}})
    index = build_site([solved], other).read_text()
    assert "Solutions run" in index and "Blank run" not in index
    assert "Solutions run" in Path(solved.html).read_text()


def test_pages_carry_search_toggle_toc_and_glossary(tmp_path):
    import re

    from casebook.course.glossary import load_glossary

    run = fake_run(tmp_path, "00_start_here")
    index = build_site([run], tmp_path).read_text()
    data = re.search(r'id="casebook-search-index">(.*?)</script>', index, re.DOTALL).group(1)
    entries = json.loads(data)
    assert ["Summary (00)", "section", "html/00_start_here.html#Summary"] in entries
    assert ["calibration", "glossary", "glossary.html#term-calibration"] in entries
    assert "src=" not in "".join(re.findall(r"<script[^>]*>", index))  # nothing external
    page = Path(run.html).read_text()
    assert '<details class="casebook-toc" open><summary>Contents</summary>' in page
    assert 'id="casebook-code-toggle"' in page and 'data-prefix="../"' in page
    glossary = (tmp_path / "glossary.html").read_text()
    terms = load_glossary()
    anchors = re.findall(r'<dt id="(term-[^"]+)">', glossary)
    assert anchors == [t.anchor for t in terms] and len(anchors) == len(terms)
    names = [t.term.lower() for t in terms]
    assert names == sorted(names)


def test_interview_shows_outlines_and_follow_ups():
    from types import SimpleNamespace

    from casebook.course._site_pages import interview_body

    probe = SimpleNamespace(probe="And at 1% prevalence?", outline=("PPV drops", "Bayes"))
    common = dict(topic="T", difficulty="easy", notebook="03_x", outline=("point <a>",))
    with_follow_ups = SimpleNamespace(question="Why?", follow_ups=(probe, probe), **common)
    without = SimpleNamespace(question="How?", **common)
    page = interview_body([with_follow_ups, without], {"03_x": "html/03_x.html"})
    assert page.count("<details><summary>Answer outline</summary>") == 2
    assert "<li>point &lt;a&gt;</li>" in page
    assert page.count("<summary>Follow-ups (2)</summary>") == 1
    assert "<li>And at 1% prevalence?<details><summary>Outline</summary>" in page
    assert '<a href="html/03_x.html">03_x</a>' in page


def test_the_widget_renderer_loader_is_removed(tmp_path):
    run = fake_run(tmp_path, "00_start_here")
    loader = (
        "<script>\n(function() {\n  function addWidgetsRenderer() {\n    var src = "
        "'https://unpkg.com/@jupyter-widgets/html-manager@*/dist/embed-amd.js';\n  }\n}());\n"
        "</script>"
    )
    keep = '<script type="application/vnd.jupyter.widget-state+json">{}</script>'
    Path(run.html).write_text(
        f"<html><head><title>x</title>{loader}<script>var kept = 1;</script></head>"
        f'<body class="jp-Notebook"><main>{keep}</main></body></html>'
    )
    build_site([run], tmp_path)
    page = Path(run.html).read_text()
    assert "unpkg.com" not in page and "addWidgetsRenderer" not in page
    assert "<script>var kept = 1;</script>" in page and keep in page


def test_cards_name_the_notebooks_they_build_on(tmp_path):
    runs = [fake_run(tmp_path, "00_start_here"), fake_run(tmp_path, "10_fraud_imbalance")]
    page = build_site(runs, tmp_path).read_text()
    assert "Learner’s path: no prerequisites" in page
    assert "Learner’s path: builds on 04, 09" in page


def test_governance_pages_from_recorded_results(tmp_path):
    data = Path(__file__).parent / "data"
    runs = [fake_run(tmp_path, "06_german_credit_age_audit"),
            fake_run(tmp_path, "08_credit_api_bias_monitoring")]  # fmt: skip
    (tmp_path / "lessons" / "06_german_credit_age_audit" / "results.json").write_text(
        (data / "results_06.json").read_text()
    )  # 08 keeps the fake results: a run that stopped before its documents
    build_site(runs, tmp_path)
    governance = (tmp_path / "governance.html").read_text()
    assert 'href="model_card-06_german_credit_age_audit.html"' in governance
    assert 'href="documents/06_german_credit_age_audit_audit_memo.md"' in governance
    assert "08_credit_api_bias_monitoring: not generated" in governance
    assert "Where each section sits in the NIST AI RMF" in governance
    assert governance.count("<tr>") == 16  # header + 15 sections
    memo = (tmp_path / "audit_memo-06_german_credit_age_audit.html").read_text()
    assert '<h2 id="recommendation">Recommendation</h2>' in memo
    assert 'href="governance.html"' in memo and "casebook-search" in memo
    md = (tmp_path / "documents" / "06_german_credit_age_audit_model_card.md").read_text()
    assert md.startswith("# Model card: application scorecard")
    index = (tmp_path / "index.html").read_text()
    assert 'Documents: <a href="model_card-06_german_credit_age_audit.html">' in index
    assert not (tmp_path / "model_card-08_credit_api_bias_monitoring.html").exists()
