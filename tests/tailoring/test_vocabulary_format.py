"""The vocabulary file format: the guarded "?" marker, the context column and its rules."""

from __future__ import annotations

import pytest

from finetune.errors import ValidationError
from finetune.tailoring.vocabulary import Vocabulary
from finetune.tailoring.vocabulary_format import ContextRule, parse_ignored, parse_terms


def test_guarded_spellings_and_context_column_are_parsed() -> None:
    """ "?" marks the spellings the fifth column's rule applies to; "!" entries block."""
    [term], exact = parse_terms("Foo\thard\t?FO|foo lang\t\tbar*|=Baz|!qux\n", "x")
    assert term.aliases == ("FO", "foo lang")
    assert term.guarded == ("FO",)
    assert term.context == ContextRule(needs=("bar*", "=Baz"), blocks=("qux",))
    assert exact == set()


def test_markers_combine_in_either_order() -> None:
    """ "?=Aurora" and "=?Aurora" are both guarded and case-sensitive."""
    for cell in ("?=Aurora", "=?Aurora"):
        [term], exact = parse_terms(f"Amazon Aurora\thard\t{cell}\t\tAWS\n", "x")
        assert term.guarded == ("Aurora",) and exact == {"Aurora"}


def test_guarded_spelling_without_context_is_rejected() -> None:
    """A "?" spelling needs a rule, or it could never be found."""
    with pytest.raises(ValidationError, match=r"line 1.*no context"):
        parse_terms("Foo\thard\t?FO\n", "x")


def test_context_without_guarded_spelling_is_rejected() -> None:
    """A rule that applies to no spelling is a mistake in the data."""
    with pytest.raises(ValidationError, match=r"line 2.*needs at least one"):
        parse_terms("# comment\nFoo\thard\tFO\t\tbar\n", "x")


def test_too_many_columns_is_rejected() -> None:
    """Five columns at most, and the message names the file and line."""
    with pytest.raises(ValidationError, match=r"x\.tsv line 1: expected 2-5"):
        parse_terms("Foo\thard\t\t\t\textra\n", "x")


@pytest.mark.parametrize(
    ("sentence", "allowed"),
    [
        ("sales of software", True),  # "sale*" matches "sales"
        ("we sell things", False),  # no needed word
        ("Baz team", True),  # "=Baz" matches capitalised
        ("baz team", False),  # …and only capitalised
        ("sales of qux", False),  # a blocking word wins
        ("sales of QUX", False),  # blocking words ignore case unless "=" marked
        ("sales-qux", False),  # hyphens separate words
    ],
)
def test_context_rule_needs_and_blocks(sentence: str, allowed: bool) -> None:
    """Needed words (any one), blocking words (none), "*" prefixes, "=" case-sensitivity."""
    rule = ContextRule.parse("sale*|=Baz|!qux")
    assert rule.allows(sentence) is allowed


def test_short_context_words_are_case_sensitive() -> None:
    """Like aliases, context words of one or two characters keep their case ("AE", "PE")."""
    rule = ContextRule.parse("AE")
    assert rule.allows("our AE team") and not rule.allows("an ae team")


def test_vocabulary_applies_the_rule_only_to_guarded_spellings() -> None:
    """The unguarded alias is found anywhere; the guarded one only where its rule allows."""
    terms, exact = parse_terms("Gee Tee Em\thard\t?GTM|gee tee\t\t!F5\n", "x")
    vocabulary = Vocabulary(terms, case_sensitive=exact)
    assert [t.name for t in vocabulary.find("F5 GTM and gee tee")] == ["Gee Tee Em"]
    assert [t.name for t in vocabulary.find("F5 GTM")] == []
    assert [t.name for t in vocabulary.find("our GTM")] == ["Gee Tee Em"]


def test_ignored_phrases_keep_their_case_marker() -> None:
    """ "=" in ignore.txt marks a case-sensitive phrase."""
    assert parse_ignored("# c\n=ER diagram\ngo live\n") == (
        ["ER diagram", "go live"],
        {"ER diagram"},
    )


def test_guarded_alias_may_name_several_terms_tried_in_order() -> None:
    """ "PLC" is the teachers' community unless its sentence is about controls, then the
    controller: a guarded alias may be shared, and the first term whose rule passes wins."""
    teaching, _ = parse_terms("Learning Communities\thard\t?PLC\t\t!ladder*\n", "a")
    controls, _ = parse_terms("Logic Controllers\thard\t?PLC\t\tladder*\n", "b")
    vocabulary = Vocabulary(teaching + controls)
    assert [t.name for t in vocabulary.find("weekly PLC meetings")] == ["Learning Communities"]
    assert [t.name for t in vocabulary.find("PLC ladder logic")] == ["Logic Controllers"]


def test_shared_alias_must_be_guarded_by_every_term() -> None:
    """An alias shared with a term that does not guard it is still an error."""
    guarded, _ = parse_terms("Alpha\thard\t?ab\t\tx\n", "a")
    plain, _ = parse_terms("Beta\thard\tab\n", "b")
    for terms in (guarded + plain, plain + guarded):
        with pytest.raises(ValidationError, match="names both"):
            Vocabulary(terms)
