"""Forms editors use to write modules, lessons and knowledge checks on the site.

Text forms are plain forms that hand back a dict of values (or None for a Japanese text left
empty): the writes themselves happen in altto/courses/authoring.py."""

import re
from dataclasses import dataclass

from django import forms
from django.forms.formsets import all_valid
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from altto.accounts.forms import school_levels_field
from altto.accounts.models import AltType, User
from altto.courses.images import alt_required_message
from altto.courses.models import Lesson, Module, Question

# Addresses that the authoring URLs use for themselves (/author/modules/new/ and so on).
RESERVED_SLUGS = {"new"}
MAX_QUESTIONS = 50
MAX_OPTIONS = 20
MIN_OPTION_ROWS = 4


class LinesField(forms.CharField):
    """A list of strings typed one per line; blank lines are dropped."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 4}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


def lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ModuleForm(forms.ModelForm):
    school_levels = school_levels_field(_("Leave all unticked if the module suits every level."))
    alt_types = forms.MultipleChoiceField(
        label=_("ALT types"),
        choices=AltType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unticked if the module suits everyone."),
    )
    maintainers = forms.CharField(
        label=_("Maintainers"),
        required=False,
        help_text=_("Usernames, separated by spaces or commas."),
    )

    class Meta:
        model = Module
        fields = [
            "slug",
            "order",
            "school_levels",
            "alt_types",
            "first_weeks",
            "estimated_minutes",
            "is_published",
            "licence",
        ]
        help_texts = {
            "slug": _(
                "Lowercase letters, digits and hyphens: the end of the module's web address."
            ),
            "order": _("Lower numbers come first in the catalogue."),
            "is_published": _("Unpublished modules are visible only to editors."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # Prefetched by the view: no query here.
            names = [user.username for user in self.instance.maintainers.all()]
            self.initial.setdefault("maintainers", " ".join(sorted(names)))

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("That address is reserved. Choose another."))
        return slug

    def clean_maintainers(self) -> list[User]:
        names = list(dict.fromkeys(re.split(r"[\s,]+", self.cleaned_data["maintainers"].strip())))
        names = [name for name in names if name]
        users = {user.username: user for user in User.objects.filter(username__in=names)}
        unknown = [name for name in names if name not in users]
        if unknown:
            raise forms.ValidationError(
                _("No member has the username: %(names)s."), params={"names": ", ".join(unknown)}
            )
        return [users[name] for name in names]


class LessonForm(forms.ModelForm):
    class Meta:
        model = Lesson
        fields = ["slug", "estimated_minutes", "is_published", "pass_mark"]
        help_texts = {
            "slug": _("Lowercase letters, digits and hyphens, unique in this module."),
            "is_published": _("Learners see published lessons of published modules only."),
        }

    def __init__(self, *args, module: Module, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.module = module

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("That address is reserved. Choose another."))
        taken = Lesson.objects.filter(module=self.module, slug=slug).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another lesson in this module has that address."))
        return slug


class TextForm(forms.Form):
    """The words of a module or lesson in one language. An optional text (Japanese) may be
    left entirely empty; once anything is typed, its required fields are required."""

    REQUIRED: tuple[str, ...] = ()
    MARKDOWN_FIELD = ""

    def __init__(self, *args, language: str, optional: bool = False, **kwargs) -> None:
        super().__init__(*args, prefix=language, **kwargs)
        self.language = language
        self.optional = optional
        self.is_blank = False
        if optional:
            for name in self.REQUIRED:
                self.fields[name].required = False
        for field in self.fields.values():
            field.widget.attrs["lang"] = language

    def clean(self) -> dict:
        data = super().clean()
        if self.optional:
            self.is_blank = not any(data.get(name) for name in self.fields)
            if not self.is_blank:
                for name in self.REQUIRED:
                    if not data.get(name) and name not in self.errors:
                        self.add_error(name, self.fields[name].error_messages["required"])
        return data

    def values(self) -> dict | None:
        """What to store: None means "no text in this language"."""
        return None if self.is_blank else dict(self.cleaned_data)

    def preview(self) -> dict | None:
        """What was typed, rendered later by the view; None when there is nothing to show."""
        typed = {name: self[name].value() or "" for name in self.fields}
        if not any(str(value).strip() for value in typed.values()):
            return None
        return typed


class ModuleTextForm(TextForm):
    REQUIRED = ("title", "summary")
    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or two sentences, shown in the catalogue."),
    )
    intro = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown."),
    )
    objectives = LinesField(label=_("Objectives"), help_text=_("One per line."))


class LessonTextForm(TextForm):
    REQUIRED = ("title", "body")
    title = forms.CharField(label=_("Title"), max_length=160)
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 20}),
        help_text=_(
            "Markdown: ## headings, lists, tables. A line with only a YouTube or Vimeo link "
            "becomes a video."
        ),
    )
    objectives = LinesField(label=_("Learning objectives"), help_text=_("One per line."))
    references = LinesField(
        label=_("References"), help_text=_("One per line. Markdown links are allowed.")
    )
    reflection_prompt = forms.CharField(
        label=_("Reflection prompt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Optional. A question learners answer privately."),
    )


def text_forms(form_class, data, texts) -> list[TextForm]:
    """The English form and the optional Japanese one, filled from the stored texts."""
    by_language = {text.language: text for text in texts}
    forms_ = []
    for language, optional in (("en", False), ("ja", True)):
        text = by_language.get(language)
        initial = {name: getattr(text, name) for name in form_class.base_fields} if text else {}
        forms_.append(form_class(data, language=language, optional=optional, initial=initial))
    return forms_


# --- Knowledge checks -------------------------------------------------------------------------


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    prompt = forms.CharField(
        label=_("Question"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    remove = forms.BooleanField(label=_("Remove this question"), required=False)


class OptionForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=500, required=False)
    correct = forms.BooleanField(label=_("Correct"), required=False)
    feedback = forms.CharField(
        label=_("Feedback"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to a learner who chooses this answer."),
    )


@dataclass
class QuestionSlot:
    number: int
    form: QuestionForm
    options: list[OptionForm]

    @property
    def prefix(self) -> str:
        return self.form.prefix


def _count(data: QueryDict, key: str, limit: int) -> int:
    try:
        return max(0, min(int(data.get(key, 0)), limit))
    except ValueError:
        return 0


class CheckForm:
    """All questions of a lesson's check, each with rows for its answers. The page always
    has one blank question and a few blank answer rows; blank ones are ignored on save.

    Field names: `questions` (how many), q<i>-kind, q<i>-prompt, q<i>-remove, q<i>-options
    (how many), q<i>-o<j>-text, q<i>-o<j>-correct, q<i>-o<j>-feedback."""

    def __init__(self, data: QueryDict | None = None, *, stored: list[dict] | None = None):
        self.data = data
        self.slots: list[QuestionSlot] = []
        if data is None:
            for question in [*(stored or []), None]:
                self._add_slot(question)
        else:
            for i in range(_count(data, "questions", MAX_QUESTIONS)):
                option_count = _count(data, f"q{i}-options", MAX_OPTIONS)
                question = QuestionForm(data, prefix=f"q{i}")
                options = [OptionForm(data, prefix=f"q{i}-o{j}") for j in range(option_count)]
                self.slots.append(QuestionSlot(i + 1, question, options))
        self.questions: list[dict] = []

    def _add_slot(self, question: dict | None) -> None:
        i = len(self.slots)
        if i >= MAX_QUESTIONS:
            return
        stored_options = question["options"] if question else []
        rows = min(MAX_OPTIONS, max(MIN_OPTION_ROWS, len(stored_options) + 2))
        rows = max(rows, len(stored_options))  # never fewer rows than stored answers
        initial = {"kind": question["kind"], "prompt": question["prompt"]} if question else {}
        options = []
        for j in range(rows):
            option = stored_options[j] if j < len(stored_options) else {}
            options.append(OptionForm(prefix=f"q{i}-o{j}", initial=option))
        self.slots.append(
            QuestionSlot(i + 1, QuestionForm(prefix=f"q{i}", initial=initial), options)
        )

    def add_question(self) -> None:
        """One more blank question, for the "Add a question" button (nothing is saved)."""
        self._add_slot(None)

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        self.questions = []
        valid = True
        for slot in self.slots:
            question = self._clean_slot(slot)
            if question is False:
                valid = False
            elif question:
                self.questions.append(question)
        return valid

    def _clean_slot(self, slot: QuestionSlot) -> dict | None | bool:
        """The question as stored, None when blank or removed, False when it has errors."""
        form = slot.form
        if not all_valid([form, *slot.options]):
            return False
        data = form.cleaned_data
        options = [option.cleaned_data for option in slot.options]
        if data["remove"]:
            return None
        written = [o for o in options if o["text"]]
        if not data["prompt"] and not written:
            return None
        for option, row in zip(slot.options, options, strict=True):
            if not row["text"] and (row["correct"] or row["feedback"]):
                option.add_error("text", _("Write the answer, or clear this row."))
        if not data["prompt"]:
            form.add_error("prompt", _("Write the question, or clear its answers."))
        if len(written) < 2:
            form.add_error(None, _("Give at least two answers."))
        right = sum(o["correct"] for o in written)
        if data["kind"] == Question.Kind.SINGLE and right != 1:
            form.add_error(None, _("A “choose one” question needs exactly one correct answer."))
        if data["kind"] == Question.Kind.MULTIPLE and right < 1:
            form.add_error(None, _("Mark at least one correct answer."))
        if form.errors or any(option.errors for option in slot.options):
            return False
        return {
            "kind": data["kind"],
            "prompt": data["prompt"],
            "options": [
                {"text": o["text"], "correct": o["correct"], "feedback": o["feedback"]}
                for o in written
            ],
        }


# --- Lesson images ----------------------------------------------------------------------------


class LessonImageForm(forms.Form):
    """What an editor sends with an image; the image itself is checked by store_lesson_image."""

    file = forms.FileField(
        label=_("Image"),
        help_text=_(
            "JPEG, PNG, GIF or WebP, up to 5 MB. It is stored as WebP, at most 1600 pixels wide, "
            "without its metadata (such as where a photo was taken)."
        ),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    alt = forms.CharField(
        label=_("Text alternative"),
        max_length=200,
        help_text=_("What the image shows, in a sentence, for people who cannot see it."),
    )
    module = forms.ModelChoiceField(
        label=_("Module"),
        queryset=Module.objects.order_by("order", "slug"),
        to_field_name="slug",  # the page can preselect ?module=<slug> without a query
        required=False,
        empty_label=_("(none)"),
        help_text=_("Optional: the module the image is for, so you can find it again."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alt"].error_messages["required"] = alt_required_message()
