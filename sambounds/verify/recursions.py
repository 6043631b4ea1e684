"""Per-step theorems of docs/theory.md section 4 unrolled on an arbitrary schedule.

The catalog states Theorem A and S-SC for a constant (or prescribed) step.  Their proofs are
one-step inequalities, so they hold step by step for any schedule whose every step satisfies
the step condition; unrolling the recursion gives a certified bound for that schedule.  With
P_k = prod_{k <= s < T} (1 - mu eta_s) (P_T = 1):

**Theorem A, unrolled** (D-SC; deterministic SAM, beta-smooth mu-strongly convex f, every
eta_t <= 1/(2 beta)):  f_{t+1} - f* <= max{(1 - mu eta_t)(f_t - f*), B(eta_t)} with
B(eta) = beta^4 rho^2 eta^2/(8 mu (1 - beta eta)^2) + beta^3 rho^2 eta^2/2.  Since the factors
are >= 0 they distribute over the max, and

    f(x_T) - f* <= max{ P_0 Delta,  max_{k<T} B(eta_k) P_{k+1} }.

For a constant step this is max{(1 - mu eta)^T Delta, B(eta)}, the catalog's
``D-SC/theorem-a/constant``.  Proof: ``proofs/d_sc_theorem_a``.

**S-SC, unrolled** (n-SAM / m-SAM, every eta_t <= 1/beta): the one-step inequality
E f(x+) <= f(x) - (eta/2) G^2 + eta beta^2 rho^2/2 + beta eta^2 sigma_*^2/2 with G^2 >= 2 mu (f - f*)
(PL) gives e_{t+1} <= (1 - mu eta_t) e_t + c(eta_t), c(eta) = eta beta^2 rho^2/2 + beta eta^2 sigma_*^2/2,
for e_t = E f(x_t) - f* (the recursion is linear with factors >= 0, so it passes to
expectations), hence

    E f(x_T) - f* <= P_0 Delta + sum_{k<T} c(eta_k) P_{k+1}.

For a constant step this is (1 - mu eta)^T Delta + (beta^2 rho^2/(2 mu) + beta eta sigma_*^2/(2 mu))
(1 - (1 - mu eta)^T), at most the catalog's ``S-SC/constant``.  Proof: ``proofs/s_sc``.

Both apply with rho = 0 (gradient descent / SGD), where they are the classical recursions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..schedules import sigma_star_sq
from ..setting import Algorithm, FunctionClass, Setting
from ..theory.terms import Quantity


@dataclass(frozen=True)
class Recursion:
    """A derived per-step theorem unrolled on the Setting's schedule.

    ``value`` is None unless ``applies``; ``first_failing_t`` names the first step that breaks
    the step condition (None when every step satisfies it).
    """

    name: str
    quantity: Quantity
    value: float | None
    applies: bool
    condition: str
    first_failing_t: int | None
    reason: str | None
    proof: str
    statement: str
    provenance: str = "derived"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "quantity": self.quantity.value, "value": self.value, "applies": self.applies,
                "condition": self.condition, "first_failing_t": self.first_failing_t, "reason": self.reason,
                "proof": self.proof, "statement": self.statement, "provenance": self.provenance}


def first_violation(steps: np.ndarray, limit: float, strict: bool = False) -> int | None:
    """The first t with eta_t > limit (eta_t >= limit when the limit is strict), or None."""
    bad = np.flatnonzero(steps >= limit if strict else steps > limit)
    return int(bad[0]) if bad.size else None


def suffix_products(steps: np.ndarray, mu: float) -> np.ndarray:
    """P_k = prod_{k <= s < T} (1 - mu eta_s) for k = 0..T (P_T = 1), from one reversed cumprod."""
    factors = 1.0 - mu * steps
    return np.append(np.cumprod(factors[::-1])[::-1], 1.0)


def theorem_a(steps: np.ndarray, *, beta: float, mu: float, rho: float, Delta: float) -> float:
    """max{P_0 Delta, max_k B(eta_k) P_{k+1}} (requires every eta_k <= 1/(2 beta))."""
    P = suffix_products(steps, mu)
    B = beta**4 * rho**2 * steps**2 / (8.0 * mu * (1.0 - beta * steps) ** 2) + beta**3 * rho**2 * steps**2 / 2.0
    return float(max(P[0] * Delta, float(np.max(B * P[1:]))))


def stochastic_sc(steps: np.ndarray, *, beta: float, mu: float, rho: float, Delta: float,
                  sigma_star2: float) -> float:
    """P_0 Delta + sum_k c(eta_k) P_{k+1} (requires every eta_k <= 1/beta)."""
    P = suffix_products(steps, mu)
    c = steps * beta**2 * rho**2 / 2.0 + beta * steps**2 * sigma_star2 / 2.0
    return float(P[0] * Delta + np.dot(c, P[1:]))


def recursions(setting: Setting) -> tuple[Recursion, ...]:
    """The unrolled per-step theorems about this Setting (empty when none is about it)."""
    c = setting.constants
    if setting.function_class is not FunctionClass.STRONGLY_CONVEX or not setting.has_schedule:
        return ()
    steps = setting.steps
    beta, mu, rho, Delta = c.beta, c.mu, setting.rho, c.Delta
    out = []
    if setting.algorithm in (Algorithm.SAM, Algorithm.GD):
        limit = 1.0 / (2.0 * beta)
        out.append(_judge("D-SC/theorem-a/unrolled", Quantity.GAP, steps, limit, "eta_t <= 1/(2 beta)",
                          Delta, lambda: theorem_a(steps, beta=beta, mu=mu, rho=rho, Delta=Delta),
                          "d_sc_theorem_a",
                          "Theorem A per step, f_{t+1} - f* <= max{(1 - mu eta_t)(f_t - f*), B(eta_t)}, unrolled: "
                          "f(x_T) - f* <= max{P_0 Delta, max_k B(eta_k) P_{k+1}}, P_k = prod_{s>=k} (1 - mu eta_s)."))
    if setting.algorithm.stochastic:
        s2 = sigma_star_sq(setting.algorithm.value, beta, rho, c.sigma)
        out.append(_judge(f"S-SC/unrolled/{setting.algorithm.value}", Quantity.E_GAP, steps, 1.0 / beta,
                          "eta_t <= 1/beta", Delta,
                          lambda: stochastic_sc(steps, beta=beta, mu=mu, rho=rho, Delta=Delta, sigma_star2=s2),
                          "s_sc",
                          "S-SC one-step inequality plus PL, unrolled: E f(x_T) - f* <= P_0 Delta + sum_k "
                          "(eta_k beta^2 rho^2/2 + beta eta_k^2 sigma_*^2/2) P_{k+1}."))
    return tuple(out)


def _judge(name, quantity, steps, limit, text, Delta, evaluate, proof, statement) -> Recursion:
    condition = f"{text} = {limit:.6g} for every t"
    t = first_violation(steps, limit)
    if t is not None:
        return Recursion(name, quantity, None, False, condition, t,
                         f"step condition {text} = {limit:.6g} fails at t = {t} (eta_{t} = {steps[t]:.6g})",
                         proof, statement)
    if Delta is None:
        return Recursion(name, quantity, None, False, condition, None, "needs Delta, which is not given",
                         proof, statement)
    with np.errstate(over="ignore", invalid="ignore"):
        value = evaluate()
    if not np.isfinite(value):
        return Recursion(name, quantity, None, False, condition, None,
                         "the value is not finite in float64 for these constants", proof, statement)
    return Recursion(name, quantity, value, True, condition, None, None, proof, statement)
