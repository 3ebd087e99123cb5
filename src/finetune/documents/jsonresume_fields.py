"""Field mappings between JSON Resume objects and our visible resume_data fields.

For every JSON Resume object there is a ``read_*`` (JSON object → our fields, raising a
ValidationError that names the field on wrong types) and a ``write_*`` (our fields → JSON object,
empty values left out). ``write(read(x))`` need not equal ``x``; the converter keeps the
difference in ``ext``. ``read(write(f))`` gives ``f`` back for anything ``read`` produced.

A few of our fields have no JSON Resume counterpart (education ``summary``, volunteer
``location``, certificate ``summary``, award ``url``, reference ``description``, a project's
paragraph). They are written as extra keys of the same name, which the schema allows
(``additionalProperties``) and themes ignore, so our resumes survive the trip out and back.
"""

from __future__ import annotations

from typing import Any

from finetune.documents.displaytext import (
    LANGUAGE_LEVEL_WORDS,
    SKILL_LEVEL_WORDS,
    format_date_range,
    format_iso_date,
    format_location,
    infer_level,
    parse_date_range,
    parse_display_date,
    parse_location,
)
from finetune.documents.schema import join_bullets, split_bullets
from finetune.errors import ValidationError

Json = dict[str, Any]


def object_at(doc: Json, key: str, path: str) -> Json:
    value = doc.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValidationError(f"{path} must be an object, got {type(value).__name__}.")
    return value


def _text(obj: Json, key: str, path: str) -> str:
    value = obj.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(f"{path}.{key} must be a string, got {type(value).__name__}.")
    return value


def _strings(obj: Json, key: str, path: str) -> list[str]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, str) for entry in value):
        raise ValidationError(f"{path}.{key} must be a list of strings.")
    return list(value)


def _text_or_legacy(obj: Json, key: str, legacy: str, path: str) -> str:
    """``key``, or its name in JSON Resume before v1.0 (work ``company``, ``website``, ``gpa``…)
    when only that one is given. The converter keeps the original key in ``ext``."""
    return _text(obj, key, path) or _text(obj, legacy, path)


def _url(obj: Json, path: str) -> Json:
    return {"label": "", "href": _text_or_legacy(obj, "url", "website", path)}


def _put(out: Json, key: str, value: Any) -> None:
    if value:
        out[key] = value


def _date_range(obj: Json, path: str) -> str:
    return format_date_range(_text(obj, "startDate", path), _text(obj, "endDate", path))


def _put_date_range(out: Json, display: str) -> None:
    parsed = parse_date_range(display)
    if parsed:  # text we cannot read as dates ("Summer 2019") has no JSON Resume form
        _put(out, "startDate", parsed[0])
        _put(out, "endDate", parsed[1])


def _put_date(out: Json, key: str, display: str) -> None:
    _put(out, key, parse_display_date(display) if display.strip() else None)


def _bulleted(obj: Json, path: str) -> str:
    return join_bullets(_text(obj, "summary", path), _strings(obj, "highlights", path))


def _put_bulleted(out: Json, summary: str) -> None:
    paragraph, bullets = split_bullets(summary)
    _put(out, "summary", paragraph)
    _put(out, "highlights", bullets)


def read_basics(basics: Json, path: str) -> Json:
    location = basics.get("location")
    if isinstance(location, dict):
        location_text = format_location(location)
    elif location is None or isinstance(location, str):
        location_text = location or ""
    else:
        raise ValidationError(f"{path}.location must be an object, got {type(location).__name__}.")
    return {
        "name": _text(basics, "name", path),
        "headline": _text(basics, "label", path),
        "image": _text_or_legacy(basics, "image", "picture", path),
        "email": _text(basics, "email", path),
        "phone": _text(basics, "phone", path),
        "url": _text_or_legacy(basics, "url", "website", path),
        "summary": _text(basics, "summary", path),
        "location": location_text,
    }


def write_basics(fields: Json) -> Json:
    out: Json = {}
    for ours, theirs in [("name", "name"), ("headline", "label"), ("image", "image")]:
        _put(out, theirs, fields[ours])
    for key in ("email", "phone", "url", "summary"):
        _put(out, key, fields[key])
    if fields["location"].strip():
        out["location"] = parse_location(fields["location"])
    return out


def basics_model(fields: Json, ext: Json | None) -> Json:
    """Our ``basics`` object from :func:`read_basics` output (the summary goes to a section)."""
    return {
        "name": fields["name"],
        "headline": fields["headline"],
        "email": fields["email"],
        "phone": fields["phone"],
        "location": fields["location"],
        "url": {"label": "", "href": fields["url"]},
        "picture": {"url": fields["image"]},
        "ext": ext or None,
    }


def basics_fields(basics: Json, summary: str) -> Json:
    """The :func:`read_basics`-shaped view of our dumped ``basics`` and summary content."""
    return {
        "name": basics["name"],
        "headline": basics["headline"],
        "image": basics["picture"]["url"],
        "email": basics["email"],
        "phone": basics["phone"],
        "url": basics["url"]["href"],
        "summary": summary,
        "location": basics["location"],
    }


def read_profile(item: Json, path: str) -> Json:
    return {
        "network": _text(item, "network", path),
        "username": _text(item, "username", path),
        "url": _url(item, path),
    }


def write_profile(fields: Json) -> Json:
    out: Json = {}
    _put(out, "network", fields["network"])
    _put(out, "username", fields["username"])
    _put(out, "url", fields["url"]["href"])
    return out


def read_work(item: Json, path: str) -> Json:
    return {
        "company": _text_or_legacy(item, "name", "company", path),
        "position": _text(item, "position", path),
        "location": _text(item, "location", path),
        "date": _date_range(item, path),
        "summary": _bulleted(item, path),
        "url": _url(item, path),
    }


def write_work(fields: Json) -> Json:
    out: Json = {}
    _put(out, "name", fields["company"])
    _put(out, "location", fields["location"])
    _put(out, "position", fields["position"])
    _put(out, "url", fields["url"]["href"])
    _put_date_range(out, fields["date"])
    _put_bulleted(out, fields["summary"])
    return out


def read_volunteer(item: Json, path: str) -> Json:
    return {
        "organization": _text(item, "organization", path),
        "position": _text(item, "position", path),
        "location": _text(item, "location", path),
        "date": _date_range(item, path),
        "summary": _bulleted(item, path),
        "url": _url(item, path),
    }


def write_volunteer(fields: Json) -> Json:
    out: Json = {}
    _put(out, "organization", fields["organization"])
    _put(out, "position", fields["position"])
    _put(out, "location", fields["location"])
    _put(out, "url", fields["url"]["href"])
    _put_date_range(out, fields["date"])
    _put_bulleted(out, fields["summary"])
    return out


def read_education(item: Json, path: str) -> Json:
    return {
        "institution": _text(item, "institution", path),
        "area": _text(item, "area", path),
        "studyType": _text(item, "studyType", path),
        "date": _date_range(item, path),
        "score": _text_or_legacy(item, "score", "gpa", path),
        "summary": _text(item, "summary", path),
        "url": _url(item, path),
    }


def write_education(fields: Json) -> Json:
    out: Json = {}
    for key in ("institution", "area", "studyType"):
        _put(out, key, fields[key])
    _put(out, "url", fields["url"]["href"])
    _put_date_range(out, fields["date"])
    _put(out, "score", fields["score"])
    _put(out, "summary", fields["summary"])
    return out


def read_award(item: Json, path: str) -> Json:
    return {
        "title": _text(item, "title", path),
        "date": format_iso_date(_text(item, "date", path)),
        "awarder": _text(item, "awarder", path),
        "summary": _text(item, "summary", path),
        "url": _url(item, path),
    }


def write_award(fields: Json) -> Json:
    out: Json = {}
    _put(out, "title", fields["title"])
    _put_date(out, "date", fields["date"])
    _put(out, "awarder", fields["awarder"])
    _put(out, "summary", fields["summary"])
    _put(out, "url", fields["url"]["href"])
    return out


def read_certificate(item: Json, path: str) -> Json:
    return {
        "name": _text(item, "name", path),
        "date": format_iso_date(_text(item, "date", path)),
        "issuer": _text(item, "issuer", path),
        "summary": _text(item, "summary", path),
        "url": _url(item, path),
    }


def write_certificate(fields: Json) -> Json:
    out: Json = {}
    _put(out, "name", fields["name"])
    _put_date(out, "date", fields["date"])
    _put(out, "url", fields["url"]["href"])
    _put(out, "issuer", fields["issuer"])
    _put(out, "summary", fields["summary"])
    return out


def read_publication(item: Json, path: str) -> Json:
    return {
        "name": _text(item, "name", path),
        "publisher": _text(item, "publisher", path),
        "date": format_iso_date(_text(item, "releaseDate", path)),
        "url": _url(item, path),
        "summary": _text(item, "summary", path),
    }


def write_publication(fields: Json) -> Json:
    out: Json = {}
    _put(out, "name", fields["name"])
    _put(out, "publisher", fields["publisher"])
    _put_date(out, "releaseDate", fields["date"])
    _put(out, "url", fields["url"]["href"])
    _put(out, "summary", fields["summary"])
    return out


def read_skill(item: Json, path: str) -> Json:
    level_text = _text(item, "level", path)
    return {
        "name": _text(item, "name", path),
        "description": level_text,
        "level": infer_level(level_text),
        "keywords": _strings(item, "keywords", path),
    }


def write_skill(fields: Json) -> Json:
    out: Json = {}
    _put(out, "name", fields["name"])
    _put(out, "level", fields["description"] or SKILL_LEVEL_WORDS.get(fields["level"]))
    _put(out, "keywords", fields["keywords"])
    return out


def read_language(item: Json, path: str) -> Json:
    fluency = _text(item, "fluency", path)
    return {
        "name": _text(item, "language", path),
        "description": fluency,
        "level": infer_level(fluency),
    }


def write_language(fields: Json) -> Json:
    out: Json = {}
    _put(out, "language", fields["name"])
    _put(out, "fluency", fields["description"] or LANGUAGE_LEVEL_WORDS.get(fields["level"]))
    return out


def read_interest(item: Json, path: str) -> Json:
    return {"name": _text(item, "name", path), "keywords": _strings(item, "keywords", path)}


def write_interest(fields: Json) -> Json:
    out: Json = {}
    _put(out, "name", fields["name"])
    _put(out, "keywords", fields["keywords"])
    return out


def read_reference(item: Json, path: str) -> Json:
    return {
        "name": _text(item, "name", path),
        "description": _text(item, "description", path),
        "summary": _text(item, "reference", path),
    }


def write_reference(fields: Json) -> Json:
    out: Json = {}
    _put(out, "name", fields["name"])
    _put(out, "description", fields["description"])
    _put(out, "reference", fields["summary"])
    return out


def read_project(item: Json, path: str) -> Json:
    return {
        "name": _text(item, "name", path),
        "description": _text(item, "description", path),
        "date": _date_range(item, path),
        "summary": _bulleted(item, path),
        "keywords": _strings(item, "keywords", path),
        "url": _url(item, path),
    }


def write_project(fields: Json) -> Json:
    out: Json = {}
    _put(out, "name", fields["name"])
    _put(out, "description", fields["description"])
    _put_bulleted(out, fields["summary"])
    _put(out, "keywords", fields["keywords"])
    _put_date_range(out, fields["date"])
    _put(out, "url", fields["url"]["href"])
    return out
