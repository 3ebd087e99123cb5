"""The structured-output ladder: ask for JSON as strongly as the server allows, then step down.

For each request we start at the strongest rung known to work for the endpoint. A rung fails when
the server rejects its shape (400), when the output is truncated twice (the second try gets more
tokens) or when the output is not a valid answer even after repair; then the next rung is tried.
An endpoint that rejected a rung's shape, and then answered on a lower rung, starts below the
rejected rung from then on (remembered in-process, per base URL and model).
Transient failures are retried inside each call; when they persist the provider is down and
:class:`~finetune.errors.ServiceUnavailable` propagates unchanged.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from finetune.errors import ServiceUnavailable
from finetune.llm.base import (
    LLMProvider,
    ProviderRejected,
    RawCompletion,
    Rung,
    RungRejected,
    StructuredPrompt,
)
from finetune.llm.jsonrepair import MalformedJSON, TruncatedJSON, parse_json_object
from finetune.llm.retry import RetryPolicy, call_with_retries

T = TypeVar("T")

# Largest completion we ask for when retrying a truncated answer.
MAX_TOKENS_CEILING = 16_384

_working_rung: dict[str, Rung] = {}


class InvalidAnswer(ValueError):
    """Parsed JSON that does not have the requested shape."""


@dataclass(frozen=True)
class StructuredResult(Generic[T]):
    value: T
    model: str
    input_tokens: int
    output_tokens: int
    latency_ms: int
    rung: Rung
    calls: int  # HTTP calls made, retries and ladder steps included


def starting_rung(provider: LLMProvider) -> Rung:
    """The strongest rung not yet rejected by this endpoint."""
    return _working_rung.get(provider.endpoint, provider.rungs[0])


async def generate_structured(
    provider: LLMProvider,
    prompt: StructuredPrompt,
    validate: Callable[[dict[str, Any]], T],
    *,
    retry: RetryPolicy,
) -> StructuredResult[T]:
    """One answer of the prompt's schema, validated by ``validate`` (raising InvalidAnswer)."""
    started = time.perf_counter()
    first = provider.rungs.index(starting_rung(provider))
    counter = _Counter()
    failures: list[str] = []
    rejected: Rung | None = None
    for rung in provider.rungs[first:]:
        try:
            completion, value = await _try_rung(provider, prompt, rung, validate, retry, counter)
        except RungRejected as error:
            failures.append(f"{rung.value}: rejected ({error})")
            rejected = rung
            continue
        except (MalformedJSON, InvalidAnswer) as error:
            failures.append(f"{rung.value}: {error}")
            continue
        except ProviderRejected as error:
            raise ServiceUnavailable(
                f"The LLM provider ({provider.name}) refused the request: {error}",
                headers={"Retry-After": str(retry.unavailable_retry_after)},
            ) from error
        if rejected is not None:
            _remember_below(provider, rejected)
        return StructuredResult(
            value=value,
            model=completion.model or provider.model,
            input_tokens=counter.input_tokens,
            output_tokens=counter.output_tokens,
            latency_ms=round((time.perf_counter() - started) * 1000),
            rung=rung,
            calls=counter.calls,
        )
    raise ServiceUnavailable(
        f"The LLM provider ({provider.name}) gave no usable answer: " + "; ".join(failures),
        headers={"Retry-After": str(retry.unavailable_retry_after)},
    )


@dataclass
class _Counter:
    calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0

    def add(self, completion: RawCompletion) -> None:
        self.input_tokens += completion.input_tokens
        self.output_tokens += completion.output_tokens


async def _try_rung(
    provider: LLMProvider,
    prompt: StructuredPrompt,
    rung: Rung,
    validate: Callable[[dict[str, Any]], T],
    retry: RetryPolicy,
    counter: _Counter,
) -> tuple[RawCompletion, T]:
    """One rung: a call, and one more with a larger budget if the first was cut off."""
    max_tokens = prompt.max_tokens
    for attempt in range(2):
        completion = await _call(provider, prompt, rung, max_tokens, retry, counter)
        counter.add(completion)
        try:
            if completion.truncated:
                raise TruncatedJSON(f"output cut off at {max_tokens} tokens")
            return completion, validate(parse_json_object(completion.text))
        except TruncatedJSON:
            if attempt == 1 or max_tokens >= MAX_TOKENS_CEILING:
                raise
            max_tokens = min(max_tokens * 2, MAX_TOKENS_CEILING)
    raise AssertionError("unreachable: the loop returns or raises")


async def _call(
    provider: LLMProvider,
    prompt: StructuredPrompt,
    rung: Rung,
    max_tokens: int,
    retry: RetryPolicy,
    counter: _Counter,
) -> RawCompletion:
    async def once() -> RawCompletion:
        counter.calls += 1
        return await provider.complete(prompt, rung, max_tokens)

    return await call_with_retries(once, retry, what=provider.name)


def _remember_below(provider: LLMProvider, rung: Rung) -> None:
    """Start below ``rung`` from now on: the server refused its shape and a lower rung worked."""
    rungs = provider.rungs
    position = rungs.index(rung)
    if position + 1 < len(rungs):
        _working_rung[provider.endpoint] = rungs[position + 1]
