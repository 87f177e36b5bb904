"""Model cards and fairness audit memos for the audit notebooks, built from their recorded results.

Notebooks 05 (Adult), 06 (German Credit) and 08 (credit API monitoring) end with a model
card and an audit memo. Both are built here from the notebook's ``results.json`` only:
every number, every verdict and every direction word comes from a recorded result, so
the documents say what the run measured, for any seed. The scenario (purpose, decision
owner, review cadence) is the case's fixed text.

* :func:`audit_sheet_rows` -- an audit sheet as JSON-safe rows, for ``lesson.record``;
* :func:`audit_documents` -- the card and the memo of one notebook's results;
* :func:`write_audit_documents` -- both as Markdown and HTML under ``documents/``;
* :func:`show_audit_documents` -- write them and show them in the notebook (the memo in
  full, the card folded), returning both.

The notebook and the study site call the same functions, so the page in the site is the
document the notebook showed.
"""

from __future__ import annotations

import html
import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from casebook.course.lesson import RESULTS_FILE
from casebook.course.notebook_html import write_text_atomic
from casebook.governance.documents import AuditMemo, ModelCard
from casebook.governance.render import to_html, to_markdown

__all__ = [
    "DOCUMENTED",
    "audit_documents",
    "audit_sheet_rows",
    "show_audit_documents",
    "write_audit_documents",
]

#: The notebooks that write a model card and an audit memo.
DOCUMENTED: tuple[str, ...] = (
    "05_adult_bias_audit",
    "06_german_credit_age_audit",
    "08_credit_api_bias_monitoring",
)
_SHEET_COLUMNS = ("criterion", "method", "value", "low", "high", "tolerance", "status", "reason")


def audit_sheet_rows(sheet: pd.DataFrame) -> list[dict[str, Any]]:
    """An audit sheet as a list of plain dicts (NaN as ``None``), ready for ``lesson.record``.

    Parameters
    ----------
    sheet : pandas.DataFrame
        The output of :func:`casebook.fairness.audit.audit_sheet`.

    Returns
    -------
    list of dict
        One dict per row with keys ``criterion``, ``method``, ``value``, ``low``, ``high``,
        ``tolerance``, ``status`` and ``reason``.

    Examples
    --------
    >>> sheet = pd.DataFrame({"criterion": ["demographic_parity"], "method": ["ratio"],
    ...     "value": [0.5], "low": [0.4], "high": [float("nan")], "tolerance": [0.8],
    ...     "status": ["inconclusive"], "reason": ["interval undefined"]})
    >>> audit_sheet_rows(sheet)[0]["high"] is None
    True
    """
    if not isinstance(sheet, pd.DataFrame):
        raise TypeError(f"sheet must be a pandas DataFrame, got {type(sheet).__name__}")
    missing = [c for c in _SHEET_COLUMNS if c not in sheet.columns]
    if missing:
        raise ValueError(f"sheet must have the audit sheet's columns; missing {missing}")
    if sheet.empty:
        raise ValueError("sheet must have at least one row, got an empty sheet")
    rows = []
    for record in sheet[list(_SHEET_COLUMNS)].to_dict("records"):
        row: dict[str, Any] = {}
        for key, value in record.items():
            if key in ("value", "low", "high", "tolerance"):
                number = None if value is None or pd.isna(value) else float(value)
                row[key] = number
            else:
                row[key] = (
                    ""
                    if value is None or (isinstance(value, float) and math.isnan(value))
                    else str(value)
                )
        rows.append(row)
    return rows


def audit_documents(results: Mapping[str, Any]) -> tuple[ModelCard, AuditMemo]:
    """The model card and the audit memo of one notebook's recorded results.

    Parameters
    ----------
    results : mapping
        The content of a ``results.json`` (see :func:`casebook.course.lesson.load_results`)
        of one of :data:`DOCUMENTED`.

    Returns
    -------
    (ModelCard, AuditMemo)

    Raises
    ------
    ValueError
        If the notebook writes no documents, or a result the documents need was not
        recorded (the message names it: the notebook did not run to its documents section).

    Examples
    --------
    >>> DOCUMENTED[0]
    '05_adult_bias_audit'
    >>> audit_documents({"notebook": "01_spam_false_positives", "results": {}})
    Traceback (most recent call last):
    ...
    ValueError: results must come from one of ('05_adult_bias_audit', \
'06_german_credit_age_audit', '08_credit_api_bias_monitoring'), got notebook \
'01_spam_false_positives'
    """
    from casebook.course._audit_cases import adult, german_credit
    from casebook.course._audit_incident import credit_api
    from casebook.course._audit_records import Recorded

    builders = {
        "05_adult_bias_audit": adult,
        "06_german_credit_age_audit": german_credit,
        "08_credit_api_bias_monitoring": credit_api,
    }
    if not isinstance(results, Mapping):
        raise TypeError(f"results must be a mapping (a results.json), got {type(results).__name__}")
    notebook = results.get("notebook")
    if notebook not in DOCUMENTED:
        raise ValueError(f"results must come from one of {DOCUMENTED}, got notebook {notebook!r}")
    return builders[notebook](Recorded(results))


def write_audit_documents(output_dir: str | os.PathLike) -> dict[str, Path]:
    """Write ``model_card`` and ``audit_memo`` as ``.md`` and ``.html`` under ``output_dir/documents``.

    Parameters
    ----------
    output_dir : str or path-like
        A lesson's output folder, holding its ``results.json``.

    Returns
    -------
    dict
        ``{"model_card.md": path, "model_card.html": path, "audit_memo.md": ..., ...}``.
        Each file is written atomically: a failed run never leaves half a document.

    Examples
    --------
    >>> import tempfile
    >>> write_audit_documents(tempfile.mkdtemp())
    Traceback (most recent call last):
    ...
    FileNotFoundError: no results.json in ...: did the notebook run?
    """
    if not isinstance(output_dir, (str, os.PathLike)):
        raise TypeError(f"output_dir must be a str or path, got {type(output_dir).__name__}")
    path = Path(output_dir) / RESULTS_FILE
    if not path.is_file():
        raise FileNotFoundError(f"no {RESULTS_FILE} in {output_dir}: did the notebook run?")
    card, memo = audit_documents(json.loads(path.read_text(encoding="utf-8")))
    folder = Path(output_dir) / "documents"
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for stem, doc in (("model_card", card), ("audit_memo", memo)):
        for suffix, text in ((".md", to_markdown(doc)), (".html", to_html(doc))):
            target = folder / f"{stem}{suffix}"
            write_text_atomic(target, text)
            written[target.name] = target
    return written


def show_audit_documents(
    output_dir: str | os.PathLike, *, card_label: str = "The model card"
) -> tuple[ModelCard, AuditMemo]:
    """Write the documents (:func:`write_audit_documents`) and show them in a notebook.

    The memo is shown in full as Markdown, the card folded under ``card_label`` (one click
    opens it), then the names of the files written. Showing the same documents again (a
    re-run cell) rewrites the same files.

    Returns
    -------
    (ModelCard, AuditMemo)
        The documents shown, for the notebook's prose to quote.

    Examples
    --------
    >>> show_audit_documents(".", card_label="")
    Traceback (most recent call last):
    ...
    ValueError: card_label must be a non-empty string, got ''
    """
    from IPython.display import HTML, Markdown, display

    if not isinstance(card_label, str) or not card_label.strip():
        raise ValueError(f"card_label must be a non-empty string, got {card_label!r}")
    written = write_audit_documents(output_dir)
    card, memo = audit_documents(
        json.loads((Path(output_dir) / RESULTS_FILE).read_text(encoding="utf-8"))
    )
    display(Markdown(to_markdown(memo)))
    folded = to_html(card, standalone=False)
    summary = html.escape(card_label)
    display(HTML(f"<details><summary><b>{summary}</b> (click to open)</summary>{folded}</details>"))
    print("written to documents/:", ", ".join(sorted(written)))
    return card, memo
