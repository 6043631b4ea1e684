"""Verify a step-size schedule: certify it, refute it with a witness, or say it is undecided.

- :mod:`.api`         :func:`verify_schedule`, the entry point (``sambounds.verify_schedule``)
- :mod:`.quantities`  what can be verified and how a run measures it
- :mod:`.theory`      catalog theorems on the schedule, floors, certified values
- :mod:`.recursions`  per-step theorems (Theorem A, S-SC) unrolled on any schedule
- :mod:`.families`    adversarial functions of each class, with valid starting points
- :mod:`.attack`      the simulated worst case (confidence bounds for n-SAM / m-SAM)
- :mod:`.pep_part`    the PEP's certified upper value and slice witness for small T
- :mod:`.witness`     the ``schedule-witness`` JSON format

:func:`rerun` is :func:`sambounds.check.witness.rerun`, the one re-run of every witness kind.
- :mod:`.report`      :class:`ScheduleReport` (verdict, evidence, JSON, rich text)
"""

from __future__ import annotations

from .api import verify_schedule
from .report import ScheduleReport
from ..check.witness import rerun

__all__ = ["verify_schedule", "ScheduleReport", "rerun"]
