"""Fairness auditing: group metrics, disparities, intervals, audit sheets, adapters.

Lives here: everything a fairness audit and its monitoring compute (no plotting).
May import: ``casebook._validation`` and ``casebook.decisions``; never ``casebook.course`` or ``casebook.plots``.

Import from the submodules explicitly, e.g.
``from casebook.fairness.metrics import group_metrics``:

* :mod:`casebook.fairness.metrics` -- vectorized per-group confusion counts and
  rates (one ``numpy.bincount``), the generic disparity (difference or ratio);
* :mod:`casebook.fairness.criteria` -- the named criteria
  (``demographic_parity_ratio`` ...) and the all-criteria ``disparities`` table;
* :mod:`casebook.fairness.groups` -- encoding sensitive features (and their
  intersections) as group codes, with errors for missing or unknown values;
* :mod:`casebook.fairness.group_calibration` -- calibration within groups;
* :mod:`casebook.fairness.intervals` -- bootstrap intervals on group metrics and
  disparities, minimum group sizes;
* :mod:`casebook.fairness.audit` -- an Aequitas-style audit sheet
  (pass / fail / inconclusive);
* :mod:`casebook.fairness.adapters` -- thin adapters to aif360 and fairlearn;
* :mod:`casebook.fairness.data_checks` -- proxies and label bias, before any model;
* :mod:`casebook.fairness.tradeoffs` -- why criteria conflict (the FPR identity,
  per-group thresholds that equalize one rate);
* :mod:`casebook.fairness.mitigation` -- pre-, in- and post-processing
  mitigations, each returning decisions;
* :mod:`casebook.fairness.attribute_use` -- which mitigations need the protected
  attribute at training time, at decision time or not at all;
* :mod:`casebook.fairness.operating_point` -- the mitigation table, Pareto front
  and the policy that picks one candidate (with the legal filter first);
* :mod:`casebook.fairness.paired` -- two decision sets on the same people, their
  differences with paired bootstrap intervals;
* :mod:`casebook.fairness.alerts` -- fairness over time (see its docstring).
"""
