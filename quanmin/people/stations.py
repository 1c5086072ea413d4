"""Guidance stations (健身指导站 / 健身站点): the register, the instructors on duty, and the regular
guided sessions, which the booking app sells as capacity sessions (booking's own services make the
unit, its weekly times and slots), so that residents join a session as they book a court.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.accounts.models import Role
from quanmin.booking import services_console
from quanmin.core import facts
from quanmin.facilities.models import Site
from quanmin.regions import codes

from .errors import PeopleError
from .models import Instructor, Station, sports_text
from .services import check_region, check_sports

BOOKING_UNIT_NAME = "健身指导"


def _check_scope(by, region_code: str) -> None:
    if not scoping.can_write_region(by, region_code):
        raise PeopleError("region_out_of_scope", _("This division is outside your area."), "region", status=403)


def _site(value) -> Site | None:
    if value in (None, ""):
        return None
    if isinstance(value, Site):
        return value
    try:
        return Site.objects.get(pk=int(value))
    except (Site.DoesNotExist, TypeError, ValueError):
        raise PeopleError("site_unknown", _("Unknown site."), "site") from None


def _instructors(ids, region_code: str) -> list[Instructor]:
    """Active instructors of the station's county (a station borrows no one from another county)."""
    ids = [int(i) for i in ids or [] if str(i).strip()]
    county = codes.prefix_at(region_code, "county")
    found = list(Instructor.objects.filter(pk__in=ids, status=Instructor.Status.ACTIVE,
                                           region__code__within=county))
    if len(found) != len(set(ids)):
        raise PeopleError("instructor_unknown", _("Choose active instructors of the station's county."), "instructors")
    return found


ORG = "organizations.Organization"


def _organization(value, region_code: str) -> int | None:
    """The fitness team or station of the organisations' register that is this same station (B08):
    one the register counts, in the station's county. Read through the organisations' declared
    subset (core.facts), as people import no organisations."""
    if value in (None, ""):
        return None
    counted = facts.subset_of(ORG, "fitness_point")
    pk = int(value) if str(value).isdigit() else None
    if pk is None or counted is None or not counted.filter(
            pk=pk, region__code__within=codes.prefix_at(region_code, "county")).exists():
        raise PeopleError("organization_unknown", _("Choose a fitness team or station of the organisations' register "
                                                    "in the station's county."), "organization")
    return pk


def save_station(data: dict, *, by, station: Station | None = None, request=None) -> Station:
    """Register a station or change it: name, kind, division, site, sports, regular times, instructors,
    and the same station in the organisations' register."""
    name = str(data.get("name") or (station.name if station else "")).strip()
    if not name or len(name) > 120:
        raise PeopleError("name_required", _("Give the station a name (at most 120 characters)."), "name")
    site = _site(data["site"]) if "site" in data else (station.site if station else None)
    region = check_region(data["region"]) if data.get("region") else (
        station.region if station else site.region if site else None)
    if region is None:
        raise PeopleError("region_unknown", _("Choose the station's division."), "region")
    if site is not None and not codes.in_subtree(site.region_id, codes.prefix_at(region.code, "county")):
        raise PeopleError("site_elsewhere", _("The site lies in another county."), "site")
    _check_scope(by, region.code)
    if station is not None:
        _check_scope(by, station.region_id)
    kind = data.get("kind") or (station.kind if station else Station.Kind.GUIDANCE)
    if kind not in Station.Kind.values:
        raise PeopleError("kind_unknown", _("Unknown kind."), "kind")
    times = str(data.get("times", station.times if station else "") or "").strip()
    if len(times) > 200:
        raise PeopleError("text_too_long", _("At most %(n)s characters.") % {"n": 200}, "times")
    sports = sports_text(check_sports(data["sports"])) if "sports" in data else (station.sports if station else "")
    people = _instructors(data["instructors"], region.code) if "instructors" in data else None
    organization = _organization(data["organization"], region.code) if "organization" in data else (
        station.organization_id if station else None)
    if organization is not None and Station.objects.filter(organization_id=organization).exclude(
            pk=station.pk if station else None).exists():
        raise PeopleError("organization_taken", _("Another station is already linked to this organisation."),
                          "organization")
    with transaction.atomic():
        station = station or Station()
        station.name, station.kind, station.region, station.site = name, kind, region, site
        station.times, station.sports, station.organization_id = times, sports, organization
        if "active" in data:
            station.active = bool(data["active"])
        created = station.pk is None
        station.save()
        if people is not None:
            station.instructors.set(people)
        audit.record("create" if created else "update", request=request, actor=by, obj=station)
    return station


def booking_unit(station: Station, *, by=None, request=None):
    """The station's capacity-session unit on a facility of its site, made on first use."""
    if station.unit_id:
        return station.unit
    if station.site_id is None:
        raise PeopleError("no_site", _("Link the station to a site to take bookings."), "site")
    facility = station.site.facilities.order_by("-open", "id").first()
    if facility is None:
        raise PeopleError("no_facility", _("The station's site has no registered facility to book."), "site")
    # Guided sessions are free, bookable two weeks ahead, with no companions: each person comes by name.
    unit = services_console.add_unit(facility, {"name": f"{BOOKING_UNIT_NAME}·{station.name}"[:80], "kind": "session",
                                                "payment_provider": "free", "window_days": 14,
                                                "max_companions": 0}, staff=by, request=request)
    station.unit = unit
    station.save(update_fields=["unit"])
    return unit


def add_session(station: Station, *, weekday: int, start: datetime.time, end: datetime.time, capacity: int,
                by, request=None):
    """A regular guided session (every given weekday, start to end) with its places, bookable at once."""
    _check_scope(by, station.region_id)
    with transaction.atomic():
        unit = booking_unit(station, by=by, request=request)
        template, _result = services_console.save_template(
            unit, {"weekday": weekday, "start": start, "end": end, "capacity": capacity}, staff=by, request=request)
    return template


def remove_session(station: Station, template_id: int, *, by, request=None) -> None:
    _check_scope(by, station.region_id)
    template = station.unit.templates.filter(pk=template_id).first() if station.unit_id else None
    if template is None:
        raise PeopleError("session_unknown", _("Unknown session."), status=404)
    services_console.remove_template(template, staff=by, request=request)


def serves(instructor: Instructor, station: Station) -> bool:
    return station.instructors.filter(pk=instructor.pk).exists()


def stations_of_staff(user) -> list[int]:
    """The stations whose staff the user is (Role.STATION_STAFF bound to a station)."""
    return scoping.targets(user, {Role.STATION_STAFF}, "people.Station")
