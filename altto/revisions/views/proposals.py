"""Proposing a change to a document, and a proposal's own page.

Any signed-in member proposes; the proposer amends or withdraws while it waits; editors
review it under /review/. The views take (request, document) and know nothing of lessons:
the wrappers at the end find a lesson's text from its address."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from altto.accounts.roles import may
from altto.courses.documents import lesson_document
from altto.revisions import actions
from altto.revisions.actions import AlreadyDecided, RevisionError, head, revisions_of
from altto.revisions.documents import diff_documents
from altto.revisions.models import FreshnessVote, Proposal, Revision
from altto.revisions.proposal_forms import ProposalForm, typed_preview
from altto.revisions.queries import with_document

# --- Proposing and amending ---------------------------------------------------------------


def _summary_from_vote(request: HttpRequest, document) -> str:
    """The summary to start with when the member came from an outdated report on this
    document: "Fix: <reason>"."""
    vote_id = request.GET.get("from_vote", "")
    if not vote_id.isdigit():
        return ""
    vote = FreshnessVote.objects.filter(
        pk=vote_id,
        content_type=ContentType.objects.get_for_model(document),
        object_id=document.pk,
        verdict=FreshnessVote.Verdict.OUTDATED,
    ).first()
    if vote is None:
        return ""
    return (_("Fix: %(reason)s") % {"reason": " ".join(vote.reason.split())})[:300]


def _posted_base(document, post) -> Revision | None:
    """The revision the form was opened on, if it is one of this document's."""
    base_id = post.get("base", "")
    if not base_id.isdigit():
        return None
    return revisions_of(document).filter(pk=base_id).first()


def _form_page(request: HttpRequest, context: dict, status: int = 200) -> HttpResponse:
    return render(request, "revisions/propose.html", context, status=status)


def propose(request: HttpRequest, document, *, action_url: str, preview_url: str) -> HttpResponse:
    """The form, prefilled from the current version; on submit, a proposal based on the
    version the member read, even if someone published another one meanwhile."""
    if not may(request.user, "propose_edit", document):
        raise PermissionDenied
    current = head(document)
    if current is None:
        raise Http404("This page has no published version yet.")
    context = {"document": document, "action_url": action_url, "preview_url": preview_url}
    if request.method != "POST":
        initial = {"base": current.pk, "summary": _summary_from_vote(request, document)}
        context["form"] = ProposalForm(
            document, start=current.data, preview_url=preview_url, initial=initial
        )
        return _form_page(request, context)

    base = _posted_base(document, request.POST)
    if base is None:
        # Tampered with, or opened on a text that is gone: keep what was typed, start afresh.
        form = ProposalForm(document, start=current.data, preview_url=preview_url)
        context["form"] = form.typed_copy(request.POST, base=current.pk)
        context["error"] = _(
            "This form no longer matches the page. Your text is kept below: check it against "
            "the current version, then send it again."
        )
        return _form_page(request, context, status=409)
    form = ProposalForm(document, request.POST, start=base.data, preview_url=preview_url)
    context["moved_on"] = base.pk != current.pk
    if "preview" in request.POST:
        context["form"] = form.typed_copy(request.POST, base=base.pk)
        context["preview"] = typed_preview(request.POST)
        return _form_page(request, context)
    context["form"] = form
    if form.is_valid():
        try:
            proposal = actions.propose(
                document,
                request.user,
                form.proposed_data(),
                form.cleaned_data["summary"],
                base=base,
            )
        except RevisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you! Your proposal is waiting for an editor."))
            return redirect(proposal)
    return _form_page(request, context, status=400)


def preview(request: HttpRequest) -> HttpResponse:
    """The typed Markdown, rendered and sanitised: a fragment for htmx. Saves nothing."""
    return render(request, "revisions/_preview.html", {"preview": typed_preview(request.POST)})


def _gone(request: HttpRequest) -> HttpResponse:
    """The page was unpublished or removed while the member wrote: give their words back."""
    skip = {"csrfmiddlewaretoken", "base", "preview"}
    kept = [
        (name.replace("_", " ").capitalize(), value)
        for name, value in request.POST.items()
        if name not in skip and value.strip()
    ]
    return render(request, "revisions/propose_gone.html", {"kept": kept}, status=404)


# --- A proposal's page, amend and withdraw --------------------------------------------------


def _visible_proposal(request: HttpRequest, pk: int) -> Proposal:
    """The proposal with its proposer, base, revision and document, if this person may see
    it. Anyone else gets 404: a proposal's existence is not revealed."""
    proposal = (
        with_document(Proposal.objects.select_related("proposer", "base", "revision"))
        .filter(pk=pk)
        .first()
    )
    if proposal is None or not may(request.user, "see_proposal", proposal):
        raise Http404("No such proposal.")
    return proposal


@login_required
def proposal_page(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible_proposal(request, pk)
    document = proposal.document
    user = request.user
    events = proposal.events.select_related("actor")
    if not may(user, "see_private_notes", proposal):
        events = events.filter(is_private=False)
    diffs = []
    if document is not None:
        diffs = [
            diff
            for diff in diff_documents(document, proposal.base.data, proposal.data)
            if diff.changed
        ]
    return render(
        request,
        "revisions/proposal.html",
        {
            "proposal": proposal,
            "document": document,
            "diffs": diffs,
            "events": list(events),
            "can_amend": proposal.proposer_id == user.pk and proposal.is_pending,
            "can_review": may(user, "review_proposals", proposal),
        },
    )


def _own_proposal(request: HttpRequest, pk: int) -> Proposal:
    """404 for those who may not see it; 403 for editors, who see it but did not write it."""
    proposal = _visible_proposal(request, pk)
    if proposal.proposer_id != request.user.pk:
        raise PermissionDenied
    return proposal


@login_required
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    document = proposal.document
    if document is None:
        raise Http404("The page this proposal was for is gone.")
    if request.method != "POST" and not proposal.is_pending:
        messages.info(request, _("This proposal was already decided: it can no longer change."))
        return redirect(proposal)
    preview_url = reverse("revisions:amend_preview", kwargs={"pk": proposal.pk})
    context = {
        "document": document,
        "proposal": proposal,
        "action_url": request.path,
        "preview_url": preview_url,
    }
    if request.method != "POST":
        initial = {"base": proposal.base_id, "summary": proposal.summary}
        context["form"] = ProposalForm(
            document, start=proposal.data, preview_url=preview_url, initial=initial
        )
        return _form_page(request, context)
    form = ProposalForm(document, request.POST, start=proposal.data, preview_url=preview_url)
    if "preview" in request.POST:
        context["form"] = form.typed_copy(request.POST, base=proposal.base_id)
        context["preview"] = typed_preview(request.POST)
        return _form_page(request, context)
    context["form"] = form
    status = 400
    if form.is_valid():
        try:
            actions.amend(
                proposal, request.user, form.proposed_data(), form.cleaned_data["summary"]
            )
        except AlreadyDecided as error:
            form.add_error(None, str(error))
            status = 409
        except RevisionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your proposal is updated and waiting for an editor."))
            return redirect(proposal)
    return _form_page(request, context, status=status)


@require_POST
@login_required
def amend_preview(request: HttpRequest, pk: int) -> HttpResponse:
    _own_proposal(request, pk)
    return preview(request)


@require_POST
@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    try:
        actions.withdraw(proposal, request.user)
    except RevisionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You withdrew your proposal."))
    return redirect(proposal)


# --- Lessons ------------------------------------------------------------------------------


@login_required
def lesson_propose(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    try:
        text = lesson_document(request, slug, lesson)
    except Http404:
        if request.method == "POST":
            return _gone(request)
        raise
    # The action names the text's language, so the form is sent back to the same text.
    action_url = reverse("revisions:propose", kwargs={"slug": slug, "lesson": lesson})
    preview_url = reverse("revisions:propose_preview", kwargs={"slug": slug, "lesson": lesson})
    return propose(
        request, text, action_url=f"{action_url}?lang={text.language}", preview_url=preview_url
    )


@require_POST
@login_required
def lesson_propose_preview(request: HttpRequest, slug: str, lesson: str) -> HttpResponse:
    text = lesson_document(request, slug, lesson)
    if not may(request.user, "propose_edit", text):
        raise PermissionDenied
    return preview(request)
