"""The symbols proofs are written in, with their sign assumptions (docs/theory.md notation).

Sign assumptions are part of every theorem's hypotheses: ``beta, mu, rho, eta > 0``; norms
``G = ||grad f(x)||``, ``E = ||e||`` are ``>= 0``; function values and inner products are real.
Slack variables of changes of variables are ``>= 0``.  Sequences indexed by the iteration
(``f[t] = f(x_t)``, ``G[t]``, ``eta[t]``) are IndexedBase objects.
"""

from __future__ import annotations

import sympy as sp

beta, mu, rho, eta, sigma, Delta = sp.symbols("beta mu rho eta sigma Delta", positive=True)
G, E = sp.symbols("G E", nonnegative=True)
f, f_next, fstar = sp.symbols("f f_next fstar", real=True)
T = sp.Symbol("T", integer=True, nonnegative=True)
t = sp.Symbol("t", integer=True, nonnegative=True)
#: The universal iteration index: a param on ``x[k]`` states its hypothesis for every k < T.
k = sp.Symbol("k", integer=True, nonnegative=True)

f_ = sp.IndexedBase("f", real=True)
G_ = sp.IndexedBase("G", nonnegative=True)
eta_ = sp.IndexedBase("eta", positive=True)

w, v, s, r, q = sp.symbols("w v s r q", nonnegative=True)

kappa = beta / mu


def slack(name: str) -> sp.Symbol:
    """A fresh slack variable ``>= 0``."""
    return sp.Symbol(name, nonnegative=True)
