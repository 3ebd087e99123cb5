"""Pydantic errors become one message that names the field."""

from __future__ import annotations

from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, StrictBool
from pydantic import ValidationError as PydanticValidationError

from finetune.api.errors import validation_message
from finetune.api.limits import check_json_text
from finetune.errors import ValidationError


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")
    job_description: str = Field(min_length=50)
    include_pdf: StrictBool = False
    company_name: str = Field(default="x", min_length=1)
    level: Literal["basic", "good"] = "good"
    count: int = 1


def _message(payload: Any) -> str:
    with pytest.raises(PydanticValidationError) as raised:
        _Request.model_validate(payload)
    return validation_message(raised.value.errors())


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"job_description": "short"}, "job_description must be at least 50 characters"),
        ({}, "job_description is required"),
        ({"job_description": "x" * 50, "foo": 1}, "unknown field: foo"),
        ({"job_description": "x" * 50, "include_pdf": "yes"}, "include_pdf must be a boolean"),
        ({"job_description": 5}, "job_description must be a string"),
        ({"job_description": "x" * 50, "count": "many"}, "count must be an integer"),
        ({"job_description": "x" * 50, "level": "max"}, "level must be one of 'basic' or 'good'"),
        ({"job_description": "x" * 50, "company_name": ""}, "company_name must not be empty"),
        ([1, 2], "request body must be a JSON object"),
    ],
)
def test_messages_name_the_field(payload: Any, message: str) -> None:
    """Each kind of mistake reads as a sentence about the field."""
    assert _message(payload) == message


def test_json_text_check_accepts_ordinary_documents() -> None:
    """Valid JSON with any storable text passes; invalid JSON is left to the route's parser."""
    check_json_text(b'{"a": ["\\u00e9", "\\ud83d\\ude80", {"b": null}]}')
    check_json_text(b"{not json")
    check_json_text(b"")


def test_json_text_check_finds_nested_problems() -> None:
    """The message points into nested arrays and objects."""
    with pytest.raises(ValidationError, match=r"a\.b\[1\] contains a NUL character"):
        check_json_text(b'{"a": {"b": ["ok", "bad\\u0000"]}}')
