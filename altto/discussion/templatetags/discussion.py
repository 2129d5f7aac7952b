from typing import Any

from django import template

from altto.accounts.roles import may

register = template.Library()


@register.simple_tag(takes_context=True)
def allowed(context: template.Context, action: str, obj: Any = None) -> bool:
    """`{% allowed "edit_comment" comment as can_edit %}`: may() for the signed-in user.
    Rules remember what they looked up on the user, so a loop costs no query per row."""
    return may(context.get("user"), action, obj)
