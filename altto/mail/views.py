"""/mail/unsubscribe/<token>/: the link in every email and its List-Unsubscribe header.

GET asks (mail scanners follow links: a GET changes nothing); POST unsubscribes — the
button on that page, or a mail program's RFC 8058 one-click POST
("List-Unsubscribe=One-Click"), which carries no session and no CSRF token: the signed
token is the authority, so the view is CSRF-exempt. A bad token gets the same 400 page
whatever is wrong with it, naming nobody."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from altto.mail import unsubscribe as tokens


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(request, "mail/unsubscribe_invalid.html", status=400)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    found = tokens.read_token(token)
    if found is None or not tokens.is_for(found, request.user):
        return _bad_link(request)
    done = request.method == "POST"
    if done:
        tokens.apply(found)
    context = {
        "found": found,
        "done": done,
        "group_label": found.group_label,
    }
    response = render(request, "mail/unsubscribe.html", context)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
