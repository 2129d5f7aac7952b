"""Forms editors use on an item's rights page: the ledger (licence, publisher, source), its
creators, and one permission at a time. The writes happen in altto/library/views/rights.py."""

import uuid
from pathlib import PurePath

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from altto.library.files import check_document
from altto.library.models import Item, Permission

MAX_CREATORS = 30
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# What a permission's evidence usually is: a letter or email, saved or scanned.
EVIDENCE_EXTENSIONS = {".pdf", ".png", ".jpg", ".jpeg", ".txt", ".eml", ".docx"}
TEXT_EVIDENCE = {".txt", ".eml"}


def check_evidence_content(upload, suffix: str) -> None:
    """Evidence is checked by content like any upload: documents and images by
    check_document; a saved email or text file must really be text."""
    if suffix in TEXT_EVIDENCE:
        upload.seek(0)
        head = upload.read(64 * 1024)
        upload.seek(0)
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            head = b""  # fall through to the error below
        if not head or b"\x00" in head:
            raise forms.ValidationError(_("That file is not plain text."))
        return
    check_document(upload)  # raises ValidationError with the reason


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class LedgerForm(forms.ModelForm):
    source_url = forms.URLField(
        label=_("Source address"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Where the original can be found, if it is online."),
    )

    class Meta:
        model = Item
        fields = ["licence", "publisher", "source_url"]
        help_texts = {
            "licence": _("“Used with permission” needs a current permission recorded below."),
            "publisher": _("The organisation that published it, e.g. JALT."),
        }


class CreatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    url = forms.URLField(label=_("Link (optional)"), required=False, assume_scheme="https")


CreatorFormSet = forms.formset_factory(
    CreatorForm,
    extra=2,
    can_delete=True,
    max_num=MAX_CREATORS,
    validate_max=True,
    absolute_max=MAX_CREATORS + 10,
)


def creator_formset(data=None, creators=()) -> forms.BaseFormSet:
    """Existing creators in their order, then two blank rows to add more (left blank: ignored)."""
    initial = [{"name": c.name, "url": c.url} for c in creators]
    return CreatorFormSet(data, initial=initial, prefix="creators")


def kept_creators(formset) -> list[dict]:
    """The creators to store (of a valid formset), in the order of the rows, without the
    removed rows and the blank ones."""
    deleted = set(map(id, formset.deleted_forms))
    return [
        {"name": form.cleaned_data["name"], "url": form.cleaned_data.get("url", "")}
        for form in formset.forms
        if id(form) not in deleted and form.cleaned_data.get("name")
    ]


class PermissionForm(forms.ModelForm):
    scope = forms.MultipleChoiceField(
        label=_("Scope"),
        choices=Permission.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("What the permission covers."),
    )

    class Meta:
        model = Permission
        fields = ["granted_by", "granted_on", "scope", "expires_on", "evidence", "notes"]
        widgets = {
            "granted_on": DateInput(),
            "expires_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "granted_by": _("The person or organisation that gave permission."),
            "expires_on": _("Leave empty if the permission does not expire."),
            "evidence": lazy(
                lambda: (
                    gettext(
                        "The letter or email granting it (PDF, image, text or Office file, up to "
                        "%(size)s). Only editors can download it."
                    )
                    % {"size": filesizeformat(EVIDENCE_MAX_BYTES)}
                ),
                str,
            )(),
        }

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        if not upload or not hasattr(upload, "size"):
            return upload
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in EVIDENCE_EXTENSIONS:
            raise forms.ValidationError(
                _("Upload a PDF, an image, a text or an Office file (%(kinds)s)."),
                params={"kinds": ", ".join(sorted(EVIDENCE_EXTENSIONS))},
            )
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(size)s."),
                params={"size": filesizeformat(EVIDENCE_MAX_BYTES)},
            )
        check_evidence_content(upload, suffix)
        # A name nobody can guess: even if /media/permissions/ were served by mistake,
        # no one could find the file there.
        upload.name = f"{uuid.uuid4().hex}{suffix}"
        return upload


class TakedownForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it taken down?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Editors see the reason on the item; its history stays."),
        error_messages={"required": _("Please say why the item is taken down.")},
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Please say why the item is taken down."))
        return reason
