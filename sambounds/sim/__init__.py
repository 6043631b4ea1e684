"""The vectorized simulator: SAM, n-SAM, m-SAM, USAM and GD on batches of functions (see :mod:`.api`)."""

from .api import SimulationResult, simulate
from .kernel import normalized
from .metrics import RunMetric

__all__ = ["simulate", "SimulationResult", "RunMetric", "normalized"]
