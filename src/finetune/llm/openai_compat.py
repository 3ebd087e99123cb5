"""Any OpenAI-compatible chat-completions server, through the official ``openai`` SDK.

OpenAI, Ollama (``http://localhost:11434/v1``), vLLM, llama.cpp server, LM Studio and OpenRouter
all speak ``/v1/chat/completions``; they differ in how much of ``response_format`` they accept,
which is what the rungs (JSON schema → JSON mode → plain prompt) absorb.
"""

from __future__ import annotations

from typing import Any

import openai
from openai.types.chat import ChatCompletion

from finetune.llm.base import (
    RawCompletion,
    Rung,
    StructuredPrompt,
    TransientProviderError,
    short,
    user_text_for,
)
from finetune.llm.sdk import PerLoopClient, status_failure, transport_failure

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OpenAICompatProvider:
    name = "openai"
    rungs: tuple[Rung, ...] = (Rung.json_schema, Rung.json_object, Rung.prompt)

    def __init__(
        self, *, model: str, base_url: str | None, api_key: str | None, timeout: float
    ) -> None:
        self.model = model
        self.base_url = (base_url or DEFAULT_BASE_URL).rstrip("/")
        self.endpoint = f"openai:{self.base_url}:{model}"
        # Local servers ignore the key, but the SDK refuses to start without one.
        self._api_key = api_key or "no-key-required"
        self._timeout = timeout
        # OpenAI's reasoning models refuse "max_tokens"; most other servers only know it.
        self._token_limit_param = "max_tokens"
        self._clients = PerLoopClient(
            lambda: openai.AsyncOpenAI(
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
            "messages": [
                {"role": "system", "content": prompt.system},
                {"role": "user", "content": user_text_for(prompt, rung)},
            ],
        }
        if rung is Rung.json_schema:
            request["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": prompt.schema_name,
                    "schema": prompt.schema,
                    "strict": True,
                },
            }
        elif rung is Rung.json_object:
            request["response_format"] = {"type": "json_object"}
        try:
            response = await self._create(request, max_tokens)
        except openai.APIError as error:
            raise _classify(error, rung) from error
        usage = response.usage
        choice = response.choices[0] if response.choices else None
        return RawCompletion(
            text=(choice.message.content or "") if choice else "",
            truncated=choice is not None and choice.finish_reason == "length",
            model=response.model or self.model,
            input_tokens=(usage.prompt_tokens or 0) if usage else 0,
            output_tokens=(usage.completion_tokens or 0) if usage else 0,
        )

    async def _create(self, request: dict[str, Any], max_tokens: int) -> ChatCompletion:
        client = self._clients.get()
        limited: dict[str, Any] = {**request, self._token_limit_param: max_tokens}
        try:
            response: ChatCompletion = await client.chat.completions.create(**limited)
        except openai.BadRequestError as error:
            if "max_completion_tokens" not in str(error.message):
                raise
            self._token_limit_param = "max_completion_tokens"
            return await client.chat.completions.create(**request, max_completion_tokens=max_tokens)
        return response


def _classify(error: openai.APIError, rung: Rung) -> Exception:
    if isinstance(error, openai.APIConnectionError):
        return transport_failure(error, timed_out=isinstance(error, openai.APITimeoutError))
    if isinstance(error, openai.APIStatusError):
        return status_failure(error.status_code, error.message, error.response.headers, rung)
    # A 200 whose body the SDK could not read: as good as an empty answer from a flaky server.
    return TransientProviderError(f"unreadable response: {short(error)}")
