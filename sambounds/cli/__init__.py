"""The ``sambounds`` command line (click + rich).

Each sub-command lives in its own module of this package and is attached to :data:`cli`
below.  A user error (any :class:`~sambounds.errors.SamboundsError`, a bad option, or a file named on
the command line that cannot be read or written) prints one line to stderr and exits with
status 2; it never shows a traceback.
"""

from __future__ import annotations

import sys

import click

from ..errors import SamboundsError

# click >= 8.2 raises this for a group called without a command; older versions print the help themselves
_NoArgsIsHelp = getattr(click.exceptions, "NoArgsIsHelpError", ())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sambounds")
def cli() -> None:
    """Formal bound checking for practical Sharpness-Aware Minimization (constant rho, normalized ascent)."""


from . import (check, check_schedule, conform, plot, prove, query, report, rerun, simulate,  # noqa: E402
               worst_case)

for _module in (query, simulate, worst_case, report, check, rerun, check_schedule, prove, plot, conform):
    _module.register(cli)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    try:
        # without standalone mode click *returns* the code of a ctx.exit(n) / Exit(n) instead of exiting
        status = cli.main(args=argv, prog_name="sambounds", standalone_mode=False)
    except SamboundsError as exc:
        click.echo(f"error: {exc}", err=True)
        return 2
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 1
    except _NoArgsIsHelp as exc:  # `sambounds` alone (or a group without its command): the help is the answer
        click.echo(exc.format_message())
        return 0
    except click.ClickException as exc:
        # one line, no usage block: the user sees what was wrong and the exit status says so (click lists
        # the choices of a missing option on several lines: joined)
        click.echo(f"error: {' '.join(exc.format_message().split())}", err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except OSError as exc:
        # a file named on the command line that cannot be read or written (--out in a missing folder,
        # --witness-out on a read-only path): a user error like a bad value, one line with the path
        where = f": {exc.filename}" if exc.filename else ""
        click.echo(f"error: {exc.strerror or exc}{where}", err=True)
        return 2
    return status if isinstance(status, int) else 0


def run() -> None:  # console-script shim: exit with main()'s status
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
