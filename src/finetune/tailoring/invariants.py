"""Whole-resume invariants, checked after tailoring's changes are applied.

Whatever the changes were, the tailored resume must keep every employer, title, school, degree,
certification, award and date of the base resume, unchanged and visible, add none, and keep the
person's identity. Any breach makes the pipeline fall back to the base resume.
"""

from __future__ import annotations

from finetune.documents.schema import ResumeData
from finetune.tailoring.model import TailorWarning

# Per section: what one of its items stands for, and the fields that must never change.
_PRESERVED_FIELDS: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "experience": ("employer", (("company", "employer"), ("position", "title"), ("date", "date"))),
    "volunteer": (
        "organisation",
        (("organization", "employer"), ("position", "title"), ("date", "date")),
    ),
    "education": (
        "school",
        (
            ("institution", "school"),
            ("studyType", "degree"),
            ("area", "degree"),
            ("score", "degree"),
            ("date", "date"),
        ),
    ),
    "certifications": (
        "certification",
        (("name", "certification"), ("issuer", "certification"), ("date", "date")),
    ),
    "awards": ("award", (("title", "award"), ("awarder", "award"), ("date", "date"))),
}
_IDENTITY_FIELDS = ("name", "email", "phone", "location")


def check_preserved(base: ResumeData, tailored: ResumeData) -> list[TailorWarning]:
    """Whole-resume invariants: every employer, title, school, degree, certification, award and
    date of the base is still there, unchanged and visible, and none was added; so is the
    person's identity. An empty list means the tailored resume keeps them all."""
    warnings: list[TailorWarning] = []
    for field in _IDENTITY_FIELDS:
        if getattr(base.basics, field) != getattr(tailored.basics, field):
            warnings.append(_invariant("altered_contact", f"basics.{field} was changed"))
    if base.basics.url != tailored.basics.url:
        warnings.append(_invariant("altered_contact", "basics.url was changed"))
    for section_name, (noun, fields) in _PRESERVED_FIELDS.items():
        before = getattr(base.sections, section_name)
        after = getattr(tailored.sections, section_name)
        path = f"sections.{section_name}"
        if before.visible and not after.visible and before.items:
            warnings.append(_invariant(f"dropped_{noun}", f"{path} was hidden", path))
        tailored_items = {item.id: item for item in after.items}
        for item in before.items:
            item_path = f"{path}.items.{item.id}"
            kept = tailored_items.pop(item.id, None)
            if kept is None or (item.visible and not kept.visible):
                label = getattr(item, fields[0][0]) or item.id
                message = f"{noun} {label!r} was removed"
                warnings.append(_invariant(f"dropped_{noun}", message, item_path))
                continue
            for field, kind in fields:
                old, new = getattr(item, field), getattr(kept, field)
                if old == new:
                    continue
                code = f"dropped_{kind}" if old.strip() and not new.strip() else f"altered_{kind}"
                message = f"{field} changed from {old!r} to {new!r}"
                warnings.append(_invariant(code, message, f"{item_path}.{field}"))
        for added in tailored_items:
            message = f"a {noun} that is not in the base resume was added"
            warnings.append(_invariant(f"added_{noun}", message, f"{path}.items.{added}"))
    return warnings


def _invariant(code: str, message: str, path: str | None = None) -> TailorWarning:
    return TailorWarning(code=code, message=f"Tailoring must not do this: {message}.", path=path)
