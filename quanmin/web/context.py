"""Navigation by role: each user sees the sections that their roles open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import scoping
from quanmin.accounts.models import Role
from quanmin.booking import permissions
from quanmin.maintenance import permissions as maintenance_permissions
from quanmin.maintenance.models import InspectionPlan

# (label, url name, who sees it, what it is for: the home page's tile). Later capabilities add their sections here.
SECTIONS = [
    (_("Home"), "web:home", "everyone", ""),
    (_("Find a place"), "facilities:finder", "everyone", _("Sports grounds and fitness paths near you")),
    (_("Report a problem"), "feedback:report_map", "everyone",
     _("Broken equipment or a problem at a sports ground: tell the staff")),
    (_("My account"), "accounts:me", "signed_in", _("Profile, consents, my data")),
    (_("My bookings"), "booking:mine", "signed_in", _("Upcoming and past bookings, waiting lists")),
    (_("My reports"), "feedback:my_reports", "signed_in", _("Broken equipment you reported and the answers")),
    (_("Physique tests"), "physique:index", "everyone", _("Scores for your physique test measurements")),
    (_("Divisions"), "web:regions", "division_reader", _("Population and units in my scope")),
    (_("Facilities register"), "facilities:staff_sites", "division_reader", _("Sites, facilities and their records")),
    (_("Sports-ground figures"), "facilities:figures", "division_reader", _("Sports-ground area per resident and compliance lists")),
    (_("Venue console"), "booking:staff_home", "venue_staff", _("Bookable venues, their slots and bookings")),
    (_("My rounds"), "maintenance:my_rounds", "inspector", _("Inspection rounds to walk today")),
    (_("My work orders"), "maintenance:my_orders", "unit_staff", _("Work orders assigned to your unit")),
    (_("Equipment register"), "facilities:equipment_list", "division_reader", _("Fitness equipment, tags and design life")),
    (_("Inspection plans"), "maintenance:inspection_plans", "division_reader", _("Who inspects what, and how often")),
    (_("Work orders"), "maintenance:work_orders", "division_reader", _("Repairs and replacements in your divisions")),
    (_("Residents' reports"), "feedback:staff_reports", "division_reader", _("Residents' reports to answer and resolve")),
    (_("Maintenance figures"), "maintenance:figures", "division_reader", _("Inspections, repairs and ratings, by division")),
    (_("Fitness circle"), "analytics:circle_home", "division_reader", _("Who can walk to a place to exercise")),
    (_("Audit log"), "web:audit", "city_staff", _("Who did what, and when")),
    (_("Administration"), "admin:index", "backoffice", _("Back-office administration")),
]


def _visible(audience: str, user, known: dict) -> bool:
    if audience in known:
        return known[audience]
    known[audience] = _audience(audience, user)
    return known[audience]


def _audience(audience: str, user) -> bool:
    if audience == "everyone":
        return True
    if not user.is_authenticated:
        return False
    # Lazy: only the audience asked about is worked out.
    return {
        "signed_in": lambda: True,
        "division_reader": lambda: scoping.is_division_staff(user),
        "city_staff": lambda: scoping.is_city_staff(user),
        "backoffice": lambda: scoping.is_backoffice(user),
        "venue_staff": lambda: permissions.can_read(user),
        "inspector": lambda: _is_inspector(user),
        "unit_staff": lambda: maintenance_permissions.is_unit_staff(user),
    }[audience]()


def _is_inspector(user) -> bool:
    # The inspector role, or anyone a plan names as its inspector (a staff member may walk rounds).
    return Role.INSPECTOR in scoping.roles(user) or InspectionPlan.objects.filter(inspector=user).exists()


def visible_sections(request) -> list[dict]:
    """The sections this request's user may open, in menu order (label, name, url, description,
    audience). Worked out once per request: the menu and the home page share it."""
    user = getattr(request, "user", None)
    if user is None:
        return []
    key = (user.pk, user.is_authenticated)  # signing in or out within the request starts afresh
    cached = getattr(request, "_quanmin_sections", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    known: dict = {}
    sections = [
        {"label": label, "name": name, "url": reverse(name), "description": description, "audience": audience}
        for label, name, audience, description in SECTIONS
        if _visible(audience, user, known)
    ]
    request._quanmin_sections = (key, sections)
    return sections


def navigation(request):
    if getattr(request, "user", None) is None:
        return {}
    items = [{**s, "active": request.path == s["url"]} for s in visible_sections(request)]
    return {"nav_items": items}
