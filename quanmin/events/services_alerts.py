"""Event alerts (A11): residents opt in to hear of new events by sport and area; each newly
published games or event is pushed to them once, in-app (core.notify), by the events tick.

An alert matches a games when its area holds the games' division or lies inside it (a city games
reaches an alert for one community of the city), and when it names no sport or one of the games'
competitions' sports. Only games published after the alert was made are pushed: an alert is for
what is new. `Notice` (unique per games and person) makes "once" hold however often the tick runs.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts.models import User
from quanmin.core.notify import notify
from quanmin.regions import codes
from quanmin.regions.models import Region

from .errors import invalid
from .models import Alert, Competition, Games, Notice, Sport

MAX_ALERTS = 10  # per person
BATCH = 2000  # notices per tick, so that a run stays short; the rest go at the next


def areas(user) -> list[Region]:
    """The areas a person may choose: their home division and those above it (city first), and
    every county of their city; without a home, the cities and their counties."""
    home = getattr(user, "home_region_id", None)
    if home:
        chain = codes.upward(home)
        city = codes.ancestor_at(home, "city") if codes.level(home) != "province" else home
        found = Region.objects.filter(Q(code__in=chain) | Q(parent_id=city, level=Region.Level.COUNTY))
    else:
        found = Region.objects.filter(Q(level=Region.Level.CITY) | Q(parent__level=Region.Level.CITY,
                                                                     level=Region.Level.COUNTY))
    return list(found.exclude(level="province").order_by("code")[:200])


def add_alert(user, *, sport: str, region_code: str) -> Alert:
    if sport and sport not in Sport.values:
        raise invalid(_("Choose a sport from the list."), "sport")
    region = next((r for r in areas(user) if r.code == region_code), None)
    if region is None:
        raise invalid(_("Choose an area from the list."), "region")
    with transaction.atomic():
        mine = Alert.objects.select_for_update().filter(user=user)
        if mine.filter(sport=sport, region=region).exists():
            raise invalid(_("You already have this alert."), "sport")
        if mine.count() >= MAX_ALERTS:
            raise invalid(_("You can keep up to %(n)s alerts.") % {"n": MAX_ALERTS}, "sport")
        try:
            with transaction.atomic():
                alert = Alert.objects.create(user=user, sport=sport, region=region)
        except IntegrityError:
            raise invalid(_("You already have this alert."), "sport") from None
    return alert


def remove_alert(user, alert_id: int) -> bool:
    """Whether the person had that alert (it is gone now)."""
    deleted, _rows = Alert.objects.filter(user=user, pk=alert_id).delete()
    return bool(deleted)


def subscribers(games: Games):
    """The people whose alerts match the games, not told of it yet (a queryset of user ids)."""
    sports = Competition.objects.filter(games=games).values("sport")
    area = Q(region__code__within=codes.prefix(games.region_id)) | Q(region_id__in=codes.upward(games.region_id))
    alerts = Alert.objects.filter(area, Q(sport="") | Q(sport__in=sports), created_at__lte=games.published_at,
                                  user__is_active=True)
    told = Notice.objects.filter(games=games).values("user_id")
    return alerts.exclude(user_id__in=told).values_list("user_id", flat=True).distinct().order_by("user_id")


def message(games: Games) -> tuple[str, str]:
    days = games.first_day.isoformat() if games.first_day else ""
    if games.last_day and games.last_day != games.first_day:
        days = f"{days} – {games.last_day.isoformat()}"
    return (_("New event: %(name)s") % {"name": games.name}, _("%(name)s, %(days)s, %(division)s. See it and enter at /events/%(id)s/.")
            % {"name": games.name, "days": days, "division": games.region.name, "id": games.pk})


def push(games: Games, limit: int = BATCH) -> tuple[int, bool]:
    """Tell the games' subscribers, at most `limit` of them: (told, whether everyone is told)."""
    subject, text = message(games)
    ids = list(subscribers(games)[: limit + 1])
    told = 0
    for user in User.objects.filter(pk__in=ids[:limit]).order_by("pk"):
        with transaction.atomic():
            try:
                with transaction.atomic():
                    Notice.objects.create(games=games, user=user)
            except IntegrityError:
                continue  # told meanwhile by another run
            notify(user, subject, text)
            told += 1
    return told, len(ids) <= limit


def push_due(now: datetime.datetime | None = None, limit: int = BATCH) -> int:
    """The tick's part: every published, not yet finished games whose subscribers have not all been
    told; each marked done once they have. Returns how many people were told."""
    now = now or timezone.now()
    due = Games.objects.filter(status=Games.Status.PUBLISHED, alerted_at__isnull=True, published_at__isnull=False,
                               last_day__gte=timezone.localdate(now)).select_related("region").order_by("published_at", "pk")
    told = 0
    for games in due[:200]:
        if told >= limit:
            break
        n, done = push(games, limit - told)
        told += n
        if done:
            Games.objects.filter(pk=games.pk).update(alerted_at=now)
    return told
