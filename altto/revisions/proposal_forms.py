"""The form a member fills in to propose (or amend) a change to any document.

It offers the document's "text" and "lines" fields. Structured "data" fields (a lesson's
knowledge check) are not typed here: a proposal keeps them exactly as in the version it
starts from."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from altto.lib.markdown import render_markdown
from altto.revisions.documents import Document, as_text, from_text

# The Markdown field the live preview renders. Every document so far calls it "body".
MARKDOWN_FIELD = "body"
# Generous: a 2,000-word lesson is about 12,000 characters.
MAX_TEXT = 100_000
EMPTY_SUMMARY = _("Please say in a few words what you changed and why.")


def editable_fields(document: Document) -> list[str]:
    return [name for name, kind in document.REVISION_FIELDS.items() if kind in ("text", "lines")]


def _field_for(document: Document, name: str) -> forms.CharField:
    model_field = document._meta.get_field(name)
    label = document.field_label(name)
    if document.REVISION_FIELDS[name] == "lines":
        return forms.CharField(
            label=label,
            required=False,
            strip=False,
            max_length=MAX_TEXT,
            help_text=_("One per line."),
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    required = not model_field.blank
    if isinstance(model_field, models.CharField):
        return forms.CharField(label=label, required=required, max_length=model_field.max_length)
    rows = 24 if name == MARKDOWN_FIELD else 3
    return forms.CharField(
        label=label,
        required=required,
        strip=False,  # keep the text exactly as typed: whitespace alone is not a change
        max_length=MAX_TEXT,
        help_text=_("Markdown.") if name == MARKDOWN_FIELD else "",
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ProposalForm(forms.Form):
    base = forms.IntegerField(widget=forms.HiddenInput, required=False)
    summary = forms.CharField(
        label=_("What did you change, and why?"),
        max_length=300,
        error_messages={"required": EMPTY_SUMMARY},
        help_text=_("Editors read this first. Point to a source if you can."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, document: Document, *args, start: dict, preview_url: str = "", **kwargs):
        """`start` is the content the member starts from (a revision's or proposal's data)."""
        super().__init__(*args, **kwargs)
        self.document = document
        self.start = start
        self.preview_url = preview_url
        self.markdown_field = MARKDOWN_FIELD
        self.editable = editable_fields(document)
        # Labels of the fields kept as they are (shown, so nobody looks for them in vain).
        self.kept_labels = [
            document.field_label(name)
            for name, kind in document.REVISION_FIELDS.items()
            if kind not in ("text", "lines")
        ]
        for name in self.editable:
            self.fields[name] = _field_for(document, name)
            self.initial.setdefault(name, as_text(document, name, start.get(name)))
        self.order_fields([*self.editable, "summary", "base"])
        if MARKDOWN_FIELD in self.fields and preview_url:
            self.fields[MARKDOWN_FIELD].widget.attrs.update(
                {
                    "hx-post": preview_url,
                    "hx-trigger": "keyup changed delay:600ms",
                    "hx-target": "#preview",
                    "hx-swap": "innerHTML",
                }
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in self.editable:
            value = cleaned.get(name)
            if self.fields[name].required and value is not None and not value.strip():
                self.add_error(name, forms.Field.default_error_messages["required"])
        return cleaned

    def typed_copy(self, post, **initial) -> "ProposalForm":
        """An unbound copy showing what was typed, without error messages (for a preview)."""
        typed = {name: post.get(name, "") for name in [*self.editable, "summary"]}
        return ProposalForm(
            self.document,
            start=self.start,
            preview_url=self.preview_url,
            initial={**typed, **initial},
        )

    def proposed_data(self) -> dict:
        """The whole new content: typed fields, and everything else as it started."""
        data = dict(self.start)
        for name in self.editable:
            data[name] = from_text(self.document, name, self.cleaned_data[name])
        return data


def typed_preview(data) -> dict:
    """What the preview shows, from the raw (possibly invalid) form input."""
    return {
        "title": str(data.get("title", "")).strip(),
        "html": render_markdown(str(data.get(MARKDOWN_FIELD, "")).replace("\r\n", "\n")),
    }
