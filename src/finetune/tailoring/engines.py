"""Choosing the tailoring engine the configuration asks for."""

from __future__ import annotations

from finetune.config import Settings
from finetune.tailoring.engine import TailoringEngine
from finetune.tailoring.engine_llm import build_tailoring_engine
from finetune.tailoring.engine_local import LocalEngine


def build_engine(settings: Settings) -> TailoringEngine:
    """The engine live-mode generation uses (test mode always uses the local one)."""
    if settings.llm_provider == "local":
        return LocalEngine()
    # openai | anthropic, wrapped with the local fallback when FINETUNE_LLM_FALLBACK=local.
    return build_tailoring_engine(settings)
