"""Error analysis: where a model's mistakes concentrate and why (taxonomies, slices).

Lives here: rule-based error taxonomies and slice discovery over a model's errors.
May import: ``casebook._validation`` and ``casebook.decisions``; never ``casebook.course`` or ``casebook.plots``.
"""
