"""Tailoring quality over every resume/job pair in tests/data/pairs, at every level.

Run from the repository root:  .venv/bin/python bench/quality.py [--changes] [--pair NAME ...]
With an LLM configured (FINETUNE_LLM_PROVIDER=openai|anthropic and its FINETUNE_LLM_* settings,
see docs/llm.md) add ``--engine configured`` to measure that engine instead of the built-in one.

Reports, per pair and level: the ATS score before and after, fabrications found by the
independent audit (``finetune.tailoring.audit``: invented numbers, changed employers/titles/dates,
skills claimed without evidence, and, for the local engine, any word without a source, plus the
pair's hand-annotated absent skills appearing), stock phrases and keyword lists, the share of the
job's terms the base resume evidences (by the vocabulary) that the tailored resume states the
job's way, and how many of the asks a recruiter annotated as evidenced (meta.json ``evidenced``)
it now states.
Then: mean uplift per level on matched pairs, discrimination (each matched resume scores higher
on its own job than on any job of another field), and, with ``--changes``, every change with its
reason.

Targets (issue 10): 0 fabrications and 0 style problems; mean uplift at good >= +12 and
super > good > basic on matched pairs; >= 90% of the evidenced job terms stated the job's way;
own job above every job of another field in every matched pair. Exits 1 when a target is
missed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from finetune.config import Settings
from finetune.documents.loading import load_resume_file
from finetune.documents.schema import ResumeData
from finetune.tailoring.audit import audit, resume_words_text, says_phrase
from finetune.tailoring.engine import TailoringEngine
from finetune.tailoring.engines import build_engine
from finetune.tailoring.jd import JobProfile, analyze_job
from finetune.tailoring.model import Level, TailorResult
from finetune.tailoring.pipeline import tailor
from finetune.tailoring.scoring import resume_evidence, score_resume
from finetune.tailoring.vocabulary import default_vocabulary

PAIRS_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "pairs"
TARGET_GOOD_UPLIFT = 12.0
TARGET_LITERAL_SHARE = 0.90
STATED_THE_JOBS_WAY = ("in_context", "listed")


@dataclass(frozen=True)
class Pair:
    name: str
    resume: ResumeData
    job_text: str
    job: JobProfile
    meta: dict[str, object]

    @property
    def kind(self) -> str:
        return str(self.meta.get("kind", "matched"))


@dataclass(frozen=True)
class Row:
    pair: Pair
    level: Level
    result: TailorResult
    fabrications: list[str]
    style: list[str]
    evidenced: int  # job terms the base resume evidences
    literal: int  # of those, stated the job's way in the tailored resume
    annotated: int  # job asks a recruiter marked as evidenced but not named (meta.json)
    surfaced: int  # of those, now stated the job's way

    @property
    def uplift(self) -> int:
        return self.result.ats_score - self.result.ats_score_before


def load_pairs(names: list[str]) -> list[Pair]:
    pairs = []
    for directory in sorted(p for p in PAIRS_DIR.iterdir() if (p / "resume.json").exists()):
        if names and directory.name not in names:
            continue
        meta = json.loads((directory / "meta.json").read_text())
        job_text = (directory / "job.txt").read_text()
        job = analyze_job(job_text, position=str(meta["position"]))
        resume = load_resume_file(directory / "resume.json")
        pairs.append(Pair(directory.name, resume, job_text, job, meta))
    return pairs


def _surfaced(pair: Pair, result: TailorResult) -> int:
    """How many of the recruiter-annotated evidenced asks the tailored resume now states: the
    ask's own words, or every vocabulary term in it stated the job's way."""
    text = resume_words_text(result.resume_data)
    after = {t.term: t.evidence for t in result.ats_breakdown.terms}
    count = 0
    for phrase in pair.meta.get("evidenced", []) or []:
        terms = [t.name for t in default_vocabulary().find(str(phrase))]
        stated = bool(terms) and all(after.get(t) in STATED_THE_JOBS_WAY for t in terms)
        count += says_phrase(str(phrase), text) or stated
    return count


def _absent_claims(pair: Pair, tailored: ResumeData) -> list[str]:
    """The pair's annotated absent skills that the tailored resume mentions and the base not."""
    base_text = resume_words_text(pair.resume)
    text = resume_words_text(tailored)
    return [
        f"absent {phrase!r} claimed"
        for phrase in pair.meta.get("absent", []) or []
        if says_phrase(str(phrase), text) and not says_phrase(str(phrase), base_text)
    ]


async def measure(pair: Pair, level: Level, engine: TailoringEngine | None, words: bool) -> Row:
    meta = pair.meta
    result = await tailor(
        pair.resume,
        pair.job_text,
        company=str(meta["company_name"]),
        position=str(meta["position"]),
        level=level,
        engine=engine,
    )
    found = audit(pair.resume, result.resume_data, pair.job, check_words=words)
    fabrications = [f"invented word {w!r}" for w in sorted(found.invented_words)]
    fabrications += [f"invented number {n!r}" for n in sorted(found.invented_numbers)]
    fabrications += list(found.changed_entities)
    fabrications += [f"claims {t!r} without evidence" for t in found.claimed_without_evidence]
    fabrications += _absent_claims(pair, result.resume_data)
    style = [f"stock phrase {p!r}" for p in found.stock_phrases]
    style += [f"keyword list {s!r}" for s in found.keyword_lists]
    before = {t.term: t.evidence for t in result.ats_breakdown_before.terms}
    after = {t.term: t.evidence for t in result.ats_breakdown.terms}
    evidenced = [term for term, kind in before.items() if kind != "absent"]
    literal = [t for t in evidenced if after.get(t) in STATED_THE_JOBS_WAY]
    annotated = len(pair.meta.get("evidenced", []) or [])
    return Row(
        pair,
        level,
        result,
        fabrications,
        style,
        len(evidenced),
        len(literal),
        annotated,
        _surfaced(pair, result),
    )


def discrimination(pairs: list[Pair]) -> list[tuple[str, int, int, str]]:
    """(pair, own-job score, best score on a job of another field, that job) for every pair
    whose resume fits its job (matched and injection pairs): a resume must score higher on its
    own job than on any unrelated one."""
    rows = []
    for pair in pairs:
        if pair.kind not in ("matched", "injection"):
            continue
        evidence = resume_evidence(pair.resume)
        own = score_resume(pair.resume, pair.job, evidence=evidence).ats_score
        field = pair.meta.get("job_field")
        others = [
            (score_resume(pair.resume, other.job, evidence=evidence).ats_score, other.name)
            for other in pairs
            if other is not pair and other.meta.get("job_field") != field
        ]
        best, name = max(others) if others else (0, "-")
        rows.append((pair.name, own, best, name))
    return rows


def _print_changes(row: Row) -> None:
    for change in row.result.changes:
        print(f"      * {change.path} [{change.action}] {change.reason}")
        new = change.new if isinstance(change.new, str) else json.dumps(change.new)
        print("        → " + str(new).replace("\n", "\n          "))


def report(rows: list[Row], pairs: list[Pair], show_changes: bool) -> bool:
    print(f"{'pair':28} {'kind':10} {'level':6} {'before':>6} {'after':>6} {'lit':>7}  problems")
    for row in rows:
        problems = "; ".join(row.fabrications + row.style) or "-"
        literal = f"{row.literal}/{row.evidenced}"
        print(
            f"{row.pair.name:28} {row.pair.kind:10} {row.level.value:6} "
            f"{row.result.ats_score_before:6d} {row.result.ats_score:6d} {literal:>7}  {problems}"
        )
        if show_changes:
            _print_changes(row)
    ok = True
    fabrications = sum(len(r.fabrications) for r in rows)
    style = sum(len(r.style) for r in rows)
    print(f"\nfabrications: {fabrications} (target 0); style problems: {style} (target 0)")
    ok &= fabrications == 0 and style == 0
    matched = [r for r in rows if r.pair.kind == "matched"]
    means = {}
    for level in Level:
        uplifts = [r.uplift for r in matched if r.level is level]
        means[level] = statistics.fmean(uplifts) if uplifts else 0.0
        evidenced = sum(r.evidenced for r in rows if r.level is level)
        literal = sum(r.literal for r in rows if r.level is level)
        share = literal / evidenced if evidenced else 1.0
        annotated = sum(r.annotated for r in rows if r.level is level)
        surfaced = sum(r.surfaced for r in rows if r.level is level)
        print(
            f"{level.value:6}: mean uplift on {len(uplifts)} matched pairs {means[level]:+.1f}; "
            f"evidenced job terms stated the job's way {share:.0%} ({literal}/{evidenced}); "
            f"recruiter-annotated evidence surfaced {surfaced}/{annotated}"
        )
        if level is not Level.basic:
            ok &= share >= TARGET_LITERAL_SHARE
    ordered = means[Level.super] > means[Level.good] > means[Level.basic]
    print(
        f"uplift at good {means[Level.good]:+.1f} (target >= +{TARGET_GOOD_UPLIFT:.0f}); "
        f"super > good > basic: {'yes' if ordered else 'NO'}"
    )
    ok &= means[Level.good] >= TARGET_GOOD_UPLIFT and ordered
    print("\ndiscrimination (base resume on its own job vs its best job of another field):")
    for name, own, best, other in discrimination(pairs):
        verdict = "ok" if own > best else "NOT ABOVE"
        print(f"  {name:28} own {own:3d}  best other {best:3d} ({other})  {verdict}")
        ok &= own > best
    print("\nall targets met" if ok else "\nsome targets missed")
    return ok


async def run(args: argparse.Namespace) -> bool:
    pairs = load_pairs(args.pair)
    engine = build_engine(Settings()) if args.engine == "configured" else None
    words = engine is None or getattr(engine, "name", "") == "finetune-local"
    rows = [await measure(pair, level, engine, words) for pair in pairs for level in Level]
    return report(rows, pairs, args.changes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["local", "configured"], default="local")
    parser.add_argument("--pair", action="append", default=[], help="only this pair (repeatable)")
    parser.add_argument("--changes", action="store_true", help="print every change and reason")
    args = parser.parse_args()
    sys.exit(0 if asyncio.run(run(args)) else 1)


if __name__ == "__main__":
    main()
