"""`resume_data`: Reactive Resume v4 field names, plus `ext` for what only JSON Resume carries.

Text fields are plain text. Item ``summary`` fields hold an optional paragraph followed by bullet
lines that start with ``- `` (Markdown), which is how highlights/bullets are stored; use
:func:`split_bullets` and :func:`join_bullets` rather than parsing by hand.

Unknown fields are rejected (``extra="forbid"``) so a typo in an API request is a clear
``validation_error`` instead of data silently dropped. ``ext`` is the one open place.
"""

from __future__ import annotations

import secrets
import string
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

_ID_ALPHABET = string.ascii_lowercase + string.digits


def new_item_id() -> str:
    """A lowercase alphanumeric item id (Reactive Resume uses cuid2 ids of this shape)."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(24))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


Ext = dict[str, Any]


class Url(_Model):
    label: str = ""
    href: str = ""


class CustomField(_Model):
    id: str = Field(default_factory=new_item_id)
    icon: str = ""
    name: str = ""
    value: str = ""


class PictureEffects(_Model):
    hidden: bool = False
    border: bool = False
    grayscale: bool = False


class Picture(_Model):
    url: str = ""
    size: int = 64
    aspectRatio: float = 1
    borderRadius: int = 0
    effects: PictureEffects = Field(default_factory=PictureEffects)


class Basics(_Model):
    name: str = ""
    headline: str = ""
    email: str = ""
    phone: str = ""
    location: str = ""
    url: Url = Field(default_factory=Url)
    customFields: list[CustomField] = Field(default_factory=list)
    picture: Picture = Field(default_factory=Picture)
    ext: Ext | None = None


class Item(_Model):
    id: str = Field(default_factory=new_item_id, pattern=r"^[a-z0-9]+$", max_length=64)
    visible: bool = True
    ext: Ext | None = None


class ExperienceItem(Item):
    company: str = ""
    position: str = ""
    location: str = ""
    date: str = ""
    summary: str = ""
    url: Url = Field(default_factory=Url)


class VolunteerItem(Item):
    organization: str = ""
    position: str = ""
    location: str = ""
    date: str = ""
    summary: str = ""
    url: Url = Field(default_factory=Url)


class EducationItem(Item):
    institution: str = ""
    studyType: str = ""
    area: str = ""
    score: str = ""
    date: str = ""
    summary: str = ""
    url: Url = Field(default_factory=Url)


class SkillItem(Item):
    name: str = ""
    description: str = ""
    level: int = Field(default=0, ge=0, le=5)
    keywords: list[str] = Field(default_factory=list)


class ProjectItem(Item):
    name: str = ""
    description: str = ""
    date: str = ""
    summary: str = ""
    keywords: list[str] = Field(default_factory=list)
    url: Url = Field(default_factory=Url)


class ProfileItem(Item):
    network: str = ""
    username: str = ""
    icon: str = ""
    url: Url = Field(default_factory=Url)


class AwardItem(Item):
    title: str = ""
    awarder: str = ""
    date: str = ""
    summary: str = ""
    url: Url = Field(default_factory=Url)


class CertificationItem(Item):
    name: str = ""
    issuer: str = ""
    date: str = ""
    summary: str = ""
    url: Url = Field(default_factory=Url)


class PublicationItem(Item):
    name: str = ""
    publisher: str = ""
    date: str = ""
    summary: str = ""
    url: Url = Field(default_factory=Url)


class LanguageItem(Item):
    name: str = ""
    description: str = ""
    level: int = Field(default=0, ge=0, le=5)


class InterestItem(Item):
    name: str = ""
    keywords: list[str] = Field(default_factory=list)


class ReferenceItem(Item):
    name: str = ""
    description: str = ""
    summary: str = ""
    url: Url = Field(default_factory=Url)


ItemT = TypeVar("ItemT", bound=Item)


class SummarySection(_Model):
    id: str = "summary"
    name: str = "Summary"
    columns: int = 1
    visible: bool = True
    content: str = ""


class Section(_Model, Generic[ItemT]):
    id: str
    name: str
    columns: int = 1
    visible: bool = True
    items: list[ItemT] = Field(default_factory=list)


def _section(section_id: str, title: str, item: type[ItemT]) -> Any:
    """A default-valued section field, e.g. ``experience`` titled "Experience"."""
    return Field(default_factory=lambda: Section[item](id=section_id, name=title))  # type: ignore[valid-type]


class Sections(_Model):
    @model_validator(mode="before")
    @classmethod
    def _default_ids_and_names(cls, data: Any) -> Any:
        """A section given without ``id`` or ``name`` (many hand-written and converted files)
        gets the default ones of its key, e.g. ``experience`` / "Experience"."""
        if not isinstance(data, dict):
            return data
        filled = dict(data)
        for key, value in data.items():
            field = cls.model_fields.get(key)
            if field is None or not isinstance(value, dict) or field.default_factory is None:
                continue
            default = field.default_factory()  # type: ignore[call-arg]
            filled[key] = {"id": default.id, "name": default.name, **value}
        return filled

    summary: SummarySection = Field(default_factory=SummarySection)
    experience: Section[ExperienceItem] = _section("experience", "Experience", ExperienceItem)
    education: Section[EducationItem] = _section("education", "Education", EducationItem)
    skills: Section[SkillItem] = _section("skills", "Skills", SkillItem)
    projects: Section[ProjectItem] = _section("projects", "Projects", ProjectItem)
    profiles: Section[ProfileItem] = _section("profiles", "Profiles", ProfileItem)
    volunteer: Section[VolunteerItem] = _section("volunteer", "Volunteering", VolunteerItem)
    awards: Section[AwardItem] = _section("awards", "Awards", AwardItem)
    certifications: Section[CertificationItem] = _section(
        "certifications", "Certifications", CertificationItem
    )
    publications: Section[PublicationItem] = _section(
        "publications", "Publications", PublicationItem
    )
    languages: Section[LanguageItem] = _section("languages", "Languages", LanguageItem)
    interests: Section[InterestItem] = _section("interests", "Interests", InterestItem)
    references: Section[ReferenceItem] = _section("references", "References", ReferenceItem)


class ResumeData(_Model):
    basics: Basics = Field(default_factory=Basics)
    sections: Sections = Field(default_factory=Sections)
    ext: Ext | None = None


BULLET_PREFIX = "- "


def split_bullets(summary: str) -> tuple[str, list[str]]:
    """Split an item summary into its leading paragraph text and its ``- `` bullet lines."""
    paragraph: list[str] = []
    bullets: list[str] = []
    for line in summary.splitlines():
        stripped = line.strip()
        if stripped.startswith(("- ", "* ", "• ")):
            bullets.append(stripped[2:].strip())
        elif bullets and stripped:
            bullets[-1] = f"{bullets[-1]} {stripped}"  # a wrapped bullet continues
        elif not bullets:
            paragraph.append(line)
    return "\n".join(paragraph).strip(), bullets


def join_bullets(paragraph: str, bullets: list[str]) -> str:
    """Inverse of :func:`split_bullets` for well-formed input."""
    lines = [BULLET_PREFIX + b for b in bullets]
    if paragraph and lines:
        return paragraph + "\n\n" + "\n".join(lines)
    return paragraph or "\n".join(lines)
