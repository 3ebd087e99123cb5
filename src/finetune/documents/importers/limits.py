"""How much an uploaded resume may hold, checked before (and while) it is parsed.

No resume comes near these numbers: the longest CVs are a few dozen pages, a few thousand lines
and well under 100,000 characters. A file beyond them is refused before a parser spends time or
memory on it. The status tells the two kinds of refusal apart:

- 413 ``payload_too_large`` when the document holds more than a resume could: unpacked bytes,
  pages, lines, characters (or, in the worker, the CPU or memory needed to read it);
- 400 ``validation_error`` when its shape is wrong: a single line longer than any resume line,
  a compression ratio only a zip bomb has, malformed content.
"""

from __future__ import annotations

from collections.abc import Sequence

from finetune.errors import PayloadTooLarge, ValidationError

MAX_LINES = 10_000  # lines of text or Markdown; paragraphs and table cells of a DOCX
MAX_LINE_CHARS = 10_000  # one line or paragraph, after a PDF's wrapped lines are joined
MAX_TEXT_CHARS = 200_000  # all extracted text
MAX_PDF_PAGES = 50
MAX_PDF_INFLATED_BYTES = 100_000_000  # all Flate streams of a PDF, unpacked
MAX_DOCX_UNPACKED_BYTES = 30_000_000  # all parts of a DOCX, unpacked
MAX_DOCX_PART_BYTES = 10_000_000  # one part (document.xml, an image), unpacked
MAX_DOCX_PARTS = 1_000
# Word's XML deflates about 5-15 times; a part over MIN_BOMB_BYTES that unpacks 100 times its
# packed size holds little but repetition.
MAX_COMPRESSION_RATIO = 100
MIN_BOMB_BYTES = 1_000_000


def too_many_lines(count: int, what: str = "lines") -> PayloadTooLarge:
    return PayloadTooLarge(f"the file has {count:,} {what}; resumes are limited to {MAX_LINES:,}")


def too_much_text(count: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"the file holds {count:,} or more characters of text; resumes are limited to "
        f"{MAX_TEXT_CHARS:,}"
    )


def check_lines(lines: Sequence[str], where: str) -> None:
    """At most ``MAX_TEXT_CHARS`` characters in at most ``MAX_LINES`` lines of at most
    ``MAX_LINE_CHARS`` each; ``where`` says what the line numbers count ("of the file")."""
    total = sum(len(line) for line in lines)
    if total > MAX_TEXT_CHARS:
        raise too_much_text(total)
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_LINE_CHARS:
            raise ValidationError(
                f"line {number:,} {where} is {len(line):,} characters long; a resume line may "
                f"have at most {MAX_LINE_CHARS:,}"
            )
    if len(lines) > MAX_LINES:
        raise too_many_lines(len(lines))


class TextBudget:
    """Counts extracted characters as a parser produces them, to stop at the limit rather
    than after extracting everything."""

    def __init__(self) -> None:
        self.used = 0

    def spend(self, characters: int) -> None:
        self.used += characters
        if self.used > MAX_TEXT_CHARS:
            raise too_much_text(self.used)
