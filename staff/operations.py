"""The workbench's one composite change: log upkeep and, with the same work, resolve problem reports.

Both halves are the domains' own operations (``registry.care.operations.log_upkeep``,
``problems.operations.resolve_problem``), each checking permission and writing its audit entry;
this runs them in one transaction, so a report a colleague closed a moment earlier undoes the
log too (and its photos: the pipeline leaves no file behind a rolled-back transaction).
"""

from django.db import transaction

from registry.care.operations import log_upkeep


def log_work(*, actor, asset, resolves=(), reply: str = "", **work):
    """Log ``work`` on ``asset`` (see ``log_upkeep``), then resolve each report in ``resolves`` with it."""
    with transaction.atomic():
        log = log_upkeep(actor=actor, asset=asset, **work)
        if resolves:
            from problems.operations import resolve_problem

            for report in resolves:
                resolve_problem(actor=actor, report=report, reply=reply, upkeep_log=log)
    return log
