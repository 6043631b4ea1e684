"""Figures (the ``plot`` extra, matplotlib): rendered on the Agg canvas, never needing a display.

=======================  ===================================================================
function                 what it shows
=======================  ===================================================================
:func:`figure1`          SAM vs GD on f(x, y) = (xy - 1)^2 (paper's Figure 1)
:func:`figure2`          virtual losses of SAM, n-SAM, m-SAM in 1-D (paper's Figure 2)
:func:`figure6`          simulations on the constructions L-SC, L-NC, L-S (paper's Figure 6)
:func:`two_cycle`        the 2-cycle +-eta beta rho/(2 - eta beta) on L-SC
:func:`fixed_point`      the attracting non-stationary point -rho of L-NC
:func:`bound_vs_T`       measured quantity vs upper and lower bound over T (log-log)
:func:`theorem_a_rates`  the default of the above: Theorem A's step on L-SC, 2-cycle lower bound
:func:`save`             write a figure to .png / .svg / .pdf
=======================  ===================================================================

Every function returns a :class:`matplotlib.figure.Figure`; nothing is shown or written
unless :func:`save` is called.
"""

from ._canvas import FORMATS, save
from .figures import figure1, figure2, figure6, virtual_gradient, virtual_loss
from .one_dim import fixed_point, two_cycle
from .rates import bound_vs_T, measured_vs_T, theorem_a_rates

__all__ = ["FORMATS", "save", "figure1", "figure2", "figure6", "virtual_gradient", "virtual_loss",
           "two_cycle", "fixed_point", "bound_vs_T", "measured_vs_T", "theorem_a_rates"]
