"""Results, rankings, medal and points tables, participation figures and awards.

Judges (Role.JUDGE bound to a competition, or to its games) and staff of the games' division enter results; a
changed result keeps what it was, who changed it and why (Correction). In an online event the
entrants submit their own result with evidence and staff review it; only accepted results rank.
Placings, medals and points of a round are recomputed from the values whenever one changes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.accounts.models import Role
from quanmin.regions import codes

from .errors import fail, invalid
from .models import Award, Competition, Correction, Delegation, Entry, Games, Result, TeamMember

POINTS = (9, 7, 6, 5, 4, 3, 2, 1)  # points for placings 1-8, as city games count them
MEDALS = {1: "gold", 2: "silver", 3: "bronze"}
AGE_BANDS = ((0, 17, "0–17"), (18, 39, "18–39"), (40, 59, "40–59"), (60, 200, "60+"))
# An online result's evidence file: a photo, a PDF or a sports watch's or app's export.
EVIDENCE_TYPES = {".jpg", ".jpeg", ".png", ".webp", ".pdf", ".csv", ".xlsx", ".gpx", ".tcx", ".fit"}
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def may_judge(user, competition: Competition) -> bool:
    """A judge of the competition or of its whole games (chief judge), or staff of its division."""
    return competition.pk in scoping.targets(user, {Role.JUDGE}, "events.Competition") or \
        competition.games_id in scoping.targets(user, {Role.JUDGE}, "events.Games") or \
        scoping.can_write_region(user, competition.games.region_id)


def _value(raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise invalid(_("A result is a number."), "value") from None
    if not value.is_finite() or value < 0 or value >= Decimal("1e9"):
        raise invalid(_("A result is a number from 0 to 999,999,999."), "value")
    return value.quantize(Decimal("0.001"))


def _entry_of(competition: Competition, bib_or_id) -> Entry:
    lookup = Q(bib=str(bib_or_id).strip().upper())
    if str(bib_or_id).isdigit():
        lookup |= Q(pk=int(bib_or_id))
    entry = Entry.objects.filter(lookup, competition=competition, status=Entry.Status.CONFIRMED).first()
    if entry is None:
        raise fail("not_entered", status=400)
    return entry


def record_result(user, competition: Competition, entry_ref, *, value=None, status: str = "ok",
                  round: str = "final", heat: int = 1, reason: str = "", ranking: bool = True, request=None) -> Result:
    """Enter or correct a result; a correction needs a reason and is kept in the trail."""
    if not may_judge(user, competition):
        raise PermissionDenied
    if round not in Result.Round.values or status not in Result.Status.values or not 1 <= int(heat) <= 999:
        raise invalid(_("Choose one of the options."), "round")
    value = _value(value)
    if status == Result.Status.OK and value is None:
        raise fail("result_value", status=400)
    entry = _entry_of(competition, entry_ref)
    with transaction.atomic():
        result = Result.objects.select_for_update().filter(entry=entry, round=round, heat=heat).first()
        if result is None:
            result = Result.objects.create(entry=entry, competition=competition, round=round, heat=heat, value=value,
                                           status=status, recorded_by=user)
        elif (result.value, result.status) != (value, status):
            if not reason.strip():
                raise fail("reason_required", status=400)
            Correction.objects.create(result=result, old_value=result.value, new_value=value, old_status=result.status,
                                      new_status=status, reason=reason.strip()[:200], by=user)
            result.value, result.status, result.recorded_by = value, status, user
            result.review = Result.Review.ACCEPTED
            result.save(update_fields=["value", "status", "recorded_by", "review", "recorded_at"])
        if ranking:
            rerank(competition, round)
    audit.record("record_result", request=request, actor=user, obj=result,
                 detail={"value": str(value), "status": status, "reason": reason})
    result.refresh_from_db()
    return result


def rerank(competition: Competition, round: str) -> None:
    """Placings of one round from the accepted results (ties share a placing); medals and points
    in the final. Only rows whose placing changed are written, in one executemany."""
    rows = list(Result.objects.filter(competition=competition, round=round).order_by("pk")
                .values_list("pk", "value", "status", "review", "rank", "points", "medal"))
    ranked = [r for r in rows if r[2] == Result.Status.OK and r[3] == Result.Review.ACCEPTED and r[1] is not None]
    ranked.sort(key=lambda r: r[1] if competition.lower_wins else -r[1])
    final = round == Result.Round.FINAL
    wanted = {pk: (None, 0, "") for pk, *_rest in rows}
    placing, previous = 0, None
    for i, r in enumerate(ranked, start=1):
        if r[1] != previous:
            placing, previous = i, r[1]
        wanted[r[0]] = (placing, POINTS[placing - 1] if final and placing <= len(POINTS) else 0,
                        MEDALS.get(placing, "") if final else "")
    changed = [(*wanted[pk], pk) for pk, _v, _s, _r, *now in rows if tuple(now) != wanted[pk]]
    if changed:
        q = connection.ops.quote_name
        sql = (f"UPDATE {q(Result._meta.db_table)} SET {q('rank')} = %s, {q('points')} = %s, {q('medal')} = %s "
               f"WHERE {q('id')} = %s")
        with connection.cursor() as cursor:
            cursor.executemany(sql, changed)


def submit_result(user, entry: Entry, *, value, evidence_url: str = "", evidence=None, request=None) -> Result:
    """An entrant's own result in an online event, with a photo, video link or device export."""
    if entry.user_id != user.pk:
        raise fail("not_found")
    if entry.status != Entry.Status.CONFIRMED:
        raise fail("not_entered", status=409)
    competition = entry.competition
    if competition.games.mode == Games.Mode.OFFLINE:
        raise fail("not_online")
    value = _value(value)
    if value is None:
        raise fail("result_value", status=400)
    evidence_url = evidence_url.strip()
    if not evidence_url and evidence is None:
        raise invalid(_("Add a photo, a video link or the device's export as evidence."), "evidence")
    if evidence_url and not (evidence_url.lower().startswith(("https://", "http://")) and len(evidence_url) <= 200):
        # Shown to staff as a link: a javascript: or data: address would run in their session.
        raise invalid(_("Give the link as a web address (http:// or https://), at most 200 characters."),
                      "evidence_url")
    if evidence is not None:
        if Path(evidence.name or "").suffix.lower() not in EVIDENCE_TYPES:
            raise invalid(_("Upload a photo (JPG, PNG, WebP), a PDF or the device's export (CSV, Excel, GPX, TCX, FIT)."),
                          "evidence", status=415)
        if not evidence.size or evidence.size > MAX_EVIDENCE_BYTES:
            raise invalid(_("The file must hold something and be at most 10 MB."), "evidence", status=413)
    with transaction.atomic():
        result, _created = Result.objects.update_or_create(
            entry=entry, round=Result.Round.FINAL, heat=1,
            defaults={"competition": competition, "value": value, "status": Result.Status.OK,
                      "review": Result.Review.SUBMITTED, "evidence_url": evidence_url, "recorded_by": user})
        if evidence is not None:
            result.evidence.save(evidence.name, evidence, save=True)
        rerank(competition, Result.Round.FINAL)
    audit.record("submit_result", request=request, actor=user, obj=result)
    return result


def review_result(user, result: Result, *, accept: bool, reason: str = "", request=None) -> Result:
    if not may_judge(user, result.competition):
        raise PermissionDenied
    with transaction.atomic():
        result = Result.objects.select_for_update().get(pk=result.pk)
        if result.review != Result.Review.SUBMITTED:
            raise fail("not_submitted")
        result.review = Result.Review.ACCEPTED if accept else Result.Review.REJECTED
        result.save(update_fields=["review"])
        rerank(result.competition, result.round)
    audit.record("review_result", request=request, actor=user, obj=result, detail={"accept": accept, "reason": reason})
    return result


# --- tables and figures ----------------------------------------------------------------------------

@dataclass
class MedalRow:
    delegation_id: int
    name: str
    gold: int = 0
    silver: int = 0
    bronze: int = 0
    points: int = 0

    @property
    def total(self) -> int:
        return self.gold + self.silver + self.bronze


def medal_table(games: Games) -> list[MedalRow]:
    """Medals and points per delegation (two queries), gold first, then silver, bronze, points."""
    rows = {d.pk: MedalRow(d.pk, d.name) for d in Delegation.objects.filter(games=games).only("pk", "name")}
    found = (Result.objects.filter(competition__games=games, round=Result.Round.FINAL, entry__delegation__isnull=False)
             .filter(Q(points__gt=0) | ~Q(medal=""))
             .values("entry__delegation_id", "medal").annotate(n=Count("pk"), p=Sum("points")))
    for row in found:
        target = rows.get(row["entry__delegation_id"])
        if target is None:
            continue
        if row["medal"]:
            setattr(target, row["medal"], getattr(target, row["medal"]) + row["n"])
        target.points += row["p"] or 0
    return sorted(rows.values(), key=lambda r: (-r.gold, -r.silver, -r.bronze, -r.points, r.name))


@dataclass
class Participation:
    participants: int = 0
    person_times: int = 0
    by_county: dict = field(default_factory=lambda: defaultdict(int))
    by_sex: dict = field(default_factory=lambda: defaultdict(int))
    by_age: dict = field(default_factory=lambda: defaultdict(int))


def age_band(age: int | None) -> str:
    if age is None:
        return "?"
    return next((label for low, high, label in AGE_BANDS if low <= age <= high), "?")


def participation(games: Games) -> Participation:
    """Participants (distinct people) and person-times (an athlete in a competition) by county,
    sex and age band: individual entries and team members, grouped in the database (three queries)."""
    out = Participation()
    year = games.year
    entered = Entry.objects.filter(games=games, status=Entry.Status.CONFIRMED)
    groups = list(entered.filter(athletes=1).values("region_code", "sex", "birth_year")
                  .annotate(n=Count("pk")))
    groups += list(TeamMember.objects.filter(entry__games=games, entry__status=Entry.Status.CONFIRMED)
                   .values("region_code", "sex", "birth_year").annotate(n=Count("pk")))
    for g in groups:
        n = g["n"]
        out.person_times += n
        county = codes.ancestor_at(g["region_code"], "county") if codes.is_code(g["region_code"] or "") and \
            codes.level(g["region_code"]) != "city" else ""
        out.by_county[county] += n
        out.by_sex[g["sex"] or "?"] += n
        out.by_age[age_band(year - g["birth_year"] if g["birth_year"] else None)] += n
    people = entered.values("user_id").distinct().count()
    members = TeamMember.objects.filter(entry__games=games, entry__status=Entry.Status.CONFIRMED).exclude(
        user_id__in=entered.values("user_id")).values("user_id").distinct().count()
    out.participants = people + members
    out.by_county, out.by_sex, out.by_age = dict(out.by_county), dict(out.by_sex), dict(out.by_age)
    return out


# --- awards ----------------------------------------------------------------------------------------

def issue_awards(user, games: Games, *, request=None) -> dict:
    """A reward card for every athlete who took part (once per games) and a certificate for every
    placing in a final's top eight; running it again issues only what is new."""
    if not scoping.can_write_region(user, games.region_id):
        raise PermissionDenied
    entered = Entry.objects.filter(games=games, status=Entry.Status.CONFIRMED)
    athletes = set(entered.values_list("user_id", flat=True)) | set(
        TeamMember.objects.filter(entry__games=games, entry__status=Entry.Status.CONFIRMED).values_list("user_id", flat=True))
    have = set(Award.objects.filter(games=games, kind=Award.Kind.CARD).values_list("user_id", flat=True))
    title = _("%(games)s · reward card") % {"games": games.name}
    cards = [Award(games=games, user_id=u, kind=Award.Kind.CARD, title=title) for u in sorted(athletes - have)]
    certified = set(Award.objects.filter(games=games, kind=Award.Kind.CERTIFICATE).values_list("result_id", flat=True))
    certificates = []
    for r in Result.objects.filter(competition__games=games, round=Result.Round.FINAL, rank__isnull=False,
                                   rank__lte=len(POINTS)).select_related("competition", "entry").exclude(pk__in=certified):
        certificates.append(Award(games=games, user_id=r.entry.user_id, kind=Award.Kind.CERTIFICATE, result=r,
                                  title=_("%(competition)s · placing %(rank)s") % {"competition": r.competition.name,
                                                                                  "rank": r.rank}))
    try:
        with transaction.atomic():
            Award.objects.bulk_create(cards + certificates, batch_size=1000)
    except IntegrityError:  # a concurrent run issued some of them: issue the rest on the next run
        return {"cards": 0, "certificates": 0}
    audit.record("issue_awards", request=request, actor=user, obj=games,
                 detail={"cards": len(cards), "certificates": len(certificates)})
    return {"cards": len(cards), "certificates": len(certificates), "at": timezone.now().isoformat()}
