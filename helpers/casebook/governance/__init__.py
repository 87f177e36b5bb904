"""Governance documents: model cards and fairness audit memos, and their map to the NIST AI RMF.

Lives here: the structure of a model card and of an audit memo (numbers with their
intervals, verdicts, limitations, the decision owner and the review date), their
Markdown and HTML renderings, and the table that maps each section to a function of
the NIST AI Risk Management Framework (govern, map, measure, manage).
May import: ``casebook._validation``; never ``casebook.course`` or ``casebook.plots``.

Import from the submodules explicitly:

* :mod:`casebook.governance.documents` -- ``Metric``, ``Finding``, ``ModelCard``,
  ``AuditMemo`` and ``interval_reading`` (how an interval reads against a reference);
* :mod:`casebook.governance.render` -- ``to_markdown`` and ``to_html``;
* :mod:`casebook.governance.nist_rmf` -- ``nist_rmf_map``: each section, its function and
  the framework's categories it documents.
"""
