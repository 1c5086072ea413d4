"""Staff pages of the organisations register: list, register, detail, edit, approve filings,
gradings, Excel import and export. Views parse, check, call the services, render."""

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from quanmin.accounts.decorators import role_required
from quanmin.core import excel
from quanmin.core.errors import ServiceError

from . import gradings, io, permissions, selectors, services, sports, views_contracts, views_members, vitality
from .errors import OrganizationError
from .forms import GradingForm, OrganizationForm
from .models import Grading, Organization

Org = Organization
reader = role_required(permissions.can_read)
# Posting changes: supervisors and evaluators read the register but change nothing (403 here).
writer = role_required(permissions.can_write)
COMPONENT_LABELS = {"members": gettext_lazy("Members"), "participation": gettext_lazy("Places booked at its activities"),
                    "announcements": gettext_lazy("Announcements"), "grade": gettext_lazy("Grade"),
                    "awards": gettext_lazy("Amateur grades awarded"),
                    "events": gettext_lazy("Games and events organised"),
                    "event_participants": gettext_lazy("People entered in its events"),
                    "instructors": gettext_lazy("Members who are social sports instructors")}
creator = role_required(permissions.can_create)


@reader
def org_list(request):
    qs = selectors.filtered(selectors.organizations_for(request.user), request.GET)
    qs = qs.annotate(grade=gradings.current_grade_subquery(timezone.localdate())).order_by("region_id", "kind", "name")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "organizations/staff/list.html", {
        "page": page, "kinds": Org.Kind.choices, "statuses": Org.Status.choices, "reviews": Org.Review.choices,
        "sports": sports.choices(), "can_create": permissions.can_create(request.user), "query": query.urlencode(),
        "expiring": gradings.expiring(request.user)[:10], "can_figures": permissions.can_read_figures(request.user),
        "can_association_gaps": permissions.can_read_association_coverage(request.user),
    })


def _form_initial(org: Org) -> dict:
    officers = "；".join(f"{x['post']}:{x['name']}" if x.get("post") else x["name"] for x in org.officers or [])
    return {"region_code": org.region_id, "sport_list": org.sport_codes, "officer_text": officers,
            "site_id": org.site_id, "parent_id": org.parent_id}


def _edit(request, org: Org | None):
    legal = org is None or permissions.can_manage(request.user, org)
    form = OrganizationForm(request.POST or None, instance=org, initial=_form_initial(org) if org else {},
                            legal=legal)
    if request.method == "POST" and form.is_valid():
        try:
            if org is None:
                saved = services.register(form.service_data(), actor=request.user, request=request)
            else:
                saved = services.update(org, form.service_data(), actor=request.user, request=request)
        except ServiceError as exc:
            field = {"region": "region_code", "parent": "parent_id", "site": "site_id", "sports": "sport_list",
                     "officers": "officer_text"}.get(exc.field, exc.field)
            form.add_error(field if field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("organizations:staff_org", pk=saved.pk)
    return render(request, "organizations/staff/form.html", {"form": form, "org": org},
                  status=400 if form.errors else 200)


@creator
def org_new(request):
    return _edit(request, None)


@role_required(permissions.can_write)
def org_edit(request, pk):
    org = selectors.get_or_404(request.user, pk, write=True)
    return _edit(request, org)


@reader
def org_detail(request, pk):
    org = selectors.get_or_404(request.user, pk)
    return render(request, "organizations/staff/detail.html", {
        "org": org, "sports": [sports.label(s) for s in org.sport_codes],
        "members_of": org.members.filter(active=True).select_related("region").order_by("kind", "name")[:200],
        "gradings": org.gradings.all(), "current": gradings.current(org),
        "changes": [(c, [_field_label(k) for k in c.fields]) for c in org.changes.select_related("actor")[:30]],
        "staff": services.staff_of(org),
        "can_change": permissions.can_change(request.user, org), "can_manage": permissions.can_manage(request.user, org),
        "can_approve": org.review == Org.Review.PENDING and permissions.can_approve(request.user, org.region_id),
        "grading_form": GradingForm(), **views_members.forms_for(org),
        "vitality": vitality.of(org) if org.counted else None, "promotion": vitality.promotion(org),
        "component_labels": COMPONENT_LABELS, "contracts": org.contracts.select_related("region")
        .prefetch_related("evidence"), "contract_form": views_contracts.ContractForm(),
        # The same station in the instructor register (people.Station.organization, read by its reverse name).
        "linked_stations": org.stations.order_by("id").only("id", "name"),
    })


def _field_label(key: str) -> str:
    """A history entry's field as people read it (a grading's entry names the grading's fields)."""
    for model in (Org, Grading):
        try:
            return str(model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            continue
    return ""


@require_POST
@writer
def org_approve(request, pk):
    org = selectors.get_or_404(request.user, pk)
    try:
        services.approve(org, request.POST.get("decision") != "reject", actor=request.user, request=request)
    except OrganizationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Decision saved."))
    return redirect("organizations:staff_org", pk=org.pk)


@require_POST
@writer
def grading_add(request, pk):
    org = selectors.get_or_404(request.user, pk)
    form = GradingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("organizations:staff_org", pk=org.pk)
    try:
        gradings.add_grading(org, form.cleaned_data, actor=request.user, request=request)
    except OrganizationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Grading recorded."))
    return redirect("organizations:staff_org", pk=org.pk)


@require_POST
@writer
def grading_delete(request, pk, grading_pk):
    org = selectors.get_or_404(request.user, pk)
    grading = Grading.objects.filter(organization=org, pk=grading_pk).first()
    if grading is not None:
        try:
            gradings.delete_grading(grading, actor=request.user, request=request)
        except OrganizationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Grading removed."))
    return redirect("organizations:staff_org", pk=org.pk)


# ---------------------------------------------------------------- Excel


@creator
def import_page(request):
    context = {"max_mb": io.MAX_BYTES // (1024 * 1024)}
    if request.method != "POST":
        return render(request, "organizations/staff/import.html", context)
    upload = request.FILES.get("file")
    dry_run = request.POST.get("mode") != "apply"
    try:
        if upload is None:
            raise OrganizationError("file_required", _("Choose a file to upload."), "file")
        report = io.import_rows(io.read_workbook(upload), request.user, dry_run=dry_run, request=request)
    except OrganizationError as exc:
        return render(request, "organizations/staff/import.html", {**context, "error": exc.message}, status=400)
    if report.applied:
        messages.success(request, _("The file was applied."))
    return render(request, "organizations/staff/import.html", {**context, "report": report, "filename": upload.name},
                  status=200 if report.ok else 400)


@creator
def import_template(request):
    return io.template_response()


@reader
def export(request):
    return io.xlsx_response(selectors.filtered(selectors.organizations_for(request.user), request.GET))


@reader
def gradings_export(request):
    """Every grading of the organisations the list's filters select, with whether each is in force."""
    return excel.xlsx_response(f"organization-gradings-{timezone.localdate():%Y%m%d}.xlsx",
                               [("等级评估", gradings.GRADING_HEADERS, gradings.sheet_rows(request.user, request.GET))])
