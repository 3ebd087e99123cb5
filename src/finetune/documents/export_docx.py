"""Export ``resume_data`` as a Word document an ATS reads cleanly.

Single column, no tables, text boxes, headers or images: section titles use Word's own
"Heading 1" style and bullets its "List Bullet" style (real list paragraphs), so parsers and
screen readers see the structure. Content, order and wording come from the PDF's layout builder.
"""

from __future__ import annotations

import io
from typing import Any

import docx
from docx.shared import Inches, Pt, RGBColor

from finetune.documents.pdf import build_layout
from finetune.documents.schema import ResumeData

DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_MUTED = RGBColor(0x55, 0x55, 0x55)
_FONT = "Calibri"  # on every Word install; Carlito, bundled for the PDF, is metric-compatible


def to_docx(resume: ResumeData) -> bytes:
    """The resume as DOCX bytes."""
    layout = build_layout(resume, paper="us-letter", test_mode=False)
    document = docx.Document()
    _setup(document, layout)
    if layout["name"]:
        document.add_paragraph(layout["name"], style="Title")
    if layout["headline"]:
        document.add_paragraph(layout["headline"], style="Subtitle")
    if layout["contact"]:
        document.add_paragraph(" · ".join(part["text"] for part in layout["contact"]))
    for section in layout["sections"]:
        document.add_heading(section["heading"], level=1)
        for entry in section["entries"]:
            if section["inline"]:
                _inline(document, entry)
            else:
                _block(document, entry)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _setup(document: Any, layout: dict[str, Any]) -> None:
    normal = document.styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(3)
    for section in document.sections:
        section.left_margin = section.right_margin = Inches(0.7)
        section.top_margin = section.bottom_margin = Inches(0.6)
    properties = document.core_properties
    properties.title = layout["title"]
    properties.author = ", ".join(layout["author"])
    properties.comments = ""


def _block(document: Any, entry: dict[str, Any]) -> None:
    if entry["title"] or entry["subtitle"]:
        header = document.add_paragraph()
        header.paragraph_format.space_before = Pt(6)
        header.paragraph_format.keep_with_next = True
        if entry["title"]:
            header.add_run(entry["title"]).bold = True
        if entry["subtitle"]:
            header.add_run(f" · {entry['subtitle']}" if entry["title"] else entry["subtitle"])
    if entry["meta"]:
        meta = document.add_paragraph()
        meta.paragraph_format.keep_with_next = True
        run = meta.add_run(" · ".join(part["text"] for part in entry["meta"]))
        run.font.size = Pt(9.5)
        run.font.color.rgb = _MUTED
    for paragraph in entry["paragraphs"]:
        document.add_paragraph(paragraph)
    for bullet in entry["bullets"]:
        document.add_paragraph(bullet, style="List Bullet")
    if entry["keywords"]:
        document.add_paragraph(entry["keywords"])


def _inline(document: Any, entry: dict[str, Any]) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(entry["title"]).bold = True
    if entry["subtitle"]:
        paragraph.add_run(f" ({entry['subtitle']})")
    if entry["keywords"]:
        paragraph.add_run(f": {entry['keywords']}")
