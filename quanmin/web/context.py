"""Navigation by role: each user sees the sections that their roles open."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quanmin.accounts import scoping
from quanmin.accounts.models import Role
from quanmin.booking import permissions
from quanmin.feedback import permissions as feedback_permissions
from quanmin.funding import permissions as funding_permissions
from quanmin.maintenance import permissions as maintenance_permissions
from quanmin.maintenance.models import InspectionPlan
from quanmin.organizations import permissions as org_permissions
from quanmin.planning import permissions as planning_permissions
from quanmin.safety import permissions as safety_permissions

# (label, url name, who sees it, what it is for: the home page's tile). Later capabilities add their sections here.
SECTIONS = [
    (_("Home"), "web:home", "everyone", ""),
    (_("Find a place"), "facilities:finder", "everyone", _("Sports grounds and fitness paths near you")),
    (_("Places for older people and children"), "inclusive:near", "everyone",
     _("Equipment for older people, small children and disabled people near you")),
    (_("Report a problem"), "feedback:report_map", "everyone",
     _("Broken equipment or a problem at a sports ground: tell the staff")),
    (_("My account"), "accounts:me", "signed_in", _("Profile, consents, my data")),
    (_("My health record"), "web:my_record", "signed_in",
     _("My physique tests, prescriptions, exercise and games, year by year")),
    (_("My bookings"), "booking:mine", "signed_in", _("Upcoming and past bookings, waiting lists")),
    (_("My reports"), "feedback:my_reports", "signed_in", _("Broken equipment you reported and the answers")),
    (_("Sports groups"), "organizations:groups", "everyone", _("Find a sports group near you and join it")),
    (_("Physique tests"), "physique:index", "everyone", _("Scores for your physique test measurements")),
    (_("Guided activities"), "people:finder", "everyone", _("Stations where instructors guide residents, and their sessions")),
    (_("Instructor"), "people:me", "signed_in", _("Apply as a social sports instructor, record services")),
    (_("Games and events"), "events:list", "everyone", _("Games and events near you: enter, see results")),
    (_("My entries"), "events:mine", "signed_in", _("Competitions you entered, offers, results and awards")),
    (_("Surveys"), "surveys:open", "everyone", _("Tell the sports bureau how you exercise and what you think")),
    (_("Fitness lectures and knowledge"), "outreach:home", "everyone",
     _("Fitness and health lectures near you, and the science-fitness column")),
    (_("Divisions"), "web:regions", "division_reader", _("Population and units in my scope")),
    (_("Facilities register"), "facilities:staff_sites", "division_reader", _("Sites, facilities and their records")),
    (_("Sports-ground figures"), "facilities:figures", "division_reader", _("Sports-ground area per resident and compliance lists")),
    (_("Venue console"), "booking:staff_home", "venue_staff", _("Bookable venues, their slots and bookings")),
    (_("My rounds"), "maintenance:my_rounds", "inspector", _("Inspection rounds to walk today")),
    (_("My work orders"), "maintenance:my_orders", "unit_staff", _("Work orders assigned to your unit")),
    (_("Instructor register"), "people:staff_list", "division_reader", _("Social sports instructors, stations and their figures")),
    (_("Services to confirm"), "people:confirm", "station_staff", _("Instructors' services at your station")),
    (_("Equipment register"), "facilities:equipment_list", "division_reader", _("Fitness equipment, tags and design life")),
    (_("Inspection plans"), "maintenance:inspection_plans", "division_reader", _("Who inspects what, and how often")),
    (_("Work orders"), "maintenance:work_orders", "division_reader", _("Repairs and replacements in your divisions")),
    (_("Residents' reports"), "feedback:staff_reports", "report_handler", _("Residents' reports to answer and resolve")),
    (_("Maintenance figures"), "maintenance:figures", "division_reader", _("Inspections, repairs and ratings, by division")),
    (_("Sports organisations"), "organizations:staff_orgs", "org_reader", _("Federations, associations, clubs and sports communities")),
    (_("Games and events (staff)"), "events:staff_list", "events_staff",
     _("Games at every level, competitions, entries, results and figures")),
    (_("Brand register"), "events:brands", "division_reader",
     _("Brand event series of counties, townships, villages and associations, and the units still without one")),
    (_("Organisation figures"), "organizations:figures", "division_reader",
     _('"1+25", federations by level, gradings and sports communities, by division')),
    (_("Surveys and results"), "surveys:staff_list", "division_reader",
     _("Regular-exerciser and satisfaction surveys, quotas, weighted results")),
    (_("Plans and targets"), "planning:plans", "division_reader",
     _("Plans' targets live from the registers, with their trend and forecast; task tables")),
    (_("Supervision"), "planning:supervision", "supervision_reader",
     _("Visits, findings per division, rectification items until verified, bulletins")),
    (_("County returns"), "planning:rounds", "division_reader",
     _("Statistics returns: the city's rounds, each county's figures and situations and problems")),
    (_("Four inclusions and one supervision"), "planning:inclusions", "division_reader",
     _("Each division's agenda, budget, work report and performance assessment, and its supervision visits")),
    (_("County titles"), "planning:titles", "division_reader",
     _("Sports-modernisation and model counties: applications, criteria, scores, titles awarded")),
    (_("Experience exchange"), "planning:exchange", "division_reader",
     _("Counties' typical cases for others to copy, and the city's on-site meetings")),
    (_("My department's tasks"), "planning:my_tasks", "department_staff",
     _("The plan tasks your department leads or cooperates on: report progress")),
    (_("Youth sports in schools"), "youth:schools", "division_reader",
     _("Schools' daily activity hours, sports skills, myopia, obesity and scoliosis, open grounds")),
    (_("Special populations"), "inclusive:institutions", "division_reader",
     _("Elderly-care and rehab centres, pre-school places, ethnic villages: fittings and activities")),
    (_("Science-fitness outreach"), "outreach:lectures", "division_reader",
     _("Lectures, the publicity column, \"five into\" activities and workplace exercise")),
    (_("New residential areas"), "residential:projects", "division_reader",
     _("Residential projects' fitness facilities against the 0.1 m² / 0.3 m² per resident norm")),
    (_("Venue safety"), "safety:register", "division_reader",
     _("Public venues' safety responsibility, safety checks, hazards and their rectification")),
    (_("My venues' hazards"), "safety:my_hazards", "venue_operator",
     _("Hazards found at the venues you operate: report them rectified")),
    (_("Venue opening"), "opening:rounds", "division_reader",
     _("The yearly evaluation of public venues' free or low-fee opening, certified free use, rectifications")),
    (_("Opening rectifications"), "opening:rectifications", "venue_operator",
     _("What the opening evaluation asked of the venues you operate: report it done")),
    (_("Funding"), "funding:projects", "finance_staff",
     _("Projects' funding by source and budget line, the sports-lottery fund, Excel in and out")),
    (_("My evaluations"), "planning:my_evaluations", "third_party",
     _("The plan evaluations you score as a third-party evaluator")),
    (_("Fitness circle"), "analytics:circle_home", "division_reader", _("Who can walk to a place to exercise")),
    (_("Audit log"), "web:audit", "city_staff", _("Who did what, and when")),
    (_("Administration"), "admin:index", "backoffice", _("Back-office administration")),
]


# The menu's groups, in order (at most 8 on one line at desktop width): every section names one.
# Capabilities to come join a group (planning → "plans", incentives → "find", open data → "admin").
GROUPS = [
    ("find", pgettext_lazy("menu group", "Find and join")),
    ("mine", pgettext_lazy("menu group", "Mine")),
    ("facilities", pgettext_lazy("menu group", "Places")),
    ("upkeep", pgettext_lazy("menu group", "Upkeep")),
    ("people", pgettext_lazy("menu group", "People")),
    ("events", pgettext_lazy("menu group", "Games")),
    ("plans", pgettext_lazy("menu group", "Plans")),
    ("admin", pgettext_lazy("menu group", "Admin")),
]
GROUP_OF = {
    "facilities:finder": "find", "feedback:report_map": "find", "organizations:groups": "find",
    "physique:index": "find", "people:finder": "find", "events:list": "find",
    "accounts:me": "mine", "web:my_record": "mine", "booking:mine": "mine", "feedback:my_reports": "mine", "people:me": "mine",
    "events:mine": "mine",
    "facilities:staff_sites": "facilities", "facilities:figures": "facilities", "booking:staff_home": "facilities",
    "facilities:equipment_list": "facilities",
    "maintenance:my_rounds": "upkeep", "maintenance:my_orders": "upkeep", "maintenance:inspection_plans": "upkeep",
    "maintenance:work_orders": "upkeep", "feedback:staff_reports": "upkeep", "maintenance:figures": "upkeep",
    "people:staff_list": "people", "people:confirm": "people", "organizations:staff_orgs": "people",
    "organizations:figures": "people",
    "events:staff_list": "events", "events:brands": "events",
    "web:regions": "plans", "analytics:circle_home": "plans", "surveys:open": "find", "surveys:staff_list": "plans",
    "planning:rounds": "plans",
    "funding:projects": "plans", "youth:schools": "people", "inclusive:institutions": "people",
    "inclusive:near": "find",
    "outreach:home": "find", "outreach:lectures": "people", "residential:projects": "plans",
    "safety:register": "upkeep", "safety:my_hazards": "upkeep",
    "opening:rounds": "facilities", "opening:rectifications": "upkeep",
    "planning:titles": "plans", "planning:exchange": "plans", "planning:inclusions": "plans",
    "web:audit": "admin", "admin:index": "admin",
}


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
        "supervision_reader": lambda: planning_permissions.can_read_supervision(user),
        "report_handler": lambda: feedback_permissions.is_handler(user),
        "city_staff": lambda: scoping.is_city_staff(user),
        "backoffice": lambda: scoping.is_backoffice(user),
        "venue_staff": lambda: permissions.can_read(user),
        "inspector": lambda: _is_inspector(user),
        "unit_staff": lambda: maintenance_permissions.is_unit_staff(user),
        "org_reader": lambda: org_permissions.can_read(user),
        "finance_staff": lambda: funding_permissions.can_read(user),
        "department_staff": lambda: planning_permissions.is_department_staff(user),
        "third_party": lambda: planning_permissions.is_third_party(user),
        "venue_operator": lambda: safety_permissions.is_operator(user),
        "station_staff": lambda: Role.STATION_STAFF in scoping.roles(user),
        "events_staff": lambda: scoping.is_division_staff(user) or bool(
            scoping.roles(user) & {Role.JUDGE, Role.DELEGATION_LEADER}),
    }[audience]()


def _is_inspector(user) -> bool:
    # The inspector role, or anyone a plan names as its inspector (a staff member may walk rounds).
    return Role.INSPECTOR in scoping.roles(user) or InspectionPlan.objects.filter(inspector=user).exists()


def section_url(name: str) -> str:
    """A section's address. Every page's menu links some fifty sections, and reverse() costs about
    0.1 ms a call: 5-8 ms of each page (a tenth of the permission matrix's time, 2026-12-07). The
    address only changes with the URL configuration and the script prefix, which key the cache."""
    return _reversed(name, settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())


@functools.lru_cache(maxsize=1024)
def _reversed(name: str, root_urlconf: str, urlconf, prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


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
        {"label": label, "name": name, "url": section_url(name), "description": description, "audience": audience}
        for label, name, audience, description in SECTIONS
        if _visible(audience, user, known)
    ]
    request._quanmin_sections = (key, sections)
    return sections


def group_of(item: dict) -> str:
    """The section's group; a section not yet placed goes by its audience, so that it is never left
    out of the menu: residents' to "find" or "mine", staff's to "plans"."""
    return GROUP_OF.get(item["name"]) or {"everyone": "find", "signed_in": "mine"}.get(item["audience"], "plans")


def grouped(items: list[dict]) -> list[dict]:
    """The sections by group, in the groups' order; a group with nothing visible is left out. Home is
    the brand's link, in no group."""
    out = []
    for key, label in GROUPS:
        members = [i for i in items if group_of(i) == key]
        if members:
            out.append({"key": key, "label": label, "items": members, "active": any(i.get("active") for i in members)})
    return out


def navigation(request):
    if getattr(request, "user", None) is None:
        return {}
    items = [{**s, "active": request.path == s["url"]} for s in visible_sections(request)]
    return {"nav_items": items, "nav_groups": grouped(items)}
