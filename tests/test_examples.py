"""Every example script runs (small sizes) and prints what its docstring promises, so none can rot."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _run(name: str, *args: str) -> str:
    proc = subprocess.run([sys.executable, str(EXAMPLES / name), "--small", *args], capture_output=True, text=True,
                          timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_every_example_is_exercised_here():
    source = Path(__file__).read_text()
    scripts = sorted(p.name for p in EXAMPLES.glob("*.py"))
    assert scripts, "no examples"
    for name in scripts:
        assert f'"{name}"' in source, f"{name} has no test in {Path(__file__).name}"


def test_query_bound():
    out = _run("query_bound.py")
    value = float(re.search(r"best upper  D-SC/theorem-a/prescribed\s+f\(x_T\) - f\* <= ([0-9.e+-]+)", out).group(1))
    from sambounds import Setting, query

    expected = query(Setting.create("sam", "strongly-convex", beta=1.0, mu=0.01, rho=0.05, Delta=1.0, T=10_000)
                     ).entry("D-SC/theorem-a/prescribed").value
    assert value == pytest.approx(expected, rel=1e-3)
    assert "L-SC/limit" in out and "proofs/d_sc_prescribed.py" in out


def test_paper_figures(tmp_path):
    out = _run("paper_figures.py", "--out", str(tmp_path))
    for name in ("figure1", "figure2", "figure6", "two-cycle", "fixed-point"):
        path = tmp_path / f"{name}.png"
        assert f"wrote {path}" in out and path.stat().st_size > 20_000


def test_verify_cosine_schedule():
    out = _run("verify_cosine_schedule.py")
    assert "D-SC/weak/schedule" in out
    verdicts = re.findall(r"2\. target \S+: (CERTIFIED|REFUTED|UNDECIDED)", out)
    assert len(verdicts) == 2 and verdicts[1] == "REFUTED"  # 1e-6 is below the 2-cycle floor
    assert "still misses the target: True" in out and "relative error 0.0e+00" in out
    assert re.search(r"respects D-SC/weak/schedule: worst measured/bound = [0-9.e+-]+", out)


def test_pep_worst_case():
    out = _run("pep_worst_case.py")
    gd = re.search(r"worst f\(x_T\) - f\* = ([0-9.e+-]+) \(Drori-Teboulle beta D\^2/\(4T\+2\) = ([0-9.e+-]+)\)", out)
    assert float(gd.group(1)) == pytest.approx(float(gd.group(2)), rel=1e-5)
    upper, lower = (float(x) for x in re.search(r"certified upper ([0-9.e+-]+), attained lower ([0-9.e+-]+)",
                                                out).groups())
    assert upper >= lower > 0
    err = float(re.search(r"relative error ([0-9.e+-]+)", out).group(1))
    assert err < 1e-4


def test_my_bound_attacked():
    out = _run("my_bound_attacked.py")
    assert re.search(r"mine/sc-no-floor\s+upper violated", out)       # registered from Python
    assert re.search(r"mine/nonconvex-constant-step\s+upper holds", out)  # examples/my_bounds.toml
    assert re.search(r"mine/no-floor\s+upper violated", out)
    assert "witness re-runs" in out and "matches=False" not in out
