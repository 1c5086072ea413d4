"""Staff pages of the funding: the year's projects per division, a project's form with its
amounts per source and per line, the year's figures rolled up city → county with the lottery
fund, and the project funding table in and out of Excel. Views parse, check, call, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts.decorators import role_required
from quanmin.core.errors import ServiceError
from quanmin.regions import codes

from . import figures, io, permissions, selectors, services
from .errors import FundingError
from .models import Amount, Line, Source

reader = role_required(permissions.can_read)


def _year(request) -> int:
    try:
        return services.year(request.GET.get("year") or figures.default_year())
    except ServiceError:
        return figures.default_year()


def _years(year: int) -> list[int]:
    now = figures.default_year()
    return sorted({*range(now - 4, now + 2), year}, reverse=True)


@reader
def project_list(request):
    year = _year(request)
    region = request.GET.get("region", "")
    region = region if codes.is_prefix(region) else ""
    page = Paginator(selectors.projects_for(request.user, year, region), 50).get_page(request.GET.get("page"))
    return render(request, "funding/list.html", {
        "page": page, "year": year, "years": _years(year), "region": region,
        "regions": figures.rollup_regions(selectors.top_region(request.user))})


def _grid(project=None, post=None) -> list[tuple]:
    """The form's rows: (kind, item, label, planned, actual) for every source and line."""
    have = {(a.kind, a.item): (a.planned, a.actual) for a in project.amounts.all()} if project else {}
    rows = []
    for kind, choices in ((Amount.Kind.SOURCE, Source), (Amount.Kind.LINE, Line)):
        for c in choices:
            planned, actual = have.get((kind, c.value), ("", ""))
            if post is not None:
                planned, actual = post.get(f"{kind}-{c.value}-planned", ""), post.get(f"{kind}-{c.value}-actual", "")
            rows.append((kind, c.value, c.label, planned, actual))
    return rows


def _posted(request) -> dict:
    post = request.POST
    return {"region": post.get("region", ""), "year": post.get("year", ""), "title": post.get("title", ""),
            "builds": post.get("builds", ""), "site": post.get("site", ""),
            "amounts": [{"kind": kind, "item": item, "planned": planned, "actual": actual}
                        for kind, item, _label, planned, actual in _grid(post=post)]}


def _form(request, project=None):
    if request.method == "POST":
        data = _posted(request)
        try:
            saved = services.save_project(request.user, data, project, request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            context = {**data, "grid": _grid(post=request.POST)}
            status = 400
        else:
            messages.success(request, _("Project saved."))
            return redirect("funding:project", pk=saved.pk)
    else:
        top = selectors.top_region(request.user)
        context = {"region": project.region_id if project else (top.code if top else ""),
                   "year": project.year if project else _year(request), "title": project.title if project else "",
                   "builds": project.builds if project else "", "site": (project.site_id or "") if project else "",
                   "grid": _grid(project)}
        status = 200
    context.update({"project": project, "regions": figures.rollup_regions(selectors.top_region(request.user))})
    return render(request, "funding/form.html", context, status=status)


@reader
def project_new(request):
    return _form(request)


@reader
def project_detail(request, pk):
    return _form(request, selectors.project_or_404(request.user, pk, write=request.method == "POST"))


@require_POST
@reader
def project_delete(request, pk):
    project = selectors.project_or_404(request.user, pk, write=True)
    year = project.year
    services.delete_project(request.user, project, request=request)
    messages.success(request, _("Project removed."))
    return redirect(f"{reverse('funding:projects')}?year={year}")


@reader
def figures_page(request):
    year = _year(request)
    top = selectors.top_region(request.user)
    if top is None:
        raise Http404
    rows = figures.rollup(top, year)
    return render(request, "funding/figures.html", {
        "year": year, "years": _years(year), "rows": rows, "sources": Source.choices, "lines": Line.choices,
        "funds": selectors.funds_for(request.user, year)})


@require_POST
@reader
def lottery_save(request):
    try:
        fund = services.save_lottery_fund(request.user, request.POST.dict(), request=request)
    except ServiceError as exc:
        messages.error(request, exc.message)
        year = request.POST.get("year", "")
    else:
        messages.success(request, _("Sports-lottery fund recorded."))
        year = fund.year
    return redirect(f"{reverse('funding:figures')}?year={year}" if str(year).isdigit() else reverse("funding:figures"))


@reader
def import_page(request):
    report = None
    year = _year(request)
    if request.method == "POST":
        year = request.POST.get("year", "")
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise FundingError("file_required", _("Choose a file to upload."), "file")
            report = io.import_table(request.user, year, upload, dry_run=request.POST.get("apply") != "1",
                                     request=request)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return render(request, "funding/import.html", {"year": year, "years": _years(_year(request))}, status=400)
        if report.applied:
            messages.success(request, _("The table was imported: %(rows)s rows.") % {"rows": report.counts["rows"]})
        elif not report.ok:
            messages.error(request, _("%(count)s rows were rejected; nothing was applied.")
                           % {"count": len(report.rejected)})
    return render(request, "funding/import.html", {"year": year, "years": _years(_year(request)), "report": report},
                  status=400 if report is not None and not report.ok else 200)


@reader
def export(request):
    year = _year(request)
    top = selectors.top_region(request.user)
    return io.xlsx_response(selectors.projects_for(request.user, year), year,
                            figures.rollup(top, year) if top else None)
