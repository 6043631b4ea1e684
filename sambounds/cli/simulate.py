"""`sambounds simulate`: run SAM (or a relative) on a function family from the shell."""

from __future__ import annotations

import json
import math

import click
import numpy as np

FUNCTIONS = ("quadratic", "l-sc", "l-nc", "l-s", "huber", "log-sum-exp", "logcosh", "logistic",
             "kappa-adversarial", "double-well", "trigonometric", "xy")


def _build(name: str, *, beta: float, mu: float, rho: float, eta: float, dim: int, seed: int):
    """The objective the flags describe (constants chosen from --beta/--mu where the family has them)."""
    from .. import functions as fn

    rng = np.random.default_rng(seed)
    if name == "quadratic":
        return fn.Quadratic.with_spectrum(beta=beta, mu=mu, dim=dim, seed=seed)
    if name == "l-sc":
        return fn.LSC.for_sam(beta=beta, mu=mu, rho=rho, eta=eta, dim=dim)
    if name == "l-nc":
        return fn.LNC(beta, rho, 0.5, dim=dim)
    if name == "l-s":
        return fn.LS(beta, rho, 0.25, 2.0)
    if name == "huber":
        return fn.Huber(np.zeros(dim), delta=1.0, scale=beta)
    if name == "log-sum-exp":
        return fn.LogSumExp(rng.normal(size=(dim + 1, dim)) / math.sqrt(dim), lam=mu)
    if name == "logcosh":
        return fn.LogcoshRidge(rng.normal(size=(dim + 2, dim)) / math.sqrt(dim), lam=mu)
    if name == "logistic":
        return fn.LogisticRegression.synthetic(n_samples=200, dim=dim, lam=mu, seed=seed)
    if name == "kappa-adversarial":
        return fn.KappaAdversarial(mu=mu)
    if name == "double-well":
        return fn.DoubleWell(4.0, dim=dim)
    if name == "trigonometric":
        return fn.Trigonometric(np.zeros(dim), a=0.1, b=1.0)
    return fn.XYProduct(2.0)


def register(group: click.Group) -> None:
    group.add_command(simulate_command)


@click.command("simulate")
@click.option("--function", "function", type=click.Choice(FUNCTIONS), default="quadratic", show_default=True,
              help="Function family (see sambounds.functions).")
@click.option("--algorithm", type=click.Choice(["sam", "n-sam", "m-sam", "usam", "gd"]), default="sam",
              show_default=True)
@click.option("--beta", type=float, default=1.0, show_default=True, help="Smoothness of the generated function.")
@click.option("--mu", type=float, default=0.1, show_default=True, help="Strong convexity / ridge weight.")
@click.option("--rho", type=float, default=0.05, show_default=True, help="Perturbation radius.")
@click.option("--eta", type=float, default=None, help="Constant step size [default: 1/(2 beta) of the function].")
@click.option("-T", "--T", "T", type=int, default=1000, show_default=True, help="Number of steps.")
@click.option("--dim", type=int, default=2, show_default=True)
@click.option("--starts", type=int, default=16, show_default=True, help="Number of random starting points.")
@click.option("--radius", type=float, default=1.0, show_default=True, help="Std of the starts around x* (or 0).")
@click.option("--batch-size", type=int, default=1, show_default=True, help="Minibatch size (n-SAM, m-SAM).")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--backend", type=click.Choice(["numpy", "torch"]), default="numpy", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def simulate_command(function, algorithm, beta, mu, rho, eta, T, dim, starts, radius, batch_size, seed,
                     backend, fmt):
    """Run ALGORITHM on a FUNCTION family from random starts and summarise the per-run metrics.

    Metrics: gap = f(x_t) - f*, grad_sq = ||grad f(x_t)||^2, dist_sq = ||x_t - x*||^2; 'min' and
    'mean' over t = 0..T-1, 'final' at t = T; columns are min / median / max over the runs.
    """
    from .. import _validate as v
    from ..setting import Constants, Setting
    from ..sim.api import simulate

    if dim < 1 or starts < 1:
        raise click.BadParameter("--dim and --starts must be >= 1")
    beta, rho = v.positive("beta", beta), v.nonnegative("rho", rho)
    seed = v.seed("seed", seed)   # before the function family is drawn from it
    f = _build(function, beta=beta, mu=mu, rho=rho or 0.05, eta=eta or 1.0 / (2 * beta), dim=dim, seed=seed)
    f_beta = float(np.max(f.beta))
    eta = v.positive("eta", eta) if eta is not None else 1.0 / (2 * f_beta)
    fclass = f.function_class
    sigma = None
    if algorithm in ("n-sam", "m-sam"):
        if getattr(f, "sigma", None) is None:
            raise click.BadParameter(f"{algorithm} needs a finite-sum function: l-s or logistic", param_hint="--function")
        sigma = float(np.max(f.sigma))
    f_mu = None if f.mu is None else float(np.min(f.mu))
    constants = Constants(beta=f_beta, mu=f_mu if fclass in ("strongly-convex", "convex") else None,
                          rho=None if algorithm == "gd" else rho, sigma=sigma,
                          L=float(np.max(f.L)) if fclass == "lipschitz-nonconvex" else None)
    warnings = []
    if eta > 2.0 / f_beta:
        warnings.append(f"eta = {eta:g} is above 2/beta = {2.0 / f_beta:g}: the iterates grow along the "
                        "beta-curvature direction and no bound of the catalog applies")
    setting = Setting(algorithm, fclass, constants, T, eta)
    rng = np.random.default_rng(seed)
    center = f.x_star[0] if f.x_star is not None else np.zeros(f.dim)
    x0 = center + v.nonnegative("radius", radius) * rng.standard_normal((starts, f.dim))
    res = simulate(setting, f, x0, seed=seed, batch_size=batch_size, backend=backend)
    summary = res.summary()
    summary["function"] = {"family": f.family, "dim": f.dim, "beta": f_beta, "mu": f_mu,
                           "f_star": None if f.f_star is None else float(f.f_star[0])}
    summary["warnings"] = warnings
    if fmt == "json":
        click.echo(json.dumps(summary, indent=2))
        return
    for w in warnings:
        click.echo(f"warning: {w}", err=True)
    _print_table(summary, res)


def _print_table(summary, res) -> None:
    from rich.console import Console
    from rich.table import Table

    from ..sim.kernel import DIVERGENCE_FACTOR

    s, fn = summary["setting"], summary["function"]
    c = s["constants"]
    title = (f"{s['algorithm']} on {fn['family']} (d={fn['dim']}, beta={fn['beta']:.4g}"
             + (f", mu={fn['mu']:.4g}" if fn["mu"] is not None else "")
             + f"), rho={c.get('rho', 0):g}, eta={res.steps[0, 0]:.4g}, T={s['T']}")
    table = Table(title=title)
    for col in ("metric", "min", "median", "max"):
        table.add_column(col, justify="left" if col == "metric" else "right")
    for name, row in summary["metrics"].items():
        table.add_row(name, *("-" if row[k] is None else f"{row[k]:.6g}" for k in ("min", "median", "max")))
    console = Console()
    console.print(table)
    div = summary["diverged"]
    console.print(f"runs: {summary['runs']}, diverged: {div}"
                  + (f" (first at step {summary['first_divergence_step']}: left {DIVERGENCE_FACTOR:g} times its "
                     "starting region or overflowed; its metrics read inf)" if div else ""))
