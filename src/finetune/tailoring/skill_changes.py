"""Skills-section changes of the local engine: reorder, surface evidenced skills, regroup.

Only keywords the resume already states move around; the only ones added are job terms the
resume *implies* without naming them (React implies JavaScript), each placed in the group that
holds the evidence for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from finetune.documents.schema import SkillItem
from finetune.tailoring.job_focus import JobFocus
from finetune.tailoring.model import Change, Level
from finetune.tailoring.rewriting import join_names, stable_sort_by

_ITEMS_PATH = "sections.skills.items"
# Regrouping renames the group that collects the job's skills; a generic label, not a claim.
CORE_GROUP_NAME = "Core skills"


@dataclass
class _Group:
    item: SkillItem
    keywords: list[str]
    surfaced: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{_ITEMS_PATH}.{self.item.id}"


def _group_text(group: _Group) -> str:
    return " · ".join([group.item.name, *group.keywords])


def _evidence_for(term: str, focus: JobFocus) -> list[str]:
    """Stated terms that imply ``term``: the reason it may be surfaced."""
    return [name for name in sorted(focus.stated) if term in focus.vocabulary.implied([name])]


def _home_for(term: str, groups: list[_Group], focus: JobFocus) -> _Group:
    """The group holding the evidence for ``term``, else one of its field, else the most relevant"""
    for group in groups:
        names = [t.name for t in focus.terms_in(_group_text(group))]
        if term in focus.vocabulary.implied(names):
            return group
    wanted = focus.vocabulary.get(term)
    if wanted is not None:
        for group in groups:
            if any(t.field == wanted.field for t in focus.terms_in(_group_text(group))):
                return group
    return max(groups, key=lambda g: (focus.relevance(_group_text(g)), -groups.index(g)))


def _regroup(groups: list[_Group], focus: JobFocus) -> tuple[_Group, list[str]] | None:
    """Move job-relevant keywords from other groups into the most relevant one (super only).

    A group is never emptied: its last keyword stays so no heading is left without content.
    """
    visible = [g for g in groups if g.item.visible]
    if len(visible) < 2:
        return None
    anchor = max(visible, key=lambda g: (focus.relevance(_group_text(g)), -visible.index(g)))
    if focus.relevance(_group_text(anchor)) <= 0:
        return None
    moved: list[str] = []
    for group in visible:
        if group is anchor:
            continue
        relevant = [k for k in group.keywords if focus.relevance(k) > 0]
        if len(relevant) == len(group.keywords):
            relevant = relevant[1:]
        if relevant:
            group.keywords = [k for k in group.keywords if k not in relevant]
            moved += relevant
    if not moved:
        return None
    present = {k.casefold() for k in anchor.keywords}
    anchor.keywords = stable_sort_by(
        anchor.keywords + [k for k in dict.fromkeys(moved) if k.casefold() not in present],
        focus.relevance,
    )
    return anchor, moved


def _keyword_changes(group: _Group, focus: JobFocus, moved: list[str]) -> list[Change]:
    changes: list[Change] = []
    original = list(group.item.keywords)
    ordered = stable_sort_by(group.keywords, focus.relevance)
    if set(ordered) != set(original):
        reason = (
            f"Gathered the skills this job asks for ({join_names(moved)}) into one group."
            if moved
            else "Moved skills this job asks for into the group that gathers them."
        )
        changes.append(
            Change(path=f"{group.path}.keywords", original=original, new=ordered, reason=reason)
        )
    elif ordered != original:
        first = focus.job_terms_in(" · ".join(ordered[:3]))
        changes.append(
            Change(
                path=f"{group.path}.keywords",
                action="reorder",
                original=original,
                new=ordered,
                reason=f"Listed the skills this job asks for first ({join_names(first)}).",
            )
        )
    if group.surfaced:
        added = [focus.list_name(term) for term in group.surfaced]
        evidence = sorted({e for t in group.surfaced for e in _evidence_for(t, focus)})
        through = f" (through {join_names(evidence)})" if evidence else ""
        changes.append(
            Change(
                path=f"{group.path}.keywords",
                action="add",
                original=ordered,
                new=added,
                reason=(
                    f"The job asks for {join_names(added)}, which the resume already "
                    f"evidences{through} without naming."
                ),
            )
        )
    return changes


def skill_changes(skills: list[SkillItem], focus: JobFocus, level: Level) -> list[Change]:
    """Every skills-section change for ``level``, in the order they must be applied."""
    groups = [_Group(item, list(item.keywords)) for item in skills]
    visible = [g for g in groups if g.item.visible]
    changes: list[Change] = []
    regrouped = _regroup(groups, focus) if level is Level.super else None
    if visible:
        for term in focus.surfaceable():
            _home_for(term, visible, focus).surfaced.append(term)
    for group in groups:
        moved = regrouped[1] if regrouped and group is regrouped[0] else []
        changes += _keyword_changes(group, focus, moved)
    if regrouped and regrouped[0].item.name != CORE_GROUP_NAME:
        anchor = regrouped[0]
        changes.append(
            Change(
                path=f"{anchor.path}.name",
                original=anchor.item.name,
                new=CORE_GROUP_NAME,
                reason="Renamed the group that now gathers the job's skills.",
            )
        )
    ranked = sorted(
        groups, key=lambda g: -focus.relevance(" · ".join([_group_text(g), *g.surfaced]))
    )
    order = [g.item.id for g in ranked]
    if order != [g.item.id for g in groups]:
        changes.append(
            Change(
                path=_ITEMS_PATH,
                action="reorder",
                original=[g.item.id for g in groups],
                new=order,
                reason="Put the skill groups most relevant to this job first.",
            )
        )
    return changes
