"""`sambounds conform module:factory`: which reference rule an outside SAM implementation follows."""

from __future__ import annotations

import json
import sys

import click


def register(group: click.Group) -> None:
    group.add_command(conform_command)


@click.command("conform")
@click.argument("factory")
@click.option("--framework", type=click.Choice(["torch", "optax", "numpy"]), default=None,
              help="the factory's framework (detected from what it returns when omitted)")
@click.option("--rho", type=float, default=None, help="the optimizer's radius (inferred from ||y - x|| when omitted)")
@click.option("--expect", type=click.Choice(["sam", "usam", "gd"]), default=None,
              help="exit with status 1 unless the optimizer matches this rule")
@click.option("-T", "T", type=int, default=120, show_default=True, help="steps per probe")
@click.option("--eta", type=float, default=0.5, show_default=True, help="peak of the cosine schedule sambounds sets")
@click.option("--api", type=click.Choice(["two-step", "closure"]), default=None, help="torch: which optimizer API")
@click.option("--calls-per-step", type=int, default=None, help="optax: update calls per SAM step (2 for optax.contrib.sam)")
@click.option("--batched", is_flag=True, default=False, help="numpy: the step takes an array (..., d) of trajectories")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def conform_command(factory: str, framework: str | None, rho: float | None, expect: str | None, T: int, eta: float,
                    api: str | None, calls_per_step: int | None, batched: bool, seed: int, fmt: str) -> None:
    """Run FACTORY ("module:factory": params -> torch optimizer, learning_rate -> optax transformation, or
    eta -> NumPy step(x, grad_fn, t)) beside the reference kernel and report which rule it follows
    (SAM / USAM / GD), its per-step deviation, its perturbation radius and normalization.
    The current directory is importable, as for `python -m`."""
    import dataclasses

    from ..adapters.conformance import conform
    from .report import ChecksFailed

    if "" not in sys.path:  # `sambounds conform my_sam:factory` from the repository that holds my_sam.py
        sys.path.insert(0, "")
    options = {}
    if api is not None:
        options["api"] = api
    if calls_per_step is not None:
        options["calls_per_step"] = calls_per_step
    if batched:
        options["batched"] = True
    r = conform(factory, framework=framework, rho=rho, T=T, eta=eta, seed=seed, **options)
    if fmt == "json":
        click.echo(json.dumps(dataclasses.asdict(r), indent=1, default=str))
    else:
        click.echo(r.summary())
    if expect is not None and r.match != expect:
        raise ChecksFailed(f"{r.optimizer} does not follow {expect.upper()} (match: {r.match or 'none'})")
