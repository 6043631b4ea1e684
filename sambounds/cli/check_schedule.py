"""`sambounds check-schedule`: certify, refute (with a witness file) or leave undecided a step-size schedule."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import InvalidParameterError

GENERIC = ("cosine", "linear", "step", "warmup", "constant")
PRESCRIBED = ("theorem-a", "decreasing-sc", "convex-min", "convex-avg", "inverse-beta", "stochastic-sc",
              "stochastic-nc")
QUANTITIES = ("gap", "dist", "grad-avg", "grad-min", "grad-wsum", "e-gap", "e-grad-avg", "e-grad-wsum")


def register(group: click.Group) -> None:
    group.add_command(check_schedule_command)


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
        raise InvalidParameterError("eta", eta, f"absent for --schedule {name}",
                                    "--eta is the peak of a generic schedule")
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


@click.command("check-schedule")
@click.option("--schedule", required=True,
              help=f"{', '.join(GENERIC)}, a prescribed rule ({', '.join(PRESCRIBED)}) or a .npy/.txt/.csv file")
@click.option("--algorithm", required=True, type=click.Choice(["sam", "n-sam", "m-sam", "usam", "gd"]))
@click.option("--class", "function_class", required=True,
              type=click.Choice(["strongly-convex", "convex", "lipschitz-nonconvex", "nonconvex"]))
@click.option("--beta", type=float, required=True, help="smoothness constant (> 0)")
@click.option("--mu", type=float, help="strong convexity (0 < mu <= beta; strongly-convex class)")
@click.option("--rho", type=float, help="perturbation radius (>= 0; not for gd)")
@click.option("--L", "L", type=float, help="Lipschitz constant of f (lipschitz-nonconvex class)")
@click.option("--sigma", type=float, help="gradient-noise level (n-sam, m-sam)")
@click.option("--Delta", "Delta", type=float, help="f(x_0) - f*")
@click.option("--D", "D", type=float, help="||x_0 - x*||")
@click.option("--T", "T", type=int, required=True, help="horizon (number of steps)")
@click.option("--target", type=float, required=True, help="the value the quantity must not exceed (> 0)")
@click.option("--quantity", type=click.Choice(QUANTITIES),
              help="what is verified (default: gap / e-gap on strongly convex f, grad-min / e-grad-wsum otherwise)")
@click.option("--eta", type=float, help="peak (first) step of a generic schedule [default: 1/beta]")
@click.option("--eta-min", type=float, default=0.0, show_default=True, help="final step of cosine/linear/warmup")
@click.option("--warmup", type=int, help="warm-up steps of --schedule warmup [default: T//10]")
@click.option("--gamma", type=float, default=0.1, show_default=True, help="decay factor of --schedule step")
@click.option("--every", type=int, help="decay period of --schedule step [default: T//4 or 1]")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--quick", is_flag=True, help="CI-sized attack (fewer starts, instances and samples)")
@click.option("--pep-max-T", "pep_max_T", type=int, help="largest T for the PEP [default: 10, or 5 with --quick]")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--witness-out", type=click.Path(dir_okay=False, writable=True),
              help="write the refutation witness here (JSON; re-run with sambounds.verify.rerun)")
def check_schedule_command(schedule, algorithm, function_class, beta, mu, rho, L, sigma, Delta, D, T, target,
                           quantity, eta, eta_min, warmup, gamma, every, seed, quick, pep_max_T, fmt,
                           witness_out) -> None:
    """Does SCHEDULE provably reach TARGET, fail on some function of the class, or neither?

    The verdict is CERTIFIED (a proven upper bound meets the target), REFUTED (a function of the
    class on which the schedule misses it; --witness-out writes it) or UNDECIDED (with the gap
    between the best certified value and the worst value found).
    """
    from ..setting import Setting
    from ..verify import verify_schedule

    sched = schedule_from_options(schedule, algorithm=algorithm, T=T, beta=beta, eta=eta, eta_min=eta_min,
                                  warmup=warmup, gamma=gamma, every=every)
    setting = Setting.create(algorithm, function_class, T=T, beta=beta, mu=mu, rho=rho, L=L, sigma=sigma,
                             Delta=Delta, D=D, schedule=sched)
    report = verify_schedule(setting, target=target, quantity=quantity, seed=seed,
                             effort="quick" if quick else "default", pep_max_T=pep_max_T)
    if fmt == "json":
        click.echo(report.to_json(indent=2))
    else:
        from rich.console import Console

        console = Console()
        # piped output (files, CI logs) has no width: a wide one keeps names and values on one line
        report.render(console if console.is_terminal else Console(width=160))
    if witness_out is not None:
        if report.witness is None:
            click.echo(f"no witness written: the verdict is {report.verdict}", err=True)
        else:
            report.write_witness(witness_out)
            if fmt != "json":
                click.echo(f"witness written to {witness_out}")
