"""Finding and loading ``proofs/<id>.py`` files.

The ``proofs/`` directory sits at the repository root, beside the ``sambounds`` package.  It is
looked up, in order, in: the ``directory`` argument; ``$SAMBOUNDS_PROOFS``; the parent of the
installed package (an editable install or a source checkout); ``./proofs``.  Each file must
define ``PROOF``, a :class:`~sambounds.proof.step.ProofFile` whose ``id`` is the file's stem.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

from ..errors import InvalidParameterError, ProofError
from .step import ProofFile

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def proofs_dir(directory: str | os.PathLike | None = None) -> Path:
    """The directory holding the proof files (see the module docstring)."""
    if directory is not None:
        path = Path(directory)
        if not path.is_dir():
            raise InvalidParameterError("directory", str(directory), "an existing directory of proof files")
        return path
    candidates = []
    if os.environ.get("SAMBOUNDS_PROOFS"):
        candidates.append(Path(os.environ["SAMBOUNDS_PROOFS"]))
    candidates.append(Path(__file__).resolve().parents[2] / "proofs")
    candidates.append(Path.cwd() / "proofs")
    for path in candidates:
        if path.is_dir():
            return path
    raise ProofError("no proofs/ directory found (looked in: " + ", ".join(map(str, candidates))
                     + "); pass directory= or set SAMBOUNDS_PROOFS")


def list_proofs(directory: str | os.PathLike | None = None) -> list[str]:
    """The ids of the proof files, sorted."""
    return sorted(p.stem for p in proofs_dir(directory).glob("*.py") if _ID.match(p.stem))


def load_proof(name: str, directory: str | os.PathLike | None = None) -> ProofFile:
    """Import ``<directory>/<name>.py`` and return its ``PROOF``.

    Modules are cached in ``sys.modules`` under ``sambounds_proofs.<name>`` keyed by path, so
    that proof files citing each other share theorem objects.
    """
    if not isinstance(name, str) or not _ID.match(name):
        raise InvalidParameterError("name", name, "a proof id such as 'd_nc_lemma_n'")
    base = proofs_dir(directory)
    path = (base / f"{name}.py").resolve()
    if not path.is_file():
        raise InvalidParameterError("name", name, "one of: " + ", ".join(list_proofs(base)))
    module_name = f"sambounds_proofs.{name}_{abs(hash(str(path))):x}"
    module = sys.modules.get(module_name)
    if module is None:
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[module_name]
            raise
    proof = getattr(module, "PROOF", None)
    if not isinstance(proof, ProofFile):
        raise ProofError(f"{path} does not define PROOF = ProofFile(...)")
    if proof.id != name:
        raise ProofError(f"{path} defines PROOF.id={proof.id!r}, expected {name!r}")
    return proof
