"""Reading the JSON documents sambounds writes (witnesses), with errors that name the input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import InvalidParameterError


def read_json_object(source: str | Path | dict, name: str = "witness") -> dict[str, Any]:
    """A JSON object from a path, JSON text, or an already parsed dict (returned as is).

    Raises
    ------
    InvalidParameterError
        An unreadable file, text that is not JSON, or JSON that is not an object; ``name``
        is the parameter the message names.
    """
    if isinstance(source, dict):
        return source
    text = str(source)
    if not text.lstrip().startswith("{"):
        try:
            text = Path(text).read_text()
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidParameterError(name, str(source), "a readable JSON file (UTF-8)", str(exc)) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidParameterError(name, str(source)[:60], "a JSON document", str(exc)) from None
    if not isinstance(doc, dict):
        raise InvalidParameterError(name, str(source)[:60], "a JSON object")
    return doc
