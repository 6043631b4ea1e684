"""Where independent probes run: in this process (default) or on a ``dask.distributed`` cluster.

A probe is a pure function call ``fn(spec)`` whose result depends on ``spec`` alone: every seed a
probe uses is derived from the caller's seed and the probe's own identity (its bound, its family
index), never from the order in which probes execute.  Hence ``executor.map(fn, specs)`` returns
the same list, in the order of ``specs``, whichever executor and however many workers ran it.

- :class:`LocalExecutor`: a plain loop in this process, no extra dependency.
- :class:`DaskExecutor`: ``dask.distributed`` (the optional extra ``dask``), on the scheduler at
  ``address`` or, without one, on a :class:`distributed.LocalCluster` started for the call and
  closed after it.  A task whose worker is lost is rescheduled by the scheduler (up to its
  ``distributed.scheduler.allowed-failures``) and a task that raises is retried ``retries``
  times; a probe that still fails raises, so a row is never silently missing.

``progress(index, done, total)`` is called once before any probe completes (index None) and then
after each completed probe, with that probe's index in ``specs`` (completion order on Dask, spec
order in-process).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol, Sequence, runtime_checkable

from .errors import InvalidParameterError

Progress = Callable[[Any, int, int], None]


@runtime_checkable
class Executor(Protocol):
    """Runs ``fn`` on every spec and returns the results in the order of ``specs``."""

    name: str

    def map(self, fn: Callable[[Any], Any], specs: Sequence[Any], *,
            progress: Progress | None = None) -> list: ...


@dataclass(frozen=True)
class LocalExecutor:
    """In-process, sequential: ``[fn(s) for s in specs]``."""

    name: str = "local"

    def map(self, fn: Callable[[Any], Any], specs: Sequence[Any], *,
            progress: Progress | None = None) -> list:
        specs = list(specs)
        out = []
        if progress is not None:
            progress(None, 0, len(specs))
        for s in specs:
            out.append(fn(s))
            if progress is not None:
                progress(len(out) - 1, len(out), len(specs))
        return out


@dataclass(frozen=True)
class DaskExecutor:
    """``dask.distributed``: the scheduler at ``address``, or a LocalCluster of ``n_workers``.

    Workers of the LocalCluster are processes with one thread each (the probes are NumPy-bound
    and hold the GIL between BLAS calls).  ``retries``: re-runs of a probe that raised.
    """

    address: str | None = None
    n_workers: int = 2
    retries: int = 2
    name: str = "dask"

    def __post_init__(self) -> None:
        if self.address is not None and (not isinstance(self.address, str) or not self.address.strip()):
            raise InvalidParameterError("scheduler", self.address, "a scheduler address such as 'tcp://host:8786'")
        for label, val, low in (("n_workers", self.n_workers, 1), ("retries", self.retries, 0)):
            if isinstance(val, bool) or not isinstance(val, int) or val < low:
                raise InvalidParameterError(label, val, f"an integer >= {low}")
        _distributed()

    def map(self, fn: Callable[[Any], Any], specs: Sequence[Any], *,
            progress: Progress | None = None) -> list:
        distributed = _distributed()
        specs = list(specs)
        if progress is not None:
            progress(None, 0, len(specs))
        if not specs:
            return []
        if self.address is None:
            with distributed.LocalCluster(n_workers=self.n_workers, threads_per_worker=1, processes=True,
                                          dashboard_address=None) as cluster, \
                    distributed.Client(cluster) as client:
                return self._run(client, fn, specs, progress)
        try:
            client = distributed.Client(self.address, timeout="30s")
        except OSError as exc:
            raise InvalidParameterError("scheduler", self.address, "a reachable dask scheduler address",
                                        str(exc).splitlines()[0]) from None
        with client:
            return self._run(client, fn, specs, progress)

    def _run(self, client, fn, specs, progress) -> list:
        distributed = _distributed()
        # pure=False: two equal specs are still two probes (and keys never collide across calls)
        futures = client.map(fn, specs, pure=False, retries=self.retries)
        index = {f.key: i for i, f in enumerate(futures)}
        results: list[Any] = [None] * len(specs)
        done = 0
        for fut in distributed.as_completed(futures):
            i = index[fut.key]
            results[i] = fut.result()   # raises the probe's error after its retries
            done += 1
            if progress is not None:
                progress(i, done, len(specs))
        return results


def get_executor(executor: Any = None, *, scheduler: str | None = None) -> Executor:
    """Resolve an ``executor`` argument: None / "local" -> LocalExecutor, "dask" -> DaskExecutor.

    A ``scheduler`` address implies Dask; an :class:`Executor` instance is returned as is.
    """
    if isinstance(executor, (LocalExecutor, DaskExecutor)) or (
            executor is not None and not isinstance(executor, str) and isinstance(executor, Executor)):
        if scheduler is not None:
            raise InvalidParameterError("scheduler", scheduler, "None when an Executor instance is given")
        return executor
    if executor is None:
        executor = "dask" if scheduler is not None else "local"
    if executor == "local":
        if scheduler is not None:
            raise InvalidParameterError("scheduler", scheduler, "None with executor='local' (a scheduler is dask's)")
        return LocalExecutor()
    if executor == "dask":
        return DaskExecutor(address=scheduler)
    raise InvalidParameterError("executor", executor, "'local', 'dask' or an Executor instance")


def _distributed():
    try:
        import distributed
    except ImportError:
        raise InvalidParameterError("executor", "dask", "an installed executor",
                                    "dask.distributed is not installed; pip install 'sambounds[dask]'") from None
    return distributed
