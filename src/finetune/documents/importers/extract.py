"""Text extraction per format: DOCX, Markdown and plain text (PDF lives in ``pdf_lines``).

Each returns :class:`Line` objects carrying what the format knows: Word heading styles and list
paragraphs, Markdown ``#`` headings and list items, indentation under a bullet in plain text.

Every step is linear in the size of its input: a DOCX's package is checked before python-docx
opens it (``docx_package``), headers are read once per header part rather than once per section,
and table cells are read from the table's XML rather than python-docx's grid, which expands a
cell spanning a billion columns into a billion cells. Markdown's inline markup is read by
markdown-it-py (CommonMark, linear time) instead of backtracking regular expressions.
"""

from __future__ import annotations

import io
import re
import zipfile

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from markdown_it import MarkdownIt
from markdown_it.token import Token

from finetune.documents.importers.docx_package import check_docx_package
from finetune.documents.importers.lines import Line, classify_bullets, clean_text, strip_bullet
from finetune.errors import ValidationError

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"\blist\b", re.IGNORECASE)


def extract_docx_lines(content: bytes) -> list[Line]:
    """Paragraphs (and table cells) of a Word document in order, headers first."""
    check_docx_package(content)
    try:
        document = docx.Document(io.BytesIO(content))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise ValidationError(f"the DOCX file is damaged and cannot be read ({exc})") from exc
    styles = _StyleIndex(document)
    lines: list[Line] = []
    seen_header: set[str] = set()
    for paragraph in _header_paragraphs(document):
        if paragraph.text.strip() and paragraph.text not in seen_header:
            seen_header.add(paragraph.text)
            lines.extend(_paragraph_lines(paragraph, styles))
    for block in _blocks(document):
        lines.extend(_paragraph_lines(block, styles))
    return classify_bullets(lines)


def _header_paragraphs(document: Document) -> list[Paragraph]:
    """The paragraphs of each distinct page header, in section order. A section linked to the
    previous one shows that one's header; python-docx would walk back to it (recursively) for
    every such section."""
    paragraphs: list[Paragraph] = []
    seen_parts: set[int] = set()
    for section in document.sections:
        header = section.header
        if header.is_linked_to_previous or id(header.part) in seen_parts:
            continue
        seen_parts.add(id(header.part))
        paragraphs.extend(header.paragraphs)
    return paragraphs


class _StyleIndex:
    """Paragraph style names and boldness by style id, read once: python-docx's
    ``paragraph.style`` searches every style on each call, which dominated import time."""

    def __init__(self, document: Document) -> None:
        self._names: dict[str, str] = {}
        self._bold: dict[str, bool] = {}
        self._default = ""
        for style in document.styles:
            if style.type != WD_STYLE_TYPE.PARAGRAPH:
                continue
            self._names[style.style_id] = style.name or ""
            self._bold[style.style_id] = bool(style.font.bold)
            if style.element.default:
                self._default = style.style_id

    def name(self, paragraph: Paragraph) -> str:
        return self._names.get(paragraph._p.style or self._default, "")

    def bold(self, paragraph: Paragraph) -> bool:
        return self._bold.get(paragraph._p.style or self._default, False)


def _blocks(document: Document) -> list[Paragraph]:
    """Body paragraphs in order, with each table cell's paragraphs read row by row."""
    paragraphs: list[Paragraph] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block._tbl.tr_lst:
                for tc in row.tc_lst:
                    if tc.vMerge != "continue":  # a merged cell's text is in its first row
                        paragraphs.extend(_Cell(tc, block).paragraphs)
        else:
            paragraphs.append(block)
    return paragraphs


def _paragraph_lines(paragraph: Paragraph, styles: _StyleIndex) -> list[Line]:
    style = styles.name(paragraph)
    heading = _HEADING_STYLE.match(style)
    is_list = bool(_LIST_STYLE.search(style)) or _has_numbering(paragraph)
    bold = _starts_bold(paragraph, styles.bold(paragraph))
    lines: list[Line] = []
    for part in paragraph.text.split("\n"):  # soft line breaks inside one paragraph
        text = clean_text(part)
        if not text:
            continue
        if heading:
            lines.append(Line(text, "heading", int(heading.group(1)), bold))
        elif style == "Title":
            lines.append(Line(text, "heading", 0, bold))
        elif is_list and not lines:
            lines.append(Line(strip_bullet(text) or text, "bullet", bold=bold))
        else:
            lines.append(Line(text, bold=bold))
    return lines


def _has_numbering(paragraph: Paragraph) -> bool:
    properties = paragraph._p.pPr
    return properties is not None and properties.numPr is not None


def _starts_bold(paragraph: Paragraph, style_bold: bool) -> bool:
    for run in paragraph.runs:
        if run.text.strip():
            return bool(run.bold) if run.bold is not None else style_bold
    return False


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$")
_MD_SETEXT = re.compile(r"^\s*(=+|-+)\s*$")
_MD_LIST_MARKER = re.compile(r"^(?:[-*+]|\d{1,2}[.)])\s+(?=\S)")


def extract_markdown_lines(text: str) -> list[Line]:
    """Markdown: ``#`` headings, list items (with indented continuations), inline markup removed."""
    lines: list[Line] = []
    raw_lines = text.splitlines()
    for index, raw in enumerate(raw_lines):
        if not raw.strip() or (_MD_RULE.match(raw) and not _is_setext(raw_lines, index)):
            continue
        if _is_setext(raw_lines, index):
            level = 1 if raw.strip().startswith("=") else 2
            if lines and lines[-1].kind == "text":
                lines[-1] = Line(lines[-1].text, "heading", level, lines[-1].bold)
            continue
        heading = _MD_HEADING.match(raw)
        if heading:
            lines.append(Line(_md_inline(heading.group(2)), "heading", len(heading.group(1))))
            continue
        bold = raw.lstrip().startswith(("**", "__"))
        content = raw.strip()
        if content.startswith(">"):
            content = content.lstrip("> ").strip()
        marker = _MD_LIST_MARKER.match(content)
        if marker:
            lines.append(Line(_md_inline(content[marker.end() :]), "bullet", bold=bold))
        elif raw[:1].isspace() and lines and lines[-1].kind == "bullet":
            lines[-1].text = f"{lines[-1].text} {_md_inline(content)}"  # lazy continuation
        else:
            lines.append(Line(_md_inline(content), bold=bold))
    return lines


def _is_setext(raw_lines: list[str], index: int) -> bool:
    """An ``===`` or ``---`` underline directly below a text line makes that line a heading."""
    previous = raw_lines[index - 1] if index else ""
    return bool(_MD_SETEXT.match(raw_lines[index])) and bool(previous.strip())


class _TextMarkdown(MarkdownIt):
    """CommonMark that keeps link addresses as written (no percent-encoding or punycode) and
    accepts any scheme: the address becomes resume text, it is never rendered or followed."""

    def normalizeLink(self, url: str) -> str:
        return url

    def normalizeLinkText(self, link: str) -> str:
        return link

    def validateLink(self, url: str) -> bool:
        return True


_MARKDOWN = _TextMarkdown("commonmark")
_MD_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _md_inline(text: str) -> str:
    """A line's text without its inline markup: emphasis and code marks dropped, escapes
    undone, ``<br>`` a space, a link replaced by its address (and its label when that says
    something the address does not)."""
    parts: list[str] = []
    links: list[tuple[int, str]] = []  # open links: where their label starts, their address
    tokens: list[Token] = _MARKDOWN.parseInline(text)[0].children or []
    for token in tokens:
        if token.type == "link_open":
            links.append((len(parts), str(token.attrGet("href") or "")))
        elif token.type == "link_close" and links:
            start, url = links.pop()
            label = "".join(parts[start:]).strip()
            parts[start:] = [_link_text(label, url)]
        elif token.type in ("softbreak", "hardbreak") or _is_break_tag(token):
            parts.append(" ")
        elif token.type in ("text", "code_inline", "html_inline", "image"):
            parts.append(token.content)  # an image's content is its alt text
    return clean_text("".join(parts))


def _is_break_tag(token: Token) -> bool:
    return token.type == "html_inline" and bool(_MD_BREAK.fullmatch(token.content))


def _link_text(label: str, url: str) -> str:
    if url.startswith("mailto:"):
        return url[len("mailto:") :]
    bare = re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
    if not label or bare.lower() in label.lower() or label.lower() in url.lower():
        return url if "://" in url else label
    return f"{label} {url}"


def extract_text_lines(text: str) -> list[Line]:
    """Plain text: one line each; an indented line under a bullet continues that bullet."""
    lines: list[Line] = []
    for raw in text.splitlines():
        if not raw.strip():
            continue
        is_bullet = strip_bullet(raw) is not None
        if not is_bullet and raw[:1].isspace() and lines and lines[-1].kind == "bullet":
            lines[-1].text = f"{lines[-1].text} {clean_text(raw)}"
            continue
        lines.extend(classify_bullets([Line(clean_text(raw.replace("\f", "")))]))
    return lines
