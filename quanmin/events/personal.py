"""A person's entries, results and awards: their export (PIPL art. 45) and erasure (art. 47).

quanmin.web.personal_data calls these; `COVERS` names each reference to a person held here and what
the erasure does with it (tests/web/test_personal_data.py walks the models against it).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from . import selectors
from .errors import EventError
from .models import OPEN, Alert, Award, Entry, Notice
from .services_entries import withdraw

# reference to the person: (where the export lists it, what the erasure does: delete | unlink | keep)
COVERS = {
    # Entries not yet started are withdrawn (the place goes to the waiting list). Results of games
    # held stay in the records (placings, medals, the participation figures by sex and age), the
    # account behind them anonymous.
    "events.Entry.user": ("entries", "keep"),
    "events.TeamMember.user": ("entries", "keep"),
    "events.Award.user": ("awards", "delete"),
    "events.Alert.user": ("event_alerts", "delete"),
    "events.Notice.user": ("event_notices", "delete"),
}


def _iso(value):
    return value.isoformat() if value else None


def export_person(user) -> dict:
    entries = (selectors.entries_of(user).select_related("competition", "games", "delegation").prefetch_related("results")
               .order_by("created_at", "pk"))
    return {
        "entries": [
            {"games": e.games.name, "competition": e.competition.name, "starts_at": _iso(e.competition.starts_at),
             "entered_by_me": e.user_id == user.pk, "team": e.team_name,
             "delegation": e.delegation.name if e.delegation else None, "status": e.status, "bib": e.bib,
             "entered_at": _iso(e.created_at), "withdrawn_at": _iso(e.withdrawn_at),
             "results": [{"round": r.round, "heat": r.heat, "result": str(r.value) if r.value is not None else None,
                          "status": r.status, "placing": r.rank, "points": r.points, "medal": r.medal}
                         for r in e.results.all()]}
            for e in entries
        ],
        "awards": [
            {"games": a.games.name, "kind": a.kind, "title": a.title, "code": a.code, "issued_at": _iso(a.issued_at)}
            for a in Award.objects.filter(user=user).select_related("games").order_by("issued_at")
        ],
        "event_alerts": [
            {"sport": a.sport or None, "area": a.region.name, "made_at": _iso(a.created_at)}
            for a in Alert.objects.filter(user=user).select_related("region").order_by("pk")
        ],
        "event_notices": [
            {"games": n.games.name, "told_at": _iso(n.at)}
            for n in Notice.objects.filter(user=user).select_related("games").order_by("at", "pk")
        ],
    }


def erase_person(user) -> None:
    now = timezone.now()
    with transaction.atomic():
        for entry in Entry.objects.filter(user=user, status__in=OPEN, competition__starts_at__gt=now):
            try:
                withdraw(user, entry, now=now)
            except EventError:  # closed meanwhile: it stays as it is, anonymous
                pass
        Award.objects.filter(user=user).delete()
        Alert.objects.filter(user=user).delete()
        Notice.objects.filter(user=user).delete()
