"""Import resumes in eight layouts and formats, checking the extracted structure field by field."""

from __future__ import annotations

from typing import Any

import samples.imports as samples
from finetune.documents.importers import ImportResult, import_resume
from finetune.documents.schema import split_bullets


def _items(result: ImportResult, section: str) -> list[dict[str, Any]]:
    items = getattr(result.resume.sections, section).items
    return [item.model_dump(exclude={"id", "visible", "ext"}) for item in items]


def _bullets(item: dict[str, Any]) -> list[str]:
    return split_bullets(item["summary"])[1]


def test_docx_with_heading_styles_and_tabbed_dates() -> None:
    """Word headings, bold company + tab + dates and a title line below become full entries."""
    result = import_resume("hopper.docx", samples.docx_styled())
    basics = result.resume.basics
    assert result.source_format == "docx"
    assert (basics.name, basics.email, basics.phone, basics.location) == (
        "Grace Hopper", "grace.hopper@example.org", "(555) 010-7788", "Arlington, VA"
    )  # fmt: skip
    assert result.resume.sections.profiles.items[0].network == "LinkedIn"
    assert result.resume.sections.profiles.items[0].username == "gracehopper"
    assert result.resume.sections.summary.name == "Professional Summary"
    assert result.resume.sections.experience.name == "Work History"
    jobs = _items(result, "experience")
    assert [(j["company"], j["position"], j["date"]) for j in jobs] == [
        ("Remington Rand", "Senior Mathematician", "1949 – 1967"),
        ("Harvard Computation Lab", "Research Fellow", "Jul 1944 – 1949"),
    ]
    assert _bullets(jobs[0]) == ["Led the A-0 compiler team", "Wrote the first compiler manual"]
    school = _items(result, "education")[0]
    assert (school["institution"], school["studyType"], school["area"], school["date"]) == (
        "Yale University", "Ph.D.", "Mathematics", "1934"
    )  # fmt: skip
    skills = _items(result, "skills")
    assert [(s["name"], s["keywords"]) for s in skills] == [
        ("Languages", ["COBOL", "FLOW-MATIC", "Assembly"]),
        ("Hardware", ["Mark I", "UNIVAC I"]),
    ]
    assert result.unplaced == []


def test_docx_without_styles_one_line_entries_and_table_header() -> None:
    """Bold capitals as headings, a contact table, "Title | Company | Place | Dates" lines."""
    result = import_resume("thompson.docx", samples.docx_plain())
    basics = result.resume.basics
    assert (basics.name, basics.email, basics.phone) == (
        "Ken Thompson", "ken@example.net", "+1 908 555 0100"
    )  # fmt: skip
    jobs = _items(result, "experience")
    assert [(j["position"], j["company"], j["location"], j["date"]) for j in jobs] == [
        ("Distinguished Engineer", "Google", "Mountain View, CA", "03/2006 - 12/2019"),
        ("Member of Technical Staff", "Bell Labs", "Murray Hill, NJ", "1966 - 2000"),
    ]
    assert _bullets(jobs[1]) == ["Created Unix with Dennis Ritchie"]
    school = _items(result, "education")[0]
    assert (school["institution"], school["studyType"], school["area"]) == (
        "University of California, Berkeley", "M.S.", "Electrical Engineering"
    )  # fmt: skip
    cert = _items(result, "certifications")[0]
    assert (cert["name"], cert["issuer"], cert["date"]) == ("Turing Award", "ACM", "1983")
    languages = _items(result, "languages")
    assert [(lang["name"], lang["description"], lang["level"]) for lang in languages] == [
        ("English", "Native", 5),
        ("German", "Basic", 2),
    ]


def test_docx_entry_headings_and_numbered_lists() -> None:
    """Heading 2 "Title at Company" entries; numbered list items are bullets; a lead paragraph."""
    result = import_resume("ada.docx", samples.docx_entry_headings())
    job = _items(result, "experience")[0]
    assert (job["position"], job["company"], job["date"], job["location"]) == (
        "Lead Analyst", "Analytical Engines Ltd", "Jan 2019 – Present", "London, UK"
    )  # fmt: skip
    paragraph, bullets = split_bullets(job["summary"])
    assert paragraph == "Translated and extended Menabrea's paper on the engine."
    assert bullets == [
        "Published the first algorithm for a machine",
        "Described loops and subroutines",
    ]
    school = _items(result, "education")[0]
    assert (school["institution"], school["studyType"], school["area"], school["date"]) == (
        "University of London", "Diploma", "Mathematics", "2015 – 2018"
    )  # fmt: skip
    assert [i["name"] for i in _items(result, "interests")] == ["Poetical science", "Horses"]
    assert result.resume.sections.profiles.items[0].url.href == "https://github.com/adalovelace"


def test_two_column_pdf_reads_each_column_in_order() -> None:
    """A sidebar + main-column PDF: columns are not interleaved; right-aligned dates found."""
    result = import_resume("lima.pdf", samples.pdf_two_column())
    basics = result.resume.basics
    assert result.source_format == "pdf"
    assert (basics.name, basics.email, basics.phone, basics.location) == (
        "Ana Lima", "ana.lima@example.com", "+44 20 7946 0958", "London, UK"
    )  # fmt: skip
    assert result.resume.sections.summary.content == (
        "Platform engineer who keeps deploys dull and dashboards honest."
    )
    jobs = _items(result, "experience")
    assert [(j["company"], j["position"], j["location"], j["date"]) for j in jobs] == [
        ("Acme Ltd", "Platform Engineer", "London", "03/2018 - 06/2020"),
        ("Initech", "Software Developer", "Leeds", "09/2015 - 02/2018"),
    ]
    assert _bullets(jobs[0]) == [
        "Built the deploy pipeline used by forty engineers across three offices, cutting release "
        "time from two days to forty minutes",
        "Cut cloud costs by a third",
    ]
    school = _items(result, "education")[0]
    assert (school["institution"], school["studyType"], school["area"], school["date"]) == (
        "University of Leeds", "BSc", "Computer Science", "2012 - 2015"
    )  # fmt: skip
    assert [s["name"] for s in _items(result, "skills")] == [
        "Python",
        "Go",
        "Kubernetes",
        "Terraform",
    ]
    assert result.unplaced == []


def test_markdown_with_links_emphasis_and_wrapped_items() -> None:
    """Markdown: links keep their address, emphasis is dropped, indented lines continue items."""
    result = import_resume("mwangi.md", samples.MARKDOWN.encode())
    basics = result.resume.basics
    assert result.source_format == "markdown"
    assert (basics.name, basics.headline, basics.email, basics.phone, basics.location) == (
        "Linus Mwangi", "Site Reliability Engineer", "linus@example.io", "+254 20 555 0199",
        "Nairobi, Kenya",
    )  # fmt: skip
    assert result.resume.sections.profiles.items[0].username == "lmwangi"
    jobs = _items(result, "experience")
    assert [(j["company"], j["position"], j["location"], j["date"]) for j in jobs] == [
        ("Safaricom PLC", "SRE Lead", "Nairobi, Kenya", "Jan 2020 – Present"),
        ("Andela", "Software Engineer", "Remote", "Aug 2016 – Dec 2019"),
    ]
    assert _bullets(jobs[0])[0] == (
        "Ran the incident process for 120 services and wrote the postmortem template"
    )
    assert _bullets(jobs[1]) == ["Built CI for 30 client teams"]
    school = _items(result, "education")[0]
    assert (school["institution"], school["studyType"], school["area"]) == (
        "University of Nairobi", "B.Sc.", "Computer Science"
    )  # fmt: skip
    assert [(s["name"], s["keywords"]) for s in _items(result, "skills")] == [
        ("Cloud", ["AWS", "GCP"]),
        ("Observability", ["Prometheus", "Grafana"]),
    ]
    award = _items(result, "awards")[0]
    assert (award["title"], award["date"]) == ("Safaricom Engineering Excellence Award", "2022")


def test_plain_text_with_aligned_dates_and_indented_continuations() -> None:
    """Plain text: capitals headings, dates aligned with spaces, "▪" bullets wrapped by indent."""
    result = import_resume("tanaka.txt", samples.TEXT.encode())
    basics = result.resume.basics
    assert result.source_format == "text"
    assert (basics.name, basics.headline, basics.phone) == (
        "MEI TANAKA", "Registered Dietitian", "(206) 555-0123"
    )  # fmt: skip
    jobs = _items(result, "experience")
    assert [(j["company"], j["position"], j["location"], j["date"]) for j in jobs] == [
        ("Harborview Medical Center", "Clinical Dietitian", "Seattle, WA", "2019 - Present"),
        ("Bastyr University Clinic", "Outpatient Dietitian", "Kenmore, WA", "2016 - 2019"),
    ]
    assert _bullets(jobs[0])[0] == (
        "Assessed nutrition needs of 25 inpatients a day across surgical and oncology units"
    )
    cert = _items(result, "certifications")[0]
    assert (cert["name"], cert["issuer"], cert["date"]) == (
        "Registered Dietitian Nutritionist (RDN)", "Commission on Dietetic Registration", "2016"
    )  # fmt: skip
    assert [i["name"] for i in _items(result, "interests")] == ["Hiking", "Ceramics"]
    assert result.unplaced == []


def test_every_imported_value_is_text_of_the_source() -> None:
    """Nothing invented: each stored field value appears in the source document's text."""
    from finetune.documents.text import iter_text_fields

    for name, source in [("t.txt", samples.TEXT), ("m.md", samples.MARKDOWN)]:
        flat = " ".join(source.replace("*", "").split())
        for path, value in iter_text_fields(import_resume(name, source.encode()).resume):
            for piece in value.replace("- ", "\n").splitlines():
                if piece.strip() and not path.endswith("keywords"):
                    assert " ".join(piece.split()) in flat, (path, piece)
