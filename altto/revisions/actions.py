"""Every change to a versioned document, and every editorial decision, goes through here.
Each function is one transaction; notifications go out after it commits."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from altto.notifications.actions import notify, watchers_of
from altto.revisions.documents import DocumentMerge, merge_documents
from altto.revisions.models import AuditEntry, FreshnessVote, Proposal, ProposalEvent, Revision


class RevisionError(Exception):
    """A change that cannot be made as asked; the message says why, for the person."""


class StaleDocument(RevisionError):
    """The document changed since the page was opened."""


class AlreadyDecided(RevisionError):
    """The proposal was decided (or withdrawn) by someone else."""


def revisions_of(document):
    return Revision.objects.filter(
        content_type=ContentType.objects.get_for_model(document), object_id=document.pk
    )


def head(document) -> Revision | None:
    return revisions_of(document).order_by("-number").first()


def _audit(document, actor, action: str, comment: str = "", **links) -> None:
    AuditEntry.objects.create(
        content_type=ContentType.objects.get_for_model(document),
        object_id=document.pk,
        actor=actor,
        action=action,
        comment=comment,
        **links,
    )


@transaction.atomic
def record_revision(
    document,
    *,
    kind: str,
    summary: str,
    author=None,
    approved_by=None,
    data: dict | None = None,
    expected_head: Revision | None | bool = False,
) -> Revision:
    """Apply `data` (if given) to the document and record its content as the next revision.
    With `expected_head`, refuse if someone else published a revision since that one."""
    current = head(document)
    if expected_head is not False and (current.pk if current else None) != (
        expected_head.pk if expected_head else None
    ):
        raise StaleDocument(_("Someone published a new version while you were working."))
    if data is not None:
        document.apply_revision_data(data)
    try:
        with transaction.atomic():
            revision = Revision.objects.create(
                content_type=ContentType.objects.get_for_model(document),
                object_id=document.pk,
                number=(current.number if current else 0) + 1,
                parent=current,
                kind=kind,
                data=document.revision_data(),
                summary=summary[:300],
                author=author,
                approved_by=approved_by,
            )
    except IntegrityError:
        raise StaleDocument(_("Someone published a new version at the same moment.")) from None
    document.last_reviewed_at = revision.created_at
    document.save(update_fields=["last_reviewed_at"])
    if kind != Revision.Kind.IMPORT:
        _tell_watchers(document, revision, author or approved_by)
    return revision


def _tell_watchers(document, revision: Revision, actor) -> None:
    watchers = [w for w in watchers_of(*document.watch_targets()) if w != actor]
    notify(
        watchers,
        "revision_published",
        document.get_absolute_url(),
        title=str(document),
        summary=revision.summary,
    )


def ensure_revision(document, *, kind: str, summary: str, author=None) -> Revision | None:
    """Record the document's current content if it differs from its latest revision."""
    current = head(document)
    if current is not None and current.data == document.revision_data():
        return None
    return record_revision(document, kind=kind, summary=summary, author=author)


# --- Proposals ---------------------------------------------------------------------------


def _check_proposal_text(document, data: dict, summary: str, against: dict | None) -> None:
    if not summary.strip():
        raise RevisionError(_("Please say in a few words what you changed and why."))
    if against is not None and data == against:
        raise RevisionError(_("Your text is the same as the current version: nothing to propose."))


@transaction.atomic
def propose(
    document, proposer, data: dict, summary: str, *, base: Revision | None = None
) -> Proposal:
    """Record `data` as a proposed change. `base` is the revision the proposer read (the
    head when omitted): if the document moved on since, review merges from that base."""
    if not document.is_open_for_proposals():
        raise RevisionError(_("This page is not open for proposals."))
    current = head(document)
    if current is None:
        raise RevisionError(_("This page has no published version to propose a change to."))
    if base is None:
        base = current
    elif (base.content_type_id, base.object_id) != (current.content_type_id, current.object_id):
        raise RevisionError(_("That version belongs to another page."))
    _check_proposal_text(document, data, summary, base.data)
    if base.pk != current.pk:
        _check_proposal_text(document, data, summary, current.data)
    proposal = Proposal.objects.create(
        content_type=base.content_type,
        object_id=document.pk,
        proposer=proposer,
        base=base,
        data=data,
        summary=summary.strip()[:300],
    )
    ProposalEvent.objects.create(proposal=proposal, actor=proposer, kind="submitted")
    return proposal


def _lock(proposal: Proposal) -> Proposal:
    """The proposal as it is now, locked until this transaction ends."""
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def amend(proposal: Proposal, proposer, data: dict, summary: str) -> Proposal:
    proposal = _lock(proposal)
    if proposal.proposer_id != proposer.pk:
        raise RevisionError(_("Only the person who proposed this can change it."))
    if not proposal.is_pending:
        raise AlreadyDecided(_("This proposal was already decided."))
    # Amending may change the words, the summary, or both: but it must change something,
    # and the words must still differ from the version they were based on.
    _check_proposal_text(proposal.document, data, summary, proposal.base.data)
    if data == proposal.data and summary.strip()[:300] == proposal.summary:
        raise RevisionError(_("You have not changed anything yet."))
    proposal.data, proposal.summary = data, summary.strip()[:300]
    proposal.state = Proposal.State.OPEN
    proposal.save(update_fields=["data", "summary", "state", "updated_at"])
    ProposalEvent.objects.create(proposal=proposal, actor=proposer, kind="amended")
    return proposal


@transaction.atomic
def withdraw(proposal: Proposal, proposer) -> Proposal:
    proposal = _lock(proposal)
    if proposal.proposer_id != proposer.pk:
        raise RevisionError(_("Only the person who proposed this can withdraw it."))
    if not proposal.is_pending:
        raise AlreadyDecided(_("This proposal was already decided."))
    proposal.state, proposal.decided_at = Proposal.State.WITHDRAWN, timezone.now()
    proposal.save(update_fields=["state", "decided_at", "updated_at"])
    ProposalEvent.objects.create(proposal=proposal, actor=proposer, kind="withdrawn")
    return proposal


def merge_for_review(proposal: Proposal) -> tuple[Revision, DocumentMerge]:
    """The current head, and the proposal merged into it (three-way, from its base)."""
    document = proposal.document
    current = head(document)
    return current, merge_documents(document, proposal.base.data, current.data, proposal.data)


def _decide(proposal: Proposal, reviewer, comment: str) -> Proposal:
    proposal = _lock(proposal)
    if not proposal.is_pending:
        raise AlreadyDecided(
            _("Someone already decided this proposal: it is %(state)s.")
            % {"state": proposal.get_state_display().lower()}
        )
    if not comment.strip():
        raise RevisionError(_("Please write a comment for the proposer."))
    return proposal


@transaction.atomic
def approve(proposal: Proposal, reviewer, comment: str, *, data: dict, expected_head) -> Revision:
    """Publish `data` (the merged text the reviewer confirmed) as a new revision credited to
    the proposer. Refused if the document moved on since the reviewer loaded the merge."""
    proposal = _decide(proposal, reviewer, comment)
    if proposal.proposer_id == reviewer.pk:
        raise RevisionError(_("You cannot approve your own proposal: another editor must."))
    document = proposal.document
    revision = record_revision(
        document,
        kind=Revision.Kind.PROPOSAL,
        summary=proposal.summary,
        author=proposal.proposer,
        approved_by=reviewer,
        data=data,
        expected_head=expected_head,
    )
    proposal.state, proposal.decided_at, proposal.revision = (
        Proposal.State.APPROVED,
        timezone.now(),
        revision,
    )
    proposal.save(update_fields=["state", "decided_at", "revision", "updated_at"])
    ProposalEvent.objects.create(
        proposal=proposal, actor=reviewer, kind="approved", comment=comment
    )
    _audit(document, reviewer, "approve", comment, proposal=proposal, revision=revision)
    notify(
        [proposal.proposer],
        "proposal_approved",
        document.get_absolute_url(),
        title=str(document),
        actor=reviewer.name,
    )
    return revision


@transaction.atomic
def request_changes(proposal: Proposal, reviewer, comment: str) -> Proposal:
    proposal = _decide(proposal, reviewer, comment)
    proposal.state = Proposal.State.CHANGES_REQUESTED
    proposal.save(update_fields=["state", "updated_at"])
    ProposalEvent.objects.create(proposal=proposal, actor=reviewer, kind="changes", comment=comment)
    _audit(proposal.document, reviewer, "request_changes", comment, proposal=proposal)
    notify(
        [proposal.proposer],
        "proposal_changes",
        proposal.get_absolute_url(),
        title=str(proposal.document),
        actor=reviewer.name,
    )
    return proposal


@transaction.atomic
def reject(proposal: Proposal, reviewer, comment: str) -> Proposal:
    proposal = _decide(proposal, reviewer, comment)
    proposal.state, proposal.decided_at = Proposal.State.REJECTED, timezone.now()
    proposal.save(update_fields=["state", "decided_at", "updated_at"])
    ProposalEvent.objects.create(
        proposal=proposal, actor=reviewer, kind="rejected", comment=comment
    )
    _audit(proposal.document, reviewer, "reject", comment, proposal=proposal)
    notify(
        [proposal.proposer],
        "proposal_rejected",
        proposal.get_absolute_url(),
        title=str(proposal.document),
        comment=comment,
    )
    return proposal


@transaction.atomic
def add_private_note(proposal: Proposal, reviewer, comment: str) -> ProposalEvent:
    if not comment.strip():
        raise RevisionError(_("The note is empty."))
    return ProposalEvent.objects.create(
        proposal=proposal, actor=reviewer, kind="note", comment=comment, is_private=True
    )


# --- History, review and freshness ------------------------------------------------------


@transaction.atomic
def rollback(document, to_revision: Revision, editor, comment: str = "") -> Revision:
    """Publish an old revision's content again, as a new revision."""
    revision = record_revision(
        document,
        kind=Revision.Kind.ROLLBACK,
        summary=_("Back to version %(number)s") % {"number": to_revision.number},
        author=editor,
        data=to_revision.data,
    )
    _audit(document, editor, "rollback", comment, revision=revision)
    return revision


@transaction.atomic
def mark_reviewed(document, editor, comment: str = "") -> Revision:
    """An editor checked the document and found it current: recorded in its history."""
    revision = record_revision(
        document,
        kind=Revision.Kind.REVIEW,
        summary=comment.strip()[:300] or _("Reviewed: still accurate"),
        author=editor,
    )
    _audit(document, editor, "mark_reviewed", comment, revision=revision)
    return revision


@transaction.atomic
def vote_freshness(document, user, verdict: str, reason: str = "") -> FreshnessVote:
    if verdict == FreshnessVote.Verdict.OUTDATED and not reason.strip():
        raise RevisionError(_("Please say what is out of date, so an editor can fix it."))
    content_type = ContentType.objects.get_for_model(document)
    vote, _created = FreshnessVote.objects.update_or_create(
        content_type=content_type,
        object_id=document.pk,
        user=user,
        resolved_at__isnull=True,
        defaults={"verdict": verdict, "reason": reason.strip()},
    )
    return vote


@transaction.atomic
def dismiss_outdated(vote: FreshnessVote, editor, comment: str) -> FreshnessVote:
    vote = FreshnessVote.objects.select_for_update().get(pk=vote.pk)
    if vote.resolved_at:
        raise AlreadyDecided(_("Someone already answered this report."))
    if not comment.strip():
        raise RevisionError(_("Please write a comment for the reader who reported it."))
    vote.resolved_at, vote.resolved_by, vote.resolution = timezone.now(), editor, comment
    vote.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    document = vote.document
    _audit(document, editor, "dismiss_outdated", comment)
    notify(
        [vote.user],
        "outdated_dismissed",
        document.get_absolute_url(),
        title=str(document),
        comment=comment,
    )
    return vote
