"""An audit of a tailored resume against its base, independent of the verifier.

The verifier decides change by change what may be applied. This module looks only at the two
finished resumes and the job, the way a reviewer would, so it catches what a verifier bug would
let through: numbers, employers, titles, dates or degrees that changed or appeared; job skills
the base resume gives no evidence of that the tailored one now claims; stock phrases and keyword
lists; and, for the deterministic local engine, any word that has no source. The quality
benchmark (``bench/quality.py``) and the tests run it on every pair and level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from finetune.documents.schema import ResumeData
from finetune.documents.text import iter_text_fields
from finetune.tailoring.dates import experience_years
from finetune.tailoring.jd import JobProfile
from finetune.tailoring.rewriting import split_sentences
from finetune.tailoring.scoring import resume_evidence
from finetune.tailoring.style import is_keyword_list, new_stock_phrases
from finetune.tailoring.vocabulary import default_vocabulary

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)*")
_YEARS_RE = re.compile(r"\b(\d{1,2}) years\b")
# The connecting words of the sentences the local engine writes: "<title> with N years of
# experience." and "At <employer>, I <bullet>."
LOCAL_ENGINE_WORDS = frozenset({"with", "years", "of", "experience", "at", "i"})
# Fields that identify a person's history: tailoring may never change them.
ENTITY_FIELDS = {
    "experience": ("company", "position", "location", "date", "url", "visible"),
    "education": ("institution", "studyType", "area", "score", "date", "url", "visible"),
    "certifications": ("name", "issuer", "date", "url", "visible"),
    "awards": ("title", "awarder", "date", "visible"),
    "volunteer": ("organization", "position", "location", "date", "visible"),
    "projects": ("name", "date", "url", "visible"),
    "publications": ("name", "publisher", "date", "visible"),
}


@dataclass(frozen=True)
class Audit:
    invented_words: frozenset[str]
    invented_numbers: frozenset[str]
    changed_entities: tuple[str, ...]
    claimed_without_evidence: tuple[str, ...]
    stock_phrases: tuple[str, ...]
    keyword_lists: tuple[str, ...]

    @property
    def fabrications(self) -> int:
        """Facts the tailored resume states that the base resume does not support."""
        return (
            len(self.invented_words)
            + len(self.invented_numbers)
            + len(self.changed_entities)
            + len(self.claimed_without_evidence)
        )


def says_phrase(phrase: str, text: str) -> bool:
    """Whole-word presence of a hand-annotated phrase; phrases of three letters or fewer ("ML",
    "C") must match case, as they are names only in capitals."""
    flags = re.IGNORECASE if len(phrase) > 3 else 0
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", text, flags) is not None


def resume_words_text(resume: ResumeData) -> str:
    return "\n".join(text for _, text in iter_text_fields(resume))


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD_RE.findall(text)}


def _numbers(text: str) -> set[str]:
    """Numbers outside skill names ("365" in "Microsoft 365" is part of the name)."""
    for start, end, _ in reversed(default_vocabulary().spans(text)):
        text = text[:start] + " " + text[end:]
    return set(_NUMBER_RE.findall(text))


def _derived_years(base: ResumeData, text: str) -> set[str]:
    """ "N years" that the base resume's own role dates support (N at most their total)."""
    roles = [r for r in base.sections.experience.items if r.visible]
    total = experience_years(roles, today=date.today()) or 0.0
    return {n for n in _YEARS_RE.findall(text) if 0 < int(n) <= total}


def _entities(resume: ResumeData) -> dict[str, list[tuple[object, ...]]]:
    entities: dict[str, list[tuple[object, ...]]] = {}
    for section, fields in ENTITY_FIELDS.items():
        items = getattr(resume.sections, section).items
        entities[section] = sorted((item.id, *(getattr(item, f) for f in fields)) for item in items)
    return entities


def _changed_entities(base: ResumeData, tailored: ResumeData) -> tuple[str, ...]:
    changed = []
    before, after = _entities(base), _entities(tailored)
    for section in ENTITY_FIELDS:
        if before[section] != after[section]:
            changed.append(f"{section} entries differ")
    for field in ("name", "email", "phone", "location"):
        if getattr(base.basics, field) != getattr(tailored.basics, field):
            changed.append(f"basics.{field} differs")
    return tuple(changed)


def _new_keyword_lists(text: str, base_text: str) -> tuple[str, ...]:
    vocabulary = default_vocabulary()
    own = " ".join(base_text.split())
    found = []
    for line in text.splitlines():
        for sentence in split_sentences(line.strip().removeprefix("- ")):
            if is_keyword_list(sentence, vocabulary) and " ".join(sentence.split()) not in own:
                found.append(sentence)
    return tuple(found)


def _prose(resume: ResumeData) -> str:
    """Sentences of the resume (summary and entries), where a keyword list does not belong."""
    return "\n".join(
        text
        for path, text in iter_text_fields(resume)
        if path == "sections.summary.content" or path.endswith(".summary")
    )


def audit(
    base: ResumeData, tailored: ResumeData, job: JobProfile, *, check_words: bool = True
) -> Audit:
    """Everything the tailored resume says that its base does not support.

    ``check_words`` (for the local engine, whose only words are the resume's, the job's
    spellings of skills the resume evidences, and a few connecting words) also reports every
    word without such a source; an LLM rephrases freely, so leave it off for LLM engines.
    """
    base_text, tailored_text = resume_words_text(base), resume_words_text(tailored)
    evidence = resume_evidence(base)
    evidenced = evidence.stated | evidence.implied
    invented_words: set[str] = set()
    if check_words:
        allowed = _words(base_text) | LOCAL_ENGINE_WORDS | _words(" ".join(evidenced))
        for requirement in job.requirements:
            if requirement.term in evidenced:
                allowed |= _words(" ".join(requirement.spellings))
        invented_words = _words(tailored_text) - allowed
    numbers = _numbers(tailored_text) - _numbers(base_text) - _derived_years(base, tailored_text)
    claimed = resume_evidence(tailored).stated - evidenced
    return Audit(
        invented_words=frozenset(invented_words),
        invented_numbers=frozenset(numbers),
        changed_entities=_changed_entities(base, tailored),
        claimed_without_evidence=tuple(sorted(claimed)),
        stock_phrases=tuple(new_stock_phrases(tailored_text, base_text)),
        keyword_lists=_new_keyword_lists(_prose(tailored), base_text),
    )
