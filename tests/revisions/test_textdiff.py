"""Diffs people read, and merges that never lose an edit."""

from hypothesis import given, settings
from hypothesis import strategies as st

from altto.lib.textdiff import Conflict, has_conflicts, merge_text, resolve, tokens, word_diff


def old_side(pieces):
    return "".join(text for op, text in pieces if op != "insert")


def new_side(pieces):
    return "".join(text for op, text in pieces if op != "delete")


def test_word_diff_marks_whole_words():
    assert word_diff("The JTE leads.", "The HRT leads.") == [
        ("equal", "The "),
        ("delete", "JTE"),
        ("insert", "HRT"),
        ("equal", " leads."),
    ]


def test_japanese_is_compared_character_by_character():
    assert word_diff("日本の学校", "日本の小学校") == [
        ("equal", "日本の"),
        ("insert", "小"),
        ("equal", "学校"),
    ]


def test_identical_texts_have_one_equal_piece():
    assert word_diff("same text", "same text") == [("equal", "same text")]


def test_changes_on_different_lines_merge_cleanly():
    base = "Greet the staff.\nBow.\nSit down.\n"
    current = "Greet the staff room.\nBow.\nSit down.\n"
    proposed = "Greet the staff.\nBow.\nSit where you are shown.\n"
    assert merge_text(base, current, proposed) == [
        "Greet the staff room.\nBow.\nSit where you are shown.\n"
    ]


def test_changes_to_the_same_line_conflict_and_keep_both_sides():
    segments = merge_text("a\nb\nc\n", "a\nB1\nc\n", "a\nB2\nc\n")
    assert segments == ["a\n", Conflict(base="b\n", current="B1\n", proposed="B2\n"), "c\n"]
    assert has_conflicts(segments)
    assert resolve(segments, ["B2 and B1\n"]) == "a\nB2 and B1\nc\n"


paragraphs = st.lists(
    st.text(alphabet=st.characters(blacklist_characters="\n\r"), max_size=20), max_size=6
).map(lambda lines: "".join(line + "\n" for line in lines))


@settings(max_examples=200, deadline=None)
@given(old=st.text(max_size=60), new=st.text(max_size=60))
def test_a_diff_rebuilds_both_texts(old, new):
    pieces = word_diff(old, new)
    assert old_side(pieces) == old
    assert new_side(pieces) == new


@settings(max_examples=200, deadline=None)
@given(base=paragraphs, proposed=paragraphs)
def test_merging_into_an_unchanged_base_yields_the_proposal(base, proposed):
    assert "".join(merge_text(base, base, proposed)) == proposed


@settings(max_examples=200, deadline=None)
@given(base=paragraphs, current=paragraphs)
def test_merging_a_text_with_itself_is_idempotent(base, current):
    assert merge_text(base, current, current) == [current]
    assert "".join(merge_text(base, current, base)) == current


@settings(max_examples=200, deadline=None)
@given(base=paragraphs, current=paragraphs, proposed=paragraphs)
def test_a_merge_loses_no_line_from_either_side(base, current, proposed):
    # Every line either side added appears in the result or in a conflict hunk.
    segments = merge_text(base, current, proposed)
    shown = "".join(
        s if isinstance(s, str) else s.current + s.proposed for s in segments
    ).splitlines()
    for line in set(current.splitlines()) | set(proposed.splitlines()):
        if line not in base.splitlines():
            assert line in shown


def test_tokens_split_words_spaces_and_punctuation():
    assert tokens("Hi, JTE!") == ["Hi", ",", " ", "JTE", "!"]
