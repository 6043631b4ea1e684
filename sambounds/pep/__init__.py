"""Performance estimation (Gram-matrix SDPs in cvxpy) for GD, USAM and normalized SAM.

Modules, one concept each: :mod:`.interpolation` (function-class conditions),
:mod:`.gram` (basis, matrix-form program, Gram factorization), :mod:`.methods` (trajectories),
:mod:`.problem` (assembly, normalization), :mod:`.solvers`, :mod:`.sam` (relaxation, slices,
outer search), :mod:`.interpolant` (the constructive interpolant) with :mod:`.simplex_qp`
(its exact active-set QP), :mod:`.witness`, :mod:`.certificate`, :mod:`.api` (:func:`worst_case`).
Import cost (cvxpy) is paid only when this package is used.
"""

from .api import WorstCase, worst_case

__all__ = ["worst_case", "WorstCase"]
