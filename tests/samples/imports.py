"""Resume files in different layouts and formats, generated for the import tests and benchmark.

Each builder writes a document the way a person or a word processor would, not the way our own
exporters do: DOCX with and without heading styles, manual bullets, tables; a two-column PDF
typeset with Typst directly; Markdown and plain text in common hand-written shapes.
"""

from __future__ import annotations

import hashlib
import io
import struct
import tempfile
import zlib
from pathlib import Path

import docx
import typst
from docx.shared import Pt

from finetune.documents.pdf import FONTS_DIR
from samples.pdf_objects import pdf_from_objects


def _save(document: docx.document.Document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_styled() -> bytes:
    """Word heading styles, bold company + tab + dates, an italic title line, List Bullet items."""
    d = docx.Document()
    d.add_paragraph("Grace Hopper", style="Title")
    d.add_paragraph("grace.hopper@example.org | (555) 010-7788 | Arlington, VA")
    d.add_paragraph("linkedin.com/in/gracehopper")
    d.add_heading("Professional Summary", level=1)
    d.add_paragraph("Systems programmer who turns hardware into tools people can use.")
    d.add_heading("Work History", level=1)
    jobs = [
        ("Remington Rand", "1949 – 1967", "Senior Mathematician",
         ["Led the A-0 compiler team", "Wrote the first compiler manual"]),
        ("Harvard Computation Lab", "Jul 1944 – 1949", "Research Fellow",
         ["Programmed the Mark I"]),
    ]  # fmt: skip
    for company, dates, title, bullets in jobs:
        header = d.add_paragraph()
        header.add_run(company).bold = True
        header.add_run(f"\t{dates}")
        d.add_paragraph().add_run(title).italic = True
        for bullet in bullets:
            d.add_paragraph(bullet, style="List Bullet")
    d.add_heading("Education", level=1)
    d.add_paragraph().add_run("Yale University").bold = True
    d.add_paragraph("Ph.D. in Mathematics, 1934")
    d.add_heading("Technical Skills", level=1)
    d.add_paragraph("Languages: COBOL, FLOW-MATIC, Assembly")
    d.add_paragraph("Hardware: Mark I, UNIVAC I")
    return _save(d)


def docx_plain() -> bytes:
    """No heading styles: bold capitals as headings, contact in a table, one-line entries and
    typed "•" bullets."""
    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Ken Thompson"
    table.rows[0].cells[1].text = "ken@example.net\n+1 908 555 0100"
    for heading, lines in [
        ("PROFESSIONAL EXPERIENCE", [
            "Distinguished Engineer | Google | Mountain View, CA | 03/2006 - 12/2019",
            "• Co-designed the Go programming language",
            "• Built tooling used across the company",
            "Member of Technical Staff | Bell Labs | Murray Hill, NJ | 1966 - 2000",
            "• Created Unix with Dennis Ritchie",
        ]),
        ("EDUCATION", ["University of California, Berkeley — M.S. Electrical Engineering — 1966"]),
        ("CERTIFICATIONS", ["Turing Award — ACM — 1983"]),
        ("LANGUAGES", ["English (Native), German (Basic)"]),
    ]:  # fmt: skip
        d.add_paragraph().add_run(heading).bold = True
        for line in lines:
            d.add_paragraph(line)
    return _save(d)


def docx_entry_headings() -> bytes:
    """Heading 2 per entry ("Title at Company"), dates and place on the next line, numbered list."""
    d = docx.Document()
    d.add_heading("Ada Lovelace", level=1)
    d.add_paragraph("ada@example.com · London, UK · github.com/adalovelace")
    d.add_heading("Experience", level=1)
    d.add_heading("Lead Analyst at Analytical Engines Ltd", level=2)
    d.add_paragraph("Jan 2019 – Present · London, UK")
    d.add_paragraph("Translated and extended Menabrea's paper on the engine.")
    d.add_paragraph("Published the first algorithm for a machine", style="List Number")
    d.add_paragraph("Described loops and subroutines", style="List Number")
    d.add_heading("Education", level=1)
    d.add_heading("University of London", level=2)
    d.add_paragraph("Diploma in Mathematics · 2015 – 2018")
    d.add_heading("Interests", level=1)
    d.add_paragraph("Poetical science, Horses")
    for paragraph in d.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(11)
    return _save(d)


TWO_COLUMN_TYP = """
#set page(paper: "a4", margin: 14mm)
#set text(font: "Carlito", size: 10pt)
#let head(t) = text(weight: "bold", fill: rgb("#224466"), upper(t))
#grid(columns: (52mm, 1fr), gutter: 9mm,
  [
    #text(size: 18pt, weight: "bold")[Ana Lima] \\
    ana.lima\\@example.com \\
    +44 20 7946 0958 \\
    London, UK \\
    #v(4mm)
    #head[Skills] \\
    Python, Go, Kubernetes, Terraform
    #v(3mm)
    #head[Education] \\
    #text(weight: "bold")[University of Leeds] \\
    BSc Computer Science \\
    2012 - 2015
  ],
  [
    #head[Profile] \\
    Platform engineer who keeps deploys dull and dashboards honest.
    #v(3mm)
    #head[Employment] \\
    #text(weight: "bold")[Acme Ltd] — London #h(1fr) 03/2018 - 06/2020 \\
    Platform Engineer
    - Built the deploy pipeline used by forty engineers across three offices, cutting release \
      time from two days to forty minutes
    - Cut cloud costs by a third
    #text(weight: "bold")[Initech] — Leeds #h(1fr) 09/2015 - 02/2018 \\
    Software Developer
    - Maintained the billing system
  ])
"""


def pdf_two_column() -> bytes:
    """A two-column PDF (sidebar + main), upper-case coloured headings, right-aligned dates."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "resume.typ"
        source.write_text(TWO_COLUMN_TYP)
        pdf = typst.compile(str(source), font_paths=[str(FONTS_DIR)], ignore_system_fonts=True)
    assert isinstance(pdf, bytes)
    return pdf


def pdf_scanned() -> bytes:
    """A PDF whose page is only an image: what a scanner produces, with no text layer."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "scan.png").write_bytes(_png(200, 260))
        source = Path(tmp) / "scan.typ"
        source.write_text('#set page(margin: 0pt)\n#image("scan.png", width: 100%)\n')
        pdf = typst.compile(str(source), font_paths=[str(FONTS_DIR)], ignore_system_fonts=True)
    assert isinstance(pdf, bytes)
    return pdf


def _png(width: int, height: int) -> bytes:
    """A grey-striped grayscale PNG, like a scanned page of text lines."""
    rows = b"".join(
        b"\x00"
        + bytes((40 if (y // 6) % 3 == 0 and 20 < x < width - 20 else 235) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def pdf_encrypted(user_password: bytes = b"secret") -> bytes:
    """A one-page PDF protected by a user password (standard security handler, RC4 40-bit)."""
    pad = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
    file_id = hashlib.md5(b"finetune-test").digest()
    padded = (user_password + pad)[:32]
    owner = _rc4(hashlib.md5(padded).digest()[:5], padded)
    permissions = -4
    key = hashlib.md5(padded + owner + struct.pack("<i", permissions) + file_id).digest()[:5]
    user = _rc4(key, pad)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <" + owner.hex().encode() + b"> /U <"
        + user.hex().encode() + b"> /P " + str(permissions).encode() + b" >>",
    ]  # fmt: skip
    ids = b"/Encrypt 4 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode())
    return pdf_from_objects(objects, ids)


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    i = j = 0
    out = bytearray()
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


MARKDOWN = """\
# Linus Mwangi

**Site Reliability Engineer**

[linus@example.io](mailto:linus@example.io) | +254 20 555 0199 | Nairobi, Kenya | [GitHub](https://github.com/lmwangi)

## About Me

On-call veteran who automates the boring parts.

## Professional Experience

### Safaricom PLC — Nairobi, Kenya
*SRE Lead* | Jan 2020 – Present

* Ran the incident process for 120 services
  and wrote the postmortem template
* Moved alerting to SLOs, halving pages

### Andela — Remote
*Software Engineer* | Aug 2016 – Dec 2019

1. Built CI for 30 client teams

## Education

**University of Nairobi**, B.Sc. Computer Science, 2012 – 2016

## Skills

- **Cloud:** AWS, GCP
- **Observability:** Prometheus, Grafana

## Awards

- Safaricom Engineering Excellence Award, 2022
"""

TEXT = """\
MEI TANAKA
Registered Dietitian
mei.tanaka@example.com  |  (206) 555-0123  |  Seattle, WA

PROFILE
Clinical dietitian with eight years in hospital and outpatient care.

EMPLOYMENT
Harborview Medical Center, Seattle, WA          2019 - Present
Clinical Dietitian
  ▪ Assessed nutrition needs of 25 inpatients a day across surgical
    and oncology units
  ▪ Led the enteral feeding protocol revision

Bastyr University Clinic, Kenmore, WA           2016 - 2019
Outpatient Dietitian
  ▪ Counselled 600 patients a year on diabetes care

EDUCATION
Bastyr University
M.S. Nutrition, 2014 - 2016

LICENSES
Registered Dietitian Nutritionist (RDN) — Commission on Dietetic Registration — 2016

HOBBIES
Hiking, Ceramics
"""
