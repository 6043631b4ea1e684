"""`sambounds check-schedule`: certify, refute (with a witness file) or leave undecided a step-size schedule."""

from __future__ import annotations


import click

from ._options import (GENERIC, PRESCRIBED, executor_options, schedule_from_options, schedule_shape_options,
                       setting_options)

QUANTITIES = ("gap", "dist", "grad-avg", "grad-min", "grad-wsum", "e-gap", "e-grad-avg", "e-grad-wsum")


def register(group: click.Group) -> None:
    group.add_command(check_schedule_command)


class ScheduleNotCertified(click.ClickException):
    """Exit status 1 (REFUTED or UNDECIDED), like `check` and `report` on a violated or inconclusive check."""

    exit_code = 1


@click.command("check-schedule")
@click.option("--schedule", help=f"{', '.join(GENERIC)}, a prescribed rule ({', '.join(PRESCRIBED)}) or a "
              ".npy/.txt/.csv file [default with --eta: constant]")
@setting_options
@click.option("--target", type=float, required=True, help="the value the quantity must not exceed (> 0)")
@click.option("--quantity", type=click.Choice(QUANTITIES),
              help="what is verified (default: gap / e-gap on strongly convex f, grad-min / e-grad-wsum otherwise)")
@click.option("--eta", type=float, help="constant step size (as in query, simulate and worst-case)")
@click.option("--eta-max", type=float, help="peak (first) step of a generic schedule [default: 1/beta]")
@schedule_shape_options
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--quick", is_flag=True, help="CI-sized attack (fewer starts, instances and samples)")
@click.option("--pep-max-T", "pep_max_T", type=int, help="largest T for the PEP [default: 10, or 5 with --quick]")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--witness-out", type=click.Path(dir_okay=False, writable=True),
              help="write the refutation witness here (JSON; re-run with `sambounds rerun`)")
@executor_options
def check_schedule_command(schedule, algorithm, function_class, beta, mu, rho, L, sigma, Delta, D, T, target,
                           quantity, eta, eta_max, eta_min, warmup, gamma, every, seed, quick, pep_max_T, fmt,
                           witness_out, executor, scheduler) -> None:
    """Does SCHEDULE provably reach TARGET, fail on some function of the class, or neither?

    The verdict is CERTIFIED (a proven upper bound meets the target), REFUTED (a function of the
    class on which the schedule misses it; --witness-out writes it) or UNDECIDED (with the gap
    between the best certified value and the worst value found).  Exit status 0 when CERTIFIED,
    1 when REFUTED or UNDECIDED, 2 on a usage error.
    """
    from ..executor import get_executor
    from ..setting import Setting
    from ..verify import verify_schedule

    schedule, peak = _schedule_and_peak(schedule, eta, eta_max)
    sched = schedule_from_options(schedule, algorithm=algorithm, T=T, beta=beta, eta=peak, eta_min=eta_min,
                                  warmup=warmup, gamma=gamma, every=every)
    setting = Setting.create(algorithm, function_class, T=T, beta=beta, mu=mu, rho=rho, L=L, sigma=sigma,
                             Delta=Delta, D=D, schedule=sched)
    report = verify_schedule(setting, target=target, quantity=quantity, seed=seed,
                             effort="quick" if quick else "default", pep_max_T=pep_max_T,
                             executor=get_executor(executor, scheduler=scheduler))
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
    if report.verdict != "certified":
        raise ScheduleNotCertified(f"the schedule is {report.verdict}: {report.quantity.label} <= {report.target:g} "
                                   "is not certified")


def _schedule_and_peak(schedule: str | None, eta: float | None, eta_max: float | None) -> tuple[str, float | None]:
    """--eta is the constant step (as in every command); --eta-max the peak of a generic schedule.

    ``--schedule S --eta X`` with a varying S is the old spelling of ``--eta-max X``: still
    accepted, with a deprecation warning on stderr.
    """
    from ..errors import InvalidParameterError

    if eta is not None and eta_max is not None:
        raise InvalidParameterError("eta", eta, "absent when --eta-max is given",
                                    "--eta is a constant step, --eta-max the peak of a schedule")
    if schedule is None:
        if eta is None:
            raise InvalidParameterError("schedule", None, "a schedule name or file, or --eta for a constant step")
        return "constant", eta
    if eta is not None and schedule != "constant":
        if schedule in GENERIC:
            click.echo(f"warning: --eta as the peak of --schedule {schedule} is deprecated; use --eta-max "
                       "(--eta is the constant step)", err=True)
            return schedule, eta
        raise InvalidParameterError("eta", eta, f"absent for --schedule {schedule}",
                                    "--eta is a constant step; a prescribed or file schedule sets its own steps")
    return schedule, eta if eta is not None else eta_max
