"""Staff pages of the instructors' associations (B09): which city and county divisions lack one, and
an association's members — listed, enrolled one by one or from a sheet, removed, exported."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts import audit
from quanmin.accounts.decorators import role_required
from quanmin.core import imports
from quanmin.core.api import MAX_ID

from . import instructor_members, instructor_members_io, permissions, selectors
from .errors import OrganizationError

writer = role_required(permissions.can_write)


class EnrolForm(forms.Form):
    certificate_no = forms.CharField(label=gettext_lazy("Certificate number"), max_length=40, required=False)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50, required=False,
                           help_text=gettext_lazy("The name alone is enough when one instructor of the division "
                                                  "bears it."))


@role_required(permissions.can_read_association_coverage)
def coverage(request):
    """County and city staff: their city and county divisions, those without an association first."""
    return render(request, "organizations/staff/instructor_associations.html",
                  {"found": instructor_members.coverage(request.user)})


def _association(request, pk):
    org = selectors.get_or_404(request.user, pk)
    if not org.instructor_association or not permissions.can_change(request.user, org):
        raise Http404
    return org


@writer
def members(request, pk):
    org = _association(request, pk)
    status = request.GET.get("status") if request.GET.get("status") in ("active", "left") else "active"
    page = Paginator(instructor_members.members(org, status), 50).get_page(request.GET.get("page"))
    audit.list_personal(request, "association_members", [m.instructor_id for m in page])
    return render(request, "organizations/staff/instructor_members.html", {
        "org": org, "page": page, "status": status, "form": EnrolForm(),
        "is_association": instructor_members.is_association(org)})


def _back(org):
    return redirect("organizations:instructor_members", pk=org.pk)


@require_POST
@writer
def enrol(request, pk):
    org = _association(request, pk)
    form = EnrolForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return _back(org)
    try:
        member = instructor_members.enrol(org, actor=request.user, request=request, **form.cleaned_data)
    except OrganizationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(name)s is now a member of the association.") % {"name": member.instructor})
    return _back(org)


@require_POST
@writer
def remove(request, pk, member_pk):
    org = _association(request, pk)
    member = org.instructor_members.filter(pk=min(member_pk, MAX_ID)).first()
    if member is None:
        raise Http404
    try:
        instructor_members.remove(member, actor=request.user, request=request)
    except OrganizationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(name)s has left the association.") % {"name": member.instructor})
    return _back(org)


@require_http_methods(["GET", "POST"])
@writer
def import_page(request, pk):
    org = _association(request, pk)
    return imports.import_page(request, "organizations/staff/instructor_import.html", lambda file, dry_run: (
        instructor_members_io.import_rows(instructor_members_io.read(file), org, request.user, dry_run=dry_run,
                                          request=request)), OrganizationError, {"org": org})


@writer
def import_template(request, pk):
    _association(request, pk)
    return instructor_members_io.template_response()


@writer
def export(request, pk):
    return instructor_members_io.export_response(_association(request, pk), request=request)
