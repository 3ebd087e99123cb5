"""The skills vocabulary: aliases, false positives, implications and data integrity."""

from __future__ import annotations

import pytest

from finetune.errors import ValidationError
from finetune.tailoring.vocabulary import Term, Vocabulary, default_vocabulary, parse_terms


def names(text: str) -> list[str]:
    return [term.name for term in default_vocabulary().find(text)]


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("k8s", "Kubernetes"),
        ("JS", "JavaScript"),
        ("RN", "Registered Nurse"),
        ("golang", "Go"),
        ("CPA", "Certified Public Accountant"),
        ("PMP", "Project Management Professional"),
        ("WMS", "Warehouse Management Systems"),
        ("SEO", "Search Engine Optimization"),
        ("IEP", "Individualized Education Program"),
        ("BLS", "Basic Life Support"),
    ],
)
def test_alias_resolves_to_canonical_term(alias: str, canonical: str) -> None:
    """Common abbreviations are found and named by their canonical label."""
    assert names(f"Experience with {alias} required.") == [canonical]
    term = default_vocabulary().get(alias)
    assert term is not None and term.name == canonical


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Build our go-to-market plan and go to market fast", "Go"),
        ("Ready to go when the shift starts", "Go"),
        ("Excellent written skills, excels under pressure", "Microsoft Excel"),
        ("Senior JavaScript engineer", "Java"),
        ("Investment in R&D and AT&T partnerships", "R"),
        ("Report to C-level executives and the C-suite", "C"),
        ("Vitamin C and Class C licences", "C"),
        ("Measure 5 ml doses", "Machine Learning"),
        ("We react quickly to customer feedback", "React"),
        ("Our turnaround time is short", "Registered Nurse"),
        ("An epic journey with a swift team", "Epic"),
        ("Visit example.go or github.com/r", "Go"),
    ],
)
def test_no_false_positive(text: str, absent: str) -> None:
    """Short or ambiguous names do not match ordinary words, parts of words or other terms."""
    assert absent not in names(text)


def test_case_sensitive_short_names_still_match_when_written_as_skills() -> None:
    """ "Go", "R" and "C" match as languages when capitalised and standing alone."""
    assert names("Services in Go, analysis in R, drivers in C.") == ["Go", "R", "C"]


def test_longest_alias_wins() -> None:
    """ "C++" is not read as "C", "React Native" not as "React"."""
    assert names("C++ and React Native apps") == ["C++", "React Native"]


def test_find_returns_distinct_terms_in_order_of_first_appearance() -> None:
    """Repeated mentions and aliases of one term collapse into its first position."""
    assert names("Kubernetes, Python, k8s, python3 and Docker") == [
        "Kubernetes",
        "Python",
        "Docker",
    ]


def test_separators_and_apostrophes_are_normalised() -> None:
    """Hyphens, line breaks and typographic apostrophes do not hide a term."""
    assert names("machine-learning, machine\nlearning, valid driver’s license") == [
        "Machine Learning",
        "Driver's License",
    ]


def test_implied_is_transitive_and_excludes_inputs() -> None:
    """EKS evidences Kubernetes, AWS, containers and cloud; the inputs are not repeated."""
    implied = default_vocabulary().implied(["Amazon EKS", "Kubernetes"])
    assert {"Amazon Web Services", "Containerization", "Cloud Computing"} <= implied
    assert "Amazon EKS" not in implied and "Kubernetes" not in implied
    assert default_vocabulary().implied(["Django"]) == {"Python"}


def test_default_vocabulary_covers_many_professions() -> None:
    """Several hundred terms across software, healthcare, finance, teaching, logistics and more."""
    vocabulary = default_vocabulary()
    fields = {term.field for term in vocabulary}
    assert len(vocabulary) >= 500
    assert {"software", "healthcare", "accounting", "teaching", "logistics", "marketing"} <= fields
    assert {"management", "data", "sales", "hr", "design", "legal", "general"} <= fields
    assert {term.kind for term in vocabulary} == {"hard", "soft", "certification"}


def test_get_accepts_canonical_names_and_is_case_insensitive_for_long_aliases() -> None:
    """Lookup by name or alias; short aliases keep their case."""
    vocabulary = default_vocabulary()
    assert vocabulary.get("kubernetes") is vocabulary.get("Kubernetes")
    assert vocabulary.get("go") is None
    assert vocabulary.get("no such skill") is None


def _term(name: str, aliases: tuple[str, ...] = (), implies: tuple[str, ...] = ()) -> Term:
    return Term(name=name, kind="hard", aliases=aliases, implies=implies, field="test")


def test_alias_naming_two_terms_is_rejected() -> None:
    """A vocabulary where one alias would mean two things fails to load."""
    with pytest.raises(ValidationError, match="names both"):
        Vocabulary([_term("Alpha", ("ab",)), _term("Beta", ("ab",))])


def test_unknown_implication_is_rejected() -> None:
    """`implies` must name terms that exist."""
    with pytest.raises(ValidationError, match="implies unknown"):
        Vocabulary([_term("Alpha", implies=("Gamma",))])


def test_parse_terms_reads_columns_and_markers() -> None:
    """TSV rows give name, kind, aliases and implications; "=" marks a case-sensitive alias."""
    terms, exact = parse_terms("# comment\nFoo\thard\t=Fo|foo lang\tBar\nBar\tsoft\n", "x")
    assert terms[0] == Term("Foo", "hard", ("Fo", "foo lang"), ("Bar",), "x")
    assert terms[1] == Term("Bar", "soft", (), (), "x")
    assert exact == {"Fo"}


def test_parse_terms_rejects_bad_kind() -> None:
    """A typo in the kind column is a clear error naming the line."""
    with pytest.raises(ValidationError, match="line 1"):
        parse_terms("Foo\thardskill\n", "x")


def test_ignored_phrase_hides_the_term_inside_it() -> None:
    """An ignore-list phrase covers its text so the shorter term in it is not found."""
    vocabulary = Vocabulary([_term("Zed", ("zed",))], ignored=("zed free",))
    assert vocabulary.find("zed free zone, zed") == [vocabulary.get("Zed")]
    assert len(vocabulary.spans("zed free zone")) == 0


def test_text_whose_lower_case_changes_length_is_still_matched_in_place() -> None:
    """Offsets stay right for text such as "İ" whose lower-casing adds a character."""
    text = "İstanbul team: Kubernetes"
    [(start, end, term)] = default_vocabulary().spans(text)
    assert term.name == "Kubernetes" and text[start:end] == "Kubernetes"
