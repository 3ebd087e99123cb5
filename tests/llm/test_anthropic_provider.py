"""The Anthropic provider and its ladder, through the real SDK against a fake Messages API."""

import pytest

from fakes.llm_providers import FAST, PROMPT, SCHEMA, anthropic_provider, validate_changes
from fakes.llm_servers import anthropic_reply, error_reply, running
from finetune.errors import ServiceUnavailable
from finetune.llm.base import Rung
from finetune.llm.structured import generate_structured, starting_rung


async def test_forced_tool_answer_is_used() -> None:
    """The tool rung forces one tool whose input is the answer; usage comes from the API."""
    with running() as server:
        server.then(anthropic_reply(tool_input={"changes": ["a"]}, input_tokens=9, output_tokens=4))
        result = await generate_structured(
            anthropic_provider(server), PROMPT, validate_changes, retry=FAST
        )
    assert result.value == ["a"] and result.rung is Rung.tool
    assert (result.input_tokens, result.output_tokens, result.model) == (9, 4, "fake-claude")
    sent = server.requests[0]
    assert sent["tool_choice"] == {"type": "tool", "name": "changes"}
    assert sent["tools"][0]["input_schema"] == SCHEMA
    assert sent["system"] == "system text"
    headers = server.request_headers[0]
    assert "sk-ant-test" in headers.get("x-api-key", headers.get("authorization", ""))


async def test_server_rejecting_tools_falls_back_to_prompt_and_remembers() -> None:
    """A 400 on tools moves to a plain prompt with repair, and the endpoint stays there."""
    with running() as server:
        server.then(
            error_reply(400, "tools are not supported"),
            anthropic_reply(text='```json\n{"changes": ["b"],}\n```'),
            anthropic_reply(text='{"changes": ["c"]}'),
        )
        provider = anthropic_provider(server)
        first = await generate_structured(provider, PROMPT, validate_changes, retry=FAST)
        second = await generate_structured(provider, PROMPT, validate_changes, retry=FAST)
    assert (first.value, first.rung) == (["b"], Rung.prompt)
    assert (second.value, second.rung) == (["c"], Rung.prompt)
    assert starting_rung(provider) is Rung.prompt
    assert ["tools" in request for request in server.requests] == [True, False, False]


async def test_max_tokens_stop_retries_with_a_larger_budget() -> None:
    """stop_reason=max_tokens is truncation: one retry with twice the budget."""
    with running() as server:
        server.then(
            anthropic_reply(tool_input={"changes": []}, stop_reason="max_tokens"),
            anthropic_reply(tool_input={"changes": ["done"]}),
        )
        result = await generate_structured(
            anthropic_provider(server), PROMPT, validate_changes, retry=FAST
        )
    assert result.value == ["done"]
    assert [r["max_tokens"] for r in server.requests] == [100, 200]


async def test_overloaded_529_then_success() -> None:
    """Anthropic's 529 overloaded is retried like any 5xx."""
    with running() as server:
        server.then(error_reply(529, "Overloaded"), anthropic_reply(tool_input={"changes": []}))
        result = await generate_structured(
            anthropic_provider(server), PROMPT, validate_changes, retry=FAST
        )
    assert result.value == [] and result.calls == 2


async def test_persistent_errors_become_service_unavailable() -> None:
    """Persistent 500s exhaust the three attempts and raise ServiceUnavailable."""
    with running(default=error_reply(500, "boom")) as server, pytest.raises(ServiceUnavailable):
        await generate_structured(anthropic_provider(server), PROMPT, validate_changes, retry=FAST)
    assert len(server.requests) == 3
