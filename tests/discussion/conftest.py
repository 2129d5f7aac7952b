import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """The posting rate limit lives in the cache: start every test with none used."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def lesson(db):
    from tests.courses.factories import make_lesson, make_module

    return make_lesson(make_module(), "planning", title="Planning with your JTE")
