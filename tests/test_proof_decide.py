"""The deciders of sambounds.proof: sound on what they accept, loud on what they cannot decide."""

import itertools
import random

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from sambounds.proof import Param
from sambounds.proof.decide import Context, certify, is_zero, nonneg

x, y = sp.symbols("x y", nonnegative=True)
a, b = sp.symbols("a b", real=True)
beta, eta = sp.symbols("beta eta", positive=True)
w = sp.Symbol("w", nonnegative=True)
CTX = Context()


def test_identities():
    assert is_zero((x + y)**2 - x**2 - 2 * x * y - y**2, CTX).ok
    assert is_zero(sp.exp(-sp.log(x + 1)) - 1 / (x + 1), CTX).ok
    assert not is_zero((x + y)**2 - x**2 - y**2, CTX).ok


@pytest.mark.parametrize("expr, expected", [
    (x**3 + 2 * x * y + 5, True),                   # non-negative coefficients on x, y >= 0
    ((a - b)**2, True),                            # factorization: a square
    (x**3 - 2 * x + 2, True),                      # univariate, no root on [0, oo): min 2 - 4/3 sqrt(2/3) > 0
    (x**2 - 3 * x + 2, False),                     # negative at x = 3/2
    (a**3, False),                                 # odd power of a real symbol
    (x * y - 1, False),
    (a**2 - a * b + b**2, False),                  # true, but beyond these rules: undecided, never passed
    (sp.Max(a, b) - a, True),
    (a - sp.Max(a, b), False),
    (sp.Min(a, b) - sp.Max(a, b), False),
    (sp.Abs(a) + a, True),
    (sp.exp(a) * x, True),
    (sp.log(x + 2), True),                         # log of something > 1
])
def test_nonneg(expr, expected):
    assert nonneg(expr, CTX).ok is expected


def test_params_encode_hypotheses():
    # 1 - beta eta >= 0 is undecidable for free eta, decided under 0 < eta <= 1/beta
    assert not nonneg(1 - beta * eta, CTX).ok
    ctx = Context((Param(eta, 1 / (beta * (1 + w)), w, 1 / (beta * eta) - 1, "eta <= 1/beta"),))
    assert nonneg(1 - beta * eta, ctx).ok
    assert not nonneg(beta * eta - 1, ctx).ok


def test_certificate_multipliers():
    # from a <= b and b <= 1 (facts), a <= 1; with only one fact it is not derivable
    gap_ab, gap_b1 = b - a, 1 - b
    assert certify(1 - a, [(gap_ab, 1), (gap_b1, 1)], CTX).ok
    assert not certify(1 - a, [(gap_ab, 1)], CTX).ok
    # per-branch fact use: max(q m, B) - max(q X, B) >= 0 from X <= m, q in [0, 1]
    q, m, X, B = sp.symbols("q m X B", nonnegative=True)
    assert certify(sp.Max(q * m, B) - sp.Max(q * X, B), [(m - X, q)], CTX).ok
    assert not certify(sp.Max(q * m, B) - sp.Max(q * X, B), [], CTX).ok


def test_strict():
    assert nonneg(x + 1, CTX, strict=True).ok
    assert not nonneg(x, CTX, strict=True).ok
    assert nonneg(x, CTX).ok


def _value(expr, point):
    return float(expr.xreplace(point))


@given(st.lists(st.integers(-3, 3), min_size=6, max_size=6))
def test_accepted_polynomials_are_nonnegative(coeffs):
    """Soundness against an independent check: whatever the decider accepts is >= 0 on a grid."""
    monomials = [1, x, y, x * y, x**2, y**2]
    expr = sp.Add(*[c * m for c, m in zip(coeffs, monomials)])
    if nonneg(expr, CTX).ok:
        grid = [0, 0.1, 0.5, 1, 2, 7, 30]
        assert all(_value(expr, {x: u, y: v}) >= -1e-12 for u, v in itertools.product(grid, grid))


@given(st.lists(st.integers(-4, 4), min_size=4, max_size=4))
def test_accepted_univariate_are_nonnegative(coeffs):
    expr = sp.Add(*[c * x**k for k, c in enumerate(coeffs)])
    if nonneg(expr, CTX).ok:
        rng = random.Random(0)
        assert all(_value(expr, {x: rng.uniform(0, 10)}) >= -1e-9 for _ in range(200))
