"""The sambounds pytest plugin (entry point ``pytest11``: ``sambounds = "sambounds.testing.plugin"``).

Installed with sambounds, it gives every test suite:

fixtures
    ``sam_seed``       an integer seed, stable per test (crc32 of the test id) and shifted by
                       ``--sambounds-seed`` so a CI run can be repeated or varied;
    ``sam_simulate``   the seeded simulator: ``sam_simulate(setting, function, x0, **kw)`` returns a
                       :class:`~sambounds.testing.assertions.Run` (inputs + result) seeded with ``sam_seed``;
    ``sam_catalog``    the bound catalog: ``sam_catalog["D-NC/schedule"]`` (an unknown name is a clear error);
    ``sam_witness_dir`` where failing assertions write their witness JSON (``--sambounds-witness-dir``,
                       default a per-test temporary directory);
    ``sam_conform``    :func:`sambounds.conform` seeded with ``sam_seed``: ``sam_conform(factory).match``;
    ``sam_assert``     :func:`assert_respects` / :func:`assert_witnessed` bound to ``sam_witness_dir``;
                       ``sam_assert.respects(bound, optimizer=factory, rho=...)`` attacks a user's own
                       optimizer, ``sam_assert.conforms(factory, "sam")`` checks it follows SAM.

options
    ``--sambounds-seed N``, ``--sambounds-witness-dir DIR``.

A failing assertion's report names the bound, the instance, the measured/bound ratio and the
witness file; ``sambounds rerun <file>`` replays it.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


def pytest_addoption(parser: Any) -> None:
    group = parser.getgroup("sambounds", "sambounds: bound assertions for SAM research")
    group.addoption("--sambounds-seed", type=int, default=0, metavar="N",
                    help="base seed of the sam_seed / sam_simulate fixtures (default 0)")
    group.addoption("--sambounds-witness-dir", default=None, metavar="DIR",
                    help="directory for witness JSON files of failing bound assertions (default: per-test tmp dir)")


def pytest_report_header(config: Any) -> str:
    from .. import __version__

    return f"sambounds {__version__}: seed {config.getoption('--sambounds-seed')}"


@pytest.fixture
def sam_seed(request: Any) -> int:
    """A seed that is the same for a test on every run (and changes with --sambounds-seed)."""
    base = int(request.config.getoption("--sambounds-seed"))
    return (zlib.crc32(request.node.nodeid.encode()) + base) % 2**32


@pytest.fixture
def sam_simulate(sam_seed: int):
    """``sam_simulate(setting, function, x0, **kwargs) -> Run``: :func:`sambounds.simulate`, seeded per test."""
    from .assertions import simulate_run

    def run(setting: Any, function: Any, x0: Any, **kwargs: Any):
        kwargs.setdefault("seed", sam_seed)
        return simulate_run(setting, function, x0, **kwargs)

    return run


@pytest.fixture
def sam_conform(sam_seed: int):
    """``sam_conform(optimizer, **kwargs) -> ConformanceResult``: :func:`sambounds.conform` with the test's seed."""
    from ..adapters.conformance import conform

    def run(optimizer: Any, **kwargs: Any):
        kwargs.setdefault("seed", sam_seed)
        return conform(optimizer, **kwargs)

    return run


@pytest.fixture
def sam_catalog():
    """The catalog of bounds (:data:`sambounds.theory.catalog.catalog`)."""
    from ..theory.catalog import catalog

    return catalog


@pytest.fixture
def sam_witness_dir(request: Any, tmp_path: Path) -> Path:
    """Directory for witness files: --sambounds-witness-dir/<test name> or the test's tmp_path."""
    option = request.config.getoption("--sambounds-witness-dir")
    if option is None:
        return tmp_path
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in request.node.name)
    folder = Path(option) / safe
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass(frozen=True)
class BoundAsserter:
    """The assertion helpers with the test's witness directory and seed filled in."""

    witness_dir: Path
    seed: int

    def respects(self, bound: Any, run: Any = None, **kwargs: Any) -> float:
        __tracebackhide__ = True
        from .assertions import assert_respects

        kwargs.setdefault("witness_dir", self.witness_dir)
        kwargs.setdefault("seed", self.seed)
        return assert_respects(bound, run, **kwargs)

    def conforms(self, optimizer: Any, algorithm: str = "sam", **kwargs: Any):
        """:func:`assert_conforms` with the test's seed for the probes."""
        __tracebackhide__ = True
        from .assertions import assert_conforms

        kwargs.setdefault("seed", self.seed)
        return assert_conforms(optimizer, algorithm, **kwargs)

    def witnessed(self, lower_bound: Any, run: Any, **kwargs: Any) -> float:
        __tracebackhide__ = True
        from .assertions import assert_witnessed

        kwargs.setdefault("witness_dir", self.witness_dir)
        kwargs.setdefault("seed", self.seed)
        return assert_witnessed(lower_bound, run, **kwargs)


@pytest.fixture
def sam_assert(sam_witness_dir: Path, sam_seed: int) -> BoundAsserter:
    """``sam_assert.respects(bound, run)`` / ``sam_assert.witnessed(lower_bound, run)``."""
    return BoundAsserter(sam_witness_dir, sam_seed)
