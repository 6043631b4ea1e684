"""The batched update rules of SAM, n-SAM, m-SAM, USAM and GD (docs/theory.md section 1).

One array program runs every trajectory of the batch at once; the only Python loop is over
the steps t = 0..T-1.  Iterates have shape (F, S, K, d): F functions x S starting points x
K schedules, d coordinates.  With g = grad f(x_t) and eta_t the run's step size,

- SAM:   y_t = x_t + rho u(g),            x_{t+1} = x_t - eta_t grad f(y_t)
- USAM:  y_t = x_t + rho g,               x_{t+1} = x_t - eta_t grad f(y_t)
- GD:                                     x_{t+1} = x_t - eta_t g
- n-SAM: y_t = x_t + rho u(grad l(x_t; B_t)),  x_{t+1} = x_t - eta_t grad l(y_t; B'_t), B'_t independent of B_t
- m-SAM: y_t = x_t + rho u(grad l(x_t; B_t)),  x_{t+1} = x_t - eta_t grad l(y_t; B_t)  (the same minibatch)

where grad l(.; B) is the mean of the component gradients over a minibatch B of b indices drawn
i.i.d. from the component probabilities (:mod:`.sampling`).

Zero-gradient convention and safe normalization (docs/theory.md sections 1 and 7): u(g) = 0 when
g = 0 exactly (so y_t = x_t); otherwise u(g) = g/||g||, computed as (g/s)/||g/s|| with
s = max_i |g_i| wherever ||g||^2 would underflow (||g|| below ~1e-140) or overflow, so tiny and
huge gradients still give a unit vector (see :func:`normalized`).

Divergence: x_t is flagged when f(x_t) or ||grad f(x_t)||^2 is not finite, when ||x_t|| exceeds
the absolute ``threshold``, or (deterministic algorithms) when it has left the region the run
started in, ||x_t - x_c|| > DIVERGENCE_FACTOR * max(||x_0 - x_c||, rho, eta_0 ||grad f(x_0)||)
with x_c the function's minimizer x* when it is known and x_0 otherwise.  A convergent run stays
within ||x_0 - x*|| (contraction) plus O(eta beta rho) (SAM's neighbourhood, the 2-cycle of
docs/theory.md section 5), far inside that region; a run that grew 10^4 times past every length of
its own data is no result (e.g. GD on x^2/2 with eta = 3 from x_0 = 1: |x_t| = 2^t, flagged at
t = 15).  Stochastic runs keep the absolute threshold only, since their noise moves x_t by amounts
that no quantity at t = 0 measures.  The run's ``diverged_at`` becomes t, its iterate is frozen at the last good
x_{t-1} (so no NaN or inf is ever stored) and its metrics follow :mod:`.metrics`.  Floating-point
warnings inside the loop are silenced because this check reports them per run.

Memory: the loop owns four arrays of the iterate's shape (F, S, K, d) -- x_t and x_{t+1}
(alternating, so x_t survives for the freeze above), g_t (then the direction) and y_t / scratch -- and
every step writes into them (``out=``, see :mod:`sambounds.functions._xp`), so memory is
O(F S K d) whatever T, and a family with an in-place gradient (``grad_into``: the quadratics)
allocates no batch-sized array per step.  Only ``record`` keeps the T + 1 iterates.  Each
in-place operation is rounded exactly as the expression it stands for (x_t - (eta_t d),
x_t + (rho (g/||g||))), so the iterates are those of the same loop written with temporaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..functions._xp import lead, ops
from ..setting import Algorithm
from .metrics import Accumulator, RunMetric
from .sampling import draw_components

#: a deterministic run is diverged once ||x_t - x_c|| exceeds this multiple of its starting scale
DIVERGENCE_FACTOR = 1e4
#: squared starting scale of a run that starts at x_c with zero gradient and rho = 0 (it never moves)
_TINY = 1e-300


def normalized(g: Any, gsq: Any = None, out: Any = None) -> Any:
    """u = g/||g|| along the last axis; u = 0 where g = 0 (the zero-gradient convention).

    ``gsq`` = ||g||^2 when the caller has it.  Where ||g||^2 lies outside [1e-280, 1e280] (it
    underflowed, is about to, or overflowed) u is computed as (g/s)/||g/s||, s = max_i |g_i|
    (docs/theory.md section 7); inside that range the two formulas agree to rounding.  ``out``,
    an array of g's shape, receives u when every ||g||^2 is in that range (the simulator's
    loop); otherwise u is a new array.
    """
    xp = ops(g)
    if gsq is None:
        gsq = xp.sumsq(g)
    safe = (gsq >= 1e-280) & (gsq <= 1e280)
    if bool(safe.all()):
        return xp.div(g, xp.sqrt(gsq)[..., None], out=out)
    s = xp.max(xp.abs(g), axis=-1, keepdims=True)
    gs = g / (s + (s == 0))
    n = xp.sqrt(xp.sumsq(gs))[..., None]
    scaled = gs / (n + (n == 0))
    fast = g / xp.sqrt(xp.where(safe, gsq, 1.0))[..., None]
    return xp.where(safe[..., None], fast, scaled)


@dataclass(frozen=True)
class RawRun:
    """What :func:`run` returns (NumPy arrays; batch shape (F, S, K))."""

    gap: RunMetric | None
    grad_sq: RunMetric
    dist_sq: RunMetric | None
    weighted_grad_sq_sum: np.ndarray
    value_initial: np.ndarray
    value_final: np.ndarray
    x_final: np.ndarray
    diverged_at: np.ndarray
    trajectory: np.ndarray | None


def run(objective: Any, x0: Any, steps: Any, *, algorithm: Algorithm, rho: float, backend: Any,
        rng: Any = None, batch_size: int = 1, threshold: float = 1e100, record: bool = False,
        step: Any = None) -> RawRun:
    """Run T = steps.shape[1] steps of ``algorithm`` on the whole batch.

    ``objective`` must already live on ``backend`` (see ``backend.objective``); ``x0`` is a
    backend array of shape (F, S, K, d) and ``steps`` one of shape (K, T).  ``rng`` is the
    backend's generator (used by n-SAM and m-SAM only).

    ``step``, when given, replaces the update rule of ``algorithm``: it is called as
    ``step(x_t, g_t, t, eta_t)`` with g_t = grad f(x_t) and eta_t of shape (1, 1, K, 1) and returns
    x_{t+1} (the same shape as x_t).  This is how an outside implementation (an adapted torch /
    optax / NumPy optimizer, :mod:`sambounds.adapters`) is run under the same metrics, divergence
    flags and checkers as the built-in rules.
    """
    xp = ops(x0)
    T = int(steps.shape[1])
    K = int(steps.shape[0])
    eta = steps.T.reshape((T, 1, 1, K, 1))
    x = x0
    like = x[..., 0]
    f_star = getattr(objective, "f_star", None)
    x_star = getattr(objective, "x_star", None)
    f_star = None if f_star is None else lead(backend.asarray(f_star), x)
    # x - 0 = x exactly: with x* = 0, ||x_t - x*||^2 is ||x_t||^2, which the threshold test needs anyway
    star_zero = x_star is not None and not np.any(np.asarray(x_star))
    x_star = None if x_star is None else lead(backend.asarray(x_star), x)
    # Buffers of the iterate's shape, reused at every step (memory O(batch x d), independent of T):
    # x_{t+1} alternates between the two ``ring`` arrays (x_t stays intact for the divergence
    # freeze); ``work`` holds y_t or scratch; ``g_buf`` holds g_t and then the direction (g_t is
    # not read once y_t is formed), so four arrays in all, as a hand-written in-place loop needs.
    # They keep x_0's layout (reductions then round as on fresh temporaries), except ``g_buf``:
    # C order, as a family's matmul writes its gradient (several schedules make x_0 strided).
    # An outside ``step`` may keep references to the x_t and g_t it is given: it gets fresh ones.
    own = step is None
    ring = (xp.empty_like(x0), xp.empty_like(x0)) if own else None
    g_buf = xp.empty_like(x0, contiguous=True) if own else None
    work = xp.empty_like(x0)
    with backend.errstate():
        alive = xp.isfinite(like)
        diverged_at = backend.asarray(np.full(tuple(like.shape), -1.0))
        acc_gap = Accumulator(xp, like, T) if f_star is not None else None
        acc_dist = Accumulator(xp, like, T) if x_star is not None else None
        acc_grad = Accumulator(xp, like, T)
        weighted = xp.zeros_like(like)
        trajectory = [] if record else None
        x_prev = x
        all_alive = bool(alive.all())
        cumulative = _cumulative(objective, backend) if algorithm.stochastic else None
        relative = not algorithm.stochastic
        for t in range(T + 1):
            f, g = objective.value_and_grad_into(x, g_buf, work)
            gsq = xp.sumsq(g)
            x_sq = xp.sumsq(x)
            dist = _dist_sq(xp, x, x_star, star_zero, x_sq, work)
            # divergence check (module docstring): non-finite values, the absolute threshold and,
            # for deterministic runs, the region the run started in
            ok = xp.isfinite(f) & xp.isfinite(gsq) & (x_sq <= threshold * threshold)
            if relative:
                spread = dist if x_star is not None else xp.sumsq(xp.sub(x, x0, out=work))
                if t == 0:
                    scale_sq = xp.maximum(xp.maximum(spread, eta[0][..., 0] ** 2 * gsq), spread * 0 + rho * rho)
                    radius_sq = xp.where(scale_sq > 0, scale_sq, spread * 0 + _TINY) * DIVERGENCE_FACTOR**2
                ok = ok & (spread <= radius_sq)
            newly = alive & ~ok
            if bool(newly.any()):       # rare: only then pay for the masked copies
                diverged_at = xp.where(newly, float(t), diverged_at)
                alive = alive & ok
                all_alive = False
                x = xp.where(newly[..., None], x_prev, x)
                dist = _dist_sq(xp, x, x_star, star_zero, None, work)
            if record:
                trajectory.append(backend.to_numpy(x).copy())
            gap = None if f_star is None else f - f_star
            if t == T:
                break
            for acc, q in ((acc_gap, gap), (acc_dist, dist), (acc_grad, gsq)):
                if acc is not None:
                    acc.step(t, q, None if all_alive else alive)
            if all_alive:
                xp.add(weighted, eta[t][..., 0] * gsq, out=weighted)
            else:
                weighted = xp.where(alive, weighted + eta[t][..., 0] * gsq, weighted)
            if t == 0:
                value_initial = xp.where(alive, f, acc_grad.inf)
            if own:
                x_next = ring[1] if x is ring[0] else ring[0]
                direction = _descent_direction(objective, algorithm, x, g, gsq, rho, backend, rng, cumulative,
                                               batch_size, y=work, out=g_buf, work=x_next)
                # x_t - eta_t * direction, rounded as (eta_t * direction) first, as written
                x_new = xp.sub(x, xp.mul(direction, eta[t], out=x_next), out=x_next)
            else:
                x_new = step(x, g, t, eta[t])
            x_prev = x
            if all_alive:
                x = x_new
            elif own:                   # frozen runs keep x_t (x_new is the kernel's own buffer)
                x = xp.put(x_new, x, ~alive[..., None])
            else:
                x = xp.where(alive[..., None], x_new, x)
        for acc, q in ((acc_gap, gap), (acc_dist, dist), (acc_grad, gsq)):
            if acc is not None:
                acc.finish(q, alive)
        weighted = xp.where(alive, weighted, acc_grad.inf)
        value_final = xp.where(alive, f, acc_grad.inf)

    def out(a):
        arr = np.array(backend.to_numpy(a), dtype=np.float64, copy=True)
        arr.setflags(write=False)
        return arr

    div = np.array(backend.to_numpy(diverged_at), dtype=np.int64)
    div.setflags(write=False)
    traj = None
    if record:
        traj = np.stack(trajectory).astype(np.float64, copy=False)
        traj.setflags(write=False)
    return RawRun(
        gap=None if acc_gap is None else acc_gap.result(backend.to_numpy),
        grad_sq=acc_grad.result(backend.to_numpy),
        dist_sq=None if acc_dist is None else acc_dist.result(backend.to_numpy),
        weighted_grad_sq_sum=out(weighted), value_initial=out(value_initial), value_final=out(value_final),
        x_final=out(x), diverged_at=div, trajectory=traj)


def _descent_direction(objective, algorithm, x, g, gsq, rho, backend, rng, cumulative, batch_size,
                       y=None, out=None, work=None):
    """The vector that x_t moves against: grad f(y_t), g, or the sampled gradient at y_t.

    ``y`` receives y_t, ``out`` the direction where the family can write it and ``work`` is the
    family's scratch (arrays of x's shape, or None to allocate); the result is read only.
    """
    xp = ops(x)
    if algorithm is Algorithm.GD:
        return g
    if algorithm is Algorithm.SAM:
        return objective.grad_into(_ascent_point(xp, x, normalized(g, gsq, out=y), rho, y), out, work)
    if algorithm is Algorithm.USAM:
        return objective.grad_into(_ascent_point(xp, x, g, rho, y), out, work)
    # n-SAM / m-SAM: ascent minibatch first, then (n-SAM only) an independent descent minibatch
    shape = tuple(x.shape[:-1]) + (batch_size,)
    idx_ascent = draw_components(backend, rng, cumulative, shape)
    y = _ascent_point(xp, x, normalized(objective.component_grad(x, idx_ascent), out=y), rho, y)
    if algorithm is Algorithm.M_SAM:
        return objective.component_grad(y, idx_ascent)
    idx_descent = draw_components(backend, rng, cumulative, shape)
    return objective.component_grad(y, idx_descent)


def _ascent_point(xp, x, v, rho, out):
    """y_t = x_t + rho v, rounded as x + (rho v); ``v`` may be ``out`` itself."""
    return xp.add(x, xp.mul(v, rho, out=out), out=out)


def _dist_sq(xp, x, x_star, star_zero, x_sq, work):
    """||x_t - x*||^2 (None without x*); ``x_sq`` = ||x_t||^2 when known, ``work`` a scratch array."""
    if x_star is None:
        return None
    if star_zero:
        return xp.sumsq(x) if x_sq is None else x_sq
    return xp.sumsq(xp.sub(x, x_star, out=work))


def _cumulative(objective, backend):
    return backend.cumulative(np.asarray(objective.probs)), bool(np.all(objective.probs == objective.probs[:1]))


def deterministic_direction(objective: Any, algorithm: Algorithm, x: Any, g: Any, rho: float) -> Any:
    """The vector a deterministic rule moves x_t against: grad f(y_t) for SAM / USAM, g for GD.

    x_{t+1} = x_t - eta_t * deterministic_direction(...): the one-step reference that
    :func:`sambounds.adapters.conform` compares an outside implementation with.
    """
    if algorithm.stochastic:
        raise ValueError("deterministic_direction: n-SAM / m-SAM sample minibatches")  # pragma: no cover
    return _descent_direction(objective, algorithm, x, g, None, rho, None, None, None, 1)
