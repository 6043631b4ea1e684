"""Seeded minibatch draws for the stochastic oracles of n-SAM and m-SAM.

Contract (so that a run can be reproduced bit for bit, and re-implemented by hand): at every
step the kernel draws U = uniform [0, 1) numbers of shape (F, S, K, b) from the backend's
generator (``numpy.random.Generator.random`` or ``torch.rand``) — one array for m-SAM, two for
n-SAM (ascent first, then descent) — and maps each u to the component index

    j(u) = #{k < n - 1 : c_k <= u},   c_k = p_0 + ... + p_k,

the inverse of the cumulative distribution, so P(j) = p_j.  Draws are i.i.d. with replacement
and are taken for every run, diverged or not, so the random stream does not depend on the
outcome of other runs.
"""

from __future__ import annotations

from typing import Any

from ..functions._xp import ops


def draw_components(backend: Any, rng: Any, cumulative: tuple[Any, bool], shape: tuple[int, ...]) -> Any:
    """Component indices of shape ``shape`` = (F, ..., b) (see the module contract)."""
    edges, shared = cumulative
    u = backend.uniform(rng, shape)
    if shared:
        return backend.searchsorted(edges[0], u)
    xp = ops(u)
    per_function = edges.reshape((edges.shape[0],) + (1,) * (len(shape) - 1) + (edges.shape[1],))
    return xp.sum(u[..., None] >= per_function, axis=-1)
