"""Model cards and audit memos as Markdown and as HTML, from one list of blocks.

Both renderings are written from the same blocks (heading, paragraph, list, table), so
the Markdown file a learner keeps and the HTML page of the study site say the same
thing. Text is escaped for each format: a ``|`` in a finding cannot break a Markdown
table, and a ``<`` in a criterion cannot inject HTML.
"""

from __future__ import annotations

import html
from typing import Any

from casebook.governance.documents import (
    CARD_SECTIONS,
    MEMO_SECTIONS,
    AuditMemo,
    Finding,
    Metric,
    ModelCard,
)

__all__ = ["DOCUMENT_CSS", "to_html", "to_markdown"]

Block = tuple[Any, ...]  # ("h1" | "h2" | "p" | "ul", ...) or ("table", header, rows)

_STATUS_MARK = {"pass": "pass", "fail": "FAIL", "inconclusive": "inconclusive"}


def _metric_rows(metrics: tuple[Metric, ...]) -> list[list[str]]:
    return [[m.name, m.reading(), m.note] for m in metrics]


def _finding_rows(findings: tuple[Finding, ...]) -> list[list[str]]:
    return [[f.criterion, _STATUS_MARK[f.status], f.evidence] for f in findings]


def _findings_blocks(findings: tuple[Finding, ...]) -> list[Block]:
    if not findings:
        return [("p", "No criterion was judged.")]
    counts = {s: sum(f.status == s for f in findings) for s in _STATUS_MARK}
    tally = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    return [
        ("p", f"{len(findings)} criteria judged: {tally}."),
        ("table", ["criterion", "verdict", "evidence"], _finding_rows(findings)),
    ]


def _owner_blocks(doc: ModelCard | AuditMemo) -> list[Block]:
    return [
        ("ul", [
            f"Decision owner: {doc.decision_owner}",
            f"Prepared: {doc.prepared.isoformat()}",
            f"Review by: {doc.review_date.isoformat()}, or earlier if the model, its threshold "
            "or its population changes",
            f"Numbers from: {doc.source}",
        ]),
    ]  # fmt: skip


def _card_blocks(card: ModelCard) -> list[Block]:
    body: dict[str, list[Block]] = {
        "Purpose": [("p", card.purpose)],
        "Out of scope": [("ul", list(card.out_of_scope))],
        "Model": [("p", card.model)],
        "Data": [("ul", list(card.data))],
        "Metrics": [("table", ["metric", "value", "note"], _metric_rows(card.metrics))],
        "Verdicts": _findings_blocks(card.findings),
        "Limitations": [("ul", list(card.limitations))],
        "Decision owner and review": _owner_blocks(card),
    }
    blocks: list[Block] = [("h1", card.title)]
    for section in CARD_SECTIONS:
        blocks += [("h2", section), *body[section]]
    return blocks


def _memo_blocks(memo: AuditMemo) -> list[Block]:
    body: dict[str, list[Block]] = {
        "Question": [("p", memo.question)],
        "Recommendation": [("p", memo.recommendation)],
        "Findings": _findings_blocks(memo.findings),
        "Metrics": [("table", ["metric", "value", "note"], _metric_rows(memo.metrics))],
        "Limitations": [("ul", list(memo.limitations))],
        "Next steps": [("ul", list(memo.next_steps))],
        "Decision owner and review": _owner_blocks(memo),
    }
    blocks: list[Block] = [
        ("h1", memo.title),
        (
            "p",
            f"To: {memo.decision_owner}. From: the model analyst. Date: {memo.prepared.isoformat()}.",
        ),
    ]
    for section in MEMO_SECTIONS:
        blocks += [("h2", section), *body[section]]
    return blocks


def _blocks(document: Any) -> list[Block]:
    if isinstance(document, ModelCard):
        return _card_blocks(document)
    if isinstance(document, AuditMemo):
        return _memo_blocks(document)
    raise TypeError(f"document must be a ModelCard or an AuditMemo, got {type(document).__name__}")


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(document: ModelCard | AuditMemo) -> str:
    """Render a model card or an audit memo as Markdown.

    Parameters
    ----------
    document : ModelCard or AuditMemo

    Returns
    -------
    str
        Markdown with one ``##`` heading per section, in the order of
        :data:`~casebook.governance.documents.CARD_SECTIONS` or ``MEMO_SECTIONS``.

    Examples
    --------
    >>> from datetime import date
    >>> from casebook.governance.documents import ModelCard, Metric
    >>> card = ModelCard("Scorecard", model="logistic regression", purpose="pre-screening",
    ...                  out_of_scope=["pricing"], data=["1,000 rows"],
    ...                  metrics=[Metric("gap", 0.15, low=0.08, high=0.22)], findings=[],
    ...                  limitations=["small groups"], decision_owner="credit committee",
    ...                  prepared=date(2026, 1, 1), review_date=date(2026, 4, 1), source="demo")
    >>> text = to_markdown(card)
    >>> [line for line in text.splitlines() if line.startswith("#")][:3]
    ['# Scorecard', '## Purpose', '## Out of scope']
    >>> "| gap | 0.15 (95% interval 0.08 to 0.22, excludes 0) |  |" in text
    True
    """
    lines: list[str] = []
    for kind, *rest in _blocks(document):
        if kind in ("h1", "h2"):
            lines += [("#" if kind == "h1" else "##") + " " + rest[0].replace("\n", " "), ""]
        elif kind == "p":
            lines += [rest[0], ""]
        elif kind == "ul":
            lines += [f"- {item}" for item in rest[0]] + [""]
        else:
            header, rows = rest
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


#: Style of a rendered document, for pages that embed ``to_html(..., standalone=False)``.
DOCUMENT_CSS = (
    "article.casebook-document{max-width:60rem;font-family:system-ui,sans-serif;line-height:1.45}"
    "article.casebook-document table{border-collapse:collapse;margin:.5rem 0}"
    "article.casebook-document th,article.casebook-document td{border:1px solid #d0d7de;"
    "padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "article.casebook-document td.status-fail{color:#b35806;font-weight:600}"
    "article.casebook-document td.status-pass{color:#1b7837}"
)


def to_html(document: ModelCard | AuditMemo, *, standalone: bool = True) -> str:
    """Render a model card or an audit memo as HTML.

    Parameters
    ----------
    document : ModelCard or AuditMemo
    standalone : bool, default=True
        True: a whole page (``<!DOCTYPE html>`` with a title and a small style sheet);
        False: one ``<article>`` to place inside another page.

    Returns
    -------
    str
        Every text escaped; section headings carry ``id`` attributes for links.

    Examples
    --------
    >>> from datetime import date
    >>> from casebook.governance.documents import AuditMemo, Finding
    >>> memo = AuditMemo("Memo <draft>", question="Launch?", recommendation="Not yet.",
    ...                  findings=[Finding("four-fifths", "fail", "ratio 0.34")], metrics=[],
    ...                  limitations=["1994 data"], next_steps=["retest"],
    ...                  decision_owner="product owner", prepared=date(2026, 1, 1),
    ...                  review_date=date(2026, 7, 1), source="demo")
    >>> page = to_html(memo, standalone=False)
    >>> page.startswith('<article class="casebook-document">'), "Memo &lt;draft&gt;" in page
    (True, True)
    """
    if not isinstance(standalone, bool):
        raise TypeError(f"standalone must be a bool, got {type(standalone).__name__}")
    blocks = _blocks(document)
    esc = html.escape
    parts = ['<article class="casebook-document">']
    for kind, *rest in blocks:
        if kind == "h1":
            parts.append(f"<h1>{esc(rest[0])}</h1>")
        elif kind == "h2":
            anchor = rest[0].lower().replace(" ", "-")
            parts.append(f'<h2 id="{esc(anchor)}">{esc(rest[0])}</h2>')
        elif kind == "p":
            parts.append(f"<p>{esc(rest[0])}</p>")
        elif kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{esc(i)}</li>" for i in rest[0]) + "</ul>")
        else:
            header, rows = rest
            head = "".join(f"<th>{esc(h)}</th>" for h in header)
            body = []
            for row in rows:
                cells = []
                for name, cell in zip(header, row, strict=True):
                    status = next((s for s, m in _STATUS_MARK.items() if m == cell), None)
                    cls = f' class="status-{status}"' if name == "verdict" and status else ""
                    cells.append(f"<td{cls}>{esc(cell)}</td>")
                body.append("<tr>" + "".join(cells) + "</tr>")
            parts.append(
                f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
            )
    parts.append("</article>")
    article = "\n".join(parts)
    if not standalone:
        return article
    title = esc(blocks[0][1])
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{DOCUMENT_CSS}</style></head><body>\n{article}\n</body></html>\n"
    )
