"""Wall time of one sweep in this process against the same sweep on a Dask LocalCluster.

The sweep is ``sambounds.check.runner.report`` over the whole catalog (or the first ``--bounds``
bounds): one probe per bound, the probes independent (each seeds itself from the report's seed
and its own bound), so the two runs must produce the same report field by field; the script
checks that before it prints a ratio.  The Dask figure includes starting and closing the
LocalCluster (``--workers`` processes, one thread each), which is what a user of
``sambounds report --executor dask`` pays; a second figure excludes it (cluster already up).

BLAS uses one thread per process (OPENBLAS_NUM_THREADS etc. default to 1 here) so that the
in-process run and each worker get the same single-core arithmetic and the ratio measures the
parallelism, not BLAS oversubscription.

Run:  python benchmarks/bench_sweep.py [--workers 2] [--bounds 0] [--default] [--seed 0]
Needs the optional extra ``dask`` (pip install "sambounds[dask]").
"""

from __future__ import annotations

import argparse
import os
import time

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from sambounds.check.runner import report  # noqa: E402
from sambounds.executor import DaskExecutor, LocalExecutor  # noqa: E402
from sambounds.theory.catalog import catalog  # noqa: E402


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def differences(a: dict, b: dict) -> list[str]:
    """Fields in which two ``CatalogReport.to_dict()`` differ (timings are not part of it)."""
    out = [k for k in a if k != "reports" and a[k] != b.get(k)]
    if len(a["reports"]) != len(b["reports"]):
        return out + ["number of rows"]
    for ra, rb in zip(a["reports"], b["reports"]):
        out += [f"{ra['bound']}: {f}" for f in ra if ra[f] != rb.get(f)]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--bounds", type=int, default=0, help="first N catalog bounds (0: all)")
    ap.add_argument("--default", action="store_true", help="default sizes instead of quick")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    bounds = tuple(catalog)[: args.bounds or None]
    quick = not args.default
    kwargs = dict(quick=quick, seed=args.seed, bounds=bounds)
    print(f"sweep: report over {len(bounds)} bounds, {'quick' if quick else 'default'} sizes, seed {args.seed}; "
          f"Dask LocalCluster of {args.workers} workers x 1 thread; {os.cpu_count()} CPUs visible")

    local, t_local = timed(lambda: report(executor=LocalExecutor(), **kwargs))

    from distributed import Client, LocalCluster

    remote, t_dask = timed(lambda: report(executor=DaskExecutor(n_workers=args.workers), **kwargs))
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster):
        warm, t_warm = timed(lambda: report(executor=DaskExecutor(address=cluster.scheduler_address), **kwargs))

    diff = differences(local.to_dict(), remote.to_dict()) + differences(local.to_dict(), warm.to_dict())
    if diff:
        raise SystemExit(f"the reports differ in {len(diff)} fields, e.g. {diff[:5]}: no timing is meaningful")
    probe_sum = sum(local.seconds)
    rows = [("in-process (LocalExecutor)", t_local),
            (f"Dask, {args.workers} local workers, cluster start included", t_dask),
            (f"Dask, {args.workers} local workers, cluster already up", t_warm)]
    print("reports identical field by field (timings excluded): yes")
    print(f"{'executor':<55} {'wall s':>8} {'vs in-process':>14}")
    for label, t in rows:
        print(f"{label:<55} {t:8.1f} {t / t_local:13.2f}x")
    print(f"sum of per-probe times in-process: {probe_sum:.1f} s; longest probe: {max(local.seconds):.1f} s "
          f"(a lower limit on any executor's wall time)")


if __name__ == "__main__":
    main()
