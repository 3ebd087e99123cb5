"""The built-in tailoring engine: deterministic, offline, and truthful by construction.

It proposes what a careful resume writer would do with nothing but the resume's own facts, per
the levels of the API document:

- ``basic`` (keyword optimisation): the skills section writes the job's skills the job's way,
  gains the job skills the resume evidences without naming them (in the group holding the
  evidence) and lists the job's skills first; the summary writes skills the job's way.
- ``good`` (balanced rewrite): basic, plus a summary that opens with who the person is, keeps
  their sentences in order of relevance and adds their most relevant achievement; the bullets of
  the three most relevant roles ordered by relevance, with skills written the job's way and the
  broader skill a tool is evidence of named next to it once ("Epic (EHR)"); an empty headline
  filled with the current title, or a focus from the job's title the resume evidences appended.
- ``super`` (deep rewrite): good, plus every role, project and volunteer entry reworked that way,
  projects ordered by relevance and a second achievement in the summary.

No level changes a title, an employer, a date, a skill group's name or level, or drops a word of
content. Every proposal still goes through the verifier: this engine is the first line of
honesty, not the only one.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from finetune.documents.schema import (
    ExperienceItem,
    ProjectItem,
    ResumeData,
    VolunteerItem,
    join_bullets,
    split_bullets,
)
from finetune.tailoring.engine import Proposal, TailorRequest
from finetune.tailoring.job_focus import JobFocus
from finetune.tailoring.model import Change, Level, Usage
from finetune.tailoring.rewriting import gloss, respell, rewrite_entry, stable_sort_by
from finetune.tailoring.skill_changes import skill_changes
from finetune.tailoring.summary import compose_summary
from finetune.tailoring.titles import core_title_tokens, headline_title
from finetune.tailoring.vocabulary import default_vocabulary

MODEL_NAME = "finetune-local"
_GOOD_ROLES = 3
_HIGHLIGHTS = {Level.good: 1, Level.super: 2}

Entry = ExperienceItem | ProjectItem | VolunteerItem


@dataclass
class _Context:
    base: ResumeData
    focus: JobFocus
    level: Level
    today: date
    # Job skills the resume only implies, still to be named next to their evidence (once).
    to_gloss: set[str] = field(default_factory=set)
    # Each bullet as the tailored resume tells it, for achievements quoted in the summary.
    reworked: dict[str, str] = field(default_factory=dict)

    def respell(self, text: str) -> str:
        return respell(text, self.focus)

    def rework(self, text: str) -> str:
        reworked = gloss(respell(text, self.focus), self.focus, self.to_gloss)
        self.reworked[text] = reworked
        return reworked

    def told(self, bullet: str) -> str:
        return self.reworked.get(bullet) or self.respell(bullet)

    @property
    def roles(self) -> list[ExperienceItem]:
        experience = self.base.sections.experience
        return [r for r in experience.items if r.visible] if experience.visible else []


def _summary_respelled(ctx: _Context) -> Change | None:
    """basic: the summary with the job's skills written the job's way, nothing else."""
    summary = ctx.base.sections.summary
    new = ctx.respell(summary.content)
    if not summary.visible or new == summary.content:
        return None
    return Change(
        path="sections.summary.content",
        original=summary.content,
        new=new,
        reason="Wrote the job's skills the way the job does.",
    )


def _own_title(ctx: _Context) -> str:
    title = headline_title(ctx.base.basics.headline)
    return title or next((r.position.strip() for r in ctx.roles if r.position.strip()), "")


def _summary_rewrite(ctx: _Context) -> Change | None:
    summary = ctx.base.sections.summary
    if not summary.visible:
        return None
    plan = compose_summary(
        summary.content,
        title=_own_title(ctx),
        roles=ctx.roles,
        focus=ctx.focus,
        rewrite=ctx.respell,
        told=ctx.told,
        highlights=_HIGHLIGHTS[ctx.level],
        today=ctx.today,
    )
    if not plan.text or " ".join(plan.text.split()) == " ".join(summary.content.split()):
        return None
    parts = []
    if plan.opened:
        parts.append("opened with the title and years the resume's roles show")
    if summary.content.strip():
        parts.append("kept the person's own sentences, most relevant first")
    if plan.highlights:
        parts.append(f"added the most relevant achievement from {' and '.join(plan.highlights)}")
    reason = "; ".join(parts) or "wrote the job's skills the way the job does"
    return Change(
        path="sections.summary.content",
        original=summary.content,
        new=plan.text,
        reason=reason[0].upper() + reason[1:] + ".",
    )


def _same_role(headline: str, job_title: str) -> bool:
    """Whether the headline already names the job's kind of role ("Registered Nurse" for
    "RN – Telemetry"); only then does a focus from the job's title describe the person."""
    return bool(core_title_tokens(headline) & core_title_tokens(job_title))


def _headline(ctx: _Context) -> Change | None:
    """An empty headline gets the current title; a titled one in the job's line of work may
    gain one focus from the job's own title that the resume evidences ("Registered Nurse ·
    Telemetry"), never a chef's "· Inventory" for an engineering ad about inventory."""
    current = ctx.base.basics.headline
    if not current.strip():
        new = _own_title(ctx)
        reason = "Filled the empty headline with the current title."
    else:
        in_headline = set(ctx.focus.job_terms_in(current))
        title_terms = [t.name for t in ctx.focus.terms_in(ctx.focus.job_title)]
        focus = [
            name
            for name in title_terms
            if name in ctx.focus.weights
            and name not in in_headline
            and ctx.focus.status[name] != "absent"
            and ctx.focus.kind(name) != "soft"
        ]
        if not focus or not _same_role(current, ctx.focus.job_title):
            return None
        new = f"{current.strip()} · {ctx.focus.spelling(focus[0], in_list=True)}"
        reason = "Added the focus of the job's title, which the resume evidences, to the headline."
    if not new or new == current:
        return None
    return Change(path="basics.headline", original=current, new=new, reason=reason)


def _entry_change(ctx: _Context, section: str, item: Entry) -> Change | None:
    new = rewrite_entry(item.summary, ctx.rework, ctx.focus.relevance)
    if not new.strip() or new == item.summary:
        return None
    paragraph, bullets = split_bullets(item.summary)
    reordered = join_bullets(paragraph, stable_sort_by(bullets, ctx.focus.relevance))
    parts: list[str] = []
    if reordered != item.summary:
        parts.append("put the bullets most relevant to the job first")
    if new != reordered:
        parts.append("wrote the job's skills the way the job does")
    if new.count(" (") > item.summary.count(" ("):
        parts.append("named the job skill a tool is evidence of")
    reason = "; ".join(parts)
    return Change(
        path=f"sections.{section}.items.{item.id}.summary",
        original=item.summary,
        new=new,
        reason=reason[0].upper() + reason[1:] + ".",
    )


def _entry_changes(ctx: _Context, section: str, items: Sequence[Entry]) -> list[Change]:
    return [c for item in items if (c := _entry_change(ctx, section, item)) is not None]


def _role_relevance(role: ExperienceItem, ctx: _Context) -> float:
    return ctx.focus.relevance(f"{role.position}\n{role.summary}")


def _experience_changes(ctx: _Context) -> list[Change]:
    roles = ctx.roles
    ranked = sorted(roles, key=lambda r: -_role_relevance(r, ctx))
    if ctx.level is Level.good:
        ranked = [r for r in ranked[:_GOOD_ROLES] if _role_relevance(r, ctx) > 0]
    # Most relevant roles first, so a skill is named where the job will look for it.
    return _entry_changes(ctx, "experience", ranked)


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


def propose_changes(
    base: ResumeData, focus: JobFocus, level: Level, *, today: date | None = None
) -> list[Change]:
    """The local engine's changes for ``level``, in application order."""
    ctx = _Context(base, focus, level, today or date.today())
    skills = base.sections.skills
    changes = skill_changes(skills.items, focus) if skills.visible else []
    if level is Level.basic:
        summary = _summary_respelled(ctx)
        return [*changes, summary] if summary else changes
    ctx.to_gloss = {n for n in focus.to_surface() if focus.status[n] == "implied"}
    changes += _experience_changes(ctx)
    if level is Level.super:
        changes += _project_changes(ctx)
        volunteering = [v for v in base.sections.volunteer.items if v.visible]
        changes += _entry_changes(ctx, "volunteer", volunteering)
    for proposed in (_headline(ctx), _summary_rewrite(ctx)):
        if proposed is not None:
            changes.append(proposed)
    return changes


class LocalEngine:
    """The embedded default engine (implements ``TailoringEngine``): no network, no randomness."""

    name = MODEL_NAME

    async def propose(self, request: TailorRequest) -> Proposal:
        started = time.perf_counter()
        focus = JobFocus(
            request.job, request.evidence(), default_vocabulary(), job_text=request.job_text
        )
        changes = propose_changes(request.base, focus, request.level)
        elapsed_ms = round((time.perf_counter() - started) * 1000)
        return Proposal(changes=changes, usage=Usage(model=MODEL_NAME, latency_ms=elapsed_ms))
