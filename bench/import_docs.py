"""Benchmark resume import: milliseconds per page for PDF and DOCX files.

Run from the repository root:  .venv/bin/python bench/import_docs.py [--iterations 30]
Inputs: every sample resume in tests/data/pairs (one page each) and one long resume made of all
their jobs (several pages), each rendered with our PDF template and exported as DOCX. A DOCX has
no fixed pages, so its "page" is a page of the same resume in the PDF. Targets: p50 under 50 ms
per page for PDF and 100 ms for DOCX (python-docx parses the whole package, styles included, up
front: a fixed cost per file). The script exits 1 if either misses. Results: bench/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from finetune.documents.export_docx import to_docx
from finetune.documents.importers import import_resume
from finetune.documents.importers.pdf_lines import pdf_page_count
from finetune.documents.loading import load_resume_file
from finetune.documents.pdf import render_pdf
from finetune.documents.schema import ResumeData

TARGET_MS_PER_PAGE = {"pdf": 50.0, "docx": 100.0}
PAIRS = Path(__file__).parents[1] / "tests" / "data" / "pairs"


def samples() -> list[tuple[str, ResumeData]]:
    resumes = [(p.parent.name, load_resume_file(p)) for p in sorted(PAIRS.glob("*/resume.json"))]
    long = resumes[0][1].model_copy(deep=True)
    long.sections.experience.items = [
        job for _, resume in resumes for job in resume.sections.experience.items
    ]
    return [*resumes, ("all-jobs (long)", long)]


def measure(filename: str, content: bytes, iterations: int) -> list[float]:
    import_resume(filename, content)  # warm-up: imports, regex compilation
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        import_resume(filename, content)
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    print(f"import_resume, {args.iterations} runs per file, one thread")
    columns = ("pdf p50", "pdf ms/pg", "docx p50", "docx ms/pg")
    print(f"{'sample':<22}{'pages':>6}" + "".join(f"{c:>12}" for c in columns))
    per_page: dict[str, list[float]] = {"pdf": [], "docx": []}
    for name, resume in samples():
        pdf = render_pdf(resume)
        pages = pdf_page_count(pdf)
        pdf_p50 = statistics.median(measure("resume.pdf", pdf, args.iterations))
        docx_p50 = statistics.median(measure("resume.docx", to_docx(resume), args.iterations))
        per_page["pdf"].append(pdf_p50 / pages)
        per_page["docx"].append(docx_p50 / pages)
        values = (pdf_p50, pdf_p50 / pages, docx_p50, docx_p50 / pages)
        print(f"{name:<22}{pages:>6}" + "".join(f"{v:>12.2f}" for v in values))
    failed = False
    for kind, values in per_page.items():
        worst, target = max(values), TARGET_MS_PER_PAGE[kind]
        failed = failed or worst >= target
        verdict = "meets" if worst < target else "MISSES"
        print(f"{kind}: worst p50 per page {worst:.2f} ms: {verdict} the {target} ms target")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
