"""Export ``resume_data`` as Markdown: the same content, order and wording as the PDF.

The PDF's layout builder decides what is shown (visible sections and items, cleaned text), so
Markdown, DOCX and PDF never disagree. User text is escaped: a resume line that starts with ``#``
or holds ``*``/``<`` stays literal text in any Markdown renderer, never markup or HTML.
"""

from __future__ import annotations

import re
from typing import Any

from finetune.documents.pdf import build_layout
from finetune.documents.schema import ResumeData

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_BLOCK_START = re.compile(r"^(#|[-+>]|\d{1,9}[.)])")

Link = dict[str, str | None]


def to_markdown(resume: ResumeData) -> str:
    """The resume as a Markdown document (UTF-8 text, ends with a newline)."""
    layout = build_layout(resume, paper="us-letter", test_mode=False)
    blocks: list[str] = []
    if layout["name"]:
        blocks.append(f"# {escape(layout['name'], line_start=True)}")
    if layout["headline"]:
        blocks.append(escape(layout["headline"], line_start=True))
    if layout["contact"]:
        blocks.append(" · ".join(_link(part) for part in layout["contact"]))
    for section in layout["sections"]:
        blocks.append(f"## {escape(section['heading'], line_start=True)}")
        for entry in section["entries"]:
            blocks.extend(_inline(entry) if section["inline"] else _block(entry))
    return "\n\n".join(blocks) + "\n"


def _block(entry: dict[str, Any]) -> list[str]:
    out: list[str] = []
    title = escape(" · ".join(t for t in (entry["title"], entry["subtitle"]) if t), line_start=True)
    if title:
        out.append(f"### {title}")
    if entry["meta"]:
        out.append(" · ".join(_link(part) for part in entry["meta"]))
    out.extend(escape(paragraph, line_start=True) for paragraph in entry["paragraphs"])
    if entry["bullets"]:
        out.append("\n".join(f"- {escape(bullet)}" for bullet in entry["bullets"]))
    if entry["keywords"]:
        out.append(escape(entry["keywords"], line_start=True))
    return out


def _inline(entry: dict[str, Any]) -> list[str]:
    text = escape(entry["title"])
    if entry["subtitle"]:
        text += f" ({escape(entry['subtitle'])})"
    if entry["keywords"]:
        text += f": {escape(entry['keywords'])}"
    return [f"- {text}"]


def _link(part: Link) -> str:
    text = escape(part["text"] or "")
    href = part["href"]
    if not href:
        return text
    return f"[{text}](<{href.replace('>', '%3E').replace(' ', '%20')}>)"


def escape(text: str, *, line_start: bool = False) -> str:
    """Backslash-escape Markdown punctuation so ``text`` reads literally."""
    escaped = _INLINE_SPECIAL.sub(r"\\\1", text)
    if line_start and _BLOCK_START.match(escaped):
        escaped = "\\" + escaped
    return escaped
