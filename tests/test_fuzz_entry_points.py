"""Hostile inputs against every public entry point (issue 12): a documented error or a clean result.

Each test draws calls of one entry point from :mod:`fuzz_cases` (hypothesis supplies the
``random.Random``, so the default profile is deterministic and a failure shrinks) and checks the
contract there: a result without NaN or undocumented infinities, or a ``SamboundsError``; never
another exception, never a mutated argument; a CLI command exits 0, 1 or 2 and says a user error
in one ``error:`` line, without a traceback.  Examples are tiny (T <= 8, PEP horizons 1-2); the
expensive entry points (a real proof, a plot, an attack) get a fifth of the examples.
``benchmarks/bench_fuzz.py`` runs the same generator on 10^4 inputs and more.
"""

from __future__ import annotations

import random
import warnings

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import fuzz_cases as fc

_CHEAP = sorted(set(fc.ENTRY_POINTS) - fc.EXPENSIVE)
_EXPENSIVE = sorted(fc.EXPENSIVE)
_N = settings.default.max_examples   # 50 under the default profile, 25 under ci


def _check(entry: str, rnd: random.Random) -> None:
    call = fc.draw(entry, rnd)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # warnings are allowed (eta > 2/beta, solver accuracy): only errors count
        fc.run_call(call)


@pytest.mark.parametrize("entry", _CHEAP)
@settings(max_examples=_N, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rnd=st.randoms(use_true_random=False))
def test_cheap_entry_point_keeps_the_contract(entry, rnd):
    _check(entry, rnd)


@pytest.mark.parametrize("entry", _EXPENSIVE)
@settings(max_examples=max(3, _N // 5), suppress_health_check=[HealthCheck.too_slow])
@given(rnd=st.randoms(use_true_random=False))
def test_expensive_entry_point_keeps_the_contract(entry, rnd):
    _check(entry, rnd)


def test_every_cli_command_is_fuzzed():
    from sambounds.cli import cli

    fuzzed = {name.removeprefix("cli ") for name in fc.ENTRY_POINTS if name.startswith("cli ")}
    assert set(cli.commands) <= fuzzed, set(cli.commands) - fuzzed


# ---- the contract checker itself must catch what it is there to catch ---------------------------------
def _raises(fn):
    return fc.Call("probe", fn, (), {})


def test_checker_flags_an_undocumented_exception():
    with pytest.raises(fc.ContractViolation, match="undocumented exception.*ZeroDivisionError"):
        fc.run_call(_raises(lambda: 1 / 0))


def test_checker_flags_nan_and_inf_results():
    import numpy as np

    with pytest.raises(fc.ContractViolation, match="non-finite"):
        fc.run_call(_raises(lambda: {"value": float("nan")}))
    with pytest.raises(fc.ContractViolation, match="non-finite"):
        fc.run_call(_raises(lambda: [1.0, np.array([1.0, np.inf])]))
    assert fc.run_call(_raises(lambda: {"value": 1.0})).status == "accepted"


def test_checker_flags_a_mutated_input():
    import numpy as np

    def scale_in_place(x):
        x *= 2

    with pytest.raises(fc.ContractViolation, match="mutated input"):
        fc.run_call(fc.Call("probe", scale_in_place, (np.ones(3),), {}))


def test_checker_flags_a_multi_line_cli_error(monkeypatch):
    import click

    from sambounds.cli import cli

    @click.command("noisy")
    def noisy():
        click.echo("line one", err=True)
        raise click.UsageError("line two")

    monkeypatch.setitem(cli.commands, "noisy", noisy)
    with pytest.raises(fc.ContractViolation, match="one 'error: ...' line"):
        fc.run_call(fc.Call("cli noisy", argv=["noisy"]))


def test_a_diverged_run_may_read_inf_only_where_flagged():
    import numpy as np

    import sambounds
    from sambounds.functions import Quadratic

    s = sambounds.Setting.create("gd", "strongly-convex", beta=1.0, mu=0.1, T=400, eta=2.5)
    res = sambounds.simulate(s, Quadratic.diagonal([[1.0, 0.1]]), np.array([1.0, 1.0]))
    assert res.diverged.all() and np.isinf(res.gap.final).all()
    assert fc.nonfinite(res) is None
    forged = res.__class__(**{**res.__dict__, "diverged_at": np.full_like(res.diverged_at, -1)})
    assert "not flagged" in fc.nonfinite(forged)


# ---- `sambounds check bad.toml`: one line, exit 2, never a traceback -----------------------------------
_BAD_TOML = {
    "not TOML": "this is not toml",
    "unterminated string": '[[bound]]\nname = "x\n',
    "no [[bound]] table": 'title = "x"\n',
    "missing expression": '[[bound]]\nname = "a"\nalgorithm = "sam"\nclass = "nonconvex"\nquantity = "grad-avg"\n',
    "non-numeric expression": '[[bound]]\nname = "a"\nexpression = 3\nalgorithm = "sam"\nclass = "nonconvex"\n'
                              'quantity = "grad-avg"\n',
    "division by zero": '[[bound]]\nname = "a"\nexpression = "1/0"\nalgorithm = "sam"\nclass = "nonconvex"\n'
                        'quantity = "grad-avg"\n',
    "NaN condition": '[[bound]]\nname = "a"\nexpression = "beta"\nalgorithm = "sam"\nclass = "nonconvex"\n'
                     'quantity = "grad-avg"\nconditions = ["nan > 0"]\n',
    "algorithm of wrong type": '[[bound]]\nname = "a"\nexpression = "beta"\nalgorithm = [1, 2]\n'
                               'class = "nonconvex"\nquantity = "grad-avg"\n',
    "huge exponent": '[[bound]]\nname = "a"\nexpression = "beta**10**400"\nalgorithm = "sam"\nclass = "nonconvex"\n'
                     'quantity = "grad-avg"\n',
    "unknown field": '[[bound]]\nname = "a"\nexpression = "beta"\nalgorithm = "sam"\nclass = "nonconvex"\n'
                     'quantity = "grad-avg"\nbogus = 1\n',
}


@pytest.mark.parametrize("case", sorted(_BAD_TOML))
def test_check_of_a_bad_toml_file_is_one_line_and_status_2(case, tmp_path, capsys):
    from sambounds.cli import main

    path = tmp_path / "bad.toml"
    path.write_text(_BAD_TOML[case])
    assert main(["check", str(path), "--quick", "--budget", "0"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: invalid "), captured.err
    assert "Traceback" not in captured.err + captured.out


@pytest.mark.parametrize("target", ["missing.toml", "."])
def test_check_of_a_missing_file_or_a_folder_is_one_line_and_status_2(target, tmp_path, capsys, monkeypatch):
    from sambounds.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["check", target]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error:") and "Traceback" not in err


def test_check_of_a_file_that_is_not_utf8_is_one_line_and_status_2(tmp_path, capsys):
    from sambounds.cli import main

    path = tmp_path / "latin1.toml"
    path.write_bytes(b'[[bound]]\nname = "caf\xe9"\n')
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "UTF-8" in err
