"""`sambounds report`: attack every catalog bound and print the verdicts (the main job)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from ..errors import InvalidParameterError
from ._options import budget_options, executor_options


def register(group: click.Group) -> None:
    group.add_command(report_command)


class ChecksFailed(click.ClickException):
    """Exit status 1 with one line on stderr (a ClickException reaches ``sambounds.cli.main``)."""

    exit_code = 1


def fail_unless_ok(result) -> None:
    bad = [r.bound for r in result.reports if r.verdict.value in ("violated", "inconclusive")]
    if bad:
        raise ChecksFailed(f"{len(bad)} check(s) violated or inconclusive: {', '.join(bad[:5])}")


def render_table(reports, title: str):
    """A rich table: bound, algorithm, class, kind, provenance, verdict, worst ratio and where it was
    reached (family and parameters), slope vs expected."""
    from rich.table import Table

    colors = {"holds": "green", "witnessed": "green", "violated": "bold red", "inconclusive": "yellow",
              "not applicable": "dim"}
    table = Table(title=title, show_lines=False, header_style="bold")
    for col in ("bound", "algorithm", "class", "kind", "provenance", "verdict", "worst ratio", "reached on",
                "slope [95% CI] vs bound's (see below)"):
        table.add_column(col, overflow="fold")
    for r in reports:
        kind = "order" if r.check == "rate" else r.kind
        table.add_row(r.bound, r.algorithms, r.function_class, kind, r.provenance,
                      f"[{colors[r.verdict.value]}]{r.verdict.value}[/]", r.ratio_text, r.where_text, r.slope_text)
    return table


#: What the two number columns mean for the verdict (printed under the table).
LEGEND = (
    "worst ratio: upper bounds, the largest measured/bound found (holds when <= 1, up to rounding); lower "
    "bounds, the smallest over the construction's grid (witnessed when >= 1).",
    "slope: log-log fit of the measured quantity along a sweep of T, eta or rho on the worst instance, with "
    "its 95% interval, next to the slope of the bound itself on the same sweep. It decides only the "
    "'order' rows (the paper's claims: consistent within 0.3, the measured quantity decaying no slower "
    "than an upper order, no faster than a lower one; o(1) needs a negative slope). For upper and lower "
    "rows the ratio decides and the slope is evidence: a measured decay steeper than the bound's means "
    "the bound is loose on that sweep, not that it fails.",
)


class LinePrinter:
    """Progress for pipes and files: one line on stderr per finished check, ``[done/n] name (s)``.

    A callback of the runner's form ``progress(text, done, total)`` (:func:`sambounds.check.runner.run_probes`):
    ``text`` is ``"done: NAME"`` when a probe completed; the seconds are those since the previous line
    (on an executor running probes in parallel, not one probe's own time).
    """

    def __init__(self, stream=None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.last = time.perf_counter()

    def __call__(self, text: str, done: int, total: int) -> None:
        if not text.startswith("done: "):
            return
        now = time.perf_counter()
        print(f"[{done}/{total}] {text[6:]} ({now - self.last:.1f} s)", file=self.stream, flush=True)
        self.last = now


def run_with_progress(fn, console, **kwargs):
    """Call ``fn(progress=...)``; returns its result and the wall time.

    On a terminal a rich progress bar (transient); otherwise (a pipe, a file, CI logs) one line per
    finished check on stderr, so a long run shows that it is alive.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    if not console.is_terminal:
        t0 = time.perf_counter()
        result = fn(progress=LinePrinter(console.file), **kwargs)
        return result, time.perf_counter() - t0
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("checking", total=None)

        def progress(text: str, done: int, total: int) -> None:
            bar.update(task, description=text[:70], completed=done, total=total)

        t0 = time.perf_counter()
        result = fn(progress=progress, **kwargs)
    return result, time.perf_counter() - t0


def emit(result, seconds: float, fmt: str, out: Path | None, plots: Path | None, title: str) -> None:
    """Print (or write) the result as a table or JSON, and plots when asked."""
    from rich.console import Console

    if plots is not None:
        from ..plots.sweeps import write_sweep_plots

        drawn = write_sweep_plots(result.reports, plots)
        click.echo(f"wrote {len(drawn.written)} plots to {plots}", err=True)
        if drawn.skipped:
            click.echo(f"no plot for {len(drawn.skipped)} bound(s): "
                       + "; ".join(f"{name} ({why})" for name, why in drawn.skipped), err=True)
    if fmt == "json":
        text = result.to_json(timings=True, indent=1)
        if out is not None:
            out.write_text(text)
            click.echo(f"wrote {out}", err=True)
        else:
            click.echo(text)
        return
    # wide enough for the eight columns when not writing to a terminal (pipes default to 80)
    console = Console(record=out is not None)
    if out is not None or not console.is_terminal:
        console = Console(record=out is not None, width=170)
    console.print(render_table(result.reports, title))
    for line in LEGEND:
        console.print(line, style="dim", highlight=False)
    counts = ", ".join(f"{n} {k}" for k, n in result.counts.items() if n)
    console.print(f"{len(result.reports)} checks: {counts}; seed {result.seed}, {result.size} sizes, "
                  f"{seconds:.1f} s")
    for r in result.reports:
        if r.verdict.value == "violated" and r.worst is not None:
            console.print(f"[red]violated[/] {r.bound}: ratio {r.ratio_text} on {r.worst['family']} "
                          f"(x0={r.worst['x0']}, {r.worst['schedule']}, T={r.worst['T']}, rho={r.worst['rho']:g})")
            for line in r.evidence:
                if line.startswith("refuted by the certified upper bound"):
                    console.print(f"  {line}", highlight=False)
        elif r.verdict.value == "inconclusive":
            for line in r.evidence:
                if "(inferred: the claim names none)" in line:
                    console.print(f"[yellow]inconclusive[/] {r.bound}: {line}", highlight=False)
    if out is not None:
        out.write_text(console.export_text())
        click.echo(f"wrote {out}", err=True)


@click.command("report")
@click.option("--quick", is_flag=True, help="CI-sized attack (well under a minute) instead of the default sizes")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="seed of every random choice; the same seed gives the same report")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="write the output to this file")
@click.option("--plots", type=click.Path(file_okay=False, path_type=Path),
              help="write one PNG per bound (measured vs bound along its sweep) into this directory (matplotlib)")
@click.option("--bound", "names", multiple=True, help="check only these catalog bounds (repeatable)")
@budget_options
@executor_options
def report_command(quick: bool, seed: int, fmt: str, out: Path | None, plots: Path | None, names,
                   budget: int | None, replicas: int | None, executor: str, scheduler: str | None) -> None:
    """Attack every catalog bound: upper bounds by adversarial simulation, lower bounds by their
    constructions, order-only claims by rate fits.  Exit status 1 when a check is violated or
    inconclusive."""
    from rich.console import Console

    from ..check.runner import report
    from ..executor import get_executor
    from ..theory.catalog import catalog

    bounds = None
    if names:
        bounds = tuple(catalog[n] for n in names)
    if out is not None and not out.parent.exists():
        raise InvalidParameterError("--out", str(out), "a file in an existing directory")
    ex = get_executor(executor, scheduler=scheduler)
    result, seconds = run_with_progress(report, Console(stderr=True), quick=quick, seed=seed, bounds=bounds,
                                        budget=budget, replicas=replicas, executor=ex)
    emit(result, seconds, fmt, out, plots, f"sambounds report ({'quick' if quick else 'default'} sizes)")
    fail_unless_ok(result)
