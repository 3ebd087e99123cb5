"""What every LLM provider speaks: one structured-output request, answered as raw text.

Providers (OpenAI-compatible, Anthropic) only translate a :class:`StructuredPrompt` into one HTTP
call on a given rung of the structured-output ladder and classify what went wrong. Retries, the
ladder itself, JSON repair and validation live in :mod:`finetune.llm.structured`, shared by all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol


class Rung(StrEnum):
    """How strongly a request asks the server for JSON, strongest first."""

    json_schema = "json_schema"  # OpenAI-compatible response_format with a JSON schema
    tool = "tool"  # Anthropic: one forced tool whose input schema is the answer
    json_object = "json_object"  # OpenAI-compatible "JSON mode"
    prompt = "prompt"  # no server help: the prompt asks for JSON, we repair what comes back


@dataclass(frozen=True)
class StructuredPrompt:
    system: str
    user: str
    schema: dict[str, Any]
    schema_name: str
    max_tokens: int


@dataclass(frozen=True)
class RawCompletion:
    text: str
    truncated: bool  # the server stopped at the token limit
    model: str
    input_tokens: int
    output_tokens: int


class TransientProviderError(Exception):
    """429, 5xx, timeout or connection failure: worth retrying after a pause."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RungRejected(Exception):
    """The server refused the request as shaped for this rung (e.g. 400 on response_format)."""


class ProviderRejected(Exception):
    """A permanent refusal unrelated to the rung: bad key, unknown model, request too large."""


class LLMProvider(Protocol):
    name: str  # "openai" | "anthropic"
    model: str
    endpoint: str  # identifies base URL + model, for remembering which rung works
    rungs: tuple[Rung, ...]

    async def complete(
        self, prompt: StructuredPrompt, rung: Rung, max_tokens: int
    ) -> RawCompletion:
        """One HTTP call; raises the exceptions above, never an SDK one."""
        ...


def user_text_for(prompt: StructuredPrompt, rung: Rung) -> str:
    """The user message; rungs without server-side schema enforcement spell the schema out."""
    if rung in (Rung.json_schema, Rung.tool):
        return prompt.user
    return (
        f"{prompt.user}\n\nAnswer with exactly one JSON object and nothing else (no prose, no code "
        f"fences). It must match this JSON schema:\n{json.dumps(prompt.schema)}"
    )


def short(message: object, limit: int = 300) -> str:
    """A provider's error text, bounded so a huge HTML error page can't flood our messages."""
    text = " ".join(str(message).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
