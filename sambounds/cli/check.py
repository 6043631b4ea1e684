"""`sambounds check FILE.toml`: attack user-registered bounds with the catalog's machinery."""

from __future__ import annotations

from pathlib import Path

import click

from ._options import budget_options, executor_options


def register(group: click.Group) -> None:
    group.add_command(check_command)


@click.command("check")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--quick", is_flag=True, help="CI-sized attack")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="write the output to this file")
@executor_options
@click.option("--witness-dir", type=click.Path(file_okay=False, path_type=Path),
              help="write a witness JSON (for `sambounds rerun`) per violated bound into this directory")
@budget_options
def check_command(path: Path, quick: bool, seed: int, fmt: str, out: Path | None, witness_dir: Path | None,
                  budget: int | None, replicas: int | None, executor: str, scheduler: str | None) -> None:
    """Attack the [[bound]] entries of a TOML file (see examples/my_bounds.toml).  Exit status 1 when a
    bound is violated or a check is inconclusive."""
    from rich.console import Console

    from ..check.runner import ProbeSpec, run_probes
    from ..executor import get_executor
    from ..check.witness import save
    from ..theory.user import load_bounds
    from .report import emit, fail_unless_ok, run_with_progress

    registered = load_bounds(path)
    ex = get_executor(executor, scheduler=scheduler)
    specs = [ProbeSpec(r.bound, quick, seed, r.construction, budget, replicas) for r in registered]

    def run_all(progress):
        return run_probes(specs, "quick" if quick else "default", seed, ex, progress)

    result, seconds = run_with_progress(run_all, Console(stderr=True))
    if witness_dir is not None:
        witness_dir.mkdir(parents=True, exist_ok=True)
        for r in result.reports:
            if r.witness is not None:
                p = save(r.witness, witness_dir / (r.bound.replace("/", "_") + ".json"))
                click.echo(f"witness: {p}  (re-run: sambounds rerun {p})", err=True)
    emit(result, seconds, fmt, out, None, f"sambounds check {path.name}")
    fail_unless_ok(result)
