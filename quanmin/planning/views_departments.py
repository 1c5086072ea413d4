"""The departments register of the user's divisions: each department with its tasks and staff."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import scoping
from quanmin.accounts import services as accounts
from quanmin.accounts.decorators import role_required
from quanmin.accounts.models import Membership, Role
from quanmin.core.errors import ServiceError

from . import permissions
from .errors import PlanningError
from .models import Department
from .services import departments

reader = role_required(permissions.can_read)


@reader
def department_list(request):
    if request.method == "POST":
        try:
            departments.add(request.user, division_code=request.POST.get("division_code", ""),
                            name=request.POST.get("name", ""))
        except PlanningError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Department added."))
        return redirect("planning:departments")
    found = list(scoping.scoped(request.user, Department.objects.annotate(tasks=Count("task_units")))
                 .order_by("division_code", "kind", "name")[:1000])
    staff = {}
    for m in (Membership.objects.filter(role=Role.DEPARTMENT_STAFF, target_id__in=[d.pk for d in found],
                                        target_type__app_label="planning", target_type__model="department")
              .select_related("user")):
        staff.setdefault(m.target_id, []).append(m.user)
    for d in found:
        d.staff = staff.get(d.pk, [])
        d.can_staff = scoping.can_write_region(request.user, d.division_code)
    return render(request, "planning/departments.html", {
        "departments": found, "divisions": list(scoping.top_regions(request.user, write=True)),
        "can_add": permissions.can_create(request.user),
    })


def _department(request, pk: int) -> Department:
    """A department whose staff this user may grant (of a division in their write scope), else 404."""
    found = get_object_or_404(scoping.scoped(request.user, Department.objects.all()), pk=pk)
    if not scoping.can_write_region(request.user, found.division_code):
        raise Http404
    return found


@require_POST
@reader
def staff_add(request, pk: int):
    """Grant a person (by mobile number) the role of the department's staff."""
    department = _department(request, pk)
    try:
        user = accounts.active_user_by_phone(request.POST.get("phone", ""))
        departments.add_staff(request.user, department, user, request=request)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(name)s now works for %(department)s.") % {
            "name": user.display_name, "department": department.name})
    return redirect("planning:departments")


@require_POST
@reader
def staff_remove(request, pk: int):
    department = _department(request, pk)
    try:
        user_id = int(request.POST.get("user", ""))
    except ValueError:
        user_id = 0
    try:
        removed = departments.remove_staff(request.user, department, user_id, request=request)
    except PlanningError as exc:
        messages.error(request, str(exc.message))
    else:
        if removed:
            messages.success(request, _("No longer staff of %(department)s.") % {"department": department.name})
    return redirect("planning:departments")
