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

from casebook.course import _site_documents as _documents
from casebook.course import _site_pages as _pages
from casebook.course import _site_search as _search
from casebook.course._site_pages import mode_note
from casebook.course._site_text import link_glossary, scrub_paths
from casebook.course.glossary import GlossaryTerm, load_glossary
from casebook.course.notebook_html import write_text_atomic

if TYPE_CHECKING:
    from casebook.course.runner import NotebookRun

__all__ = ["PARTS", "build_site", "notebook_objective", "part_of"]

PARTS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("Start here", (0,)),
    ("Part I · Error analysis and cost-sensitive decisions", (1, 2, 3, 4)),
    ("Part II · Fairness audits, mitigation and monitoring", (5, 6, 7, 8)),
    ("Part III · Modeling under real constraints", (9, 10, 11, 12, 16)),
    ("Part IV · Monitoring and retraining in production", (13, 14, 15, 17)),
)

_CSS = """
body { font-family: system-ui, -apple-system, sans-serif; margin: 0; color: #1f2328; }
header.site { background: #16324f; color: white; padding: 1rem 2rem; }
header.site a { color: #cfe3ff; }
header.site .links { display: flex; flex-wrap: wrap; gap: .5rem 1.2rem; align-items: center; }
main.site { max-width: 72rem; margin: 1.5rem auto; padding: 0 2rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(20rem, 1fr)); gap: 1rem; }
.card { border: 1px solid #d0d7de; border-radius: 8px; padding: .8rem 1rem; background: #fff; }
.card img { max-width: 100%; max-height: 9rem; display: block; margin: .5rem auto; }
.card.failed, .card.interrupted { border-color: #cf222e; background: #fff5f5; }
.status-ok { color: #1a7f37; font-weight: 600; }
.status-failed { color: #cf222e; font-weight: 600; }
.meta { color: #57606a; font-size: .9rem; }
nav.casebook-nav { background: #16324f; color: #fff; padding: .5rem 1.5rem; display: flex;
  flex-wrap: wrap; gap: .4rem 1.2rem; align-items: center; font-family: system-ui; }
nav.casebook-nav a { color: #cfe3ff; text-decoration: none; }
nav.casebook-nav a[rel] { max-width: 18rem; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
details.casebook-toc { font: .85rem system-ui; background: #f6f8fa; border: 1px solid #d0d7de;
  border-radius: 6px; padding: .5rem .8rem; box-sizing: border-box; margin: .75rem; }
details.casebook-toc summary { font-weight: 600; cursor: pointer; }
details.casebook-toc ol { padding-left: 1.1rem; margin: .3rem 0; }
a.casebook-term { color: inherit; text-decoration: underline dotted #57606a; }
@media (min-width: 1000px) {
  body.jp-Notebook { display: grid; grid-template-columns: minmax(0, 1fr) 16rem;
    column-gap: .5rem; align-items: start; }
  body.jp-Notebook > nav.casebook-nav { grid-column: 1 / -1; grid-row: 1; }
  body.jp-Notebook > main { grid-column: 1; grid-row: 2; min-width: 0; }
  body.jp-Notebook > details.casebook-toc { grid-column: 2; grid-row: 2; position: sticky;
    top: .75rem; max-height: calc(100vh - 1.5rem); overflow: auto; margin: .75rem .75rem 0 0; }
}
"""

_TOC_JS = (
    "<script>(function () { var toc = document.querySelector('details.casebook-toc');"
    " if (toc && window.matchMedia('(max-width: 999px)').matches) toc.open = false; })();"
    "</script>"
)
_EXTERNAL_SCRIPT = re.compile(
    r"<script[^>]*\bsrc=\"https?://[^\"]*\"[^>]*>\s*</script>", re.IGNORECASE
)
# nbconvert's loader of the ipywidgets renderer from unpkg (added when a cell showed a widget,
# e.g. a progress bar): offline it only fails, and the page reads the same without it
_WIDGET_LOADER = re.compile(
    r"<script>(?:(?!</script>).)*?addWidgetsRenderer(?:(?!</script>).)*?</script>", re.DOTALL
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


def _decorate(
    page: _Page, prev: _Page | None, nxt: _Page | None, out: Path, extras: _Extras
) -> None:
    path = out / page.href
    text = path.read_text(encoding="utf-8")
    text = _WIDGET_LOADER.sub("", _EXTERNAL_SCRIPT.sub("", text))
    if "casebook-nav" not in text:  # decorate once: a second build leaves the page alone
        text = _scrub(text, page.run, out)
        text, _ = link_glossary(text, extras.terms, "../glossary.html")
        note = mode_note({_solutions(page.run)})
        text, in_main = re.subn(r"(<main[^>]*>)", lambda m: m.group(1) + note, text, count=1)
        top = _nav(prev, nxt, extras) + _toc(text) + ("" if in_main else note)
        text = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + top, text, count=1)
        text = text.replace("</head>", f"<style>{_CSS}{_pages.CSS}{_search.CSS}</style></head>", 1)
        text = text.replace("</body>", _search.scripts() + _TOC_JS + "</body>", 1)
    title = f"<title>{html.escape(page.title)}</title>"
    # a function, not a template: a title like "$\\lambda$" holds backslashes
    text = re.sub(r"<title>.*?</title>", lambda _: title, text, count=1, flags=re.DOTALL)
    write_text_atomic(path, text)


def _nav(prev: _Page | None, nxt: _Page | None, extras: _Extras) -> str:
    links = ['<a href="../index.html">Casebook index</a>']
    for other, rel, label in ((prev, "prev", "← {}"), (nxt, "next", "{} →")):
        if other is not None:
            name = html.escape(other.title)
            links.append(
                f'<a href="{_url(Path(other.href).name)}" rel="{rel}" title="{name}">'
                f"{label.format(name)}</a>"
            )
    links.append('<a href="../interview.html">Interview questions</a>')
    links.append('<a href="../glossary.html">Glossary</a>')
    links.append(_search.search_box(extras.index, prefix="../"))
    links.append(_search.code_toggle())
    return f'<nav class="casebook-nav">{" ".join(links)}</nav>'


def _toc(text: str) -> str:
    items = "".join(
        f'<li><a href="#{hid}">{html.escape(_heading_text(label))}</a></li>'
        for hid, label in _H2.findall(text)
    )
    return (
        f'<details class="casebook-toc" open><summary>Contents</summary><ol>{items}</ol></details>'
    )


def _solutions(run: NotebookRun) -> bool:
    """Whether the run filled in the exercises' reference solutions (its ``solutions`` parameter)."""
    value = run.parameters.get("solutions", False)
    return value is True or str(value).strip().lower() in {"true", "1", "yes"}


def _scrub(text: str, run: NotebookRun, out: Path) -> str:
    """Replace the build machine's absolute paths with placeholders (see :func:`scrub_paths`)."""
    import tempfile

    from casebook.course.paths import project_root

    root = project_root()
    pairs = [(run.output_dir, "<output_dir>"), (str(out), "<build>")]
    pairs += [(str(root), "<repo>")] if root is not None else []
    pairs += [(str(Path.home()), "~"), (tempfile.gettempdir(), "<tmp>")]
    pairs += [(str(Path(p).resolve()), r) for p, r in pairs]  # symlinked forms, e.g. /private/tmp
    return scrub_paths(text, [(p, r) for p, r in pairs if Path(p).is_absolute()])


def _heading_text(label: str) -> str:
    """Plain text of a heading's HTML: tags and the pilcrow link dropped, entities decoded."""
    return html.unescape(_TAG.sub("", label)).replace("¶", "").strip()


def _url(relative: str) -> str:
    """A relative URL for a path, percent-encoded and safe inside a quoted attribute."""
    return html.escape(quote(relative, safe="/"), quote=True)


def _card(page: _Page, out: Path, documents: str = "") -> str:
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
        f"<p>{html.escape(page.objective)}</p>{thumb}{_builds_on(r.notebook)}{documents}"
        f'<p class="meta">{_status(r)} · {r.seconds:.0f} s{claims}</p></div>'
    )


def _builds_on(notebook: str) -> str:
    """The card's line naming the notebooks this one builds on (the learner's map)."""
    from casebook.course.curriculum import PREREQUISITES  # it imports PARTS from here

    needs = PREREQUISITES.get(notebook)
    if needs is None:
        return ""
    text = "builds on " + ", ".join(n[:2] for n in needs) if needs else "no prerequisites"
    return f'<p class="meta">Learner’s path: {html.escape(text)}</p>'


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


def _page(title: str, body: str, extras: _Extras) -> str:
    links = (
        '<a href="index.html">Notebooks</a> <a href="interview.html">Interview questions</a> '
        '<a href="glossary.html">Glossary</a> <a href="governance.html">Model cards and memos</a> '
        f"{_search.search_box(extras.index, prefix='')}"
    )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{_CSS}{_pages.CSS}{_search.CSS}"
        f"{_documents.CSS}</style>"
        '</head><body><header class="site"><h1>The ML Model Analyst Casebook</h1>'
        f'<div class="links">{links}</div></header><main class="site">{body}</main>'
        f"{_search.scripts()}</body></html>\n"
    )


@dataclass(frozen=True)
class _Extras:
    """What every page shares: the glossary and the search index."""

    terms: tuple[GlossaryTerm, ...]
    index: tuple[tuple[str, str, str], ...]


def _extras(pages: Sequence[_Page], out: Path, documents: Sequence = ()) -> _Extras:
    terms = tuple(load_glossary())
    entries: list = []
    for p in pages:
        if p.href:
            text = (out / p.href).read_text(encoding="utf-8")
            entries += _search.page_entries(p.title, p.href, text)
    for d in documents:
        entries += _search.page_entries(d.title, d.href, d.body)
    entries += _search.glossary_entries(terms)
    return _Extras(terms, tuple(tuple(e) for e in entries))


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
        The site's ``index.html``; ``interview.html``, ``glossary.html`` and
        ``governance.html`` (model cards and audit memos, one page each) beside it.
    """
    from casebook.course.interview.bank import load_questions
    from casebook.course.notebook_html import notebook_title

    out = Path(output).resolve()
    pages = []
    for r in sorted(runs, key=lambda r: r.notebook):
        source = r.executed if Path(r.executed).is_file() else r.notebook
        href = (
            Path(r.html).relative_to(out).as_posix() if r.html and Path(r.html).is_file() else None
        )
        pages.append(_Page(r, notebook_title(source), notebook_objective(source), href))
    documents, missing = _documents.build_documents(runs, out)
    doc_links = _documents.card_links(documents)
    extras = _extras(pages, out, documents)
    linked = [p for p in pages if p.href]
    for i, page in enumerate(linked):
        prev = linked[i - 1] if i > 0 else None
        nxt = linked[i + 1] if i + 1 < len(linked) else None
        _decorate(page, prev, nxt, out, extras)
    body = [
        mode_note({_solutions(p.run) for p in pages}),
        f"<p>{sum(p.run.status == 'ok' for p in pages)} of {len(pages)} notebooks ran top to "
        "bottom in this build. Open a notebook to read the lesson with its figures and numbers.</p>",
    ]
    for part, _ in (*PARTS, ("More", ())):
        members = [p for p in pages if part_of(p.run.notebook) == part]
        if members:
            cards = "".join(_card(p, out, doc_links.get(p.run.notebook, "")) for p in members)
            body.append(
                f'<section><h2>{html.escape(part)}</h2><div class="cards">{cards}</div></section>'
            )
    out.mkdir(parents=True, exist_ok=True)
    index = out / "index.html"
    hrefs = {p.run.notebook: p.href for p in pages if p.href}
    write_text_atomic(index, _page("The ML Model Analyst Casebook", "".join(body), extras))
    interview = _pages.interview_body(load_questions(), hrefs)
    write_text_atomic(out / "interview.html", _page("Interview questions", interview, extras))
    glossary = _pages.glossary_body(extras.terms, hrefs)
    write_text_atomic(out / "glossary.html", _page("Glossary", glossary, extras))
    _documents.write_document_pages(documents, out, lambda t, b: _page(t, b, extras))
    governance = _documents.governance_body(documents, missing, hrefs)
    write_text_atomic(out / "governance.html", _page("Model cards and memos", governance, extras))
    return index
