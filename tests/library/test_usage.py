""" "I used this": members mark an item used, rate it and keep private notes; counts are public."""

import re

import pytest
from django.urls import reverse

from altto.library import usage
from altto.library.models import Item, Usage
from tests.conftest import make_user
from tests.library.browse_factories import make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(db):
    return make_item("Fruit basket", slug="fruit-basket")


def used_url(item) -> str:
    return reverse("library:used", kwargs={"slug": item.slug})


def unused_url(item) -> str:
    return reverse("library:unused", kwargs={"slug": item.slug})


def counts(item) -> tuple[int, int, float]:
    item.refresh_from_db()
    return item.used_count, item.rating_count, item.rating_average


def members(count: int) -> list:
    return [make_user(f"member{n}") for n in range(count)]


def page(client, item) -> str:
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


# --- Per role -----------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_log_in_and_nothing_is_stored(client, item):
    html = page(client, item)
    assert "Log in to mark this item as used and rate it." in html
    assert used_url(item) not in html
    response = client.post(used_url(item), {"rating": "5"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client.post(unused_url(item)).status_code == 302
    assert not Usage.objects.exists()
    assert counts(item) == (0, 0, 0)


def test_a_member_marks_an_item_used_with_a_rating_and_notes(client, new_alt, item):
    client.force_login(new_alt)
    html = page(client, item)
    assert f'action="{used_url(item)}"' in html
    assert '<label for="used-notes">' in html
    assert "only you can see them" in html
    assert unused_url(item) not in html  # nothing to remove yet

    response = client.post(used_url(item), {"rating": "4", "notes": "  Worked with grade 3.  "})
    assert response.status_code == 302
    assert response.url == f"{item.get_absolute_url()}#used"
    mark = Usage.objects.get()
    assert (mark.user, mark.rating, mark.notes) == (new_alt, 4, "Worked with grade 3.")
    assert counts(item) == (1, 1, 4.0)

    # Their mark comes back prefilled, with a way to remove it; the counts are shown.
    html = page(client, item)
    assert "Your rating: 4 of 5." in html
    assert 'id="used-rating-4" name="rating" value="4" checked' in html
    assert ">Worked with grade 3.</textarea>" in html
    assert f'action="{unused_url(item)}"' in html
    assert "Used 1 time" in html
    assert "Rated 4.0 of 5 (1 rating)" in html


def test_a_mark_without_a_rating_counts_as_used_but_not_rated(client, new_alt, item):
    client.force_login(new_alt)
    client.post(used_url(item), {"rating": "", "notes": ""})
    assert counts(item) == (1, 0, 0)
    html = page(client, item)
    assert 'id="used-rating-none" name="rating" value="" checked' in html
    assert "Rated" not in html


def test_an_editor_marks_like_any_member(client, editor, item):
    client.force_login(editor)
    assert client.post(used_url(item), {"rating": "5"}).status_code == 302
    assert counts(item) == (1, 1, 5.0)


def test_the_forms_only_take_posts(client, new_alt, item):
    client.force_login(new_alt)
    assert client.get(used_url(item)).status_code == 405
    assert client.get(unused_url(item)).status_code == 405


# --- Counts and the average ---------------------------------------------------------------


def test_counts_and_average_follow_marks_updates_and_removals(client, item):
    ann, ben, cat, dan = members(4)
    for member, rating in ((ann, "5"), (ben, "4"), (cat, ""), (dan, "2")):
        client.force_login(member)
        client.post(used_url(item), {"rating": rating})
    assert counts(item) == (4, 3, pytest.approx(11 / 3, abs=1e-3))

    client.force_login(ann)  # Ann changes her mind: an update, not a second mark.
    client.post(used_url(item), {"rating": "1"})
    assert Usage.objects.filter(user=ann).count() == 1
    assert counts(item) == (4, 3, pytest.approx(7 / 3, abs=1e-3))

    client.force_login(ben)
    client.post(unused_url(item))
    assert counts(item) == (3, 2, 1.5)

    client.force_login(cat)  # Cat rates now: her earlier unrated mark is updated.
    client.post(used_url(item), {"rating": "3"})
    assert counts(item) == (3, 3, 2.0)

    for member in (ann, cat, dan):
        client.force_login(member)
        client.post(unused_url(item))
    assert counts(item) == (0, 0, 0)
    assert not Usage.objects.exists()


def test_removing_a_mark_that_is_not_there_changes_nothing(client, new_alt, contributor, item):
    usage.mark_used(item, contributor, rating=5)
    client.force_login(new_alt)
    response = client.post(unused_url(item))
    assert response.status_code == 302
    assert counts(item) == (1, 1, 5.0)


def test_counters_are_recomputed_from_the_rows_not_incremented(new_alt, contributor, item):
    # Counters gone wrong (a bulk edit, an old bug) are put right by the next mark.
    Item.objects.filter(pk=item.pk).update(used_count=99, rating_count=7, rating_average=1.0)
    usage.mark_used(item, new_alt, rating=5)
    usage.mark_used(item, contributor, rating=4)
    assert counts(item) == (2, 2, 4.5)


def test_a_mark_is_not_an_edit_of_the_item(new_alt, item):
    before = Item.objects.get(pk=item.pk).updated_at
    usage.mark_used(item, new_alt, rating=3)
    assert Item.objects.get(pk=item.pk).updated_at == before


def test_list_rows_show_the_counts(client, item):
    for member, rating in zip(members(3), (5, 4, None), strict=True):
        usage.mark_used(item, member, rating=rating)
    html = client.get("/library/").content.decode()
    row = html[html.index("Fruit basket") :]
    assert "Used 3 times" in row
    assert "Rated 4.5 of 5 (2 ratings)" in row


# --- Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("rating", ["0", "6", "-1", "4.5", "five", "１"])
def test_an_invalid_rating_is_refused_with_the_message_and_the_notes_kept(
    client, new_alt, item, rating
):
    client.force_login(new_alt)
    response = client.post(used_url(item), {"rating": rating, "notes": "Kids loved it"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a rating from 1 to 5, or no rating." in html
    assert 'role="alert"' in html
    assert ">Kids loved it</textarea>" in html
    assert "<h1>Fruit basket</h1>" in html  # the whole page, not a bare error
    assert not Usage.objects.exists()
    assert counts(item) == (0, 0, 0)


def test_invalid_input_keeps_an_existing_mark_as_it_was(client, new_alt, item):
    usage.mark_used(item, new_alt, rating=2, notes="First try")
    client.force_login(new_alt)
    response = client.post(used_url(item), {"rating": "9", "notes": "Second try"})
    assert response.status_code == 400
    assert ">Second try</textarea>" in response.content.decode()
    mark = Usage.objects.get()
    assert (mark.rating, mark.notes) == (2, "First try")


def test_notes_longer_than_2000_characters_are_refused(client, new_alt, item):
    client.force_login(new_alt)
    response = client.post(used_url(item), {"rating": "3", "notes": "x" * 2001})
    assert response.status_code == 400
    assert "Notes can be at most 2,000 characters long" in response.content.decode()
    assert not Usage.objects.exists()
    assert client.post(used_url(item), {"notes": "x" * 2000}).status_code == 302


def test_the_actions_check_their_input_too(new_alt, item):
    with pytest.raises(usage.UsageError):
        usage.mark_used(item, new_alt, rating=0)
    with pytest.raises(usage.UsageError):
        usage.mark_used(item, new_alt, notes="x" * 2001)
    draft = make_item("Draft", status=Item.Status.DRAFT)
    with pytest.raises(usage.UsageError):
        usage.mark_used(draft, new_alt, rating=3)
    assert not Usage.objects.exists()


@pytest.mark.parametrize("status", [Item.Status.DRAFT, Item.Status.SUBMITTED, "unpublished"])
def test_unpublished_items_cannot_be_marked(client, new_alt, editor, status):
    hidden = make_item("Hidden", status=status)
    for user in (new_alt, editor):
        client.force_login(user)
        assert client.post(used_url(hidden), {"rating": "5"}).status_code == 404
        assert client.post(unused_url(hidden)).status_code == 404
    # An editor sees the page, but no form: a mark on an unpublished item means nothing.
    assert used_url(hidden) not in page(client, hidden)
    assert not Usage.objects.exists()


def test_an_unknown_item_is_not_found(client, new_alt):
    client.force_login(new_alt)
    assert client.post("/library/no-such-item/used/", {"rating": "5"}).status_code == 404
    assert client.post("/library/no-such-item/used/remove/").status_code == 404


# --- Notes are private --------------------------------------------------------------------


def test_notes_are_shown_only_to_their_author(client, new_alt, contributor, editor, item):
    usage.mark_used(item, new_alt, rating=5, notes="Secret: 2-3 kumi was noisy")
    for viewer in (None, contributor, editor):
        client.logout()
        if viewer:
            client.force_login(viewer)
        html = page(client, item)
        assert "2-3 kumi" not in html
        assert "Rated 5.0 of 5 (1 rating)" in html  # the rating itself is public
    client.force_login(new_alt)
    assert "Secret: 2-3 kumi was noisy" in page(client, item)
    # Nor are they on the list.
    assert "2-3 kumi" not in client.get("/library/").content.decode()


# --- Queries ------------------------------------------------------------------------------


@pytest.mark.parametrize("usages", [1, 50])
def test_the_item_page_query_count_does_not_grow_with_usages(
    client, new_alt, item, usages, django_assert_num_queries
):
    for member in members(usages):
        usage.mark_used(item, member, rating=4, notes="mine")
    # Anonymous: the item with its edition and textbook, its tags, its creators, its
    # discussion (1; see tests/discussion/).
    with django_assert_num_queries(4):
        html = page(client, item)
    assert f"Used {usages} time" in html
    # A member: session, user, roles, the same 4, their own mark (one row, by index), and the
    # discussion's verified-email check.
    client.force_login(new_alt)
    with django_assert_num_queries(9):
        page(client, item)
    usage.mark_used(item, new_alt, rating=2)
    with django_assert_num_queries(9):
        html = page(client, item)
    assert "Your rating: 2 of 5." in html


@pytest.mark.parametrize("usages", [1, 30])
def test_the_list_query_count_does_not_grow_with_usages(
    client, item, usages, django_assert_num_queries
):
    for member in members(usages):
        usage.mark_used(item, member, rating=3)
    # Listing queries: textbooks (their editions too, when there are textbooks), tags, the
    # count and the page of items, the page's tags and creators. The counters are columns
    # on the item, read with it: no query per item, none per usage.
    with django_assert_num_queries(6):
        response = client.get("/library/")
    assert response.status_code == 200


def test_marking_reads_and_writes_a_fixed_number_of_queries(
    new_alt, item, django_assert_max_num_queries
):
    for member in members(20):
        usage.mark_used(item, member, rating=5)
    # lock the item, the upsert (select, then insert or update), one aggregate, one update:
    # 5 statements, plus 6 savepoint statements (atomic blocks inside the test's transaction)
    with django_assert_max_num_queries(11):
        usage.mark_used(item, new_alt, rating=1)
    assert counts(item) == (21, 21, pytest.approx(101 / 21, abs=1e-3))


def test_the_radio_buttons_are_labelled(client, new_alt, item):
    client.force_login(new_alt)
    html = page(client, item)
    for value in ("none", "1", "2", "3", "4", "5"):
        assert re.search(rf'<label for="used-rating-{value}"><input type="radio"', html)
    assert "<legend>Your rating (optional" in html
    assert "<script" not in html.split('id="used"')[1].split("</section>")[0]
    assert "style=" not in html.split('id="used"')[1].split("</section>")[0]
