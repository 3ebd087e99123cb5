"""Field mappings between JSON Resume objects and our visible resume_data fields.

For every JSON Resume object there is a ``read_*`` (JSON object → our fields, raising a
ValidationError that names the field on wrong types) and a ``write_*`` (our fields → JSON object,
empty values left out). ``write(read(x))`` need not equal ``x``; the converter keeps the
difference in ``ext``. ``read(write(f))`` gives ``f`` back for anything ``read`` produced.

A few of our fields have no JSON Resume counterpart (education ``summary``, volunteer
``location``, certificate ``summary``, award ``url``, reference ``description``, a project's
paragraph). They are written as extra keys of the same name, which the schema allows
(``additionalProperties``) and themes ignore, so our resumes survive the trip out and back.
Dates and levels carry what JSON Resume cannot say in two more extra keys (``displayDate``,
``levelNumber``; see :mod:`finetune.documents.jsonresume_values`).
"""

from __future__ import annotations

from finetune.documents import jsonresume_values as values
from finetune.documents.displaytext import (
    LANGUAGE_LEVEL_WORDS,
    SKILL_LEVEL_WORDS,
    format_location,
    parse_location,
)
from finetune.errors import ValidationError

Json = values.Json


def read_basics(basics: Json, path: str) -> Json:
    location = basics.get("location")
    if isinstance(location, dict):
        location_text = format_location(location)
    elif location is None or isinstance(location, str):
        location_text = location or ""
    else:
        raise ValidationError(f"{path}.location must be an object, got {type(location).__name__}.")
    return {
        "name": values.text(basics, "name", path),
        "headline": values.text(basics, "label", path),
        "image": values.text_or_legacy(basics, "image", "picture", path),
        "email": values.text(basics, "email", path),
        "phone": values.text(basics, "phone", path),
        "url": values.text_or_legacy(basics, "url", "website", path),
        "summary": values.text(basics, "summary", path),
        "location": location_text,
    }


def write_basics(fields: Json) -> Json:
    out: Json = {}
    for ours, theirs in [("name", "name"), ("headline", "label"), ("image", "image")]:
        values.put(out, theirs, fields[ours])
    for key in ("email", "phone", "url", "summary"):
        values.put(out, key, fields[key])
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
        "network": values.text(item, "network", path),
        "username": values.text(item, "username", path),
        "url": values.url(item, path),
    }


def write_profile(fields: Json) -> Json:
    out: Json = {}
    values.put(out, "network", fields["network"])
    values.put(out, "username", fields["username"])
    values.put(out, "url", fields["url"]["href"])
    return out


def _read_role(item: Json, path: str) -> Json:
    """A work or volunteer role's fields other than its organisation (named per section)."""
    return {
        "position": values.text(item, "position", path),
        "location": values.text(item, "location", path),
        "date": values.date_range(item, path),
        "summary": values.bulleted(item, path),
        "url": values.url(item, path),
    }


def _write_role(fields: Json, organization: str, key: str) -> Json:
    """A work or volunteer role; ``fields[organization]`` is written as ``key``."""
    out: Json = {}
    values.put(out, key, fields[organization])
    values.put(out, "position", fields["position"])
    values.put(out, "location", fields["location"])
    values.put(out, "url", fields["url"]["href"])
    values.put_date_range(out, fields["date"])
    values.put_bulleted(out, fields["summary"])
    return out


def read_work(item: Json, path: str) -> Json:
    company = values.text_or_legacy(item, "name", "company", path)
    return {"company": company, **_read_role(item, path)}


def write_work(fields: Json) -> Json:
    return _write_role(fields, "company", "name")


def read_volunteer(item: Json, path: str) -> Json:
    return {"organization": values.text(item, "organization", path), **_read_role(item, path)}


def write_volunteer(fields: Json) -> Json:
    return _write_role(fields, "organization", "organization")


def read_education(item: Json, path: str) -> Json:
    return {
        "institution": values.text(item, "institution", path),
        "area": values.text(item, "area", path),
        "studyType": values.text(item, "studyType", path),
        "date": values.date_range(item, path),
        "score": values.text_or_legacy(item, "score", "gpa", path),
        "summary": values.text(item, "summary", path),
        "url": values.url(item, path),
    }


def write_education(fields: Json) -> Json:
    out: Json = {}
    for key in ("institution", "area", "studyType"):
        values.put(out, key, fields[key])
    values.put(out, "url", fields["url"]["href"])
    values.put_date_range(out, fields["date"])
    values.put(out, "score", fields["score"])
    values.put(out, "summary", fields["summary"])
    return out


def read_award(item: Json, path: str) -> Json:
    return {
        "title": values.text(item, "title", path),
        "date": values.date(item, "date", path),
        "awarder": values.text(item, "awarder", path),
        "summary": values.text(item, "summary", path),
        "url": values.url(item, path),
    }


def write_award(fields: Json) -> Json:
    out: Json = {}
    values.put(out, "title", fields["title"])
    values.put_date(out, "date", fields["date"])
    values.put(out, "awarder", fields["awarder"])
    values.put(out, "summary", fields["summary"])
    values.put(out, "url", fields["url"]["href"])
    return out


def read_certificate(item: Json, path: str) -> Json:
    return {
        "name": values.text(item, "name", path),
        "date": values.date(item, "date", path),
        "issuer": values.text(item, "issuer", path),
        "summary": values.text(item, "summary", path),
        "url": values.url(item, path),
    }


def write_certificate(fields: Json) -> Json:
    out: Json = {}
    values.put(out, "name", fields["name"])
    values.put_date(out, "date", fields["date"])
    values.put(out, "url", fields["url"]["href"])
    values.put(out, "issuer", fields["issuer"])
    values.put(out, "summary", fields["summary"])
    return out


def read_publication(item: Json, path: str) -> Json:
    return {
        "name": values.text(item, "name", path),
        "publisher": values.text(item, "publisher", path),
        "date": values.date(item, "releaseDate", path),
        "url": values.url(item, path),
        "summary": values.text(item, "summary", path),
    }


def write_publication(fields: Json) -> Json:
    out: Json = {}
    values.put(out, "name", fields["name"])
    values.put(out, "publisher", fields["publisher"])
    values.put_date(out, "releaseDate", fields["date"])
    values.put(out, "url", fields["url"]["href"])
    values.put(out, "summary", fields["summary"])
    return out


def read_skill(item: Json, path: str) -> Json:
    description, level = values.level(item, "level", path, SKILL_LEVEL_WORDS)
    return {
        "name": values.text(item, "name", path),
        "description": description,
        "level": level,
        "keywords": values.strings(item, "keywords", path),
    }


def write_skill(fields: Json) -> Json:
    out: Json = {}
    values.put(out, "name", fields["name"])
    values.put_level(out, "level", fields, SKILL_LEVEL_WORDS)
    values.put(out, "keywords", fields["keywords"])
    return out


def read_language(item: Json, path: str) -> Json:
    description, level = values.level(item, "fluency", path, LANGUAGE_LEVEL_WORDS)
    return {"name": values.text(item, "language", path), "description": description, "level": level}


def write_language(fields: Json) -> Json:
    out: Json = {}
    values.put(out, "language", fields["name"])
    values.put_level(out, "fluency", fields, LANGUAGE_LEVEL_WORDS)
    return out


def read_interest(item: Json, path: str) -> Json:
    return {
        "name": values.text(item, "name", path),
        "keywords": values.strings(item, "keywords", path),
    }


def write_interest(fields: Json) -> Json:
    out: Json = {}
    values.put(out, "name", fields["name"])
    values.put(out, "keywords", fields["keywords"])
    return out


def read_reference(item: Json, path: str) -> Json:
    return {
        "name": values.text(item, "name", path),
        "description": values.text(item, "description", path),
        "summary": values.text(item, "reference", path),
    }


def write_reference(fields: Json) -> Json:
    out: Json = {}
    values.put(out, "name", fields["name"])
    values.put(out, "description", fields["description"])
    values.put(out, "reference", fields["summary"])
    return out


def read_project(item: Json, path: str) -> Json:
    return {
        "name": values.text(item, "name", path),
        "description": values.text(item, "description", path),
        "date": values.date_range(item, path),
        "summary": values.bulleted(item, path),
        "keywords": values.strings(item, "keywords", path),
        "url": values.url(item, path),
    }


def write_project(fields: Json) -> Json:
    out: Json = {}
    values.put(out, "name", fields["name"])
    values.put(out, "description", fields["description"])
    values.put_bulleted(out, fields["summary"])
    values.put(out, "keywords", fields["keywords"])
    values.put_date_range(out, fields["date"])
    values.put(out, "url", fields["url"]["href"])
    return out
