"""The built-in tailoring engine: deterministic, offline, and truthful by construction.

It proposes changes per the levels of the API document:

- ``basic``: skills reordered by relevance, skills the resume implies but never names surfaced
  into the group that evidences them, and one sentence added to the summary naming the job's
  skills the resume evidences;
- ``good``: basic, plus a headline built from the resume's own best-matching title and skills, a
  rewritten summary (title, first year of experience, most relevant role, skills, the user's own
  sentences by relevance), and the bullets of the most relevant roles reordered with skill aliases
  spelled the way the job spells them;
- ``super``: good, plus every role, project and volunteer entry reordered that way, the most
  relevant roles leading with the job skills they show, and skills regrouped.

Every proposal still goes through the verifier: this engine is the first line of honesty, not
the only one.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from finetune.documents.schema import (
    ExperienceItem,
    ProjectItem,
    ResumeData,
    VolunteerItem,
    join_bullets,
    split_bullets,
)
from finetune.documents.text import resume_text
from finetune.tailoring.engine import Proposal, TailorRequest
from finetune.tailoring.job_focus import JobFocus
from finetune.tailoring.model import Change, Level, Usage
from finetune.tailoring.rewriting import (
    best_title,
    canonicalize_aliases,
    earliest_year,
    ensure_period,
    headline_title,
    join_names,
    reorder_summary,
    split_sentences,
    stable_sort_by,
)
from finetune.tailoring.skill_changes import skill_changes
from finetune.tailoring.titles import title_similarity, title_tokens
from finetune.tailoring.vocabulary import default_vocabulary

MODEL_NAME = "finetune-local"
_SUMMARY_SKILLS = 6
_HEADLINE_SKILLS = 3
_GOOD_ROLES = 3
_FOREGROUNDED_ROLES = 2
_KEY_SKILLS_LABEL = "Key skills:"
# A summary whose first sentence shares this much of the title already introduces the person.
_SAME_TITLE = 0.5


@dataclass
class _Context:
    base: ResumeData
    focus: JobFocus
    position: str
    _rewritten: dict[str, str] = field(default_factory=dict)

    def rewrite(self, text: str) -> str:
        """``text`` with short-form skill aliases spelled as the job does (cached: reasons and
        bullets ask for the same lines more than once)."""
        cached = self._rewritten.get(text)
        if cached is None:
            vocabulary = self.focus.vocabulary
            cached = canonicalize_aliases(text, vocabulary, self.focus.spelled_out)
            self._rewritten[text] = cached
        return cached

    def prose(self, names: Sequence[str]) -> str:
        return join_names([self.focus.prose_name(n) for n in names])


def _visible_roles(resume: ResumeData) -> list[ExperienceItem]:
    return [item for item in resume.sections.experience.items if item.visible]


def _summary_addition(ctx: _Context) -> Change | None:
    """basic: one sentence naming evidenced job skills the summary does not mention yet."""
    content = ctx.base.sections.summary.content
    already = set(ctx.focus.job_terms_in(content))
    skills = [n for n in ctx.focus.evidenced() if n not in already][:_SUMMARY_SKILLS]
    if not skills:
        return None
    sentence = f"Skilled in {ctx.prose(skills)}."
    new = f"{ensure_period(content)} {sentence}" if content.strip() else sentence
    return Change(
        path="sections.summary.content",
        original=content,
        new=new,
        reason=f"Named the job's skills the resume already evidences: {join_names(skills)}.",
    )


def _most_relevant_role(ctx: _Context, roles: Sequence[ExperienceItem]) -> ExperienceItem | None:
    scored = [(_role_relevance(role, ctx), -index, role) for index, role in enumerate(roles)]
    best = max(scored, key=lambda entry: entry[:2], default=None)
    return best[2] if best and best[0] > 0 else None


def _own_title(ctx: _Context) -> str | None:
    """The resume's own title (headline or a role) closest to the target position."""
    candidates = [headline_title(ctx.base.basics.headline)]
    candidates += [role.position for role in _visible_roles(ctx.base)]
    return best_title(candidates, ctx.position)


def _summary_rewrite(ctx: _Context) -> Change | None:
    """good/super: summary rebuilt from the resume's title, dates, roles, skills and sentences.

    The user's own sentences are kept (most relevant first); the opener is skipped when their
    first sentence already introduces them by a similar title.
    """
    content = ctx.base.sections.summary.content
    roles = _visible_roles(ctx.base)
    own = split_sentences(ctx.rewrite(content))
    title = _own_title(ctx)
    sentences: list[str] = []
    introduced = bool(own) and title is not None and _similar_titles(title, own[0])
    if title is not None and not introduced:
        year = earliest_year(roles)
        sentences.append(f"{title} with experience since {year}." if year else f"{title}.")
    sentences += [ensure_period(s) for s in stable_sort_by(own, ctx.focus.relevance)]
    relevant = _most_relevant_role(ctx, roles)
    if relevant is not None and relevant.company.strip() and relevant.position.strip():
        sentences.append(
            f"Experience closest to this role: {relevant.position} at {relevant.company}."
        )
    mentioned = set(ctx.focus.job_terms_in(" ".join(sentences)))
    skills = [n for n in ctx.focus.evidenced() if n not in mentioned][:_SUMMARY_SKILLS]
    if skills:
        sentences.append(f"Skilled in {ctx.prose(skills)}.")
    new = " ".join(sentences)
    if not new or " ".join(new.split()) == " ".join(content.split()):
        return None
    return Change(
        path="sections.summary.content",
        original=content,
        new=new,
        reason="Rewrote the summary toward the role from the resume's own titles, dates and "
        "skills, with its most relevant sentences first.",
    )


def _similar_titles(title: str, sentence: str) -> bool:
    """Whether ``sentence`` introduces the person by ``title``: all of a one-word title, or at
    least two words and half of a longer one ("Registered nurse with five years …")."""
    wanted = title_tokens(title)
    shared = wanted & title_tokens(sentence)
    similarity = title_similarity(title, [sentence]) or 0.0
    return shared == wanted if len(wanted) == 1 else len(shared) >= 2 and similarity >= _SAME_TITLE


def _headline(ctx: _Context) -> Change | None:
    """good/super: "<own best-matching title> · <top evidenced job skills>"."""
    current = ctx.base.basics.headline
    title = _own_title(ctx) or ""
    skills = ctx.focus.evidenced()[:_HEADLINE_SKILLS]
    new = " · ".join(part for part in (title, ", ".join(skills)) if part)
    if not new or new == current.strip():
        return None
    return Change(
        path="basics.headline",
        original=current,
        new=new,
        reason="Headline aimed at the position with the resume's own title and the job's skills "
        "it evidences.",
    )


def _with_key_skills(summary: str, ctx: _Context) -> str:
    """super: a role's paragraph ends by naming the job skills that role itself shows."""
    paragraph, bullets = split_bullets(summary)
    if _KEY_SKILLS_LABEL in paragraph:
        return summary
    shown = ctx.focus.ranked(ctx.focus.job_terms_in(summary))[:5]
    if len(shown) < 2:
        return summary
    lead = f"{_KEY_SKILLS_LABEL} {', '.join(ctx.focus.prose_name(n) for n in shown)}."
    return join_bullets(f"{ensure_period(paragraph)} {lead}" if paragraph else lead, bullets)


def _entry_reason(before: str, after: str, ctx: _Context) -> str:
    parts: list[str] = []
    _, old_bullets = split_bullets(before)
    _, new_bullets = split_bullets(after)
    if old_bullets and [ctx.rewrite(b) for b in old_bullets] != new_bullets:
        parts.append("put the bullets most relevant to the job first")
    if ctx.rewrite(before) != before:
        parts.append("spelled skills the way the job does")
    if _KEY_SKILLS_LABEL in after and _KEY_SKILLS_LABEL not in before:
        parts.append("named the job's skills this entry shows")
    text = "; ".join(parts) or "aligned this entry with the job"
    return text[0].upper() + text[1:] + "."


Entry = ExperienceItem | ProjectItem | VolunteerItem


def _entry_changes(
    ctx: _Context, section: str, items: Sequence[Entry], extra: Callable[[str], str] = str
) -> list[Change]:
    changes: list[Change] = []
    for item in items:
        new = extra(reorder_summary(item.summary, ctx.focus.relevance, ctx.rewrite))
        if new.strip() and new != item.summary:
            changes.append(
                Change(
                    path=f"sections.{section}.items.{item.id}.summary",
                    original=item.summary,
                    new=new,
                    reason=_entry_reason(item.summary, new, ctx),
                )
            )
    return changes


def _role_relevance(role: ExperienceItem, ctx: _Context) -> float:
    return ctx.focus.relevance(f"{role.position}\n{role.summary}")


def _experience_changes(ctx: _Context, level: Level) -> list[Change]:
    roles = _visible_roles(ctx.base)
    ranked = [r for r in sorted(roles, key=lambda r: -_role_relevance(r, ctx))]
    if level is Level.good:
        chosen = {r.id for r in ranked[:_GOOD_ROLES] if _role_relevance(r, ctx) > 0}
        return _entry_changes(ctx, "experience", [r for r in roles if r.id in chosen])
    foregrounded = {r.id for r in ranked[:_FOREGROUNDED_ROLES] if _role_relevance(r, ctx) > 0}
    changes: list[Change] = []
    for role in roles:
        if role.id in foregrounded:
            changes += _entry_changes(ctx, "experience", [role], lambda s: _with_key_skills(s, ctx))
        else:
            changes += _entry_changes(ctx, "experience", [role])
    return changes


def _project_changes(ctx: _Context) -> list[Change]:
    """super: projects ordered by relevance, their bullets and keywords too."""
    projects = ctx.base.sections.projects.items
    changes = _entry_changes(ctx, "projects", [p for p in projects if p.visible])
    for project in projects:
        ordered = stable_sort_by(project.keywords, ctx.focus.relevance)
        if ordered != project.keywords:
            changes.append(
                Change(
                    path=f"sections.projects.items.{project.id}.keywords",
                    action="reorder",
                    original=list(project.keywords),
                    new=ordered,
                    reason="Listed the project's technologies this job asks for first.",
                )
            )
    ids = [p.id for p in projects]
    by_relevance = [
        p.id for p in sorted(projects, key=lambda p: -ctx.focus.relevance(f"{p.name}\n{p.summary}"))
    ]
    if by_relevance != ids:
        changes.append(
            Change(
                path="sections.projects.items",
                action="reorder",
                original=ids,
                new=by_relevance,
                reason="Put the projects most relevant to this job first.",
            )
        )
    return changes


def propose_changes(base: ResumeData, focus: JobFocus, position: str, level: Level) -> list[Change]:
    """The local engine's changes for ``level``, in application order."""
    ctx = _Context(base, focus, position)
    changes = skill_changes(base.sections.skills.items, focus, level)
    if level is Level.basic:
        addition = _summary_addition(ctx)
        return [*changes, addition] if addition else changes
    for proposed in (_headline(ctx), _summary_rewrite(ctx)):
        if proposed is not None:
            changes.append(proposed)
    changes += _experience_changes(ctx, level)
    if level is Level.super:
        changes += _project_changes(ctx)
        volunteering = [v for v in base.sections.volunteer.items if v.visible]
        changes += _entry_changes(ctx, "volunteer", volunteering)
    return changes


class LocalEngine:
    """The embedded default engine (implements ``TailoringEngine``): no network, no randomness."""

    name = MODEL_NAME

    async def propose(self, request: TailorRequest) -> Proposal:
        started = time.perf_counter()
        focus = JobFocus(
            request.job,
            request.evidence(),
            default_vocabulary(),
            job_text=request.job_text,
            resume_text=resume_text(request.base),
        )
        changes = propose_changes(request.base, focus, request.position, request.level)
        elapsed_ms = round((time.perf_counter() - started) * 1000)
        return Proposal(changes=changes, usage=Usage(model=MODEL_NAME, latency_ms=elapsed_ms))
