"""Forms of the topics board: a new topic, and "I'd like to write this"."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from altto.blog.models import TITLE_MAX_LENGTH, Topic
from altto.lib.text import clean_title

TEXT_MAX_LENGTH = 2000


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Topic"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("What should the post be about? e.g. “Your first week at a new school”."),
        error_messages={"required": _("Please give the topic a title.")},
    )
    reader_need = forms.CharField(
        label=_("What readers need"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=Topic._meta.get_field("reader_need").help_text,
        error_messages={"required": _("Please say who would read it and what would help them.")},
    )
    angle = forms.CharField(
        label=_("Suggested angle"),
        max_length=TEXT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: a way in, an example, what to avoid."),
    )

    def clean_title(self) -> str:
        title = clean_title(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(gettext("Please give the topic a title."))
        return title


class PitchForm(forms.Form):
    pitch = forms.CharField(
        label=_("Your pitch"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words: how would you write it, and what do you know about it?"),
        error_messages={"required": _("Please say a few words about how you would write it.")},
    )


def thread_reader_need(thread) -> str:
    """The prefilled "what readers need" of a topic made from a forum thread. Names no one:
    the thread may be anonymous."""
    url = reverse("forum:thread_short", kwargs={"pk": thread.pk})
    return gettext(
        "Members asked about this in the forum: “%(title)s” (%(url)s). A post that answers "
        "it well, for everyone who has the same question."
    ) % {"title": thread.title, "url": url}
