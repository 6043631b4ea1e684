"""Figures without a display: matplotlib's object API on the Agg canvas, never pyplot.

Using :class:`matplotlib.figure.Figure` with :class:`FigureCanvasAgg` directly leaves the
user's pyplot backend (a notebook's inline backend, a GUI) untouched and needs no display.
matplotlib is the ``plot`` extra; without it every plotting function raises one clear error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InvalidParameterError, SamboundsError

FORMATS = (".png", ".svg", ".pdf")


def new_figure(nrows: int = 1, ncols: int = 1, *, width: float = 6.4, height: float = 4.0):
    """A Figure on an Agg canvas and its axes (a 2-D array when nrows * ncols > 1)."""
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise SamboundsError("plotting needs matplotlib: pip install 'sambounds[plot]'") from None
    fig = Figure(figsize=(width * ncols, height * nrows), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, axes


def save(fig: Any, path: str | os.PathLike, *, dpi: int = 120) -> Path:
    """Write the figure; the format follows the suffix (.png, .svg or .pdf). Returns the path."""
    p = Path(path)
    if p.suffix.lower() not in FORMATS:
        raise InvalidParameterError("path", str(path), f"a file name ending in one of {FORMATS}")
    if not p.parent.exists():
        raise InvalidParameterError("path", str(path), "a path in an existing directory")
    fig.savefig(p, dpi=dpi)
    return p


def along(function: Any, trajectory: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f(x_t) and ||grad f(x_t)||^2 along a recorded trajectory.

    ``trajectory`` has the simulator's shape (T + 1, F, S, K, d); the results have shape
    (T + 1, F, S, K).
    """
    x = np.moveaxis(trajectory, 0, 1)  # (F, T+1, S, K, d): the function axis leads
    f = np.asarray(function.value(x))
    g = np.asarray(function.grad(x))
    return np.moveaxis(f, 1, 0), np.moveaxis((g * g).sum(axis=-1), 1, 0)
