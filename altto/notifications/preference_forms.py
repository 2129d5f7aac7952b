"""The notifications section of /me/settings/: one choice per group of notifications, and
quiet hours in Japan time."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from altto.notifications import delivery
from altto.notifications.models import DeliverySettings, Preference

FIELD_PREFIX = "group_"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self):
        super().__init__(format="%H:%M")


class NotificationPreferencesForm(forms.Form):
    """Built for one member: reading it costs 2 queries, saving it at most 4."""

    # The hidden marker that tells this form's POST apart from the profile form's.
    MARKER = "notifications"

    quiet_start = forms.TimeField(
        label=_("Quiet hours start"),
        required=False,
        widget=TimeInput(),
        help_text=_("Japan time, for example 22:00."),
    )
    quiet_end = forms.TimeField(
        label=_("Quiet hours end"),
        required=False,
        widget=TimeInput(),
        help_text=_(
            "Japan time, for example 07:00. Emails that would arrive in between wait until "
            "quiet hours end."
        ),
    )

    def __init__(self, user, data=None):
        self.user = user
        saved = delivery.preferences_of([user.pk])[user.pk]
        quiet = self.quiet_row = DeliverySettings.objects.filter(user_id=user.pk).first()
        initial = {
            FIELD_PREFIX + group: value
            for group, value in delivery.deliveries(user, prefs=saved).items()
        }
        if quiet is not None:
            initial.update(quiet_start=quiet.quiet_start, quiet_end=quiet.quiet_end)
        super().__init__(data, initial=initial)
        # One select per group, in GROUPS order, before the quiet hours.
        groups = {
            FIELD_PREFIX + group: forms.ChoiceField(
                label=label, choices=delivery.DELIVERIES, required=False
            )
            for group, (label, _kinds, _default) in delivery.GROUPS.items()
        }
        self.fields = {**groups, **self.fields}

    def group_fields(self):
        return [self[name] for name in self.fields if name.startswith(FIELD_PREFIX)]

    def quiet_fields(self):
        return [self["quiet_start"], self["quiet_end"]]

    def clean(self):
        cleaned = super().clean()
        for name in self.fields:
            # A group the POST left out (say, added since the page was opened) stays as it is.
            if name.startswith(FIELD_PREFIX) and not cleaned.get(name) and not self.has_error(name):
                cleaned[name] = self.initial[name]
        start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
        if self.has_error("quiet_start") or self.has_error("quiet_end"):
            return cleaned
        if (start is None) != (end is None):
            raise forms.ValidationError(
                _("Give both a start and an end for quiet hours, or leave both empty."),
                code="quiet_hours_half",
            )
        if start is not None and start == end:
            raise forms.ValidationError(
                _("Quiet hours must start and end at different times."),
                code="quiet_hours_empty",
            )
        return cleaned

    @transaction.atomic
    def save(self) -> None:
        """Only choices that differ from a group's default are stored, so a later change of
        default reaches everyone who never chose."""
        chosen = {group: self.cleaned_data[FIELD_PREFIX + group] for group in delivery.GROUPS}
        custom = {
            group: value
            for group, value in chosen.items()
            if value != delivery.default_for_group(group)
        }
        Preference.objects.filter(user=self.user).exclude(group__in=custom).delete()
        if custom:
            Preference.objects.bulk_create(
                [Preference(user=self.user, group=g, delivery=d) for g, d in custom.items()],
                update_conflicts=True,
                unique_fields=["user", "group"],
                update_fields=["delivery"],
            )
        start, end = self.cleaned_data.get("quiet_start"), self.cleaned_data.get("quiet_end")
        row = self.quiet_row
        if start is None:
            if row is not None:
                row.delete()
        elif row is None:  # update_or_create: a concurrent first save cannot collide
            DeliverySettings.objects.update_or_create(
                user=self.user, defaults={"quiet_start": start, "quiet_end": end}
            )
        else:
            row.quiet_start, row.quiet_end = start, end
            row.save(update_fields=["quiet_start", "quiet_end"])
