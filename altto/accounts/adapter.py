from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import get_language


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # New members keep the language they signed up in.
        user = super().save_user(request, user, form, commit=False)
        user.preferred_language = "ja" if (get_language() or "").startswith("ja") else "en"
        if commit:
            user.save()
        return user
