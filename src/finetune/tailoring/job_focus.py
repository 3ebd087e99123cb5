"""How much each piece of resume text matters to one job, and how the job spells its skills.

The job's requirements become weights over canonical vocabulary names (required over preferred,
hard skills over soft ones). A text's relevance is the summed weight of the job terms it
mentions, so "Built payout APIs in Python on PostgreSQL" outranks "Organised the team offsite"
for a backend job. Term lookups are cached because the engine asks about the same bullets and
keywords several times per request and the whole tailor + score budget is a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable

from finetune.tailoring.jd import JobProfile, Requirement
from finetune.tailoring.scoring import Evidence, EvidenceKind, match_requirement
from finetune.tailoring.vocabulary import Term, Vocabulary
from finetune.tailoring.wording import form_key, says

_KIND_WEIGHT = {"hard": 3.0, "certification": 3.0, "soft": 1.0}
_REQUIRED_FACTOR = 2.0
_IMPLIED_SHARE = 0.5


class JobFocus:
    """The job's terms with weights, how the job writes them, and what the base resume shows."""

    def __init__(
        self, job: JobProfile, evidence: Evidence, vocabulary: Vocabulary, *, job_text: str = ""
    ) -> None:
        self.vocabulary = vocabulary
        self._job_text = job_text
        self.job_title = job.title
        self.weights: dict[str, float] = {}
        self.requirements: dict[str, Requirement] = {}
        # The base resume's evidence for each job term (an alternative counts on its own).
        self.status: dict[str, EvidenceKind] = {}
        for requirement in job.requirements:
            factor = _REQUIRED_FACTOR if requirement.required else 1.0
            weight = _KIND_WEIGHT[requirement.kind] * factor
            for name in (requirement.term, *requirement.alternatives):
                if weight > self.weights.get(name, 0.0):
                    self.weights[name] = weight
                    self.requirements[name] = requirement
        for name, requirement in self.requirements.items():
            alone = Requirement(name, requirement.kind, requirement.required, requirement.spellings)
            self.status[name] = match_requirement(alone, evidence).evidence
        self._terms_cache: dict[str, tuple[Term, ...]] = {}
        self._relevance_cache: dict[str, float] = {}

    def kind(self, name: str) -> str:
        return self.requirements[name].kind

    def spelling(self, name: str, *, in_list: bool) -> str:
        """How to write a job term: as the job writes it, preferring the job's spelling of the
        standard name ("relational database" mid-sentence), else its most compact one. A list
        entry takes the job's own spelling when the job writes it as a name ("AWS", "CI/CD"),
        else the standard name ("Cloud Computing" for the job's "cloud")."""
        spellings = [s for s in self.requirements[name].spellings if self._names(s, name)]
        standard = [s for s in spellings if form_key(s) == form_key(name)]
        # Else the job's most compact spelling: "SEO" rather than "SEO strategy".
        compact = sorted(spellings, key=lambda s: (len(s.split()), len(s)))
        written = (standard or compact or [name])[0]
        if in_list:
            return name if written[:1].islower() or written in standard else written
        # "Telemetry" heading the ad is "telemetry" in its sentences, and in ours.
        lowered = written.lower()
        if written != lowered and written[1:] == lowered[1:] and lowered in self._job_text:
            return lowered
        return written

    def _names(self, spelling: str, name: str) -> bool:
        """Whether ``spelling`` writes ``name`` (an "X or Y" requirement holds both's)."""
        term = self.vocabulary.get(spelling)
        return term is not None and term.name == name

    def is_literal(self, name: str, mention: str) -> bool:
        """Whether ``mention`` writes the job term ``name`` the way the job (or its standard
        name) does, as a keyword search would see it."""
        requirement = self.requirements[name]
        written = form_key(mention)
        forms = {form_key(name), *(form_key(s) for s in requirement.spellings)}
        return any(says(written, form) for form in forms)

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

    def relevance(
        self,
        text: str,
        *,
        beyond: frozenset[str] = frozenset(),
        within: frozenset[str] | None = None,
    ) -> float:
        """The weight of the job terms ``text`` names, plus half the weight of those it only
        implies ("services on EKS" speaks to a Kubernetes job); terms in ``beyond`` (already
        said elsewhere) count for nothing. ``within``: only these terms count, for a fragment
        read in its context (a skill list's "ML" beside OCaml is a language, not machine
        learning, which the list as a whole shows)."""
        cache = not beyond and within is None
        cached = self._relevance_cache.get(text) if cache else None
        if cached is None:
            found = [t.name for t in self.terms_in(text)]
            if within is not None:
                found = [name for name in found if name in within]
            named = [n for n in found if n in self.weights and n not in beyond]
            implied = self.vocabulary.implied(found)
            cached = sum(self.weights[n] for n in named) + _IMPLIED_SHARE * sum(
                self.weights[n]
                for n in implied
                if n in self.weights and n not in named and n not in beyond
            )
            if cache:
                self._relevance_cache[text] = cached
        return cached

    def ranked(self, names: Iterable[str]) -> list[str]:
        """``names`` that the job asks for, heaviest first (ties keep the given order)."""
        kept = [n for n in dict.fromkeys(names) if n in self.weights]
        return sorted(kept, key=lambda n: -self.weights[n])

    def to_surface(self) -> list[str]:
        """Hard job terms the resume evidences but never writes the job's way: implied ones
        (EKS implies Kubernetes) and ones said in other words ("k8s"), heaviest first."""
        return self.ranked(
            name
            for name, status in self.status.items()
            if status in ("implied", "other_spelling") and self.kind(name) != "soft"
        )
