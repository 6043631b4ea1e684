"""Checkers: attack every bound, witness every construction, fit every rate.

================  ==============================================================================
module            concept
================  ==============================================================================
``measure``       a Bound's quantity on a simulation result; rounding slack; ratio conventions
``stats``         one-sided Student-t confidence bounds for expectations (Bonferroni)
``families``      rebuildable function batches (name + JSON parameters)
``probe``         one batched simulation and a Bound evaluated on every run of it
``attack``        adversarial instances of a class: families, starts, schedules, constants grid
``upper``         :func:`check_upper`: holds / violated (with a witness)
``lower``         :func:`check_lower`: witnessed / violated / inconclusive, per construction
``rates``         log-log slope fits with confidence intervals vs the order form; paper claims
``report``        :class:`Report` and :class:`Verdict`
``witness``       witness JSON files and :func:`rerun` (dispatch on ``"kind"``)
``runner``        :func:`check_bound`, :func:`report` (the whole catalog), plots
================  ==============================================================================
"""

from .lower import check_lower
from .measure import measured
from .report import Report, SlopeFit, Verdict
from .runner import CatalogReport, check_bound

# the catalog-wide run is ``sambounds.check.runner.report`` (also ``sambounds.report``); it is not
# re-exported here because it would shadow the submodule ``sambounds.check.report``.
from .upper import check_upper
from .witness import rerun

__all__ = ["check_upper", "check_lower", "check_bound", "rerun", "measured", "Report", "SlopeFit",
           "Verdict", "CatalogReport"]
