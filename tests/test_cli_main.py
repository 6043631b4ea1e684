"""The console entry point: exit statuses and one-line errors for every sub-command."""

from __future__ import annotations

import click

from sambounds.cli import cli, main


def test_every_subcommand_is_registered():
    assert {"query", "list", "simulate", "worst-case", "report", "check", "rerun", "check-schedule", "prove",
            "plot"} <= set(cli.commands)


def test_exit_status_of_a_subcommand_is_returned(monkeypatch):
    @click.command("fails-softly")
    @click.pass_context
    def fails_softly(ctx):
        ctx.exit(3)

    monkeypatch.setitem(cli.commands, "fails-softly", fails_softly)
    assert main(["fails-softly"]) == 3


def test_usage_error_is_one_line(capsys):
    assert main(["query", "--algorithm", "adam"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error:") and "adam" in err[0]


def test_user_error_is_one_line_without_traceback(capsys):
    status = main(["query", "--algorithm", "sam", "--class", "convex", "--beta", "-1", "--rho", "0.1", "--T", "5"])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "beta=-1.0" in err and "Traceback" not in err
