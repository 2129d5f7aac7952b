"""The same relevance on both databases: run this file on SQLite and on PostgreSQL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from altto.search.queries import search
from tests.search.helpers import entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    return {
        "intro": entry("lesson", 1, "Your self-introduction lesson", "Bring photos of home.",
                       levels=["jhs"], tags=["first-week"]),
        "jintro": entry("lesson", 1, "自己紹介の授業", "家族の写真を見せましょう。", language="ja"),
        "tt": entry("item", 2, "Games for team teaching", "Teaching with a JTE: roles.",
                    tags=["games"]),
        "ttja": entry("thread", 3, "チームティーチングのコツ", "JTEとの打ち合わせが大切です。",
                      language="ja"),
        "body": entry("post", 4, "Planning time", "We talk about team-teaching every Monday."),
    }  # fmt: skip


def titles(results):
    return [hit.entry.title for hit in results.hits]


def test_english_stems_match_and_titles_rank_first(pages):
    found = titles(search("teach"))
    assert found[0] == "Games for team teaching"
    assert "Planning time" in found
    assert titles(search("teaching")) == found


def test_japanese_words_are_found_in_titles_and_bodies(pages):
    assert titles(search("自己紹介")) == ["自己紹介の授業"]
    assert titles(search("チームティーチング")) == ["チームティーチングのコツ"]
    assert titles(search("写真")) == ["自己紹介の授業"]
    assert titles(search("紹介自己")) == []  # pairs, not loose characters


def test_filters_by_kind_level_and_tag(pages):
    assert titles(search("teach", kinds=("item",))) == ["Games for team teaching"]
    assert titles(search("introduction", level="jhs")) == ["Your self-introduction lesson"]
    assert titles(search("introduction", level="es")) == []
    assert titles(search("teach", tag="games")) == ["Games for team teaching"]


def test_future_entries_wait_for_their_time(pages):
    entry("post", 9, "Sports day survival", "Hats.", live_from=timezone.now() + timedelta(days=1))
    assert titles(search("sports")) == []
    later = timezone.now() + timedelta(days=2)
    assert titles(search("sports", now=later)) == ["Sports day survival"]


@pytest.mark.parametrize(
    "query",
    ['"', "*", "NEAR", "a:b", "-teach", "teach OR 1=1; DROP TABLE search_entry; --",
     "'); SELECT 1; --", "AND", "x" * 10_000, "自己紹介 teach \"near\" *"],
)  # fmt: skip
def test_syntax_and_sql_looking_queries_are_just_words(pages, query):
    results = search(query)  # never an error
    assert isinstance(results.total, int)


def test_empty_and_long_queries_say_why(pages):
    assert search("").message and search("").hits == []
    assert search("!!! ???").message
    long = search("teach " * 100)
    assert "first 200 characters" in long.message
    assert titles(long)


def test_snippets_mark_the_words_and_escape_the_rest(pages):
    entry("item", 7, "Warm-ups", "Use <script>alert(1)</script> never; teaching is fun.")
    [hit] = search("teaching warm").hits
    assert "<mark>teaching</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet


def test_pages_of_results(pages):
    for n in range(25):
        entry("thread", 100 + n, f"Question about phonics {n}", "phonics")
    first = search("phonics", per_page=10)
    assert first.total == 25 and len(first.hits) == 10 and first.has_next
    third = search("phonics", per_page=10, page=3)
    assert len(third.hits) == 5 and not third.has_next
