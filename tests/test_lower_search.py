"""The search against lower bounds: claims wrong only off the grid (small rho, large kappa) are refuted.

The grid of a quick check has rho = 0.1 and kappa = 10 only; each claim below is the true L-SC
limit beta^3 eta^2 rho^2 / (2 (2 - beta eta)^2) inflated where the grid never looks, so the grid
alone witnesses it and only the search can refute it.
"""

from __future__ import annotations

import sympy as sp
import pytest

from sambounds.adversary.lower_search import search_lower, searchable
from sambounds.check.attack import budget as budget_for
from sambounds.check.lower import check_lower
from sambounds.check.report import Verdict
from sambounds.check.witness import rerun
from sambounds.errors import InvalidParameterError
from sambounds.theory.catalog import catalog
from sambounds.theory.user import register_bound

LIMIT = sp.sstr(catalog["L-SC/limit"].expr)


def _inflated(factor: str, name: str):
    return register_bound(f"({LIMIT})*({factor})", name=name, algorithm="sam", function_class="strongly-convex",
                          quantity="lim-gap", kind="lower", step="constant", step_limit="1/beta")


@pytest.mark.parametrize("factor,name,coordinate", [
    ("1 + 100*Max(0, 1/100 - beta*rho)", "wrong/small-rho", "rho"),      # false for beta rho < 0.01 only
    ("1 + Max(0, beta/mu - 200)/100", "wrong/large-kappa", "kappa"),      # false for kappa > 200 only
])
def test_a_claim_wrong_only_off_the_grid_is_refuted_by_the_search(factor, name, coordinate):
    claim = _inflated(factor, name)
    grid = check_lower(claim, construction="L-SC", rate=False, budget=0)
    assert grid.verdict is Verdict.WITNESSED   # what the fixed grid said before the search
    r = check_lower(claim, construction="L-SC", rate=False)
    assert r.verdict is Verdict.VIOLATED, r.evidence
    assert r.worst_ratio < 0.99
    found = r.worst
    beta = found["function_constants"]["beta"]
    if coordinate == "rho":
        assert beta * found["rho"] < 0.01
    else:
        assert beta / found["function_constants"]["mu"] > 200
    again = rerun(r.witness)
    assert again.matches and again.got["measured"] < again.got["bound"]


def test_the_search_is_seeded_and_refuses_a_bad_budget():
    claim, size = catalog["L-SC/limit"], budget_for(True)
    a = search_lower(claim, "L-SC", size=size, budget=12, seed=5)
    b = search_lower(claim, "L-SC", size=size, budget=12, seed=5)
    assert [t.ratio for t in a.weakest] == [t.ratio for t in b.weakest] and a.evaluations == b.evaluations > 0
    # the true limit is reached wherever the search looked (it is tight at every constant)
    assert all(t.ratio == pytest.approx(1.0, rel=1e-6) for t in a.weakest)
    for bad in (-1, 2.5, True):
        with pytest.raises(InvalidParameterError, match="budget"):
            search_lower(claim, "L-SC", size=size, budget=bad)
    with pytest.raises(InvalidParameterError, match="budget"):
        check_lower(claim, budget=-3)
    assert not searchable("L-S") and searchable("L-NC")
