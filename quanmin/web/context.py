"""Navigation by role: each user sees the sections that their roles open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quanmin.accounts import scoping
from quanmin.booking import staff_scope

# (label, url name, who sees it). Later capabilities add their sections here.
SECTIONS = [
    (_("Home"), "web:home", "everyone"),
    (_("Find a place"), "facilities:finder", "everyone"),
    (_("My account"), "accounts:me", "signed_in"),
    (_("My bookings"), "booking:mine", "signed_in"),
    (_("Physique tests"), "physique:index", "everyone"),
    (_("Divisions"), "web:regions", "division_reader"),
    (_("Facilities register"), "facilities:staff_sites", "division_reader"),
    (_("Sports-ground figures"), "facilities:figures", "division_reader"),
    (_("Venue console"), "booking:staff_home", "venue_staff"),
    (_("Fitness circle"), "analytics:circle_home", "division_reader"),
    (_("Audit log"), "web:audit", "city_staff"),
    (_("Administration"), "admin:index", "backoffice"),
]


def _visible(audience: str, user) -> bool:
    if audience == "everyone":
        return True
    if not user.is_authenticated:
        return False
    return {
        "signed_in": True,
        "division_reader": scoping.is_division_staff(user),
        "city_staff": scoping.is_city_staff(user),
        "backoffice": scoping.is_backoffice(user),
        "venue_staff": staff_scope.can_read(user),
    }[audience]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    items = [
        {"label": label, "url": reverse(name), "active": request.path == reverse(name)}
        for label, name, audience in SECTIONS
        if _visible(audience, user)
    ]
    return {"nav_items": items}
