from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.shortcuts import render

from quanmin.accounts import scoping
from quanmin.accounts.decorators import role_required
from quanmin.accounts.models import AuditEntry
from quanmin.regions.models import Region


def home(request):
    user = request.user
    context = {"divisions": []}
    if user.is_authenticated and scoping.is_division_staff(user):
        context["divisions"] = [_division_summary(r) for r in scoping.top_regions(user)]
    return render(request, "web/home.html", context)


def _division_summary(region: Region) -> dict:
    below = Region.objects.filter(code__startswith=region.prefix).exclude(code=region.code)
    counts = below.aggregate(
        counties=Count("code", filter=Q(level="county")),
        townships=Count("code", filter=Q(level="township")),
        communities=Count("code", filter=Q(level="community")),
    )
    return {"region": region, **counts}


@role_required(scoping.is_division_staff)
def regions(request, code: str | None = None):
    """Browse the divisions in one's scope, with populations (counted or estimated)."""
    user = request.user
    if code is None:
        tops = list(scoping.top_regions(user))
        if len(tops) == 1:
            code = tops[0].code
        else:
            return render(request, "web/regions.html", {"region": None, "children": tops, "trail": []})
    region = scoping.get_scoped_or_404(user, Region.objects.all(), code=code)
    children = (Region.objects.filter(parent=region)
                .annotate(units=Count("children"))
                .order_by("code"))
    child_total = children.aggregate(total=Sum("population"))["total"]
    trail = [r for r in region.ancestors() if scoping.can_read_region(user, r.code)]
    return render(request, "web/regions.html", {
        "region": region, "children": children, "trail": trail, "child_total": child_total,
        "can_edit": scoping.can_write_region(user, region.code),
    })


@role_required(scoping.is_city_staff)
def audit_log(request):
    qs = AuditEntry.objects.select_related("actor")
    action = request.GET.get("action", "")
    region = request.GET.get("region", "")
    if action:
        qs = qs.filter(action=action)
    if region.isdigit():
        qs = qs.filter(region_code__startswith=region)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    template = "web/_audit_rows.html" if request.headers.get("HX-Request") else "web/audit.html"
    return render(request, template, {"page": page, "actions": actions, "action": action, "region": region})


def api_docs(request):
    """Readable API docs at /api/docs, served from local assets (no CDN)."""
    from quanmin.api import api

    return api.docs.render_page(request, api)


def error_404(request, exception=None):
    return render(request, "web/error.html", {"status": 404}, status=404)


def error_403(request, exception=None):
    return render(request, "web/error.html", {"status": 403}, status=403)


def error_500(request):
    return render(request, "web/error.html", {"status": 500}, status=500)
