"""The base-resume editor: resume_data as form fields, and a submitted form back as resume_data.

Fields are derived from the schema's item models, so every section is editable the same way:
text inputs for short strings, a paragraph and a bullets textarea (one bullet a line) for
``summary``, comma-separated ``keywords``, a 0-5 ``level`` and the link of ``url``. The form is
applied on top of the stored document, so what the form does not show (``ext``, custom fields,
picture, hidden flags) survives an edit.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from finetune.api.errors import validation_message
from finetune.documents.schema import (
    ResumeData,
    Sections,
    join_bullets,
    new_item_id,
    split_bullets,
)
from finetune.errors import ValidationError

# ASCII digits only: str.isdigit() also accepts "²" or "١", which int() then rejects or reads.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,3}")

FieldKind = Literal["text", "paragraph", "bullets", "keywords", "level", "link"]

BASICS_FIELDS = ("name", "headline", "email", "phone", "location")
# Item fields nobody edits by hand: identity, visibility, icons, JSON Resume extras.
_HIDDEN_ITEM_FIELDS = frozenset({"id", "visible", "ext", "icon"})
_LABELS = {
    "studyType": "Degree",
    "area": "Field of study",
    "score": "Grade",
    "date": "Dates",
    "url": "Link",
    "keywords": "Keywords (comma-separated)",
    "level": "Level (0-5)",
}
_NEW = "new"


@dataclass(frozen=True)
class FormField:
    name: str  # the form control's name
    label: str
    kind: FieldKind
    value: str


@dataclass(frozen=True)
class ItemForm:
    key: str  # the item id, or "new" for the blank entry
    title: str
    fields: list[FormField]


@dataclass(frozen=True)
class SectionForm:
    key: str
    name: str
    items: list[ItemForm]


def _item_model(section_key: str) -> type[BaseModel]:
    annotation = Sections.model_fields[section_key].annotation
    assert isinstance(annotation, type) and issubclass(annotation, BaseModel)
    item_annotation = annotation.model_fields["items"].annotation
    item_type: Any = getattr(item_annotation, "__args__", (None,))[0]
    assert isinstance(item_type, type) and issubclass(item_type, BaseModel)
    return item_type


def editable_sections() -> list[str]:
    """Every item section of the schema, in its order (the summary is edited on its own)."""
    return [key for key in Sections.model_fields if key != "summary"]


def _item_fields(section_key: str) -> list[tuple[str, FieldKind]]:
    fields: list[tuple[str, FieldKind]] = []
    for name in _item_model(section_key).model_fields:
        if name in _HIDDEN_ITEM_FIELDS:
            continue
        if name == "summary":
            fields += [("summary", "paragraph"), ("bullets", "bullets")]
        elif name == "keywords":
            fields.append((name, "keywords"))
        elif name == "level":
            fields.append((name, "level"))
        elif name == "url":
            fields.append((name, "link"))
        else:
            fields.append((name, "text"))
    return fields


def _label(name: str) -> str:
    if name == "summary":
        return "Description"
    if name == "bullets":
        return "Bullets (one a line)"
    return _LABELS.get(name, name[:1].upper() + name[1:])


def _display_value(item: Mapping[str, Any], name: str, kind: FieldKind) -> str:
    paragraph, bullets = split_bullets(str(item.get("summary", "")))
    if kind == "paragraph":
        return paragraph
    if kind == "bullets":
        return "\n".join(bullets)
    if kind == "keywords":
        return ", ".join(item.get(name) or [])
    if kind == "link":
        return str((item.get(name) or {}).get("href", ""))
    return str(item.get(name, ""))


def item_title(item: Mapping[str, Any]) -> str:
    """What names an entry for people: its position, company, institution, name…"""
    for name in ("position", "company", "institution", "name", "title", "network"):
        if item.get(name):
            return str(item[name])
    return "Entry"


def build_form(resume: ResumeData) -> tuple[list[FormField], FormField, list[SectionForm]]:
    """The basics fields, the summary field and every section's entries (plus a blank one)."""
    document = resume.model_dump(mode="json")
    basics = document["basics"]
    basics_fields = [
        FormField(f"basics.{name}", _label(name), "text", str(basics.get(name, "")))
        for name in BASICS_FIELDS
    ]
    basics_fields.append(FormField("basics.url", "Website", "link", basics["url"]["href"]))
    summary = FormField(
        "summary", "Summary", "paragraph", document["sections"]["summary"]["content"]
    )
    sections = []
    for key in editable_sections():
        section = document["sections"][key]
        items = []
        for item in [*section["items"], None]:
            item_key = _NEW if item is None else item["id"]
            fields = [
                FormField(
                    f"s.{key}.{item_key}.{name}",
                    _label(name),
                    kind,
                    "" if item is None else _display_value(item, name, kind),
                )
                for name, kind in _item_fields(key)
            ]
            title = "Add an entry" if item is None else item_title(item)
            items.append(ItemForm(key=item_key, title=title, fields=fields))
        sections.append(SectionForm(key=key, name=section["name"], items=items))
    return basics_fields, summary, sections


def _text(form: Mapping[str, object], name: str) -> str | None:
    value = form.get(name)
    # NUL cannot be stored as text (PostgreSQL): drop it rather than fail later.
    return value.replace("\x00", "").strip() if isinstance(value, str) else None


def _apply_item(
    item: dict[str, Any], section_key: str, prefix: str, form: Mapping[str, object]
) -> bool:
    """Copy the form's values for one entry into ``item``; True when any field is filled."""
    filled = False
    paragraph: str | None = None
    bullets: list[str] | None = None
    for name, kind in _item_fields(section_key):
        raw = _text(form, f"{prefix}.{name}")
        if raw is None:
            continue
        filled = filled or bool(raw)
        if kind == "paragraph":
            paragraph = raw
        elif kind == "bullets":
            bullets = [line.strip().removeprefix("- ").strip() for line in raw.splitlines()]
            bullets = [line for line in bullets if line]
        elif kind == "keywords":
            item[name] = [word.strip() for word in raw.split(",") if word.strip()]
        elif kind == "level":
            if raw and not _WHOLE_NUMBER.fullmatch(raw):
                raise ValidationError(f"{_label(name)} must be a whole number from 0 to 5")
            item[name] = int(raw or 0)
        elif kind == "link":
            item[name] = {**(item.get(name) or {}), "href": raw}
        else:
            item[name] = raw
    if paragraph is not None or bullets is not None:
        old_paragraph, old_bullets = split_bullets(str(item.get("summary", "")))
        item["summary"] = join_bullets(
            old_paragraph if paragraph is None else paragraph,
            old_bullets if bullets is None else bullets,
        )
    return filled


def apply_form(current: ResumeData, form: Mapping[str, object]) -> ResumeData:
    """``current`` with the submitted form applied; ``ValidationError`` names a bad field."""
    document = copy.deepcopy(current.model_dump(mode="json", exclude_none=True))
    basics = document.setdefault("basics", {})
    for name in BASICS_FIELDS:
        value = _text(form, f"basics.{name}")
        if value is not None:
            basics[name] = value
    website = _text(form, "basics.url")
    if website is not None:
        basics["url"] = {**basics.get("url", {}), "href": website}
    sections = document.setdefault("sections", {})
    summary = _text(form, "summary")
    if summary is not None:
        sections.setdefault("summary", {})["content"] = summary
    for key in editable_sections():
        section = sections.setdefault(key, {"id": key, "name": key.title(), "items": []})
        title = _text(form, f"s.{key}.name")
        if title:
            section["name"] = title
        kept = []
        for item in section.get("items", []):
            prefix = f"s.{key}.{item['id']}"
            if _text(form, f"{prefix}.remove"):
                continue
            _apply_item(item, key, prefix, form)
            kept.append(item)
        blank: dict[str, Any] = {"id": new_item_id()}
        if _apply_item(blank, key, f"s.{key}.{_NEW}", form):
            kept.append(blank)
        section["items"] = kept
    try:
        return ResumeData.model_validate(document)
    except PydanticValidationError as exc:
        raise ValidationError(validation_message(exc.errors(include_url=False))) from exc
