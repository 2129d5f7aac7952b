"""A task for the Redis queue's tests: it writes down what it was given."""

from django_tasks import task

DONE: list[str] = []


@task()
def write_down(word: str) -> None:
    DONE.append(word)


@task()
def fail(word: str) -> None:
    raise RuntimeError(word)
