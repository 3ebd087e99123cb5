import pytest

from finetune.llm.jsonrepair import MalformedJSON, TruncatedJSON, parse_json_object


def test_plain_object_parses() -> None:
    """A clean JSON object comes back unchanged."""
    assert parse_json_object('{"changes": [1, 2]}') == {"changes": [1, 2]}


def test_code_fence_and_prose_are_stripped() -> None:
    """Prose and Markdown fences around the object are ignored."""
    text = 'Sure! Here it is:\n```json\n{"changes": []}\n```\nHope this helps.'
    assert parse_json_object(text) == {"changes": []}


def test_trailing_commas_are_fixed() -> None:
    """Trailing commas before } or ] are removed, but not commas inside strings."""
    text = '{"changes": [{"reason": "a, }", "n": [1, 2,],},],}'
    assert parse_json_object(text) == {"changes": [{"reason": "a, }", "n": [1, 2]}]}


def test_first_object_wins_and_braces_in_strings_do_not_confuse() -> None:
    """Only the first complete object is taken; braces inside strings don't count."""
    text = '{"a": "x } y {"} {"b": 2}'
    assert parse_json_object(text) == {"a": "x } y {"}


def test_think_blocks_are_skipped() -> None:
    """A reasoning model's <think> block (which may contain braces) is dropped first."""
    text = '<think>maybe {"wrong": true}</think>\n{"right": true}'
    assert parse_json_object(text) == {"right": True}


def test_unclosed_object_is_truncated() -> None:
    """Output cut off mid-object is reported as truncated, not just malformed."""
    with pytest.raises(TruncatedJSON):
        parse_json_object('{"changes": [{"path": "basics.headline", "text": "Sen')


@pytest.mark.parametrize("text", ["", "no json here", "{'single': 'quotes'}", "[1, 2]"])
def test_unrecoverable_text_is_malformed(text: str) -> None:
    """Text with no valid JSON object raises MalformedJSON."""
    with pytest.raises(MalformedJSON):
        parse_json_object(text)
