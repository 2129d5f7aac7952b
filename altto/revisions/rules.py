"""Who may do what to community-maintained documents (see altto/accounts/roles.py)."""

from altto.accounts.roles import ADMIN, EDITOR, has_role, rule


def _is_editor(user) -> bool:
    return has_role(user, EDITOR) or has_role(user, ADMIN)


@rule("propose_edit")
def _propose_edit(user, document) -> bool:
    # Any signed-in, active member; may() has already refused visitors.
    return True


@rule("review_proposals")
def _review(user, obj) -> bool:
    return _is_editor(user)


@rule("see_proposal")
def _see_proposal(user, proposal) -> bool:
    return proposal.proposer_id == user.pk or _is_editor(user)


@rule("see_private_notes")
def _see_private_notes(user, proposal) -> bool:
    return _is_editor(user)


@rule("rollback")
def _rollback(user, document) -> bool:
    return _is_editor(user)


@rule("see_audit")
def _see_audit(user, obj) -> bool:
    return _is_editor(user)
