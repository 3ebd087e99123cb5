"""Where a job ad names its title, and how the title line is trimmed to the role.

The rules are documented in ``docs/scoring.md`` (Job analysis, Title).
"""

from __future__ import annotations

import re

from finetune.tailoring.jd_patterns import HEADING_MARKUP, heading_context

_ROLE_NOUNS = (
    "engineer", "developer", "nurse", "accountant", "teacher", "manager", "analyst",
    "specialist", "coordinator", "designer", "scientist", "representative", "associate",
    "director", "officer", "assistant", "administrator", "consultant", "technician", "clerk",
    "driver", "operator", "supervisor", "lead", "architect", "writer", "paralegal", "attorney",
    "lawyer", "recruiter", "planner", "executive", "therapist", "pharmacist", "physician",
    "tutor", "instructor", "educator", "agent", "strategist", "marketer", "bookkeeper",
    "controller", "auditor", "programmer", "tester", "intern", "worker", "handler",
    "dispatcher", "buyer", "editor", "producer", "head", "partner", "advisor", "counselor",
    "generalist", "scheduler", "estimator", "inspector", "mechanic", "electrician", "chef",
    "cook", "cashier", "receptionist", "secretary", "professor", "aide", "medic", "paramedic",
    "hygienist", "technologist", "devops", "owner", "president", "vp", "cfo", "cto", "mgr",
    "researcher", "artist", "librarian", "midwife", "dietitian", "nutritionist", "surgeon",
    "dentist", "veterinarian", "psychologist", "social worker", "caregiver", "housekeeper",
    "associate", "banker", "underwriter", "adjuster", "broker", "trader", "economist",
    "statistician", "actuary", "translator", "interpreter", "investigator", "steward",
)  # fmt: skip
# Role abbreviations, matched in capitals only ("RN", not "rn"; "PM", not "pm").
_ROLE_ABBREVIATIONS = (
    "RN", "LPN", "LVN", "CNA", "NP", "PA", "CRNA", "EMT", "PM", "APM", "TPM", "AE", "SDR", "BDR",
    "SRE", "SWE", "QA", "EA", "HRBP", "CPA", "CSM", "AM", "BA", "PT", "OT", "RT",
)  # fmt: skip
_ROLE = (
    r"(?:\b(?i:" + "|".join(_ROLE_NOUNS) + r")s?\b"
    r"|\b(?:" + "|".join(_ROLE_ABBREVIATIONS) + r")s?\b)"
)
_ROLE_RE = re.compile(_ROLE)
# A label opens a line: "Job title: …", "Position: …", "Role: …" (dashes only after "job title").
_TITLE_LABEL_RE = re.compile(
    r"^\W*(?:(?i:job\s+title|position\s+title)\s*[:–—-]|(?i:position|role|title|job)\s*:)"
    r"\s*(.{2,100})$",
    re.MULTILINE,
)
_HIRING_RE = re.compile(
    r"\b(?i:looking for|seeking|hiring|searching for|recruiting)\s+"
    r"(?i:an?\s+|the\s+|our\s+next\s+)?"
    r"((?:[\w/&+.'-]+\s+){0,5}?[\w/&+.-]*?" + _ROLE + r")"
)
_TITLE_ADJECTIVES_RE = re.compile(
    r"^(?:(?:experienced|talented|skilled|motivated|passionate|dedicated|driven|dynamic|"
    r"highly|self-motivated|detail-oriented|enthusiastic|compassionate|new|exceptional)\s+)+",
    re.IGNORECASE,
)
# Tails that say where, when or for whom, not what the role is: "at Acme", "@ Acme", "| Acme",
# any "(…)", and dash or comma parts at the end naming a schedule, work mode, place or company.
_TITLE_AT_RE = re.compile(r"\s+(?:at|@|\|)\s+.*$|\s*\(.*$", re.IGNORECASE)
_PART_SEPARATOR_RE = re.compile(r"(\s+[-–—]\s+|,\s*)")
_CIRCUMSTANCE_RE = re.compile(
    r"\b(?:shifts?|nights?|days?|evenings?|weekends?|nocs?|full[\s-]?time|part[\s-]?time|prn|"
    r"per diem|contract|contractor|temporary|temp|seasonal|remote|hybrid|on[\s-]?site|"
    r"in[\s-]office|relocation|sign[\s-]on bonus|usa?|uk|emea|apac|latam|inc|llc|ltd|corp|"
    r"gmbh|co|company|req|job id|\d{3,})\b|#",
    re.IGNORECASE,
)
_US_STATES = frozenset(
    (
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN",
        "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH",
        "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
        "VT", "VA", "WA", "WV", "WI", "WY",
    )
)  # fmt: skip
_TITLE_MAX_WORDS = 10
_TITLE_LINES = 3  # an ad may open with its company's name before the title line


def _clean_title(candidate: str) -> str:
    title = candidate.strip().strip(HEADING_MARKUP + ".:")
    parts = _PART_SEPARATOR_RE.split(_TITLE_AT_RE.sub("", title).strip())
    while len(parts) > 1:
        last = parts[-1].strip()
        if last in _US_STATES:  # "Dallas, TX": the state takes its city with it
            del parts[-4 if len(parts) >= 5 else -2 :]
        elif _CIRCUMSTANCE_RE.search(last):
            del parts[-2:]
        else:
            break
    title = "".join(parts)
    return _TITLE_ADJECTIVES_RE.sub("", title).strip().strip(HEADING_MARKUP + ",.:")


def _singular(title: str) -> str:
    """ "registered nurses" → "registered nurse": a hiring sentence may name the role plural."""
    head, _, last = title.rpartition(" ")
    if last.lower().endswith("s") and _ROLE_RE.fullmatch(last) and _ROLE_RE.fullmatch(last[:-1]):
        return f"{head} {last[:-1]}".strip()
    return title


def _is_title_line(line: str) -> bool:
    return (
        len(line.split()) <= _TITLE_MAX_WORDS
        and not line.endswith((".", "!", "?"))
        and _ROLE_RE.search(line) is not None
        and heading_context(line) is None
    )


def detect_title(text: str) -> str:
    """The job title: a "Title:" label, else a short line naming a role among the first lines,
    else the role in "we are looking for a …"; empty when none of these is present."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    label = _TITLE_LABEL_RE.search("\n".join(lines[:10]))
    if label and len(label[1].split()) <= _TITLE_MAX_WORDS:
        return _clean_title(label[1])
    for line in lines[:_TITLE_LINES]:
        if _is_title_line(line):
            return _clean_title(line)
        if line.endswith((".", "!", "?")):
            break  # the prose has started: a later short line is a heading or a list item
    hiring = _HIRING_RE.search(text)
    if hiring:
        return _singular(_clean_title(hiring[1]))
    return ""
