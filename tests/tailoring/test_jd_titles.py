"""Job-title detection: labels, first lines with role nouns or abbreviations, hiring sentences."""

from __future__ import annotations

import pytest

from finetune.tailoring.jd import analyze_job, detect_title


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Job Title: Staff Accountant\nWe close the books.", "Staff Accountant"),
        ("Senior Software Engineer at Acme\nAbout us", "Senior Software Engineer"),
        (
            "We are looking for a compassionate Registered Nurse to join our ICU.",
            "Registered Nurse",
        ),
        ("Great company. Great people.", ""),
    ],
)
def test_title_detection(text: str, title: str) -> None:
    """Title from a label, a short first line naming a role, or a hiring sentence."""
    assert analyze_job(text).title == title


@pytest.mark.parametrize(
    ("first_line", "title"),
    [
        ("RN – Emergency Department (Nights)", "RN – Emergency Department"),
        ("Senior PM", "Senior PM"),
        ("Sr. PM, Growth (Remote)", "Sr. PM, Growth"),
        ("TPM – Infrastructure", "TPM – Infrastructure"),
        ("AE, Mid-Market", "AE, Mid-Market"),
        ("SDR - Remote", "SDR"),
        ("CNA - Night Shift", "CNA"),
        ("HRBP, Engineering", "HRBP, Engineering"),
        ("Mgr, Store Operations - Dallas, TX", "Mgr, Store Operations"),
        ("Registered Nurse - ICU - Nights", "Registered Nurse - ICU"),
        ("UX Designer, Contract", "UX Designer"),
        ("Product Designer | Acme", "Product Designer"),
        ("Product Designer - Acme Inc", "Product Designer"),
    ],
)
def test_title_line_with_role_abbreviation_keeps_its_specialty(first_line: str, title: str) -> None:
    """Role abbreviations (RN, PM, TPM, AE, SDR, CNA, HRBP, Mgr) make a title line; a specialty
    after a dash or comma stays, a schedule, work mode, place or company goes."""
    assert detect_title(f"{first_line}\nAbout the team\nWe build things.") == title


def test_lower_case_abbreviation_is_not_a_role() -> None:
    """ "pm" in lower case is a time, not a product manager."""
    assert detect_title("Shifts end at 5 pm\nWe build things.") == ""


def test_random_capitalised_token_is_never_the_title() -> None:
    """An opening line without a role is skipped; the role comes from the hiring sentence, in
    the singular."""
    text = "IEN Pathway Program\nWe are hiring experienced registered nurses for our ICU."
    assert detect_title(text) == "registered nurse"


def test_title_may_follow_the_company_name() -> None:
    """An ad that opens with its company's name still finds the title line after it."""
    assert detect_title("Acme Health\nCNA - Night Shift\nJoin us.") == "CNA"


def test_label_deep_in_the_ad_is_not_the_title() -> None:
    """A "Role:" line far down the ad is a sentence, not the title label."""
    text = "Line\n" * 12 + "Role: lead our onboarding\nWe are hiring a Data Analyst."
    assert detect_title(text) == "Data Analyst"
