import pytest


@pytest.fixture
def module(db):
    from tests.courses.factories import make_module

    return make_module()


@pytest.fixture
def lesson(module):
    from tests.courses.factories import make_lesson

    return make_lesson(module, "planning", title="Planning with your JTE")
