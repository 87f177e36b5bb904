"""The interview layer: the question bank shipped with the package, and the quiz.

Lives here: ``questions.yaml``, its validating loader (:mod:`bank`) and ``casebook quiz`` (:mod:`quiz`).
May import: the standard library and PyYAML; part of the course machinery.
"""
