"""One requirement per thing asked: "X or Y" alternatives, examples, and merging across the ad."""

from __future__ import annotations

import pytest

from finetune.tailoring.jd import Requirement, analyze_job


def asked(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(r.term, r.alternatives) for r in analyze_job(f"Requirements:\n- {text}").requirements]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Python or Go.", [("Python", ("Go",))]),
        ("Python and/or Go.", [("Python", ("Go",))]),
        ("Python, Go, or Rust.", [("Python", ("Go", "Rust"))]),
        ("Tableau, Power BI or Looker.", [("Tableau", ("Power BI", "Looker"))]),
        ("a BSN or ADN.", [("BSN", ("Associate Degree in Nursing",))]),
        ("Tableau or a similar BI tool.", [("Tableau", ("Business Intelligence",))]),
    ],
)
def test_or_list_is_one_requirement_with_alternatives(
    text: str, expected: list[tuple[str, tuple[str, ...]]]
) -> None:
    """ "X or Y", "X, Y or Z", "X and/or Y" and "X or a similar Y" ask for one thing."""
    assert asked(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Python and Go.", [("Python", ()), ("Go", ())]),
        ("Python, Go, and Rust.", [("Python", ()), ("Go", ()), ("Rust", ())]),
        ("Python, SQL.", [("Python", ()), ("SQL", ())]),
        ("HTML/CSS.", [("HTML", ()), ("CSS", ())]),
    ],
)
def test_and_lists_commas_and_slashes_stay_separate_requirements(
    text: str, expected: list[tuple[str, tuple[str, ...]]]
) -> None:
    """ "Python and Go" is two requirements; a slash is read as "and" too."""
    assert asked(text) == expected


def test_or_pair_inside_an_and_list() -> None:
    """ "SQL, Python or R, and Tableau": the commas belong to the and-list."""
    assert asked("SQL, Python or R, and Tableau.") == [
        ("SQL", ()),
        ("Python", ("R",)),
        ("Tableau", ()),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a BI tool such as Tableau or Looker.",
            [("Business Intelligence", ("Tableau", "Looker"))],
        ),
        (
            "cloud platforms (e.g. AWS, Azure and GCP).",
            [
                (
                    "Cloud Computing",
                    ("Amazon Web Services", "Microsoft Azure", "Google Cloud Platform"),
                )
            ],
        ),
        ("a BI tool (Tableau or Looker).", [("Business Intelligence", ("Tableau", "Looker"))]),
        (
            "edge computing or CDNs such as Cloudflare or Fastly.",
            [("Edge Computing", ("CDN", "Cloudflare", "Fastly"))],
        ),
    ],
)
def test_examples_satisfy_the_requirement_they_illustrate(
    text: str, expected: list[tuple[str, tuple[str, ...]]]
) -> None:
    """ "X such as A or B" and "X (e.g. A, B)" are one requirement: X, or any example."""
    assert asked(text) == expected


def test_bracketed_list_without_or_names_parts_each_asked_for() -> None:
    """ "Excel (pivot tables, VLOOKUP)" asks for all three; "EHR (Epic)" for both."""
    assert asked("Advanced Excel (pivot tables, VLOOKUP).") == [
        ("Microsoft Excel", ()),
        ("Pivot Tables", ()),
        ("VLOOKUP", ()),
    ]
    assert asked("Document in our EHR (Epic).") == [("Electronic Health Records", ()), ("Epic", ())]


def test_alternative_asked_alone_elsewhere_is_its_own_requirement() -> None:
    """A term asked alone covers the "or" ask it is part of, so the alternative is not listed;
    asked alone itself, it is a requirement of its own."""
    job = analyze_job("Requirements:\n- Python.\n- Python or Go.\n")
    assert [(r.term, r.alternatives) for r in job.requirements] == [("Python", ())]
    job = analyze_job("Requirements:\n- Python or Go.\n- Go.\n")
    assert [(r.term, r.alternatives) for r in job.requirements] == [("Go", ())]


def test_weaker_alone_mention_does_not_cover_a_required_or() -> None:
    """ "Python or Go" required and "Python" only preferred: the required ask keeps its head."""
    job = analyze_job("Requirements:\n- Go or Python.\nNice to have:\n- Python.\n")
    assert [(r.term, r.required, r.alternatives) for r in job.requirements] == [
        ("Go", True, ("Python",)),
        ("Python", False, ()),
    ]


def test_or_asks_sharing_a_term_merge() -> None:
    """Two "or" asks that share a term become one requirement."""
    job = analyze_job("Requirements:\n- Python or Go.\n- Go or Rust.\n")
    assert [(r.term, r.alternatives) for r in job.requirements] == [("Python", ("Go", "Rust"))]


def test_spellings_are_how_the_ad_writes_the_term_and_its_alternatives() -> None:
    """First mention first, case-insensitively distinct, alternatives' spellings included."""
    job = analyze_job("Requirements:\n- k8s or Docker.\n- Docker, Kubernetes or K8S.\n")
    [kubernetes] = job.requirements
    assert kubernetes == Requirement(
        "Kubernetes", "hard", True, ("k8s", "Docker", "Kubernetes"), ("Docker",)
    )


def test_overlapping_mentions_are_separate_requirements() -> None:
    """ "patient care plans" asks for patient care and care plans."""
    assert asked("Develop patient care plans.") == [("Patient Care", ()), ("Care Planning", ())]
