import numpy as np
import pytest

from casebook.fairness.metrics import group_metrics
from casebook.fairness.tradeoffs import group_thresholds, implied_fpr


@pytest.fixture
def scored():
    rng = np.random.default_rng(4)
    n = 6000
    g = rng.choice(["a", "b"], n, p=[0.4, 0.6])
    y = (rng.random(n) < np.where(g == "a", 0.15, 0.35)).astype(int)
    s = np.clip(0.35 * y + rng.random(n) * 0.65, 0, 1)
    return y, s, g


def test_implied_fpr_matches_every_groups_confusion_identity(scored):
    y, s, g = scored
    table = group_metrics(y, (s >= 0.5).astype(int), sensitive_features=g)
    for _, row in table.iterrows():
        assert implied_fpr(row.base_rate, ppv=row.ppv, tpr=row.tpr) == pytest.approx(row.fpr)


def test_selection_rate_thresholds_equalize_selection(scored):
    y, s, g = scored
    thr = group_thresholds(s, sensitive_features=g, rate="selection_rate", target=0.3)
    decision = (s >= np.where(g == "a", thr["a"], thr["b"])).astype(int)
    rates = group_metrics(y, decision, sensitive_features=g)["selection_rate"]
    assert rates.to_numpy() == pytest.approx([0.3, 0.3], abs=0.002)


def test_tpr_thresholds_equalize_tpr(scored):
    y, s, g = scored
    thr = group_thresholds(s, sensitive_features=g, rate="tpr", target=0.7, y_true=y)
    decision = (s >= np.where(g == "a", thr["a"], thr["b"])).astype(int)
    tpr = group_metrics(y, decision, sensitive_features=g)["tpr"]
    assert tpr.to_numpy() == pytest.approx([0.7, 0.7], abs=0.005)


def test_errors(scored):
    y, s, g = scored
    with pytest.raises(ValueError, match="base_rate must be strictly between 0 and 1, got 0"):
        implied_fpr(0, ppv=0.5, tpr=0.5)
    with pytest.raises(ValueError, match=r"target must be in \(0, 1\], got 0"):
        group_thresholds(s, sensitive_features=g, rate="selection_rate", target=0)
    with pytest.raises(ValueError, match="y_true is required when rate='tpr'"):
        group_thresholds(s, sensitive_features=g, rate="tpr", target=0.5)
    with pytest.raises(ValueError, match="rate must be 'selection_rate' or 'tpr', got 'fpr'"):
        group_thresholds(s, sensitive_features=g, rate="fpr", target=0.5)
    with pytest.raises(ValueError, match="group 'a' has no rows to set a tpr threshold on"):
        group_thresholds(
            s, sensitive_features=g, rate="tpr", target=0.5, y_true=(g == "b").astype(int)
        )
    with pytest.raises(ValueError, match="inputs must have the same length"):
        group_thresholds(s, sensitive_features=g, rate="tpr", target=0.5, y_true=y[:10])
