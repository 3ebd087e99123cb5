"""Choosing the tailoring engine the configuration asks for."""

from __future__ import annotations

from finetune.config import Settings
from finetune.errors import ValidationError
from finetune.tailoring.engine import TailoringEngine
from finetune.tailoring.engine_local import LocalEngine


def build_engine(settings: Settings) -> TailoringEngine:
    """The engine live-mode generation uses (test mode always uses the local one)."""
    if settings.llm_provider == "local":
        return LocalEngine()
    # LLM providers are wired in by a later issue; refusing is better than silently
    # serving the local engine under a provider name the operator did not get.
    raise ValidationError(
        f"FINETUNE_LLM_PROVIDER={settings.llm_provider!r} is not available in this build; "
        "use 'local'"
    )
