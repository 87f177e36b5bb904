"""Turn a run's output folder into a small study site.

``build_site`` writes ``index.html`` (the notebooks grouped by part, each with its
objective, run status, time and a thumbnail of its key figure), decorates every
notebook page with a table of contents and previous / next links, and writes
``interview.html`` (the question bank by topic, linking into the notebooks).
External scripts that nbconvert's template references (MathJax, require.js from a
CDN) are removed so the site works offline and a browser logs no errors.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from casebook.course.notebook_html import write_text_atomic

if TYPE_CHECKING:
    from casebook.course.runner import NotebookRun

__all__ = ["PARTS", "build_site", "notebook_objective", "part_of"]

PARTS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("Start here", (0,)),
    ("Part I · Error analysis and cost-sensitive decisions", (1, 2, 3, 4)),
    ("Part II · Fairness audits, mitigation and monitoring", (5, 6, 7, 8)),
    ("Part III · Modeling under real constraints", (9, 10, 11, 12, 16)),
    ("Part IV · Monitoring and retraining in production", (13, 14, 15)),
)

_CSS = """
body { font-family: system-ui, -apple-system, sans-serif; margin: 0; color: #1f2328; }
header.site { background: #16324f; color: white; padding: 1rem 2rem; }
header.site a { color: #cfe3ff; }
main.site { max-width: 72rem; margin: 1.5rem auto; padding: 0 2rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: .8rem 1rem; background: #fff; }
.card img { max-width: 100%; max-height: 9rem; display: block; margin: .5rem auto; }
.card.failed, .card.interrupted { border-color: #cf222e; background: #fff5f5; }
.status-ok { color: #1a7f37; font-weight: 600; }
.status-failed { color: #cf222e; font-weight: 600; }
.meta { color: #57606a; font-size: .9rem; }
nav.casebook-nav { position: sticky; top: 0; z-index: 10; background: #16324f; color: #fff;
  padding: .5rem 1.5rem; display: flex; gap: 1.5rem; align-items: center; font-family: system-ui; }
nav.casebook-nav a { color: #cfe3ff; text-decoration: none; }
aside.casebook-toc { position: fixed; right: 1rem; top: 4rem; width: 16rem; max-height: 80vh;
  overflow: auto; font: .85rem system-ui; background: #f6f8fa; border: 1px solid #d0d7de;
  border-radius: 6px; padding: .5rem .8rem; }
aside.casebook-toc ol { padding-left: 1.1rem; margin: .3rem 0; }
@media (max-width: 1200px) { aside.casebook-toc { display: none; } }
"""

_EXTERNAL_SCRIPT = re.compile(
    r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.IGNORECASE
)
_H2 = re.compile(r"<h2 id=\"([^\"]+)\">(.*?)</h2>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_EMPHASIS = re.compile(r"\*\*|__|`|(?<!\w)[*_]|[*_](?!\w)")


@dataclass(frozen=True)
class _Page:
    run: NotebookRun
    title: str
    objective: str
    href: str | None


def part_of(notebook: str) -> str:
    """Return the title of the part a notebook belongs to, from its number.

    Examples
    --------
    >>> part_of("03_medical_screening_costs")
    'Part I · Error analysis and cost-sensitive decisions'
    >>> part_of("99_extra")
    'More'
    """
    try:
        number = int(notebook[:2])
    except ValueError:
        return "More"
    for title, numbers in PARTS:
        if number in numbers:
            return title
    return "More"


def notebook_objective(path: str | os.PathLike) -> str:
    """Return the notebook's first learning objective (or its first scenario sentence).

    Examples
    --------
    >>> import json, tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "01_x.ipynb"
    >>> md = "## Learning objectives\\n\\n- Read a **confusion matrix**.\\n- More."
    >>> _ = p.write_text(json.dumps({"cells": [{"cell_type": "markdown", "source": md}]}))
    >>> notebook_objective(p)
    'Read a confusion matrix.'
    """
    try:
        cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return ""
    texts = []
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        src = cell.get("source", "")
        texts.append("".join(src) if isinstance(src, list) else src)
    for src in texts:
        if "## Learning objectives" in src:
            lines = src.split("## Learning objectives", 1)[1].splitlines()
            for i, line in enumerate(lines):
                if line.strip().startswith(("- ", "* ")):
                    bullet = [line.strip()[2:]]
                    for more in lines[i + 1 :]:  # a bullet may wrap onto indented lines
                        if not more.strip() or more.strip().startswith(("- ", "* ", "#")):
                            break
                        bullet.append(more.strip())
                    return _EMPHASIS.sub("", " ".join(bullet)).strip()
    for src in texts:
        for para in src.split("\n\n"):
            if para.strip() and not para.lstrip().startswith("#"):
                return _EMPHASIS.sub("", para.strip().split(". ")[0]).strip() + "."
    return ""


def _decorate(page: _Page, prev: _Page | None, nxt: _Page | None, out: Path) -> None:
    path = out / page.href
    text = path.read_text(encoding="utf-8")
    text = _EXTERNAL_SCRIPT.sub("", text)
    toc_items = "".join(
        f'<li><a href="#{hid}">{html.escape(_heading_text(label))}</a></li>'
        for hid, label in _H2.findall(text)
    )
    links = ['<a href="../index.html">Casebook index</a>']
    if prev is not None:
        links.append(
            f'<a href="{_url(Path(prev.href).name)}" rel="prev">← {html.escape(prev.title)}</a>'
        )
    if nxt is not None:
        links.append(
            f'<a href="{_url(Path(nxt.href).name)}" rel="next">{html.escape(nxt.title)} →</a>'
        )
    links.append('<a href="../interview.html">Interview questions</a>')
    nav = f'<nav class="casebook-nav">{" ".join(links)}</nav>'
    toc = f'<aside class="casebook-toc"><strong>Contents</strong><ol>{toc_items}</ol></aside>'
    style = f"<style>{_CSS}</style>"
    if "casebook-nav" not in text:
        text = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + nav + toc, text, count=1)
        text = text.replace("</head>", style + "</head>", 1)
    title = f"<title>{html.escape(page.title)}</title>"
    # a function, not a template: a title like "$\\lambda$" holds backslashes
    text = re.sub(r"<title>.*?</title>", lambda _: title, text, count=1, flags=re.DOTALL)
    write_text_atomic(path, text)


def _heading_text(label: str) -> str:
    """Plain text of a heading's HTML: tags and the pilcrow link dropped, entities decoded."""
    return html.unescape(_TAG.sub("", label)).replace("¶", "").strip()


def _url(relative: str) -> str:
    """A relative URL for a path, percent-encoded and safe inside a quoted attribute."""
    return html.escape(quote(relative, safe="/"), quote=True)


def _card(page: _Page, out: Path) -> str:
    r = page.run
    results = Path(r.output_dir) / "results.json"
    thumb, claims = "", ""
    if results.is_file():
        data = json.loads(results.read_text(encoding="utf-8"))
        held = sum(bool(c["holds"]) for c in data.get("claims", []))
        claims = f" · {held}/{len(data.get('claims', []))} claims held"
        if isinstance(data.get("key_figure"), str) and data["key_figure"]:
            fig = (Path(r.output_dir) / data["key_figure"]).resolve()
            if fig.is_file() and fig.is_relative_to(out):
                src = _url(os.path.relpath(fig, out).replace(os.sep, "/"))
                thumb = f'<img src="{src}" alt="Key figure: {html.escape(page.title)}">'
    title = html.escape(page.title)
    link = f'<a href="{_url(page.href)}">{title}</a>' if page.href else title
    return (
        f'<div class="card {r.status}"><h3>{link}</h3>'
        f"<p>{html.escape(page.objective)}</p>{thumb}"
        f'<p class="meta">{_status(r)} · {r.seconds:.0f} s{claims}</p></div>'
    )


def _status(r: NotebookRun) -> str:
    if r.status == "ok":
        return '<span class="status-ok">ran</span>'
    if r.status == "interrupted":
        return '<span class="status-failed">interrupted</span>'
    if r.kernel_died:
        where = f" in cell {r.cell}" if r.cell is not None else ""
        return f'<span class="status-failed">kernel died{where}</span>'
    where = f" in cell {r.cell}" if r.cell is not None else " before any cell ran"
    return f'<span class="status-failed">failed{where}</span>'


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        '<header class="site"><h1>The ML Model Analyst Casebook</h1>'
        '<a href="index.html">Notebooks</a> · <a href="interview.html">Interview questions</a>'
        f'</header><main class="site">{body}</main></body></html>\n'
    )


def _interview_page(pages: Sequence[_Page]) -> str:
    from casebook.course.interview.bank import load_questions

    hrefs = {p.run.notebook: p.href for p in pages if p.href}
    by_topic: dict[str, list] = {}
    for q in load_questions():
        by_topic.setdefault(q.topic, []).append(q)
    parts = ["<h2>Interview questions by topic</h2>"]
    for topic in sorted(by_topic):
        parts.append(f"<h3>{html.escape(topic)}</h3><ul>")
        for q in by_topic[topic]:
            href = hrefs.get(q.notebook)
            where = (
                f' — <a href="{_url(href)}">{html.escape(q.notebook)}</a>'
                if href
                else f" — {html.escape(q.notebook)}"
            )
            parts.append(
                f"<li><strong>{html.escape(q.question)}</strong> "
                f'<span class="meta">({q.difficulty})</span>{where}</li>'
            )
        parts.append("</ul>")
    return _page("Interview questions", "".join(parts))


def build_site(runs: Sequence[NotebookRun], output: str | os.PathLike) -> Path:
    """Write the study site for a run into ``output``.

    Parameters
    ----------
    runs : sequence of NotebookRun
        The runner's results, in curriculum order.
    output : path-like
        The run's output folder (holding ``html/`` and ``lessons/``).

    Returns
    -------
    pathlib.Path
        The site's ``index.html``.
    """
    from casebook.course.notebook_html import notebook_title

    out = Path(output).resolve()
    pages = []
    for r in sorted(runs, key=lambda r: r.notebook):
        source = r.executed if Path(r.executed).is_file() else r.notebook
        href = (
            Path(r.html).relative_to(out).as_posix() if r.html and Path(r.html).is_file() else None
        )
        pages.append(_Page(r, notebook_title(source), notebook_objective(source), href))
    linked = [p for p in pages if p.href]
    for i, page in enumerate(linked):
        prev = linked[i - 1] if i > 0 else None
        nxt = linked[i + 1] if i + 1 < len(linked) else None
        _decorate(page, prev, nxt, out)
    body = [
        f"<p>{sum(p.run.status == 'ok' for p in pages)} of {len(pages)} notebooks ran top to "
        "bottom in this build. Open a notebook to read the lesson with its figures and numbers.</p>"
    ]
    for part, _ in (*PARTS, ("More", ())):
        members = [p for p in pages if part_of(p.run.notebook) == part]
        if members:
            cards = "".join(_card(p, out) for p in members)
            body.append(
                f'<section><h2>{html.escape(part)}</h2><div class="cards">{cards}</div></section>'
            )
    out.mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    write_text_atomic(index, _page("The ML Model Analyst Casebook", "".join(body)))
    write_text_atomic(out / "interview.html", _interview_page(pages))
    return index
