"""The skew PSI plot: titled, labelled, one bar group per feature, bad input rejected."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from casebook.plots.feature_paths import plot_skew_psi

PSI = pd.DataFrame({"none": [0.01, 0.02, 0.0], "missing_as_zero": [0.01, 0.4, 0.02]},
                   index=["a", "b", "c"])  # fmt: skip


def test_draws_one_bar_per_cell_and_the_threshold():
    fig, ax = plt.subplots()
    assert plot_skew_psi(PSI, threshold=0.2, ax=ax) is ax
    assert len(ax.patches) == PSI.size
    assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c"]
    assert ax.lines[0].get_xdata()[0] == 0.2
    widths = sorted(p.get_width() for p in ax.patches)
    assert widths[-1] == 0.4
    plt.close(fig)


def test_rejects_bad_input():
    with pytest.raises(TypeError, match="psi must be a pandas DataFrame"):
        plot_skew_psi(PSI.to_numpy())
    with pytest.raises(ValueError, match="psi must have at least one row"):
        plot_skew_psi(PSI.iloc[:0])
    with pytest.raises(ValueError, match="psi must hold finite values"):
        plot_skew_psi(PSI.assign(none=[np.nan, 0.1, 0.1]))
    with pytest.raises(ValueError, match="threshold must be a positive finite number"):
        plot_skew_psi(PSI, threshold=0)
    plt.close("all")
