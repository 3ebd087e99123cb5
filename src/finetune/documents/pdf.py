"""Render ``resume_data`` to an ATS-friendly PDF with Typst, in process.

Python decides *what* is shown (visible sections and items, their text, in order) and builds a
small JSON layout; one fixed Typst template (``templates/resume.typ``) decides *how*. The layout
reaches Typst through ``sys.inputs``, so user text is only ever data, never Typst source: markup
in a resume is printed literally. Fonts are the bundled ones in ``fonts/``; system fonts are
ignored so every machine produces the same PDF.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, get_args

import typst

from finetune.documents.schema import (
    AwardItem,
    CertificationItem,
    EducationItem,
    ExperienceItem,
    InterestItem,
    LanguageItem,
    ProjectItem,
    PublicationItem,
    ReferenceItem,
    ResumeData,
    Section,
    SkillItem,
    SummarySection,
    Url,
    VolunteerItem,
    split_bullets,
)
from finetune.errors import FinetuneError, ValidationError

Paper = Literal["us-letter", "a4"]
PAPERS: tuple[Paper, ...] = get_args(Paper)
TEST_MODE_NOTICE = "TEST MODE — generated with a test key"

_PACKAGE_DIR = Path(__file__).parent
TEMPLATE_PATH = _PACKAGE_DIR / "templates" / "resume.typ"
FONTS_DIR = _PACKAGE_DIR / "fonts"

# Only these schemes become clickable links; anything else (javascript:, file:, …) stays text.
_LINK_SCHEMES = ("https://", "http://", "mailto:")

# C0/C1 controls, bidi embeddings/overrides/isolates (which would reorder extracted text) and the
# byte-order mark are dropped; whitespace controls become spaces. Zero-width joiners stay: some
# scripts and emoji need them.
_INVISIBLE_CONTROLS: dict[int, str | None] = {
    **dict.fromkeys([*range(0x00, 0x20), *range(0x7F, 0xA0)]),
    **dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]),
    **dict.fromkeys(map(ord, "\t\n\v\f\r\x85"), " "),
}

Layout = dict[str, Any]
Entry = dict[str, Any]
ToEntry = Callable[[Any], Entry]


def render_pdf(resume: ResumeData, *, paper: Paper = "us-letter", test_mode: bool = False) -> bytes:
    """Render ``resume`` as a single-column PDF on ``paper``; ``test_mode`` marks every page.

    Thread-safe: each thread compiles with its own Typst compiler.
    """
    if not isinstance(resume, ResumeData):
        raise ValidationError("resume_data must be a ResumeData object")
    if paper not in PAPERS:
        raise ValidationError(f"paper must be one of {', '.join(PAPERS)}, got {paper!r}")
    layout = build_layout(resume, paper=paper, test_mode=test_mode)
    # A lone surrogate (possible in a Python str, impossible in UTF-8) becomes "?", not a crash.
    document = json.dumps(layout, ensure_ascii=False).encode(errors="replace").decode()
    try:
        pdf = _thread_compiler().compile(format="pdf", sys_inputs={"document": document})
    except RuntimeError as exc:  # typst.TypstError, or a failure in the binding itself
        message = getattr(exc, "message", None) or str(exc)
        raise FinetuneError(f"PDF rendering failed: {message}") from exc
    if not isinstance(pdf, bytes):  # typst returns a list only for multi-image formats
        raise FinetuneError("PDF rendering failed: Typst returned no PDF document")
    return pdf


_local = threading.local()


def _thread_compiler() -> typst.Compiler:
    """This thread's compiler: a Typst compiler must not be shared between threads."""
    compiler: typst.Compiler | None = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(
            str(TEMPLATE_PATH),
            root=str(TEMPLATE_PATH.parent),
            font_paths=[str(FONTS_DIR)],
            ignore_system_fonts=True,
        )
        _local.compiler = compiler
    return compiler


def build_layout(resume: ResumeData, *, paper: Paper, test_mode: bool) -> Layout:
    """The JSON document the template renders: only visible, non-empty content, in order."""
    basics = resume.basics
    name = _clean(basics.name)
    return {
        "paper": paper,
        "notice": TEST_MODE_NOTICE if test_mode else None,
        "title": f"{name} — Resume" if name else "Resume",
        "author": [name] if name else [],
        "name": name,
        "headline": _clean(basics.headline),
        "contact": _contact_line(resume),
        "sections": [s for s in _sections(resume) if s["entries"]],
    }


def _contact_line(resume: ResumeData) -> list[dict[str, str | None]]:
    basics = resume.basics
    parts: list[dict[str, str | None]] = []
    email = _clean(basics.email)
    if email:
        parts.append({"text": email, "href": _safe_href(f"mailto:{email}")})
    for plain in (basics.phone, basics.location):
        if _clean(plain):
            parts.append({"text": _clean(plain), "href": None})
    if link := _link(basics.url):
        parts.append(link)
    profiles = resume.sections.profiles
    for profile in profiles.items if profiles.visible else []:
        if not profile.visible:
            continue
        if link := _link(profile.url):
            parts.append(link)
        elif _clean(profile.username):
            label = " ".join(filter(None, (_clean(profile.network), _clean(profile.username))))
            parts.append({"text": label, "href": None})
    for field in basics.customFields:
        if _clean(field.value):
            parts.append({"text": _clean(field.value), "href": None})
    return parts


def _sections(resume: ResumeData) -> list[Layout]:
    s = resume.sections
    return [
        _summary_section(s.summary),
        _block_section(s.experience, "Experience", _experience),
        _block_section(s.education, "Education", _education),
        _inline_section(s.skills, "Skills", _skill),
        _block_section(s.projects, "Projects", _project),
        _block_section(s.certifications, "Certifications", _certification),
        _block_section(s.awards, "Awards", _award),
        _block_section(s.publications, "Publications", _publication),
        _block_section(s.volunteer, "Volunteering", _volunteer),
        _inline_section(s.languages, "Languages", _language),
        _inline_section(s.interests, "Interests", _interest),
        _block_section(s.references, "References", _reference),
    ]


def _summary_section(summary: SummarySection) -> Layout:
    entries = [_entry(summary=summary.content)] if summary.visible else []
    heading = _clean(summary.name) or "Summary"
    return {"heading": heading, "inline": False, "entries": [e for e in entries if _has_content(e)]}


def _block_section(section: Section[Any], default_heading: str, to_entry: ToEntry) -> Layout:
    return _section_layout(section, default_heading, to_entry, inline=False)


def _inline_section(section: Section[Any], default_heading: str, to_entry: ToEntry) -> Layout:
    return _section_layout(section, default_heading, to_entry, inline=True)


def _section_layout(
    section: Section[Any], default_heading: str, to_entry: ToEntry, *, inline: bool
) -> Layout:
    entries: list[Entry] = []
    if section.visible:
        candidates = (to_entry(item) for item in section.items if item.visible)
        entries = [e for e in candidates if _has_content(e)]
    heading = _clean(section.name) or default_heading
    return {"heading": heading, "inline": inline, "entries": entries}


def _experience(item: ExperienceItem) -> Entry:
    return _entry(
        title=item.position or item.company,
        subtitle=item.company if item.position else "",
        meta=(item.date, item.location),
        url=item.url,
        summary=item.summary,
    )


def _volunteer(item: VolunteerItem) -> Entry:
    return _entry(
        title=item.position or item.organization,
        subtitle=item.organization if item.position else "",
        meta=(item.date, item.location),
        url=item.url,
        summary=item.summary,
    )


def _education(item: EducationItem) -> Entry:
    degree = " in ".join(filter(None, (_clean(item.studyType), _clean(item.area))))
    return _entry(
        title=item.institution or degree,
        subtitle=degree if item.institution else "",
        meta=(item.date, item.score),
        url=item.url,
        summary=item.summary,
    )


def _project(item: ProjectItem) -> Entry:
    return _entry(
        title=item.name,
        subtitle=item.description,
        meta=(item.date,),
        url=item.url,
        summary=item.summary,
        keywords=item.keywords,
    )


def _certification(item: CertificationItem) -> Entry:
    return _entry(
        title=item.name,
        subtitle=item.issuer,
        meta=(item.date,),
        url=item.url,
        summary=item.summary,
    )


def _award(item: AwardItem) -> Entry:
    return _entry(
        title=item.title,
        subtitle=item.awarder,
        meta=(item.date,),
        url=item.url,
        summary=item.summary,
    )


def _publication(item: PublicationItem) -> Entry:
    return _entry(
        title=item.name,
        subtitle=item.publisher,
        meta=(item.date,),
        url=item.url,
        summary=item.summary,
    )


def _reference(item: ReferenceItem) -> Entry:
    return _entry(title=item.name, subtitle=item.description, url=item.url, summary=item.summary)


def _skill(item: SkillItem) -> Entry:
    return _entry(title=item.name, subtitle=item.description, keywords=item.keywords)


def _language(item: LanguageItem) -> Entry:
    return _entry(title=item.name, subtitle=item.description)


def _interest(item: InterestItem) -> Entry:
    return _entry(title=item.name, keywords=item.keywords)


def _entry(
    *,
    title: str = "",
    subtitle: str = "",
    meta: tuple[str, ...] = (),
    url: Url | None = None,
    summary: str = "",
    keywords: list[str] | None = None,
) -> Entry:
    paragraph, bullets = split_bullets(summary)
    details: list[dict[str, str | None]] = [
        {"text": _clean(m), "href": None} for m in meta if _clean(m)
    ]
    if url is not None and (link := _link(url)):
        details.append(link)
    return {
        "title": _clean(title),
        "subtitle": _clean(subtitle),
        "meta": details,
        "paragraphs": _paragraphs(paragraph),
        "bullets": [_clean(b) for b in bullets if _clean(b)],
        "keywords": ", ".join(_clean(k) for k in keywords or [] if _clean(k)),
    }


def _has_content(entry: Entry) -> bool:
    return any(entry[key] for key in ("title", "subtitle", "paragraphs", "bullets", "keywords"))


def _paragraphs(text: str) -> list[str]:
    """Blank lines separate paragraphs; single newlines are soft wraps, as in Markdown."""
    blocks = "\n".join(line.strip() for line in text.splitlines()).split("\n\n")
    return [_clean(block) for block in blocks if _clean(block)]


def _link(url: Url) -> dict[str, str | None] | None:
    href = _clean(url.href)
    if not href:
        return None
    return {"text": _display_url(href), "href": _safe_href(href)}


def _display_url(href: str) -> str:
    for scheme in ("https://", "http://", "mailto:"):
        if href.lower().startswith(scheme):
            href = href[len(scheme) :]
            break
    return href.rstrip("/") or href


def _safe_href(href: str) -> str | None:
    if href.lower().startswith(_LINK_SCHEMES):
        return href
    if ":" not in href.split("/", 1)[0] and "." in href.split("/", 1)[0]:
        return f"https://{href}"  # a bare domain such as "github.com/jdoe"
    return None


def _clean(text: str) -> str:
    """Collapse whitespace runs and drop invisible control characters, so the PDF's text, as an
    extractor reads it, is the text the reader sees."""
    return " ".join(text.translate(_INVISIBLE_CONTROLS).split())
