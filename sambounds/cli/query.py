"""`sambounds query` and `sambounds list` (filled in with the theory catalog)."""
from __future__ import annotations

import click


def register(group: click.Group) -> None:
    pass
