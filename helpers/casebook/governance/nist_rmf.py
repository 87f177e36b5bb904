"""Which NIST AI RMF function each section of a model card or audit memo serves.

The NIST AI Risk Management Framework (AI RMF 1.0, NIST AI 100-1, January 2023) sorts
AI risk work into four functions: **govern** (policies, accountability, review),
**map** (context, intended purpose, what the system is and whom it affects),
**measure** (metrics, evaluation, fairness and bias assessed and documented) and
**manage** (decide, respond to the risks, monitor after deployment). Each is split into
numbered categories and subcategories (e.g. MEASURE 2.11: fairness and bias are evaluated
and the results documented). :func:`nist_rmf_map` is one table: for every section of the
two documents, the function it mainly serves and the subcategories whose outcome it
documents. The framework is voluntary; the table shows where a document provides
evidence, not that an organisation complies.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd

from casebook.governance.documents import CARD_SECTIONS, MEMO_SECTIONS

__all__ = ["RMF_FUNCTIONS", "nist_rmf_map"]

#: The four functions of the AI RMF core, in the framework's order.
RMF_FUNCTIONS: tuple[str, ...] = ("govern", "map", "measure", "manage")

# section -> (function, subcategories, what the section records); one entry per section name
_MAP: dict[str, tuple[str, str, str]] = {
    "Purpose": ("map", "MAP 1.1, MAP 1.4",
                "the intended purpose, the setting and the business use"),
    "Out of scope": ("map", "MAP 2.2, MAP 3.3",
                     "the uses the evidence does not cover: the system's knowledge limits and scope"),
    "Model": ("map", "MAP 2.1",
              "the task and the method: algorithm, inputs, decision rule"),
    "Data": ("map", "MAP 2.3",
             "where the data come from and whether they represent the people decided on"),
    "Question": ("map", "MAP 1.5, GOVERN 1.1",
                 "the decision asked for and the tolerance it is judged by (a legal rule or a "
                 "risk tolerance)"),
    "Metrics": ("measure", "MEASURE 2.1, MEASURE 2.3",
                "performance and disparity numbers, each with its interval, and how they were "
                "computed"),
    "Verdicts": ("measure", "MEASURE 2.11",
                 "fairness and bias evaluated: pass, fail or inconclusive per criterion"),
    "Findings": ("measure", "MEASURE 2.11",
                 "the same verdicts, as evidence for the recommendation"),
    "Limitations": ("measure", "MEASURE 1.1, MEASURE 2.5",
                    "what could not be measured and how far the results generalize"),
    "Recommendation": ("manage", "MANAGE 1.1, MANAGE 1.3",
                       "whether deployment should proceed, and the response to the risk "
                       "(mitigate, accept, avoid)"),
    "Next steps": ("manage", "MANAGE 1.3, MANAGE 4.1",
                   "the planned responses and the monitoring after deployment"),
    "Decision owner and review": ("govern", "GOVERN 2.1, GOVERN 1.5",
                                  "who is accountable, and when the decision is reviewed"),
}  # fmt: skip


def nist_rmf_map(*, document: Literal["both", "model card", "audit memo"] = "both") -> pd.DataFrame:
    """One row per section: the document, the section, its AI RMF function and subcategories.

    Parameters
    ----------
    document : {"both", "model card", "audit memo"}, default="both"
        Which document's sections to list.

    Returns
    -------
    pandas.DataFrame
        Columns ``document``, ``section``, ``function`` (one of :data:`RMF_FUNCTIONS`),
        ``subcategories`` and ``records`` (what the section documents), in the documents'
        section order.

    Examples
    --------
    >>> table = nist_rmf_map(document="audit memo")
    >>> table.loc[table["section"] == "Recommendation", "function"].item()
    'manage'
    >>> sorted(set(nist_rmf_map()["function"]))
    ['govern', 'manage', 'map', 'measure']
    """
    docs = {"model card": CARD_SECTIONS, "audit memo": MEMO_SECTIONS}
    if document not in ("both", *docs):
        raise ValueError(f"document must be 'both', 'model card' or 'audit memo', got {document!r}")
    rows = []
    for name, sections in docs.items():
        if document in ("both", name):
            for section in sections:
                function, subcategories, records = _MAP[section]
                rows.append({"document": name, "section": section, "function": function,
                             "subcategories": subcategories, "records": records})  # fmt: skip
    return pd.DataFrame(rows)
