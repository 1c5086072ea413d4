"""The platform's reach over the communities (社区运动家覆盖率, F09): a community counts when, in the
365 days up to the date, an online booking there was kept, an instructor's service there was
confirmed, or a published games held a competition at a venue there; against a hand count."""

import datetime

from django.utils import timezone

from quanmin.booking import services as bs
from quanmin.core import indicators
from quanmin.events.models import Competition, Games
from quanmin.facilities import services as fs
from quanmin.people.models import DutyLog, Instructor
from tests.conftest import region


def competition(where, status, starts_at):
    site = fs.create_site({"name": f"{where.name}体育场", "lon": 115.98, "lat": 36.45, "region": where})
    games = Games.objects.create(name=f"{where.name}运动会", level="community", region=where, year=starts_at.year,
                                 organizer="体育局", status=status)
    Competition.objects.create(games=games, sport="athletics", name="田径", starts_at=starts_at,
                               ends_at=starts_at + datetime.timedelta(hours=3), closes_at=starts_at, site=site)


def service(where, status, started_at):
    instructor = Instructor.objects.create(real_name="指导员", id_number_hash=f"{where.code}{status}",
                                           id_number_enc="", region=where, status="active")
    DutyLog.objects.create(instructor=instructor, region=where, status=status, started_at=started_at,
                           ended_at=started_at + datetime.timedelta(hours=1), hours=1, activity="健身操")


def test_communities_reached_by_bookings_services_and_games(world):
    # 东关社区: the resident's online booking, confirmed (the world's); the other county's is cancelled.
    bs.cancel(world.other_booking, by=world.users["other_resident"])
    as_of = timezone.localdate(world.slot.start) + datetime.timedelta(days=1)
    when = world.slot.start
    guided, idle, held = (region(f"37150200100{n}", name, "community", world.township, 5000)
                          for n, name in ((2, "西关社区"), (3, "南关社区"), (4, "北关社区")))
    service(guided, DutyLog.Status.CONFIRMED, when)
    competition(held, Games.Status.PUBLISHED, when)
    # 南关社区: a service not confirmed, a draft games, a confirmed service from before the year.
    service(idle, DutyLog.Status.PENDING, when)
    competition(idle, Games.Status.DRAFT, when)
    service(idle, DutyLog.Status.CONFIRMED, when - datetime.timedelta(days=400))
    wanted = [world.city.code, world.county.code, world.other_county.code, world.township.code]
    assert indicators.compute("platform_community_coverage", wanted, as_of) == {
        world.city.code: 60, world.county.code: 75, world.township.code: 75, world.other_county.code: 0}
    # A year and a half later none of it is within the year.
    later = as_of + datetime.timedelta(days=550)
    assert set(indicators.compute("platform_community_coverage", wanted, later).values()) == {0}
