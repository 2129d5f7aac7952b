import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from altto.courses.models.content import Module

# No 0/O or 1/I/L: codes are read aloud and typed by employers.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12


def new_certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class Certificate(models.Model):
    """Issued once, when every published lesson of a module is complete."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="certificates"
    )
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="certificates")
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_certificate_code)
    name_on_certificate = models.CharField(_("name printed on the certificate"), max_length=120)
    module_title = models.CharField(max_length=160, help_text=_("As it was when issued."))
    minutes = models.PositiveIntegerField(default=0)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "module"], name="one_certificate_per_module")
        ]
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("courses:certificate", kwargs={"code": self.code})

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def formatted_code(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))
