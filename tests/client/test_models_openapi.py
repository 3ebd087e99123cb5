"""The SDK's models cannot drift from the server: each one's JSON schema has the same shape as
the matching response schema in the live server's ``/openapi.json`` (fields, types, which are
required, constants and enums; titles, descriptions and string formats aside), and every JSON
operation the server documents has a model here."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from finetune.client import calls
from finetune.client.models import (
    ApiKey,
    BaseResume,
    BaseResumeImported,
    GeneratedResume,
    Page,
    Resume,
    ResumeDeleted,
    ResumeListItem,
    ResumePdf,
    Usage,
)
from live_serve import LiveServer

MODELS: dict[tuple[str, str], type[BaseModel]] = {
    ("post", "/api/v1/resumes/generate"): GeneratedResume,
    ("get", "/api/v1/resumes"): Page[ResumeListItem],
    ("get", "/api/v1/resumes/{resume_id}"): Resume,
    ("post", "/api/v1/resumes/{resume_id}/pdf"): ResumePdf,
    ("delete", "/api/v1/resumes/{resume_id}"): ResumeDeleted,
    ("get", "/api/v1/usage"): Usage,
    ("get", "/api/v1/api-keys"): Page[ApiKey],
    ("get", "/api/v1/base-resume"): BaseResume,
    ("put", "/api/v1/base-resume"): BaseResumeImported,
}


def shape(schema: dict[str, Any], definitions: dict[str, Any]) -> Any:
    """What a schema says about the data, with references resolved and prose left out."""
    if "$ref" in schema:
        return shape(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
    if "anyOf" in schema:
        options = [shape(option, definitions) for option in schema["anyOf"]]
        return {"anyOf": sorted(options, key=json.dumps)}
    if "const" in schema:
        return {"const": schema["const"]}
    if "enum" in schema:
        return {"enum": sorted(schema["enum"])}
    if "properties" in schema:
        return {
            "properties": {
                name: shape(sub, definitions) for name, sub in schema["properties"].items()
            },
            "required": sorted(schema.get("required", [])),
        }
    if schema.get("type") == "array":
        return {"items": shape(schema.get("items", {}), definitions)}
    return {"type": schema.get("type", "any")}


@pytest.fixture(scope="module")
def openapi(live_server: LiveServer) -> dict[str, Any]:
    document: dict[str, Any] = httpx.get(f"{live_server.base_url}/openapi.json").json()
    return document


def _response_schema(openapi: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    content = openapi["paths"][path][method]["responses"]["200"].get("content", {})
    schema: dict[str, Any] | None = content.get("application/json", {}).get("schema")
    return schema if schema and "$ref" in schema else None


@pytest.mark.parametrize(("method", "path"), list(MODELS), ids=lambda part: str(part))
def test_model_matches_the_servers_response_schema(
    openapi: dict[str, Any], method: str, path: str
) -> None:
    """Same fields, types, required fields, constants and enums as the served schema."""
    model = MODELS[(method, path)]
    served = _response_schema(openapi, method, path)
    assert served is not None, f"{method.upper()} {path} no longer documents a JSON object"
    ours = model.model_json_schema()
    expected = shape(served, openapi["components"]["schemas"])
    assert shape(ours, ours.get("$defs", {})) == expected


def test_every_json_operation_has_a_model(openapi: dict[str, Any]) -> None:
    """A new route returning a JSON object fails here until the SDK covers it."""
    documented = {
        (method, path)
        for path, operations in openapi["paths"].items()
        if path.startswith("/api/v1/")
        for method in operations
        if _response_schema(openapi, method, path) is not None
    }
    assert documented == set(MODELS)


def test_generate_sends_exactly_the_documented_fields(openapi: dict[str, Any]) -> None:
    """The generate body has GenerateRequest's fields, no more, no fewer (it forbids extras)."""
    request = openapi["components"]["schemas"]["GenerateRequest"]
    call = calls.generate(
        job_description="j",
        company_name="c",
        position="p",
        finetune_level="good",
        include_pdf=False,
        idempotency_key=None,
    )
    assert set(call.json) == set(request["properties"])
    level = request["properties"]["finetune_level"]
    assert sorted(level["enum"]) == ["basic", "good", "super"]


def test_errors_are_read_from_the_documented_error_body(openapi: dict[str, Any]) -> None:
    """error_from_response reads exactly the fields of the documented error object."""
    body = openapi["components"]["schemas"]["ErrorBody"]
    assert set(body["properties"]) == {"object", "name", "message", "status"}
