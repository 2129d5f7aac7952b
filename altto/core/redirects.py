from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def redirect_back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Redirect to the form's `next` when it is on this site, else to `fallback` (a URL
    name or path): a moderator's button returns them to where they pressed it."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if safe else fallback)
