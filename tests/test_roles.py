import pytest
from django.contrib.auth.models import AnonymousUser, Group

from altto.accounts.roles import (
    ADMIN,
    BLOG_EDITOR,
    EDITOR,
    MEMBER,
    MODERATOR,
    ROLES,
    ensure_roles,
    has_role,
    may,
)

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


def test_ensure_roles_can_run_again_without_duplicates():
    ensure_roles()
    ensure_roles()
    assert Group.objects.filter(name=MODERATOR).count() == 1
    assert Group.objects.get(name=ADMIN).permissions.filter(codename="change_user").exists()


def test_new_members_join_the_member_role(new_alt):
    assert new_alt.role_names == {MEMBER}


@pytest.mark.parametrize(
    ("persona", "action", "allowed"),
    [
        ("new_alt", "edit_content", False),
        ("contributor", "edit_content", False),
        ("editor", "edit_content", True),
        ("site_admin", "edit_content", True),
        ("moderator", "edit_content", False),
        ("new_alt", "moderate", False),
        ("editor", "moderate", False),
        ("moderator", "moderate", True),
        ("site_admin", "moderate", True),
        ("blog_editor", "edit_blog", True),
        ("editor", "edit_blog", False),
        ("new_alt", "edit_blog", False),
    ],
)
def test_each_role_may_do_only_its_own_work(request, persona, action, allowed):
    user = request.getfixturevalue(persona)
    assert may(user, action) is allowed


def test_members_edit_only_their_own_profile(new_alt, contributor, site_admin):
    assert may(new_alt, "edit_profile", new_alt)
    assert not may(new_alt, "edit_profile", contributor)
    assert may(site_admin, "edit_profile", contributor)


def test_visitors_and_deactivated_members_may_do_nothing(editor):
    assert not may(AnonymousUser(), "edit_content")
    editor.is_active = False
    assert not may(editor, "edit_content")
    assert not has_role(editor, EDITOR)


def test_an_unknown_action_is_a_programming_error(new_alt):
    with pytest.raises(KeyError):
        may(new_alt, "launch_rockets")


def test_role_names_cost_one_query_then_are_remembered(blog_editor, django_assert_num_queries):
    from altto.accounts.models import User

    user = User.objects.get(pk=blog_editor.pk)
    with django_assert_num_queries(1):
        assert has_role(user, BLOG_EDITOR)
        assert not has_role(user, EDITOR)
