"""Reading witness documents: one reader, errors that name the input."""

from __future__ import annotations

import pytest

from sambounds import InvalidParameterError
from sambounds._io import read_json_object


def test_reads_path_text_and_dict(tmp_path):
    path = tmp_path / "w.json"
    path.write_text('{"kind": "bound-witness", "x": 1}')
    assert read_json_object(path) == read_json_object(path.read_text()) == {"kind": "bound-witness", "x": 1}
    doc = {"kind": "k"}
    assert read_json_object(doc) is doc


@pytest.mark.parametrize("source, allowed", [("/no/such/file.json", "readable JSON file"),
                                             ("{not json", "JSON document")])
def test_bad_input_names_the_parameter(source, allowed):
    with pytest.raises(InvalidParameterError, match=allowed) as info:
        read_json_object(source, "witness")
    assert info.value.name == "witness"


def test_json_that_is_not_an_object(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    with pytest.raises(InvalidParameterError, match="JSON object"):
        read_json_object(path)
