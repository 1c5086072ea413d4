"""The demo resident's year of exercise, for her record (个人运动健康电子档案, /me/record/).

赵丽 (13900000001) already has her physique tests, a prescription, an exercise standard certificate and a
sport–medicine referral (demo steps physique and sportmed); booking's history covers only the last three
weeks and anyone's share of it is left to chance. This step gives her a believable year beside them:
evenings at a court or pool of her county about twice a month, a guided morning session at a station now
and then, a sports group she joined in spring, and last year's city games she entered and finished. It
runs before the points step, which credits her for them as for everyone. It adds nothing twice.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import User
from quanmin.booking.models import BookableUnit, Booking, Slot
from quanmin.events import services_results
from quanmin.events.models import Competition, Entry, Result, new_code
from quanmin.organizations.models import GroupMembership, Organization
from quanmin.regions import codes
from quanmin.regions.models import Region

RESIDENT_PHONE = "13900000001"
FIRST_DAYS_AGO, LAST_DAYS_AGO = 360, 25  # booking's own history covers the last three weeks


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _used(user: User, unit: BookableUnit, start: datetime.datetime, rng: random.Random, minutes: int = 60) -> Booking:
    """A slot of her own on the unit (made by hand, as a past session would have been) and her booking of it,
    checked in at the door."""
    template = unit.templates.order_by("pk").first()
    capacity, price = (template.capacity, template.price) if template else (1, 0)
    slot, _made = Slot.objects.get_or_create(unit=unit, start=start, defaults={
        "end": start + datetime.timedelta(minutes=minutes), "capacity": capacity, "taken": 0, "price": price,
        "manual": True})
    Slot.objects.filter(pk=slot.pk).update(taken=min(slot.taken + 1, slot.capacity))
    confirmed = start - datetime.timedelta(hours=rng.randint(3, 48))
    booking = Booking.objects.create(slot=slot, user=user, status=Booking.Status.CHECKED_IN, places=1, price=price,
                                     price_basis="standard", confirmed_at=confirmed,
                                     checked_in_at=start - datetime.timedelta(minutes=rng.randint(0, 15)))
    Booking.objects.filter(pk=booking.pk).update(created_at=confirmed)  # booked then, not when the demo ran
    return booking


def _visits(user: User, county: str, rng: random.Random, today: datetime.date) -> int:
    """About two evenings a month at one of two or three courts or pools of her county."""
    units = list(BookableUnit.objects.filter(region__code__within=codes.prefix(county), active=True,
                                             guidance_station__isnull=True, site__owner_kind__in=["government", "community"])
                 .order_by("pk")[:40]) or list(BookableUnit.objects.filter(region__code__within=codes.prefix(county))
                                                .order_by("pk")[:40])
    if not units:
        return 0
    favourites = rng.sample(units, min(3, len(units)))
    made = 0
    for days_ago in range(LAST_DAYS_AGO, FIRST_DAYS_AGO, 14):
        day = today - datetime.timedelta(days=days_ago + rng.randint(0, 3))
        _used(user, rng.choice(favourites), _at(day, rng.choice((18, 19, 20))), rng)
        made += 1
    return made


def _guided(user: User, county: str, rng: random.Random, today: datetime.date) -> int:
    """A guided morning session at a station of her county now and then (tai chi, square dance)."""
    unit = (BookableUnit.objects.filter(guidance_station__region__code__within=codes.prefix(county))
            .select_related("guidance_station").order_by("pk").first())
    if unit is None:
        return 0
    start = unit.guidance_station.times.rsplit(" ", 1)[-1].split("-")[0] if unit.guidance_station.times else "7:00"
    hour, minute = (int(part) for part in start.split(":")) if ":" in start else (7, 0)
    days = sorted(rng.sample(range(LAST_DAYS_AGO, 200), 8), reverse=True)
    for days_ago in days:
        _used(user, unit, _at(today - datetime.timedelta(days=days_ago), hour, minute), rng)
    return len(days)


def _group(user: User, county: str, rng: random.Random, today: datetime.date) -> int:
    """She joined a community sports group near home in spring."""
    if GroupMembership.objects.filter(user=user, status=GroupMembership.Status.ACTIVE).exists():
        return 0
    near = (Organization.objects.filter(kind__in=[Organization.Kind.COMMUNITY_GROUP, Organization.Kind.FITNESS_POINT],
                                        region__code__within=codes.prefix(county), join_policy=Organization.JoinPolicy.OPEN,
                                        active=True).order_by("pk"))
    group = near.filter(region__code__within=codes.prefix(codes.ancestor_at(user.home_region_id, "township"))).first() \
        or near.first()
    if group is None or (group.member_cap is not None and group.member_count >= group.member_cap):
        return 0
    joined = _at(today - datetime.timedelta(days=rng.randint(200, 260)), 20)
    membership = GroupMembership.objects.create(organization=group, user=user, status=GroupMembership.Status.ACTIVE,
                                                decided_at=joined)
    GroupMembership.objects.filter(pk=membership.pk).update(requested_at=joined)
    Organization.objects.filter(pk=group.pk).update(member_count=group.member_count + 1)
    return 1


def _games(user: User, city: Region, rng: random.Random) -> int:
    """An individual race of a games already held that she entered and finished, when she has none."""
    now = timezone.now()
    if Entry.objects.filter(user=user, status=Entry.Status.CONFIRMED, competition__starts_at__lt=now).exists():
        return 0
    race = (Competition.objects.filter(games__region__code__within=city.prefix, starts_at__lt=now, format="individual",
                                       sex__in=[Competition.Sex.ANY, Competition.Sex.MIXED, user.sex],
                                       measure="time")
            .exclude(entry_set__user=user).order_by("-starts_at", "pk").first())
    if race is None:
        return 0
    entry = Entry.objects.create(competition=race, games_id=race.games_id, user=user, status=Entry.Status.CONFIRMED,
                                 sex=user.sex, birth_year=user.birth_date.year if user.birth_date else None,
                                 region_code=user.home_region_id or "", bib=new_code(),
                                 decided_at=race.closes_at)
    Entry.objects.filter(pk=entry.pk).update(created_at=race.closes_at - datetime.timedelta(days=rng.randint(3, 20)))
    Competition.objects.filter(pk=race.pk).update(taken=race.taken + 1)
    best = Result.objects.filter(competition=race, round=Result.Round.FINAL).order_by("value").values_list(
        "value", flat=True).first()
    value = best * Decimal("1.03") if best is not None else Decimal("58")
    Result.objects.create(entry=entry, competition=race, round=Result.Round.FINAL, value=round(value, 2))
    services_results.rerank(race, Result.Round.FINAL)
    return 1


def load(city: Region, rng: random.Random) -> dict:
    user = (User.objects.filter(phone_hash=crypto.lookup_hash(RESIDENT_PHONE)).select_related("home_region").first())
    if user is None or not user.home_region_id:
        return {"record_lines": 0}
    if Booking.objects.filter(user=user, slot__manual=True, status=Booking.Status.CHECKED_IN).exists():
        return {"record_lines": 0}  # loaded already
    today = timezone.localdate()
    county = codes.ancestor_at(user.home_region_id, "county")
    return {"record_visits": _visits(user, county, rng, today), "record_guided": _guided(user, county, rng, today),
            "record_groups": _group(user, county, rng, today), "record_games": _games(user, city, rng)}
