"""The deterministic section parser: lines of any format → ``ResumeData`` + what it could not place.

The top of the resume (before the first recognised heading) holds the name, a headline and the
contact details; each heading, in any of its usual wordings, opens a section whose lines are read
by that section's rules. Every stored value is text found in the input; what fits nowhere is
returned in ``unplaced`` for the user to fix, never dropped and never guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from finetune.documents.displaytext import infer_level
from finetune.documents.importers import fields
from finetune.documents.importers.entries import ENTRY_BUILDERS, entry_items, is_sentence
from finetune.documents.importers.lines import Line
from finetune.documents.schema import (
    Basics,
    CustomField,
    InterestItem,
    LanguageItem,
    ProfileItem,
    ResumeData,
    SkillItem,
    Url,
    join_bullets,
)

_HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary", "professional summary", "profile", "professional profile", "about", "about me",
        "objective", "career objective", "career summary", "overview", "executive summary",
        "personal statement", "summary of qualifications", "personal profile",
    ),
    "experience": (
        "experience", "work experience", "professional experience", "employment",
        "employment history", "work history", "career history", "relevant experience",
        "professional background", "career", "experience history", "work",
    ),
    "education": (
        "education", "academic background", "education and training", "educational background",
        "academic qualifications", "academics", "education and certifications", "training",
    ),
    "skills": (
        "skills", "technical skills", "core competencies", "competencies", "key skills",
        "skills and abilities", "areas of expertise", "expertise", "technologies", "skill set",
        "skills summary", "core skills", "tools and technologies", "technical proficiencies",
        "skills and tools",
    ),
    "certifications": (
        "certifications", "certificates", "licenses", "licenses and certifications",
        "certifications and licenses", "licensure", "credentials", "professional certifications",
        "certification", "licences", "licences and certifications",
    ),
    "projects": ("projects", "personal projects", "selected projects", "key projects",
                 "side projects", "open source", "project experience"),
    "awards": ("awards", "honors", "honours", "honors and awards", "awards and honors",
               "achievements", "recognition", "awards and achievements"),
    "publications": ("publications", "selected publications", "papers", "research"),
    "volunteer": ("volunteer", "volunteering", "volunteer experience", "volunteer work",
                  "community involvement", "community service", "volunteering and leadership"),
    "languages": ("languages", "language skills", "spoken languages"),
    "interests": ("interests", "hobbies", "hobbies and interests", "personal interests"),
    "references": ("references",),
    "profiles": ("profiles", "links", "online profiles", "social"),
}  # fmt: skip
_HEADING_OF = {wording: key for key, wordings in _HEADINGS.items() for wording in wordings}
_CONTACT_SPLIT = re.compile(r"\s+[·|•◦▪‖]\s+|\s*\t\s*|\s+[—–]\s+")
_CONTACT_LABEL = re.compile(
    r"^(?:e-?mail|phone|tel|telephone|mobile|cell|linkedin|github|website|web|portfolio|"
    r"location|address|url|blog)\s*:\s*",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(r"^(?:resume|résumé|curriculum vitae|cv)$", re.IGNORECASE)
# Long names run to about 60 characters; a longer first line is something else (a PDF whose
# pages all start with the same line joins them into one).
MAX_NAME_CHARS = 100


def heading_section(text: str) -> str | None:
    """The section a heading opens (``"Work History"`` → ``experience``), or None."""
    if len(text) > 50:
        return None
    normal = " ".join(re.sub(r"[^a-z]+", " ", text.lower().replace("&", " and ")).split())
    return _HEADING_OF.get(normal)


@dataclass
class _Section:
    key: str | None  # None: a heading we do not recognise
    heading: str
    level: int
    lines: list[Line] = field(default_factory=list)


def parse_lines(lines: list[Line]) -> tuple[ResumeData, list[str]]:
    """Structure extracted lines into a resume; also returns the lines it could not place."""
    header, sections = _split_sections(lines)
    resume = ResumeData()
    unplaced: list[str] = []
    summary_lines = _parse_header(header, resume, unplaced)
    named: set[str] = set()
    for section in sections:
        if section.key is None:
            unplaced.append(section.heading)
            unplaced.extend(_as_text(line) for line in section.lines)
            continue
        if section.key not in named and section.key != "profiles":
            getattr(resume.sections, section.key).name = section.heading
            named.add(section.key)
        if section.key == "summary":
            summary_lines.extend(section.lines)
        else:
            _parse_section(section, resume, unplaced)
    resume.sections.summary.content = _text_with_bullets(summary_lines)
    return resume, unplaced


def _split_sections(lines: list[Line]) -> tuple[list[Line], list[_Section]]:
    header: list[Line] = []
    sections: list[_Section] = []
    for line in lines:
        key = heading_section(line.text) if line.kind != "bullet" else None
        current = sections[-1] if sections else None
        if key is not None:
            sections.append(_Section(key, line.text, line.level))
        elif current is None:
            header.append(line)
        elif line.kind == "heading" and not (current.level and line.level > current.level):
            sections.append(_Section(None, line.text, line.level))
        else:
            current.lines.append(_in_section(line))
    return header, sections


def _in_section(line: Line) -> Line:
    """A heading deeper than its section's is an entry title: bold text, as a reader sees it."""
    if line.kind == "heading":
        return Line(line.text, "text", 0, True)
    return line


def _parse_header(header: list[Line], resume: ResumeData, unplaced: list[str]) -> list[Line]:
    """Name, headline and contact details; returns prose found there (an untitled summary)."""
    basics = resume.basics
    prose: list[Line] = []
    for line in header:
        if not basics.name and _NOT_A_NAME.match(line.text.strip()):
            continue
        tokens = [t for t in _CONTACT_SPLIT.split(line.text) if t.strip()]
        named_here = not basics.name and bool(tokens) and _could_be_name(tokens[0], basics, resume)
        if named_here:
            basics.name = tokens.pop(0).strip()
        leftovers = [t.strip() for t in tokens if not _contact(t, basics, resume)]
        if not leftovers:
            continue
        text = leftovers[0] if len(leftovers) == 1 else ""
        if len(leftovers) > 1 and len(leftovers) == len(tokens) and not named_here:
            # No contact detail on the line, so its dashes and dots were never separators:
            # "Assistant Store Manager – People & Operations" is one headline.
            text = line.text.strip()
        if len(leftovers) < len(tokens) and not any(is_sentence(t) for t in leftovers):
            # Other words on a contact line ("EU citizen", "Open to relocation") are details
            # of the same kind, shown with the contact line.
            basics.customFields.extend(CustomField(value=t) for t in leftovers)
        elif line.kind == "bullet" or is_sentence(line.text):
            prose.append(line)
        elif text and not basics.headline:
            basics.headline = text
        else:
            unplaced.extend(leftovers)
    return prose


def _could_be_name(token: str, basics: Basics, resume: ResumeData) -> bool:
    too_long = len(token.strip()) > MAX_NAME_CHARS
    return not too_long and not _contact(token, basics, resume, dry_run=True)


def _contact(token: str, basics: Basics, resume: ResumeData, *, dry_run: bool = False) -> bool:
    """Store ``token`` as a contact detail when it is one; False for anything else."""
    token = _CONTACT_LABEL.sub("", token.strip())
    email = fields.EMAIL.fullmatch(token)
    url = fields.URL.fullmatch(token)
    phone = fields.PHONE.fullmatch(token)
    location = fields.LOCATION.match(token)
    if dry_run or not (email or url or phone or location):
        return bool(email or url or phone or location)
    if email and not basics.email:
        basics.email = token
    elif url:
        _add_link(token, basics, resume)
    elif phone and not basics.phone:
        basics.phone = token
    elif location and not basics.location:
        basics.location = token
    else:
        return False
    return True


def _add_link(url: str, basics: Basics, resume: ResumeData) -> None:
    network = fields.profile_network(url)
    if network is not None or basics.url.href:
        name, username = network or ("", "")
        profile = ProfileItem(network=name, username=username, url=Url(href=fields.as_href(url)))
        resume.sections.profiles.items.append(profile)
    else:
        basics.url = Url(href=fields.as_href(url))


def _parse_section(section: _Section, resume: ResumeData, unplaced: list[str]) -> None:
    key = section.key
    assert key is not None
    target = getattr(resume.sections, key)
    if key in ENTRY_BUILDERS:
        target.items.extend(entry_items(key, section.lines, unplaced))
    elif key == "skills":
        target.items.extend(item for line in section.lines for item in _skills(line.text))
    elif key == "languages":
        target.items.extend(item for line in section.lines for item in _languages(line.text))
    elif key == "interests":
        target.items.extend(item for line in section.lines for item in _interests(line.text))
    elif key == "profiles":
        for line in section.lines:
            tokens = [t for t in _CONTACT_SPLIT.split(line.text) if t.strip()]
            unplaced.extend(t for t in tokens if not _contact(t, resume.basics, resume))


_MAX_GROUP_NAME = 60
_DASH_DETAIL = re.compile(r"^(?P<name>.*?)\s[–—-]\s(?P<detail>.+)$")


def _group(text: str) -> tuple[str, str, str] | None:
    """``Languages (Expert): Python, Go`` → (name, detail, rest); None without a label.

    The label ends at the first colon outside brackets, so a detail may hold a colon or
    brackets of its own (``Tools (Advanced (daily)): Git``)."""
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ":" and depth == 0:
            name, detail = _bracketed_detail(text[:index].strip())
            rest = text[index + 1 :].strip()
            return (name, detail, rest) if 0 < len(name) <= _MAX_GROUP_NAME and rest else None
    return None


def _bracketed_detail(token: str) -> tuple[str, str]:
    """``Spanish (Fluent (kitchen))`` → (``Spanish``, ``Fluent (kitchen)``): the detail is the
    bracketed group that closes the token, brackets inside it included."""
    if token.endswith(")"):
        depth = 0
        for index in range(len(token) - 1, 0, -1):
            depth += {")": 1, "(": -1}.get(token[index], 0)
            if depth == 0:
                if token[:index].strip():
                    return token[:index].strip(), token[index + 1 : -1].strip()
                break
    return token, ""


def _name_and_detail(token: str) -> tuple[str, str]:
    """``English (Native)`` or ``German – Basic`` → (name, detail)."""
    token = token.strip()
    name, detail = _bracketed_detail(token)
    if detail:
        return name, detail
    dashed = _DASH_DETAIL.match(token)
    if dashed and dashed.group("name").strip():
        return dashed.group("name").strip(), dashed.group("detail").strip()
    return token, ""


def _skills(text: str) -> list[SkillItem]:
    """``Languages (Expert): Python, Go`` → one group; ``Python, Go`` → one skill each."""
    group = _group(text)
    if group:
        name, detail, rest = group
        level = infer_level(detail)
        keywords = fields.split_list(rest)
        return [SkillItem(name=name, description=detail, level=level, keywords=keywords)]
    items = []
    for token in fields.split_list(text):
        name, detail = _name_and_detail(token)
        items.append(SkillItem(name=name, description=detail, level=infer_level(detail)))
    return items


def _languages(text: str) -> list[LanguageItem]:
    """``English (Native), Spanish – Fluent`` → one item each; ``Spanish: Fluent`` → one item."""
    group = _group(text)
    pairs = [(group[0], group[2])] if group else map(_name_and_detail, fields.split_list(text))
    return [LanguageItem(name=n, description=d, level=infer_level(d)) for n, d in pairs]


def _interests(text: str) -> list[InterestItem]:
    group = _group(text)
    if group:
        return [InterestItem(name=group[0], keywords=fields.split_list(group[2]))]
    return [InterestItem(name=token) for token in fields.split_list(text)]


def _text_with_bullets(lines: list[Line]) -> str:
    paragraph = "\n".join(line.text for line in lines if line.kind != "bullet")
    return join_bullets(paragraph, [line.text for line in lines if line.kind == "bullet"])


def _as_text(line: Line) -> str:
    return f"- {line.text}" if line.kind == "bullet" else line.text
