"""Deploy-time checks (`manage.py check --deploy`) for settings Django cannot judge."""

from urllib.parse import urlparse

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_production_settings(app_configs, **kwargs) -> list[Warning]:
    problems = []
    if settings.EMAIL_BACKEND.endswith(("console.EmailBackend", "locmem.EmailBackend")):
        problems.append(
            Warning(
                "Email goes nowhere: sign-up confirmations and password resets will not arrive.",
                hint="Set EMAIL_URL=smtp+tls://user:password@host:587 (docs/DEPLOY.md).",
                id="altto.W001",
            )
        )
    host = urlparse(settings.SITE_URL).hostname or ""
    if host in {"127.0.0.1", "localhost", ""} or not settings.SITE_URL.startswith("https://"):
        problems.append(
            Warning(
                f"SITE_URL is {settings.SITE_URL!r}: links in emails and certificates use it.",
                hint="Set SITE_URL to the public https:// address of the site.",
                id="altto.W002",
            )
        )
    return problems
