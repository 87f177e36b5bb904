"""Monitoring in production: drift (:mod:`casebook.monitoring.drift`), retraining policies, fleets, audit log.

Lives here: what runs after deployment: drift tests, policy engine and backtests, fleet jobs, audit trail.
May import: ``casebook._validation``, ``casebook.decisions``, ``casebook.synthetic``; never ``casebook.course`` or ``casebook.plots``.
"""
