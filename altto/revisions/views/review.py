"""The editors' review: the queue of proposals and outdated reports, one proposal with its
diffs and (when the document moved on) its merge, the decisions, and the audit log.

Views are thin: fetch, ask `may()`, call an action in `altto.revisions.actions`. Decision
forms carry the head revision and the proposal version they were built against, so a stale
form changes nothing and the editor sees the new state instead.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from altto.accounts.roles import may
from altto.courses.models import LessonText
from altto.courses.models.content import DEFAULT_LANGUAGE, pick_text
from altto.discussion.models import Report
from altto.lib.textdiff import Conflict
from altto.library.review_queries import rights_for_review, submissions_for_review
from altto.revisions import actions
from altto.revisions.documents import DocumentMerge, diff_documents, resolve_merge
from altto.revisions.models import AuditEntry, FreshnessVote, Proposal

AUDIT_PAGE_SIZE = 50
AUDIT_ACTIONS = {
    "approve": gettext_lazy("approved a proposal"),
    "request_changes": gettext_lazy("asked for changes to a proposal"),
    "reject": gettext_lazy("rejected a proposal"),
    "rollback": gettext_lazy("rolled back to an older version"),
    "mark_reviewed": gettext_lazy("marked as reviewed"),
    "dismiss_outdated": gettext_lazy("dismissed an outdated report"),
    "publish": gettext_lazy("published a library item"),
    "unpublish": gettext_lazy("took a library item down"),
    "edit_rights": gettext_lazy("edited the rights of a library item"),
    "add_permission": gettext_lazy("recorded a permission for a library item"),
    "reject_submission": gettext_lazy("turned down a library submission"),
    "add_textbook": gettext_lazy("added a textbook series"),
    "edit_textbook": gettext_lazy("edited a textbook series"),
    "add_edition": gettext_lazy("added a textbook edition"),
    "obsolete_edition": gettext_lazy("marked a textbook edition obsolete"),
    "current_edition": gettext_lazy("marked a textbook edition current again"),
}
DECISIONS = ("approve", "changes", "reject")


def _require_reviewer(user) -> None:
    if not may(user, "review_proposals"):
        raise PermissionDenied


# --- Where a row's document lives ------------------------------------------------------


@dataclass
class Place:
    """What a queue or audit row shows about its document."""

    title: str
    module_title: str = ""
    module_id: int | None = None
    url: str = ""
    lesson_url: str = ""


def _documents_prefetch() -> GenericPrefetch:
    # Lessons come with their module and its titles: 2 queries for any number of rows.
    return GenericPrefetch(
        "document",
        [
            LessonText.objects.select_related("lesson__module").prefetch_related(
                "lesson__module__texts"
            )
        ],
    )


def _place(document) -> Place:
    if document is None:
        return Place(_("A deleted page"))
    lesson = getattr(document, "lesson", None)
    if lesson is None:
        return Place(str(document), url=document.get_absolute_url())
    module = lesson.module
    module_text = pick_text(list(module.texts.all()), document.language)
    return Place(
        str(document),
        module_title=module_text.title if module_text else module.slug,
        module_id=module.pk,
        url=document.get_absolute_url(),
        lesson_url=lesson.get_absolute_url(),
    )


def _with_places(rows: list) -> list:
    """Fetch the documents of proposals, votes or audit entries, and give each row `.place`."""
    prefetch_related_objects(rows, _documents_prefetch())
    for row in rows:
        row.place = _place(row.document)
    return rows


def _propose_url(vote: FreshnessVote) -> str:
    """The lesson's propose page, started from this report (built by the proposals pages)."""
    if not vote.place.lesson_url:
        return ""
    url = f"{vote.place.lesson_url}propose/?from_vote={vote.pk}"
    if vote.document.language != DEFAULT_LANGUAGE:
        url += f"&lang={vote.document.language}"
    return url


# --- The queue ---------------------------------------------------------------------------


@require_GET
@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_reviewer(request.user)
    return _queue_page(request)


def _queue_page(
    request: HttpRequest,
    *,
    status: int = 200,
    error: str = "",
    failed_vote: int | None = None,
    draft: str = "",
) -> HttpResponse:
    # 1 query: the modules this editor maintains.
    maintained = set(request.user.maintained_modules.values_list("pk", flat=True))
    # 3 queries: pending proposals with their proposer; their lessons with module; module titles.
    pending = _with_places(
        list(
            Proposal.objects.filter(state__in=Proposal.PENDING)
            .select_related("proposer")
            .order_by("created_at", "pk")
        )
    )
    waiting_review = [p for p in pending if p.state == Proposal.State.OPEN]
    for proposal in pending:
        proposal.age = timesince(proposal.created_at, depth=1)
    # 3 queries: open outdated reports with their reader; their lessons; module titles.
    votes = _with_places(
        list(
            FreshnessVote.objects.filter(
                verdict=FreshnessVote.Verdict.OUTDATED, resolved_at__isnull=True
            )
            .select_related("user")
            .order_by("created_at", "pk")
        )
    )
    for vote in votes:
        vote.propose_url = _propose_url(vote)
        vote.age = timesince(vote.created_at, depth=1)
    oldest = waiting_review[0] if waiting_review else None
    context = {
        "yours": [p for p in waiting_review if p.place.module_id in maintained],
        "others": [p for p in waiting_review if p.place.module_id not in maintained],
        "maintains_modules": bool(maintained),
        "waiting_for_proposer": [p for p in pending if p.state != Proposal.State.OPEN],
        "backlog": len(waiting_review),
        "oldest_age": oldest.age if oldest else "",
        "votes": votes,
        # 1 query: reported comments still open (moderators handle them).
        "open_reports": Report.objects.open().count(),
        "may_see_reports": may(request.user, "see_reports"),
        # 3 queries (1 if none): members' library submissions, their creators, permissions.
        "library_submissions": submissions_for_review(),
        # 2 queries: permissions expiring soon; items taken down because theirs expired.
        "library_rights": rights_for_review(),
        "error": error,
        "failed_vote": failed_vote,
        "draft": draft,
    }
    return render(request, "revisions/queue.html", context, status=status)


@require_POST
@login_required
def dismiss_outdated(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request.user)
    vote = get_object_or_404(FreshnessVote, pk=pk, verdict=FreshnessVote.Verdict.OUTDATED)
    comment = request.POST.get("comment", "")
    try:
        actions.dismiss_outdated(vote, request.user, comment)
    except actions.AlreadyDecided as error:
        return _queue_page(request, status=409, error=str(error))
    except actions.RevisionError as error:
        return _queue_page(
            request, status=400, error=str(error), failed_vote=vote.pk, draft=comment
        )
    messages.success(request, _("The report is dismissed; the reader sees your comment."))
    return redirect("revisions:queue")


# --- One proposal ------------------------------------------------------------------------


@dataclass
class Hunk:
    """One conflicting part of a field, and what the editor chose for it so far."""

    key: str
    base: str
    current: str
    proposed: str
    choice: str
    own: str


@dataclass
class ConflictedField:
    name: str
    label: str
    is_data: bool
    hunks: list[Hunk]


def _get_proposal(pk: int) -> Proposal:
    """The proposal with its proposer, base and document (lesson, module, titles), or 404."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("proposer", "base", "revision"), pk=pk
    )
    _with_places([proposal])
    if proposal.document is None:
        raise Http404("The page this proposal was for no longer exists.")
    return proposal


def _version(proposal: Proposal) -> str:
    """Changes whenever the proposal does (amended, decided): stale forms are refused."""
    return proposal.updated_at.isoformat()


def _conflicted_fields(document, merge: DocumentMerge, posted: QueryDict) -> list[ConflictedField]:
    fields = []
    for name, segments in merge.conflicts.items():
        conflicts = [s for s in segments if isinstance(s, Conflict)]
        hunks = []
        for number, conflict in enumerate(conflicts):
            key = f"{name}-{number}"
            hunks.append(
                Hunk(
                    key,
                    conflict.base,
                    conflict.current,
                    conflict.proposed,
                    choice=posted.get(f"pick-{key}", ""),
                    own=posted.get(f"own-{key}", conflict.proposed),
                )
            )
        is_data = document.REVISION_FIELDS[name] == "data"
        fields.append(ConflictedField(name, document.field_label(name), is_data, hunks))
    return fields


def _own_text(typed: str, conflict: Conflict) -> str:
    """The editor's own version of a hunk, ending in a newline where the hunk's lines did,
    so it does not run into the next line."""
    text = typed.replace("\r\n", "\n")
    ends_line = conflict.current.endswith("\n") or conflict.proposed.endswith("\n")
    if text and ends_line and not text.endswith("\n"):
        text += "\n"
    return text


def _read_choices(document, merge: DocumentMerge, posted: QueryDict) -> dict[str, list[str]]:
    """The editor's choice for every conflict hunk; ValueError if one is missing."""
    choices: dict[str, list[str]] = {}
    for name, segments in merge.conflicts.items():
        is_data = document.REVISION_FIELDS[name] == "data"
        picked = []
        conflicts = [s for s in segments if isinstance(s, Conflict)]
        for number, conflict in enumerate(conflicts):
            key = f"{name}-{number}"
            choice = posted.get(f"pick-{key}", "")
            if is_data and choice in ("current", "proposed"):
                picked.append(choice)
            elif choice == "current":
                picked.append(conflict.current)
            elif choice == "proposed":
                picked.append(conflict.proposed)
            elif choice == "own" and not is_data:
                picked.append(_own_text(posted.get(f"own-{key}", ""), conflict))
            else:
                raise ValueError(key)
        choices[name] = picked
    return choices


def _changed(diffs: list) -> list:
    return [diff for diff in diffs if diff.changed]


def _review_page(
    request: HttpRequest,
    proposal: Proposal,
    *,
    status: int = 200,
    error: str = "",
    posted: QueryDict | None = None,
) -> HttpResponse:
    posted = posted if posted is not None else QueryDict()
    document = proposal.document
    # 1 query: the current head.
    current, merge = actions.merge_for_review(proposal)
    moved = current.pk != proposal.base_id
    merge_state = "conflicts" if not merge.is_clean else ("clean" if moved else "same")
    context = {
        "proposal": proposal,
        "document": document,
        "place": proposal.place,
        "head": current,
        "version": _version(proposal),
        "moved": moved,
        "merge_state": merge_state,
        "base_diffs": _changed(diff_documents(document, proposal.base.data, proposal.data)),
        "current_diffs": _changed(diff_documents(document, current.data, proposal.data))
        if moved
        else [],
        "merged_diffs": _changed(diff_documents(document, current.data, merge.data))
        if merge_state == "clean"
        else [],
        "conflicts": _conflicted_fields(document, merge, posted) if merge.conflicts else [],
        # 1 query: the timeline, private notes included (this page is for editors only).
        "events": list(proposal.events.select_related("actor")),
        "can_approve": proposal.proposer_id != request.user.pk,
        "error": error,
        "comment": posted.get("comment", ""),
        "note": posted.get("note", ""),
    }
    return render(request, "revisions/review_proposal.html", context, status=status)


@require_GET
@login_required
def review_proposal(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request.user)
    return _review_page(request, _get_proposal(pk))


STALE = gettext_lazy(
    "Someone published a new version while you were working; here is the new merge."
)


def _again(request: HttpRequest, pk: int, status: int, error: str) -> HttpResponse:
    """The review page as it is now (fetched afresh), with the error and what was typed."""
    return _review_page(request, _get_proposal(pk), status=status, error=error, posted=request.POST)


@require_POST
@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    _require_reviewer(request.user)
    proposal = _get_proposal(pk)
    action = request.POST.get("action", "")
    comment = request.POST.get("comment", "")
    if action == "note":
        try:
            actions.add_private_note(proposal, request.user, request.POST.get("note", ""))
        except actions.RevisionError as error:
            return _again(request, pk, 400, str(error))
        messages.success(request, _("Your note is saved. Only editors can see it."))
        return redirect("revisions:review_proposal", pk=proposal.pk)
    if action not in DECISIONS:
        return _again(request, pk, 400, _("Choose approve, request changes or reject."))
    if not proposal.is_pending:
        message = _("Someone already decided this proposal: it is %(state)s.") % {
            "state": proposal.get_state_display().lower()
        }
        return _again(request, pk, 409, message)
    if request.POST.get("version") != _version(proposal):
        message = _("This proposal changed while you were reviewing it; here it is now.")
        return _again(request, pk, 409, message)
    try:
        if action == "approve":
            return _approve(request, proposal, comment)
        if action == "changes":
            actions.request_changes(proposal, request.user, comment)
            messages.success(request, _("Changes requested. The proposer is notified."))
        else:
            actions.reject(proposal, request.user, comment)
            messages.success(request, _("Proposal rejected. The proposer is notified."))
    except (actions.AlreadyDecided, actions.StaleDocument) as error:
        return _again(request, pk, 409, str(error))
    except actions.RevisionError as error:
        return _again(request, pk, 400, str(error))
    return redirect("revisions:queue")


def _approve(request: HttpRequest, proposal: Proposal, comment: str) -> HttpResponse:
    """Publish the proposal merged into the head the form was built against; anything else
    (the head moved, a choice missing, an empty comment) re-shows the page, nothing applied."""
    current, merge = actions.merge_for_review(proposal)
    if request.POST.get("head") != str(current.pk):
        return _again(request, proposal.pk, 409, str(STALE))
    if merge.is_clean:
        data = merge.data
    else:
        try:
            choices = _read_choices(proposal.document, merge, request.POST)
        except ValueError:
            message = _("Choose a version for every conflicting part before approving.")
            return _again(request, proposal.pk, 400, message)
        data = resolve_merge(proposal.document, merge, proposal.data, choices)
    try:
        revision = actions.approve(
            proposal, request.user, comment, data=data, expected_head=current
        )
    except actions.StaleDocument:
        return _again(request, proposal.pk, 409, str(STALE))
    except actions.AlreadyDecided as error:
        return _again(request, proposal.pk, 409, str(error))
    except actions.RevisionError as error:
        # Refused for their own proposal (403), or for an empty comment (400).
        own = proposal.proposer_id == request.user.pk and comment.strip()
        return _again(request, proposal.pk, 403 if own else 400, str(error))
    messages.success(
        request,
        _("Approved: version %(number)s is published and credited to %(name)s.")
        % {"number": revision.number, "name": proposal.proposer.name},
    )
    return redirect("revisions:queue")


# --- Audit -------------------------------------------------------------------------------


@require_GET
@login_required
def audit(request: HttpRequest) -> HttpResponse:
    if not may(request.user, "see_audit"):
        raise PermissionDenied
    # 2 queries: the count, then one page of entries with their actor.
    entries = AuditEntry.objects.select_related("actor").order_by("-created_at", "-pk")
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    # 2 queries: the entries' lessons with their module; module titles.
    rows = _with_places(list(page.object_list))
    for entry in rows:
        entry.label = AUDIT_ACTIONS.get(entry.action, entry.action)
    return render(request, "revisions/audit.html", {"page": page, "entries": rows})
