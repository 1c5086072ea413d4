"""The points ledger: rules, crediting facts since a watermark, reversal, expiry, spending.

Crediting is exact under any number of concurrent runs:

- each kind of fact has a `Watermark` row; a run locks it (SELECT … FOR UPDATE on PostgreSQL; on
  SQLite the IMMEDIATE transaction already excludes other writers), so two workers reading the same
  facts take turns, and the second finds the first one's ledger lines;
- every fact is written under a unique source key, checked before writing and enforced by the
  database, so re-reading facts (each run re-reads a margin before its watermark, for transactions
  that committed late) credits nothing;
- caps are counted from the ledger itself, under the same lock;
- balances change by relative upserts (`balance = balance + n`, core.bulk.add_counts) in the same
  transaction as the lines, so the ledger's sum is every balance.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BigIntegerField, Case, CharField, Count, Exists, F, Max, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Cast, Concat, ExtractYear, Floor, Round, Substr, TruncDate
from django.utils import timezone

from quanmin.accounts import audit
from quanmin.core import bulk
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import facts
from .errors import fail
from .models import Fact, PointsAccount, PointsEntry, PointsRule, Watermark

# Facts committed late (a long transaction) still carry their own time: each run reads back this far.
OVERLAP = datetime.timedelta(minutes=15)


# --- rules ---------------------------------------------------------------------------------------

def _whole(value, code: str, *, allow_none: bool) -> int | None:
    if value in (None, "") and allow_none:
        return None
    try:
        number = Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        raise fail(code, status=400) from None
    if number != number.to_integral_value() or number < 0 or number > 10**9:
        raise fail(code, status=400)
    return int(number)


def save_rule(city: Region, data: dict, *, by=None, request=None) -> PointsRule:
    """Create or change the city's rule for one fact. A negative or fractional cap, zero points or
    an unknown fact is refused and nothing is written."""
    if city.level != "city":
        raise fail("not_a_city", status=400)
    fact = str(data.get("fact", ""))
    if fact not in Fact.values:
        raise fail("fact_unknown", status=400)
    points = _whole(data.get("points"), "points_positive", allow_none=False)
    if not points:
        raise fail("points_positive", status=400)
    daily = _whole(data.get("daily_cap"), "cap_negative", allow_none=True)
    yearly = _whole(data.get("yearly_cap"), "cap_negative", allow_none=True)
    starts_on = _day(data.get("starts_on"))
    active = data.get("active", True) not in (False, "false", "0", "", "off")
    values = {"points": points, "daily_cap": daily, "yearly_cap": yearly, "active": active}
    if starts_on is not None:
        values["starts_on"] = starts_on
    with transaction.atomic():
        rule, _created = PointsRule.objects.update_or_create(city=city, fact=fact, defaults=values)
        # A rule that rewards facts from before the crediting runs reached has them read again (each
        # is still credited once, by its key).
        start = _start_of(rule.starts_on)
        Watermark.objects.filter(key__in=[s.key for s in facts.SOURCES if s.fact == fact], at__gt=start).update(at=start)
    audit.record("points_rule", request=request, actor=by, obj=rule,
                 detail={"fact": fact, "points": points, "daily_cap": daily, "yearly_cap": yearly, "active": active,
                         "starts_on": rule.starts_on.isoformat()})
    return rule


def _day(value) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise fail("starts_on_invalid", status=400) from None


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- crediting -----------------------------------------------------------------------------------

def expiry_for(day: datetime.date) -> datetime.date:
    """Points earned in a year are good until the end of the next year."""
    return datetime.date(day.year + settings.INCENTIVES_POINTS_YEARS, 12, 31)


def _lock_watermark(key: str) -> Watermark:
    Watermark.objects.get_or_create(key=key)
    return Watermark.objects.select_for_update().get(key=key)


def _existing(keys: list[str]) -> dict[str, tuple]:
    if not keys:
        return {}
    rows = PointsEntry.objects.filter(bulk.any_of("source_key", keys)).values_list(
        "source_key", "user_id", "points", "day", "region_code", "rule_id", "expires_on")
    return {key: rest for key, *rest in rows}


_MOVED = ("balance", "earned", "spent", "expired")  # an account's counts, in the order of _moves' lists


def _moves(lines: list[dict], moves: dict | None = None) -> dict:
    """Each person's balance, earned, spent and expired moved by their lines (added to `moves`)."""
    moves = moves if moves is not None else defaultdict(lambda: [0, 0, 0, 0])
    for line in lines:
        move = moves[line["user_id"]]
        move[0] += line["points"]
        if line["kind"] in (PointsEntry.Kind.CREDIT, PointsEntry.Kind.REVERSAL):
            move[1] += line["points"]
        elif line["kind"] in (PointsEntry.Kind.REDEEM, PointsEntry.Kind.REFUND):
            move[2] -= line["points"]
        else:
            move[3] -= line["points"]
    return moves


def _move_accounts(moves: dict) -> None:
    """The accounts moved by relative upserts (made for people who have none yet), in the caller's transaction."""
    bulk.add_counts(PointsAccount, ["user_id"], {u: tuple(m) for u, m in moves.items()}, counts=_MOVED)


def _write(lines: list[dict]) -> None:
    """The ledger lines and, in the same transaction, each person's balance moved by their sum."""
    if lines:
        bulk.insert_values(PointsEntry, lines)
        _move_accounts(_moves(lines))


# A million facts are credited by three statements per kind of fact, inside the database: reversals
# (INSERT … SELECT of the undone facts' credits), credits (INSERT … SELECT of the facts that stand and
# have no line yet, capped by window sums) and the balances (one INSERT … ON CONFLICT DO UPDATE of
# the run's lines summed per person). The few spellings the two databases do not share:
_SQL = {
    "postgresql": {"least": "LEAST", "greatest": "GREATEST", "year": "EXTRACT(YEAR FROM {})",
                   "year_end": "make_date(CAST({} AS integer) + %s, 12, 31)"},
    "sqlite": {"least": "MIN", "greatest": "MAX", "year": "CAST(strftime('%%Y', {}) AS integer)",
               "year_end": "printf('%%04d-12-31', {} + %s)"},
}
NO_CAP = 10**12  # caps are at most 10**9 (save_rule)
_LINE = ("user_id", "kind", "points", "fact", "source_key", "rule_id", "region_code", "day", "expires_on", "capped",
         "note", "created_at")


def _by_rule(rules: dict[str, PointsRule], attr: str) -> Case:
    """A rule's value (its id, points or a cap) for a fact in the rule's city on or after its first
    day: one WHEN per city with a rule."""
    whens = []
    for city, rule in rules.items():
        value = getattr(rule, attr)
        whens.append(When(f_region__range=codes.subtree_range(city), f_at__gte=_start_of(rule.starts_on),
                          then=Value(NO_CAP if value is None else value)))
    return Case(*whens, default=None, output_field=BigIntegerField())


def _key(prefix: str, column) -> Concat:
    return Concat(Value(prefix), Cast(column, CharField()), output_field=CharField())


def _reverse(source: facts.Source, since, until, now) -> None:
    """Reversal lines for the credits of facts undone since (and of rows deleted, for a source whose
    rows can go): each once, under "undo:" and the credit's key."""
    credits = PointsEntry.objects.filter(fact=source.fact, kind=PointsEntry.Kind.CREDIT).exclude(
        Exists(PointsEntry.objects.filter(source_key=_key("undo:", OuterRef("source_key")))))
    undone = source.undone(since, until)
    which = Q(source_key__in=undone.annotate(f_key=_key(source.prefix, "pk")).values("f_key")) if undone is not None else Q()
    if source.gone_undoes:
        row = Cast(Substr("source_key", len(source.prefix) + 1), BigIntegerField())
        gone = ~Exists(source.model.objects.filter(pk=OuterRef("row")))
        credits = credits.annotate(row=row)
        which = (which | gone) if undone is not None else gone
    if undone is None and not source.gone_undoes:
        return
    lines = credits.filter(which).order_by("pk").values_list(
        "user_id", "points", "source_key", "rule_id", "region_code", "day", "expires_on")
    select, params = lines.query.sql_with_params()
    qn = connection.ops.quote_name
    sql = (f"INSERT INTO {qn(PointsEntry._meta.db_table)} ({', '.join(_LINE)}) "
           f"SELECT c.user_id, %s, -c.points, %s, %s || c.source_key, c.rule_id, c.region_code, c.day, c.expires_on, "
           f"%s, '', %s FROM ({select}) c WHERE TRUE ON CONFLICT (source_key) DO NOTHING")
    with connection.cursor() as cursor:
        cursor.execute(sql, [PointsEntry.Kind.REVERSAL, source.fact, "undo:", False, now, *params])


def _credit(source: facts.Source, rules: dict[str, PointsRule], since, until, now) -> None:
    """Credit lines for the facts that stand and have none yet. Caps are counted per person and day,
    then per year, in the order the facts happened: what a day's facts add up to within the day's
    room left (daily cap less the ledger's lines of that day), then the same per year; each fact gets
    the step its running sum takes (least(room, sum) - least(room, sum before it))."""
    if not rules:
        return  # no rule for this fact anywhere: rules reward what happens while they are set
    tz = timezone.get_current_timezone()
    fresh = (source.standing(since, until)
             .annotate(f_key=_key(source.prefix, "pk"), f_rule=_by_rule(rules, "pk"))
             .filter(f_rule__isnull=False)
             .filter(~Exists(PointsEntry.objects.filter(source_key=OuterRef("f_key"))))
             .annotate(f_day=TruncDate("f_at", tzinfo=tz), f_year=ExtractYear("f_at", tzinfo=tz),
                       f_wanted=Cast(Floor(Round(_by_rule(rules, "points") * F("f_units"), 6)), BigIntegerField()),
                       f_daily=_by_rule(rules, "daily_cap"), f_yearly=_by_rule(rules, "yearly_cap"))
             .order_by().values("f_key", "f_user", "f_at", "f_region", "f_rule", "f_day", "f_year", "f_wanted",
                                "f_daily", "f_yearly"))
    select, params = fresh.query.sql_with_params()
    d = _SQL[connection.vendor]
    least, greatest = d["least"], d["greatest"]
    qn = connection.ops.quote_name
    entries = qn(PointsEntry._meta.db_table)
    counted = "e.fact = %s AND e.kind IN (%s, %s) AND e.user_id IN (SELECT f_user FROM fresh)"
    counted_params = [source.fact, PointsEntry.Kind.CREDIT, PointsEntry.Kind.REVERSAL]
    sql = f"""
    INSERT INTO {entries} ({', '.join(_LINE)})
    WITH fresh AS ({select}),
    prior_day AS (SELECT e.user_id, e.day, SUM(e.points) AS s FROM {entries} e WHERE {counted}
                  GROUP BY e.user_id, e.day),
    prior_year AS (SELECT e.user_id, {d["year"].format("e.day")} AS y, SUM(e.points) AS s FROM {entries} e
                   WHERE {counted} GROUP BY e.user_id, {d["year"].format("e.day")}),
    counted AS (
        SELECT f.*, {greatest}(f.f_daily - COALESCE(pd.s, 0), 0) AS room_day,
               {greatest}(f.f_yearly - COALESCE(py.s, 0), 0) AS room_year,
               SUM(f.f_wanted) OVER (PARTITION BY f.f_user, f.f_day ORDER BY f.f_at, f.f_key
                                     ROWS UNBOUNDED PRECEDING) AS sum_day
        FROM fresh f LEFT JOIN prior_day pd ON pd.user_id = f.f_user AND pd.day = f.f_day
                     LEFT JOIN prior_year py ON py.user_id = f.f_user AND py.y = f.f_year),
    daily AS (SELECT c.*, {greatest}({least}(room_day, sum_day) - {least}(room_day, sum_day - f_wanted), 0) AS by_day
              FROM counted c),
    yearly AS (SELECT d.*, SUM(by_day) OVER (PARTITION BY f_user, f_year ORDER BY f_at, f_key
                                             ROWS UNBOUNDED PRECEDING) AS sum_year FROM daily d),
    awarded AS (SELECT y.*, {greatest}({least}(room_year, sum_year) - {least}(room_year, sum_year - by_day), 0) AS points
                FROM yearly y)
    SELECT f_user, %s, points, %s, f_key, f_rule, f_region, f_day, {d["year_end"].format("f_year")}, points < f_wanted,
           '', %s
    FROM awarded WHERE TRUE
    ORDER BY f_key  -- in the order of the unique index: each line lands beside the one before
    ON CONFLICT (source_key) DO NOTHING"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *counted_params, *counted_params, PointsEntry.Kind.CREDIT, source.fact,
                             settings.INCENTIVES_POINTS_YEARS, now])


def _move_balances(fact: str, after: int) -> None:
    """Every person's account moved by the sum of this run's lines (those past `after`), in one statement."""
    run = (PointsEntry.objects.filter(pk__gt=after, fact=fact, kind__in=[PointsEntry.Kind.CREDIT, PointsEntry.Kind.REVERSAL])
           .order_by().values_list("user_id").annotate(balance=Sum("points"), earned=Sum("points")).exclude(balance=0))
    bulk.add_counts(PointsAccount, ["user_id"], run, counts=_MOVED[:2])


def credit_source(source: facts.Source, *, now=None) -> dict:
    now = now or timezone.now()
    with transaction.atomic():
        mark = _lock_watermark(source.key)
        # Under the lock nobody else writes this fact's credits and reversals: this run's lines are
        # the ones past the newest line now.
        after = PointsEntry.objects.aggregate(last=Max("pk"))["last"] or 0
        rules = {codes.prefix_at(r.city_id, "city"): r for r in PointsRule.objects.filter(fact=source.fact, active=True)}
        since = mark.at - OVERLAP if mark.at else None
        # The watermark is the newest change read (never the clock): a fact stamped a moment before
        # this run's end, by a transaction that commits later, is still within the next run's margin.
        latest = source.latest(since, now) or mark.at
        stamp = timezone.now()
        _reverse(source, since, now, stamp)
        _credit(source, rules, since, now, stamp)
        _move_balances(source.fact, after)
        made = dict((kind, (n, total)) for kind, n, total in PointsEntry.objects.filter(
            pk__gt=after, fact=source.fact, kind__in=[PointsEntry.Kind.CREDIT, PointsEntry.Kind.REVERSAL])
            .values_list("kind").annotate(n=Count("pk"), total=Sum("points")).order_by())
        Watermark.objects.filter(pk=mark.pk).update(at=latest, runs=mark.runs + 1, updated_at=stamp)
    credited, reversed_ = made.get(PointsEntry.Kind.CREDIT, (0, 0)), made.get(PointsEntry.Kind.REVERSAL, (0, 0))
    return {"credited": credited[0], "reversed": reversed_[0], "points": credited[1] + reversed_[1]}


def credit(*, now=None, only: list[str] | None = None) -> dict:
    """Read every kind of fact since its watermark and credit (or reverse) each once. Returns the
    counts per kind; safe to run from any number of workers at once."""
    now = now or timezone.now()
    result = {}
    for source in facts.SOURCES:
        if only and source.key not in only:
            continue
        result[source.key] = credit_source(source, now=now)
    return result


# --- expiry --------------------------------------------------------------------------------------

def expire(*, today: datetime.date | None = None) -> int:
    """Points past their date leave the balance, oldest first: what a person earned that is now past
    its date, less what they spent (spending uses the oldest points first) and what already expired.
    One expiry line per person and day (its key makes a second run a no-op)."""
    today = today or timezone.localdate()
    # Earned and taken back (a reversal carries its credit's date), per person, past its date.
    past = dict(PointsEntry.objects.filter(kind__in=[PointsEntry.Kind.CREDIT, PointsEntry.Kind.REVERSAL],
                                           expires_on__lt=today)
                .values_list("user_id").annotate(total=Sum("points")).order_by())
    if not past:
        return 0
    expired = 0
    with transaction.atomic():
        accounts = {a.user_id: a for a in PointsAccount.objects.select_for_update().filter(
            bulk.any_of("user_id", list(past)))}
        lines = []
        for user_id, earned in past.items():
            account = accounts.get(user_id)
            if account is None:
                continue
            due = earned - account.spent - account.expired
            due = min(due, account.balance)
            if due <= 0:
                continue
            lines.append({"user_id": user_id, "kind": PointsEntry.Kind.EXPIRY, "points": -due, "fact": "",
                          "source_key": f"expiry:{user_id}:{today.isoformat()}", "region_code": "",
                          "day": today})
            expired += due
        existing = set(_existing([line["source_key"] for line in lines]))
        _write([line for line in lines if line["source_key"] not in existing])
    return expired


# --- spending ------------------------------------------------------------------------------------

def balance(user) -> int:
    return PointsAccount.objects.filter(user=user).values_list("balance", flat=True).first() or 0


def spend(user, points: int, *, key: str, note: str = "") -> PointsEntry:
    """Take `points` off the person's balance under `key` (once). Call inside the caller's
    transaction: the balance is checked and moved by one conditional UPDATE."""
    if points <= 0:
        raise fail("points_positive", status=400)
    if PointsEntry.objects.filter(source_key=key).exists():
        raise fail("already_discounted")
    moved = PointsAccount.objects.filter(user=user, balance__gte=points).update(
        balance=F("balance") - points, spent=F("spent") + points, updated_at=timezone.now())
    if not moved:
        raise fail("balance_short", balance=balance(user))
    now = timezone.now()
    return PointsEntry.objects.create(user=user, kind=PointsEntry.Kind.REDEEM, points=-points, source_key=key,
                                      day=timezone.localdate(now), note=note[:120])


def refund(user_id: int, *, key: str, refund_key: str) -> int:
    """Give back what was spent under `key` (a cancelled booking), once."""
    spent = PointsEntry.objects.filter(source_key=key, kind=PointsEntry.Kind.REDEEM).values_list("points", flat=True).first()
    if spent is None or PointsEntry.objects.filter(source_key=refund_key).exists():
        return 0
    now = timezone.now()
    _write([{"user_id": user_id, "kind": PointsEntry.Kind.REFUND, "points": -spent, "fact": "", "source_key": refund_key,
             "region_code": "", "day": timezone.localdate(now)}])
    return -spent


