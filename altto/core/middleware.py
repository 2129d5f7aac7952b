"""Request-wide middleware: query accounting, request log lines, and the security headers
that Django and django-csp do not send themselves."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from altto.core.language import remember_language

log = logging.getLogger("altto.requests")


class QueryCounter:
    """Counts every query on every database connection, with the time it took."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - start


class ServerTimingMiddleware:
    """Sends `Server-Timing: db;dur=<ms>;desc="<N> queries"` and logs one line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        counter = QueryCounter()
        start = time.perf_counter()
        wrappers = [conn.execute_wrapper(counter) for conn in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        elapsed_ms = (time.perf_counter() - start) * 1000
        if settings.SERVER_TIMING:
            response["Server-Timing"] = (
                f'db;dur={counter.seconds * 1000:.1f};desc="{counter.count} queries"'
            )
        log.info(
            "%s %s %s %.1fms %dq",
            request.method,
            request.get_full_path(),
            response.status_code,
            elapsed_ms,
            counter.count,
        )
        return response


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class UserLanguageMiddleware:
    """A signed-in member with no language cookie yet (a new device) gets their saved
    language; the switcher's cookie wins after that."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        adopt = (
            settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and user is not None
            and user.is_authenticated
        )
        if adopt:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        response = self.get_response(request)
        if adopt and settings.LANGUAGE_COOKIE_NAME not in response.cookies:
            remember_language(response, user.preferred_language)
        return response
