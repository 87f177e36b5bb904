"""The course machinery: lessons and claims, exercises, the runner, the study site, the CLI, the quiz.

Lives here: what runs, checks and presents the curriculum, never an analysis method.
May import: the toolkit (``casebook.decisions`` ... ``casebook.plots``); nothing in the toolkit imports it.
"""
