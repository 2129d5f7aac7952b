from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from altto.accounts.models import SchoolLevel
from altto.forum.actions import Refused, check_title
from altto.forum.models import (
    BODY_MAX_LENGTH,
    EMPLOYER_TYPES,
    TITLE_MAX_LENGTH,
    Category,
    Flag,
    Thread,
)

MAX_FREE_TAGS = 3


def _body_field(label) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: **bold**, *italic*, > quote, - list, [link](https://…), @name."),
        error_messages={"required": _("Please write something before posting.")},
    )


class TitleField(forms.CharField):
    """A title with invisible and direction-changing characters removed."""

    def __init__(self, **kwargs):
        super().__init__(label=_("Title"), max_length=TITLE_MAX_LENGTH, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        try:
            return check_title(value)
        except Refused as refused:
            raise forms.ValidationError(refused.message) from None


class ThreadForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.order_by("position", "pk"),
        to_field_name="slug",
        empty_label=None,
    )
    kind = forms.ChoiceField(
        label=_("This is a"),
        choices=Thread.Kind.choices,
        initial=Thread.Kind.QUESTION,
        widget=forms.RadioSelect,
    )
    title = TitleField(
        help_text=_(
            "For a question: the question itself, e.g. “How do I get quiet students to answer?”"
        ),  # fmt: skip
    )
    body = _body_field(_("Details"))
    levels = forms.MultipleChoiceField(
        label=_("School level"),
        choices=SchoolLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    employers = forms.MultipleChoiceField(
        label=_("Employer type"),
        choices=EMPLOYER_TYPES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Answers often depend on who employs you."),
    )
    tags = forms.CharField(
        label=_("Other tags"),
        required=False,
        max_length=120,
        help_text=_("Up to three, separated by commas, e.g. “phonics, games”."),
    )
    anonymous = forms.BooleanField(
        label=_("Post anonymously"),
        required=False,
        help_text=_(
            "Members see “Anonymous member” instead of your name. Moderators can "
            "still see who you are."
        ),  # fmt: skip
    )

    def clean_tags(self) -> list[str]:
        tags = [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]
        tags = list(dict.fromkeys(t for t in tags if slugify(t, allow_unicode=True)))
        if len(tags) > MAX_FREE_TAGS:
            raise forms.ValidationError(
                _("Please use at most %(count)s tags."), params={"count": MAX_FREE_TAGS}
            )
        if any(len(t) > 30 for t in tags):
            raise forms.ValidationError(_("Each tag can be at most 30 characters."))
        return tags


class ReplyForm(forms.Form):
    body = _body_field(_("Your reply"))


class EditForm(forms.Form):
    title = TitleField(required=False)
    body = _body_field(_("Text"))

    def __init__(self, *args, opening: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if opening:
            self.fields["title"].required = True
        else:
            del self.fields["title"]


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with this post?"),
        choices=Flag.Reason.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
