"""Options shared by the sub-commands: a Setting from the shell (query, check-schedule), the executor (report, check)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import InvalidParameterError

GENERIC = ("cosine", "linear", "step", "warmup", "constant")
PRESCRIBED = ("theorem-a", "decreasing-sc", "convex-min", "convex-avg", "inverse-beta", "stochastic-sc",
              "stochastic-nc")

_SETTING_OPTIONS = (
    click.option("--algorithm", required=True, type=click.Choice(["sam", "n-sam", "m-sam", "usam", "gd"])),
    click.option("--class", "function_class", required=True,
                 type=click.Choice(["strongly-convex", "convex", "lipschitz-nonconvex", "nonconvex"])),
    click.option("--beta", type=float, required=True, help="smoothness constant (> 0)"),
    click.option("--mu", type=float, help="strong convexity (0 < mu <= beta; strongly-convex class)"),
    click.option("--rho", type=float, help="perturbation radius (>= 0; not for gd)"),
    click.option("--L", "L", type=float, help="Lipschitz constant of f (lipschitz-nonconvex class)"),
    click.option("--sigma", type=float, help="gradient-noise level (n-sam, m-sam)"),
    click.option("--Delta", "Delta", type=float, help="f(x_0) - f*"),
    click.option("--D", "D", type=float, help="||x_0 - x*||"),
    click.option("--T", "T", type=int, required=True, help="horizon (number of steps)"),
)

_SCHEDULE_SHAPE_OPTIONS = (
    click.option("--eta-min", type=float, default=0.0, show_default=True, help="final step of cosine/linear/warmup"),
    click.option("--warmup", type=int, help="warm-up steps of --schedule warmup [default: T//10]"),
    click.option("--gamma", type=float, default=0.1, show_default=True, help="decay factor of --schedule step"),
    click.option("--every", type=int, help="decay period of --schedule step [default: T//4 or 1]"),
)


def setting_options(fn):
    """--algorithm --class --beta --mu --rho --L --sigma --Delta --D --T (in that order in --help)."""
    for option in reversed(_SETTING_OPTIONS):
        fn = option(fn)
    return fn


def schedule_shape_options(fn):
    """--eta-min --warmup --gamma --every: the shape parameters of the generic schedules."""
    for option in reversed(_SCHEDULE_SHAPE_OPTIONS):
        fn = option(fn)
    return fn


def schedule_from_options(name: str, *, algorithm: str, T: int, beta: float, eta: float | None,
                          eta_min: float, warmup: int | None, gamma: float, every: int | None):
    """The Schedule a ``--schedule`` value names (a generic rule, a prescribed rule, or a .npy/.txt/.csv file).

    Generic rules start at the peak ``eta`` (default 1/beta, as in ``sambounds query``).
    """
    from .. import _validate as v
    from .. import schedules as sch

    if name in GENERIC:
        peak = v.positive("eta", eta) if eta is not None else 1.0 / v.positive("beta", beta)
        if name == "constant":
            return sch.Constant(peak)
        if name == "cosine":
            return sch.Cosine(peak, eta_min)
        if name == "linear":
            return sch.LinearDecay(peak, eta_min)
        if name == "step":
            return sch.StepDecay(peak, gamma, every if every is not None else max(1, T // 4))
        return sch.WarmupDecay(peak, warmup if warmup is not None else T // 10, "cosine", eta_min)
    if eta is not None:
        raise InvalidParameterError("eta-max", eta, f"absent for --schedule {name}",
                                    "--eta-max is the peak of a generic schedule")
    variant = algorithm if algorithm in ("n-sam", "m-sam") else "n-sam"
    rules = {"theorem-a": sch.TheoremA, "decreasing-sc": sch.DecreasingSC, "convex-min": sch.ConvexMinimum,
             "convex-avg": sch.ConvexAverage, "inverse-beta": sch.InverseBeta,
             "stochastic-sc": lambda: sch.StochasticSC(variant), "stochastic-nc": lambda: sch.StochasticNC(variant)}
    if name in rules:
        return rules[name]()
    path = Path(name)
    if path.suffix not in (".npy", ".txt", ".csv"):
        raise InvalidParameterError("schedule", name, f"one of {', '.join(GENERIC + PRESCRIBED)} "
                                    "or a .npy/.txt/.csv file of T step sizes")
    if not path.is_file():
        raise InvalidParameterError("schedule", name, "an existing .npy/.txt/.csv file of T step sizes")
    import numpy as np

    try:
        values = np.load(path, allow_pickle=False) if path.suffix == ".npy" else \
            np.loadtxt(path, delimiter="," if path.suffix == ".csv" else None, ndmin=1)
    except (OSError, ValueError) as exc:
        raise InvalidParameterError("schedule", name, "a readable file of T step sizes", str(exc)) from None
    return sch.FromArray(np.ravel(values))


def executor_options(fn):
    """--executor local|dask and --scheduler ADDRESS (report, check, check-schedule)."""
    fn = click.option("--scheduler", metavar="ADDRESS",
                      help="address of a dask.distributed scheduler (implies --executor dask)")(fn)
    return click.option("--executor", type=click.Choice(["local", "dask"]), default=None,
                        help="where the independent probes run: this process (default) or dask.distributed "
                             "(a LocalCluster unless --scheduler is given; needs the 'dask' extra)")(fn)


def budget_options(fn):
    """--budget (search candidates per upper bound) and --replicas (sequential cap), shared by report and check."""
    fn = click.option("--replicas", type=click.IntRange(min=2), default=None,
                      help="cap of the sequential replicas deciding a stochastic candidate "
                           "[default: 512 quick, 4096 default sizes]")(fn)
    return click.option("--budget", type=click.IntRange(min=0), default=None,
                        help="candidate evaluations of the adversary's search per upper bound (half of it "
                             "for a lower bound's construction), 0 for the fixed menu and grid alone "
                             "[default: 48 quick, 192 default sizes]")(fn)
