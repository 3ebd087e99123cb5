"""Lines of a PDF's text layer, in reading order, with wrapped lines joined back together.

pypdfium2 reads text in content-stream order, which keeps the columns of a two-column layout
apart (pdfplumber groups by baseline and interleaves them). Each line's position and font then
tell what a plain-text dump cannot: a line indented under a bullet continues that bullet; a line
whose first word would have fitted at the end of the line above is a new line, not a wrap; a
bigger font is a heading; bold type starts an entry.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from finetune.documents.importers.limits import MAX_PDF_PAGES, TextBudget
from finetune.documents.importers.lines import Line, LineKind, clean_text, strip_bullet
from finetune.documents.importers.pdf_streams import check_pdf_streams
from finetune.documents.pdf import TEST_MODE_NOTICE
from finetune.errors import PayloadTooLarge, ValidationError

_PAGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:/|of)\s*\d{1,3})?$", re.IGNORECASE)
_BOLD_WEIGHT = 600
_SAME_X = 2.0  # points: lines starting this close together share a left edge
_COLUMN_GAP = 30.0  # points between left edges that separate columns
# pdfium joins a word broken after a hyphen at the end of a line into one line and reports that
# hyphen as U+FFFE (a noncharacter); resume PDFs are not hyphenated, so it is a real hyphen.
_LINE_END_HYPHEN = "\ufffe"
# A line may break right after these, with no space: "month-" / "end", "training/" / "serving".
_BREAKS_AFTER = frozenset("-–—/")


@dataclass
class _PdfLine:
    text: str
    x0: float
    right: float
    bottom: float
    size: float
    bold: bool
    first_word_width: float
    ends_bold: bool = False
    column_right: float = 0.0
    bullet: bool = False


def pdf_page_count(content: bytes) -> int:
    """Number of pages, for the benchmark's per-page figures."""
    return len(_open(content))


def extract_pdf_lines(content: bytes) -> list[Line]:
    """The PDF's text as lines; ValidationError for encrypted, corrupt or textless files,
    PayloadTooLarge past the page, text or unpacked-stream limits."""
    check_pdf_streams(content)
    document = _open(content)
    raw_lines: list[_PdfLine] = []
    budget = TextBudget()
    try:
        if len(document) > MAX_PDF_PAGES:
            raise PayloadTooLarge(
                f"the PDF has {len(document):,} pages; resumes are limited to {MAX_PDF_PAGES}"
            )
        for page in document:
            raw_lines = _join_wraps(raw_lines, _page_lines(page, budget))
    except pdfium.PdfiumError as exc:  # e.g. a page tree that points back at itself
        raise ValidationError(f"the PDF file is damaged and cannot be read ({exc})") from exc
    finally:
        document.close()
    if not raw_lines:
        raise ValidationError(
            "the PDF has no text layer (a scanned image?): export it from your word processor "
            "as a PDF with text, or upload the DOCX"
        )
    return _to_lines(raw_lines)


def _open(content: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ValidationError(
                "the PDF is encrypted with a password: remove the password and upload it again"
            ) from exc
        raise ValidationError(f"the PDF file is damaged and cannot be read ({exc})") from exc


def _page_lines(page: pdfium.PdfPage, budget: TextBudget) -> list[_PdfLine]:
    textpage = page.get_textpage()
    budget.spend(textpage.count_chars())  # before the text is copied out
    text = textpage.get_text_range().replace(_LINE_END_HYPHEN, "-")
    aligned = len(text) == textpage.count_chars()  # one Python character per PDF character
    lines: list[_PdfLine] = []
    start = 0
    for raw in text.split("\n"):
        end = start + len(raw)
        line = raw.rstrip("\r")
        stripped = line.strip()
        if stripped and not _PAGE_NUMBER.match(stripped) and stripped != TEST_MODE_NOTICE:
            if aligned:
                lead = len(line) - len(line.lstrip())
                lines.append(_measure(textpage, start + lead, stripped))
            else:
                lines.append(_PdfLine(stripped, 0, 0, 0, 0, False, 0))
        start = end + 1
    _assign_columns(lines)
    return lines


def _measure(textpage: pdfium.PdfTextPage, first: int, text: str) -> _PdfLine:
    """Position and font of a line whose first character is char ``first`` on the page."""
    left, bottom, _, _ = textpage.get_charbox(first)
    last = first + len(text) - 1
    right = textpage.get_charbox(last)[2]
    word_end = first + (text.find(" ") if " " in text else len(text)) - 1
    first_word_width = textpage.get_charbox(word_end)[2] - left
    size = pdfium_c.FPDFText_GetFontSize(textpage, first)
    bold = pdfium_c.FPDFText_GetFontWeight(textpage, first) >= _BOLD_WEIGHT
    ends_bold = pdfium_c.FPDFText_GetFontWeight(textpage, last) >= _BOLD_WEIGHT
    return _PdfLine(text, left, right, bottom, size, bold, first_word_width, ends_bold)


def _assign_columns(lines: list[_PdfLine]) -> None:
    """Group left edges into columns; each line learns how far right its column reaches."""
    edges = sorted({round(line.x0) for line in lines})
    column_of: dict[int, int] = {}
    column = 0
    for previous, edge in zip([None, *edges], edges, strict=False):
        if previous is not None and edge - previous > _COLUMN_GAP:
            column += 1
        column_of[edge] = column
    rights: dict[int, float] = {}
    for line in lines:
        key = column_of[round(line.x0)]
        rights[key] = max(rights.get(key, 0.0), line.right)
    for line in lines:
        line.column_right = rights[column_of[round(line.x0)]]


def _join_wraps(done: list[_PdfLine], page: list[_PdfLine]) -> list[_PdfLine]:
    """Append a page's lines to ``done``, joining each wrapped line to the line it continues
    (the first line of a page may continue the last line of the page before)."""
    out = done
    for index, line in enumerate(page):
        line.bullet = strip_bullet(line.text) is not None
        previous = out[-1] if out else None
        same_page = index > 0
        if previous is not None and not line.bullet and _continues(previous, line, same_page):
            previous.text = _join(previous.text, line.text)
            previous.right, previous.bottom = line.right, line.bottom
            previous.ends_bold = line.ends_bold
            continue
        out.append(line)
    return out


def _continues(previous: _PdfLine, line: _PdfLine, same_page: bool) -> bool:
    if previous.size == 0 or abs(previous.size - line.size) > 0.3:
        return False
    # Directly below, in the same column (across a page break, position says nothing).
    if same_page and not 0 < previous.bottom - line.bottom < 2 * line.size:
        return False
    if line.bold and not previous.ends_bold:
        return False  # bold type starts something new: an entry title, a skill group
    if previous.bullet and line.x0 > previous.x0 + _SAME_X:
        return True  # indented under a list item's text
    if abs(line.x0 - previous.x0) > _SAME_X and not previous.bullet:
        return False
    space = line.size * 0.3
    # The first word would have fitted at the end of the previous line: that line ended on purpose.
    return previous.right + space + line.first_word_width > previous.column_right - 1


def _join(first: str, second: str) -> str:
    if first[-1:] in _BREAKS_AFTER and first[-2:-1].isalnum() and second[:1].isalnum():
        return first + second  # the line broke inside "month-end", "training/serving"
    return f"{first} {second}"


def _to_lines(raw_lines: list[_PdfLine]) -> list[Line]:
    sizes: Counter[float] = Counter()
    for line in raw_lines:
        sizes[round(line.size, 1)] += len(line.text)
    body = sizes.most_common(1)[0][0]
    heading_sizes = sorted(
        {round(line.size, 1) for line in raw_lines if _is_heading(line, body)}, reverse=True
    )
    lines: list[Line] = []
    for line in raw_lines:
        kind: LineKind = "heading" if _is_heading(line, body) else "text"
        level = heading_sizes.index(round(line.size, 1)) + 1 if kind == "heading" else 0
        bold = line.bold if line.size else None
        lines.append(Line(clean_text(line.text), kind, level, bold))
    return lines


def _is_heading(line: _PdfLine, body_size: float) -> bool:
    bigger = line.size - body_size
    return not line.bullet and (bigger >= 1.4 or (bigger > 0.4 and line.bold))
