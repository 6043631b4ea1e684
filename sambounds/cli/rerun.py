"""`sambounds rerun WITNESS.json`: re-run a witness and compare with its stored numbers."""

from __future__ import annotations

import json
from pathlib import Path

import click


def register(group: click.Group) -> None:
    group.add_command(rerun_command)


@click.command("rerun")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rerun_command(path: Path, fmt: str) -> None:
    """Re-run a witness: "bound-witness" (sambounds check/report), "schedule-witness"
    (sambounds check-schedule), "pep-witness" (sambounds worst-case) or "pep-refutation" (a lower
    bound refuted by a PEP certificate; re-solved and re-verified exactly).
    Exit status 1 when the numbers do not reproduce to the kind's tolerance."""
    import sys

    from ..check.witness import rerun

    if "" not in sys.path:  # a witness of a user's optimizer imports its module:factory from here
        sys.path.insert(0, "")
    r = rerun(path)
    if fmt == "json":
        click.echo(json.dumps(r.to_dict(), indent=1))
    else:
        click.echo(r.description)
        for key in r.expected:
            if key in r.got:
                click.echo(f"  {key:9s} expected {r.expected[key]!r:>24}  got {r.got[key]!r:>24}")
        if r.target is not None:
            click.echo(f"  target    {r.target!r}: {'still missed' if r.misses_target else 'met'} by the re-run")
        click.echo(f"  {'reproduced' if r.matches else 'NOT reproduced'} (max relative error {r.rel_error:.3g}, "
                   f"tolerance {r.tolerance:.3g})")
    if not r.matches:
        from .report import ChecksFailed

        raise ChecksFailed(f"witness {path} did not reproduce (relative error {r.rel_error:.3g} > "
                           f"{r.tolerance:.3g})")
