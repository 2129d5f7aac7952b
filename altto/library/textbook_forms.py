"""Forms editors use on the textbook pages; the writes are in altto/library/textbooks.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from altto.library.models import Textbook, TextbookEdition
from altto.library.textbooks import slug_taken_message, year_taken_message

FIRST_YEAR, LAST_YEAR = 1901, 2199  # as the loader accepts


class TextbookForm(forms.ModelForm):
    """A series' name, publisher and school level (the address only when it is added)."""

    class Meta:
        model = Textbook
        fields = ["slug", "name", "publisher", "school_level"]
        labels = {"slug": _("Address")}
        help_texts = {
            "slug": _(
                "Lowercase words joined by dashes, e.g. new-horizon. It cannot be changed later."
            ),
        }

    def __init__(self, *args, adding: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not adding:
            del self.fields["slug"]

    def validate_unique(self) -> None:
        """The write checks the address again in its transaction; this says it early."""
        slug = self.cleaned_data.get("slug")
        if slug and Textbook.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            self.add_error("slug", slug_taken_message(slug))


class EditionForm(forms.ModelForm):
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)

    class Meta:
        model = TextbookEdition
        fields = ["year", "label"]

    def __init__(self, *args, textbook: Textbook, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.textbook = textbook

    def validate_unique(self) -> None:
        year = self.cleaned_data.get("year")
        if year and self.textbook.editions.filter(year=year).exists():
            self.add_error("year", year_taken_message(year))
