"""The ML Model Analyst Casebook helper package: the analyst's toolkit and the course that teaches it.

The toolkit, one subpackage per job (import from the modules, e.g.
``from casebook.decisions.costs import cost_optimal_threshold``):

* :mod:`casebook.decisions` -- confusion tables, costs, thresholds, calibration, intervals, profit;
* :mod:`casebook.error_analysis` -- error taxonomies and error slices;
* :mod:`casebook.fairness` -- group metrics, disparities, audits, mitigation, fairness alerts;
* :mod:`casebook.modeling` -- pipelines, imbalance, point-in-time features, segments, explanations;
* :mod:`casebook.monitoring` -- drift, retraining policies and backtests, fleets, the audit log;
* :mod:`casebook.tracking` -- MLflow runs, the model registry, safe model files;
* :mod:`casebook.data`, :mod:`casebook.synthetic`, :mod:`casebook.plots` -- real data, seeded
  scenarios, and one plot module per toolkit area.

The course machinery (lessons and claims, exercises, runner, study site, CLI, quiz) lives
apart in :mod:`casebook.course`; the toolkit never imports it.

Importing :mod:`casebook` has no side effects: it creates no directories,
sets no tracking URIs, seeds no random generators and changes no plotting
defaults.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("casebook")
except PackageNotFoundError:  # pragma: no cover - only when run from a bare checkout
    __version__ = "0.0.0"

__all__ = ["__version__"]
