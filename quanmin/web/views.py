import datetime
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quanmin.accounts import audit_labels, scoping
from quanmin.accounts.decorators import role_required
from quanmin.accounts.forms import DeleteForm
from quanmin.accounts.models import AuditEntry
from quanmin.api import api
from quanmin.booking.models import Booking
from quanmin.booking.views_resident import UPCOMING
from quanmin.core.errors import ServiceError
from quanmin.feedback import selectors as reports
from quanmin.feedback.models import Report
from quanmin.maintenance import inspections
from quanmin.maintenance import permissions as maintenance_permissions
from quanmin.maintenance import selectors as work_orders
from quanmin.maintenance.models import InspectionRound
from quanmin.planning import selectors_supervision
from quanmin.planning.services import returns as planning_returns
from quanmin.planning.services import tasks as planning_tasks
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import personal_data
from .context import visible_sections


def home(request):
    """Signed in: a tile for every section the menu offers this user, what waits for them (live
    counts, each linking to its list) and, for division staff, their divisions at a glance."""
    user = request.user
    context = {"divisions": [], "tiles": [], "waiting": []}
    if user.is_authenticated:
        sections = visible_sections(request)
        context["tiles"] = [s for s in sections if s["name"] != "web:home"]
        context["waiting"] = waiting_for(user, {s["name"] for s in sections})
        if "web:regions" in {s["name"] for s in sections}:
            context["divisions"] = [_division_summary(r) for r in scoping.top_regions(user)]
    return render(request, "web/home.html", context)


# --- what waits for the user -----------------------------------------------------------------------------
# One function per section: it runs only when the user may open that section (the menu's own rules),
# and each count links to the list it counts.

def _link(name: str, **query) -> str:
    return reverse(name) + ("?" + urlencode(query) if query else "")


def _reports_waiting(user, now) -> list[dict]:

    return [
        {"label": _("Reports open"), "count": reports.queue(user, "open", now).count(),
         "url": _link("feedback:staff_reports", show="open")},
        {"label": _("Reports overdue"), "count": reports.queue(user, "overdue", now).count(),
         "url": _link("feedback:staff_reports", show="overdue"), "alert": True},
    ]


def _orders_overdue(user, now) -> list[dict]:

    counts = work_orders.counts_by_status(work_orders.work_orders_for(user), now)
    return [{"label": _("Work orders overdue"), "count": counts["overdue"],
             "url": _link("maintenance:work_orders", overdue="1"), "alert": True}]


def _rounds_missed(user, now) -> list[dict]:

    since = timezone.localdate(now) - datetime.timedelta(days=MISSED_DAYS)
    count = inspections.rounds_for(user).filter(status=InspectionRound.Status.MISSED,
                                                scheduled_for__gte=since).count()
    return [{"label": _("Rounds missed in the last 30 days"), "count": count, "alert": True,
             "url": _link("maintenance:inspection_rounds", status="missed", **{"from": since.isoformat()})}]


def _rounds_today(user, now) -> list[dict]:

    return [{"label": _("Rounds to walk today"), "count": inspections.my_rounds(user, timezone.localdate(now)).count(),
             "url": _link("maintenance:my_rounds")}]


def _unit_orders(user, now) -> list[dict]:

    qs = work_orders.work_orders_for(user).filter(unit_id__in=maintenance_permissions.unit_ids(user))
    counts = work_orders.counts_by_status(qs, now)
    return [{"label": _("My unit's open work orders"), "count": counts["open"], "url": _link("maintenance:my_orders")}]


def _bookings_upcoming(user, now) -> list[dict]:

    count = Booking.objects.filter(user=user, status__in=UPCOMING, slot__end__gte=now).count()
    return [{"label": _("Upcoming bookings"), "count": count, "url": _link("booking:mine")}]


def _reports_to_rate(user, now) -> list[dict]:

    count = Report.objects.filter(reporter=user, rating__isnull=True,
                                  status__in=[Report.Status.RESOLVED, Report.Status.REJECTED]).count()
    return [{"label": _("Answers to rate"), "count": count, "url": _link("feedback:my_reports")}]


MISSED_DAYS = 30
# section (url name) -> what waits there; in the order the strip shows them.
def _tasks_overdue(user, now) -> list[dict]:
    overdue = planning_tasks.overdue_for(user, timezone.localdate(now)).count()
    return [{"label": _("Plan tasks overdue"), "count": overdue, "url": _link("planning:my_tasks"), "alert": True}]


def _rectifications_overdue(user, now) -> list[dict]:
    count = selectors_supervision.overdue_to_answer(user, timezone.localdate(now))
    return [{"label": _("Rectification items overdue"), "count": count,
             "url": _link("planning:rectifications", status="overdue"), "alert": True}]
def _returns_overdue(user, now) -> list[dict]:
    overdue = planning_returns.overdue_for(user, timezone.localdate(now)).count()
    return [{"label": _("County returns overdue"), "count": overdue, "url": _link("planning:rounds"), "alert": True}]


WAITING = [
    ("feedback:staff_reports", _reports_waiting),
    ("planning:my_tasks", _tasks_overdue),
    ("planning:supervision", _rectifications_overdue),
    ("planning:rounds", _returns_overdue),
    ("maintenance:work_orders", _orders_overdue),
    ("maintenance:inspection_plans", _rounds_missed),
    ("maintenance:my_rounds", _rounds_today),
    ("maintenance:my_orders", _unit_orders),
    ("booking:mine", _bookings_upcoming),
    ("feedback:my_reports", _reports_to_rate),
]


def waiting_for(user, section_names: set[str], now: datetime.datetime | None = None) -> list[dict]:
    """What waits for the user in the sections they may open: [{label, count, url, section}]."""
    now = now or timezone.now()
    items = []
    for section, counter in WAITING:
        if section in section_names:
            items += [{**item, "section": section} for item in counter(user, now)]
    return items


def _division_summary(region: Region) -> dict:
    below = Region.objects.filter(code__within=region.prefix).exclude(code=region.code)
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
    """The audit log as people read it: each action by its label, each object by its kind and name,
    each division by its name, times in the city's time zone (the template's date filter)."""
    qs = AuditEntry.objects.select_related("actor")
    action = request.GET.get("action", "")
    region = request.GET.get("region", "")
    if action:
        qs = qs.filter(action=action)
    if codes.is_prefix(region):  # a division's code (the picker's) or a prefix: its whole subtree
        qs = qs.filter(region_code__within=codes.prefix(codes.normalise(region)))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    names = dict(Region.objects.filter(code__in={e.region_code for e in page if e.region_code})
                 .values_list("code", "name"))
    for entry in page:
        entry.action_label = audit_labels.action_label(entry.action)
        entry.kind_label = _kind_label(entry.target_type)
        entry.region_name = names.get(entry.region_code, "")
        entry.fields_label = (audit_labels.fields_label(entry.detail.get("fields"), entry.target_type)
                              if isinstance(entry.detail, dict) else "")
    actions = audit_labels.action_choices(
        AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct())
    template = "web/_audit_rows.html" if request.headers.get("HX-Request") else "web/audit.html"
    return render(request, template, {"page": page, "actions": actions, "action": action, "region": region,
                                      "region_name": Region.objects.filter(code=region).values_list("name", flat=True).first()
                                      if region.isdigit() else ""})


def _kind_label(target_type: str) -> str:
    """The model's name in the reader's language ("facilities.site" → 场地), or nothing."""
    model = audit_labels.target_model(target_type)
    return str(model._meta.verbose_name) if model is not None else ""


def api_docs(request):
    """Readable API docs at /api/docs, served from local assets (no CDN)."""

    return api.docs.render_page(request, api)


def error_404(request, exception=None):
    return render(request, "web/error.html", {"status": 404}, status=404)


def error_403(request, exception=None):
    return render(request, "web/error.html", {"status": 403}, status=403)


def error_500(request):
    return render(request, "web/error.html", {"status": 500}, status=500)


@login_required
def my_data_export(request):
    """Everything held about the signed-in person, as a JSON download (PIPL art. 45)."""
    data = personal_data.export_own_data(request.user, request=request)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="quanmin-my-data.json"'
    return response


@login_required
@require_POST
def my_data_delete(request):
    """Erase the signed-in person's data and close the account, once the password is given (art. 47)."""
    form = DeleteForm(request.POST)
    password = form.cleaned_data["password"] if form.is_valid() else ""
    try:
        personal_data.delete_own_data(request.user, request=request, password=password)
    except ServiceError as exc:
        messages.error(request, str(exc.message))
        return redirect("accounts:me")
    logout(request)
    messages.success(request, _("Your personal data has been erased and your account closed."))
    return redirect("web:home")
