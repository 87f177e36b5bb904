"""The study site's governance pages (private to :mod:`casebook.course.site`).

For every run of a notebook in :data:`~casebook.course.audit_documents.DOCUMENTED` the
model card and the audit memo are built again from the run's ``results.json`` (the same
builder the notebook called), written as Markdown under ``documents/`` and returned as
HTML fragments for site pages. ``governance.html`` lists them with the table that maps
each section to its NIST AI RMF function. A run that stopped before its documents
section gets a line saying why, not a broken page.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casebook.course.audit_documents import DOCUMENTED, audit_documents
from casebook.course.notebook_html import write_text_atomic
from casebook.governance.nist_rmf import nist_rmf_map
from casebook.governance.render import DOCUMENT_CSS, to_html, to_markdown

if TYPE_CHECKING:
    from casebook.course.runner import NotebookRun

CSS = (
    DOCUMENT_CSS + "table.rmf td, table.rmf th { border: 1px solid #d0d7de; padding: .3rem .5rem; }"
)
CSS += "table.rmf { border-collapse: collapse; } p.missing { color: #8a4600; }"

_KINDS = (("model_card", "Model card"), ("audit_memo", "Audit memo"))


@dataclass(frozen=True)
class DocumentPage:
    """One generated document: its notebook, kind, page file, Markdown file and HTML body."""

    notebook: str
    kind: str
    title: str
    href: str
    markdown_href: str
    body: str


def build_documents(
    runs: Sequence[NotebookRun], out: Path
) -> tuple[list[DocumentPage], dict[str, str]]:
    """Documents of the documented runs, and why each missing one is missing (by notebook)."""
    pages: list[DocumentPage] = []
    missing: dict[str, str] = {}
    for r in sorted(runs, key=lambda r: r.notebook):
        if r.notebook not in DOCUMENTED:
            continue
        results = Path(r.output_dir) / "results.json"
        if not results.is_file():
            missing[r.notebook] = "the notebook wrote no results"
            continue
        try:
            docs = audit_documents(json.loads(results.read_text(encoding="utf-8")))
        except (ValueError, KeyError, TypeError) as exc:  # the run stopped before its documents
            missing[r.notebook] = str(exc)
            continue
        (out / "documents").mkdir(parents=True, exist_ok=True)
        for (stem, _label), doc in zip(_KINDS, docs, strict=True):
            md = f"documents/{r.notebook}_{stem}.md"
            write_text_atomic(out / md, to_markdown(doc))
            body = (
                f'<p class="meta"><a href="governance.html">All model cards and memos</a> · '
                f'<a href="{html.escape(md)}">Markdown</a></p>' + to_html(doc, standalone=False)
            )
            pages.append(DocumentPage(r.notebook, stem, doc.title, f"{stem}-{r.notebook}.html",
                                      md, body))  # fmt: skip
    return pages, missing


def governance_body(
    pages: Sequence[DocumentPage], missing: dict[str, str], hrefs: dict[str, str]
) -> str:
    """The governance page: documents by notebook, then the NIST AI RMF table."""
    parts = [
        "<h2>Model cards and audit memos</h2>",
        "<p>Generated from each notebook's recorded results in this build: every number, "
        "interval and verdict is the run's own. The analyst recommends; the decision owner "
        "named in each document decides.</p>",
    ]
    by_notebook: dict[str, list[DocumentPage]] = {}
    for p in pages:
        by_notebook.setdefault(p.notebook, []).append(p)
    items = []
    for notebook in DOCUMENTED:
        if notebook in by_notebook:
            links = " · ".join(
                f'<a href="{html.escape(p.href)}">{html.escape(label)}</a> '
                f'(<a href="{html.escape(p.markdown_href)}">md</a>)'
                for p, (_stem, label) in zip(by_notebook[notebook], _KINDS, strict=True)
            )
            name = html.escape(notebook)
            if notebook in hrefs:
                name = f'<a href="{html.escape(hrefs[notebook])}">{name}</a>'
            items.append(f"<li>{name}: {links}</li>")
        elif notebook in missing:
            items.append(
                f'<li class="missing">{html.escape(notebook)}: not generated '
                f"({html.escape(missing[notebook])})</li>"
            )
    parts.append(
        f"<ul>{''.join(items)}</ul>" if items else "<p>No audit notebook ran in this build.</p>"
    )
    table = nist_rmf_map()
    head = "".join(f"<th>{html.escape(c)}</th>" for c in table.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in table.itertuples(index=False)
    )
    parts += [
        '<h2 id="nist-ai-rmf">Where each section sits in the NIST AI RMF</h2>',
        "<p>The NIST AI Risk Management Framework (AI RMF 1.0, NIST AI 100-1) sorts AI risk "
        "work into four functions: <b>govern</b> (accountability, policies, periodic review), "
        "<b>map</b> (context and intended purpose), <b>measure</b> (metrics, evaluation, "
        "fairness and bias assessed and documented) and <b>manage</b> (decide, respond, monitor "
        "after deployment). The table shows which outcome each section documents; it is "
        "evidence for those outcomes, not a claim of compliance.</p>",
        f'<table class="rmf"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>',
    ]
    return "".join(parts)


def card_links(pages: Sequence[DocumentPage]) -> dict[str, str]:
    """The line each documented notebook's card on the index shows: links to its documents."""
    links: dict[str, list[str]] = {}
    labels = dict(_KINDS)
    for p in pages:
        links.setdefault(p.notebook, []).append(
            f'<a href="{html.escape(p.href)}">{html.escape(labels[p.kind].lower())}</a>'
        )
    return {nb: f'<p class="meta">Documents: {" · ".join(v)}</p>' for nb, v in links.items()}


def write_document_pages(
    pages: Sequence[DocumentPage], out: Path, render: Callable[[str, str], str]
) -> None:
    """Write each document page with the site's page frame ``render(title, body)``."""
    for p in pages:
        write_text_atomic(out / p.href, render(p.title, p.body))
