"""The one shape every extractor produces and the section parser reads: lines with hints.

Each format knows different things about its text: DOCX and Markdown mark headings and list items,
a PDF knows where each line sits and which font it is set in. Extractors turn that into a flat
list of :class:`Line`, with wrapped lines already joined, so the section parser needs no format
knowledge and works the same on all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

LineKind = Literal["heading", "bullet", "text"]

# Bullet glyphs people and word processors use, plus numbered items ("1.", "2)").
_BULLET = re.compile(r"^\s*(?:[•●○◦▪■□‣⁃∙·*\-–—+➢➤►▸✓✔]|\d{1,2}[.)])\s+")
_BULLET_ONLY = re.compile(r"^\s*[•●○◦▪■□‣⁃∙·*\-–—+➢➤►▸✓✔]\s*$")


@dataclass
class Line:
    """One line of resume text.

    ``kind`` is what the format said the line is (a heading, a list item, or plain text);
    ``level`` orders headings (1 is the top); ``bold`` is True when the line starts in bold type,
    None when the format does not tell (plain text).
    """

    text: str
    kind: LineKind = "text"
    level: int = 0
    bold: bool | None = None


def strip_bullet(text: str) -> str | None:
    """The item text when ``text`` starts with a bullet glyph or a number, else None."""
    match = _BULLET.match(text)
    if not match or not text[match.end() :].strip():
        return None
    return text[match.end() :].strip()


def is_bullet_glyph(text: str) -> bool:
    """A line holding nothing but a bullet glyph (some PDFs put the glyph on its own line)."""
    return bool(_BULLET_ONLY.match(text))


def classify_bullets(lines: list[Line]) -> list[Line]:
    """Lines whose text starts with a bullet glyph become bullet lines without the glyph."""
    out: list[Line] = []
    pending_glyph = False
    for line in lines:
        if is_bullet_glyph(line.text):
            pending_glyph = True
            continue
        item = strip_bullet(line.text) if line.kind == "text" else None
        if pending_glyph or item is not None:
            out.append(Line(item or line.text.strip(), "bullet", bold=line.bold))
        else:
            out.append(line)
        pending_glyph = False
    return out


def clean_text(text: str) -> str:
    """Collapse runs of spaces and trim; tabs and wide gaps (3+ spaces, how plain-text resumes
    align columns) become one tab, which the parser reads as a separator."""
    parts = [" ".join(part.split()) for part in re.split(r"\t| {3,}", text)]
    return "\t".join(p for p in parts if p).strip()
