"""Sample resumes for tests: one with every section filled, and one whose length is a parameter;
``without_ids`` for comparing two resumes read from the same source."""

from __future__ import annotations

from typing import Any

from finetune.documents.schema import (
    AwardItem,
    Basics,
    CertificationItem,
    CustomField,
    EducationItem,
    ExperienceItem,
    InterestItem,
    LanguageItem,
    ProfileItem,
    ProjectItem,
    PublicationItem,
    ReferenceItem,
    ResumeData,
    SkillItem,
    Url,
    VolunteerItem,
)


def full_resume() -> tuple[ResumeData, list[str]]:
    """A resume with every section filled, and the texts it must show, in reading order."""
    basics = Basics(
        name="Zoë Łukasiewicz-Ñúñez",
        headline="Senior Platform Engineer",
        email="zoe@example.com",
        phone="+49 30 1234567",
        location="Berlin, Germany",
        url=Url(label="Site", href="https://zoe.example.com"),
        customFields=[CustomField(name="Citizenship", value="EU citizen")],
    )
    r = ResumeData(basics=basics)
    s = r.sections
    s.profiles.items = [
        ProfileItem(network="GitHub", username="zoe", url=Url(href="github.com/zoe"))
    ]
    s.summary.content = "Platform engineer who makes deploys boring."
    s.experience.items = [
        ExperienceItem(
            company="Acme Robotics",
            position="Staff Engineer",
            location="Berlin",
            date="Mar 2021 – Present",
            summary="Led the platform team.\n- Cut deploy time from 40 to 6 minutes\n"
            "- Migrated 120 services to Kubernetes",
        ),
        ExperienceItem(
            company="Globex GmbH",
            position="Backend Developer",
            date="2017 – 2021",
            summary="- Built the billing API in Python",
        ),
    ]
    s.education.items = [
        EducationItem(
            institution="TU München",
            studyType="MSc",
            area="Computer Science",
            date="2015 – 2017",
            score="1.3",
        )
    ]
    s.skills.items = [
        SkillItem(name="Languages", keywords=["Python", "Go", "SQL"]),
        SkillItem(name="Infrastructure", description="Expert", keywords=["Kubernetes"]),
    ]
    s.projects.items = [
        ProjectItem(
            name="Flowmeter",
            description="Open-source load tester",
            date="2022",
            summary="- 2k stars on GitHub",
            keywords=["Rust", "gRPC"],
        )
    ]
    s.certifications.items = [
        CertificationItem(name="CKA", issuer="CNCF", date="2022"),
    ]
    s.awards.items = [AwardItem(title="Engineer of the Year", awarder="Acme", date="2023")]
    s.publications.items = [
        PublicationItem(name="Boring Deploys", publisher="ACM Queue", date="2024")
    ]
    s.volunteer.items = [
        VolunteerItem(organization="Code Club", position="Mentor", date="2019 – 2022")
    ]
    s.languages.items = [
        LanguageItem(name="German", description="Native"),
        LanguageItem(name="Spanish", description="Fluent"),
    ]
    s.interests.items = [InterestItem(name="Climbing", keywords=["bouldering"])]
    s.references.items = [ReferenceItem(name="Dr. Ada Park", description="CTO, Acme Robotics")]
    expected = [
        "Zoë Łukasiewicz-Ñúñez",
        "Senior Platform Engineer",
        "zoe@example.com",
        "+49 30 1234567",
        "Berlin, Germany",
        "zoe.example.com",
        "github.com/zoe",
        "EU citizen",
        "Summary",
        "Platform engineer who makes deploys boring.",
        "Experience",
        "Staff Engineer · Acme Robotics",
        "Mar 2021 – Present · Berlin",
        "Led the platform team.",
        "Cut deploy time from 40 to 6 minutes",
        "Migrated 120 services to Kubernetes",
        "Backend Developer · Globex GmbH",
        "2017 – 2021",
        "Built the billing API in Python",
        "Education",
        "TU München · MSc in Computer Science",
        "2015 – 2017 · 1.3",
        "Skills",
        "Languages: Python, Go, SQL",
        "Infrastructure (Expert): Kubernetes",
        "Projects",
        "Flowmeter · Open-source load tester",
        "2k stars on GitHub",
        "Rust, gRPC",
        "Certifications",
        "CKA · CNCF",
        "Awards",
        "Engineer of the Year · Acme",
        "Publications",
        "Boring Deploys · ACM Queue",
        "Volunteering",
        "Mentor · Code Club",
        "Languages",
        "German (Native)",
        "Spanish (Fluent)",
        "Interests",
        "Climbing: bouldering",
        "References",
        "Dr. Ada Park · CTO, Acme Robotics",
    ]
    return r, expected


def long_resume(jobs: int, summary_paragraphs: int = 1) -> ResumeData:
    """A resume whose length grows with ``jobs`` (a title, a date and 4 bullets each) and with
    ``summary_paragraphs`` (one line each), which shifts where the page breaks fall."""
    r = ResumeData(basics=Basics(name="Sam Long", headline="Engineer"))
    r.sections.summary.content = "\n\n".join(
        f"Summary paragraph {n}." for n in range(summary_paragraphs)
    )
    r.sections.experience.items = [
        ExperienceItem(
            company=f"Company {n}",
            position=f"Engineer {n}",
            date=f"{2000 + n} – {2001 + n}",
            summary="\n".join(
                f"- Delivered project {n}.{b} on time and under budget" for b in range(4)
            ),
        )
        for n in range(jobs)
    ]
    r.sections.education.items = [EducationItem(institution="State University", area="Physics")]
    r.sections.skills.items = [SkillItem(name="Tools", keywords=["Python", "SQL"])]
    return r


def without_ids(value: Any) -> Any:
    """A dumped resume without its item ids, which are random per import or conversion."""
    if isinstance(value, dict):
        return {key: without_ids(item) for key, item in value.items() if key != "id"}
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    return value
