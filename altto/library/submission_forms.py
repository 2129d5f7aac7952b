"""The form a member fills in to submit a new library item, with what they know of its rights."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from altto.accounts.forms import school_levels_field
from altto.lib.markdown import video_embed_url
from altto.library import filters as library_filters
from altto.library.files import check_for_kind
from altto.library.models import Item, Licence, TextbookEdition

# What members may submit here.
SUBMITTED_KINDS = [
    Item.Kind.ACTIVITY,
    Item.Kind.ARTICLE,
    Item.Kind.AUDIO,
    Item.Kind.DOCUMENT,
    Item.Kind.LINK,
    Item.Kind.VIDEO,
]
MAX_TAGS = 10
MAX_CREATORS = 20


def edition_choices() -> list:
    """Current editions grouped by textbook, for a <select> with an <optgroup> each (1 query)."""
    groups: dict[str, list] = {}
    editions = TextbookEdition.objects.filter(is_obsolete=False).select_related("textbook")
    for edition in editions.order_by("textbook__school_level", "textbook__name", "-year"):
        groups.setdefault(edition.textbook.name, []).append((edition.pk, edition.label))
    return [("", _("None")), *groups.items()]


def parse_creators(text: str) -> list[tuple[str, str]]:
    """One creator a line, "Name" or "Name | https://…"; ValidationError naming the bad line."""
    creators = []
    check_url = URLValidator(schemes=["http", "https"])
    for number, line in enumerate(text.splitlines(), start=1):
        name, _bar, url = (part.strip() for part in line.partition("|"))
        if not name and not url:
            continue
        if not name:
            raise ValidationError(
                _("Line %(number)s has a link but no name."), params={"number": number}
            )
        if len(name) > 120:
            raise ValidationError(
                _("Line %(number)s: a name holds 120 characters at most."),
                params={"number": number},
            )
        if url:
            try:
                check_url(url)
            except ValidationError:
                raise ValidationError(
                    _("Line %(number)s: “%(url)s” is not a web address (https://…)."),
                    params={"number": number, "url": url[:80]},
                ) from None
        creators.append((name, url))
    if len(creators) > MAX_CREATORS:
        raise ValidationError(_("Name %(max)s creators at most."), params={"max": MAX_CREATORS})
    return creators


def parse_tags(text: str) -> list[tuple[str, str]]:
    """Comma-separated tag names as (slug, name), without repeats."""
    tags: dict[str, str] = {}
    for name in text.split(","):
        name = " ".join(name.split())
        if not name:
            continue
        if len(name) > 60:
            raise ValidationError(_("A tag holds 60 characters at most."))
        slug = slugify(name, allow_unicode=False)[:50]
        if not slug:
            raise ValidationError(_("Write tags with Latin letters or numbers, e.g. “warm-up”."))
        tags.setdefault(slug, name)
    if len(tags) > MAX_TAGS:
        raise ValidationError(_("Add %(max)s tags at most."), params={"max": MAX_TAGS})
    return list(tags.items())


class SubmissionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k.value, k.label) for k in SUBMITTED_KINDS])
    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=400,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences: what it is and when to use it."),
    )
    school_levels = school_levels_field()
    grades = forms.TypedMultipleChoiceField(
        label=_("Grades"),
        choices=library_filters.grade_choices,
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        max_length=400,
        required=False,
        help_text=_("Separated by commas, e.g. warm-up, vocabulary."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    url = forms.URLField(
        label=_("Address of the video or page"),
        required=False,
        assume_scheme="https",
        help_text=_("For a video (YouTube or Vimeo), a link, or audio heard on another site."),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_(
            "For a document: PDF, an image, or a Word, Excel or PowerPoint file. For audio: "
            "MP3, M4A, Ogg or WAV. 20 MB at most."
        ),
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown. For an article, the article itself; otherwise optional notes."),
    )

    # Activities
    edition = forms.TypedChoiceField(
        label=_("Textbook edition"), required=False, coerce=int, empty_value=None
    )
    unit = forms.CharField(label=_("Unit or page"), max_length=60, required=False)
    grammar_point = forms.CharField(label=_("Grammar point"), max_length=120, required=False)
    skills = forms.MultipleChoiceField(
        label=_("Skills"),
        choices=Item.Skill.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    minutes = forms.IntegerField(
        label=_("Time needed (minutes)"), min_value=1, max_value=240, required=False
    )
    group_size = forms.CharField(
        label=_("Group size"), max_length=60, required=False, help_text=_("e.g. pairs")
    )
    materials = forms.CharField(
        label=_("Materials"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    steps = forms.CharField(
        label=_("Steps"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown, e.g. a numbered list."),
    )
    variations = forms.CharField(
        label=_("Variations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Markdown."),
    )

    # Rights, as far as the member knows them
    licence = forms.ChoiceField(
        label=_("Licence"),
        choices=[("", _("I don't know")), *Licence.choices],
        required=False,
        help_text=_("“Original to ALTTO” if you wrote it yourself and share it here."),
    )
    creators = forms.CharField(
        label=_("Creators"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One a line, with an optional link: Name | https://…"),
    )
    publisher = forms.CharField(
        label=_("Publisher"), max_length=160, required=False, help_text=_("e.g. JALT")
    )
    source_url = forms.URLField(
        label=_("Source"),
        required=False,
        assume_scheme="https",
        help_text=_("Where the original was published, if elsewhere."),
    )

    ACTIVITY_FIELDS = (
        "edition",
        "unit",
        "grammar_point",
        "skills",
        "minutes",
        "group_size",
        "materials",
        "steps",
        "variations",
    )
    RIGHTS_FIELDS = ("licence", "creators", "publisher", "source_url")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["edition"].choices = edition_choices()

    @property
    def general_fields(self) -> list:
        skip = {*self.ACTIVITY_FIELDS, *self.RIGHTS_FIELDS}
        return [field for field in self if field.name not in skip]

    @property
    def activity_fields(self) -> list:
        return [self[name] for name in self.ACTIVITY_FIELDS]

    @property
    def rights_fields(self) -> list:
        return [self[name] for name in self.RIGHTS_FIELDS]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        kind = self.cleaned_data.get("kind")  # cleaned first: it comes first
        if upload and kind in (Item.Kind.DOCUMENT, Item.Kind.AUDIO):
            # Audio for an audio item, a document for a document (other kinds have no file:
            # clean() says so); ValidationError saying why it is refused.
            check_for_kind(kind, upload)
        return upload

    def clean_creators(self) -> list[tuple[str, str]]:
        return parse_creators(self.cleaned_data["creators"])

    def clean_tags(self) -> list[tuple[str, str]]:
        return parse_tags(self.cleaned_data["tags"])

    def clean_edition(self) -> TextbookEdition | None:
        pk = self.cleaned_data["edition"]
        if pk is None:
            return None
        edition = TextbookEdition.objects.filter(pk=pk, is_obsolete=False).first()
        if edition is None:
            raise ValidationError(_("Choose one of the listed editions."))
        return edition

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        url = data.get("url", "")
        if kind in (Item.Kind.VIDEO, Item.Kind.LINK) and not url and "url" not in self.errors:
            self.add_error("url", _("Give the address of the video or page."))
        if kind == Item.Kind.VIDEO and url and not video_embed_url(url):
            self.add_error("url", _("Videos can be from YouTube or Vimeo only."))
        if kind == Item.Kind.DOCUMENT and not data.get("file") and "file" not in self.errors:
            self.add_error("file", _("Choose the file to share."))
        if (
            kind == Item.Kind.AUDIO
            and not data.get("file")
            and not url
            and not {"file", "url"} & self.errors.keys()
        ):
            self.add_error(
                "file", _("Choose the audio file, or give the address where it can be heard.")
            )
        if kind not in (Item.Kind.DOCUMENT, Item.Kind.AUDIO) and data.get("file"):
            self.add_error(
                "file",
                _("Only a document or audio has a file: choose the kind “Document” or “Audio”."),
            )
        if kind == Item.Kind.ARTICLE and not data.get("body", "").strip():
            self.add_error("body", _("Write the article's text."))
        if kind == Item.Kind.ACTIVITY and not data.get("steps", "").strip():
            self.add_error("steps", _("Say how the activity goes, step by step."))
        if data.get("unit") and not data.get("edition") and "edition" not in self.errors:
            self.add_error("edition", _("Choose the textbook edition the unit belongs to."))
        return data

    def item_fields(self) -> dict:
        """The cleaned values as Item fields (activity fields only for an activity)."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in ("kind", "title", "summary", "language", "url", "body")
            + ("school_levels", "grades", "licence", "publisher", "source_url")
        }
        fields["grades"] = sorted(set(fields["grades"]))
        if data["kind"] == Item.Kind.ACTIVITY:
            fields.update({name: data[name] for name in self.ACTIVITY_FIELDS})
        return fields
