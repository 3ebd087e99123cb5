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


def test_bracketed_details_may_hold_brackets_of_their_own() -> None:
    """The detail is the bracketed group that ends the item, brackets inside it included, as
    our own exports write it: "Spanish (Fluent (kitchen and conversational))"."""
    resume, unplaced = _parse(
        "Sam Lee\nLanguages\n"
        "English (Native), Spanish (Fluent (kitchen and conversational)), "
        "French (Cajun) (Conversational)\n"
        "Skills\nTools (Advanced (daily)): Git, Make\nC++ (modern) (Expert): templates\n"
    )
    languages = [(i.name, i.description, i.level) for i in resume.sections.languages.items]
    assert languages == [
        ("English", "Native", 5),
        ("Spanish", "Fluent (kitchen and conversational)", 4),
        ("French (Cajun)", "Conversational", 3),
    ]
    skills = [(s.name, s.description, s.level, s.keywords) for s in resume.sections.skills.items]
    assert skills == [
        ("Tools", "Advanced (daily)", 4, ["Git", "Make"]),
        ("C++ (modern)", "Expert", 5, ["templates"]),
    ]
    assert unplaced == []


def test_a_title_narrowed_after_a_comma_is_still_the_title() -> None:
    """ "Department Supervisor, Garden Center" is a title (the role comes before the comma), while
    a company with a comma ("Acme, Inc.") still reads as the company."""
    resume, unplaced = _parse(
        "Sam Lee\nExperience\n"
        "Department Supervisor, Garden Center · HomeHarbor Supply\nMar 2018 – Mar 2021\n"
        "- Supervised 14 associates\n"
        "Director, Sales · Northwind Traders\n2015 – 2018\n- Grew revenue\n"
        "Acme, Inc. · Data Wrangler\n2012 – 2015\n- Cleaned data\n"
    )
    jobs = [(j.company, j.position) for j in resume.sections.experience.items]
    assert jobs == [
        ("HomeHarbor Supply", "Department Supervisor, Garden Center"),
        ("Northwind Traders", "Director, Sales"),
        ("Acme, Inc.", "Data Wrangler"),
    ]
    assert unplaced == []


def test_a_dash_inside_a_name_stays_when_dots_or_bars_separate_the_parts() -> None:
    """On a line split by "·" or "|", a dash that would leave a part unplaced is read as part of
    a name; where every part still finds a field, dashes keep separating."""
    resume, unplaced = _parse(
        "Sam Lee\nExperience\n"
        "Assistant Store Manager – People & Operations · HomeHarbor Supply\nApr 2021 – Present\n"
        "- Hired 60 associates a year\n"
        "Software Engineer — Google | Mountain View, CA\n2019 – 2021\n- Built search\n"
        "Certifications\n"
        "AWS Certified Solutions Architect – Associate · Amazon Web Services\nApr 2022\n"
        "Turing Award — ACM — 1983\n"
    )
    jobs = [(j.company, j.position, j.location) for j in resume.sections.experience.items]
    assert jobs == [
        ("HomeHarbor Supply", "Assistant Store Manager – People & Operations", ""),
        ("Google", "Software Engineer", "Mountain View, CA"),
    ]
    certs = [(c.name, c.issuer, c.date) for c in resume.sections.certifications.items]
    assert certs == [
        ("AWS Certified Solutions Architect – Associate", "Amazon Web Services", "Apr 2022"),
        ("Turing Award", "ACM", "1983"),
    ]
    assert unplaced == []


def test_a_headline_with_a_dash_is_one_headline() -> None:
    """A top line with no contact detail on it is read whole: its dash is part of the headline."""
    resume, unplaced = _parse(
        "Brianna Castellanos\nAssistant Store Manager – People & Operations\n"
        "brianna@example.com · (602) 555-0161 · Mesa, AZ\nSkills\nHiring\n"
    )
    assert resume.basics.headline == "Assistant Store Manager – People & Operations"
    assert (resume.basics.email, resume.basics.location) == ("brianna@example.com", "Mesa, AZ")
    assert unplaced == []
