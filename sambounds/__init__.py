"""sambounds: formal bound checking for practical Sharpness-Aware Minimization.

Practical SAM keeps the perturbation radius rho constant and normalizes the ascent step,
y_t = x_t + rho grad f(x_t)/||grad f(x_t)||.  Si & Yun (NeurIPS 2023, arXiv:2306.09850)
show that it then converges only to O(rho^2) neighbourhoods in many settings.  This package
encodes those statements (and the project's explicit-constant versions) as data, and checks
them against simulation, performance estimation and machine-checked proofs.
"""

from __future__ import annotations

from . import schedules
from .errors import (IncompatibleSettingError, InvalidParameterError, ProofError, SamboundsError,
                     SolverError)
from .setting import Algorithm, Constants, FunctionClass, Setting

__version__ = "0.1.0"

# Heavy layers (sympy catalog, simulator, cvxpy) load on first use so that
# `import sambounds` stays fast; the table maps each public name to its one home.
_LAZY = {
    "query": "sambounds.theory.query",
    "catalog": "sambounds.theory.catalog",
    "Bound": "sambounds.theory.bound",
    "simulate": "sambounds.sim.api",
    "worst_case": "sambounds.pep.api",
    "report": "sambounds.check.runner", "check_bound": "sambounds.check.runner",
    "register_bound": "sambounds.theory.user", "rerun": "sambounds.check.witness",
    "verify_schedule": "sambounds.verify.api",
    "conform": "sambounds.adapters.conformance", "simulate_optimizer": "sambounds.adapters.run",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sambounds' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)

__all__ = ["Algorithm", "Constants", "FunctionClass", "Setting", "schedules", "SamboundsError",
           "InvalidParameterError", "IncompatibleSettingError", "SolverError", "ProofError",
           "__version__"]
