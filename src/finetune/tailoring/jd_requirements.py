"""How the term mentions of a job ad become requirements.

One sentence can ask for one thing in several words: "Python or Go", "Tableau, Power BI or
Looker", "a BI tool (Tableau or Looker)", "Tableau or a similar BI tool". :func:`asks_in` reads
those as one ask with alternatives; "Python and Go" stays two asks. :func:`assemble` then merges
the asks of the whole ad into one requirement per term. The rules are documented in
``docs/scoring.md`` (Job analysis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from finetune.tailoring.vocabulary import Span, Term

# Words that may sit between a head term and its examples: "a BI tool such as Tableau".
_HEAD_NOUNS = (
    r"(?:tools?|platforms?|systems?|software|languages?|frameworks?|solutions?|products?|"
    r"databases?|suites?|applications?|apps?|services?|technolog(?:y|ies)|stacks?|"
    r"experience|skills?|certifications?|licen[cs]es?|degrees?|methodolog(?:y|ies))"
)
_EXAMPLES = r"(?:such as|e\.?\s?g\.?|for example|for instance|like|i\.?\s?e\.?)"
_CONNECTOR_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    # "Tableau or Looker", "Python and/or Go", "Tableau or a similar BI tool"
    (
        "or",
        re.compile(
            r"\s*,?\s*(?:or|and\s*/\s*or|and or)\s+(?:(?:an?|any|other|another|similar|"
            r"equivalent|comparable|related|some|alternative)\s+)*",
            re.IGNORECASE,
        ),
    ),
    ("comma", re.compile(r"\s*,\s*")),
    ("and", re.compile(r"\s*(,)?\s*(?:and|&|as well as)\s+", re.IGNORECASE)),
    # "a BI tool such as Tableau", "CRM (e.g. Salesforce)", "CRM, e.g. Salesforce"
    (
        "example",
        re.compile(rf"\s*(?:{_HEAD_NOUNS}\s*)?(?:\(\s*|,\s*)?{_EXAMPLES}[,:]?\s*", re.IGNORECASE),
    ),
    # "a BI tool (Tableau or Looker)": examples only with an "or"; "EHR (Epic)" asks for both.
    ("paren", re.compile(rf"\s*(?:{_HEAD_NOUNS}\s*)?\(\s*", re.IGNORECASE)),
)


# The longest text a connector can be ("tools such as", ", and/or a comparable").
_MAX_CONNECTOR = 40


def _connector(gap: str) -> str | None:
    """What joins two neighbouring mentions: or, comma, and (", and" counts as "outer-and"),
    example, paren, or None for any other text."""
    if len(gap) > _MAX_CONNECTOR:
        return None
    for kind, pattern in _CONNECTOR_RES:
        match = pattern.fullmatch(gap)
        if match:
            return "outer-and" if kind == "and" and match[1] else kind
    return None


@dataclass
class Ask:
    """One requirement as one sentence states it: the terms that satisfy it, head first."""

    names: list[str]
    required: bool


def _ask(terms: list[Term], required: bool) -> Ask:
    return Ask(list(dict.fromkeys(term.name for term in terms)), required)


def _units(terms: list[Term], gaps: list[str | None]) -> list[tuple[list[Term], str | None]]:
    """Terms with their examples folded in ("CDNs such as Cloudflare or Fastly" is one unit),
    each with the connector that follows it."""
    units: list[tuple[list[Term], str | None]] = []
    i = 0
    while i < len(terms):
        end = i
        if i < len(gaps) and gaps[i] in ("example", "paren"):
            end = i + 1
            while end < len(gaps) and gaps[end] in ("comma", "or", "and", "outer-and"):
                end += 1
            # "Excel skills (pivot tables, VLOOKUP)" lists parts, each asked for; a bracketed
            # list offers choices only when it says "or".
            if gaps[i] == "paren" and "or" not in gaps[i + 1 : end]:
                end = i
        units.append((terms[i : end + 1], gaps[end] if end < len(gaps) else None))
        i = end + 1
    return units


def asks_in(sentence: str, mentions: list[Span], required: bool) -> list[Ask]:
    """The asks of one sentence, given its term mentions in order."""
    if len(mentions) < 2:
        return [Ask([term.name], required) for _, _, term in mentions]
    terms = [term for _, _, term in mentions]
    gaps = [
        _connector(sentence[mentions[i][1] : mentions[i + 1][0]])
        if mentions[i + 1][0] >= mentions[i][1]
        else None  # overlapping mentions ("patient care plans") are two separate asks
        for i in range(len(mentions) - 1)
    ]
    units = _units(terms, gaps)
    asks: list[Ask] = []
    i = 0
    while i < len(units):
        end = i
        while end < len(units) - 1 and units[end][1] in ("comma", "or"):
            end += 1
        run = units[i : end + 1]
        joins = [join for _, join in run[:-1]]
        if "or" not in joins:
            asks += [_ask(unit, required) for unit, _ in run]
        elif run[-1][1] == "outer-and":
            # "SQL, Python or R, and Tableau": the commas separate the items of an and-list.
            group: list[Term] = []
            for unit, join in run:
                group += unit
                if join != "or":
                    asks.append(_ask(group, required))
                    group = []
        else:
            asks.append(_ask([term for unit, _ in run for term in unit], required))
        i = end + 1
    return asks


@dataclass
class _Group:
    names: list[str]
    required: bool
    members: set[str] = field(default_factory=set)


def assemble(asks: list[Ask], first_seen: dict[str, int]) -> list[tuple[str, bool, list[str]]]:
    """(term, required, alternatives) per requirement, in order of the term's first mention.

    A term asked for on its own is a requirement of its own. A term of an ask with alternatives
    that is also asked for on its own at least as strongly leaves the ask (its own requirement
    covers it); the ask is dropped when fewer than two alternatives remain ("A or B" with A
    asked for alone), else kept for the rest ("warehouse, distribution, logistics or military
    supply" with distribution asked alone still accepts the other three). Asks with
    alternatives that share a term merge into one. The head of a group is
    its first-mentioned term that is not a requirement of its own.
    """
    alone: dict[str, bool] = {}
    for ask in asks:
        if len(ask.names) == 1:
            name = ask.names[0]
            alone[name] = alone.get(name, False) or ask.required
    groups: list[_Group] = []
    for ask in asks:
        if len(ask.names) == 1:
            continue
        covered = {n for n in ask.names if n in alone and (alone[n] or not ask.required)}
        rest = [n for n in ask.names if n not in covered]
        if covered and len(rest) < 2:
            continue  # "A or B" with A asked for alone: A's requirement stands for it
        merged = _Group(rest, ask.required, set(rest))
        for group in [g for g in groups if g.members & merged.members]:
            groups.remove(group)
            merged.names += [n for n in group.names if n not in merged.members]
            merged.members |= group.members
            merged.required |= group.required
        groups.append(merged)
    result: dict[str, tuple[bool, list[str]]] = {n: (r, []) for n, r in alone.items()}
    for group in groups:
        ordered = sorted(group.names, key=first_seen.__getitem__)
        head = next((name for name in ordered if name not in alone), None)
        if head is None:
            # Every term is also asked for alone, only less strongly: the first carries the bar.
            result[ordered[0]] = (True, [])
            continue
        result[head] = (group.required, [name for name in ordered if name != head])
    return [
        (name, required, alternatives)
        for name, (required, alternatives) in sorted(
            result.items(), key=lambda item: first_seen[item[0]]
        )
    ]
