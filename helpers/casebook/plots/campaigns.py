"""Plots for :mod:`casebook.decisions.campaigns`: the campaign plan per segment.

Every function draws on ``ax`` (a new figure when None), titles and labels
it, and returns the Axes; colours are Okabe-Ito (colour-blind safe) and the
two kinds of bars are also told apart by hatching.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

__all__ = ["plot_campaign_plan"]


def plot_campaign_plan(
    plan: pd.DataFrame,
    *,
    title: str = "Expected campaign value by segment",
    ax: Axes | None = None,
) -> Axes:
    """Horizontal bars of each segment's expected total value; text = value per user.

    ``plan`` is a :func:`casebook.decisions.campaigns.campaign_plan` table;
    segments worth contacting are blue, the others orange and hatched.
    """
    if not isinstance(plan, pd.DataFrame):
        raise TypeError(f"plan must be a pandas DataFrame, got {type(plan).__name__}")
    need = {"total_value", "value_per_user", "contact", "users"}
    if not need <= set(plan.columns):
        raise ValueError(f"plan must be a campaign_plan table with columns {sorted(need)}")
    seg = plan.drop(index="total", errors="ignore")
    if seg.empty:
        raise ValueError("plan must have at least one segment row, got none")
    for col in ("total_value", "value_per_user", "users"):
        vals = pd.to_numeric(seg[col], errors="coerce").astype(float)
        if not np.isfinite(vals.to_numpy()).all():
            raise ValueError(f"plan[{col!r}] must be finite numbers, got {list(seg[col])}")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 0.6 * len(seg) + 1.8))
    y = np.arange(len(seg))
    contact = seg["contact"].astype(bool).to_numpy()
    values = seg["total_value"].astype(float).to_numpy()
    for mask, colour, hatch, label in (
        (contact, "#0072B2", "", "contact (positive expected value)"),
        (~contact, "#E69F00", "//", "do not contact"),
    ):
        if mask.any():
            ax.barh(
                y[mask],
                values[mask],
                color=colour,
                hatch=hatch,
                edgecolor="black",
                linewidth=0.5,
                label=label,
            )
    for yi, v, per_user, n in zip(y, values, seg["value_per_user"], seg["users"], strict=True):
        ax.annotate(
            f"{'-' if per_user < 0 else ''}${abs(per_user):,.2f}/user x {int(n):,}",
            (v, yi),
            xytext=(4 if v >= 0 else -4, 0),
            textcoords="offset points",
            ha="left" if v >= 0 else "right",
            va="center",
            fontsize="small",
        )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, [str(s) for s in seg.index])
    lo, hi = min(values.min(), 0), max(values.max(), 0)
    pad = 0.3 * (hi - lo or 1)
    ax.set_xlim(lo - (pad if lo < 0 else 0.05 * pad), hi + pad)
    ax.set(xlabel="expected value of the campaign, $ (after costs)", ylabel="segment", title=title)
    ax.legend(loc="lower right", fontsize="small")
    return ax
