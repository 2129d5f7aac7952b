from django import forms
from django.utils.translation import gettext_lazy as _

from altto.discussion.models import (
    BODY_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Comment,
    on_target,
    target_field,
)


class CommentBodyForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea,
        help_text=_("Markdown is supported."),
        error_messages={"required": _("Write something first.")},
    )


class CommentForm(CommentBodyForm):
    """A new comment, or a reply when `parent` names a comment on the same page (`target`:
    a Lesson or a library Item)."""

    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, target, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.target = target

    def clean_parent(self) -> Comment | None:
        parent_id = self.cleaned_data.get("parent")
        if parent_id is None:
            return None
        found = Comment.objects.filter(**on_target(self.target), pk=parent_id)
        parent = found.select_related("parent").first()
        if parent is None:
            if target_field(self.target) == "lesson":
                raise forms.ValidationError(_("That comment is not part of this lesson."))
            raise forms.ValidationError(_("That comment is not part of this library item."))
        top_level = parent.parent or parent  # replies are one level deep
        if top_level.is_removed:
            raise forms.ValidationError(_("That comment was removed, so it takes no replies."))
        return top_level


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this comment?"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea,
        help_text=_("Only moderators see this."),
        error_messages={"required": _("Tell the moderators what is wrong.")},
    )
