"""LLM-backed tailoring engines (OpenAI-compatible servers and Anthropic), and the local fallback.

The LLM proposes a list of changes against the base resume; it never returns a resume. The
pipeline then runs every change through the allow-list and the truthfulness verifier, exactly as
for the local engine, and scores the result with the deterministic scorer: the LLM is trusted
with wording only, and never asked about (or looped on) the score.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from finetune.config import Settings
from finetune.errors import ServiceUnavailable, ValidationError
from finetune.llm.anthropic import AnthropicProvider
from finetune.llm.base import LLMProvider
from finetune.llm.openai_compat import OpenAICompatProvider
from finetune.llm.retry import RetryPolicy
from finetune.llm.structured import InvalidAnswer, StructuredResult, generate_structured
from finetune.tailoring.changes import Action, ChangeError, read_path
from finetune.tailoring.engine import Proposal, TailoringEngine, TailorRequest
from finetune.tailoring.engine_local import LocalEngine
from finetune.tailoring.model import Change, TailorWarning, Usage
from finetune.tailoring.prompts import build_prompts

# More than any honest tailoring needs; bounds the work a runaway answer can cause.
MAX_CHANGES_PER_CALL = 100
MAX_REASON_CHARS = 300
_ACTIONS: dict[str, Action] = {"replace": "replace", "reorder": "reorder", "add": "add"}


class _AnswerChange(BaseModel):
    model_config = ConfigDict(extra="ignore")

    path: str
    action: str = "replace"
    text: str | None = None
    items: list[str] | None = None
    reason: str | None = None


class _Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")

    changes: list[_AnswerChange]


def parse_answer(data: dict[str, Any]) -> list[_AnswerChange]:
    """The answer's changes; InvalidAnswer (a failed rung) if it is not of the schema's shape."""
    try:
        return _Answer.model_validate(data).changes[:MAX_CHANGES_PER_CALL]
    except PydanticValidationError as error:
        count = error.error_count()
        raise InvalidAnswer(f"answer does not match the schema: {count} errors") from error


def to_changes(base_request: TailorRequest, answers: list[_AnswerChange]) -> list[Change]:
    """Changes in our format, ``original`` read from the base resume (the model never echoes it).

    No-ops and repeats are dropped; everything else, however wrong, is passed on for the verifier
    to reject with a warning the user sees.
    """
    changes: list[Change] = []
    seen: set[tuple[str, str]] = set()
    for answer in answers:
        path = answer.path.strip()
        action: Action = _ACTIONS.get(answer.action, "replace")
        if not path or (path, action) in seen:
            continue
        seen.add((path, action))
        try:
            original: str | list[str] | None = read_path(base_request.base, path)
        except ChangeError:
            original = None  # unknown path or id: the verifier reports it
        text, items = (answer.text or "").strip(), [i for i in answer.items or [] if i.strip()]
        new: str | list[str] = items if isinstance(original, list) or (items and not text) else text
        if not new or _same(new, original):
            continue
        reason = (answer.reason or "").strip()[:MAX_REASON_CHARS] or "Suggested by the LLM."
        changes.append(Change(path=path, action=action, original=original, new=new, reason=reason))
    return changes


def _same(new: str | list[str], original: str | list[str] | None) -> bool:
    if isinstance(new, str) and isinstance(original, str):
        return " ".join(new.split()) == " ".join(original.split())
    return new == original


class LLMEngine:
    """Implements ``TailoringEngine`` with one provider: one call for basic/good, two for super."""

    def __init__(self, provider: LLMProvider, *, retry: RetryPolicy | None = None) -> None:
        self.provider = provider
        self.retry = retry or RetryPolicy()
        self.name = f"{provider.name}:{provider.model}"

    async def propose(self, request: TailorRequest) -> Proposal:
        started = time.perf_counter()
        prompts = build_prompts(request)
        outcomes = await asyncio.gather(
            *(
                generate_structured(self.provider, prompt, parse_answer, retry=self.retry)
                for prompt in prompts
            ),
            return_exceptions=True,
        )
        results: list[StructuredResult[list[_AnswerChange]]] = []
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome  # any failed call fails the generation: nothing half-tailored
            results.append(outcome)
        changes = [c for result in results for c in to_changes(request, result.value)]
        usage = Usage(
            model=results[0].model,
            input_tokens=sum(r.input_tokens for r in results),
            output_tokens=sum(r.output_tokens for r in results),
            latency_ms=round((time.perf_counter() - started) * 1000),
        )
        return Proposal(changes=changes, usage=usage)


class LocalFallbackEngine:
    """Tailors with ``fallback`` when ``primary`` is unavailable, and says so in ``warnings``."""

    def __init__(self, primary: TailoringEngine, fallback: TailoringEngine) -> None:
        self.primary = primary
        self.fallback = fallback
        self.name = primary.name

    async def propose(self, request: TailorRequest) -> Proposal:
        try:
            return await self.primary.propose(request)
        except ServiceUnavailable as error:
            proposal = await self.fallback.propose(request)
            notice = TailorWarning(
                code="llm_fallback",
                message=(
                    f"The LLM provider was unavailable ({error.message}); this resume was "
                    f"tailored by the built-in {self.fallback.name} engine instead."
                ),
            )
            proposal.warnings.insert(0, notice)
            return proposal


def build_llm_engine(settings: Settings) -> LLMEngine:
    """The LLM engine ``FINETUNE_LLM_*`` describes; ValidationError if it is incomplete."""
    if not settings.llm_model:
        raise ValidationError(
            f"FINETUNE_LLM_MODEL must name a model when FINETUNE_LLM_PROVIDER="
            f"{settings.llm_provider} (e.g. gpt-4o-mini, llama3.1:8b, claude-sonnet-4-5)"
        )
    model, base_url, key = settings.llm_model, settings.llm_base_url, settings.llm_api_key
    if settings.llm_provider == "openai":
        return LLMEngine(
            OpenAICompatProvider(
                model=model, base_url=base_url, api_key=key, timeout=settings.llm_timeout
            )
        )
    if settings.llm_provider == "anthropic":
        if not key:
            raise ValidationError("FINETUNE_LLM_API_KEY must be set for the anthropic provider")
        return LLMEngine(
            AnthropicProvider(
                model=model, base_url=base_url, api_key=key, timeout=settings.llm_timeout
            )
        )
    raise ValidationError(
        f"FINETUNE_LLM_PROVIDER={settings.llm_provider!r} is not an LLM provider "
        "(use openai or anthropic)"
    )


def build_tailoring_engine(settings: Settings) -> TailoringEngine:
    """The configured LLM engine, wrapped with the local fallback if FINETUNE_LLM_FALLBACK=local."""
    engine: TailoringEngine = build_llm_engine(settings)
    if settings.llm_fallback == "local":
        engine = LocalFallbackEngine(engine, LocalEngine())
    return engine
