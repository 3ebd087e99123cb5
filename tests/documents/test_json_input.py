"""Bounded JSON parsing: deep nesting is a ValidationError, never a RecursionError."""

from __future__ import annotations

import pytest

from finetune.documents.importers import import_resume
from finetune.documents.json_input import MAX_JSON_DEPTH, check_depth, loads_bounded
from finetune.errors import ValidationError


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_documents_up_to_the_limit_parse() -> None:
    """Nesting of exactly MAX_JSON_DEPTH levels is accepted and returned as parsed."""
    document = loads_bounded(_nested(MAX_JSON_DEPTH))
    check_depth(document)
    assert isinstance(document, list)


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 500, 5_000, 500_000])
def test_deeper_documents_are_validation_errors(depth: int) -> None:
    """One level past the limit, or past the interpreter's recursion limit, is refused."""
    with pytest.raises(ValidationError, match="nested too deeply"):
        loads_bounded(_nested(depth), "the body")


def test_objects_count_as_levels_too() -> None:
    """Objects nest like arrays; the message names what was parsed."""
    text = '{"a":' * (MAX_JSON_DEPTH + 1) + "1" + "}" * (MAX_JSON_DEPTH + 1)
    with pytest.raises(ValidationError, match=r"^the upload is nested too deeply"):
        loads_bounded(text, "the upload")


def test_invalid_json_still_raises_value_error() -> None:
    """Invalid JSON keeps json.loads' ValueError so callers word their own message."""
    with pytest.raises(ValueError):
        loads_bounded(b"{not json")


def test_importing_a_deeply_nested_json_file_is_a_validation_error() -> None:
    """The file importer (dashboard and API uploads) refuses deep nesting instead of crashing."""
    with pytest.raises(ValidationError, match="nested too deeply"):
        import_resume("resume.json", _nested(100_000).encode(), "application/json")
