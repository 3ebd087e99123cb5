"""The OpenAI-compatible provider and the ladder, through the real SDK against a fake server."""

import time

import pytest

from fakes.llm_providers import FAST, PROMPT, SCHEMA, openai_provider, validate_changes
from fakes.llm_servers import error_reply, openai_reply, running
from finetune.errors import ServiceUnavailable
from finetune.llm.base import Rung
from finetune.llm.retry import RetryPolicy
from finetune.llm.structured import generate_structured, starting_rung


async def test_json_schema_rung_answers_with_usage() -> None:
    """A well-formed answer on the top rung is parsed, with the server's token counts."""
    with running() as server:
        server.then(openai_reply({"changes": ["a"]}, prompt_tokens=11, completion_tokens=7))
        result = await generate_structured(
            openai_provider(server), PROMPT, validate_changes, retry=FAST
        )
    assert result.value == ["a"]
    assert (result.input_tokens, result.output_tokens, result.rung) == (11, 7, Rung.json_schema)
    assert result.model == "fake-gpt"
    sent = server.requests[0]
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["schema"] == SCHEMA
    assert sent["max_tokens"] == 100
    assert server.request_headers[0]["authorization"] == "Bearer sk-test"


async def test_rejected_response_format_moves_down_and_stays_there() -> None:
    """A 400 on json_schema falls to JSON mode, and later requests start there."""
    with running() as server:
        server.then(
            error_reply(400, "response_format json_schema is not supported"),
            openai_reply({"changes": ["x"]}),
        )
        provider = openai_provider(server)
        first = await generate_structured(provider, PROMPT, validate_changes, retry=FAST)
        assert first.value == ["x"] and first.rung is Rung.json_object

        server.then(openai_reply({"changes": ["y"]}))
        second = await generate_structured(provider, PROMPT, validate_changes, retry=FAST)
    assert second.value == ["y"] and second.rung is Rung.json_object
    assert [r.get("response_format", {}).get("type") for r in server.requests] == [
        "json_schema",
        "json_object",
        "json_object",
    ]


async def test_server_without_response_format_gets_prompt_and_repair() -> None:
    """A server rejecting both response_format kinds is asked by prompt; fenced JSON is repaired."""
    with running() as server:
        server.then(
            error_reply(400, "response_format json_schema is not supported"),
            error_reply(422, "unknown field response_format"),
            openai_reply('Here you go:\n```json\n{"changes": ["x",],}\n```'),
        )
        provider = openai_provider(server)
        result = await generate_structured(provider, PROMPT, validate_changes, retry=FAST)
    assert result.value == ["x"] and result.rung is Rung.prompt
    assert starting_rung(provider) is Rung.prompt
    assert "response_format" not in server.requests[2]
    assert "JSON schema" in server.requests[2]["messages"][1]["content"]


async def test_malformed_json_falls_down_a_rung_without_remembering() -> None:
    """Garbage on one rung tries the next one for this request only."""
    with running() as server:
        server.then(openai_reply('{"changes": [1 2]}'), openai_reply({"changes": []}))
        provider = openai_provider(server)
        result = await generate_structured(provider, PROMPT, validate_changes, retry=FAST)
    assert result.rung is Rung.json_object and result.value == []
    assert starting_rung(provider) is Rung.json_schema


async def test_truncated_answer_is_retried_with_more_tokens() -> None:
    """finish_reason=length retries the same rung once with twice the max_tokens."""
    with running() as server:
        server.then(
            openai_reply('{"changes": ["a", "b', finish_reason="length"),
            openai_reply({"changes": ["a", "b"]}),
        )
        result = await generate_structured(
            openai_provider(server), PROMPT, validate_changes, retry=FAST
        )
    assert result.value == ["a", "b"] and result.rung is Rung.json_schema
    assert [r["max_tokens"] for r in server.requests] == [100, 200]
    assert result.input_tokens == 240  # both calls are counted


async def test_unbalanced_json_without_length_flag_counts_as_truncated() -> None:
    """A server that cuts output without saying so is still detected by the unclosed object."""
    with running() as server:
        server.then(openai_reply('{"changes": ["a"'), openai_reply({"changes": ["a"]}))
        result = await generate_structured(
            openai_provider(server), PROMPT, validate_changes, retry=FAST
        )
    assert result.value == ["a"]
    assert [r["max_tokens"] for r in server.requests] == [100, 200]


async def test_429_then_success_honours_retry_after() -> None:
    """A 429 with Retry-After: 1 waits about a second, then the retry succeeds."""
    with running() as server:
        server.then(
            error_reply(429, "slow down", {"retry-after": "1"}), openai_reply({"changes": []})
        )
        started = time.perf_counter()
        result = await generate_structured(
            openai_provider(server), PROMPT, validate_changes, retry=FAST
        )
        elapsed = time.perf_counter() - started
    assert result.value == [] and result.calls == 2
    assert 1.0 <= elapsed < 4.0


async def test_persistent_500s_become_service_unavailable() -> None:
    """Three 500s (only three: SDK retries are off) raise ServiceUnavailable with Retry-After."""
    with (
        running(default=error_reply(500, "internal error")) as server,
        pytest.raises(ServiceUnavailable) as caught,
    ):
        await generate_structured(openai_provider(server), PROMPT, validate_changes, retry=FAST)
    assert len(server.requests) == 3
    assert caught.value.status == 503
    assert int(caught.value.headers["Retry-After"]) >= 1


async def test_slow_server_times_out_into_service_unavailable() -> None:
    """Answers slower than the timeout are abandoned, retried, then reported unavailable."""
    with running(default=openai_reply({"changes": []}, delay=3)) as server:
        started = time.perf_counter()
        with pytest.raises(ServiceUnavailable, match="timed out"):
            await generate_structured(
                openai_provider(server, timeout=0.3),
                PROMPT,
                validate_changes,
                retry=RetryPolicy(attempts=2, base_delay=0.01),
            )
        elapsed = time.perf_counter() - started
    assert len(server.requests) == 2
    assert elapsed < 2.5


async def test_auth_failure_is_not_retried() -> None:
    """A 401 is permanent: one call, then ServiceUnavailable naming the refusal."""
    with (
        running(default=error_reply(401, "invalid api key")) as server,
        pytest.raises(ServiceUnavailable, match="refused"),
    ):
        await generate_structured(openai_provider(server), PROMPT, validate_changes, retry=FAST)
    assert len(server.requests) == 1


async def test_answers_failing_validation_exhaust_the_ladder() -> None:
    """Valid JSON of the wrong shape on every rung ends in ServiceUnavailable, not a crash."""
    with (
        running(default=openai_reply({"something": "else"})) as server,
        pytest.raises(ServiceUnavailable, match="no usable answer"),
    ):
        await generate_structured(openai_provider(server), PROMPT, validate_changes, retry=FAST)
    assert len(server.requests) == 3


async def test_max_completion_tokens_is_used_when_max_tokens_is_refused() -> None:
    """A server that refuses max_tokens (OpenAI reasoning models) gets max_completion_tokens."""
    refusal = "Unsupported parameter: 'max_tokens'. Use 'max_completion_tokens' instead."
    with running() as server:
        server.then(error_reply(400, refusal), openai_reply({"changes": []}))
        provider = openai_provider(server)
        result = await generate_structured(provider, PROMPT, validate_changes, retry=FAST)
        server.then(openai_reply({"changes": []}))
        await generate_structured(provider, PROMPT, validate_changes, retry=FAST)
    assert result.rung is Rung.json_schema
    assert "max_tokens" in server.requests[0]
    assert [r.get("max_completion_tokens") for r in server.requests[1:]] == [100, 100]
    assert all("max_tokens" not in r for r in server.requests[1:])
