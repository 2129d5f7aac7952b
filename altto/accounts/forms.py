from django import forms
from django.utils.translation import gettext_lazy as _

from altto.accounts.avatars import prepare_avatar
from altto.accounts.models import SchoolLevel, User


def school_levels_field(help_text: str = "") -> forms.MultipleChoiceField:
    """Tick boxes for elementary, junior high and senior high: profiles, modules and library
    items all ask the same question."""
    return forms.MultipleChoiceField(
        label=_("School levels"),
        choices=SchoolLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=help_text,
    )


class ProfileForm(forms.ModelForm):
    school_levels = school_levels_field(_("Choose every level you teach."))
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("Optional. JPEG, PNG, GIF or WebP, up to 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "alt_type",
            "prefecture",
            "school_levels",
            "years_in_japan",
            "bio",
            "preferred_language",
            "avatar",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if upload is False or upload is None:
            return upload  # cleared, or unchanged
        if upload == self.instance.avatar:
            return upload
        return prepare_avatar(upload)
