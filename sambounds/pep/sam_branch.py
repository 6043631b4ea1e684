"""Spatial branch and bound on SAM's gradient norms: a smaller certified upper value.

The relaxation's only nonconvex step is <d_t, g_t> = rho ||g_t||, relaxed on a box
a_t <= ||g_t|| <= b_t to the secant of sqrt on [a_t^2, b_t^2] (:mod:`sambounds.pep.sam_chordal`);
the secant is loose where the box is wide.  Splitting the box of one step in two and
solving both halves gives two relaxations whose larger value is still an upper bound on
every SAM run with norms in the parent box, and usually a smaller one.

Soundness.  The root box prod_t [0, B_t] holds the norms of every SAM run of the class
(B_t from :func:`sambounds.pep.sam_windowed.gradient_bounds`), and the leaves partition it,
so max over the leaves of their relaxation values is an upper bound on the worst case (up to
the solver's tolerance).  A child is dropped only on the solver's status ``infeasible``
(Clarabel's certificate of infeasibility: no run has norms in that box); a child whose solve
fails otherwise keeps its parent's value, which is an upper bound for it too.

Which step to split: the one whose relaxed point is farthest from SAM's constraint,
rho ||g_t|| - <d_t, g_t> (>= 0 by Cauchy-Schwarz with ||d_t|| = rho), at the relaxed value of
||g_t|| (kept within the middle 60 % of the box so both halves shrink).  Best first: the leaf
with the largest value is split, so the reported upper value decreases monotonically.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np

from ..errors import SolverError
from .problem import Spec
from .sam_chordal import ChordalProgram, ChordalSolution


@dataclass(frozen=True)
class Leaf:
    """A box of gradient norms with its relaxation value (normalized); ``solution`` None: inherited."""

    value: float
    box: tuple[tuple[float, float], ...]
    program: ChordalProgram | None
    solution: ChordalSolution | None


@dataclass(frozen=True)
class BranchResult:
    upper: float                    # max over the leaves: a certified upper value
    leaves: tuple[Leaf, ...]
    programs: int                   # relaxations solved (the root included)
    pruned: int                     # children the solver certified infeasible
    inherited: int                  # children whose solve failed (parent's value kept)


def split_step(leaf: Leaf, rho: float) -> tuple[int, float]:
    """(t, m): the step whose secant is loosest at the leaf's solution, and where to cut its box."""
    prog, sol = leaf.program, leaf.solution
    best_t, best_gap, cut = 0, -1.0, None
    for t in range(prog.T):
        blk = prog.layout.block_of_step(t)
        i, j = blk.basis.index(f"g{t}"), blk.basis.index(f"d{t}")
        N = sol.blocks[blk.index]
        norm = float(np.sqrt(max(N[i, i], 0.0)))
        a, b = leaf.box[t]
        gap = rho * norm - float(N[i, j])
        if b - a > 1e-6 * max(b, 1e-12) and gap > best_gap:
            best_t, best_gap, cut = t, gap, float(np.clip(norm, a + 0.2 * (b - a), b - 0.2 * (b - a)))
    if cut is None:
        a, b = leaf.box[0]
        return 0, (a + b) / 2
    return best_t, cut


def branch_and_bound(spec: Spec, window: int, bounds, root: tuple[ChordalProgram, ChordalSolution], *,
                     max_programs: int, lower: float = -np.inf, solver: str = "clarabel",
                     options: dict | None = None) -> BranchResult:
    """Best-first branch and bound from the root relaxation with box prod [0, B_t].

    Stops after ``max_programs`` relaxations, or when the largest leaf is within 1e-6
    (relative) of ``lower`` (a value some function attains), or when no box can be split.
    """
    rho = float(spec.normalized()[2])
    box0 = tuple((0.0, float(b)) for b in bounds)
    heap: list = []
    counter = 0

    def push(leaf: Leaf):
        nonlocal counter
        heapq.heappush(heap, (-leaf.value, counter, leaf))
        counter += 1

    push(Leaf(root[1].value, box0, *root))
    programs, pruned, inherited = 1, 0, 0
    while programs + 2 <= max_programs and heap:
        top = heap[0][2]
        if top.value <= lower * (1 + 1e-6) + 1e-12 or top.solution is None:
            break
        heapq.heappop(heap)
        t, m = split_step(top, rho)
        for lo, hi in ((top.box[t][0], m), (m, top.box[t][1])):
            box = top.box[:t] + ((lo, hi),) + top.box[t + 1:]
            prog = ChordalProgram(spec, window, "relax", box=box, solver=solver, options=options)
            programs += 1
            try:
                sol = prog.solve()
            except SolverError as exc:
                if exc.status == "infeasible":
                    pruned += 1
                else:
                    inherited += 1
                    push(Leaf(top.value, box, None, None))
                continue
            value = min(sol.value, top.value)     # a child's true maximum is below its parent's bound
            push(Leaf(value, box, prog, sol))
    leaves = tuple(item[2] for item in heap)
    upper = max((leaf.value for leaf in leaves), default=lower)
    return BranchResult(float(upper), leaves, programs, pruned, inherited)
