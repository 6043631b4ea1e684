"""``python -m sambounds.cli``: the same entry point as the ``sambounds`` console script."""

from . import run

run()
