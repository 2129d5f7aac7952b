"""The newsletter, "The Monthly Trainer": its public archive and subscriptions (opt-in),
and the editors' pages (assemble, edit, preview, publish; the subscriber list).

Editors' pages and the subscriber list (personal data) are for blog editors and admins:
403 to everyone else signed in. A draft edition is 404 at its public address. Subscription
pages never say whether an address was already subscribed, and a bad link never says whose
it was."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from altto.accounts.roles import may
from altto.blog import newsletter
from altto.blog.actions import Refused
from altto.blog.models import Edition, EditionEntry, Subscriber
from altto.blog.newsletter_forms import AddEntryForm, EditionForm, NoteForm, SubscribeForm
from altto.discussion.rules import has_verified_email
from altto.mail import queue as mail_queue

EDITIONS_PER_PAGE = 24
SUBSCRIBERS_PER_PAGE = 50


def _require_editor(request: HttpRequest) -> None:
    if not may(request.user, "edit_blog"):
        raise PermissionDenied


def _language() -> str:
    return "ja" if (get_language() or "").startswith("ja") else "en"


def _subscribe_context(request: HttpRequest, form: SubscribeForm | None = None) -> dict:
    """The subscribe box: a member's one button, or a visitor's address form."""
    user = request.user
    if user.is_authenticated:
        verified = has_verified_email(user)
        subscription = newsletter.member_subscription(user) if verified else None
        return {
            "member": True,
            "verified": verified,
            "subscribed": subscription is not None and subscription.is_receiving,
        }
    return {"member": False, "form": form or SubscribeForm(initial={"language": _language()})}


# ---- public: the archive, an edition, subscriptions ---------------------------------------


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    page = Paginator(newsletter.published_editions(), EDITIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "editions": page.object_list,
        "subscribe": _subscribe_context(request),
        "may_edit": may(request.user, "edit_blog"),
    }
    return render(request, "blog/newsletter_archive.html", context)


def _edition_context(edition: Edition) -> dict:
    items = newsletter.shown_entries(edition)
    return {"edition": edition, "sections": newsletter.sections(items)}


@require_GET
def edition(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Edition, slug=slug, status=Edition.Status.PUBLISHED)
    context = _edition_context(found)
    context["subscribe"] = _subscribe_context(request)
    return render(request, "blog/newsletter_edition.html", context)


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = 200
    form = None
    if request.method == "POST":
        if user.is_authenticated:
            if not has_verified_email(user):
                raise PermissionDenied(_("Please verify your email address first."))
            if request.POST.get("action") == "unsubscribe":
                subscription = newsletter.member_subscription(user)
                if subscription is not None:
                    newsletter.unsubscribe(subscription)
                messages.success(request, _("You are unsubscribed. No more newsletters."))
            else:
                newsletter.subscribe_member(user)
                messages.success(
                    request, _("You are subscribed: the next edition comes to your email address.")
                )
            return redirect("blog:newsletter_subscribe")
        form = SubscribeForm(request.POST)
        status = 400
        if form.is_valid():
            newsletter.subscribe_visitor(form.cleaned_data["email"], form.cleaned_data["language"])
            # The same words whether or not the address was known: nothing is given away.
            messages.success(
                request,
                _("Thank you! Unless this address is already subscribed, an email with a "
                  "confirmation link is on its way. Follow it within %(days)s days to start "
                  "receiving the newsletter.") % {"days": newsletter.CONFIRM_MAX_AGE.days},
            )  # fmt: skip
            return redirect("blog:newsletter_subscribe")
    context = {"subscribe": _subscribe_context(request, form)}
    return render(request, "blog/newsletter_subscribe.html", context, status=status)


def _bad_link(request: HttpRequest) -> HttpResponse:
    return render(request, "blog/newsletter_bad_link.html", status=400)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button, POST confirms: mail scanners that follow every link must not
    subscribe an address its owner never confirmed."""
    subscriber = newsletter.subscriber_for_confirm_token(token)
    if subscriber is None:
        return _bad_link(request)
    if request.method == "POST":
        newsletter.confirm(subscriber)
        if subscriber.is_receiving:
            messages.success(request, _("Your subscription is confirmed. Welcome!"))
        else:
            messages.info(request, _("This address was unsubscribed since: please ask again."))
        return redirect("blog:newsletter")
    return render(
        request, "blog/newsletter_confirm.html", {"done": subscriber.confirmed_at is not None}
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every edition. GET asks, POST unsubscribes (the RFC 8058 one-click
    header for mail programs comes with the sending, issue 8)."""
    subscriber = newsletter.subscriber_for_unsubscribe_token(token)
    if subscriber is None:
        return _bad_link(request)
    if request.method == "POST":
        newsletter.unsubscribe(subscriber)
        messages.success(request, _("You are unsubscribed. No more newsletters."))
        return redirect("blog:newsletter")
    return render(
        request,
        "blog/newsletter_unsubscribe.html",
        {"done": subscriber.unsubscribed_at is not None},
    )


# ---- editors ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def editions(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    current = newsletter.this_month()
    months = [current, newsletter.previous_month(current)]
    if request.method == "POST":
        month = newsletter.parse_month(request.POST.get("month", ""))
        if month not in months:
            raise Http404
        try:
            assembled = newsletter.assemble(month, request.user)
        except Refused as refused:
            messages.error(request, refused.message)
            return redirect("blog:newsletter_editions")
        messages.success(
            request,
            _("The edition is assembled with this month's posts, lessons and threads. "
              "Check it, add a few words and publish it when it is ready."),
        )  # fmt: skip
        return redirect("blog:newsletter_edit", pk=assembled.pk)
    page = Paginator(
        Edition.objects.defer("intro", "intro_html")
        .annotate(entry_count=Count("entries"))
        .order_by("-month"),
        EDITIONS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "editions": page.object_list,
        "months": [(month.strftime("%Y-%m"), month) for month in months],
    }
    return render(request, "blog/newsletter_editions.html", context)


def _edit_context(request: HttpRequest, found: Edition, **forms) -> dict:
    now = timezone.now()
    rows = []
    for entry in newsletter.entries_for_page(found):
        item = newsletter.item_for(entry, now)
        rows.append(
            {
                "entry": entry,
                "item": item,
                "title": item.title if item else str(entry.target),
                "note_form": NoteForm(prefix=f"entry-{entry.pk}", initial={"note": entry.note}),
            }
        )
    bad_note = forms.pop("note_form", None)
    if bad_note is not None:
        for row in rows:
            if row["entry"].pk == bad_note[0]:
                row["note_form"] = bad_note[1]
    kinds = dict(EditionEntry.Kind.choices)
    order = list(kinds)  # as the page shows them: posts, lessons, threads
    rows.sort(key=lambda row: order.index(row["entry"].kind))  # stable: positions kept
    for row in rows:
        row["kind_label"] = kinds[row["entry"].kind]
    return {
        "edition": found,
        "sending": mail_queue.newsletter_progress(found) if found.is_published else None,
        "rows": rows,
        "form": forms.get("form")
        or EditionForm(initial={"title": found.title, "intro": found.intro}),
        "add_form": forms.get("add_form") or AddEntryForm(),
    }


def _get_edition(request: HttpRequest, pk: int) -> Edition:
    _require_editor(request)
    return get_object_or_404(Edition, pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    found = _get_edition(request, pk)
    if request.method == "GET":
        return render(request, "blog/newsletter_edit.html", _edit_context(request, found))
    action = request.POST.get("action", "")
    here = reverse("blog:newsletter_edit", kwargs={"pk": found.pk})
    forms = {}
    if action == "save":
        form = forms["form"] = EditionForm(request.POST)
        if form.is_valid():
            newsletter.update_edition(found, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect(here)
    elif action == "add":
        form = forms["add_form"] = AddEntryForm(request.POST)
        if form.is_valid():
            try:
                newsletter.add_by_address(
                    found, form.cleaned_data["address"], hosts={request.get_host()}
                )
            except Refused as refused:
                form.add_error("address", refused.message)
            else:
                messages.success(request, _("Added to the edition."))
                return redirect(here)
    elif action == "send":
        # Published editions only; each subscriber gets it once, however often this is pressed.
        try:
            queued = mail_queue.queue_newsletter(found)
        except mail_queue.NotPublished:
            messages.error(request, _("Publish the edition before sending it."))
        else:
            messages.success(
                request,
                ngettext(
                    "Sending to %(count)s subscriber.",
                    "Sending to %(count)s subscribers.",
                    queued,
                )
                % {"count": queued},
            )
        return redirect(f"{here}#edition-send")
    elif action in {"note", "up", "down", "remove"}:
        entry_pk = request.POST.get("entry", "")
        entry = get_object_or_404(
            EditionEntry, edition=found, pk=int(entry_pk) if entry_pk.isdigit() else 0
        )
        if action == "note":
            form = NoteForm(request.POST, prefix=f"entry-{entry.pk}")
            if form.is_valid():
                newsletter.set_note(entry, form.cleaned_data["note"])
                messages.success(request, _("Note saved."))
                return redirect(f"{here}#entry-{entry.pk}")
            forms["note_form"] = (entry.pk, form)
        elif action == "remove":
            newsletter.remove_entry(entry)
            messages.success(request, _("Removed from the edition."))
            return redirect(here)
        else:
            newsletter.move_entry(entry, action)
            return redirect(f"{here}#entry-{entry.pk}")
    else:
        raise Http404
    context = _edit_context(request, found, **forms)
    return render(request, "blog/newsletter_edit.html", context, status=400)


@require_GET
@login_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    found = _get_edition(request, pk)
    context = _edition_context(found)
    context["preview"] = True
    context["subscribe"] = _subscribe_context(request)
    return render(request, "blog/newsletter_edition.html", context)


@require_POST
@login_required
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    found = _get_edition(request, pk)
    try:
        newsletter.publish(found, request.user)
    except Refused as refused:
        messages.error(request, refused.message)
        context = _edit_context(request, found)
        context["publish_error"] = refused.message
        return render(request, "blog/newsletter_edit.html", context, status=400)
    messages.success(request, _("Published: the edition is on its archive page."))
    return redirect(found)


@require_GET
@login_required
def subscribers(request: HttpRequest) -> HttpResponse:
    """Personal data: blog editors and admins only."""
    _require_editor(request)
    confirmed = (
        Subscriber.objects.receiving()
        .select_related("user")
        .only("pk", "email", "language", "confirmed_at", "user__username", "user__display_name")
        .order_by("-confirmed_at", "-pk")
    )
    page = Paginator(confirmed, SUBSCRIBERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "counts": newsletter.subscriber_counts(),
        "page": page,
        "subscribers": page.object_list,
    }
    return render(request, "blog/newsletter_subscribers.html", context)
