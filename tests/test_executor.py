"""The probe executor: in-process and dask.distributed give the same reports, in order, none missing."""

from __future__ import annotations

import pytest

from sambounds.check.runner import report
from sambounds.errors import InvalidParameterError
from sambounds.executor import DaskExecutor, LocalExecutor, get_executor
from sambounds.theory.catalog import catalog

#: a quick mix: an upper bound attacked, a lower bound witnessed, an order-only rate check
NAMES = ("D-SC/theorem-a/prescribed", "L-SC/floor", "paper/D-SC/rate")


def _selected():
    return tuple(catalog[n] for n in NAMES)


def _square(x):
    return x * x



def test_local_executor_keeps_order_and_reports_each_completion():
    seen = []
    out = LocalExecutor().map(_square, [3, 1, 2], progress=lambda i, done, total: seen.append((i, done, total)))
    assert out == [9, 1, 4]
    assert seen == [(None, 0, 3), (0, 1, 3), (1, 2, 3), (2, 3, 3)]


def test_get_executor_resolves_names_and_rejects_others():
    assert isinstance(get_executor(None), LocalExecutor)
    assert isinstance(get_executor("local"), LocalExecutor)
    ex = LocalExecutor()
    assert get_executor(ex) is ex
    for bad in ("spark", 3):
        with pytest.raises(InvalidParameterError, match="executor"):
            get_executor(bad)
    with pytest.raises(InvalidParameterError, match="scheduler"):
        get_executor("local", scheduler="tcp://127.0.0.1:8786")


@pytest.fixture(scope="module")
def dask_executor():
    pytest.importorskip("distributed")
    return DaskExecutor(n_workers=2)


def test_dask_local_cluster_report_equals_the_in_process_report(dask_executor):
    bounds = _selected()
    local = report(quick=True, seed=3, bounds=bounds)
    seen = []
    remote = report(quick=True, seed=3, bounds=bounds, executor=dask_executor,
                    progress=lambda text, done, total: seen.append((done, total)))
    a, b = local.to_dict(), remote.to_dict()   # timings are excluded from to_dict
    assert [r["bound"] for r in b["reports"]] == [x.name for x in bounds]
    assert a.keys() == b.keys()
    for key in a:
        if key != "reports":
            assert a[key] == b[key], key
    for ra, rb in zip(a["reports"], b["reports"]):
        assert ra.keys() == rb.keys()
        for field in ra:
            assert ra[field] == rb[field], (ra["bound"], field)
    # progress: one call before anything completed, then one per completed probe
    assert seen[0] == (0, len(bounds)) and [d for d, _ in seen[1:]] == list(range(1, len(bounds) + 1))
    assert len(remote.seconds) == len(bounds) and all(t > 0 for t in remote.seconds)


def test_dask_probe_that_raises_surfaces_instead_of_a_missing_row(dask_executor):
    with pytest.raises(ZeroDivisionError):
        DaskExecutor(n_workers=1, retries=0).map(_reciprocal, [1, 0, 2])


def _reciprocal(x):
    return 1 / x
