"""`sambounds query` and `sambounds list` (placeholder until the theory catalog lands)."""
from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    pass
