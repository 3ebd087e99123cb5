"""The truthfulness verifier: every engine's proposed changes pass through here before use.

A change survives only if it is allowed at the requested level, applies cleanly to the current
resume, and its new text states nothing the base resume does not already evidence: no new
employer, title, school, degree, certification, number, date or skill. What an LLM was told (by
us or by a prompt injection in a job description) makes no difference, because this code only
compares the proposed text with the base resume. See ``docs/truthfulness.md``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from finetune.documents.schema import ResumeData
from finetune.documents.text import iter_text_fields
from finetune.tailoring import entities, facts
from finetune.tailoring.changes import ChangeError, is_allowed, planned_value, read_path
from finetune.tailoring.dates import experience_years
from finetune.tailoring.model import Change, Level, TailorWarning
from finetune.tailoring.rewriting import split_sentences
from finetune.tailoring.scoring import Evidence, resume_evidence
from finetune.tailoring.style import is_keyword_list, new_stock_phrases
from finetune.tailoring.titles import headline_title
from finetune.tailoring.vocabulary import Vocabulary, default_vocabulary

_PRESENT_RE = re.compile(r"\b(?:present|current|now|today|ongoing)\b", re.IGNORECASE)
_CONTACT_PATHS = frozenset({"basics.email", "basics.phone"})
_EMPLOYER_CUES = frozenset({"at", "for", "with", "joined", "from", "by", "via"})


@dataclass(frozen=True)
class Verdict:
    accepted: list[Change]
    warnings: list[TailorWarning]


@dataclass(frozen=True)
class _Issue:
    code: str
    detail: str


class _BaseFacts:
    """Everything the base resume evidences, computed once per verification."""

    def __init__(self, base: ResumeData, vocabulary: Vocabulary, evidence: Evidence) -> None:
        self.vocabulary = vocabulary
        # Contact details are not evidence: a phone number's digits are not a metric.
        text = "\n".join(
            value for path, value in iter_text_fields(base) if path not in _CONTACT_PATHS
        )
        self.text = text
        self.normalized = entities.normalize(text)
        self.words = entities.word_set(text)
        self.headline = base.basics.headline
        self.role_titles = [
            item.position.strip()
            for item in base.sections.experience.items
            if item.visible and item.position.strip()
        ]
        # Skill items count even when hidden: a skill list is the user's own claim of ability.
        listed = " \n".join(
            " , ".join([item.name, *item.keywords]) for item in base.sections.skills.items
        )
        listed_terms = {term.name for term in vocabulary.find(listed)}
        self.skills = evidence.stated | evidence.implied | listed_terms
        self.skills |= vocabulary.implied(listed_terms)
        self.quantities = {(q.kind, q.value) for q in facts.quantities(text)}
        self.values = {value for _, value in self.quantities}
        self.month_years = facts.month_years(text)
        found_degrees = facts.degrees(text)
        self.degrees = {d.canonical for d in found_degrees}
        self.degree_levels = {d.level for d in found_degrees}
        self.has_education = any(item.visible for item in base.sections.education.items)
        self.has_certificates = any(item.visible for item in base.sections.certifications.items)
        self.experience_years = _experience_span(base)

    def mentions(self, phrase: str) -> bool:
        return entities.normalize(phrase) in self.normalized


def _experience_span(base: ResumeData) -> int:
    """Years from the earliest dated role to the latest (or to today for a current role)."""
    years: list[int] = []
    ongoing = False
    for item in base.sections.experience.items:
        if not item.visible:
            continue
        years += [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", item.date)]
        ongoing = ongoing or bool(_PRESENT_RE.search(item.date))
    if not years:
        return 0
    latest = max([*years, date.today().year] if ongoing else years)
    # Counted by months too ("2019 – Present" in December 2026 is eight years, not 2026 − 2019),
    # as the engine counts them when it writes "N years of experience".
    by_months = experience_years([i for i in base.sections.experience.items if i.visible],
                                 today=date.today())  # fmt: skip
    return max(latest - min(years), math.floor(by_months or 0))


def _mask_terms(text: str, vocabulary: Vocabulary) -> tuple[str, list[str]]:
    """The text with vocabulary-term mentions blanked out, and those terms' canonical names."""
    pieces: list[str] = []
    names: list[str] = []
    position = 0
    for start, end, term in vocabulary.spans(text):
        pieces += [text[position:start], entities.MASK * (end - start)]
        names.append(term.name)
        position = end
    pieces.append(text[position:])
    return "".join(pieces), names


def _skill_issues(names: Iterable[str], base: _BaseFacts) -> list[_Issue]:
    issues: list[_Issue] = []
    for name in dict.fromkeys(names):
        term = base.vocabulary.get(name)
        if term is None or term.kind == "soft" or name in base.skills:
            continue
        code = "fabricated_certification" if term.kind == "certification" else "fabricated_skill"
        issues.append(_Issue(code, f"{name!r} is not evidenced by the base resume"))
    return issues


def _quantity_issues(text: str, base: _BaseFacts) -> list[_Issue]:
    issues: list[_Issue] = []
    for quantity in facts.quantities(text):
        if (quantity.kind, quantity.value) in base.quantities:
            continue
        if quantity.kind == "count" and quantity.value in base.values:
            continue
        if quantity.kind == "magnitude" and any(v >= quantity.value for v in base.values):
            continue
        if quantity.is_years and 0 < quantity.value <= base.experience_years:
            continue  # "8 years of experience" derived from the resume's own dates
        code = "fabricated_date" if quantity.kind == "year" else "fabricated_number"
        issues.append(_Issue(code, f"{quantity.text!r} does not appear in the base resume"))
    for year, month in facts.month_years(text) - base.month_years:
        issues.append(_Issue("fabricated_date", f"{month:02d}/{year} is not a date in the resume"))
    return issues


def _degree_issues(degrees: Iterable[facts.Degree], base: _BaseFacts) -> list[_Issue]:
    issues: list[_Issue] = []
    for degree in degrees:
        generic = degree.canonical == degree.level
        if degree.canonical in base.degrees or (generic and degree.level in base.degree_levels):
            continue
        issues.append(_Issue("fabricated_degree", f"{degree.text!r} is not in the base resume"))
    return issues


def _name_words(phrase: entities.Phrase) -> list[str]:
    """The words of a phrase that can be a name: sentence openers ("Led", "Experienced"),
    leading connectors and month names dropped; seniority and title words kept."""
    words = list(phrase.words)
    while words and phrase.sentence_initial and entities.is_common_opener(words[0]):
        title_word = words[0].lower() in entities.SENIORITY | entities.TITLE_NOUNS
        if title_word and len(words) > 1:
            break
        words.pop(0)
    while words and words[0].lower() in entities.CONNECTORS:
        words.pop(0)
    return [w for w in words if w.lower() not in entities.MONTH_WORDS and w != "I"]


def _looks_like_name(word: str) -> bool:
    """Acronyms and camel-case brands ("MIT", "LinkedIn") are names even at a sentence start."""
    return len(word) > 1 and any(c.isupper() for c in word[1:])


def _is_ordinary_opener(phrase: entities.Phrase) -> bool:
    """A single capitalised word opening a sentence ("Holds", "Owner of") is rarely a name."""
    return (
        phrase.sentence_initial and len(phrase.words) == 1 and not _looks_like_name(phrase.words[0])
    )


def _title_issue(phrase: entities.Phrase, base: _BaseFacts) -> _Issue | None:
    words = _name_words(phrase)
    if _is_ordinary_opener(phrase) or not {w.lower() for w in words} & entities.TITLE_NOUNS:
        return None
    title = " ".join(words)
    term = base.vocabulary.get(title)
    if base.mentions(title) or (term is not None and term.name in base.skills):
        return None  # e.g. "Registered Nurse" for a resume that says "RN"
    return _Issue("fabricated_title", f"{title!r} is not a title in the base resume")


def _name_issue(phrase: entities.Phrase, base: _BaseFacts, *, has_degree: bool) -> _Issue | None:
    words = _name_words(phrase)
    lowered = {w.lower() for w in words}
    if _is_ordinary_opener(phrase) or not words or lowered & entities.TITLE_NOUNS:
        return None  # titles are checked on the unmasked text
    if any(entities.is_certification_word(w) for w in words):
        return None  # checked as a certification
    name = " ".join(words)
    if base.mentions(name):
        return None
    if lowered & entities.SCHOOL_WORDS:
        return _Issue("fabricated_school", f"{name!r} is not a school in the base resume")
    if lowered & entities.ORG_WORDS:
        return _Issue("fabricated_employer", f"{name!r} is not an employer in the base resume")
    # Any word may open a sentence capitalised ("Cut API latency"), so an opening word only
    # counts as a name when it looks like one.
    opener = phrase.sentence_initial and words[0] == phrase.words[0]
    candidates = words[1:] if opener and not _looks_like_name(words[0]) else words
    if all(w.lower() in base.words for w in candidates):
        return None
    if phrase.preceding in _EMPLOYER_CUES:
        if phrase.preceding == "from" and has_degree:
            return _Issue("fabricated_school", f"{name!r} is not a school in the base resume")
        return _Issue("fabricated_employer", f"{name!r} is not an employer in the base resume")
    return _Issue("unverified_name", f"{name!r} does not appear in the base resume")


def _name_issues(text: str, masked: str, base: _BaseFacts, *, has_degree: bool) -> list[_Issue]:
    """Titles (found in ``text``) and other names (found in ``masked``, skills blanked out)."""
    issues = [i for p in entities.phrases(text) if (i := _title_issue(p, base)) is not None]
    issues += [
        issue
        for phrase in entities.phrases(masked)
        if (issue := _name_issue(phrase, base, has_degree=has_degree)) is not None
    ]
    for title in entities.lowercase_titles(text):
        if not base.mentions(title):
            issues.append(_Issue("fabricated_title", f"{title!r} is not a title in the resume"))
    for phrase, next_to_term in entities.certification_phrases(masked):
        if next_to_term or base.mentions(phrase):
            continue
        named = phrase.lower() not in ("certified", "licensed") and " " in phrase
        if not named and (base.has_certificates or "certif" in base.normalized):
            continue
        issues.append(_Issue("fabricated_certification", f"{phrase!r} is not in the resume"))
    return issues


def _text_issues(text: str, base: _BaseFacts) -> list[_Issue]:
    """Every fact in ``text`` that the base resume does not evidence."""
    degrees = facts.degrees(text)
    # Degrees are checked as degrees; blanking them keeps "PhD" from also counting as a name.
    for degree in degrees:
        text = text[: degree.start] + entities.MASK * len(degree.text) + text[degree.end :]
    masked, term_names = _mask_terms(text, base.vocabulary)
    return [
        *_skill_issues(term_names, base),
        *_degree_issues(degrees, base),
        *_name_issues(text, masked, base, has_degree=bool(degrees)),
        *_quantity_issues(masked, base),
    ]


def _style_issues(text: str, base: _BaseFacts) -> list[_Issue]:
    """Stock phrases and keyword-list lines the person's own resume does not already have."""
    issues: list[_Issue] = [
        _Issue("stock_phrase", f"{phrase!r} is a stock phrase")
        for phrase in dict.fromkeys(new_stock_phrases(text, base.text))
    ]
    for line in text.splitlines():
        for sentence in split_sentences(line.strip().removeprefix("- ")):
            if is_keyword_list(sentence, base.vocabulary) and not base.mentions(sentence):
                issues.append(_Issue("keyword_list", f"{sentence!r} only lists keywords"))
    return issues


def _headline_issues(headline: str, base: _BaseFacts) -> list[_Issue]:
    """A headline keeps the person's title (or, when it had none, takes a title of theirs) and
    may gain one focus after it, never a list of skills."""
    own = headline_title(base.headline)
    titles = [own] if own else base.role_titles
    kept = next((t for t in titles if headline.strip().startswith(t)), None)
    if kept is None:
        wanted = own or " / ".join(titles) or "a title of the resume"
        return [_Issue("altered_title", f"the headline must keep the title {wanted!r}")]
    before = {term.name for term in base.vocabulary.find(base.headline)}
    added = {term.name for term in base.vocabulary.find(headline[len(kept) :])} - before
    if len(added) > 1:
        return [_Issue("keyword_list", "the headline may add one focus, not a list of skills")]
    return []


def _dropped_keyword_issues(before: list[str], new: list[str], base: _BaseFacts) -> list[_Issue]:
    """A skill list may write a skill another way but never lose one."""
    kept = {v.strip().casefold() for v in new}
    named = {term.name for term in base.vocabulary.find(" , ".join(new))}
    issues: list[_Issue] = []
    for keyword in before:
        if keyword.strip().casefold() in kept:
            continue
        terms = {term.name for term in base.vocabulary.find(keyword)}
        if not terms or not terms <= named:
            issues.append(_Issue("dropped_skill", f"{keyword!r} would be removed"))
    return issues


def _keyword_issues(keyword: str, base: _BaseFacts) -> list[_Issue]:
    """A keyword added to a skill list must be a skill the resume evidences or its own words."""
    term = base.vocabulary.get(keyword)
    if term is not None:
        return _skill_issues([term.name], base)
    if base.mentions(keyword):
        return []
    return [_Issue("fabricated_skill", f"{keyword!r} is not in the base resume")]


def _change_issues(change: Change, before: str | list[str], base: _BaseFacts) -> list[_Issue]:
    """Facts the change would add; ``before`` is the field's value before the change."""
    if change.action == "reorder":
        return []  # a permutation of existing entries, checked when planned
    if isinstance(change.new, str):
        if not change.new.strip() and isinstance(before, str) and before.strip():
            return [_Issue("dropped_content", "the change would empty a field that has text")]
        issues = _text_issues(change.new, base)
        if change.path == "basics.headline":  # a title, with its own rule for lists
            return issues + _headline_issues(change.new, base)
        return issues + _style_issues(change.new, base)
    existing = {v.casefold() for v in before} if isinstance(before, list) else set()
    added = [v for v in change.new or [] if v.strip().casefold() not in existing]
    issues = [issue for keyword in added for issue in _keyword_issues(keyword.strip(), base)]
    if change.action == "replace" and isinstance(before, list):
        issues += _dropped_keyword_issues(before, change.new or [], base)
    return issues


def _warning(change: Change, issues: Sequence[_Issue]) -> TailorWarning:
    details = "; ".join(dict.fromkeys(issue.detail for issue in issues))
    return TailorWarning(
        code=issues[0].code,
        message=f"Change to {change.path} was not applied: {details}.",
        path=change.path,
    )


def verify_changes(
    base: ResumeData,
    changes: Sequence[Change],
    level: Level,
    *,
    evidence: Evidence | None = None,
) -> Verdict:
    """Split proposed changes into the ones that are safe to apply and warnings for the rest.

    Changes are checked in order (two changes to one field chain: the second's ``original`` is
    the first's ``new``), but facts are always compared with the base resume, never with
    earlier accepted changes. ``base`` itself is not modified. ``evidence`` is the base's
    :func:`~finetune.tailoring.scoring.resume_evidence` when the caller has it already.
    """
    vocabulary = default_vocabulary()
    base_facts = _BaseFacts(
        base, vocabulary, evidence or resume_evidence(base, vocabulary=vocabulary)
    )
    # Values of fields changed by accepted changes, by path: cheaper than a working copy.
    current: dict[str, str | list[str]] = {}
    accepted: list[Change] = []
    warnings: list[TailorWarning] = []
    for change in changes:
        before = current.get(change.path)
        try:
            if before is None:
                before = read_path(base, change.path)
            if not is_allowed(change, level):
                raise ChangeError("not_allowed", f"the {level.value} level may not change it")
            after = planned_value(base, change, current=before)
        except ChangeError as error:
            warnings.append(_warning(change, [_Issue(error.code, error.message)]))
            continue
        issues = _change_issues(change, before, base_facts)
        if issues:
            warnings.append(_warning(change, issues))
            continue
        current[change.path] = after
        accepted.append(change)
    return Verdict(accepted=accepted, warnings=warnings)
