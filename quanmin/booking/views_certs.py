"""The eligibility check: staff of the holder's division look at an uploaded certificate once and
verify it (with the date it is valid until) or reject it (with a reason); the holder is told.

Certificates are scoped by their division (Certificate.region, the holder's home division), so only
division staff with write rights there see them; every look at an image is logged as a read of
personal data.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.core.uploads import file_response

from . import permissions, services_console
from .forms_staff import ReasonForm, VerifyForm
from .models import Certificate
from .selectors import mask_name

checker = role_required(permissions.can_check_certificates)


def get_certificate(request, cert_id: int) -> Certificate:
    return scoping.get_scoped_or_404(request.user, Certificate.objects.select_related("user", "region"), write=True,
                                     pk=cert_id)


@checker
def queue(request):
    status = request.GET.get("status") or Certificate.Status.PENDING
    if status not in Certificate.Status.values:
        status = Certificate.Status.PENDING
    qs = scoping.scoped(request.user, Certificate.objects.select_related("user", "region"), write=True).filter(
        status=status).order_by("created_at" if status == Certificate.Status.PENDING else "-checked_at", "id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    for c in page:
        c.holder = mask_name(c.user.real_name) or c.user.phone_masked
    return render(request, "booking/staff/certificates.html", {
        "page": page, "status": status, "statuses": Certificate.Status.choices,
    })


@checker
def detail(request, cert_id):
    cert = get_certificate(request, cert_id)
    verify_form, reject_form = VerifyForm(), ReasonForm()
    if request.method == "POST":
        action = request.POST.get("action")
        form = VerifyForm(request.POST) if action == "verify" else ReasonForm(request.POST)
        if action == "verify":
            verify_form = form
        else:
            reject_form = form
        if form.is_valid():
            try:
                if action == "verify":
                    services_console.verify_certificate(cert, staff=request.user, valid_until=form.cleaned_data["valid_until"],
                                                        request=request)
                    messages.success(request, _("Certificate verified; the holder is told."))
                else:
                    services_console.reject_certificate(cert, staff=request.user, reason=form.cleaned_data["reason"],
                                                        request=request)
                    messages.success(request, _("Certificate rejected; the holder is told why."))
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                return redirect("booking:staff_certificates")
    user = cert.user
    return render(request, "booking/staff/certificate.html", {
        "cert": cert, "holder": user, "age": user.age(), "id_masked": user.id_number_masked,
        "verify_form": verify_form, "reject_form": reject_form,
    }, status=400 if verify_form.errors or reject_form.errors else 200)


@checker
def image(request, cert_id):
    cert = get_certificate(request, cert_id)
    response = file_response(cert.image, cache="private, no-store")
    audit.read_personal(request, cert.user, ["certificate_image"], purpose=f"eligibility check, certificate {cert.pk}")
    return response
