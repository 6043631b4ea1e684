"""`sambounds report --quick` (the main job, CI-sized), `sambounds check` and `sambounds rerun`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sambounds.cli import main
from sambounds.theory.catalog import catalog

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "my_bounds.toml"


@pytest.fixture(scope="module")
def quick_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    rc = main(["report", "--quick", "--seed", "0", "--format", "json", "--out", str(out / "r.json"),
               "--plots", str(out / "plots")])
    return rc, json.loads((out / "r.json").read_text()), out / "plots"


def test_quick_report_covers_the_catalog_and_everything_holds(quick_report):
    rc, doc, _ = quick_report
    assert rc == 0
    by_name = {r["bound"]: r for r in doc["reports"]}
    assert set(by_name) == set(catalog.names)
    for b in catalog:
        r = by_name[b.name]
        if b.provenance.value == "paper":
            # order-only: a rate check, never a numeric verdict
            assert r["check"] == "rate" and r["worst_ratio"] is None and r["slope"] is not None
            assert r["verdict"] == "holds", r["evidence"]
        elif b.kind.value == "upper":
            assert r["verdict"] == "holds" and r["worst_ratio"] <= 1 + 1e-9, r
        else:
            assert r["verdict"] == "witnessed" and r["worst_ratio"] >= 1 - 1e-9, r
    assert doc["counts"]["violated"] == 0 and doc["total_seconds"] > 0


def test_report_writes_one_plot_per_swept_bound(quick_report):
    _, doc, plots = quick_report
    swept = [r for r in doc["reports"] if r["slope"] and r["slope"]["x"]]
    files = sorted(plots.glob("*.png"))
    assert len(files) == len(swept) > 10
    assert all(f.stat().st_size > 5000 for f in files)


def test_report_table_lists_the_columns(capsys):
    rc = main(["report", "--quick", "--bound", "D-NC/inverse-beta", "--bound", "L-NC"])
    captured = capsys.readouterr()
    text = captured.out
    assert rc == 0
    for word in ("bound", "algorithm", "class", "kind", "provenance", "verdict", "worst ratio", "slope",
                 "D-NC/inverse-beta", "witnessed", "holds"):
        assert word in text
    # the legend says what the two number columns mean for the verdict
    assert "worst ratio: upper bounds" in text and "It decides only the 'order' rows" in text
    # stderr is not a terminal here (as in a pipe or a CI log): one progress line per finished check
    lines = [line for line in captured.err.splitlines() if line.startswith("[")]
    assert [line.split(" (")[0] for line in lines] == ["[1/2] D-NC/inverse-beta", "[2/2] L-NC"]
    assert all(line.endswith(" s)") for line in lines)


def test_report_bad_input_is_one_line(capsys):
    assert main(["report", "--bound", "no-such-bound"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert main(["report", "--seed", "-3"]) != 0


def test_check_and_rerun_from_the_shell(tmp_path, capsys):
    rc = main(["check", str(EXAMPLE), "--quick", "--witness-dir", str(tmp_path)])
    out = capsys.readouterr()
    assert rc == 1  # the example's "mine/no-floor" is meant to be violated
    assert "mine/no-floor" in out.out and "violated" in out.out
    witness = tmp_path / "mine_no-floor.json"
    assert witness.exists()
    assert main(["rerun", str(witness)]) == 0
    assert "reproduced" in capsys.readouterr().out
    doc = json.loads(witness.read_text())
    doc["expected"]["bound"] *= 2
    (tmp_path / "tampered.json").write_text(json.dumps(doc))
    assert main(["rerun", str(tmp_path / "tampered.json")]) == 1
    assert main(["rerun", str(tmp_path / "missing.json")]) == 2
    (tmp_path / "other.json").write_text(json.dumps({"kind": "mystery"}))
    assert main(["rerun", str(tmp_path / "other.json")]) == 2


def test_report_budget_and_replicas_options(tmp_path):
    out = tmp_path / "r.json"
    # budget 0: the menu alone, no search in the JSON
    assert main(["report", "--quick", "--bound", "S-SC/constant/n-sam", "--budget", "0", "--format", "json",
                 "--out", str(out)]) == 0
    (r,) = json.loads(out.read_text())["reports"]
    assert r["search"] is None
    assert main(["report", "--quick", "--bound", "S-SC/constant/n-sam", "--budget", "12", "--replicas", "64",
                 "--format", "json", "--out", str(out)]) == 0
    (r,) = json.loads(out.read_text())["reports"]
    assert r["search"]["budget"] == 12 and r["search"]["best"]["where"]["family"] in ("L-S", "quadratic-sum")
    assert r["search"]["sequential"]["replicas"] <= 64
    assert any(e.startswith("sequential replicas:") for e in r["evidence"])
    assert main(["report", "--quick", "--bound", "D-NC/constant", "--replicas", "1"]) == 2


def test_report_summary_says_how_many_runs_diverged(tmp_path):
    # a user bound that admits eta up to 3/beta: the attack's runs above 2/beta diverge, and the summary says so
    from click.testing import CliRunner

    from sambounds.cli import cli

    path = tmp_path / "wide.toml"
    path.write_text('[[bound]]\nname = "mine/wide-step"\nexpression = "2*Delta/(eta*T) + beta**2*rho**2"\n'
                    'algorithm = "sam"\nclass = "nonconvex"\nquantity = "grad-avg"\nstep = "constant"\n'
                    'step_limit = "3/beta"\n')
    result = CliRunner().invoke(cli, ["check", str(path), "--quick", "--budget", "0"])
    text = " ".join(result.output.split())
    import re

    m = re.search(r"(\d+) runs? diverged \(in 1 check: mine/wide-step (\d+)\)", text)
    assert m, text[-800:]
    assert int(m.group(1)) == int(m.group(2)) > 0


def test_report_summary_is_silent_when_nothing_diverged():
    from sambounds.check.report import Report, Verdict
    from sambounds.cli.report import diverged_line

    common = dict(check="upper", verdict=Verdict.HOLDS, algorithms="sam", function_class="convex", kind="upper",
                  provenance="user", quantity="gap")
    assert diverged_line([Report(bound="a", **common)]) is None
    line = diverged_line([Report(bound="a", diverged=3, **common), Report(bound="b", **common),
                          Report(bound="c", diverged=1, **common)])
    assert line.startswith("4 runs diverged (in 2 checks: a 3, c 1)")
