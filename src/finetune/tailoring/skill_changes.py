"""Skills-section changes of the local engine: write the job's way, surface, reorder.

Groups keep their names, levels and every skill they list. Within a group, a skill the job
writes differently is written the job's way ("Postgres" → "PostgreSQL"); a job skill the resume
evidences without writing it is added to the group that holds the evidence (EKS's group gets
Kubernetes), or else to the group of its field with the most modest level, so a skill is never
promoted into a group that claims more; the job's skills move to the front. A resume with no
skills at all gets one group of the job skills it evidences.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from finetune.documents.schema import SkillItem
from finetune.tailoring.job_focus import JobFocus
from finetune.tailoring.model import Change
from finetune.tailoring.rewriting import can_respell_entry, join_names, stable_sort_by

ITEMS_PATH = "sections.skills.items"


@dataclass
class _Group:
    item: SkillItem
    keywords: list[str]
    added: list[str] = field(default_factory=list)
    respelled: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " · ".join([self.item.name, *self.keywords])


def _listed(group: _Group, focus: JobFocus) -> frozenset[str]:
    """The terms the group names, each read in the context of the whole list."""
    return frozenset(t.name for t in focus.terms_in(group.text))


def _respelled(keyword: str, listed: frozenset[str], focus: JobFocus) -> str:
    """A list entry that is exactly one job skill written another way, written the job's way,
    when the two are plainly the same name (see ``rewriting.can_respell_entry``) and the list
    means that skill (``listed``: "ML" among OCaml and Haskell is not machine learning)."""
    spans = focus.vocabulary.spans(keyword)
    if len(spans) != 1 or (spans[0][0], spans[0][1]) != (0, len(keyword.strip())):
        return keyword
    name = spans[0][2].name
    if name not in listed or name not in focus.weights or focus.is_literal(name, keyword):
        return keyword
    spelling = focus.spelling(name, in_list=True)
    return spelling if can_respell_entry(keyword, spelling) else keyword


def _evidence_in(group: _Group, term: str, focus: JobFocus) -> bool:
    names = [t.name for t in focus.terms_in(group.text)]
    return term in names or term in focus.vocabulary.implied(names)


def _home_for(term: str, groups: list[_Group], focus: JobFocus) -> _Group | None:
    """The group holding the evidence for ``term``; else the one listing its closest kin (skills
    that imply what it implies, e.g. FastAPI for REST APIs: both are API development); else the
    most modest group of its field, so a skill is never promoted into a group claiming more."""
    for group in groups:
        if _evidence_in(group, term, focus):
            return group
    vocabulary = focus.vocabulary
    wanted = vocabulary.get(term)
    if wanted is None:
        return None
    parents = vocabulary.implied([term])

    def kinship(group: _Group) -> tuple[int, int]:
        names = [t for t in focus.terms_in(group.text)]
        shared = sum(1 for t in names if parents & vocabulary.implied([t.name]))
        same_field = sum(1 for t in names if t.field == wanted.field)
        return shared, same_field

    scored = [(kinship(g), g) for g in groups]
    candidates = [(k, g) for k, g in scored if k != (0, 0)]
    if not candidates:
        return None
    return min(candidates, key=lambda kg: (-kg[0][0], -kg[0][1], kg[1].item.level or 0))[1]


def _written(group: _Group, name: str, focus: JobFocus) -> bool:
    return name in _listed(group, focus) and any(
        t.name == name and focus.is_literal(name, keyword)
        for keyword in group.keywords
        for t in focus.terms_in(keyword)
    )


def _reason(group: _Group, reordered: bool) -> str:
    parts = []
    if group.respelled:
        parts.append(f"wrote {join_names(group.respelled)} the way the job does")
    if group.added:
        parts.append(
            f"added {join_names(group.added)}, which the resume already evidences without "
            "naming it that way"
        )
    if reordered:
        parts.append("put the skills this job asks for first")
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def _group_change(group: _Group, focus: JobFocus) -> Change | None:
    original = list(group.item.keywords)
    # Each skill read in its list's context ("ML" beside OCaml is the language).
    listed = _listed(group, focus)
    ordered = stable_sort_by(
        group.keywords + group.added, lambda k: focus.relevance(k, within=listed)
    )
    if ordered == original:
        return None
    only_moved = sorted(ordered) == sorted(original)
    reordered = ordered != group.keywords + group.added
    return Change(
        path=f"{ITEMS_PATH}.{group.item.id}.keywords",
        action="reorder" if only_moved else "replace",
        original=original,
        new=ordered,
        reason=_reason(group, reordered),
    )


def _new_group(names: list[str], skills: list[SkillItem], focus: JobFocus) -> Change:
    written = [focus.spelling(name, in_list=True) for name in names]
    return Change(
        path=ITEMS_PATH,
        action="add",
        original=[item.id for item in skills],
        new=written,
        reason=f"Listed {join_names(written)}, which the resume evidences, as skills.",
    )


def _group_order(skills: list[SkillItem], groups: list[_Group], focus: JobFocus) -> Change | None:
    texts = {g.item.id: " · ".join([g.text, *g.added]) for g in groups}
    ids = [item.id for item in skills]
    order = [i.id for i in sorted(skills, key=lambda i: -focus.relevance(texts.get(i.id, "")))]
    if order == ids:
        return None
    return Change(
        path=ITEMS_PATH,
        action="reorder",
        original=ids,
        new=order,
        reason="Put the skill groups most relevant to this job first.",
    )


def skill_changes(skills: list[SkillItem], focus: JobFocus) -> list[Change]:
    """Every change to a visible skills section, in the order they must be applied."""
    groups = [_Group(item, list(item.keywords)) for item in skills if item.visible]
    for group in groups:
        listed = _listed(group, focus)
        for index, keyword in enumerate(group.keywords):
            written = _respelled(keyword, listed, focus)
            if written != keyword:
                group.keywords[index] = written
                group.respelled.append(written)
        group.keywords = list(dict.fromkeys(group.keywords))
    homeless: list[str] = []
    for name in focus.to_surface():
        if any(_written(g, name, focus) for g in groups):
            continue
        home = _home_for(name, groups, focus)
        if home is not None:
            home.added.append(focus.spelling(name, in_list=True))
        elif not groups:
            homeless.append(name)
    if not groups:
        return [_new_group(homeless, skills, focus)] if homeless else []
    changes = [c for g in groups if (c := _group_change(g, focus)) is not None]
    order = _group_order(skills, groups, focus)
    return [*changes, order] if order else changes
