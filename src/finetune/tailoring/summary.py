"""The summary a careful resume writer would write for one job, from the resume's own facts.

It keeps every sentence the person wrote (job skills written the job's way), opens with who they
are when their own first sentence does not ("Registered Nurse with 6 years of experience.", the
years counted from the dates of the roles that carry that title), and adds the achievements
most relevant to the job, taken from their own bullets and told in their own voice ("At Acme, I
cut deploy time…" for a first-person summary, "At Acme, cut deploy time…" otherwise). The
sentences after the opening are ordered by how much they say about what the job asks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from finetune.documents.schema import ExperienceItem, split_bullets
from finetune.tailoring.dates import experience_years
from finetune.tailoring.entities import TITLE_NOUNS
from finetune.tailoring.job_focus import JobFocus
from finetune.tailoring.rewriting import ensure_period, split_sentences, stable_sort_by
from finetune.tailoring.titles import core_title_tokens, title_tokens

_FIRST_PERSON_RE = re.compile(r"\b(?:I|my|me|I'm|I've)\b")
_YEARS_RE = re.compile(r"\byears?\b", re.IGNORECASE)
_IRREGULAR_PAST = frozenset((
    "built", "led", "ran", "wrote", "cut", "won", "grew", "taught", "kept", "set", "made", "drove",
    "sold", "brought", "held", "took", "met", "oversaw", "began", "gave", "found", "spoke", "put",
    "rebuilt", "rewrote", "shot", "sought", "thought", "understood", "upheld", "withheld", "drew",
    "bought", "fought", "lent", "sent", "spent", "stood", "struck", "swept", "wound"
))  # fmt: skip
# Present-tense verbs that open resume bullets of a current role ("Care for 5 patients").
_PRESENT_VERBS = frozenset((
    "administer", "advise", "analyse", "analyze", "answer", "assess", "audit", "balance", "bill",
    "build", "calibrate", "care", "close", "coach", "code", "collaborate", "communicate",
    "compile", "conduct", "configure", "consult", "convert", "cook", "coordinate", "create", "cut",
    "debug", "deliver", "deploy", "design", "develop", "diagnose", "direct", "dispatch",
    "document", "draft", "drive", "edit", "educate", "enforce", "engineer", "estimate", "evaluate",
    "execute", "facilitate", "file", "forecast", "grow", "guide", "hand", "handle", "help", "hire",
    "implement", "improve", "inspect", "install", "interview", "investigate", "keep", "launch",
    "lead", "lift", "load", "maintain", "manage", "market", "measure", "mentor", "migrate",
    "model", "monitor", "negotiate", "onboard", "open", "operate", "optimise", "optimize", "order",
    "organise", "organize", "orient", "oversee", "own", "partner", "pick", "pitch", "place",
    "plan", "precept", "prepare", "present", "price", "prioritise", "prioritize", "process",
    "program", "prospect", "provide", "publish", "purchase", "qualify", "quote", "rebuild",
    "reconcile", "recruit", "reduce", "refactor", "repair", "replace", "report", "research",
    "resolve", "respond", "restock", "review", "run", "scale", "schedule", "scope", "screen",
    "sell", "serve", "set", "ship", "solve", "source", "staff", "standardize", "start", "stock",
    "streamline", "supervise", "support", "survey", "teach", "tend", "test", "track", "train",
    "translate", "triage", "troubleshoot", "tune", "update", "upgrade", "use", "validate",
    "verify", "wire", "work", "write"
))  # fmt: skip
_MIN_YEARS = 2
_LONG_BULLET_WORDS = 25
# A recruiter weighs recent work most: each older role's achievement counts this much less.
_OLDER_ROLE = 0.8
_MIN_CLAUSE_WORDS = 6


@dataclass(frozen=True)
class SummaryPlan:
    text: str
    opened: bool  # an opening sentence was written
    highlights: tuple[str, ...]  # companies whose achievements were added


def _introduces(sentence: str, title: str) -> bool:
    """Whether a sentence already says who the person is (their title, or their years)."""
    return bool(core_title_tokens(title) & title_tokens(sentence)) or bool(
        _YEARS_RE.search(sentence)
    )


def _opening(title: str, roles: Sequence[ExperienceItem], today: date) -> str | None:
    """ "<title> with N years of experience.", N counting only roles that share the title's
    words, so a nurse's years as a barista are not sold as nursing."""
    wanted = core_title_tokens(title)
    related = [r for r in roles if wanted & title_tokens(r.position)]
    years = experience_years(related, today=today) if related else None
    if years is None or years < _MIN_YEARS:
        return None
    # "Registered Nurse, Emergency Department" opens as "Registered Nurse with 7 years…": the
    # specialty after the comma is already in the headline and reads badly before "with".
    role = title.split(",")[0].strip() or title
    return f"{role} with {math.floor(years)} years of experience."


def _verb_form(word: str, *, first_person: bool) -> bool:
    lowered = word.lower()
    if lowered.endswith("ed") or lowered in _IRREGULAR_PAST:
        return True
    return first_person and lowered in _PRESENT_VERBS


def _main_clause(bullet: str) -> str:
    """A long bullet's main clause ("Managed document review of 1.4M documents" before its
    ": built search terms…"), so a summary quotes the point, not every detail."""
    if len(bullet.split()) <= _LONG_BULLET_WORDS:
        return bullet
    head = re.split(r"[:;]\s", bullet, maxsplit=1)[0]
    return head if len(head.split()) >= _MIN_CLAUSE_WORDS else bullet


def _highlight(bullet: str, company: str, *, first_person: bool) -> str | None:
    """A bullet told as a summary sentence, or None when it does not open with a verb."""
    first, _, rest = _main_clause(bullet.strip()).partition(" ")
    if not rest or not _verb_form(first.strip(",;:"), first_person=first_person):
        return None
    if rest.split()[0].lower().strip(",;:") in TITLE_NOUNS:
        return None  # "Lead designer for checkout…" names a role; "lead" is not its verb
    clause = first[:1].lower() + first[1:] + " " + rest.rstrip(" .;")
    subject = "I " if first_person else ""
    prefix = f"At {company.strip()}, " if company.strip() else ""
    sentence = prefix + subject + clause if prefix else (subject + clause)
    return ensure_period(sentence[:1].upper() + sentence[1:])


def _achievements(
    roles: Sequence[ExperienceItem],
    said: str,
    told: Callable[[str], str],
    focus: JobFocus,
    count: int,
    *,
    first_person: bool,
) -> list[tuple[str, str]]:
    """Up to ``count`` (company, sentence) achievements, one per role, each the bullet that adds
    the most the job asks for beyond what the summary (and earlier picks) already say, recent
    roles first on equal terms."""
    covered = set(focus.job_terms_in(said))
    candidates = [
        (index, role.company, told(bullet))
        for index, role in enumerate(roles)
        for bullet in split_bullets(role.summary)[1]
        if " ".join(bullet.lower().split()) not in said.lower()
    ]
    chosen: list[tuple[str, str]] = []
    while len(chosen) < count:
        best: tuple[float, int, str, str] | None = None
        for index, company, bullet in candidates:
            if company in (c for c, _ in chosen):
                continue
            # What it adds to the summary, worth less the older the role.
            gain = focus.relevance(bullet, beyond=frozenset(covered)) * _OLDER_ROLE**index
            sentence = _highlight(bullet, company, first_person=first_person)
            if gain > 0 and sentence is not None and (best is None or gain > best[0]):
                best = (gain, index, company, sentence)
        if best is None:
            break
        chosen.append((best[2], best[3]))
        covered |= set(focus.job_terms_in(best[3]))
    return chosen


def compose_summary(
    content: str,
    *,
    title: str,
    roles: Sequence[ExperienceItem],
    focus: JobFocus,
    rewrite: Callable[[str], str],
    told: Callable[[str], str],
    highlights: int,
    today: date,
) -> SummaryPlan:
    """The rewritten summary: opening, the person's own sentences (``rewrite`` respells the
    job's skills in them), and up to ``highlights`` achievements, told as the tailored resume
    tells the bullet they come from (``told``)."""
    own = [ensure_period(rewrite(s)) for s in split_sentences(content)]
    opening: str | None = None
    if title and not (own and _introduces(own[0], title)):
        opening = _opening(title, roles, today)
    # The person's voice; a summary written from nothing speaks in the first person, which
    # also lets a current role's present-tense bullet be told ("I answer…").
    first_person = bool(_FIRST_PERSON_RE.search(content)) or not content.strip()
    said = " ".join([opening or "", *own])
    chosen = _achievements(roles, said, told, focus, highlights, first_person=first_person)
    head, rest = (own[:1], own[1:]) if opening is None else ([opening], own)
    body = stable_sort_by(rest + [sentence for _, sentence in chosen], focus.relevance)
    return SummaryPlan(" ".join(head + body), opening is not None, tuple(c for c, _ in chosen))
