import pytest


@pytest.fixture
def lesson(db):
    from tests.courses.factories import make_lesson, make_module

    return make_lesson(make_module(), "planning", title="Planning with your JTE")
