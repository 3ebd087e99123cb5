"""Applying tailoring changes to a resume, and which paths each finetune level may change.

A :class:`~finetune.tailoring.model.Change` names one field by path, with item ids rather than
list positions, so a change means the same thing whatever order the items are in:
``basics.headline``, ``sections.summary.content``, ``sections.<section>.items.<id>.<field>`` and
``sections.<section>.items`` (the item order, for ``reorder``). Engines only propose changes;
this module is the one place that turns them into a new resume, and it refuses anything it cannot
apply exactly (unknown path or id, wrong value type, stale ``original``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from finetune.documents.schema import Item, ResumeData, Section, SkillItem
from finetune.errors import ValidationError
from finetune.tailoring.model import Change, ChangeValue, Level
from finetune.tailoring.vocabulary import default_vocabulary

Action = Literal["replace", "reorder", "add"]


class ChangeError(ValidationError):
    """A change that cannot be applied; ``code`` is the warning code the verifier reports."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PathRule:
    """A path pattern (``*`` matches one path segment) and the actions allowed on it.

    ``keeps_sentences`` rules only accept a text that keeps every sentence of the original
    (skills may be written another way) and adds at most one: the ``basic`` level may add to
    the summary or respell its skills, not rewrite it.
    """

    pattern: str
    actions: frozenset[Action]
    keeps_sentences: bool = False


_REPLACE: frozenset[Action] = frozenset({"replace"})
_REORDER: frozenset[Action] = frozenset({"reorder"})
# "add" on the skill groups creates one group (for a resume with none); "replace" on a group's
# keywords may only respell or add skills, never drop one (the verifier checks both).
_SKILL_GROUPS = PathRule("sections.skills.items", frozenset({"reorder", "add"}))
_SKILL_KEYWORDS = PathRule(
    "sections.skills.items.*.keywords", frozenset({"reorder", "add", "replace"})
)
_BASIC_RULES = (
    _SKILL_GROUPS,
    _SKILL_KEYWORDS,
    PathRule("sections.summary.content", _REPLACE, keeps_sentences=True),
)
_GOOD_RULES = (
    _SKILL_GROUPS,
    _SKILL_KEYWORDS,
    PathRule("sections.summary.content", _REPLACE),
    PathRule("basics.headline", _REPLACE),
    PathRule("sections.experience.items.*.summary", _REPLACE),
)
_SUPER_RULES = (
    *_GOOD_RULES,
    PathRule("sections.projects.items", _REORDER),
    PathRule("sections.projects.items.*.summary", _REPLACE),
    PathRule("sections.projects.items.*.keywords", _REORDER),
    PathRule("sections.volunteer.items.*.summary", _REPLACE),
)

RULES: dict[Level, tuple[PathRule, ...]] = {
    Level.basic: _BASIC_RULES,
    Level.good: _GOOD_RULES,
    Level.super: _SUPER_RULES,
}
ALLOWED_PATHS: dict[Level, tuple[str, ...]] = {
    level: tuple(rule.pattern for rule in rules) for level, rules in RULES.items()
}
NEW_GROUP_PATH = "sections.skills.items"


def _matches(pattern: str, path: str) -> bool:
    pattern_parts = pattern.split(".")
    path_parts = path.split(".")
    return len(pattern_parts) == len(path_parts) and all(
        want in ("*", got) for want, got in zip(pattern_parts, path_parts, strict=True)
    )


def _normalized(text: str) -> str:
    return " ".join(text.split())


def _sentence_keys(text: str) -> list[str]:
    """Each sentence with its skills reduced to their canonical names and spacing normalised."""
    vocabulary = default_vocabulary()
    keys = []
    for sentence in re.split(r"(?<=[.!?])\s+", _normalized(text)):
        pieces, position = [], 0
        for start, end, term in vocabulary.spans(sentence):
            pieces += [sentence[position:start], f"\x00{term.name}\x00"]
            position = end
        pieces.append(sentence[position:])
        if sentence:
            keys.append("".join(pieces))
    return keys


def keeps_sentences(original: str, new: str) -> bool:
    """Whether ``new`` keeps every sentence of ``original`` (skills may be spelled otherwise),
    in order, and adds at most one sentence."""
    old_keys, new_keys = _sentence_keys(original), _sentence_keys(new)
    remaining = iter(new_keys)
    return len(new_keys) <= len(old_keys) + 1 and all(k in remaining for k in old_keys)


def is_allowed(change: Change, level: Level) -> bool:
    """Whether ``level`` may make this kind of change to this path (facts are checked elsewhere)."""
    for rule in RULES[level]:
        if not _matches(rule.pattern, change.path) or change.action not in rule.actions:
            continue
        if rule.keeps_sentences:
            original = change.original if isinstance(change.original, str) else ""
            return isinstance(change.new, str) and keeps_sentences(original, change.new)
        return True
    return False


@dataclass
class _Target:
    """A resolved path: the model holding the field, the field's name and its current value."""

    owner: BaseModel
    field: str
    kind: Literal["text", "list", "items"]
    value: str | list[str]


def _resolve(resume: ResumeData, path: str) -> _Target:
    parts = path.split(".")
    if not path or any(not part for part in parts):
        raise ChangeError("unknown_path", f"{path!r} is not a valid change path")
    owner: BaseModel = resume
    index = 0
    while index < len(parts):
        name = parts[index]
        if name not in type(owner).model_fields:
            raise ChangeError("unknown_path", f"{path!r}: unknown field {name!r}")
        value = getattr(owner, name)
        last = index == len(parts) - 1
        if isinstance(value, str) and last:
            return _Target(owner, name, "text", value)
        if isinstance(value, list) and last:
            if isinstance(owner, Section):
                return _Target(owner, name, "items", [item.id for item in owner.items])
            if all(isinstance(v, str) for v in value):
                return _Target(owner, name, "list", list(value))
        if isinstance(value, list) and isinstance(owner, Section) and not last:
            item_id = parts[index + 1]
            owner = _find_item(owner.items, item_id, path)
            index += 2
            continue
        if isinstance(value, BaseModel) and not last:
            owner = value
            index += 1
            continue
        raise ChangeError("unknown_path", f"{path!r} does not name a text or list field")
    raise ChangeError("unknown_path", f"{path!r} names an item, not one of its fields")


def _find_item(items: Sequence[Item], item_id: str, path: str) -> Item:
    for item in items:
        if item.id == item_id:
            return item
    raise ChangeError("unknown_item", f"{path!r}: no item with id {item_id!r}")


def read_path(resume: ResumeData, path: str) -> str | list[str]:
    """The current value at ``path``: text, a list of strings, or the item ids of a section.

    Raises :class:`ChangeError` (a ``ValidationError``) for unknown paths and item ids.
    """
    return _resolve(resume, path).value


def _same(original: ChangeValue, current: str | list[str]) -> bool:
    if isinstance(current, str):
        # An engine may send null for a field that is still empty.
        text = "" if original is None else original
        return isinstance(text, str) and _normalized(text) == _normalized(current)
    return isinstance(original, list) and [_normalized(v) for v in original] == [
        _normalized(v) for v in current
    ]


def _string_list(value: ChangeValue, path: str) -> list[str]:
    if not isinstance(value, list) or any(not v.strip() for v in value):
        raise ChangeError("invalid_value", f"{path!r}: expected a list of non-empty strings")
    return [v.strip() for v in value]


def _planned(target: _Target, change: Change) -> str | list[str]:
    path = change.path
    if not _same(change.original, target.value):
        raise ChangeError(
            "stale_change", f"{path!r}: 'original' does not match the resume's current value"
        )
    if target.kind == "text":
        if change.action != "replace" or not isinstance(change.new, str):
            raise ChangeError("invalid_value", f"{path!r}: a text field takes 'replace' with text")
        return change.new.strip()
    new = _string_list(change.new, path)
    current = list(target.value)
    if change.action == "reorder":
        if sorted(new) != sorted(current):
            raise ChangeError(
                "invalid_value", f"{path!r}: 'reorder' must list exactly the current entries"
            )
        return new
    if target.kind == "items":
        if change.action == "add" and path == NEW_GROUP_PATH:
            return new  # the keywords of one new skill group
        raise ChangeError("invalid_value", f"{path!r}: items can only be reordered")
    if change.action == "add":
        present = {v.casefold() for v in current}
        added = [v for v in dict.fromkeys(new) if v.casefold() not in present]
        return current + added
    return list(dict.fromkeys(new))


def planned_value(
    resume: ResumeData, change: Change, *, current: str | list[str] | None = None
) -> str | list[str]:
    """The value ``change.path`` would hold after ``change``; raises :class:`ChangeError` if the
    change cannot be applied (unknown path or id, stale ``original``, wrong action or type).

    ``current`` stands in for the field's value when earlier changes (not yet applied to
    ``resume``) have already changed it.
    """
    target = _resolve(resume, change.path)
    if current is not None:
        target.value = current
    return _planned(target, change)


def apply_change_in_place(resume: ResumeData, change: Change) -> None:
    """Apply one change to ``resume`` itself; nothing is modified if it raises."""
    target = _resolve(resume, change.path)
    value = _planned(target, change)
    if target.kind == "items" and isinstance(target.owner, Section):
        if change.action == "add":
            target.owner.items = [*target.owner.items, SkillItem(keywords=list(value))]
            return
        by_id = {item.id: item for item in target.owner.items}
        target.owner.items = [by_id[item_id] for item_id in value]
    else:
        setattr(target.owner, target.field, value)


def apply_changes(base: ResumeData, changes: Sequence[Change]) -> ResumeData:
    """A new resume with ``changes`` applied in order; ``base`` is left untouched.

    Each change's ``original`` must equal the value at that point (after earlier changes).
    """
    tailored = base.model_copy(deep=True)
    for change in changes:
        apply_change_in_place(tailored, change)
    return tailored
