"""Fixtures the forum tests share: Mina, a member whose posts appear at once, and a
question she asked."""

import pytest

from tests.forum.helpers import make_member, start


@pytest.fixture
def member(db):
    return make_member("mina", display_name="Mina")


@pytest.fixture
def thread(member):
    return start(member)
