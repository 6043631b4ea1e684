"""`sambounds prove [NAME...]`: re-check the machine-checked proofs in ``proofs/``.

Prints one row per proof file (theorems, checks, the sympy judge's verdict, the z3 judge's
counts: confirmed / undecided / refuted, the combined verdict, time) and, for a failing file or
with ``--steps``, every checked item; a step z3 refutes is printed with z3's counterexample.
Exit status 1 when any proof fails (sympy rejects an item or z3 refutes one); an unknown name or
a missing directory is a one-line error (status 2).
"""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..proof.z3_judge import DEFAULT_TIMEOUT_MS


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
@click.option("--no-z3", "no_z3", is_flag=True, help="the sympy judge alone (skip the z3 second judge)")
@click.option("--z3-timeout", "z3_timeout", type=click.IntRange(1, 600_000), default=DEFAULT_TIMEOUT_MS,
              show_default=True, help="z3 time limit per query, in milliseconds")
def prove_command(names: tuple[str, ...], directory: Path | None, steps: bool, list_only: bool, no_z3: bool,
                  z3_timeout: int) -> None:
    """Check the proof files NAMES (default: all of them) with both judges and print a table."""
    from rich.console import Console
    from rich.table import Table

    from ..proof import Z3Judge, check_file, list_proofs, load_proof

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
        report = check_file(proof, memo, None if no_z3 else Z3Judge(z3_timeout))
        rows.append((report, time.perf_counter() - t0))

    table = Table(title="sambounds prove", header_style="bold",
                  caption="seconds: a theorem cited by several files is checked once, where first needed; "
                          "the results in words: docs/theory.md sections 4-5")
    for col, justify in (("proof", "left"), ("title", "left"), ("theorems", "right"), ("checks", "right"),
                         ("sympy", "left"), ("z3 c/u/r", "right"), ("verdict", "left"), ("seconds", "right")):
        table.add_column(col, justify=justify, overflow="fold", no_wrap=col in ("proof", "verdict", "z3 c/u/r"))
    totals = {"confirmed": 0, "undecided": 0, "unsupported": 0, "refuted": 0}
    for report, seconds in rows:
        verdict = "[green]verified[/green]" if report.verified else "[bold red]FAILED[/bold red]"
        sympy_ok = "[green]ok[/green]" if report.sympy_verified else "[bold red]rejects[/bold red]"
        counts = report.z3_counts
        for key, value in counts.items():
            totals[key] += value
        z3_cell = "off" if no_z3 else _z3_cell(counts)
        table.add_row(report.id, report.title, str(len(report.theorems)), str(report.n_steps), sympy_ok, z3_cell,
                      verdict, f"{seconds:.2f}")
    console.print(table)
    if not no_z3:
        console.print(f"z3: {totals['confirmed']} confirmed, {totals['undecided'] + totals['unsupported']} undecided "
                      f"({totals['unsupported']} unsupported), {totals['refuted']} refuted "
                      "(undecided: timeout, or a counterexample only with sums/exp/log as free variables)")
    for report, _ in rows:
        if report.checked_numerically:
            console.print(f"[dim]{report.id}: not checked symbolically: {report.checked_numerically}[/dim]")
        if steps or not report.verified:
            console.print(_steps_table(report))
        for th in report.theorems:  # unwrapped, so that a counterexample can be read (and copied) whole
            for item in th.items:
                if item.z3 == "refuted":
                    click.echo(f"z3 refutes {report.id} / {th.name} / {item.where}: {item.z3_detail}")
    failed = [r.id for r, _ in rows if not r.verified]
    if failed:
        raise ProofsFailed(f"{len(failed)} proof(s) failed: {', '.join(failed)}")


def _z3_cell(counts: dict) -> str:
    undecided = counts["undecided"] + counts["unsupported"]
    refuted = f"[bold red]{counts['refuted']}[/bold red]" if counts["refuted"] else "0"
    return f"{counts['confirmed']}/{undecided}/{refuted}"


def _steps_table(report):
    from rich.table import Table

    table = Table(title=f"{report.id}: checked items", header_style="bold", show_lines=False)
    for col in ("theorem", "where", "justification", "method", "sympy", "z3", "ok", "reason"):
        table.add_column(col, overflow="fold")
    for th in report.theorems:
        for item in th.items:
            if item.verified and not _wanted(item):
                continue
            sympy_ok = item.verified if item.sympy_verified is None else item.sympy_verified
            z3_text = item.z3 + (f": {item.z3_detail}" if item.z3 in ("refuted", "undecided", "unsupported")
                                 and item.z3_detail else "")
            table.add_row(th.name, item.where, item.justification, item.method, "yes" if sympy_ok else "NO",
                          z3_text or "-", "[green]yes[/green]" if item.verified else "[bold red]NO[/bold red]",
                          item.reason)
    return table


def _wanted(item) -> bool:
    return not item.where.endswith(("relations", "start", "end")) and item.where != "assumptions"
