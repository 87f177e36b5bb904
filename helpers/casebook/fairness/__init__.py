"""Fairness auditing: group metrics, disparities, intervals, audit sheets, adapters.

Import from the submodules explicitly, e.g.
``from casebook.fairness.metrics import group_metrics``:

* :mod:`casebook.fairness.metrics` -- vectorized per-group confusion counts and
  rates (one ``numpy.bincount``), disparities as differences and ratios;
* :mod:`casebook.fairness.groups` -- encoding sensitive features (and their
  intersections) as group codes, with errors for missing or unknown values;
* :mod:`casebook.fairness.calibration` -- calibration within groups;
* :mod:`casebook.fairness.intervals` -- bootstrap intervals on group metrics and
  disparities, minimum group sizes;
* :mod:`casebook.fairness.audit` -- an Aequitas-style audit sheet
  (pass / fail / inconclusive);
* :mod:`casebook.fairness.adapters` -- thin adapters to aif360 and fairlearn;
* :mod:`casebook.fairness.data_checks` -- proxies and label bias, before any model;
* :mod:`casebook.fairness.tradeoffs` -- why criteria conflict (the FPR identity,
  per-group thresholds that equalize one rate);
* :mod:`casebook.fairness.mitigation` and :mod:`casebook.fairness.monitoring` --
  mitigation methods and fairness over time (see their own docstrings).
"""
