"""Every file a reader is sent to exists in the repository.

The README, the docs, the examples and the CLI's messages (help texts, `sambounds list`, the
catalog's citations, the proof files' notes that `sambounds prove` prints) name files such as
``docs/theory.md`` or ``proofs/l_sc_cycle.py``.  A name that does not resolve, inside the
repository, relative to the text's own folder or to the repository root, is a dead end for a
newcomer (this is how a pointer to a document kept outside the repository went unnoticed).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sambounds.cli import cli
from sambounds.proof import list_proofs, load_proof
from sambounds.theory.catalog import catalog

ROOT = Path(__file__).resolve().parents[1]

_EXT = r"(?:md|py|toml|ini|txt|json|csv|npy|png|svg|pdf)"
#: a file name with an extension, with or without folders (``docs/theory.md``, ``BENCHMARKS.md``)
_FILE = re.compile(rf"(?<![\w./<>$~-])((?:[\w-][\w.-]*/)*[\w-][\w.-]*\.{_EXT})(?![\w<>/])")
#: a folder below one of the repository's top-level folders (``proofs/``, ``examples/research_ci/``)
_TOP = "|".join(re.escape(p.name) for p in sorted(ROOT.iterdir()) if p.is_dir() and not p.name.startswith("."))
_FOLDER = re.compile(rf"(?<![\w./<>$~-])((?:{_TOP})/(?:[\w-][\w.-]*/)*)(?![\w<>])")

#: files the texts name that the *user* makes or brings (outputs, their own inputs): only documents
#: (``*.md``) and names with a folder are repository files
USER_FILES = {"newdir/fig1.png", "newdir/fig.png", "report-plots/fig.png"}


def _names(text: str) -> set[str]:
    out = set()
    for m in _FILE.finditer(text):
        name = m.group(1)
        if name in USER_FILES or ("/" not in name and not name.endswith(".md")):
            continue
        out.add(name)
    out.update(m.group(1) for m in _FOLDER.finditer(text))
    return out


def _missing(text: str, base: Path) -> list[str]:
    bad = []
    for name in sorted(_names(text)):
        if not any((folder / name).resolve().exists() for folder in (base, ROOT)):
            bad.append(name)
    return bad


DOCUMENTS = sorted([ROOT / "README.md", *ROOT.glob("docs/*.md"), *ROOT.glob("examples/**/*.md"),
                    *ROOT.glob("examples/**/*.toml"), *ROOT.glob("examples/**/*.py"), *ROOT.glob("examples/**/*.ini")])


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_documents_name_only_existing_files(path):
    text = path.read_text()
    assert _missing(text, path.parent) == []


def _help_texts(group: click.Group, prefix: tuple[str, ...] = ()) -> dict[str, str]:
    runner = CliRunner()
    texts = {" ".join(prefix) or "sambounds": runner.invoke(cli, [*prefix, "--help"]).output}
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            texts.update(_help_texts(command, (*prefix, name)))
        else:
            texts[" ".join((*prefix, name))] = runner.invoke(cli, [*prefix, name, "--help"]).output
    return texts


def test_cli_messages_name_only_existing_files():
    texts = _help_texts(cli)
    assert len(texts) >= 10 and all("Usage:" in t for t in texts.values())
    runner = CliRunner()
    listing = runner.invoke(cli, ["list"], terminal_width=400)
    assert listing.exit_code == 0
    texts["sambounds list"] = listing.output
    texts["sambounds list --format json"] = runner.invoke(cli, ["list", "--format", "json"]).output
    # what `sambounds prove` prints besides the table: each file's title and its numerically-checked note
    texts["sambounds prove"] = "\n".join(f"{p.title} {p.checked_numerically}"
                                         for p in map(load_proof, list_proofs()))
    missing = {where: bad for where, text in texts.items() if (bad := _missing(text, ROOT))}
    assert missing == {}
    # the catalog's citations and proof ids, which `query` and `list --format json` show
    entries = json.loads(texts["sambounds list --format json"])
    assert len(entries) == len(catalog)
    for b in catalog:
        assert _missing(b.citation, ROOT) == [], b.name
        if b.proof:
            assert (ROOT / "proofs" / f"{b.proof}.py").is_file(), b.name


def test_the_checker_finds_a_dead_reference():
    # the test above can fail: a document outside the repository, a misspelt folder
    assert _missing("see PAPER.md section 4 and docs/theory.md", ROOT) == ["PAPER.md"]
    assert _missing("proofs/no_such_proof.py, examples/research_ci/", ROOT) == ["proofs/no_such_proof.py"]


_DOC = re.compile(r"(?<![\w./<>$~-])((?:[\w-][\w.-]*/)*[\w-][\w.-]*\.md)(?![\w<>/])")


@pytest.mark.parametrize("folder", ["sambounds", "proofs", "benchmarks", "examples"])
def test_code_cites_only_documents_of_the_repository(folder):
    # docstrings and messages that cite a document (``docs/theory.md section 4``) cite one that is here
    bad = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        names = {m.group(1) for m in _DOC.finditer(path.read_text())}
        missing = [n for n in names if not any((base / n).exists() for base in (path.parent, ROOT))]
        if missing:
            bad[str(path.relative_to(ROOT))] = missing
    assert bad == {}
