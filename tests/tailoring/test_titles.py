"""Job-title similarity with canonicalised tokens."""

from __future__ import annotations

from finetune.tailoring.titles import title_similarity, title_tokens


def test_abbreviations_and_synonyms_are_canonical() -> None:
    """ "Sr. Software Dev" and "Senior Software Engineer" share every token."""
    assert title_tokens("Sr. Software Dev") == title_tokens("Senior Software Engineer")


def test_best_candidate_wins() -> None:
    """The closest of headline and past positions decides."""
    assert title_similarity("Staff Accountant", ["Bookkeeper", "Staff Accountant II"]) == 1.0


def test_seniority_words_weigh_less_than_the_role() -> None:
    """Sharing the role but not the seniority beats sharing only the seniority."""
    role_only = title_similarity("Senior Nurse", ["Nurse"])
    seniority_only = title_similarity("Senior Nurse", ["Senior Accountant"])
    assert role_only is not None and seniority_only is not None
    assert role_only > seniority_only


def test_empty_title_is_not_scored() -> None:
    """A job without a title has no title component."""
    assert title_similarity("", ["Engineer"]) is None
    assert title_similarity("Of the", ["Engineer"]) is None
