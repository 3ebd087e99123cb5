"""Job-title similarity with canonicalised tokens."""

from __future__ import annotations

import pytest

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


def test_role_abbreviations_expand_to_the_full_title() -> None:
    """ "RN", "AE", "SDR", "TPM" and "HRBP" share every token with their spelled-out titles."""
    assert title_tokens("RN") == title_tokens("Registered Nurse")
    assert title_tokens("Sr. AE") == title_tokens("Senior Account Executive")
    assert title_tokens("SDR") == title_tokens("Sales Development Representative")
    assert title_tokens("TPM") == title_tokens("Technical Program Manager")
    assert title_tokens("HRBP") == title_tokens("Human Resources Business Partner")
    assert title_tokens("ER Nurse") == title_tokens("Emergency Nurse")


def test_specialty_after_a_dash_or_comma_weighs_half() -> None:
    """A nurse from another unit still holds the role: "Registered Nurse" matches two thirds of
    "RN – Emergency Department", and a product manager two thirds of "Senior Product Manager,
    Payments" (seniority and team each weigh half)."""
    assert title_similarity("RN – Emergency Department", ["Registered Nurse"]) == pytest.approx(
        2 / 3
    )
    assert title_similarity("Senior Product Manager, Payments", ["Product Manager"]) == (
        pytest.approx(2 / 3)
    )
    assert title_similarity("RN – Emergency Department", ["ER RN"]) == pytest.approx(2.5 / 3)
