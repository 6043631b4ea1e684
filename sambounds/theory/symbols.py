"""The sympy symbols every catalog formula is written in.

Problem constants (docs/theory.md section 1): ``beta`` (smoothness), ``mu`` (strong convexity),
``rho`` (perturbation radius), ``eta`` (a constant step size), ``T`` (horizon), ``Delta``
(= f(x_0) - f*), ``D`` (= ||x_0 - x*||), ``sigma`` (gradient-noise level), ``L`` (Lipschitz
constant of f).

Schedule functionals, for bounds that hold for *any* schedule eta_0..eta_{T-1}; they are
computed from the Setting's schedule at query time (:mod:`.schedule_sums`):

=============  ===========================================================
``eta_max``    max_t eta_t
``sum_eta``    sum_{t<T} eta_t
``sum_eta2``   sum_{t<T} eta_t^2
``prod_mu``    prod_{t<T} (1 - mu eta_t)
``wsum_mu``    sum_{t<T} eta_t^2 prod_{t<s<T} (1 - mu eta_s)
=============  ===========================================================

Further symbols: ``a`` (offset of the decreasing rule eta_t = 2/(mu(t + a))), ``p`` and
``c`` (parameters of the lower-bound constructions L-S and L-NC), and ``sum_lambda3``
(sum of the cubed Hessian eigenvalues of a quadratic; not part of a Setting).

Assumptions are the weakest the Setting allows (rho, sigma, Delta, D may be 0), so sympy never
simplifies away a case a user can reach.
"""

from __future__ import annotations

import sympy as sp

beta = sp.Symbol("beta", positive=True)
mu = sp.Symbol("mu", positive=True)
rho = sp.Symbol("rho", nonnegative=True)
eta = sp.Symbol("eta", positive=True)
T = sp.Symbol("T", positive=True, integer=True)
Delta = sp.Symbol("Delta", nonnegative=True)
D = sp.Symbol("D", nonnegative=True)
sigma = sp.Symbol("sigma", nonnegative=True)
L = sp.Symbol("L", positive=True)

eta_max = sp.Symbol("eta_max", positive=True)
sum_eta = sp.Symbol("sum_eta", positive=True)
sum_eta2 = sp.Symbol("sum_eta2", positive=True)
prod_mu = sp.Symbol("prod_mu", real=True)
wsum_mu = sp.Symbol("wsum_mu", nonnegative=True)

a = sp.Symbol("a", positive=True)
p = sp.Symbol("p", positive=True)
c = sp.Symbol("c", positive=True)
sum_lambda3 = sp.Symbol("sum_lambda3", positive=True)

#: condition number beta/mu, written out so every formula stays in the base symbols
kappa = beta / mu

#: The Setting's constants, by name (the values a query reads from a Setting).
CONSTANTS: dict[str, sp.Symbol] = {s.name: s for s in (beta, mu, rho, eta, T, Delta, D, sigma, L)}
#: Functionals of a step-size schedule (see the module docstring).
SCHEDULE: dict[str, sp.Symbol] = {s.name: s for s in (eta_max, sum_eta, sum_eta2, prod_mu, wsum_mu)}
#: Parameters of a rule or construction, and problem data outside a Setting.
EXTRA: dict[str, sp.Symbol] = {s.name: s for s in (a, p, c, sum_lambda3)}
#: Every symbol a catalog formula may use.
ALL: dict[str, sp.Symbol] = {**CONSTANTS, **SCHEDULE, **EXTRA}


def namespace() -> dict[str, object]:
    """Names for :func:`sympy.sympify` so that a printed formula parses back to the same expression.

    Includes the symbols above (with their assumptions) and the numeric helper functions
    the catalog uses (:data:`sambounds.theory.lower_constants.c_LS`).
    """
    from .lower_constants import c_LS

    return {**ALL, "c_LS": c_LS}


def parse(value: object, name: str = "expr") -> sp.Basic:
    """A sympy expression from an expression or a string written in the catalog's symbols.

    Strings are parsed with :func:`namespace` (so ``beta`` is the smoothness symbol, not
    sympy's beta function).  Raises InvalidParameterError naming ``name`` on a parse error.
    """
    from ..errors import InvalidParameterError

    try:
        if isinstance(value, str):
            return sp.sympify(value, locals=namespace())
        return sp.sympify(value)
    except (sp.SympifyError, SyntaxError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidParameterError(name, value, "a formula in the catalog's symbols", str(exc)) from None
