"""Real providers pointed at the fake LLM servers, and the small structured prompt the ladder
tests ask them: one place for what the provider and engine tests would otherwise each repeat.
"""

from __future__ import annotations

from typing import Any

from fakes.llm_servers import FakeLLMServer
from finetune.llm.anthropic import AnthropicProvider
from finetune.llm.base import StructuredPrompt
from finetune.llm.openai_compat import OpenAICompatProvider
from finetune.llm.retry import RetryPolicy
from finetune.llm.structured import InvalidAnswer

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["changes"],
    "properties": {"changes": {"type": "array", "items": {"type": "string"}}},
}
PROMPT = StructuredPrompt("system text", "user text", SCHEMA, "changes", max_tokens=100)
# Real retries with tiny pauses, so retry tests take milliseconds.
FAST = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05, retry_after_cap=5)


def validate_changes(data: dict[str, Any]) -> list[str]:
    """The validator for PROMPT's answers: a list of strings under "changes"."""
    changes = data.get("changes")
    if not isinstance(changes, list):
        raise InvalidAnswer("changes must be a list")
    return [str(change) for change in changes]


def openai_provider(server: FakeLLMServer, timeout: float = 5.0) -> OpenAICompatProvider:
    return OpenAICompatProvider(
        model="fake-model", base_url=server.openai_base_url, api_key="sk-test", timeout=timeout
    )


def anthropic_provider(server: FakeLLMServer, timeout: float = 5.0) -> AnthropicProvider:
    return AnthropicProvider(
        model="claude-fake", base_url=server.base_url, api_key="sk-ant-test", timeout=timeout
    )
