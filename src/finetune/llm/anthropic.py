"""Anthropic's Messages API, through the official ``anthropic`` SDK.

The strongest rung is one forced tool whose input schema is the answer (the API then returns the
answer as a parsed object); proxies and compatible servers that refuse tools fall back to a plain
prompt with JSON repair. Anthropic has no "JSON mode" between the two.
"""

from __future__ import annotations

import json
from typing import Any

import anthropic

from finetune.llm.base import (
    RawCompletion,
    Rung,
    StructuredPrompt,
    TransientProviderError,
    short,
    user_text_for,
)
from finetune.llm.sdk import PerLoopClient, status_failure, transport_failure

DEFAULT_BASE_URL = "https://api.anthropic.com"


class AnthropicProvider:
    name = "anthropic"
    rungs: tuple[Rung, ...] = (Rung.tool, Rung.prompt)

    def __init__(
        self, *, model: str, base_url: str | None, api_key: str | None, timeout: float
    ) -> None:
        self.model = model
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.endpoint = f"anthropic:{self.base_url}:{model}"
        self._api_key = api_key
        self._timeout = timeout
        self._clients = PerLoopClient(
            lambda: anthropic.AsyncAnthropic(
                api_key=self._api_key,
                base_url=self.base_url,
                timeout=self._timeout,
                max_retries=0,  # our retry loop is the only one
            )
        )

    async def complete(
        self, prompt: StructuredPrompt, rung: Rung, max_tokens: int
    ) -> RawCompletion:
        request: dict[str, Any] = {
            "model": self.model,
            "max_tokens": max_tokens,
            "system": prompt.system,
            "messages": [{"role": "user", "content": user_text_for(prompt, rung)}],
        }
        if rung is Rung.tool:
            request["tools"] = [
                {
                    "name": prompt.schema_name,
                    "description": "Submit the answer. Call this exactly once.",
                    "input_schema": prompt.schema,
                }
            ]
            request["tool_choice"] = {"type": "tool", "name": prompt.schema_name}
        try:
            message = await self._clients.get().messages.create(**request)
        except anthropic.APIError as error:
            raise _classify(error, rung) from error
        return RawCompletion(
            text=_answer_text(message.content, rung),
            truncated=message.stop_reason == "max_tokens",
            model=message.model or self.model,
            input_tokens=message.usage.input_tokens or 0,
            output_tokens=message.usage.output_tokens or 0,
        )


def _answer_text(blocks: list[Any], rung: Rung) -> str:
    """The tool input as JSON text on the tool rung, else the concatenated text blocks."""
    if rung is Rung.tool:
        for block in blocks:
            if getattr(block, "type", None) == "tool_use":
                return json.dumps(block.input)
    return "".join(block.text for block in blocks if getattr(block, "type", None) == "text")


def _classify(error: anthropic.APIError, rung: Rung) -> Exception:
    if isinstance(error, anthropic.APIConnectionError):
        return transport_failure(error, timed_out=isinstance(error, anthropic.APITimeoutError))
    if isinstance(error, anthropic.APIStatusError):
        # 529 is Anthropic's "overloaded"; it is a 5xx like the others.
        return status_failure(error.status_code, error.message, error.response.headers, rung)
    return TransientProviderError(f"unreadable response: {short(error)}")
