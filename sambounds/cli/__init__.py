"""The ``sambounds`` command line.

Each sub-command lives in its own module and is registered on :data:`app` below.  A user
error (any :class:`~sambounds.errors.SamboundsError`) prints one line to stderr and exits
with status 2; it never shows a traceback.
"""

from __future__ import annotations

import sys

import typer

from ..errors import SamboundsError

app = typer.Typer(
    name="sambounds",
    help="Formal bound checking for practical Sharpness-Aware Minimization (constant rho, normalized ascent).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

from . import query as _query  # noqa: E402

_query.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script; returns the exit status."""
    try:
        app(args=argv, standalone_mode=False)
    except SamboundsError as exc:
        typer.echo(f"error: {exc}", err=True)
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        typer.echo("aborted", err=True)
        return 1
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        raise
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
