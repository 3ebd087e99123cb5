"""What the vocabulary counts as evidence of a job's ask when the resume words it differently.

Every rule here is a general truth, not one resume's reading: a synonym is the same thing in other
words, an implication is evidence that holds for any resume, and related-but-different things
stay apart (the pairs under tests/data/pairs exercise them end to end).
"""

from __future__ import annotations

import pytest

from finetune.tailoring.vocabulary import default_vocabulary


def names(text: str) -> list[str]:
    return [term.name for term in default_vocabulary().find(text)]


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("Troubleshoot 480V 3-phase motor circuits", "Three-Phase Power"),
        ("Read blueprints and one-line diagrams", "Blueprint Reading"),
        ("Moderated think-aloud sessions with 6 travelers", "Usability Testing"),
        ("Lifted conversion 6.8% in an online experiment with 2M users", "A/B Testing"),
        ("Designed 25 pricing and onboarding experiments", "A/B Testing"),
        ("Split a monolith into 5 independently deployed services", "Microservices"),
        ("Defined 99.95% availability objectives for 12 services", "Service Level Objectives"),
        ("Added multi-window burn-rate alerts", "Error Budgets"),
        ("Migrated the checkout to React with TS", "TypeScript"),
        ("Hand off website bugs to the engineering team in Jira", "Escalation Management"),
        ("Led a 6-week bake-off of 3 SD-WAN vendors", "Proofs of Concept"),
        ("Maintained 2,400 line items across 3 cyclic counts a year", "Cycle Counting"),
        ("Retired Army logistics NCO", "Military Logistics"),
        ("Provided at-the-elbow support during the Epic conversion", "Go-Live Support"),
        ("Built trial binders and exhibit lists for 3 jury trials", "Trial Preparation"),
        ("Run daily kitchen operations for 24 cooks", "Back-of-House Operations"),
        ("Clinical-stage biotech, listed on Nasdaq in 2020", "Publicly Traded Company"),
        ("Booked multi-city itineraries in the US and Japan", "Travel Arrangements"),
        ("Run first-week orientation for every new hire", "Employee Onboarding"),
        ("Investigate and document associate complaints", "Employee Relations"),
        ("Execute planogram resets and seasonal floor sets", "Visual Merchandising"),
        ("Shrink control and receiving audits", "Loss Prevention"),
        ("Coach the team on conversion, UPT and average ticket", "Units per Transaction"),
        ("Closed 118% of a $780K new-business target", "Quota Attainment"),
        ("Own deals from first call to signature", "Full-Cycle Sales"),
        ("Prepared schedules for the annual external audit", "Financial Statement Audit"),
        ("Lead capital expenditure (capex) analysis", "Capital Budgeting"),
    ],
)
def test_the_same_thing_in_other_words_states_the_term(text: str, term: str) -> None:
    """A true synonym (another spelling, the trade's own word for the same work) names the term."""
    assert term in names(text)


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("Hand off designs to the engineering team", "Escalation Management"),
        ("Won the office bake-off two years running", "Proofs of Concept"),
        ("Served as the POC for three vendors", "Proofs of Concept"),
        ("Debugged heap memory and stack traces in the JVM", "Heap Analytics"),
        ("Active TS clearance", "TypeScript"),
        ("ASCP CLS certified clinical laboratory scientist", "Cumulative Layout Shift"),
        ("Completed UPT at Vance AFB", "Units per Transaction"),
        ("Diligent and detail-oriented assistant", "Diligent"),
        ("Studied norepinephrine reuptake in the brain", "Norepinephrine"),
        ("Filed tax returns through IRS e-filing", "Court E-Filing"),
        ("Ran experiments on cell cultures", "A/B Testing"),
        ("Screened rental applicants for 40 units", "Recruiting"),
        ("Customer onboarding for new accounts", "Employee Onboarding"),
        ("Designed pricing and onboarding experiments", "Employee Onboarding"),
        ("We hire without regard to sexual orientation", "Employee Onboarding"),
        ("Supported the ISO 9001 external audit", "Financial Statement Audit"),
        ("Performance budgets for city agencies", "Performance Budgets"),
        ("Redis Pub/Sub for cache invalidation", "Pub/Sub"),
        ("Go online with ControlLogix to trace faults", "Go"),
        ("F5 LTM/GTM with wide-IP failover", "Go-to-Market Strategy"),
        ("Recorded voiceover for 40 lesson videos", "VoiceOver"),
        ("Sensitivity, specificity, PPV and NPV of the assay", "Net Present Value"),
        ("ITIL event management and alert triage", "Event Planning"),
        ("Built marketing sites on Optimizely CMS", "Optimizely"),
        ("Independent audit of our SOC 2 controls", "Financial Statement Audit"),
    ],
)
def test_ambiguous_new_spellings_stay_out_of_other_senses(text: str, absent: str) -> None:
    """The guarded spellings behind the new synonyms do not fire in another trade's sentence."""
    assert absent not in names(text)


@pytest.mark.parametrize(
    ("specific", "not_general"),
    [
        ("XLOOKUP", "VLOOKUP"),
        ("Everlaw", "Relativity"),
        ("Dentrix", "Eaglesoft"),
        ("Expensify", "Concur"),
        ("Freshdesk", "Zendesk"),
        ("GCSS-Army", "SAP"),
        ("UKG", "HRIS"),
        ("ControlLogix", "PLC Troubleshooting"),
        ("Web Accessibility", "WCAG"),
        ("Jira", "PPM Tools"),
        ("Storybook", "Design Systems"),
        ("Next.js", "Server-Side Rendering"),
        ("User Interviews", "Product Discovery"),
    ],
)
def test_related_is_not_evidence(specific: str, not_general: str) -> None:
    """Only always-true evidence is an implication: Everlaw is not Relativity, Kronos is not an
    HRIS, PLC hardware is not troubleshooting, accessibility work is not WCAG conformance."""
    vocabulary = default_vocabulary()
    assert vocabulary.get(specific) is not None and vocabulary.get(not_general) is not None
    assert not_general not in vocabulary.implied([specific])


def test_a_list_entry_naming_two_certifications_names_both() -> None:
    """ "BLS/CPR" is two certifications: were it one alias, writing it the job's way would drop
    CPR from the resume."""
    assert names("BLS/CPR certified; First Aid/CPR") == ["Basic Life Support", "CPR", "First Aid"]
