"""Forms of the newsletter: an edition's title and intro, an entry's note, an entry added
by its address, and a visitor's subscription."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from altto.blog.models import TITLE_MAX_LENGTH, Edition, EditionEntry
from altto.lib.text import clean_title


class EditionForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": _("Please give the edition a title.")},
    )
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=Edition._meta.get_field("intro").max_length,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few words from the editors to open the edition. Markdown is supported."),
    )

    def clean_title(self) -> str:
        title = clean_title(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(gettext("Please give the edition a title."))
        return title


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Editor's note"),
        required=False,
        max_length=EditionEntry._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional: a line on why it is worth reading. Markdown is supported."),
    )


class AddEntryForm(forms.Form):
    address = forms.CharField(
        label=_("Add a post, lesson or forum thread by its address"),
        max_length=500,
        help_text=_("Paste the address of a published blog post, lesson or forum thread."),
        error_messages={"required": _("Please paste an address.")},
    )


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Please give your email address."),
            "invalid": _("Please give a valid email address."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the emails"), choices=settings.LANGUAGES, initial="en"
    )
