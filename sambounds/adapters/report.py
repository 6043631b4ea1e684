"""The values :func:`~.conformance.conform` returns: per-rule fits, the perturbation, the readable summary.

See :mod:`.conformance` for how each number is measured.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import InvalidParameterError


@dataclass(frozen=True)
class Deviation:
    """Where a rule's per-step deviation first exceeds the tolerance (or its worst step)."""

    probe: str
    function: int
    start: int
    step: int
    value: float

    def describe(self) -> str:
        return f"step t={self.step} on {self.probe} [function {self.function}, start {self.start}]: {self.value:.3g}"


@dataclass(frozen=True)
class RuleFit:
    """How closely the optimizer follows one reference rule on the deciding probes.

    ``eps`` is 0 for the reference rules; the extra SAM fit with the implementation's measured
    eps (u = g/(||g|| + eps)) has it > 0, so an eps-normalized SAM shows its deviation from the
    eps-free reference *and* that nothing else differs.
    """

    algorithm: str
    rho: float
    max_deviation: float
    median_deviation: float
    worst: Deviation | None
    first_exceeding: Deviation | None
    eps: float = 0.0

    @property
    def name(self) -> str:
        return self.algorithm if self.eps == 0 else f"{self.algorithm}+eps"


@dataclass(frozen=True)
class Perturbation:
    """The perturbation y_t - x_t the optimizer applies.

    ``radius`` = (min, median, max) of ||y_t - x_t|| / rho over the deciding probes; ``cosine`` =
    (min, max) of cos(y_t - x_t, g_t) (+1: ascent along the gradient; -1: the sign is flipped);
    ``gain`` = (min, max) of ||y_t - x_t|| / (rho ||g_t||) (constant for USAM).
    ``shrink``: pairs (||g||, ||y - x||/rho) of the near-zero-gradient probe; ``eps``: the eps of
    rho g/(||g|| + eps) those pairs imply (median; None when the radius never shrinks);
    ``at_zero``: what the optimizer does at g = 0 exactly; ``residual``: max |(||y - x||/rho) /
    (||g||/(||g|| + eps)) - 1| on the deciding probes, the radius error the eps does not explain
    (rounding: ~1e-16; an eps estimated to a few per cent: <= 1e-9; a norm accumulated in float32: ~1e-7).
    """

    radius: tuple
    cosine: tuple
    gain: tuple
    shrink: tuple
    eps: float | None
    at_zero: str
    residual: float | None = None

    @property
    def normalized(self) -> bool:
        return self.radius[2] - self.radius[0] <= 1e-6 * max(self.radius[2], 1e-300) and self.radius[1] > 0


@dataclass(frozen=True)
class ConformanceResult:
    """What :func:`conform` found; :meth:`summary` is the readable report."""

    optimizer: str
    framework: str
    api: str | None
    T: int
    rho: float | None
    rho_given: bool
    match: str | None
    fits: tuple
    perturbation: Perturbation
    trajectory_deviation: float | None
    tol: float
    probes: tuple

    def fit(self, algorithm: str) -> RuleFit:
        """The fit of rule ``algorithm`` ("sam", "usam", "gd", or "sam+eps" when an eps was measured)."""
        for f in self.fits:
            if f.name == algorithm:
                return f
        raise InvalidParameterError("algorithm", algorithm, f"one of {[f.name for f in self.fits]}")

    @property
    def closest(self) -> RuleFit:
        return min(self.fits, key=lambda f: f.max_deviation)

    def diagnosis(self) -> tuple[str, ...]:
        """Plain-language findings about the perturbation and the descent gradient."""
        p = self.perturbation
        out = []
        if p.cosine[1] < -0.999:
            out.append("the perturbation points against the gradient (cos(y - x, g) = -1): its sign is flipped")
        if self.match == "usam":
            out.append("the perturbation is not normalized: ||y - x|| = rho ||g|| (USAM)")
        if self.match == "gd" and p.radius[1] > 0:
            out.append(f"it evaluates a gradient at y_t (||y - x|| = {p.radius[1]:.3g} rho) but its update is "
                       "GD's: the descent gradient is taken at x_t, not at y_t")
        if p.eps is not None:
            with_eps = self.fit("sam+eps")
            out.append(f"its normalization has an eps: ||y - x|| = rho ||g||/(||g|| + eps) with eps ~ {p.eps:.2g} "
                       "(the radius shrinks below rho near zero gradients); SAM with that eps: per-step deviation "
                       f"max {with_eps.max_deviation:.3g}")
        if self.match == "sam" and p.residual is not None and 1e-9 < p.residual < 1e-5:
            out.append(f"||y - x||/rho differs from its model by up to {p.residual:.2g} (beyond what the eps "
                       "explains): its ||g|| is rounded in lower precision than float64 (float32 rounding is "
                       "6e-8), which sets the per-step deviation")
        if p.at_zero.startswith("error"):
            out.append(f"at g = 0 exactly it fails: {p.at_zero[len('error: '):]}")
        return tuple(out)

    def summary(self) -> str:
        rho = "inferred per rule" if self.rho is None else f"{self.rho:g} ({'given' if self.rho_given else 'inferred'})"
        head = (f"conformance of {self.optimizer}" + (f", {self.api} API" if self.api else "")
                + f": T = {self.T} steps, probes {', '.join(self.probes)}, rho {rho}")
        if self.match is not None:
            best = self.fit(self.match)
            if best.max_deviation > self.tol:
                best = self.fit("sam+eps")
            eps = f", with eps = {best.eps:.2g}" if best.eps else ""
            alias = " (= n-SAM = m-SAM with full gradients)" if self.match == "sam" else ""
            verdict = (f"matches {self.match.upper()} with rho = {best.rho:g}{eps}{alias}: per-step deviation max "
                       f"{best.max_deviation:.3g}, median {best.median_deviation:.3g} (tolerance {self.tol:g})")
        else:
            c = self.closest
            verdict = (f"matches NO reference rule: closest {c.algorithm.upper()} with per-step deviation "
                       f"{c.max_deviation:.3g} > tolerance {self.tol:g}")
        lines = [head, verdict, "  rule     rho        max dev    median dev  first step above tolerance"]
        for f in self.fits:
            where = f.first_exceeding.describe() if f.first_exceeding else "-"
            lines.append(f"  {f.name:8s} {f.rho:<10.4g} {f.max_deviation:<10.3g} {f.median_deviation:<11.3g} {where}")
        p = self.perturbation
        if not p.radius[2] > 0:
            lines.append("perturbation: no gradient query besides x_t was seen (an optimizer that evaluates its "
                         "ascent point internally, or none): only x_{t+1} is compared")
        else:
            lines.append(f"perturbation: ||y - x||/rho in [{p.radius[0]:.6g}, {p.radius[2]:.6g}] (median {p.radius[1]:.6g}), "
                         f"cos(y - x, g) in [{p.cosine[0]:.4f}, {p.cosine[1]:.4f}], "
                         f"||y - x||/(rho ||g||) in [{p.gain[0]:.4g}, {p.gain[1]:.4g}]")
        if p.shrink:
            pairs = ", ".join(f"{g:.0e}: {r:.4g}" for g, r in p.shrink)
            lines.append(f"near zero gradients (||g||: ||y - x||/rho): {pairs}")
        lines.append(f"at g = 0 exactly: {p.at_zero}")
        if self.trajectory_deviation is not None and self.match is not None:
            lines.append(f"free run from the same x_0 vs the reference kernel: max |x_t - x_t^ref| = "
                         f"{self.trajectory_deviation:.3g} (SAM's dynamics amplify rounding; the per-step deviation decides)")
        lines += [f"finding: {d}" for d in self.diagnosis()]
        return "\n".join(lines)
