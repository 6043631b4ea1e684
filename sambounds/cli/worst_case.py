"""``sambounds worst-case``: the PEP worst case of GD, USAM or normalized SAM over a class."""

from __future__ import annotations

import json

import click

from ..setting import Setting


def register(group: click.Group) -> None:
    group.add_command(worst_case_command)


@click.command("worst-case")
@click.option("--algorithm", type=click.Choice(["gd", "usam", "sam"]), required=True)
@click.option("--class", "function_class", type=click.Choice(["convex", "strongly-convex", "nonconvex"]),
              required=True, help="Function class (all beta-smooth).")
@click.option("--beta", type=float, required=True, help="Smoothness constant.")
@click.option("--mu", type=float, default=None, help="Strong convexity (strongly-convex only).")
@click.option("--rho", type=float, default=None, help="Perturbation radius (usam, sam).")
@click.option("--eta", type=float, required=True, help="Constant step size.")
@click.option("--T", "T", type=int, required=True, help="Number of steps.")
@click.option("--D", "D", type=float, default=None, help="Initial distance ||x0 - x*|| <= D.")
@click.option("--Delta", "Delta", type=float, default=None, help="Initial gap f(x0) - f* <= Delta.")
@click.option("--measure", type=click.Choice(["f", "dist", "grad", "min-grad"]), default="f", show_default=True)
@click.option("--initial", type=click.Choice(["distance", "function-gap"]), default=None)
@click.option("--solver", type=click.Choice(["clarabel", "scs", "mosek"]), default="clarabel", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--certificate", is_flag=True, help="Verify rational dual multipliers exactly (small T).")
@click.option("--tighten", is_flag=True, help="SAM: add secant cuts from class-wide gradient bounds.")
@click.option("--search-evals", type=int, default=40, show_default=True, help="SAM: slice SDPs in the outer search.")
@click.option("--sam-window", type=int, default=None,
              help="SAM: the windowed program (pairs at most this many steps apart, size linear in T).")
@click.option("--sam-branch", type=int, default=0, show_default=True,
              help="SAM with --sam-window: relaxations in the branch and bound on the gradient norms.")
@click.option("--witness-out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the witness JSON here (replay it with `sambounds rerun`).")
def worst_case_command(algorithm, function_class, beta, mu, rho, eta, T, D, Delta, measure, initial, solver,
                       fmt, certificate, tighten, search_evals, sam_window, sam_branch, witness_out) -> None:
    """Worst case of MEASURE after T steps over the whole function class (performance estimation).

    GD and USAM: exact value.  SAM: a certified upper bound (relaxation), a lower estimate
    attained by an explicit function (best exact slice) and the gap between them.
    """
    from ..pep.api import worst_case

    setting = Setting.create(algorithm, function_class, T=T, beta=beta, mu=mu, rho=rho, D=D, Delta=Delta, eta=eta)
    result = worst_case(setting, measure=measure, initial=initial, solver=solver, certificate=certificate,
                        tighten=tighten, search_evals=search_evals, sam_window=sam_window, sam_branch=sam_branch)
    if witness_out and result.witness is not None:
        result.witness.to_json(witness_out)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=1))
        return
    _print_text(result, witness_out)


def _print_text(result, witness_out) -> None:
    from rich.console import Console
    from rich.table import Table

    s = result.setting
    table = Table(title=f"worst case of {result.measure} after T={s.T} steps of {s.algorithm.value} "
                        f"({s.function_class.value}, {result.initial})", show_header=False)
    label = {"exact": "value (exact)", "relaxation": "value (certified upper, relaxation)",
             "upper-bound": "value (upper bound)"}[result.kind]
    table.add_row(label, f"{result.value:.10g}")
    if result.lower is not None:
        table.add_row("lower (re-run witness)", f"{result.lower:.10g}")
    if result.kind == "relaxation" and result.gap is not None:
        table.add_row("gap", f"{result.gap:.3g} ({result.gap / max(result.value, 1e-300):.1%} of value)")
    sv = result.solver
    table.add_row("solver", f"{sv['solver']}: {sv['status']}, residuals {sv['primal_residual']:.1e} / "
                            f"{sv['dual_residual']:.1e}, gap {sv['duality_gap']:.1e}")
    if result.replay is not None:
        rp = result.replay
        versus = (f"rel. error {rp.pep_error:.1e} to the PEP value" if rp.exact else
                  f"PEP upper value {rp.pep_value:.10g}")
        table.add_row("witness replay", f"{rp.replayed:.10g} ({versus})")
    if result.certificate is not None:
        table.add_row("certificate", f"verified exactly: value <= {float(result.certificate.bound):.10g}")
    if witness_out:
        table.add_row("witness written", str(witness_out))
    console = Console()
    console.print(table)
    for note in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {note}")
