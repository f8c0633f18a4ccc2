"""Every module that defines job kinds, imported by every process that enqueues or runs jobs.

A kind is known to a process only once its module is imported: the web process needs it to
enqueue (unknown kinds are refused) and the worker needs it to run. Add new domains here.
"""

from __future__ import annotations

import importlib

JOB_MODULES = ("miniapp.accounts.housekeeping", "miniapp.review.check_job")


def load_job_kinds() -> None:
    for module in JOB_MODULES:
        importlib.import_module(module)
