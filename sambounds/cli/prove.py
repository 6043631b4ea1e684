"""`sambounds prove [NAME...]`: re-check the machine-checked proofs in ``proofs/``.

Prints one row per proof file (theorems, checks, verdict, time) and, for a failing file or with
``--steps``, every checked item.  Exit status 1 when any proof fails; an unknown name or a
missing directory is a one-line error (status 2).
"""

from __future__ import annotations

import time
from pathlib import Path

import click


class ProofsFailed(click.ClickException):
    """Exit status 1 with one line on stderr."""

    exit_code = 1


def register(group: click.Group) -> None:
    group.add_command(prove_command)


@click.command("prove")
@click.argument("names", nargs=-1)
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              help="directory of proof files (default: the repository's proofs/)")
@click.option("--steps", is_flag=True, help="print every checked step, not only those of failing proofs")
@click.option("--list", "list_only", is_flag=True, help="list the proof ids and exit")
def prove_command(names: tuple[str, ...], directory: Path | None, steps: bool, list_only: bool) -> None:
    """Check the proof files NAMES (default: all of them) and print a table."""
    from rich.console import Console
    from rich.table import Table

    from ..proof import check_file, list_proofs, load_proof

    console = Console()
    ids = list_proofs(directory)
    if list_only:
        for name in ids:
            click.echo(name)
        return
    memo: dict = {}
    rows = []
    for name in names or ids:
        proof = load_proof(name, directory)
        t0 = time.perf_counter()
        report = check_file(proof, memo)
        rows.append((report, time.perf_counter() - t0))

    table = Table(title="sambounds prove", header_style="bold",
                  caption="seconds: a theorem cited by several files is checked once, where first needed; "
                          "the results in words: docs/theory.md sections 4-5")
    for col, justify in (("proof", "left"), ("title", "left"), ("theorems", "right"), ("checks", "right"),
                         ("verdict", "left"), ("seconds", "right")):
        table.add_column(col, justify=justify, overflow="fold")
    for report, seconds in rows:
        verdict = "[green]verified[/green]" if report.verified else "[bold red]FAILED[/bold red]"
        table.add_row(report.id, report.title, str(len(report.theorems)), str(report.n_steps), verdict,
                      f"{seconds:.2f}")
    console.print(table)
    for report, _ in rows:
        if report.checked_numerically:
            console.print(f"[dim]{report.id}: not checked symbolically: {report.checked_numerically}[/dim]")
        if steps or not report.verified:
            console.print(_steps_table(report))
    failed = [r.id for r, _ in rows if not r.verified]
    if failed:
        raise ProofsFailed(f"{len(failed)} proof(s) failed: {', '.join(failed)}")


def _steps_table(report):
    from rich.table import Table

    table = Table(title=f"{report.id}: checked items", header_style="bold", show_lines=False)
    for col in ("theorem", "where", "justification", "method", "ok", "reason"):
        table.add_column(col, overflow="fold")
    for th in report.theorems:
        for item in th.items:
            if item.verified and not _wanted(item):
                continue
            table.add_row(th.name, item.where, item.justification, item.method,
                          "[green]yes[/green]" if item.verified else "[bold red]NO[/bold red]", item.reason)
    return table


def _wanted(item) -> bool:
    return not item.where.endswith(("relations", "start", "end")) and item.where != "assumptions"
