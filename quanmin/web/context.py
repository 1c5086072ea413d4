"""Navigation by role: each user sees the sections that their roles open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import scoping
from quanmin.accounts.models import Role
from quanmin.booking import staff_scope
from quanmin.maintenance import services as maintenance_services
from quanmin.maintenance.models import InspectionPlan

# (label, url name, who sees it). Later capabilities add their sections here.
SECTIONS = [
    (_("Home"), "web:home", "everyone"),
    (_("Find a place"), "facilities:finder", "everyone"),
    (_("My account"), "accounts:me", "signed_in"),
    (_("My bookings"), "booking:mine", "signed_in"),
    (_("My reports"), "feedback:my_reports", "signed_in"),
    (_("Physique tests"), "physique:index", "everyone"),
    (_("Divisions"), "web:regions", "division_reader"),
    (_("Facilities register"), "facilities:staff_sites", "division_reader"),
    (_("Sports-ground figures"), "facilities:figures", "division_reader"),
    (_("Venue console"), "booking:staff_home", "venue_staff"),
    (_("My rounds"), "maintenance:my_rounds", "inspector"),
    (_("My work orders"), "maintenance:my_orders", "unit_staff"),
    (_("Equipment register"), "facilities:equipment_list", "division_reader"),
    (_("Inspection plans"), "maintenance:inspection_plans", "division_reader"),
    (_("Work orders"), "maintenance:work_orders", "division_reader"),
    (_("Residents' reports"), "feedback:staff_reports", "division_reader"),
    (_("Maintenance figures"), "maintenance:figures", "division_reader"),
    (_("Fitness circle"), "analytics:circle_home", "division_reader"),
    (_("Audit log"), "web:audit", "city_staff"),
    (_("Administration"), "admin:index", "backoffice"),
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
        "venue_staff": lambda: staff_scope.can_read(user),
        "inspector": lambda: _is_inspector(user),
        "unit_staff": lambda: maintenance_services.is_unit_staff(user),
    }[audience]()


def _is_inspector(user) -> bool:
    # The inspector role, or anyone a plan names as its inspector (a staff member may walk rounds).
    return Role.INSPECTOR in scoping.roles(user) or InspectionPlan.objects.filter(inspector=user).exists()


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    known: dict = {}
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, audience in SECTIONS
        if _visible(audience, user, known)
    ]
    return {"nav_items": items}
