"""Staff pages of youth sports in schools: the school register (list, form), a school's term
returns (entry form, history), the figures per division, and the returns in and out of Excel.
Views parse, check, call, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quanmin.accounts.decorators import role_required
from quanmin.core import imports
from quanmin.core.errors import ServiceError
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import figures, io, permissions, selectors, services
from .errors import YouthError
from .models import PROBLEMS, Stage, Term, TermReturn

reader = role_required(permissions.can_read)
writer = role_required(permissions.can_write)
SCHOOL_FIELDS = ("region", "name", "stage", "students", "site", "named_for_opening", "active")
RETURN_FIELDS = ("school_year", "term", *services.COUNT_FIELDS[:1], *services.MINUTE_FIELDS, *services.COUNT_FIELDS[1:],
                 "note")


def _divisions(user) -> list[Region]:
    """The divisions a school may be placed in: the top of the user's write scope and everything
    below it down to the townships."""
    tops = list(selectors.top_region_for_writing(user))
    if not tops:
        return []
    found = Region.objects.none()
    for top in tops:
        found = found | Region.objects.filter(code__within=codes.prefix(top.code),
                                              level__in=("city", "county", "township"))
    return list(found.order_by("code"))


@reader
def school_list(request):
    params = request.GET
    qs = selectors.schools_for(request.user, params)
    page = Paginator(qs, 50).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(request, "youth/list.html", {
        "page": page, "params": params, "query": query.urlencode(), "stages": Stage.choices,
        "regions": selectors.rollup_regions(selectors.top_region(request.user)),
        "can_write": permissions.can_write(request.user)})


def _school_form(request, school=None):
    status = 200
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in SCHOOL_FIELDS}
        data["named_for_opening"] = request.POST.get("named_for_opening") == "1"
        data["active"] = request.POST.get("active") == "1" if school else True
        try:
            saved = services.save_school(request.user, data, school, request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = exc.status if exc.status in (400, 409) else 400
        else:
            messages.success(request, _("School saved."))
            return redirect("youth:school", pk=saved.pk)
    elif school is not None:
        data = {"region": school.region_id, "name": school.name, "stage": school.stage, "students": school.students,
                "site": school.site_id or "", "named_for_opening": school.named_for_opening, "active": school.active}
    else:
        data = {"active": True}
    returns = list(school.returns.all()) if school else []
    return render(request, "youth/school.html", {
        "school": school, "data": data, "stages": Stage.choices, "regions": _divisions(request.user),
        "grounds_open": selectors.grounds_open(school) if school else False, "returns": returns,
        "can_write": school is None or permissions.can_write_region(request.user, school.region_id),
    }, status=status)


@writer
def school_new(request):
    return _school_form(request)


@reader
def school_detail(request, pk):
    school = selectors.school_or_404(request.user, pk, write=request.method == "POST")
    return _school_form(request, school)


@reader
def return_form(request, pk):
    """A school's return for a term: the term picked by ?school_year=&term= (the current one by
    default), its figures filled in when already recorded."""
    school = selectors.school_or_404(request.user, pk, write=request.method == "POST")
    status = 200
    if request.method == "POST":
        data = {k: request.POST.get(k, "") for k in RETURN_FIELDS}
        try:
            _found, created = services.save_return(request.user, school, data, request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            status = 400 if exc.status == 400 else exc.status
        else:
            messages.success(request, _("Return recorded.") if created else _("Return corrected."))
            return redirect("youth:school", pk=school.pk)
    else:
        year, which = _current_term()
        try:
            year = services.school_year(request.GET.get("school_year") or year)
            which = services.term(request.GET.get("term") or which)
        except YouthError:
            pass
        found = TermReturn.objects.filter(school=school, school_year=year, term=which).first()
        data = {k: getattr(found, k) for k in RETURN_FIELDS} if found else {"school_year": year, "term": which,
                                                                              "students": school.students}
    fields = [(k, TermReturn._meta.get_field(k).verbose_name, data.get(k, "")) for k in RETURN_FIELDS[2:-1]]
    return render(request, "youth/return.html", {"school": school, "data": data, "fields": fields,
                                                 "terms": Term.choices}, status=status)


def _current_term() -> tuple[int, int]:
    today = timezone.localdate()
    if today.month >= 9:
        return today.year, Term.AUTUMN
    return today.year - 1, Term.SPRING if today.month >= 2 else Term.AUTUMN


@require_POST
@writer
def return_delete(request, pk):
    found = selectors.return_or_404(request.user, pk, write=True)
    school = found.school_id
    services.delete_return(request.user, found, request=request)
    messages.success(request, _("Return removed."))
    return redirect("youth:school", pk=school)


@reader
def figures_page(request):
    top = selectors.top_region(request.user)
    rows = figures.rollup(top, timezone.localdate())
    return render(request, "youth/figures.html", {"rows": rows, "problems": PROBLEMS})


@require_http_methods(["GET", "POST"])
@writer
def import_page(request):
    return imports.import_page(request, "youth/import.html", lambda file, dry_run: io.import_returns(
        request.user, file, dry_run=dry_run, request=request), YouthError)


@reader
def export(request):
    year = request.GET.get("school_year", "")
    return io.xlsx_response(selectors.returns_for(request.user, int(year) if year.isdigit() and len(year) == 4 else None,
                                                  None, request.GET.get("region", "")))


