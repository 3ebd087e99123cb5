"""The text of a resume, field by field, addressed in the same path format as tailoring changes.

Scoring reads a resume's words through here, and the tailoring engines and the verifier use the
same paths, so "where does this word come from" has one answer everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel

from finetune.documents.schema import Basics, Item, ResumeData, Section

# Fields that hold identifiers, icons or links rather than words a reader (or an ATS) sees as text.
_NON_TEXT_FIELDS = frozenset({"id", "icon", "visible", "ext", "url", "picture", "level"})
_BASICS_TEXT_FIELDS = ("name", "headline", "email", "phone", "location")
LIST_JOINER = ", "


def _model_text_fields(model: BaseModel, prefix: str) -> Iterator[tuple[str, str]]:
    for field_name in type(model).model_fields:
        if field_name in _NON_TEXT_FIELDS:
            continue
        value = getattr(model, field_name)
        if isinstance(value, str):
            text = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            text = LIST_JOINER.join(v for v in value if v)
        else:
            continue
        if text.strip():
            yield f"{prefix}.{field_name}", text


def _basics_fields(basics: Basics) -> Iterator[tuple[str, str]]:
    for field_name in _BASICS_TEXT_FIELDS:
        value: str = getattr(basics, field_name)
        if value.strip():
            yield f"basics.{field_name}", value
    for custom in basics.customFields:
        if custom.value.strip():
            yield f"basics.customFields.{custom.id}.value", custom.value


def iter_text_fields(resume: ResumeData, *, visible_only: bool = True) -> Iterator[tuple[str, str]]:
    """(path, text) for every non-empty text-bearing field, in document order.

    Paths: ``basics.headline``, ``sections.summary.content``,
    ``sections.<section>.items.<id>.<field>``; list fields (skill keywords) are joined by ", ".
    With ``visible_only``, hidden sections and hidden items are skipped.
    """
    yield from _basics_fields(resume.basics)
    summary = resume.sections.summary
    if summary.content.strip() and (summary.visible or not visible_only):
        yield "sections.summary.content", summary.content
    for section_name in type(resume.sections).model_fields:
        section = getattr(resume.sections, section_name)
        if not isinstance(section, Section) or (visible_only and not section.visible):
            continue
        item: Item
        for item in section.items:
            if visible_only and not item.visible:
                continue
            yield from _model_text_fields(item, f"sections.{section_name}.items.{item.id}")


def resume_text(resume: ResumeData) -> str:
    """All visible text of the resume, one field per line."""
    return "\n".join(text for _, text in iter_text_fields(resume))
