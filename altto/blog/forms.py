"""Forms for writing blog posts and running the editorial path (views/writing.py)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from altto.blog.covers import prepare_cover
from altto.blog.models import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, EditorialNote, Post

JAPAN = ZoneInfo("Asia/Tokyo")
MAX_TAGS = 5
TAG_MAX_LENGTH = 30
NOTE_MAX_LENGTH = EditorialNote._meta.get_field("body").max_length
QUOTE_MAX_LENGTH = EditorialNote._meta.get_field("quote").max_length
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class NewPostForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_(
            "You can change it later. The post stays a draft until an editor approves it."
        ),  # fmt: skip
        error_messages={"required": _("Please give the post a title.")},
    )


class PostForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=Post._meta.get_field("slug").max_length,
        allow_unicode=True,
        help_text=_(
            "The last part of the post's address: /blog/<year>/<address>/. "
            "Letters, numbers and hyphens."
        ),  # fmt: skip
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=Post._meta.get_field("summary").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences for lists, feeds and link previews."),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Markdown: ## heading, **bold**, *italic*, > quote, - list, [link](https://…)."
        ),  # fmt: skip
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=200,
        help_text=_("Up to five, separated by commas, e.g. “self-introduction, first week”."),
    )
    cover = forms.FileField(
        label=_("Cover image"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        help_text=_("Optional. A JPEG, PNG, GIF or WebP photo; it is made at most 1600 pixels "
                    "wide. If the form comes back with a problem, please choose it again."),
    )  # fmt: skip
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    cover_alt = forms.CharField(
        label=_("Cover image description"),
        required=False,
        max_length=Post._meta.get_field("cover_alt").max_length,
        help_text=_(
            "What the picture shows, for readers who cannot see it. Needed with a cover image."
        ),  # fmt: skip
    )
    summary_of_change = forms.CharField(
        label=_("Summary of this change"),
        required=False,
        max_length=200,
        help_text=_("Optional, shown in the post's history, e.g. “Added a photo tip”."),
    )

    def __init__(self, *args, post: Post, **kwargs):
        self.post = post
        super().__init__(*args, **kwargs)
        if not post.cover:
            del self.fields["remove_cover"]

    def clean_tags(self) -> list[str]:
        tags = [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]
        tags = list(dict.fromkeys(t for t in tags if slugify(t, allow_unicode=True)))
        if len(tags) > MAX_TAGS:
            raise ValidationError(
                _("Please use at most %(count)s tags."), params={"count": MAX_TAGS}
            )
        if any(len(t) > TAG_MAX_LENGTH for t in tags):
            raise ValidationError(
                _("Each tag can be at most %(count)s characters."), params={"count": TAG_MAX_LENGTH}
            )
        return tags

    def clean_cover(self):
        upload = self.cleaned_data.get("cover")
        if not upload:
            return None
        return prepare_cover(upload)  # ValidationError for what is not an image

    def clean(self):
        data = super().clean()
        removing = data.get("remove_cover")
        has_cover = bool(data.get("cover")) or (bool(self.post.cover) and not removing)
        if has_cover and not data.get("cover_alt", "").strip() and "cover_alt" not in self.errors:
            self.add_error(
                "cover_alt", _("Please describe the cover image for readers who cannot see it.")
            )
        return data

    def cover_for_save(self):
        """What save_post's `cover` takes: a new file, "" to remove it, None to keep it."""
        if self.cleaned_data.get("cover"):
            return self.cleaned_data["cover"]
        if self.cleaned_data.get("remove_cover"):
            return ""
        return None

    def tags_text(self) -> str:
        return ", ".join(self.cleaned_data.get("tags") or [])


class NoteForm(forms.Form):
    quote = forms.CharField(required=False, max_length=QUOTE_MAX_LENGTH, widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Note for the writers"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please write your note.")},
    )


class ChangesForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change?"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The writers get this with the post back as a draft."),
        error_messages={"required": _("Please say what should change.")},
    )


class JapanDateTimeField(forms.DateTimeField):
    """A date and time typed in Japan time (an <input type="datetime-local">), whatever the
    site's or the reader's time zone."""

    input_formats = [DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

    def to_python(self, value):
        with timezone.override(JAPAN):
            return super().to_python(value)


def tomorrow_morning(now: datetime | None = None) -> str:
    """The default publishing time: 09:00 tomorrow, Japan time, as the input wants it."""
    today = timezone.localtime(now or timezone.now(), JAPAN).date()
    return (
        datetime.combine(today + timedelta(days=1), datetime.min.time())
        .replace(hour=9)
        .strftime(DATETIME_LOCAL)
    )


class ScheduleForm(forms.Form):
    publish_at = JapanDateTimeField(
        label=_("Publish on (Japan time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("The post goes live by itself at this time."),
        error_messages={"invalid": _("Please enter a date and time.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"publish_at": tomorrow_morning()})
        super().__init__(*args, **kwargs)


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it coming down?"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The writers see this."),
        error_messages={"required": _("Please give a reason: the writers will see it.")},
    )
