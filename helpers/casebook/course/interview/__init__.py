"""The interview layer: the question bank shipped with the package, and the quiz.

Lives here: ``questions.yaml``, its validating loader (:mod:`bank`), ``casebook quiz`` (:mod:`quiz`)
and its timed variant ``casebook quiz --mock`` (:mod:`mock`).
May import: the standard library and PyYAML; part of the course machinery.
"""
