"""The library's public pages: /library/ with its filters, an item's page, the print sheet."""

import datetime
import re
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from altto.library.filters import Filters, library_list
from altto.library.models import Creator, Item, Licence, Tag, TextbookEdition
from tests.library.browse_factories import make_activity, make_item, make_tag, make_textbook

pytestmark = pytest.mark.django_db

TITLE = re.compile(r'class="library-row-title"><a href="[^"]+">([^<]+)</a>')


def titles(response) -> list[str]:
    assert response.status_code == 200
    return TITLE.findall(response.content.decode())


def listed(client, query: str = "") -> list[str]:
    return titles(client.get(f"/library/{query}"))


@pytest.fixture
def shelf(db):
    """A small library: activities for ES, JHS and SHS on two textbooks, plus other kinds."""
    horizon = make_textbook("new-horizon", name="New Horizon", years=(2016, 2021))
    lets_try = make_textbook("lets-try", name="Let's Try!", level="es", years=(2018,))
    games = make_tag("games", "Games")
    warm_up = make_tag("warm-up", "Warm-up")
    old, new = horizon.editions.order_by("year")
    make_activity(
        "Fruit basket",
        school_levels=["es"],
        grades=[3, 4],
        edition=lets_try.editions.get(),
        unit="Unit 4",
        grammar_point="I like …",
        skills=["listening", "speaking"],
        minutes=5,
        tags=[games],
    )
    make_activity(
        "Past tense bingo",
        school_levels=["jhs"],
        grades=[8],
        edition=new,
        unit="Unit 3",
        grammar_point="Past tense (regular verbs)",
        skills=["listening"],
        minutes=20,
        tags=[games, warm_up],
    )
    make_activity(
        "Self-introduction relay",
        school_levels=["jhs"],
        grades=[7],
        edition=old,
        unit="Unit 3",
        grammar_point="I am … / I like …",
        skills=["speaking", "writing"],
        minutes=45,
    )
    make_activity(
        "Debate warm-up",
        school_levels=["shs"],
        grades=[10, 11, 12],
        skills=["speaking", "reading"],
        minutes=10,
        tags=[warm_up],
    )
    make_item(
        "Working with your JTE",
        kind="article",
        school_levels=["es", "jhs", "shs"],
        body="Talk **before** class.",
    )
    make_item("MEXT Course of Study", kind="link", url="https://www.mext.go.jp/", creators=())
    make_activity("Secret draft", status=Item.Status.DRAFT, school_levels=["jhs"], grades=[8])
    return {"horizon": horizon, "lets_try": lets_try, "old": old, "new": new}


# --- The list ------------------------------------------------------------------------------


def test_it_lists_published_items_newest_first_and_hides_the_rest(client, shelf):
    make_item("Taken down", status=Item.Status.UNPUBLISHED)
    make_item("Waiting", status=Item.Status.SUBMITTED)
    assert listed(client) == [
        "Fruit basket",
        "Past tense bingo",
        "Self-introduction relay",
        "Debate warm-up",
        "Working with your JTE",
        "MEXT Course of Study",
    ]
    assert "6 items" in client.get("/library/").content.decode()


def test_each_row_shows_what_a_teacher_needs(client, shelf):
    item = Item.objects.get(title="Past tense bingo")
    Item.objects.filter(pk=item.pk).update(used_count=12, rating_count=3, rating_average=4.33)
    html = client.get("/library/").content.decode()
    row = html[html.index("Past tense bingo") : html.index("Self-introduction relay")]
    assert f'href="/library/{item.slug}/"' in html
    assert "Activity" in row
    assert "About past tense bingo." in row
    assert "Junior high school" in row and "JHS 2" in row
    assert "New Horizon (2021 edition), Unit 3" in row
    assert "20 min" in row
    assert "Used 12 times" in row
    assert "Rated 4.3 of 5 (3 ratings)" in row
    assert "Kenji Sato. CC BY 4.0." in row


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=link", ["MEXT Course of Study"]),
        ("?kind=article", ["Working with your JTE"]),
        ("?level=es", ["Fruit basket", "Working with your JTE"]),
        ("?level=shs", ["Debate warm-up", "Working with your JTE"]),
        ("?grade=8", ["Past tense bingo"]),
        ("?grade=4", ["Fruit basket"]),
        ("?textbook=new-horizon", ["Past tense bingo", "Self-introduction relay"]),
        ("?textbook=new-horizon&edition=2016", ["Self-introduction relay"]),
        ("?textbook=lets-try&edition=2018", ["Fruit basket"]),
        ("?unit=Unit+3", ["Past tense bingo", "Self-introduction relay"]),
        ("?unit=unit+3", []),  # a unit is matched exactly, as the textbook writes it
        ("?grammar=PAST+TENSE", ["Past tense bingo"]),
        ("?grammar=like", ["Fruit basket", "Self-introduction relay"]),
        ("?skill=writing", ["Self-introduction relay"]),
        ("?skill=listening", ["Fruit basket", "Past tense bingo"]),
        ("?time=5", ["Fruit basket"]),
        ("?time=10", ["Fruit basket", "Debate warm-up"]),
        ("?time=20", ["Fruit basket", "Past tense bingo", "Debate warm-up"]),
        ("?tag=warm-up", ["Past tense bingo", "Debate warm-up"]),
        ("?q=bingo", ["Past tense bingo"]),
        ("?q=JTE", ["Working with your JTE"]),  # the title
        ("?q=fruit+BASKET", ["Fruit basket"]),  # the summary, case aside
    ],
)
def test_each_filter_narrows_the_list(client, shelf, query, expected):
    assert listed(client, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?kind=activity&level=jhs", ["Past tense bingo", "Self-introduction relay"]),
        ("?kind=activity&level=jhs&skill=speaking", ["Self-introduction relay"]),
        ("?textbook=new-horizon&unit=Unit+3&time=20", ["Past tense bingo"]),
        ("?tag=games&level=es&grammar=like", ["Fruit basket"]),
        ("?tag=warm-up&grade=11&q=debate", ["Debate warm-up"]),
        ("?level=es&grade=10", []),
    ],
)
def test_filters_combine(client, shelf, query, expected):
    assert listed(client, query) == expected


def test_grade_one_is_not_grade_ten_eleven_or_twelve(client, db):
    make_activity("Grade one", school_levels=["es"], grades=[1])
    make_activity("Grades one and two", school_levels=["es"], grades=[2, 1])
    make_activity("Senior high", school_levels=["shs"], grades=[10, 11, 12])
    make_activity("Grade eleven", school_levels=["shs"], grades=[11])
    make_activity("Grade two", school_levels=["es"], grades=[2, 12])
    assert listed(client, "?grade=1") == ["Grade one", "Grades one and two"]
    assert listed(client, "?grade=11") == ["Senior high", "Grade eleven"]
    assert listed(client, "?grade=2") == ["Grades one and two", "Grade two"]
    assert listed(client, "?grade=12") == ["Senior high", "Grade two"]


def test_a_level_code_never_matches_inside_another(client, db):
    # "es" is inside "jhs"/"shs" only as letters, never as a quoted JSON element.
    make_activity("Senior high", school_levels=["shs"])
    make_activity("Junior high", school_levels=["jhs"])
    make_activity("Elementary", school_levels=["es"])
    assert listed(client, "?level=es") == ["Elementary"]
    assert listed(client, "?level=shs") == ["Senior high"]


def test_the_form_shows_the_filters_in_force(client, shelf):
    html = client.get(
        "/library/?kind=activity&grade=7&textbook=new-horizon&edition=2016&unit=Unit+3"
        "&grammar=I+am&skill=speaking&time=45&tag=games&q=relay&sort=used"
    ).content.decode()
    for selected in (
        '<option value="activity" selected>',
        '<option value="7" selected>JHS 1</option>',
        '<option value="new-horizon" selected>',
        '<option value="2016" selected>',
        '<option value="speaking" selected>',
        '<option value="45" selected>',
        '<option value="games" selected>',
        '<option value="used" selected>',
    ):
        assert selected in html
    assert 'name="unit" value="Unit 3"' in html
    assert 'name="grammar" value="I am"' in html
    assert 'name="q" value="relay"' in html
    # Labelled controls in fieldsets: every select and input has its <label for>.
    for control in re.findall(r'<(?:select|input)[^>]* id="(filter-[a-z]+)"', html):
        assert f'<label for="{control}">' in html
    assert html.count("<fieldset>") == 3 and html.count("<legend>") == 3
    assert "Clear all filters" in html


def test_grades_are_shown_as_schools_name_them(client, shelf):
    html = client.get("/library/").content.decode()
    assert '<optgroup label="Elementary school">' in html
    assert '<option value="6">ES 6</option>' in html
    assert '<option value="9">JHS 3</option>' in html
    assert '<option value="10">SHS 1</option>' in html
    assert "SHS 1, SHS 2, SHS 3" in html  # the debate's grades 10–12


def test_editions_are_offered_once_a_textbook_is_chosen(client, shelf):
    assert 'name="edition"' not in client.get("/library/").content.decode()
    html = client.get("/library/?textbook=new-horizon").content.decode()
    assert '<option value="2021">2021 edition</option>' in html
    assert '<option value="2016">2016 edition</option>' in html


@pytest.mark.parametrize(
    "query",
    [
        "?kind=podcast",
        "?level=university",
        "?grade=13",
        "?grade=0",
        "?grade=one",
        "?grade=%D9%A3",  # an Arabic-Indic three: a digit, but not one of ours
        "?textbook=no-such-book",
        "?edition=2021",  # a year without its textbook
        "?textbook=lets-try&edition=2021",  # a year Let's Try! has no edition of
        "?skill=juggling",
        "?time=15",
        "?tag=nope",
        "?sort=random",
        "?q=" + "x" * 500,
        "?q=bingo%00",  # PostgreSQL refuses NUL bytes: this must not reach it
        "?unit=%00",
    ],
)
def test_unknown_filter_values_are_ignored_with_a_notice(client, shelf, query):
    response = client.get(f"/library/{query}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ignored an unknown filter" in html
    if "lets-try" in query:
        assert titles(response) == ["Fruit basket"]  # the known filter still applies
    else:
        assert len(titles(response)) == 6


def test_known_and_empty_filters_bring_no_notice(client, shelf):
    html = client.get("/library/?kind=&level=&grade=&q=&sort=newest").content.decode()
    assert "Ignored an unknown filter" not in html
    assert "Clear all filters" not in html


def test_it_sorts_by_newest_most_used_and_best_rated(client, db):
    now = timezone.now()
    make_item("Old favourite", published_at=now - datetime.timedelta(days=300))
    make_item("Brand new", published_at=now)
    make_item("Well rated", published_at=now - datetime.timedelta(days=5))
    make_item("Rated once", published_at=now - datetime.timedelta(days=6))
    Item.objects.filter(title="Old favourite").update(used_count=40, rating_average=3.5)
    Item.objects.filter(title="Well rated").update(used_count=3, rating_count=9, rating_average=4.8)
    Item.objects.filter(title="Rated once").update(rating_count=1, rating_average=4.8)
    everything = ["Brand new", "Well rated", "Rated once", "Old favourite"]
    assert listed(client) == everything
    assert listed(client, "?sort=newest") == everything
    assert listed(client, "?sort=used") == [
        "Old favourite",
        "Well rated",
        "Brand new",
        "Rated once",
    ]
    # Equal averages: more ratings first.
    assert listed(client, "?sort=rated") == [
        "Well rated",
        "Rated once",
        "Old favourite",
        "Brand new",
    ]


def make_many_activities(count: int, *, title="Activity", **fields) -> list[Item]:
    """`count` published activities in one INSERT, newest first in title order."""
    now = timezone.now()
    return Item.objects.bulk_create(
        Item(
            slug=f"{title.lower()}-{number}",
            kind=Item.Kind.ACTIVITY,
            status=Item.Status.PUBLISHED,
            title=f"{title} {number:05d}",
            summary="A many-page list.",
            licence=Licence.CC_BY,
            published_at=now - datetime.timedelta(seconds=number),
            **fields,
        )
        for number in range(1, count + 1)
    )


def test_it_pages_by_twenty_and_the_page_links_keep_the_filters(client, shelf):
    make_many_activities(45, school_levels=["jhs"], grades=[8], skills=["listening"])
    response = client.get("/library/?level=jhs&skill=listening&grade=8")
    html = response.content.decode()
    assert len(titles(response)) == 20
    assert "46 items" in html  # 45 plus Past tense bingo
    assert "Page 1 of 3" in html
    assert 'href="?level=jhs&amp;grade=8&amp;skill=listening&amp;page=2" rel="next"' in html
    assert 'href="?level=jhs&amp;grade=8&amp;skill=listening&amp;page=3">Last' in html
    response = client.get("/library/?level=jhs&skill=listening&grade=8&page=3")
    assert titles(response)[-2:] == ["Activity 00045", "Past tense bingo"]  # the oldest
    assert len(titles(response)) == 6
    html = response.content.decode()
    assert 'href="?level=jhs&amp;grade=8&amp;skill=listening&amp;page=2" rel="prev"' in html
    assert 'href="?level=jhs&amp;grade=8&amp;skill=listening&amp;page=1">First' in html


@pytest.mark.parametrize("page", ["99", "4", "999999999999999999999"])
def test_a_page_past_the_end_shows_the_last_page(client, db, page):
    make_many_activities(45)
    response = client.get(f"/library/?page={page}")
    assert response.status_code == 200
    assert titles(response)[-1] == "Activity 00045"
    assert "Page 3 of 3" in response.content.decode()


def test_a_page_number_that_is_not_a_number_shows_the_first_page(client, db):
    make_many_activities(25)
    response = client.get("/library/?page=two")
    assert titles(response)[0] == "Activity 00001"


def test_an_empty_library_says_so(client, db):
    html = client.get("/library/?kind=video").content.decode()
    assert "0 items" in html
    assert "Nothing in the library matches these filters yet." in html


FILTER_COMBINATIONS = [
    "",
    "?kind=activity",
    "?level=jhs&grade=8&skill=listening&time=20",
    "?textbook=new-horizon&edition=2021&unit=Unit+3",
    "?tag=games&grammar=past&q=bingo&sort=rated",
    "?kind=activity&level=jhs&grade=8&textbook=new-horizon&edition=2021&unit=Unit+3"
    "&grammar=past&skill=listening&time=20&tag=games&q=bingo&sort=used&page=1",
]


def test_list_query_count_is_bounded_for_any_filters_and_ten_thousand_items(
    client, new_alt, shelf, django_assert_num_queries
):
    def check_all(expected: int) -> None:
        for query in FILTER_COMBINATIONS:
            with django_assert_num_queries(expected):
                assert listed(client, query)  # a page of rows: every query runs

    # textbooks, their editions, tags (the form and the filter checks),
    # COUNT of the matching items, one page of items joined to edition and textbook,
    # the page's tags, the page's creators
    check_all(7)
    # A signed-in member adds: session, user, the user's roles (the header's Review link)
    client.force_login(new_alt)
    check_all(10)

    edition = shelf["new"]
    games = Tag.objects.get(slug="games")
    items = make_many_activities(
        10_000,
        school_levels=["jhs"],
        grades=[8, 9],
        skills=["listening"],
        minutes=15,
        edition=edition,
        unit="Unit 3",
        grammar_point="Past tense: bingo variant",
    )
    Item.tags.through.objects.bulk_create(
        Item.tags.through(item_id=item.pk, tag_id=games.pk) for item in items
    )
    Creator.objects.bulk_create(Creator(item=item, name="Bulk Teacher") for item in items)
    # Same queries with 10,000 more items, whatever is filtered.
    check_all(10)
    client.logout()
    check_all(7)


def test_an_empty_result_costs_fewer_queries(client, shelf, django_assert_num_queries):
    # textbooks, editions, tags, COUNT (0): no page to read, nothing to prefetch
    with django_assert_num_queries(4):
        assert listed(client, "?kind=video") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
def test_the_default_list_walks_the_status_and_published_at_index(shelf):
    make_many_activities(500)
    Item.objects.bulk_create(
        Item(slug=f"draft-{n}", kind="article", title="Draft", summary="-") for n in range(500)
    )
    plan = library_list(Filters())[:20].explain()
    # e.g. "SEARCH library_item USING INDEX library_ite_status_32af54_idx (status=?)",
    # then the edition and textbook by primary key.
    print(plan)  # shown with pytest -s: the plan is the budget's evidence
    index = Item._meta.indexes[0]
    assert index.fields == ["status", "-published_at"]
    assert f"USING INDEX {index.name} (status=?)" in plan
    assert "SCAN library_item" not in plan  # never a full scan of the items
    # Sorting only ties in published_at, never the whole table.
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan


# --- One item ------------------------------------------------------------------------------


def test_an_activity_page_shows_its_whole_plan(client, shelf):
    item = make_activity(
        "Mystery box",
        edition=shelf["old"],
        unit="Unit 5",
        grammar_point="What's this?",
        skills=["listening", "speaking"],
        minutes=15,
        group_size="Groups of 4",
        materials="A box.\nFive objects.",
        steps="1. Put an object in the box.\n2. Students **guess**.",
        variations="- Use a bag instead.",
        grades=[7, 8],
        tags=[make_tag("games")],
    )
    html = client.get(f"/library/{item.slug}/").content.decode()
    assert "<h1>Mystery box</h1>" in html
    assert "New Horizon (2016 edition), Unit 5" in html
    assert "What&#x27;s this?" in html
    assert "Listening, Speaking" in html
    assert "15 min" in html
    assert "Groups of 4" in html
    assert "A box.\nFive objects." in html
    assert "<strong>guess</strong>" in html
    assert "<li>Use a bag instead.</li>" in html
    assert "JHS 1, JHS 2" in html
    assert 'href="/library/?tag=games"' in html
    assert f'href="/library/{item.slug}/print/"' in html


def test_an_article_page_shows_its_text(client, db):
    item = make_item("Team teaching", kind="article", body="## First steps\n\nAsk **early**.")
    html = client.get(f"/library/{item.slug}/").content.decode()
    assert "<h2>First steps</h2>" in html
    assert "<strong>early</strong>" in html
    assert "/print/" not in html


def test_a_video_page_embeds_an_allowed_video(client, db):
    item = make_item("Classroom English", kind="video", url="https://youtu.be/dQw4w9WgXcQ")
    html = client.get(f"/library/{item.slug}/").content.decode()
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert 'class="video-embed"' in html


def test_a_video_from_another_host_is_a_link_not_a_frame(client, db):
    item = make_item("Elsewhere", kind="video", url="https://videos.example.org/watch/1")
    html = client.get(f"/library/{item.slug}/").content.decode()
    assert "<iframe" not in html
    assert '<a href="https://videos.example.org/watch/1" rel="noopener noreferrer">' in html


def test_a_link_page_links_out_safely(client, shelf):
    item = Item.objects.get(title="MEXT Course of Study")
    html = client.get(f"/library/{item.slug}/").content.decode()
    assert (
        '<a href="https://www.mext.go.jp/" rel="noopener noreferrer">https://www.mext.go.jp/</a>'
        in html
    )


def test_a_document_page_links_to_its_file(client, db):
    item = make_item("Bingo cards", kind="document", file="library/2025/05/bingo-cards.pdf")
    html = client.get(f"/library/{item.slug}/").content.decode()
    # Through the checked download view (tests/library/test_files.py), not /media/.
    assert f'href="/library/{item.slug}/file/" download' in html
    assert "Download bingo-cards.pdf" in html


def test_an_audio_page_plays_its_file(client, db):
    item = make_item("Listening: at the station", kind="audio", file="library/a/station.mp3")
    html = client.get(f"/library/{item.slug}/").content.decode()
    # Through the checked file view (tests/library/test_audio.py), not /media/.
    assert f'<audio controls preload="none" src="/library/{item.slug}/file/">' in html


def test_addresses_that_are_not_web_addresses_are_never_links(client, db):
    item = make_item(
        "Sneaky",
        kind="link",
        url="javascript:alert(1)",
        source_url="javascript:alert(2)",
        creators=(),
    )
    Creator.objects.create(item=item, name="Mallory", url="javascript:alert(3)")
    html = client.get(f"/library/{item.slug}/").content.decode()
    assert "javascript:" not in html
    assert "Mallory" in html


def test_the_rights_box_credits_the_creators_and_links_the_licence(client, db):
    item = make_item(
        "Picture dictionary",
        kind="link",
        url="https://example.org/dictionary",
        creators=(),
        publisher="JALT",
        licence=Licence.CC_BY_NC,
        source_url="https://jalt.org/resources",
    )
    Creator.objects.create(item=item, name="Aiko Tanaka", url="https://aiko.example.org/", order=0)
    Creator.objects.create(item=item, name="Ben Carter", order=1)
    html = client.get(f"/library/{item.slug}/").content.decode()
    rights = html[html.index('id="rights-title"') :]
    assert "Aiko Tanaka, Ben Carter / JALT. CC BY-NC 4.0." in rights
    assert (
        '<a href="https://creativecommons.org/licenses/by-nc/4.0/" rel="license noopener '
        'noreferrer">CC BY-NC 4.0</a>' in rights
    )
    assert '<a href="https://aiko.example.org/" rel="noopener noreferrer">Aiko Tanaka</a>' in rights
    assert "Ben Carter</dd>" in rights
    assert "<dd>JALT</dd>" in rights
    assert '<a href="https://jalt.org/resources" rel="noopener noreferrer">' in rights


def test_an_item_used_with_permission_says_so_without_a_licence_link(client, db):
    item = make_item("JALT handout", publisher="JALT", licence=Licence.PERMISSION, creators=())
    html = client.get(f"/library/{item.slug}/").content.decode()
    assert "JALT. Used with permission." in html
    rights = html[html.index('id="rights-title"') : html.index("</section>")]
    assert "creativecommons.org" not in rights
    assert "<dd>Used with permission</dd>" in rights


@pytest.mark.parametrize("status", ["draft", "submitted", "unpublished"])
def test_an_item_that_is_not_published_is_not_found_by_members(
    client, new_alt, contributor, status
):
    item = make_activity("Hidden", status=status)
    assert client.get(f"/library/{item.slug}/").status_code == 404
    assert client.get(f"/library/{item.slug}/print/").status_code == 404
    client.force_login(contributor)
    assert client.get(f"/library/{item.slug}/").status_code == 404


def test_an_editor_sees_a_draft_with_its_status_and_rights_problems(client, editor):
    item = make_activity("Half done", status=Item.Status.DRAFT, licence="", creators=())
    client.force_login(editor)
    response = client.get(f"/library/{item.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Status: Draft." in html
    assert "Only editors can see this page." in html
    assert "Choose the licence the item is shared under." in html
    assert "Name at least one creator." in html
    assert '<meta name="robots" content="noindex">' in html


def test_an_editor_sees_why_an_item_was_taken_down(client, editor):
    item = make_item(
        "Gone", status=Item.Status.UNPUBLISHED, takedown_reason="The author asked us to."
    )
    client.force_login(editor)
    html = client.get(f"/library/{item.slug}/").content.decode()
    assert "Status: Unpublished." in html
    assert "The author asked us to." in html


def test_a_published_item_with_clear_rights_has_no_banner(client, editor, shelf):
    item = Item.objects.get(title="Past tense bingo")
    client.force_login(editor)
    html = client.get(f"/library/{item.slug}/").content.decode()
    assert "library-banner" not in html
    client.logout()
    assert "library-banner" not in client.get(f"/library/{item.slug}/").content.decode()


@pytest.mark.parametrize("slug", ["no-such-item", "a" * 300, "%E2%9C%93"])
def test_an_unknown_item_is_not_found(client, db, slug):
    assert client.get(f"/library/{slug}/").status_code == 404


def test_item_page_query_count(client, new_alt, editor, shelf, django_assert_num_queries):
    item = Item.objects.get(title="Past tense bingo")
    # the item joined to its edition and textbook, its tags, its creators, and its discussion
    # (comments with their authors: 1, however many; see tests/discussion/)
    with django_assert_num_queries(4):
        client.get(f"/library/{item.slug}/")
    # session, user, the user's roles (once: may() and the header share them), then the same 4,
    # the member's own "I used this" mark (1; see tests/library/test_usage.py) and the
    # discussion's verified-email check (1)
    client.force_login(new_alt)
    with django_assert_num_queries(9):
        client.get(f"/library/{item.slug}/")
    # An editor's rights check reads nothing more for a CC item (creators are prefetched);
    # for an item used with permission it reads the permissions (1).
    client.force_login(editor)
    with django_assert_num_queries(9):
        client.get(f"/library/{item.slug}/")
    Item.objects.filter(pk=item.pk).update(licence=Licence.PERMISSION)
    with django_assert_num_queries(10):
        client.get(f"/library/{item.slug}/")


# --- The print sheet -----------------------------------------------------------------------


def test_the_print_sheet_has_the_plan_and_the_credit(client, shelf, settings):
    item = make_activity(
        "Mystery box",
        edition=shelf["new"],
        unit="Unit 5",
        steps="1. Guess the object.",
        materials="A box.",
        creators=("Kenji Sato",),
    )
    response = client.get(f"/library/{item.slug}/print/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<main id="main" class="wrap library-print"' in html
    assert "<h1>Mystery box</h1>" in html
    assert "New Horizon (2021 edition), Unit 5" in html
    assert "<li>Guess the object.</li>" in html
    assert "Kenji Sato. CC BY 4.0." in html
    assert f"{settings.SITE_URL}/library/{item.slug}/" in html
    # print.css (media="print") hides the site's chrome and this note about printing.
    assert 'print.css" media="print"' in html
    assert "library-print-note" in html
    print_css = Path(settings.BASE_DIR) / "altto/core/static/css/print.css"
    assert ".library-print-note { display: none; }" in print_css.read_text()


def test_only_activities_have_a_print_sheet(client, shelf):
    item = Item.objects.get(title="Working with your JTE")
    assert client.get(f"/library/{item.slug}/print/").status_code == 404


def test_print_sheet_query_count(client, shelf, django_assert_num_queries):
    item = Item.objects.get(title="Past tense bingo")
    # the item with edition and textbook, its tags, its creators
    with django_assert_num_queries(3):
        client.get(f"/library/{item.slug}/print/")


# --- Around the site -----------------------------------------------------------------------


def test_the_main_navigation_shows_the_library(client, db):
    html = client.get("/").content.decode()
    assert '<a href="/library/">Library</a>' in html
    html = client.get("/library/").content.decode()
    assert '<a href="/library/" aria-current="page">Library</a>' in html


def test_the_pages_have_no_inline_scripts_or_styles(client, shelf):
    item = Item.objects.get(title="Past tense bingo")
    for url in ("/library/", f"/library/{item.slug}/", f"/library/{item.slug}/print/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<style" not in html and " style=" not in html


def test_an_edition_label_marks_obsolete_editions(client, shelf):
    TextbookEdition.objects.filter(pk=shelf["old"].pk).update(is_obsolete=True)
    html = client.get("/library/?textbook=new-horizon").content.decode()
    assert "2016 edition (old edition)" in html
