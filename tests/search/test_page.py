"""/search/: the form, the results, the pages and the messages, on SQLite and PostgreSQL."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.search.helpers import entry

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    entry(
        "lesson",
        1,
        "Your self-introduction lesson",
        "Bring photos of home.",
        levels=["jhs"],
        tags=["first-week"],
    )
    entry("lesson", 1, "自己紹介の授業", "家族の写真を見せましょう。", language="ja")
    entry(
        "item",
        2,
        "Games for team teaching",
        "Teaching with a JTE: roles <b>and</b> all.",
        tags=["games"],
        levels=["es"],
    )
    entry("thread", 3, "チームティーチングのコツ", "JTEとの打ち合わせが大切です。", language="ja")
    entry("post", 4, "Planning time", "We talk about team-teaching every Monday.")  # fmt: skip


def get(client, query: str = "", **params):
    params = {"q": query, **params} if query or params else {}
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def titles(html: str) -> list[str]:
    return re.findall(r'<h3(?: lang="\w+")?><a href="[^"]*">([^<]*)</a></h3>', html)


def status(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", s) for s in re.findall(r'role="status"[^>]*>(.*?)</p>', html)]


def test_the_form_is_a_labelled_search_landmark_that_keeps_the_query(client, pages):
    html = get(client, "team teaching")
    assert re.search(r'<form method="get" action="/search/" role="search"[^>]* aria-label=', html)
    assert '<label for="id_q">Search for</label>' in html
    assert 'type="search" name="q" value="team teaching"' in html
    for name in ("type", "level", "tag"):
        assert f'<label for="id_{name}">' in html


def test_the_main_navigation_offers_search(client):
    html = get(client)
    nav = html.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="/search/" aria-current="page">Search</a>' in nav


def test_results_show_a_total_kind_link_and_marked_snippet(client, pages):
    html = get(client, "teaching")
    assert "2 results for “teaching”" in html
    assert titles(html) == ["Games for team teaching", "Planning time"]
    assert '<a href="/item/2/">Games for team teaching</a>' in html
    assert '<span class="tag">Library</span>' in html and '<span class="tag">Blog</span>' in html
    assert "<mark>Teaching</mark> with a JTE" in html
    assert "&lt;b&gt;and&lt;/b&gt;" in html  # the body's words are text, never markup


def test_one_result_is_one_result(client, pages):
    assert "1 result for “planning”" in get(client, "planning")


def test_japanese_pages_are_found_and_marked_as_japanese(client, pages):
    html = get(client, "自己紹介")
    assert titles(html) == ["自己紹介の授業"]
    assert '<h3 lang="ja"><a href="/lesson/1/">自己紹介の授業</a></h3>' in html
    assert '<p class="search-snippet" lang="ja">' in html
    assert '<span class="muted">Japanese</span>' in html
    assert titles(get(client, "チームティーチング")) == ["チームティーチングのコツ"]


def test_on_the_japanese_site_english_pages_are_marked(client, pages):
    client.cookies["django_language"] = "ja"
    html = get(client, "teaching")
    assert '<h3 lang="en"><a href="/item/2/">Games for team teaching</a></h3>' in html
    japanese = get(client, "自己紹介")
    results = japanese.split('class="search-results"', 1)[1].split("</section>", 1)[0]
    assert "<h3><a" in results and "lang=" not in results


def test_threads_show_nothing_about_their_author(client, pages):
    html = get(client, "チームティーチング")
    hit = html.split('class="search-hit"', 1)[1].split("</li>", 1)[0]
    assert "/u/" not in hit and "byline" not in hit


def test_filters_by_type_level_and_tag(client, pages):
    assert titles(get(client, "teaching", type="item")) == ["Games for team teaching"]
    assert titles(get(client, "teaching", type="post")) == ["Planning time"]
    assert titles(get(client, "teaching", level="es")) == ["Games for team teaching"]
    assert titles(get(client, "introduction", level="jhs", tag="first-week")) == [
        "Your self-introduction lesson"
    ]
    html = get(client, "teaching", type="item", level="es", tag="Games")
    assert titles(html) == ["Games for team teaching"]
    assert '<option value="item" selected>Library</option>' in html
    assert '<option value="es" selected>Elementary school</option>' in html
    assert 'name="tag" value="games"' in html


@pytest.mark.parametrize(
    "params",
    [{"type": "user"}, {"level": "university"}, {"type": ["item", "x"]}, {"page": "-3"},
     {"page": "lots"}, {"page": "99999999999999999999"}, {"tag": "%_%"}, {"tag": "!!!"}],
)  # fmt: skip
def test_unknown_filter_values_are_ignored(client, pages, params):
    html = get(client, "teaching", **params)
    assert "results for “teaching”" in html or "There are only 2 results" in html
    form = html.split('role="search"', 1)[1].split("</form>", 1)[0]
    assert "selected>" not in form.replace('value="" selected>', "")
    assert 'name="tag" maxlength="50"' in form  # no value


def test_no_results_say_so_with_suggestions(client, pages):
    html = get(client, "karaoke")
    assert status(html) == ["Nothing found for “karaoke”."]
    assert "Check the spelling." in html and "Use fewer words" in html
    assert '<span lang="ja">自己紹介</span>' in html
    assert 'href="/library/"' in html and 'href="/forum/"' in html
    assert "Search everything, without the filters" not in html


def test_no_results_with_filters_offer_to_drop_them(client, pages):
    html = get(client, "planning", type="thread")
    assert status(html) == ["Nothing found for “planning” with these filters."]
    assert '<a href="?q=planning">Search everything, without the filters</a>' in html


def test_empty_and_wordless_queries_explain_in_a_status(client, pages):
    assert status(get(client)) == ["Type a word or two to search for."]
    assert status(get(client, "   ")) == ["Type a word or two to search for."]
    [wordless] = status(get(client, "!!! ???"))
    assert "has none we can look for" in wordless


def test_a_very_long_query_is_cut_and_says_so(client, pages):
    html = get(client, "teaching " * 1200)
    assert "only its first 200 characters were used" in status(html)[0]
    assert titles(html) == ["Games for team teaching", "Planning time"]
    assert len(html) < 20_000  # the box shows what was used, not ten thousand characters


@pytest.mark.parametrize(
    "query",
    ["", "x" * 10_000, '"', "*", "NEAR", "NEAR(teach plan)", ":", "-", "a:b", "-teach",
     "teach OR 1=1; DROP TABLE search_entry; --", "'); SELECT 1; --", "' OR '1'='1",
     "AND OR NOT", "自己紹介 teach \"near\" *", "ティーチング teaching 한국어 тест",
     "\x00", "teach\x00ing", "%", "_", "\\", "{{ q }}", "<script>alert(1)</script>"],
)  # fmt: skip
def test_bad_input_gives_results_or_a_clear_message(client, pages, query):
    html = get(client, query)
    assert titles(html) or status(html)
    assert "<script>alert" not in html


def test_pages_link_on_with_the_query_and_filters(client):
    for n in range(45):
        entry("thread", 100 + n, f"Phonics question {n}", "phonics", levels=["es"])
    first = get(client, "phonics", level="es")
    assert "45 results for “phonics”" in first and len(titles(first)) == 20
    assert "Page 1 of 3" in first
    assert 'href="?q=phonics&amp;level=es&amp;page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    second = get(client, "phonics", level="es", page="2")
    assert 'href="?q=phonics&amp;level=es&amp;page=1" rel="prev"' in second
    assert 'href="?q=phonics&amp;level=es&amp;page=3" rel="next"' in second
    last = get(client, "phonics", level="es", page="3")
    assert len(titles(last)) == 5 and 'rel="next"' not in last
    beyond = get(client, "phonics", level="es", page="9")
    assert "There are only 45 results" in beyond
    assert '<a href="?q=phonics&amp;level=es">Back to the first page</a>' in beyond


def queries_for(client, query: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        get(client, query)
    return len(captured)


def test_query_count_does_not_grow_with_the_results(client, new_alt):
    """Ranked ids, the entries, and a count once a page is full: never a query per hit."""
    client.force_login(new_alt)
    for n in range(2):
        entry("item", 200 + n, f"Warm-up {n}", "A quick warm-up.")
    for n in range(60):
        entry("thread", 300 + n, f"Phonics question {n}", "phonics")
    for n in range(20):
        entry("post", 400 + n, f"Song {n}", "A song.")
    get(client, "warm")  # the session and anything cached on a first visit
    two, twenty, sixty = (queries_for(client, q) for q in ("warm", "song", "phonics"))
    assert len(titles(get(client, "song"))) == 20
    assert twenty == sixty == two + 1  # a full page asks for the total
    # PostgreSQL adds 3: a savepoint around the search, and SET LOCAL (see backends.py).
    assert two <= (9 if connection.vendor == "postgresql" else 6)


def test_anyone_may_search(client, pages, new_alt):
    assert titles(get(client, "planning")) == ["Planning time"]
    client.force_login(new_alt)
    assert titles(get(client, "planning")) == ["Planning time"]


def test_only_get(client):
    assert client.post("/search/", {"q": "x"}).status_code == 405
