from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from altto.accounts.roles import may
from altto.courses import actions, pdf
from altto.courses.models import Certificate
from altto.courses.models.certificates import CODE_ALPHABET, CODE_LENGTH
from altto.courses.record import verification_url


class CertificateNameForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name printed on the certificate"),
        max_length=120,
        help_text=gettext_lazy("As your employer should read it, for example as in your passport."),
    )


def normalise_code(raw: str) -> str:
    """'abcd-efgh-jkmn' and 'ABCD EFGH JKMN' are the same code as 'ABCDEFGHJKMN'."""
    return "".join(raw.split()).replace("-", "").upper()


def find_certificate(raw_code: str) -> Certificate | None:
    """The certificate with this code, or None; a code that cannot exist costs no query."""
    code = normalise_code(raw_code)
    if len(code) != CODE_LENGTH or not set(code) <= set(CODE_ALPHABET):
        return None
    return Certificate.objects.filter(code=code).first()


@require_http_methods(["GET", "HEAD", "POST"])
def certificate_page(request: HttpRequest, code: str) -> HttpResponse:
    """Public verification; the owner can also download it and fix the printed name."""
    certificate = find_certificate(code)
    if certificate is None:
        return render(request, "courses/certificate_not_found.html", status=404)
    is_owner = may(request.user, "download_certificate", certificate)
    form = None
    status = 200
    if request.method == "POST":
        if not is_owner:
            raise PermissionDenied
        form = CertificateNameForm(request.POST)
        if form.is_valid():
            actions.rename_certificate(certificate, form.cleaned_data["name"])
            messages.success(request, _("The name on your certificate is updated."))
            return redirect(certificate)
        status = 400
    elif is_owner:
        form = CertificateNameForm(initial={"name": certificate.name_on_certificate})
    return render(
        request,
        "courses/certificate.html",
        {"certificate": certificate, "is_owner": is_owner, "form": form},
        status=status,
    )


@never_cache
@login_required
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    certificate = find_certificate(code)
    # Someone else's certificate is "not found", so nobody can probe codes for ownership.
    if certificate is None or not may(request.user, "download_certificate", certificate):
        raise Http404
    response = HttpResponse(
        pdf.certificate_pdf(certificate, verification_url(certificate)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="altto-certificate-{certificate.code}.pdf"'
    )
    return response
