"""How much each piece of resume text matters to one job: the local engine's sense of relevance.

The job's requirements become weights over canonical vocabulary names (required over preferred,
hard skills over soft ones). A text's relevance is the summed weight of the job terms it
mentions, so "Built payout APIs in Python on PostgreSQL" outranks "Organised the team offsite"
for a backend job. Term lookups are cached because the engine asks about the same bullets and
keywords several times per request and the whole tailor + score budget is a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable

from finetune.tailoring.jd import JobProfile
from finetune.tailoring.scoring import Evidence
from finetune.tailoring.vocabulary import Term, Vocabulary

_SENTENCE_BREAKS = ".!?:;-•*\n"
_KIND_WEIGHT = {"hard": 3.0, "certification": 3.0, "soft": 1.0}
_REQUIRED_FACTOR = 2.0


class JobFocus:
    """The job's terms with weights, and what the base resume evidences of them."""

    def __init__(
        self,
        job: JobProfile,
        evidence: Evidence,
        vocabulary: Vocabulary,
        *,
        job_text: str = "",
        resume_text: str = "",
    ) -> None:
        self.vocabulary = vocabulary
        self.weights: dict[str, float] = {}
        self.kinds: dict[str, str] = {}
        for requirement in job.requirements:
            factor = _REQUIRED_FACTOR if requirement.required else 1.0
            weight = _KIND_WEIGHT[requirement.kind] * factor
            if weight > self.weights.get(requirement.term, 0.0):
                self.weights[requirement.term] = weight
                self.kinds[requirement.term] = requirement.kind
        self.stated = evidence.stated
        self.implied = evidence.implied
        self._terms_cache: dict[str, tuple[Term, ...]] = {}
        self._spellings: dict[str, str] = {}
        # The resume's own spelling first (the user's voice), then the job's.
        self._note_spellings(resume_text)
        # Job terms the job writes out by their canonical name (so resume aliases may follow).
        self.spelled_out = frozenset(self._note_spellings(job_text) & self.weights.keys())

    def _note_spellings(self, text: str) -> set[str]:
        """Record mid-sentence spellings of canonical names; return the names spelled out."""
        spelled_out: set[str] = set()
        for start, end, term in self.vocabulary.spans(text):
            mention = text[start:end]
            if mention.lower() != term.name.lower():
                continue
            spelled_out.add(term.name)
            if term.name not in self._spellings and not _starts_sentence(text, start):
                self._spellings[term.name] = mention
        return spelled_out

    def prose_name(self, name: str) -> str:
        """How to write a term mid-sentence: in the case the resume or the job writes its
        canonical name mid-sentence ("patient education"), else the canonical name."""
        spelling = self._spellings.get(name, name)
        first, _, rest = spelling.partition(" ")
        # "Cardiac monitoring" is a list entry's capital, not a proper noun: lower it mid-sentence.
        if rest and rest.islower() and first[1:].islower():
            return first.lower() + " " + rest
        return spelling

    def list_name(self, name: str) -> str:
        """How to write a term as a list entry: the prose name with a capital first letter."""
        prose = self.prose_name(name)
        return prose[0].upper() + prose[1:] if prose[:1].islower() else prose

    def terms_in(self, text: str) -> tuple[Term, ...]:
        """Vocabulary terms mentioned in ``text`` (cached)."""
        cached = self._terms_cache.get(text)
        if cached is None:
            cached = tuple(self.vocabulary.find(text)) if text else ()
            self._terms_cache[text] = cached
        return cached

    def job_terms_in(self, text: str) -> list[str]:
        """Canonical names of the job's terms that ``text`` mentions, in order of appearance."""
        return [t.name for t in self.terms_in(text) if t.name in self.weights]

    def relevance(self, text: str) -> float:
        return sum(self.weights[name] for name in self.job_terms_in(text))

    def ranked(self, names: Iterable[str]) -> list[str]:
        """``names`` that the job asks for, heaviest first (ties keep the given order)."""
        kept = [n for n in dict.fromkeys(names) if n in self.weights]
        return sorted(kept, key=lambda n: -self.weights[n])

    def evidenced(self, *, kinds: tuple[str, ...] = ("hard",)) -> list[str]:
        """Job terms the resume states or implies, heaviest first, stated before implied."""
        names = [n for n in self.weights if self.kinds[n] in kinds]
        stated = [n for n in names if n in self.stated]
        implied = [n for n in names if n in self.implied and n not in self.stated]
        return self.ranked(stated) + [n for n in self.ranked(implied) if n not in stated]

    def surfaceable(self) -> list[str]:
        """Hard job terms the resume implies but never names: honest to add to its skills."""
        return self.ranked(
            n
            for n in self.weights
            if n in self.implied and n not in self.stated and self.kinds[n] == "hard"
        )


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_BREAKS
