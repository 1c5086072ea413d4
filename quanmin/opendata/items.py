"""The OpenActive items of each feed, built from the domain's rows (read-only, many at once).

Each builder takes object ids and answers {id: (rpde kind, data)} for the objects that are public
now; an id left out is not (or no longer) public and its item becomes `state: deleted`. Names and
addresses are the registers' own (Chinese); no person appears: organisers are organisations or the
managing unit, never an instructor or a contact.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db.models import Min
from django.utils import timezone

from quanmin.booking.models import BookableUnit, Slot, WeeklyTemplate
from quanmin.events.models import Competition, Games
from quanmin.facilities import types as facility_types
from quanmin.facilities.models import OpeningRule, Site
from quanmin.organizations.models import Activity as GroupActivity
from quanmin.people.models import Station
from quanmin.regions.models import Region

from . import vocab
from .models import SeriesOwner

CONTEXT = "https://openactive.io/"
FEEDS = ("facility-uses", "slots", "session-series", "scheduled-sessions", "events")
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
# Organisations' register codes and the instructors' sport codes share most names; these differ.
SPORT_ALIASES = {"martial_arts": "martial_arts", "fitness": "fitness", "equipment": "outdoor_fitness"}


def base() -> str:
    return settings.PUBLIC_URL


def item_id(feed: str, pk: int) -> str:
    return f"{base()}/opendata/{feed}/{pk}"


def _iso(dt: datetime.datetime) -> str:
    """In the platform's zone whatever zone a request activated: an item is the same for every reader."""
    return dt.astimezone(timezone.get_default_timezone()).isoformat(timespec="seconds")


def _duration(start, end) -> str:
    minutes = int((end - start).total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")


def _price(value) -> float:
    return float(Decimal(value).quantize(Decimal("0.01")))


def _offer(at: str, price, name: str, url: str | None = None) -> dict:
    offer = {"@type": "Offer", "@id": at, "name": name, "price": _price(price), "priceCurrency": "CNY"}
    if url:
        offer["url"] = url
    return offer


def _activity(codes) -> dict:
    """`activity` (OpenActive concepts) and, when one of ours applies, `category` (our concepts)."""
    activity, category = vocab.concepts(codes)
    return {"activity": activity, **({"category": category} if category else {})}


def _codes(text: str) -> list[str]:
    return [SPORT_ALIASES.get(c, c) for c in (text or "").split(",") if c]


# --- places ---------------------------------------------------------------------------------


def _regions_of(sites) -> dict[int, list]:
    """Each site's division and its ancestors' names (community, township, county, city), one query
    per level at most."""
    out = {}
    wanted = {s.region_id for s in sites}
    regions = {r.pk: r for r in Region.objects.filter(pk__in=wanted).only("pk", "name", "parent_id", "level")}
    parents = set()
    for _ in range(4):
        parents = {r.parent_id for r in regions.values() if r.parent_id and r.parent_id not in regions}
        if not parents:
            break
        regions.update({r.pk: r for r in Region.objects.filter(pk__in=parents).only("pk", "name", "parent_id", "level")})
    for s in sites:
        chain, r = [], regions.get(s.region_id)
        while r is not None:
            chain.append(r)
            r = regions.get(r.parent_id)
        out[s.pk] = chain
    return out


def _hours(rules) -> list[dict]:
    out = []
    for r in rules:
        if r.weekday > 6:
            continue
        out.append({"@type": "OpeningHoursSpecification", "dayOfWeek": f"https://schema.org/{DAYS[r.weekday]}",
                    "opens": r.opens.strftime("%H:%M"), "closes": r.closes.strftime("%H:%M")})
    return out


def places(site_ids) -> dict[int, dict]:
    """Each site as an OpenActive Place: address with its divisions, geo, opening hours, amenities."""
    sites = list(Site.objects.filter(pk__in=set(site_ids)))
    chains = _regions_of(sites)
    rules = defaultdict(list)
    for r in OpeningRule.objects.filter(site__in=sites, facility=None, kind=OpeningRule.Kind.REGULAR):
        rules[r.site_id].append(r)
    out = {}
    for s in sites:
        chain = chains.get(s.pk, [])
        by_level = {r.level: r.name for r in chain}
        # A text address, as Chinese addresses are written (city, county, township, street): the register
        # has no postal codes, which OpenActive's structured PostalAddress requires.
        parts = [by_level.get(level, "") for level in ("city", "county", "township")]
        address = "".join(parts) + (s.address or s.name)
        features = []
        for flag, name in (("accessible_entrance", "无障碍入口 Step-free entrance"),
                           ("accessible_toilet", "无障碍卫生间 Accessible toilet"),
                           ("accessible_parking", "无障碍停车位 Accessible parking")):
            features.append({"@type": "LocationFeatureSpecification", "name": name, "value": bool(getattr(s, flag))})
        place = {"@type": "Place", "@id": f"{base()}/opendata/places/{s.pk}", "identifier": s.pk, "name": s.name,
                 "url": f"{base()}/sites/{s.pk}/", "address": address,
                 "geo": {"@type": "GeoCoordinates", "latitude": round(s.lat, 6), "longitude": round(s.lon, 6)},
                 "amenityFeature": features}
        hours = _hours(rules.get(s.pk, []))
        if hours:
            place["openingHoursSpecification"] = hours
        out[s.pk] = place
    return out


def _accessibility(site) -> str:
    parts = [label for flag, label in (("accessible_entrance", "无障碍入口"), ("accessible_toilet", "无障碍卫生间"),
                                       ("accessible_parking", "无障碍停车位")) if getattr(site, flag)]
    return "；".join(parts)


def _provider(site) -> dict:
    return {"@type": "Organization", "@id": f"{base()}/opendata/places/{site.pk}#/manager", "name": site.manager or site.name}


def _prices(unit_ids) -> dict[int, Decimal]:
    return dict(WeeklyTemplate.objects.filter(unit_id__in=unit_ids).values("unit_id")
                .annotate(p=Min("price")).values_list("unit_id", "p"))


def _schedules(unit_ids) -> dict[int, list[dict]]:
    """Each session unit's weekly times as OpenActive PartialSchedules (public-holiday times left out)."""
    out = defaultdict(list)
    for t in WeeklyTemplate.objects.filter(unit_id__in=unit_ids, weekday__lt=7).order_by("unit_id", "weekday", "start"):
        out[t.unit_id].append({"@type": "PartialSchedule", "repeatFrequency": "P1W",
                               "byDay": [f"https://schema.org/{DAYS[t.weekday]}"],
                               "startTime": t.start.strftime("%H:%M"), "endTime": t.end.strftime("%H:%M"),
                               "duration": _duration(datetime.datetime.combine(datetime.date.min, t.start),
                                                     datetime.datetime.combine(datetime.date.min, t.end)),
                               "scheduleTimezone": settings.TIME_ZONE})
    return out


def _facility_name(facility) -> str:
    info = facility_types.TYPES.get(facility.type)
    return facility.name or (info.name_zh if info else facility.type)


# --- facility uses and their slots ------------------------------------------------------------


def _public_units(ids, kind):
    return (BookableUnit.objects.filter(pk__in=ids, kind=kind, active=True, site__status=Site.Status.OPEN)
            .select_related("facility", "site"))


def facility_uses(ids) -> dict[int, tuple[str, dict]]:
    units = list(_public_units(ids, BookableUnit.Kind.SLOT))
    place = places(u.site_id for u in units)
    prices = _prices([u.pk for u in units])
    out = {}
    for u in units:
        at = item_id("facility-uses", u.pk)
        data = {"@context": CONTEXT, "@type": "FacilityUse", "@id": at, "identifier": u.pk,
                "name": f"{u.site.name} {_facility_name(u.facility)} {u.name}",
                "url": f"{base()}/booking/sites/{u.site_id}/",
                **_activity(vocab.for_facility_type(u.facility.type)),
                "provider": _provider(u.site), "location": place[u.site_id]}
        kinds = vocab.facility_types(u.facility.type)
        if kinds:
            data["facilityType"] = kinds
        if u.site.description:
            data["description"] = u.site.description
        access = _accessibility(u.site)
        if access:
            data["accessibilityInformation"] = access
        if u.pk in prices:
            data["offers"] = [_offer(f"{at}#/offers/standard", prices[u.pk], "标准价 Standard price")]
        out[u.pk] = ("FacilityUse", data)
    return out


SLOT_FIELDS = ("pk", "unit_id", "start", "end", "capacity", "taken", "price", "benefit", "blocked")


def _public_slots(ids, kind):
    """Rows, not model instances: a stamp builds thousands of these at once."""
    return (Slot.objects.filter(pk__in=ids, unit__kind=kind, unit__active=True, unit__site__status=Site.Status.OPEN)
            .values_list(*SLOT_FIELDS))


def _free(capacity, taken, blocked) -> int:
    return 0 if blocked else max(capacity - taken, 0)


def slots(ids) -> dict[int, tuple[str, dict]]:
    out = {}
    for pk, unit_id, start, end, capacity, taken, price, benefit, blocked in _public_slots(ids, BookableUnit.Kind.SLOT):
        use = item_id("facility-uses", unit_id)
        at = f"{use}/slots/{pk}"
        data = {"@context": CONTEXT, "@type": "Slot", "@id": at, "identifier": pk, "facilityUse": use,
                "startDate": _iso(start), "endDate": _iso(end), "duration": _duration(start, end),
                "remainingUses": _free(capacity, taken, blocked), "maximumUses": capacity,
                "offers": [_offer(f"{at}#/offers/{'benefit' if benefit else 'standard'}", price,
                                  "公益时段 Free or low-fee hours" if benefit else "标准价 Standard price",
                                  f"{base()}/booking/slots/{pk}/")]}
        out[pk] = ("FacilityUse/Slot", data)
    return out


# --- session series (stations' and groups' regular sessions) and their scheduled sessions ---------


def current_owners(unit_ids) -> dict[int, str]:
    """Whose sessions each session unit carries now: "station:<id>" or "activity:<id>"."""
    out = {u: f"station:{s}" for u, s in Station.objects.filter(unit_id__in=unit_ids).values_list("unit_id", "pk")}
    out.update({u: f"activity:{a}" for u, a in GroupActivity.objects.filter(unit_id__in=unit_ids)
                .values_list("unit_id", "pk")})
    return out


def _series_of(units) -> dict[int, tuple]:
    """The session units whose series is public, with (station, group activity) of each (or None): a
    regular time, and a station that is active, a group that is counted (approved and active), or
    neither and never either (a unit whose station or activity was deleted is not the site's own)."""
    unit_ids = [u.pk for u in units]
    stations = {s.unit_id: s for s in Station.objects.filter(unit_id__in=unit_ids)}
    groups = {a.unit_id: a for a in GroupActivity.objects.filter(unit_id__in=unit_ids).select_related("organization")}
    owned = set(SeriesOwner.objects.filter(unit_id__in=unit_ids).values_list("unit_id", flat=True))
    scheduled = set(WeeklyTemplate.objects.filter(unit_id__in=unit_ids, weekday__lt=7).values_list("unit_id", flat=True))
    out = {}
    for u in units:
        station, group = stations.get(u.pk), groups.get(u.pk)
        if u.pk not in scheduled:
            continue  # no regular time (yet): nothing to join
        if station is not None and not station.active:
            continue
        if group is not None and not group.organization.counted:
            continue  # a filing not yet approved, or an inactive group: not public
        if station is None and group is None and u.pk in owned:
            continue
        out[u.pk] = (station, group)
    return out


def session_series(ids) -> dict[int, tuple[str, dict]]:
    units = list(_public_units(ids, BookableUnit.Kind.SESSION))
    public = _series_of(units)
    units = [u for u in units if u.pk in public]
    unit_ids = [u.pk for u in units]
    place = places(u.site_id for u in units)
    prices = _prices(unit_ids)
    schedules = _schedules(unit_ids)
    out = {}
    for u in units:
        at = item_id("session-series", u.pk)
        station, group = public[u.pk]
        if station is not None:
            name, codes = station.name, _codes(station.sports)
            organizer = {"@type": "Organization", "@id": f"{base()}/instructors/stations/{station.pk}/", "name": station.name}
            url = f"{base()}/instructors/stations/{station.pk}/"
        elif group is not None:
            org = group.organization
            name, codes = f"{org.name} {group.title}", _codes(org.sports)
            organizer = {"@type": "Organization", "@id": f"{base()}/groups/{org.pk}/", "name": org.name,
                         "url": f"{base()}/groups/{org.pk}/"}
            url = f"{base()}/groups/{org.pk}/"
        else:
            name, codes = f"{u.site.name} {u.name}", vocab.for_facility_type(u.facility.type)
            organizer = _provider(u.site)
            url = f"{base()}/booking/sites/{u.site_id}/"
        data = {"@context": CONTEXT, "@type": "SessionSeries", "@id": at, "identifier": u.pk, "name": name,
                "url": url, **_activity(codes or vocab.for_facility_type(u.facility.type)),
                "organizer": organizer, "location": place[u.site_id], "eventSchedule": schedules[u.pk],
                "offers": [_offer(f"{at}#/offers/standard", prices.get(u.pk, 0), "标准价 Standard price")]}
        access = _accessibility(u.site)
        if access:
            data["accessibilityInformation"] = access
        out[u.pk] = ("SessionSeries", data)
    return out


def scheduled_sessions(ids) -> dict[int, tuple[str, dict]]:
    """Each session of a public series (a deleted series' sessions are deleted with it)."""
    rows = list(_public_slots(ids, BookableUnit.Kind.SESSION))
    public = _series_of(list(BookableUnit.objects.filter(pk__in={r[1] for r in rows}).only("pk")))
    out = {}
    for pk, unit_id, start, end, capacity, taken, price, benefit, blocked in rows:
        if unit_id not in public:
            continue
        series = item_id("session-series", unit_id)
        at = f"{series}/sessions/{pk}"
        data = {"@context": CONTEXT, "@type": "ScheduledSession", "@id": at, "identifier": pk, "superEvent": series,
                "startDate": _iso(start), "endDate": _iso(end), "duration": _duration(start, end),
                "eventStatus": "https://schema.org/EventCancelled" if blocked else "https://schema.org/EventScheduled",
                "maximumAttendeeCapacity": capacity, "remainingAttendeeCapacity": _free(capacity, taken, blocked),
                "url": f"{base()}/booking/slots/{pk}/",
                "offers": [_offer(f"{at}#/offers/{'benefit' if benefit else 'standard'}", price,
                                  "公益时段 Free or low-fee hours" if benefit else "标准价 Standard price")]}
        out[pk] = ("ScheduledSession", data)
    return out


# --- games and events ---------------------------------------------------------------------------

GENDER = {"male": "https://openactive.io/MaleOnly", "female": "https://openactive.io/FemaleOnly"}


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))


def events(ids) -> dict[int, tuple[str, dict]]:
    games = list(Games.objects.filter(pk__in=ids, status__in=[Games.Status.PUBLISHED, Games.Status.CANCELLED])
                 .select_related("region", "organization"))
    comps = defaultdict(list)
    for c in Competition.objects.filter(games__in=games).order_by("starts_at", "pk"):
        comps[c.games_id].append(c)
    place = places({c.site_id for cs in comps.values() for c in cs if c.site_id})
    out = {}
    for g in games:
        at = item_id("events", g.pk)
        cs = comps.get(g.pk, [])
        if not cs and not g.first_day:
            continue  # nothing dated to publish yet
        where = next((place[c.site_id] for c in cs if c.site_id in place), None) or {
            "@type": "Place", "name": g.region.name, "address": g.region.name}
        organizer = ({"@type": "Organization", "@id": f"{base()}/groups/{g.organization_id}/", "name": g.organization.name}
                     if g.organization else {"@type": "Organization", "@id": f"{at}#/organizer", "name": g.organizer})
        status = "https://schema.org/EventCancelled" if g.status == Games.Status.CANCELLED else "https://schema.org/EventScheduled"
        activity = _activity([c.sport for c in cs] or ["fitness"])
        first = cs[0].starts_at if cs else _day_start(g.first_day)
        last = max(c.ends_at for c in cs) if cs else _day_start(g.last_day or g.first_day)
        sub = []
        for c in cs:
            one = {"@type": "Event", "@id": f"{at}/competitions/{c.pk}", "identifier": c.pk, "name": c.name,
                   "url": f"{base()}/events/competitions/{c.pk}/", "startDate": _iso(c.starts_at),
                   "endDate": _iso(c.ends_at), "duration": _duration(c.starts_at, c.ends_at), "eventStatus": status,
                   "location": place.get(c.site_id, where), **_activity([c.sport]),
                   "organizer": organizer, "maximumAttendeeCapacity": c.capacity,
                   "remainingAttendeeCapacity": max(c.capacity - c.taken, 0),
                   "offers": [_offer(f"{at}/competitions/{c.pk}#/offers/entry", 0, "免费报名 Free entry")]}
            if c.min_age is not None or c.max_age is not None:
                one["ageRange"] = {"@type": "QuantitativeValue", **({"minValue": c.min_age} if c.min_age is not None else {}),
                                   **({"maxValue": c.max_age} if c.max_age is not None else {})}
            if c.sex in GENDER:
                one["genderRestriction"] = GENDER[c.sex]
            sub.append(one)
        kind = "HeadlineEvent" if g.kind == Games.Kind.GAMES else "Event"
        data = {"@context": CONTEXT, "@type": kind, "@id": at, "identifier": g.pk, "name": g.name,
                "url": f"{base()}/events/{g.pk}/", "startDate": _iso(first), "endDate": _iso(last),
                "duration": _duration(first, last), "eventStatus": status,
                "location": where, **activity, "organizer": organizer}
        if g.description:
            data["description"] = g.description
        if kind == "Event":
            data["offers"] = [_offer(f"{at}#/offers/entry", 0, "免费参加 Free")]
        if sub:
            data["subEvent"] = sub
        out[g.pk] = (kind, data)
    return out


BUILDERS = {"facility-uses": facility_uses, "slots": slots, "session-series": session_series,
            "scheduled-sessions": scheduled_sessions, "events": events}
