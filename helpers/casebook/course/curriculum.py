"""The learner's map: which notebook builds on which, declared once and drawn.

``PREREQUISITES`` maps each notebook stem to the notebooks it builds on; each
notebook's learning-objectives cell names the same notebooks in its
``**Prerequisites:**`` line (a test keeps the two in step).
:func:`plot_curriculum_map` draws the graph: notebooks as boxes in one column per
part of the course, an arrow from each prerequisite to the notebook that needs it.
``docs/curriculum_map.png`` is that figure, with :func:`curriculum_hash` of the graph
recorded beside it in ``docs/curriculum_map.sha256``; regenerate both with::

    .venv/bin/python -m casebook.course.curriculum docs/curriculum_map.png
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from casebook.course.site import PARTS

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["PREREQUISITES", "curriculum_hash", "plot_curriculum_map"]

PREREQUISITES: dict[str, tuple[str, ...]] = {
    "00_start_here": (),
    "01_spam_false_positives": ("00_start_here",),
    "02_product_category_confusion": ("01_spam_false_positives",),
    "03_medical_screening_costs": ("01_spam_false_positives",),
    "04_fraud_dollar_costs": ("03_medical_screening_costs",),
    "05_adult_bias_audit": ("01_spam_false_positives", "03_medical_screening_costs"),
    "06_german_credit_age_audit": ("05_adult_bias_audit",),
    "07_resume_screening_mitigation": ("05_adult_bias_audit",),
    "08_credit_api_bias_monitoring": ("06_german_credit_age_audit",),
    "09_churn_prediction_and_segmentation": ("03_medical_screening_costs",),
    "10_fraud_imbalance": ("04_fraud_dollar_costs", "09_churn_prediction_and_segmentation"),
    "11_loan_default_from_transactions": ("09_churn_prediction_and_segmentation",),
    "12_click_prediction_latency": ("09_churn_prediction_and_segmentation",),
    "13_weekly_drift_monitoring": ("09_churn_prediction_and_segmentation",),
    "14_retraining_policy": ("13_weekly_drift_monitoring",),
    "15_model_fleet_monitoring": ("14_retraining_policy",),
    "16_ecommerce_customer_segments": (
        "09_churn_prediction_and_segmentation",
        "11_loan_default_from_transactions",
    ),
    "17_training_serving_skew": (
        "11_loan_default_from_transactions",
        "13_weekly_drift_monitoring",
    ),
}

# Okabe-Ito, safe for the common colour-vision deficiencies; one colour per part
_PALETTE = ("#999999", "#E69F00", "#CC79A7", "#0072B2", "#009E73")
_SHORT_PART = (
    "Start here",
    "I · Errors and costs",
    "II · Fairness",
    "III · Modeling",
    "IV · Monitoring",
)
_BOX_W, _BOX_H, _COL, _ROW = 2.5, 0.62, 3.2, 1.0


def curriculum_hash() -> str:
    """A digest of the graph the map draws (prerequisites, parts, layout version).

    Examples
    --------
    >>> len(curriculum_hash())
    64
    """
    payload = {"prerequisites": PREREQUISITES, "parts": PARTS, "layout": 2}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _positions() -> dict[str, tuple[float, float]]:
    pos = {}
    for col, (_, numbers) in enumerate(PARTS):
        members = [s for s in PREREQUISITES if int(s[:2]) in numbers]
        for row, stem in enumerate(members):
            pos[stem] = (col * _COL, -row * _ROW)
    return pos


def _label(stem: str) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(f"{stem[:2]} · {stem[3:].replace('_', ' ')}", width=24))


def _arrow_path(start: tuple[float, float], end: tuple[float, float], via: float | None):
    """A smooth path leaving and arriving horizontally; through the gap row ``via`` if given."""
    from matplotlib.path import Path as MplPath

    (x0, y0), (x1, y1) = start, end
    if via is None:
        d = (x1 - x0) / 2
        points = [start, (x0 + d, y0), (x1 - d, y1), end]
    else:  # S-bend into the gap row, straight across the skipped column, S-bend out
        xa, xb = x0 + _COL - _BOX_W - 0.1, x1 - _COL + _BOX_W + 0.1
        d = (xa - x0) / 2
        points = [start, (x0 + d, y0), (xa - d, via), (xa, via)]
        points += [(xa, via), (xb, via), (xb, via)]  # a straight run as a flat cubic
        points += [(xb + d, via), (x1 - d, y1), end]
    codes = [MplPath.MOVETO] + [MplPath.CURVE4] * (len(points) - 1)
    return MplPath(points, codes)


def plot_curriculum_map(*, ax: Axes | None = None) -> Axes:
    """Draw the prerequisite graph of the notebooks, one column per part.

    Parameters
    ----------
    ax : matplotlib Axes, optional
        Where to draw; a new wide figure if omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> ax = plot_curriculum_map()
    >>> ax.get_title()
    "The learner's map: an arrow from each notebook to the ones that build on it"
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

    if ax is None:
        _, ax = plt.subplots(figsize=(15, 6.2))
    pos = _positions()
    colour = {
        stem: _PALETTE[col]
        for col, (_, nums) in enumerate(PARTS)
        for stem in pos
        if int(stem[:2]) in nums
    }
    for stem, (x, y) in pos.items():
        ax.add_patch(
            FancyBboxPatch(
                (x - _BOX_W / 2, y - _BOX_H / 2), _BOX_W, _BOX_H,
                boxstyle="round,pad=0.02,rounding_size=0.12",
                facecolor=colour[stem], alpha=0.3, edgecolor=colour[stem], linewidth=1.5,
            )
        )  # fmt: skip
        ax.text(x, y, _label(stem), ha="center", va="center", fontsize=8.5, color="#1f2328")
    for stem, needs in PREREQUISITES.items():
        for need in needs:
            (x0, y0), (x1, y1) = pos[need], pos[stem]
            if x0 == x1:  # same column: leave from the side, bend around the boxes between
                style = f"arc3,rad={-0.35 if abs(y1 - y0) > _ROW else -0.6}"
                start, end = (x0 + _BOX_W / 2, y0), (x1 + _BOX_W / 2, y1)
                arrow = {"posA": start, "posB": end, "connectionstyle": style}
            else:  # a skipped column is crossed in the gap between two of its rows
                via = np.floor((y0 + y1) / 2) + _ROW / 2 if x1 - x0 > _COL else None
                start, end = (x0 + _BOX_W / 2, y0), (x1 - _BOX_W / 2, y1)
                arrow = {"path": _arrow_path(start, end, via)}
            ax.add_patch(
                FancyArrowPatch(
                    **arrow, arrowstyle="-|>", mutation_scale=11, linewidth=1,
                    color="#444444", shrinkA=2, shrinkB=2,
                )
            )  # fmt: skip
    rows = max(-y for _, y in pos.values())
    ax.set_xlim(-_BOX_W / 2 - 0.3, (len(PARTS) - 1) * _COL + _BOX_W / 2 + 0.6)
    ax.set_ylim(-rows - 0.8, 0.9)
    ax.set_xticks([c * _COL for c in range(len(PARTS))], _SHORT_PART)
    ax.xaxis.tick_top()
    ax.set_yticks([])
    for side in ("left", "right", "bottom", "top"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", length=0)
    ax.set_xlabel("Part of the course (columns); read each column top to bottom")
    ax.set_title("The learner's map: an arrow from each notebook to the ones that build on it")
    handles = [
        Patch(facecolor=c, alpha=0.5, label=t) for c, (t, _) in zip(_PALETTE, PARTS, strict=True)
    ]
    ax.legend(handles=handles, loc="lower left", fontsize=8, frameon=False, ncol=1)
    return ax


def _write(path: str) -> None:
    """Write the map to ``path`` and the graph's hash beside it (``<stem>.sha256``)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ax = plot_curriculum_map()
    ax.figure.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(ax.figure)
    Path(path).with_suffix(".sha256").write_text(curriculum_hash() + "\n", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover
    _write(sys.argv[1] if len(sys.argv) > 1 else "docs/curriculum_map.png")
