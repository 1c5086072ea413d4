"""Staff pages of the residential register: the list, a project's form with its norm check and
its acceptance, the figures per division, and the register in and out of Excel. Views parse,
check, call, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts.decorators import role_required
from quanmin.core import imports
from quanmin.core.errors import ServiceError
from quanmin.regions.selectors import with_children

from . import figures, io, norm, permissions, selectors, services
from .errors import ResidentialError
from .models import STATUS_ORDER, Status

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)


@reader
def project_list(request):
    params = request.GET
    qs = selectors.projects_for(request.user, params)
    page = Paginator(qs, 50).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(request, "residential/list.html", {
        "page": page, "params": params, "query": query.urlencode(), "statuses": Status.choices,
        "regions": with_children(selectors.top_region(request.user)), "norm": norm.norm(),
        "can_write": permissions.can_write(request.user)})


def _status_choices(project) -> list:
    """The stages the form offers: the project's own and those after it, acceptance apart."""
    first = STATUS_ORDER.index(project.status) if project else 0
    return [(s.value, s.label) for s in STATUS_ORDER[first:] if s != Status.ACCEPTED]


def _form(request, project=None):
    status = 200
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in services.FIELDS}
        try:
            saved = services.save_project(request.user, data, project, request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = exc.status if exc.status in (400, 409) else 400
        else:
            messages.success(request, _("Residential project saved."))
            return redirect("residential:project", pk=saved.pk)
    elif project is not None:
        data = {k: getattr(project, k) for k in services.FIELDS if k != "region"}
        data["region"] = project.region_id
    else:
        data = {}
    writable = project is None or (permissions.can_write_region(request.user, project.region_id)
                                   and project.status != Status.ACCEPTED)
    return render(request, "residential/project.html", {
        "project": project, "data": data, "statuses": _status_choices(project),
        "regions": selectors.writable_regions(request.user) if writable else [], "norm": norm.norm(),
        "check": project.norm_check if project else None, "can_write": writable,
        "can_accept": project is not None and project.status == Status.BUILT
        and permissions.can_write_region(request.user, project.region_id),
        "today": timezone.localdate()}, status=status)


@writer
def project_new(request):
    return _form(request)


@reader
def project_detail(request, pk):
    project = selectors.project_or_404(request.user, pk, write=request.method == "POST")
    return _form(request, project)


@require_POST
@writer
def project_accept(request, pk):
    project = selectors.project_or_404(request.user, pk, write=True)
    try:
        services.accept(request.user, project, {"accepted_on": request.POST.get("accepted_on", ""),
                                                "reason": request.POST.get("reason", "")}, request=request)
    except ResidentialError as exc:
        messages.error(request, exc.message)
        return redirect("residential:project", pk=project.pk)
    messages.success(request, _("Project accepted."))
    return redirect("residential:project", pk=project.pk)


@reader
def figures_page(request):
    top = selectors.top_region(request.user)
    return render(request, "residential/figures.html", {"rows": figures.rollup(top, timezone.localdate()),
                                                        "norm": norm.norm()})


@require_http_methods(["GET", "POST"])
@writer
def import_page(request):
    return imports.import_page(request, "residential/import.html", lambda file, dry_run: io.import_projects(
        request.user, file, dry_run=dry_run, request=request), ResidentialError)


@reader
def export(request):
    return io.xlsx_response(selectors.projects_for(request.user, request.GET))
