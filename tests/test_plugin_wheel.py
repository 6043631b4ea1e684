"""The plugin from an installed wheel in a fresh virtual environment (slow: builds and installs).

Builds the wheel from a copy of the source (hatchling, no network, no build isolation), creates
a fresh venv, makes the running interpreter's third-party packages visible to it through a
``.pth`` line (its site-packages directory only: the editable sambounds hook there is *not*
processed, so ``import sambounds`` can only find the installed wheel), installs the wheel with
``pip install --no-deps``, and runs pytest on ``examples/research_ci`` with plugin autoloading
on: the pytest11 entry point alone must load the plugin.
"""

from __future__ import annotations

import os
import re
import shutil
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns("__pycache__", ".hypothesis", ".pytest_cache")


def _run(cmd, cwd, env, timeout=600):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.slow
def test_plugin_works_from_an_installed_wheel(tmp_path):
    env = {k: x for k, x in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
                                                            "PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    env["PYTHONNOUSERSITE"] = "1"
    src = tmp_path / "src"
    src.mkdir()
    shutil.copytree(ROOT / "sambounds", src / "sambounds", ignore=SKIP)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    dist = tmp_path / "dist"
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                  "-w", str(dist), str(src)], tmp_path, env)
    assert built.returncode == 0, built.stdout + built.stderr
    wheel = next(dist.glob("sambounds-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        eps = next(n for n in zf.namelist() if n.endswith(".dist-info/entry_points.txt"))
        text = zf.read(eps).decode()
    assert re.search(r"\[pytest11\]\s*\n\s*sambounds\s*=\s*sambounds\.testing\.plugin", text), \
        f"the wheel declares no pytest11 entry point for sambounds.testing.plugin:\n{text}"

    fresh = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(fresh)
    py = fresh / "bin" / "python"
    fresh_site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           tmp_path, env).stdout.strip())
    (fresh_site / "_host_packages.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    installed = _run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed",
                      str(wheel)], tmp_path, env)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    where = _run([str(py), "-c", "import sambounds, sambounds.testing.plugin as p; print(p.__file__)"], tmp_path, env)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(fresh_site), where.stdout  # the wheel, not the checkout

    project = tmp_path / "research_ci"
    shutil.copytree(ROOT / "examples" / "research_ci", project, ignore=SKIP)
    result = _run([str(py), "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rf"], project, env)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out                     # 1 = some tests failed (not a usage error)
    import importlib.util

    if not importlib.util.find_spec("torch"):
        assert "2 passed" in out and "1 failed" in out and "1 skipped" in out, out
    else:  # tests/test_my_optimizer.py: the buggy MySAM fails on purpose
        third_party = 2 if importlib.util.find_spec("pytorch_optimizer") else 0
        assert f"{3 + third_party} passed" in out and "2 failed" in out, out
        assert "FAILED tests/test_my_optimizer.py::test_my_buggy_sam_is_sam" in out
    assert "FAILED tests/test_my_sam.py::test_claimed_rate_without_rho_floor" in out
    assert re.search(r"violates upper bound my-claim/no-rho-floor: f\(x_T\) - f\* measured \S+ vs bound \S+, "
                     r"measured/bound ratio \S+", out), out
    path = re.search(r"witness: (\S+\.json)", out).group(1)
    replay = _run([str(py), "-c", "import sys; from sambounds.check.witness import rerun; r = rerun(sys.argv[1]); "
                   "print(r.description); sys.exit(0 if r.matches else 1)", path], project, env)
    assert replay.returncode == 0, replay.stdout + replay.stderr
