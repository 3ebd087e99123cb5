"""JSON Resume (v1.0.0) ⇄ resume_data, without losing anything on the way in and back out.

Each JSON Resume object (``basics`` and every section item) maps to visible fields of ours through
a pair of functions: ``read`` (JSON → our fields) and ``write`` (our fields → JSON). On import we
``write`` what we just read and compare it with the original: every key that does not come back
exactly (ISO dates finer than the month, a work ``description``, ``courses``, an empty ``image``,
unknown keys, a summary that itself holds ``- `` lines) is kept verbatim in the item's ``ext``, and
keys the original did not have are listed under ``ext["$absent"]``. On export those originals are
put back, but only while they still agree with what the visible fields say, so an edited date or
summary wins over a stale original.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from finetune.documents import jsonresume_fields as fields
from finetune.documents import jsonresume_values as values
from finetune.documents.schema import ResumeData, Sections
from finetune.errors import ValidationError

ABSENT = "$absent"

Json = dict[str, Any]
Reader = Callable[[Json, str], Json]
Writer = Callable[[Json], Json]


@dataclass(frozen=True)
class _SectionMap:
    json_key: str  # e.g. "work"
    section: str  # e.g. "experience"
    read: Reader
    write: Writer


_SECTIONS = [
    _SectionMap("work", "experience", fields.read_work, fields.write_work),
    _SectionMap("volunteer", "volunteer", fields.read_volunteer, fields.write_volunteer),
    _SectionMap("education", "education", fields.read_education, fields.write_education),
    _SectionMap("awards", "awards", fields.read_award, fields.write_award),
    _SectionMap(
        "certificates", "certifications", fields.read_certificate, fields.write_certificate
    ),
    _SectionMap("publications", "publications", fields.read_publication, fields.write_publication),
    _SectionMap("skills", "skills", fields.read_skill, fields.write_skill),
    _SectionMap("languages", "languages", fields.read_language, fields.write_language),
    _SectionMap("interests", "interests", fields.read_interest, fields.write_interest),
    _SectionMap("references", "references", fields.read_reference, fields.write_reference),
    _SectionMap("projects", "projects", fields.read_project, fields.write_project),
]
_PROFILES = _SectionMap("profiles", "profiles", fields.read_profile, fields.write_profile)
_SECTION_KEYS = {m.json_key for m in _SECTIONS}
_JSON_RESUME_KEYS = {"$schema", "basics", "meta", *_SECTION_KEYS}
_OUR_BASICS_KEYS = {"headline", "customFields"}
# Keys of JSON Resume's basics, including names from before v1.0 (``website``, ``picture``).
_JSON_RESUME_BASICS_KEYS = {"label", "image", "summary", "profiles", "website"}


def looks_like_json_resume(doc: dict[str, Any]) -> bool:
    """True for a JSON Resume document, False for our resume_data (or anything else).

    Ours always nests content under ``sections`` and its basics use ``headline``/``picture`` and
    a ``url`` object; JSON Resume has top-level arrays (``work``…), ``label`` and a ``url`` string.
    """
    if not isinstance(doc, dict) or "sections" in doc:
        return False
    basics = doc.get("basics")
    if isinstance(basics, dict):
        # Our ``picture`` is an object; JSON Resume before v1.0 had a ``picture`` URL string.
        ours = _OUR_BASICS_KEYS & basics.keys() or isinstance(basics.get("picture"), dict)
        if ours or isinstance(basics.get("location"), str):
            return False
        if _JSON_RESUME_BASICS_KEYS & basics.keys() or isinstance(basics.get("picture"), str):
            return True
        if isinstance(basics.get("url"), str) or isinstance(basics.get("location"), dict):
            return True
    return bool((_JSON_RESUME_KEYS - {"basics"}) & doc.keys())


def from_json_resume(doc: dict[str, Any]) -> ResumeData:
    """Convert a JSON Resume document; raises ValidationError naming the offending field."""
    if not isinstance(doc, dict):
        raise ValidationError("A JSON Resume document must be a JSON object.")
    basics_json = values.object_at(doc, "basics", "basics")
    basics, basics_ext = _import_object(
        _without(basics_json, "profiles"), "basics", fields.read_basics, fields.write_basics
    )
    _mark_empty(basics_json, "profiles", [], basics_ext)
    sections: Json = {"profiles": _import_section(basics_json, _PROFILES, "basics.profiles")}
    top_ext: Json = {k: v for k, v in doc.items() if k not in {"basics", *_SECTION_KEYS}}
    _mark_empty(doc, "basics", {}, top_ext)
    for mapping in _SECTIONS:
        sections[mapping.section] = _import_section(doc, mapping, mapping.json_key)
        _mark_empty(doc, mapping.json_key, [], top_ext)
    defaults = Sections().model_dump()
    payload = {name: {**defaults[name], "items": items} for name, items in sections.items()}
    payload["summary"] = {**defaults["summary"], "content": basics.pop("summary")}
    try:
        return ResumeData.model_validate(
            {
                "basics": fields.basics_model(basics, basics_ext),
                "sections": payload,
                "ext": top_ext or None,
            }
        )
    except PydanticValidationError as exc:  # only reachable through ext values we cannot hold
        raise ValidationError(f"JSON Resume document could not be converted: {exc}") from exc


def to_json_resume(resume: ResumeData) -> dict[str, Any]:
    """Export as a JSON Resume document (valid against its v1.0.0 schema)."""
    data = resume.model_dump(mode="json")
    sections = data["sections"]
    basics_ext = data["basics"].get("ext") or {}
    basics_fields = fields.basics_fields(data["basics"], sections["summary"]["content"])
    basics = _export_object(basics_fields, basics_ext, fields.read_basics, fields.write_basics)
    profiles = _export_section(sections["profiles"]["items"], _PROFILES)
    basics = _place(basics, "profiles", profiles, [], basics_ext)
    top_ext = data.get("ext") or {}
    out = _place({}, "basics", basics, {}, top_ext)
    for mapping in _SECTIONS:
        items = _export_section(sections[mapping.section]["items"], mapping)
        out = _place(out, mapping.json_key, items, [], top_ext)
    for key, value in top_ext.items():
        if key not in _SECTION_KEYS and key != "basics":
            out[key] = value
    return _ordered(out, ["$schema", "basics", *(m.json_key for m in _SECTIONS), "meta"])


def _import_object(original: Json, path: str, read: Reader, write: Writer) -> tuple[Json, Json]:
    """Our visible fields for one JSON object, plus the ext that reproduces it exactly."""
    visible = read(original, path)
    regenerated = write(visible)
    ext = {k: v for k, v in original.items() if k not in regenerated or regenerated[k] != v}
    absent = [k for k in regenerated if k not in original]
    if absent:
        ext[ABSENT] = absent
    return visible, ext


def _export_object(visible: Json, ext: Json | None, read: Reader, write: Writer) -> Json:
    """``write(visible)`` with the originals from ``ext`` that still agree with ``visible``.

    An original is put back when reading the result shows what ``visible`` shows (or what the
    plain export shows, for visible text we normalise, such as ``* `` bullets).
    """
    out = write(visible)
    if not ext:
        return out
    shown = read(out, "export")
    expected = [{k: visible.get(k) for k in shown}, shown]
    everything = _with_overrides(out, ext)
    if _reads_as(everything, expected, read):
        return everything
    # Something visible was edited: keep each original only if it alone changes nothing visible.
    for key in ext:
        candidate = _with_overrides(out, {key: ext[key]})
        if _reads_as(candidate, expected, read):
            out = candidate
    return out


def _with_overrides(out: Json, ext: Json) -> Json:
    merged = {**out, **{k: v for k, v in ext.items() if k != ABSENT}}
    absent = ext.get(ABSENT)
    for key in absent if isinstance(absent, list) else []:
        merged.pop(key, None)
    return merged


def _reads_as(candidate: Json, expected: list[Json], read: Reader) -> bool:
    try:
        return read(candidate, "export") in expected
    except ValidationError:  # an ext value of the wrong type (edited by hand) is not an original
        return False


def _import_section(doc: Json, mapping: _SectionMap, path: str) -> list[Json]:
    items = doc.get(mapping.json_key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise ValidationError(f"{path} must be a list, got {type(items).__name__}.")
    converted = []
    for index, item in enumerate(items):
        item_path = f"{path}[{index}]"
        if not isinstance(item, dict):
            raise ValidationError(f"{item_path} must be an object, got {type(item).__name__}.")
        visible, ext = _import_object(item, item_path, mapping.read, mapping.write)
        item_id = _item_id(mapping.json_key, index, item)
        converted.append({**visible, "id": item_id, "ext": ext or None})
    return converted


def _export_section(items: list[Json], mapping: _SectionMap) -> list[Json]:
    return [_export_object(item, item.get("ext"), mapping.read, mapping.write) for item in items]


def _mark_empty(doc: Json, key: str, empty: Any, ext: Json) -> None:
    """Remember a key that was present but empty, so the export has it too."""
    if key in doc and doc[key] == empty:
        ext[key] = empty


def _place(out: Json, key: str, value: Any, empty: Any, ext: Json) -> Json:
    """Put a converted section (or basics) in the export, or its remembered empty form."""
    if value:
        return {**out, key: value}
    if key in ext and ext[key] == empty:
        return {**out, key: empty}
    return out


def _item_id(section: str, index: int, item: Json) -> str:
    """Same content, same id: exports and diffs stay stable across imports."""
    canonical = json.dumps([section, index, item], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:24]


def _without(doc: Json, key: str) -> Json:
    return {k: v for k, v in doc.items() if k != key}


def _ordered(doc: Json, order: list[str]) -> Json:
    first = {k: doc[k] for k in order if k in doc}
    return {**first, **{k: v for k, v in doc.items() if k not in first}}
