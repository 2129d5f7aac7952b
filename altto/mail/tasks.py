"""Background work through Django's Tasks framework (django-tasks): inline with
TASK_BACKEND=immediate (the default), by `manage.py db_worker` with TASK_BACKEND=database.
`manage.py send_mail_queue --every 60` (started by `make run`) calls the same functions on
a clock, so retries, quiet hours and digests happen even when nothing is enqueued."""

from django_tasks import task

from altto.mail import queue, sending


@task()
def deliver_due() -> dict[str, int]:
    """Send every email whose time has come."""
    return sending.deliver_due()


@task()
def send_digests(period: str) -> int:
    """Queue this period's digests ("daily" or "weekly") and send what is due."""
    queued = queue.queue_digests(period, wake=False)
    sending.deliver_due()
    return queued
