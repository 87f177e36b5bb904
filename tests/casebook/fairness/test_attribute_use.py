"""The attribute-use table says what each mitigation mechanically needs."""

from casebook.fairness.attribute_use import ATTRIBUTE_USE, attribute_use_table


def test_attribute_use_table_is_consistent():
    t = attribute_use_table()
    assert list(t.index) == list(ATTRIBUTE_USE)
    assert set(t["needs_attribute_at"]) == {"none", "training", "decision_time"}
    # every method that reads the attribute at decision time was also fitted with it
    assert (t.loc[t["at_decision_time"], "at_training"]).all()
    assert not t.loc["unawareness", ["at_training", "at_decision_time"]].any()
    assert t.loc["reweighing", "needs_attribute_at"] == "training"
    assert t.loc["exponentiated_gradient", "needs_attribute_at"] == "training"
    assert t.loc["threshold_optimizer", "needs_attribute_at"] == "decision_time"
    # every post-processing method acts on the decision, so it needs the attribute then
    assert (t.loc[t["family"] == "post", "needs_attribute_at"] == "decision_time").all()
