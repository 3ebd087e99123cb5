"""Entry sections (experience, education, projects, certifications…): lines → blocks → items.

A block is one entry: a few header lines (title, organisation, place, dates), an optional
paragraph and its bullets. Where the format tells which lines are bold, a bold line starts an
entry, as it does to a reader; otherwise the shape of the lines decides (a second date, a header
already complete, content already seen).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from finetune.documents.importers import fields
from finetune.documents.importers.lines import Line
from finetune.documents.schema import (
    AwardItem,
    CertificationItem,
    EducationItem,
    ExperienceItem,
    Item,
    ProjectItem,
    PublicationItem,
    ReferenceItem,
    Url,
    VolunteerItem,
    join_bullets,
)

_ABBREVIATIONS = frozenset({"inc.", "ltd.", "co.", "corp.", "jr.", "sr.", "st.", "dr.", "llc."})


@dataclass
class Block:
    header: list[Line] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)  # plain lines after the bullets
    dated: bool = False
    listed: bool = False  # the entry was one bullet of a list
    # How the header is read: False keeps a dash that shares its line with "·" or "|" inside the
    # part it stands in (see entry_items).
    dashes_everywhere: bool = True

    def has_body(self) -> bool:
        return bool(self.paragraphs or self.bullets or self.trailing)


def is_sentence(text: str) -> bool:
    """Prose rather than a header: ends like a sentence or is long."""
    words = text.split()
    if len(words) > 12:
        return True
    return text.endswith(".") and len(words) > 1 and words[-1].lower() not in _ABBREVIATIONS


def split_blocks(lines: list[Line], *, list_entries: bool = False) -> list[Block]:
    """Group a section's lines into entries; with ``list_entries`` a bullet that follows no
    entry header is an entry of its own (a bulleted list of certifications or awards)."""
    plain = [line for line in lines if line.kind != "bullet"]
    bold_mode = any(line.bold for line in plain) and any(line.bold is False for line in plain)
    blocks: list[Block] = []
    for index, line in enumerate(lines):
        block = blocks[-1] if blocks else None
        if line.kind == "bullet":
            if list_entries and (block is None or block.listed):
                blocks.append(Block(header=[line], dated=bool(fields.find_date(line.text))))
                blocks[-1].listed = True
                continue
            if block is None:
                block = Block()
                blocks.append(block)
            block.bullets.append(line.text)
            continue
        following = lines[index + 1] if index + 1 < len(lines) else None
        if block is None or _starts_entry(line, block, following, bold_mode):
            blocks.append(Block(header=[line], dated=fields.find_date(line.text) is not None))
        elif _joins_header(line, block, bold_mode):
            block.header.append(line)
            block.dated = block.dated or fields.find_date(line.text) is not None
        elif block.bullets:
            block.trailing.append(line.text)
        else:
            block.paragraphs.append(line.text)
    return blocks


def _starts_entry(line: Line, block: Block, following: Line | None, bold_mode: bool) -> bool:
    if bold_mode:
        if block.bullets and not line.bold:
            return False  # a plain line after bullets (a project's keywords) stays with them
        return bool(line.bold) and (block.has_body() or any(not h.bold for h in block.header))
    if block.has_body():
        return True
    if fields.find_date(line.text) and block.dated:
        return True
    complete = block.dated and len(block.header) >= 2
    next_is_date = following is not None and fields.is_date_only(following.text)
    return not is_sentence(line.text) and (complete or (next_is_date and block.dated))


def _joins_header(line: Line, block: Block, bold_mode: bool) -> bool:
    if block.has_body() or len(block.header) >= 4:
        return False
    if fields.find_date(line.text) and not block.dated:
        return True
    if is_sentence(line.text):
        return False
    if bold_mode and line.bold:
        return True
    if not block.dated:
        return True
    # "Company  2019 – 2021" then "Title": a one-line header still missing its title.
    if len(block.header) != 1:
        return False
    parts = fields.split_segments([block.header[0].text]).parts
    has_title = any(fields.title_score(part) > 0 for part in parts)
    return len(parts) < 2 or (not has_title and fields.title_score(line.text) > 0)


@dataclass
class Fields:
    """A block's header, sorted: the date, a location, a link, a score and the other parts."""

    date: str = ""
    location: str = ""
    url: str = ""
    score: str = ""
    parts: list[str] = field(default_factory=list)
    beside_date: list[str] = field(default_factory=list)


def header_fields(block: Block, *, places: bool = True, scores: bool = False) -> Fields:
    segments = fields.split_segments(
        [line.text for line in block.header], dashes_everywhere=block.dashes_everywhere
    )
    out = Fields(date=segments.date, beside_date=segments.beside_date)
    for part in segments.parts:
        url = fields.URL.fullmatch(part)
        if url and not out.url:
            out.url = part
        elif places and not out.location and fields.LOCATION.match(part):
            out.location = part
        elif scores and not out.score and fields.GPA.search(part):
            out.score = part
        else:
            out.parts.append(part)
    if places and not out.location and out.parts:
        _split_trailing_location(out)
    return out


def _split_trailing_location(out: Fields) -> None:
    """``Tidewater Freight, Seattle, WA`` → part ``Tidewater Freight``, location ``Seattle, WA``."""
    for index, part in enumerate(out.parts):
        for match in re.finditer(r",\s*", part):
            tail = part[match.end() :]
            if fields.LOCATION.match(tail) and part[: match.start()].strip():
                out.parts[index] = part[: match.start()].strip()
                out.location = tail
                return


def _summary(block: Block) -> str:
    paragraph = "\n".join([*block.paragraphs, *block.trailing])
    return join_bullets(paragraph, block.bullets)


def _url(href: str) -> Url:
    return Url(href=fields.as_href(href)) if href else Url()


def _title_and_org(parts: list[str]) -> tuple[str, str, list[str]]:
    """The job title and the organisation among ``parts``; the rest are left over."""
    if not parts:
        return "", "", []
    if len(parts) == 1:
        only = parts[0]
        return (only, "", []) if fields.title_score(only) > 0 else ("", only, [])
    scores = [fields.title_score(part) for part in parts]
    # max() and min() keep the first of equals: "Title · Company", the common order, wins ties.
    title_index = max(range(len(parts)), key=lambda i: scores[i])
    rest = [i for i in range(len(parts)) if i != title_index]
    org_index = min(rest, key=lambda i: scores[i])
    extra = [parts[i] for i in rest if i != org_index]
    return parts[title_index], parts[org_index], extra


def experience_item(block: Block, extra: list[str]) -> ExperienceItem:
    found = header_fields(block)
    title, company, rest = _title_and_org(found.parts)
    location = found.location
    if not location and len(rest) == 1 and rest[0] in found.beside_date:
        # "London  03/2018 – 06/2020": what shares the date's line, once title and company are
        # found, is where the job was; a lone city matches no place pattern.
        location = rest.pop()
    extra.extend(rest)
    return ExperienceItem(
        company=company,
        position=title,
        location=location,
        date=found.date,
        summary=_summary(block),
        url=_url(found.url),
    )


def volunteer_item(block: Block, extra: list[str]) -> VolunteerItem:
    item = experience_item(block, extra)
    return VolunteerItem(
        organization=item.company,
        position=item.position,
        location=item.location,
        date=item.date,
        summary=item.summary,
        url=item.url,
    )


def education_item(block: Block, extra: list[str]) -> EducationItem:
    found = header_fields(block, places=False, scores=True)
    parts = _split_degree_parts(found.parts)
    school = next((p for p in parts if fields.is_school(p)), "")
    degree = next((p for p in parts if p != school and fields.is_degree(p)), "")
    rest = [p for p in parts if p not in (school, degree)]
    if not school and rest:
        school = rest.pop(0)
    if not degree and rest:
        degree = rest.pop(0)
    study_type, area = fields.split_degree(degree) if degree else ("", "")
    extra.extend(rest)
    return EducationItem(
        institution=school,
        studyType=study_type,
        area=area,
        score=found.score,
        date=found.date,
        summary=_summary(block),
        url=_url(found.url),
    )


def _split_degree_parts(parts: list[str]) -> list[str]:
    """``University of Nairobi, B.Sc. Computer Science`` → school and degree, when only a comma
    separates them (a degree's own commas, "B.S. in Business, Marketing", stay)."""
    has_school = any(fields.is_school(part) for part in parts)
    out: list[str] = []
    for part in parts:
        pieces = [piece.strip() for piece in part.split(", ")]
        degree = any(fields.is_degree(piece) for piece in pieces)
        school = any(fields.is_school(piece) for piece in pieces)
        split = len(pieces) > 1 and degree and (school or not has_school)
        out.extend(pieces if split else [part])
    return out


def _named(block: Block, extra: list[str]) -> tuple[Fields, str, str]:
    found = header_fields(block, places=False)
    parts = found.parts
    extra.extend(parts[2:])
    return found, parts[0] if parts else "", parts[1] if len(parts) > 1 else ""


def project_item(block: Block, extra: list[str]) -> ProjectItem:
    found, name, description = _named(block, extra)
    keywords: list[str] = []
    if block.trailing and len(fields.split_list(block.trailing[-1])) > 1:
        keywords = fields.split_list(block.trailing[-1])
        block = replace(block, trailing=block.trailing[:-1])
    return ProjectItem(
        name=name,
        description=description,
        date=found.date,
        summary=_summary(block),
        keywords=keywords,
        url=_url(found.url),
    )


def certification_item(block: Block, extra: list[str]) -> CertificationItem:
    found, name, issuer = _named(block, extra)
    return CertificationItem(
        name=name, issuer=issuer, date=found.date, summary=_summary(block), url=_url(found.url)
    )


def award_item(block: Block, extra: list[str]) -> AwardItem:
    found, title, awarder = _named(block, extra)
    return AwardItem(
        title=title, awarder=awarder, date=found.date, summary=_summary(block), url=_url(found.url)
    )


def publication_item(block: Block, extra: list[str]) -> PublicationItem:
    found, name, publisher = _named(block, extra)
    summary, url = _summary(block), _url(found.url)
    return PublicationItem(
        name=name, publisher=publisher, date=found.date, summary=summary, url=url
    )


def reference_item(block: Block, extra: list[str]) -> ReferenceItem:
    found, name, description = _named(block, extra)
    if found.date:
        extra.append(found.date)
    return ReferenceItem(
        name=name, description=description, summary=_summary(block), url=_url(found.url)
    )


ENTRY_BUILDERS: dict[str, Any] = {
    "experience": experience_item,
    "volunteer": volunteer_item,
    "education": education_item,
    "projects": project_item,
    "certifications": certification_item,
    "awards": award_item,
    "publications": publication_item,
    "references": reference_item,
}


def entry_items(section: str, lines: list[Line], unplaced: list[str]) -> list[Item]:
    """Items of an entry section; header parts that fit no field are added to ``unplaced``.

    A dash is a separator ("Acme — London") and also part of names ("Solutions Architect –
    Associate", "Manager – People & Operations"). A header is read with every dash splitting;
    when that leaves parts no field takes, it is read again with dashes splitting only lines
    that have no "·", "|" or tab, and the reading that places more of it wins.
    """
    builder = ENTRY_BUILDERS[section]
    items: list[Item] = []
    list_entries = section in {"certifications", "awards", "publications", "references"}
    for block in split_blocks(lines, list_entries=list_entries):
        extra: list[str] = []
        item = builder(block, extra)
        if extra:
            kept: list[str] = []
            kept_item = builder(replace(block, dashes_everywhere=False), kept)
            if len(kept) < len(extra):
                item, extra = kept_item, kept
        items.append(item)
        unplaced.extend(extra)
    return items
