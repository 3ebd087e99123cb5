"""PDF rendering: real text in reading order, literal user text, pages, fonts, metadata."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from finetune.documents import pdf as pdf_module
from finetune.documents.pdf import TEST_MODE_NOTICE, build_layout, render_pdf
from finetune.documents.schema import (
    Basics,
    ExperienceItem,
    InterestItem,
    ProfileItem,
    ResumeData,
    SkillItem,
    Url,
)
from finetune.errors import FinetuneError, ValidationError
from samples.resumes import full_resume, long_resume


def _require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        reason = f"{tool} (Debian package poppler-utils) is not installed"
        if os.environ.get("FINETUNE_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason}, and FINETUNE_REQUIRE_SERVICES=1 requires it")
        pytest.skip(reason)
    return path


def pdftotext(pdf: bytes, *, layout: bool) -> str:
    args = [_require("pdftotext"), *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=pdf, capture_output=True, check=True).stdout.decode()


def pdfium_pages(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    return [document[i].get_textpage().get_text_range() for i in range(len(document))]


def _flat(text: str) -> str:
    return " ".join(text.split())


def assert_in_order(text: str, expected: list[str]) -> None:
    flat, position = _flat(text), 0
    for piece in expected:
        found = flat.find(piece, position)
        assert found >= 0, (
            f"{piece!r} missing or out of order after …{flat[position - 80 : position]!r}"
        )
        position = found + len(piece)


@pytest.mark.parametrize("layout", [False, True], ids=["plain", "layout"])
def test_pdftotext_reads_every_section_and_entry_in_order(layout: bool) -> None:
    """pdftotext (plain and -layout) extracts every heading and entry of a full resume in order."""
    resume, expected = full_resume()
    assert_in_order(pdftotext(render_pdf(resume), layout=layout), expected)


def test_pdfium_reads_every_section_and_entry_in_order() -> None:
    """pypdfium2 extracts the same texts in the same order as pdftotext."""
    resume, expected = full_resume()
    assert_in_order("\n".join(pdfium_pages(render_pdf(resume))), expected)


def test_pdfplumber_reads_every_section_and_entry_in_order() -> None:
    """pdfplumber (pdfminer) extracts the same texts in the same order too."""
    resume, expected = full_resume()
    with pdfplumber.open(io.BytesIO(render_pdf(resume))) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert_in_order(text, expected)


def test_bullets_are_real_list_items() -> None:
    """Summary `- ` lines render as list items with a bullet marker, not as literal dashes."""
    resume, _ = full_resume()
    text = _flat(pdftotext(render_pdf(resume), layout=False))
    assert "• Cut deploy time from 40 to 6 minutes" in text
    assert "- Cut deploy" not in text


INJECTIONS = [
    '#read("/etc/passwd")',
    '#import "/etc/hosts"',
    '#image("/etc/passwd")',
    "#set page(width: 2cm)",
    "$x^2$ *bold* _emph_ `raw`",
    "<label> @ref \\ backslash ] bracket [ open",
    '#include "resume.typ"',
    "= Not a heading",
]


def test_typst_markup_in_user_text_renders_literally_and_reads_nothing() -> None:
    """Typst markup anywhere in a resume is printed as typed and never evaluated."""
    resume = ResumeData(basics=Basics(name=INJECTIONS[0], headline=INJECTIONS[3]))
    resume.sections.summary.content = "\n\n".join(INJECTIONS)
    resume.sections.experience.items = [
        ExperienceItem(
            company=INJECTIONS[1],
            position=INJECTIONS[2],
            date=INJECTIONS[4],
            summary="\n".join(f"- {payload}" for payload in INJECTIONS),
        )
    ]
    resume.sections.skills.items = [SkillItem(name=INJECTIONS[5], keywords=INJECTIONS[6:])]
    pdf = render_pdf(resume)
    text = _flat(pdftotext(pdf, layout=False))
    for payload in INJECTIONS:
        assert text.count(payload) >= 2, payload
    assert "root:" not in text
    document = pdfium.PdfDocument(pdf)
    assert len(document) == 1
    assert document[0].get_size() == pytest.approx((612, 792))  # `#set page` did nothing
    kinds = {obj.type for obj in document[0].get_objects()}
    assert pdfium.raw.FPDF_PAGEOBJ_IMAGE not in kinds


def test_sections_use_their_configured_names() -> None:
    """A section with a custom `name` is headed by that name instead of the default."""
    resume, _ = full_resume()
    resume.sections.experience.name = "Work History"
    text = _flat(pdftotext(render_pdf(resume), layout=False))
    assert "Work History Staff Engineer" in text
    assert "Experience" not in text


def test_hidden_and_empty_sections_and_items_are_left_out() -> None:
    """Invisible sections and items, and items without text, produce no heading or entry."""
    resume, _ = full_resume()
    resume.sections.awards.visible = False
    resume.sections.experience.items[1].visible = False
    resume.sections.interests.items = [InterestItem(name="  ", keywords=[])]
    resume.sections.summary.content = " \n "
    text = _flat(pdftotext(render_pdf(resume), layout=False))
    for absent in ("Awards", "Engineer of the Year", "Globex", "Interests", "Summary"):
        assert absent not in text
    assert "Staff Engineer" in text


def test_minimal_resume_renders() -> None:
    """An empty resume still renders a valid one-page PDF (with nothing invented on it)."""
    pdf = render_pdf(ResumeData())
    pages = pdfium_pages(pdf)
    assert len(pages) == 1
    assert pages[0].strip() == ""


@pytest.mark.parametrize(("paper", "size"), [("us-letter", (612, 792)), ("a4", (595.28, 841.89))])
def test_paper_sizes(paper: pdf_module.Paper, size: tuple[float, float]) -> None:
    """Letter and A4 produce pages of exactly those sizes (in points)."""
    document = pdfium.PdfDocument(render_pdf(full_resume()[0], paper=paper))
    assert document[0].get_size() == pytest.approx(size, abs=0.1)


def test_unknown_paper_is_a_validation_error() -> None:
    """An unsupported paper size is rejected with a clear validation error."""
    with pytest.raises(ValidationError, match="paper must be one of us-letter, a4"):
        render_pdf(ResumeData(), paper="legal")  # type: ignore[arg-type]


def test_non_resume_input_is_a_validation_error() -> None:
    """Passing something other than ResumeData fails clearly, not deep inside Typst."""
    with pytest.raises(ValidationError, match="ResumeData"):
        render_pdf({"basics": {}})  # type: ignore[arg-type]


def test_one_page_resume_is_one_page_and_long_resume_paginates() -> None:
    """A short resume fits one page; a long one flows onto more pages with nothing lost."""
    assert len(pdfium.PdfDocument(render_pdf(full_resume()[0]))) == 1
    long_pdf = render_pdf(long_resume(jobs=18))
    pages = pdfium_pages(long_pdf)
    assert len(pages) >= 3
    assert_in_order("\n".join(pages), [f"Engineer {n}" for n in range(18)] + ["Education"])


def _last_line(page_text: str) -> str:
    lines = [line.strip() for line in page_text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def test_no_page_ends_with_a_heading_or_an_entry_title() -> None:
    """Whatever the length, headings and entry titles stay with the text that follows them."""
    titles = re.compile(
        r"^(Experience|Education|Skills|Summary|Engineer \d+ · Company \d+|\d{4} – \d{4})$"
    )
    ends_seen = set()
    for lines in range(12):
        pages = pdfium_pages(render_pdf(long_resume(jobs=9, summary_paragraphs=lines)))
        assert len(pages) == 2
        last = _last_line(pages[0])
        ends_seen.add(last)
        assert not titles.match(last), f"{lines} summary lines: the page ends with {last!r}"
    assert len(ends_seen) >= 6  # the page break really fell in different places


def test_test_mode_marks_every_page_after_its_body_text() -> None:
    """Test mode puts the notice in each page's footer, after that page's body text."""
    pages = pdfium_pages(render_pdf(long_resume(jobs=18), test_mode=True))
    assert len(pages) >= 3
    for page in pages:
        assert _last_line(page) == TEST_MODE_NOTICE
        assert page.count(TEST_MODE_NOTICE) == 1
    live = pdfium_pages(render_pdf(long_resume(jobs=18)))
    assert all(TEST_MODE_NOTICE not in page for page in live)


def test_test_mode_keeps_plain_extraction_order() -> None:
    """With the notice on, pdftotext still reads the body in order and the notice last."""
    resume, expected = full_resume()
    text = pdftotext(render_pdf(resume, test_mode=True), layout=False)
    assert_in_order(text, [*expected, TEST_MODE_NOTICE])


def test_metadata_title_and_author_come_from_the_resume() -> None:
    """The PDF's Title and Author name the candidate."""
    metadata = pdfium.PdfDocument(render_pdf(full_resume()[0])).get_metadata_dict()
    assert metadata["Author"] == "Zoë Łukasiewicz-Ñúñez"
    assert metadata["Title"] == "Zoë Łukasiewicz-Ñúñez — Resume"


def test_only_bundled_fonts_are_used_and_all_are_embedded() -> None:
    """Every font in the PDF is embedded and is the bundled Carlito family."""
    out = subprocess.run(
        [_require("pdffonts"), "-"], input=render_pdf(full_resume()[0]), capture_output=True
    )
    if out.returncode != 0:  # older pdffonts cannot read stdin
        pytest.skip("pdffonts cannot read a PDF from stdin here")
    rows = out.stdout.decode().splitlines()[2:]
    assert rows
    for row in rows:
        assert "+Carlito" in row.split()[0], row
        assert re.search(r"\byes\s+yes\s+yes\b", row), f"not embedded+subset+unicode: {row}"


def test_links_only_for_web_and_mail_addresses() -> None:
    """Web and mail addresses become links; other schemes (javascript:, file:) stay plain text."""
    resume = ResumeData(basics=Basics(email="a@b.co", url=Url(href="javascript:alert(1)")))
    resume.sections.profiles.items = [
        ProfileItem(network="GitHub", url=Url(href="github.com/a")),
        ProfileItem(network="Files", url=Url(href="file:///etc/passwd")),
    ]
    contact = build_layout(resume, paper="a4", test_mode=False)["contact"]
    assert [(c["text"], c["href"]) for c in contact] == [
        ("a@b.co", "mailto:a@b.co"),
        ("javascript:alert(1)", None),
        ("github.com/a", "https://github.com/a"),
        ("file:///etc/passwd", None),
    ]


def test_rendering_from_many_threads_at_once() -> None:
    """Concurrent renders (as the API's thread pool does) each produce their own resume."""

    def render(n: int) -> str:
        resume = ResumeData(basics=Basics(name=f"Candidate {n}"))
        return "".join(pdfium_pages(render_pdf(resume, paper="a4" if n % 2 else "us-letter")))

    with ThreadPoolExecutor(max_workers=4) as pool:
        texts = list(pool.map(render, range(16)))
    for n, text in enumerate(texts):
        assert f"Candidate {n}" in text


def test_typst_errors_become_finetune_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure inside Typst surfaces as a FinetuneError with Typst's message, not a raw error."""
    broken = tmp_path / "resume.typ"
    broken.write_text("#let x = (\n")
    monkeypatch.setattr(pdf_module, "TEMPLATE_PATH", broken)
    monkeypatch.setattr(pdf_module, "_local", threading.local())
    with pytest.raises(FinetuneError, match=r"PDF rendering failed: .+") as caught:
        render_pdf(ResumeData())
    assert caught.value.status == 500


def test_control_characters_and_lone_surrogates_do_not_break_rendering() -> None:
    """Odd code points that can reach a Python string still render instead of crashing."""
    resume = ResumeData(basics=Basics(name="Ana\ud800 Lima \x00\x07 \u202eTorres\ufeff"))
    text = "".join(pdfium_pages(render_pdf(resume)))
    assert "Ana? Lima" in text
    assert "Torres" in text


def test_paragraphs_split_on_blank_lines_and_soft_wraps_join() -> None:
    """Blank lines separate paragraphs; single newlines and tabs inside one become spaces."""
    resume = ResumeData(basics=Basics(name="Ana\tLima"))
    resume.sections.summary.content = "First line\nwraps here.\n\n  Second\tparagraph.\n- A bullet"
    layout = build_layout(resume, paper="a4", test_mode=False)
    assert layout["name"] == "Ana Lima"
    summary = layout["sections"][0]["entries"][0]
    assert summary["paragraphs"] == ["First line wraps here.", "Second paragraph."]
    assert summary["bullets"] == ["A bullet"]
