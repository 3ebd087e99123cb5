"""The OpenAPI document states the rules the server enforces, so fuzzers and clients agree."""

from __future__ import annotations

import re

import pytest

from finetune.app import create_app
from finetune.config import Settings
from finetune.errors import ValidationError
from finetune.resumes.idempotency import validate_key

SAMPLE_KEYS = [
    "a",
    "order-42",
    "with inner spaces",
    "~!@#$%^&*()_+{}|:<>?",
    "x" * 256,
    "x" * 257,
    "",
    "tab\tinside",
    "new\nline",
    "caf\u00e9",
    "\x7f",
]


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The app's OpenAPI document (built without serving)."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("openapi"), database_url=None)
    return create_app(settings).openapi()


def _idempotency_pattern(document: dict[str, object], path: str) -> str:
    paths = document["paths"]
    assert isinstance(paths, dict)
    for parameter in paths[path]["post"]["parameters"]:
        if parameter["name"] == "Idempotency-Key":
            pattern: str = parameter["schema"]["pattern"]
            return pattern
    raise AssertionError(f"no Idempotency-Key parameter on {path}")


@pytest.mark.parametrize("path", ["/api/v1/resumes/generate", "/api/v1/resumes/{resume_id}/pdf"])
@pytest.mark.parametrize("key", SAMPLE_KEYS)
def test_idempotency_key_pattern_matches_what_the_server_accepts(
    document: dict[str, object], path: str, key: str
) -> None:
    """The documented Idempotency-Key pattern accepts exactly the keys validate_key accepts."""
    documented = re.fullmatch(_idempotency_pattern(document, path), key) is not None
    try:
        validate_key(key)
        accepted = True
    except ValidationError:
        accepted = False
    assert documented == accepted


def test_api_key_security_scheme_is_declared(document: dict[str, object]) -> None:
    """X-API-Key is an apiKey header scheme: Swagger UI's Authorize and SDK generators send it."""
    components = document["components"]
    assert isinstance(components, dict)
    scheme = components["securitySchemes"]["ApiKeyAuth"]
    assert (scheme["type"], scheme["in"], scheme["name"]) == ("apiKey", "header", "X-API-Key")


def test_every_api_operation_requires_the_key(document: dict[str, object]) -> None:
    """Each /api/v1 operation requires ApiKeyAuth; a PDF takes the key or a signed link;
    /healthz needs nothing."""
    paths = document["paths"]
    assert isinstance(paths, dict)
    api_operations = [
        operation
        for path, operations in paths.items()
        if path.startswith("/api/v1/")
        for operation in operations.values()
    ]
    assert len(api_operations) >= 10
    for operation in api_operations:
        assert operation["security"] == [{"ApiKeyAuth": []}], operation["operationId"]
    assert paths["/files/{resume_id}.pdf"]["get"]["security"] == [{"ApiKeyAuth": []}, {}]
    assert "security" not in paths["/healthz"]["get"]
