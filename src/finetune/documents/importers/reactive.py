"""Reactive Resume v4 export JSON → resume_data.

Our resume_data uses Reactive Resume's field names, so the mapping keeps the fields both have and
turns its HTML rich text (summaries) into our plain text with ``- `` bullet lines. Layout and theme
(``metadata``) have no place in resume_data and are left out; custom sections, which we cannot
represent, are returned as unplaced text so the user can move them.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from typing import Any, get_args

from pydantic import BaseModel

from finetune.documents.loading import load_resume_document
from finetune.documents.schema import Basics, ResumeData, Sections, join_bullets

_ID = re.compile(r"^[a-z0-9]{1,64}$")
_RICH_TEXT_FIELDS = {"summary", "content"}


def looks_like_reactive_resume(doc: dict[str, Any]) -> bool:
    """Reactive Resume exports carry ``metadata`` (layout, theme) by ``basics`` and ``sections``."""
    sections = doc.get("sections")
    if not isinstance(sections, dict) or not isinstance(doc.get("basics"), dict):
        return False
    if isinstance(doc.get("metadata"), dict):
        return True
    return any(isinstance(s, dict) and "separateLinks" in s for s in sections.values())


def from_reactive_resume(doc: dict[str, Any], unplaced: list[str]) -> ResumeData:
    """Map a Reactive Resume v4 document; ValidationError naming the field when it is malformed."""
    sections_in = doc["sections"]
    mapped: dict[str, Any] = {"basics": _only(doc["basics"], Basics), "sections": {}}
    for key, field in Sections.model_fields.items():
        section = sections_in.get(key)
        model = field.annotation
        if not isinstance(section, dict) or not isinstance(model, type):
            continue
        out = _only(section, model)
        items = section.get("items")
        if isinstance(items, list):
            item_model = get_args(model.model_fields["items"].annotation)[0]
            out["items"] = [_item(item, item_model) for item in items]
        mapped["sections"][key] = out
    for custom in (sections_in.get("custom") or {}).values():
        unplaced.extend(_custom_section_text(custom))
    return load_resume_document(mapped)


def _only(value: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """The keys ``model`` has (Reactive Resume adds layout keys such as ``separateLinks``)."""
    return {k: _plain(k, v) for k, v in value.items() if k in model.model_fields and k != "items"}


def _item(item: Any, model: type[BaseModel]) -> Any:
    if not isinstance(item, dict):
        return item  # validation names the bad item
    out = _only(item, model)
    if not isinstance(out.get("id"), str) or not _ID.match(out["id"]):
        out.pop("id", None)  # a fresh id rather than a refused resume
    return out


def _plain(key: str, value: Any) -> Any:
    if key in _RICH_TEXT_FIELDS and isinstance(value, str):
        return html_to_text(value)
    return value


def _custom_section_text(section: Any) -> list[str]:
    if not isinstance(section, dict):
        return []
    lines = [str(section.get("name") or "Custom section")]
    for item in section.get("items") or []:
        if not isinstance(item, dict):
            continue
        header = [str(item.get(k) or "") for k in ("name", "description", "location", "date")]
        lines.append(" · ".join(part for part in header if part))
        if item.get("summary"):
            lines.append(html_to_text(str(item["summary"])))
    return [line for line in lines if line]


class _HtmlText(HTMLParser):
    """Paragraph text and list items of a rich-text HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.bullets: list[str] = []
        self._current: list[str] = []
        self._in_item = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self._flush()
            self._in_item += 1
        elif tag in {"p", "br", "div", "ul", "ol", "h1", "h2", "h3", "h4", "blockquote"}:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in {"li", "p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "blockquote"}:
            self._flush()
        if tag == "li":
            self._in_item = max(0, self._in_item - 1)

    def handle_data(self, data: str) -> None:
        self._current.append(data)

    def _flush(self) -> None:
        text = " ".join("".join(self._current).split())
        self._current = []
        if text:
            (self.bullets if self._in_item else self.paragraphs).append(text)


def html_to_text(fragment: str) -> str:
    """``<p>Intro</p><ul><li>One</li></ul>`` → ``Intro\\n\\n- One``; plain text passes through."""
    if "<" not in fragment:
        return unescape(fragment)
    parser = _HtmlText()
    parser.feed(fragment)
    parser.close()
    parser._flush()
    return join_bullets("\n".join(parser.paragraphs), parser.bullets)
