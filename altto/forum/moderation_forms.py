"""Forms for the moderators' and admins' pages: moderation buttons, suspensions, categories."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from altto.forum.models import RESERVED_SLUGS, Category

REASON_MAX_LENGTH = 1000
MAX_SUSPENSION_DAYS = 365


class PostActionForm(forms.Form):
    """A moderator's button on a post: approve, hide (with an optional reason), restore."""

    action = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("hide", _("Hide")), ("restore", _("Restore"))]
    )
    reason = forms.CharField(
        label=_("Reason (optional, for the log)"),
        max_length=REASON_MAX_LENGTH,
        required=False,
    )


class ThreadActionForm(forms.Form):
    """A moderator's button on a thread. `category` (a slug) is for move, `into` (a thread's
    number or address) for merge; the view checks them."""

    action = forms.ChoiceField(
        choices=[
            ("lock", _("Lock")),
            ("unlock", _("Unlock")),
            ("pin", _("Pin")),
            ("unpin", _("Unpin")),
            ("move", _("Move")),
            ("merge", _("Merge")),
        ]
    )
    category = forms.CharField(required=False, max_length=60)
    into = forms.CharField(required=False, max_length=500)
    reason = forms.CharField(required=False, max_length=REASON_MAX_LENGTH)


# "12", "#12", "/forum/t/12-some-title/", "https://altto.example/forum/t/12/"
_THREAD_NUMBER = re.compile(r"^#?(\d+)$")
_THREAD_ADDRESS = re.compile(r"/forum/t/(\d+)(?:[-/?#]|$)")


def thread_number(text: str) -> int | None:
    """The thread number a moderator typed or pasted (a number or a thread's address)."""
    text = (text or "").strip()
    found = _THREAD_NUMBER.match(text) or _THREAD_ADDRESS.search(text)
    return int(found.group(1)) if found else None


class SuspendForm(forms.Form):
    days = forms.IntegerField(
        label=_("Days"),
        min_value=1,
        max_value=MAX_SUSPENSION_DAYS,
        help_text=_("From 1 to 365."),
        error_messages={"required": _("How many days should the suspension last?")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The member is told this, and it goes in the moderators' log."),
        error_messages={"required": _("Tell the member why they are suspended.")},
    )


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["slug", "name", "name_ja", "description", "description_ja", "position"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_ja": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "slug": _(
                "The category's address: /forum/<address>/. Lowercase letters, numbers and "
                "hyphens. Changing it breaks links to the old address."
            ),
            "position": _("Categories are listed from the lowest number."),
        }

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("“%(slug)s” is used by another forum page. Please choose another address."),
                params={"slug": slug},
                code="reserved",
            )
        return slug
