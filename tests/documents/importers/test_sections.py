"""The section parser on plain lines: heading wordings, dates, contact details, entries, skills."""

from __future__ import annotations

import pytest

from finetune.documents.importers import fields
from finetune.documents.importers.extract import extract_markdown_lines, extract_text_lines
from finetune.documents.importers.sections import heading_section, parse_lines
from finetune.documents.schema import ResumeData


def _parse(text: str) -> tuple[ResumeData, list[str]]:
    return parse_lines(extract_text_lines(text))


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("Experience", "experience"), ("WORK HISTORY", "experience"),
        ("Professional Experience:", "experience"), ("Employment", "experience"),
        ("Education", "education"), ("Academic Background", "education"),
        ("Skills", "skills"), ("Technical Skills", "skills"), ("Core Competencies", "skills"),
        ("Summary", "summary"), ("Profile", "summary"), ("About Me", "summary"),
        ("Certifications", "certifications"), ("Licenses & Certifications", "certifications"),
        ("Projects", "projects"), ("Honors and Awards", "awards"),
        ("Publications", "publications"), ("Volunteer Experience", "volunteer"),
        ("Languages", "languages"), ("Hobbies & Interests", "interests"),
        ("References", "references"), ("Links", "profiles"),
    ],
)  # fmt: skip
def test_heading_wordings(heading: str, section: str) -> None:
    """Each usual wording of a heading opens the right section."""
    assert heading_section(heading) == section


@pytest.mark.parametrize("text", ["Languages: Python, Go", "Experience with Kubernetes", "x" * 60])
def test_lines_that_are_not_headings(text: str) -> None:
    """A heading word inside content does not open a section."""
    assert heading_section(text) is None


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Acme · Jan 2020 – Present", "Jan 2020 – Present"),
        ("Acme, January 2019 to March 2021", "January 2019 to March 2021"),
        ("Acme 2019-2021", "2019-2021"),
        ("Acme | 03/2018 - 06/2020", "03/2018 - 06/2020"),
        ("Acme (2018.03 – 2019.11)", "2018.03 – 2019.11"),
        ("Intern, Summer 2019", "Summer 2019"),
        ("Acme — Sept. 2015 - current", "Sept. 2015 - current"),
        ("Graduated 2017", "2017"),
    ],
)
def test_date_formats(line: str, date: str) -> None:
    """Date ranges in the common formats are found and kept as written."""
    match = fields.find_date(line)
    assert match is not None and match.group(0) == date


def test_numbers_in_text_are_not_dates() -> None:
    """Counts, money and fiscal years are not mistaken for dates."""
    assert fields.find_date("Processed 1099 filings for $2,300 in FY2023 at 12 sites") is None


def test_header_contact_details_and_profiles() -> None:
    """Name, headline, email, phone, location, website and profiles from the top lines."""
    resume, unplaced = _parse(
        "Jane Q. Doe\nData Engineer\n"
        "Email: jane@example.com | Phone: +1 (415) 555-0100 | San Francisco, CA\n"
        "https://janedoe.dev · linkedin.com/in/janedoe · github.com/jdoe\n"
        "EXPERIENCE\nAcme Corp — Data Engineer — 2020 – Present\n- Built pipelines\n"
    )
    basics = resume.basics
    assert (basics.name, basics.headline, basics.email, basics.phone, basics.location) == (
        "Jane Q. Doe", "Data Engineer", "jane@example.com", "+1 (415) 555-0100", "San Francisco, CA"
    )  # fmt: skip
    assert basics.url.href == "https://janedoe.dev"
    profiles = [(p.network, p.username) for p in resume.sections.profiles.items]
    assert profiles == [("LinkedIn", "janedoe"), ("GitHub", "jdoe")]
    job = resume.sections.experience.items[0]
    assert (job.company, job.position, job.date) == ("Acme Corp", "Data Engineer", "2020 – Present")
    assert unplaced == []


def test_three_line_entries_and_numbered_bullets() -> None:
    """Company / title / dates on separate lines; numbered items are bullets."""
    resume, _ = _parse(
        "Sam Lee\nExperience\nNorthwind Traders\nOperations Manager\nMay 2015 - Jun 2019\n"
        "1. Ran two warehouses\n2) Hired 12 people\nBlue Yonder Inc.\nAnalyst\n2012 - 2015\n"
        "• Forecast demand\n"
    )
    jobs = resume.sections.experience.items
    assert [(j.company, j.position, j.date) for j in jobs] == [
        ("Northwind Traders", "Operations Manager", "May 2015 - Jun 2019"),
        ("Blue Yonder Inc.", "Analyst", "2012 - 2015"),
    ]
    assert jobs[0].summary == "- Ran two warehouses\n- Hired 12 people"


def test_education_degree_area_and_score() -> None:
    """School, degree split into studyType and area, dates and GPA."""
    resume, _ = _parse(
        "Sam Lee\nEducation\nBachelor of Arts in History, Reed College, 2008 - 2012, GPA 3.8\n"
    )
    school = resume.sections.education.items[0]
    assert (school.institution, school.studyType, school.area, school.date, school.score) == (
        "Reed College", "Bachelor of Arts", "History", "2008 - 2012", "GPA 3.8"
    )  # fmt: skip


def test_skill_lines_groups_and_plain_lists() -> None:
    """Labelled lines become groups with keywords; unlabelled lists one skill each."""
    resume, _ = _parse(
        "Sam Lee\nSkills\nProgramming (Advanced): Python, Go; Rust\nExcel, Tableau (Expert)\n"
    )
    skills = [(s.name, s.description, s.level, s.keywords) for s in resume.sections.skills.items]
    assert skills == [
        ("Programming", "Advanced", 4, ["Python", "Go", "Rust"]),
        ("Excel", "", 0, []),
        ("Tableau", "Expert", 5, []),
    ]


def test_unknown_sections_are_unplaced() -> None:
    """Text under a heading we do not know is reported, not dropped and not forced into a field."""
    lines = [
        *extract_text_lines("Sam Lee\nSkills\nPython"),
        *extract_markdown_lines("## Teaching Philosophy\nStudents first.\n- Ask, then tell"),
    ]
    resume, unplaced = parse_lines(lines)
    assert unplaced == ["Teaching Philosophy", "Students first.", "- Ask, then tell"]
    assert [s.name for s in resume.sections.skills.items] == ["Python"]
