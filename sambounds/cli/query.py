"""`sambounds query` (what the catalog guarantees for given constants) and `sambounds list` (the catalog)."""

from __future__ import annotations

import json

import click

from ..errors import InvalidParameterError
from ._options import GENERIC, PRESCRIBED, schedule_from_options, schedule_shape_options, setting_options

FORMATS = click.Choice(["text", "json", "latex"])


def register(group: click.Group) -> None:
    group.add_command(query_command)
    group.add_command(list_command)


@click.command("query")
@setting_options
@click.option("--eta", type=float, help="constant step size")
@click.option("--schedule", help=f"a schedule: {', '.join(GENERIC + PRESCRIBED)}, or a .npy/.txt file of T steps")
@click.option("--eta-max", type=float, help="peak step of a generic schedule (default 1/beta)")
@schedule_shape_options
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="construction parameter or extra data (c, p, a, sum_lambda3); repeatable")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def query_command(algorithm, function_class, beta, mu, rho, L, sigma, Delta, D, T, eta, schedule, eta_max,
                  eta_min, warmup, gamma, every, params, fmt) -> None:
    """What the theory guarantees for these constants, with which step size, and what no step can beat."""
    from ..setting import Setting
    from ..theory.query import query

    if eta is not None and schedule is not None:
        raise InvalidParameterError("eta", eta, "absent when --schedule is given", "give --eta or --schedule, not both")
    if eta_max is not None and schedule is None:
        raise InvalidParameterError("eta-max", eta_max, "given together with --schedule",
                                    "--eta-max is the peak of a schedule; a constant step is --eta")
    sched = None if schedule is None else schedule_from_options(
        schedule, algorithm=algorithm, T=T, beta=beta, eta=eta_max, eta_min=eta_min, warmup=warmup, gamma=gamma,
        every=every)
    setting = Setting.create(algorithm, function_class, T=T, beta=beta, mu=mu, rho=rho, L=L, sigma=sigma,
                             Delta=Delta, D=D, eta=eta, schedule=sched)
    result = query(setting, params=_params(params))
    if fmt == "json":
        click.echo(result.to_json(indent=2))
    elif fmt == "latex":
        click.echo(query_latex(result))
    else:
        query_text(result)


@click.command("list")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
def list_command(fmt) -> None:
    """The catalog: every bound with its kind, quantity, class, step assumption, provenance and proof."""
    from ..theory.catalog import catalog

    if fmt == "json":
        click.echo(json.dumps([b.to_dict() for b in catalog], indent=2))
    elif fmt == "latex":
        click.echo(catalog_latex(catalog))
    else:
        catalog_text(catalog)


def _params(items) -> dict[str, float]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise InvalidParameterError("param", item, "NAME=VALUE")
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise InvalidParameterError(f"param {name.strip()}", value, "a real number") from None
    return out


# ---- rendering -------------------------------------------------------------------------------------
_STATUS_STYLE = {"applies": "green", "order-only": "cyan", "restricted": "yellow", "fails": "red",
                 "needs-step": "magenta", "missing": "magenta", "overflow": "red"}
#: the status codes (JSON, Python) in words for the text table
STATUS_WORDS = {"applies": "applies", "order-only": "order only", "restricted": "subclass only",
                "fails": "condition fails", "needs-step": "needs a step size", "missing": "needs a value",
                "overflow": "overflows float64"}


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.4g}"


def _console():
    from rich.console import Console

    console = Console()
    # Piped output (files, CI logs) has no width: use a wide one so that names and formulas stay on one line.
    return console if console.is_terminal else Console(width=180)


def query_text(result) -> None:
    """Rich tables: every relevant bound, then the best upper and lower bound per quantity, then open rows."""
    from rich.table import Table

    console = _console()
    s = result.setting
    consts = ", ".join(f"{k}={v:g}" for k, v in s.constants.as_dict().items())
    sched = s.schedule.describe() if s.has_schedule else "none (theorems' prescribed steps)"
    console.print(f"[bold]{s.algorithm.value}[/bold], {s.function_class.value}, {consts}, T={s.T}, step: {sched}")
    table = Table(show_lines=False)
    for col in ("bound", "kind", "quantity", "status", "value", "step", "prov.", "note"):
        table.add_column(col, overflow="fold")
    for e in result.entries:
        b = e.bound
        style = _STATUS_STYLE.get(e.status, "")
        # an order-only claim has no constant: show its shape, marked so it is never read as a guarantee
        value = f"~{_fmt(e.value)} (shape)" if e.status == "order-only" and e.value is not None else _fmt(e.value)
        words = STATUS_WORDS.get(e.status, e.status)
        table.add_row(b.name, b.kind.value, b.quantity.label, f"[{style}]{words}[/{style}]", value,
                      e.step, b.provenance.value, e.reason or e.via or "")
    console.print(table)
    best_entries = result.best_upper + result.best_lower
    if best_entries:
        best = Table(title="best valid bounds for this Setting")
        for col in ("quantity", "kind", "value", "bound", "formula"):
            best.add_column(col, overflow="fold")
        for e in best_entries:
            best.add_row(e.bound.quantity.label, e.bound.kind.value, _fmt(e.value), e.name, e.bound.formula)
        console.print(best)
    else:
        console.print(f"[bold]{no_bound_reason(result)}[/bold]")
    own = Table(title="best guarantees with the theorems' own prescribed step sizes")
    for col in ("quantity", "value", "bound", "step"):
        own.add_column(col, overflow="fold")
    for e in result.best_prescribed:
        own.add_row(e.bound.quantity.label, _fmt(e.value), e.name, e.step)
    if result.best_prescribed:
        console.print(own)
    for g in result.gaps:
        # an "open question" row is about bounds that exist (Theorem A's kappa), not a missing bound
        head = "open question on" if g.note.startswith("open question") else "no bound in catalog for"
        console.print(f"{head} {g.quantity.label}: {g.note}")


def no_bound_reason(result) -> str:
    """Why the query has no best bound, in one line (an empty table would say nothing)."""
    s = result.setting
    beta = s.constants.beta
    if s.has_schedule and float(s.steps.max()) > 2.0 / beta:
        what = "eta" if bool((s.steps == s.steps[0]).all()) else "the largest step of the schedule"
        return (f"{what} = {float(s.steps.max()):g} above 2/beta = {2.0 / beta:.4g}: no bound applies "
                "(the step conditions of the catalog's bounds fail; steps that long diverge on curvature beta)")
    if not s.has_schedule and any(e.status == "needs-step" for e in result.entries):
        return "no bound applies without a step size: give --eta (a constant step) or --schedule"
    return "no bound of the catalog applies to this Setting (see the status column above)"


def query_latex(result) -> str:
    """An align* block: one line per entry that has a value, with its status as a LaTeX comment."""
    import sympy as sp

    s = result.setting
    consts = ", ".join(f"{k}={v:g}" for k, v in s.constants.as_dict().items())
    lines = [f"% sambounds query: {s.algorithm.value}, {s.function_class.value}, {consts}, T={s.T}",
             r"\begin{align*}"]
    for e in result.entries:
        if e.value is None:
            lines.append(f"% {e.name}: {e.status}: {e.reason}")
            continue
        b = e.bound
        rel = r"\le" if b.kind.value == "upper" else r"\ge"
        value = sp.latex(sp.Float(e.value, 4))
        rhs = (rf"{sp.latex(b.expr)} = {value}" if b.explicit
               else rf"{b.order.latex} \quad (\text{{shape}} = {value}\text{{, constant unknown}})")
        lines.append(rf"\text{{{b.name}}} &: {_quantity_latex(b.quantity)} {rel} {rhs} && \text{{{e.status}}} \\")
    lines.append(r"\end{align*}")
    return "\n".join(lines)


def catalog_text(catalog) -> None:
    from rich.table import Table

    table = Table(title=f"sambounds catalog ({len(catalog)} bounds)")
    for col in ("name", "kind", "quantity", "algorithms", "class", "step", "prov.", "proof"):
        table.add_column(col, overflow="fold")
    for b in catalog:
        table.add_row(b.name, b.kind.value, b.quantity.label, ",".join(sorted(a.value for a in b.algorithms)),
                      b.function_class.value, b.step.describe(), b.provenance.value, b.proof or "")
    console = _console()
    console.print(table)
    for g in catalog.gaps:
        console.print(f"open row ({g.function_class.value}, {g.quantity.label}): {g.note}")
    console.print("statements, proofs and provenance (paper: the abstract's orders; derived: proved in proofs/; "
                  "literature: published closed forms; user: your own claims): docs/theory.md", highlight=False)


def catalog_latex(catalog) -> str:
    lines = [r"\begin{tabular}{lllll}", r"name & kind & bound & provenance & proof \\ \hline"]
    for b in catalog:
        rel = r"\le" if b.kind.value == "upper" else r"\ge"
        rhs = b.latex if b.explicit else b.order.latex
        lines.append(rf"\texttt{{{b.name}}} & {b.kind.value} & ${_quantity_latex(b.quantity)} {rel} {rhs}$ & "
                     rf"{b.provenance.value} & {(b.proof or '').replace('_', chr(92) + '_')} \\")
    lines.append(r"\end{tabular}")
    return "\n".join(lines)


def _quantity_latex(quantity) -> str:
    from ..display import QUANTITY_LATEX

    return QUANTITY_LATEX[quantity.value]
