from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from altto.courses import pdf
from altto.courses.models.content import current_language
from altto.courses.record import (
    completed_certificates,
    record_csv,
    training_record,
    verification_url,
)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def record_page(request: HttpRequest) -> HttpResponse:
    record = training_record(request.user, current_language())
    return render(request, "courses/record.html", {"record": record})


@never_cache
@login_required
def record_pdf(request: HttpRequest) -> HttpResponse:
    record = training_record(request.user, current_language())
    urls = [verification_url(certificate) for certificate in record.certificates]
    return _download(pdf.record_pdf(record, urls), "application/pdf", "altto-training-record.pdf")


@never_cache
@login_required
def record_csv_download(request: HttpRequest) -> HttpResponse:
    return _download(
        record_csv(completed_certificates(request.user)),
        "text/csv; charset=utf-8",
        "altto-training-record.csv",
    )
