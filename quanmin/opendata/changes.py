"""The stamper: turns the triggers' change notes into feed items with increasing change numbers.

One stamper at a time: each batch runs in one transaction that first locks the counter row
(`select_for_update`; on SQLite the IMMEDIATE transaction is the lock). So batch k+1 starts after
batch k committed, its numbers are all higher, and a reader paging by change number never sees a
number before the lower ones are visible: nothing is skipped. An item whose built JSON is what the
feed already holds gets no new number: nothing is repeated without a change.
"""

import json
import time

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from quanmin.booking.models import BookableUnit, Slot
from quanmin.events.models import Competition
from quanmin.organizations.models import Activity as GroupActivity
from quanmin.people.models import Station

from . import items, triggers
from .items import BUILDERS
from .models import FeedCounter, FeedItem, PendingChange, SeriesOwner

COUNTER = "changes"
BATCH = 500
# What a first run notes as changed: every row the feeds are built from (a unit's slots follow it).
SEED_SOURCES = ("unit", "games")


def _units(**filters) -> list[int]:
    return list(BookableUnit.objects.filter(**filters).values_list("pk", flat=True))


def _mentioning(feed: str, fragment: str) -> list[int]:
    """Items of a feed whose JSON names a row that no longer exists (a deleted competition)."""
    return list(FeedItem.objects.filter(kind=feed, deleted=False, data__contains=fragment)
                .values_list("object_id", flat=True))


def _owned(kind: str, ids) -> set[int]:
    """The units a station's or an activity's sessions were on, even when it is deleted."""
    return set(SeriesOwner.objects.filter(owner__in=[f"{kind}:{i}" for i in ids]).values_list("unit_id", flat=True))


def expand(notes) -> tuple[dict[str, set[int]], set[int]]:
    """The feed items that the changed rows touch, {feed: {object id}}, and the units whose slots must
    be looked at again (a unit, its site or its owner changed: its slots may have become public or not;
    they are noted as changed, for the next batches)."""
    by_source: dict[str, set[int]] = {}
    for source, object_id in notes:
        by_source.setdefault(source, set()).add(object_id)
    out = {feed: set() for feed in BUILDERS}
    units = set(by_source.get("unit", ()))
    if ids := by_source.get("site"):
        units.update(_units(site_id__in=ids))
    if ids := by_source.get("facility"):
        units.update(_units(facility_id__in=ids))
    if ids := by_source.get("station"):
        units.update(Station.objects.filter(pk__in=ids, unit__isnull=False).values_list("unit_id", flat=True))
        units |= _owned("station", ids)
    if ids := by_source.get("activity"):
        units.update(GroupActivity.objects.filter(pk__in=ids).values_list("unit_id", flat=True))
        units |= _owned("activity", ids)
    if ids := by_source.get("org"):
        units.update(GroupActivity.objects.filter(organization_id__in=ids).values_list("unit_id", flat=True))
    out["facility-uses"] |= units
    out["session-series"] |= units
    slots = by_source.get("slot", set())
    out["slots"] |= slots
    out["scheduled-sessions"] |= slots
    out["events"] |= by_source.get("games", set())
    if ids := by_source.get("competition"):
        found = dict(Competition.objects.filter(pk__in=ids).values_list("pk", "games_id"))
        out["events"] |= set(found.values())
        for gone in set(ids) - set(found):
            out["events"] |= set(_mentioning("events", f"/competitions/{gone}\""))
    return out, units


def _note_slots(units: set[int]) -> None:
    """Note every slot of these units as changed (set-based, one INSERT … SELECT per 500 units)."""
    units = sorted(units)
    with connection.cursor() as cursor:
        for at in range(0, len(units), 500):
            chunk = units[at:at + 500]
            cursor.execute(f"INSERT INTO {triggers.QUEUE} (source, object_id) SELECT 'slot', id FROM {_SLOTS} "
                           f"WHERE unit_id IN ({', '.join(['%s'] * len(chunk))})", chunk)


def _record_owners(unit_ids) -> None:
    """Remember whose sessions each unit carries (kept after the owner is deleted)."""
    owners = items.current_owners(unit_ids)
    if owners:
        SeriesOwner.objects.filter(unit_id__in=list(owners)).delete()
        SeriesOwner.objects.bulk_create([SeriesOwner(unit_id=u, owner=o) for u, o in owners.items()])


_TABLE = FeedItem._meta.db_table
_SLOTS = Slot._meta.db_table
_INSERT = (f"INSERT INTO {_TABLE} (kind, rpde_kind, object_id, change_number, deleted, data, modified_at) "
           "VALUES (%s, %s, %s, %s, %s, %s, %s)")


def _replace(replaced: list[int], rows: list[tuple]) -> None:
    """Set-based: the changed items' rows go and come back with their new numbers, in plain SQL (one
    DELETE per 500 and one executemany INSERT), where bulk_update would build a CASE per row and field
    and the ORM would prepare every value. Only the stamper writes items, under the counter's lock, and
    readers see the batch whole at its commit."""
    with connection.cursor() as cursor:
        for at in range(0, len(replaced), 500):
            chunk = replaced[at:at + 500]
            cursor.execute(f"DELETE FROM {_TABLE} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)
        if rows:
            cursor.executemany(_INSERT, rows)


def _apply(targets: dict[str, set[int]], counter: FeedCounter, now) -> int:
    changed = 0
    stamped_at = connection.ops.adapt_datetimefield_value(now)
    for feed, ids in targets.items():
        if not ids:
            continue
        ids = sorted(ids)
        if feed == "session-series":
            _record_owners(ids)
        built = BUILDERS[feed](ids)
        # (pk, rpde kind, deleted, data) of the items there are: rows, not instances (a stamp is thousands).
        existing = {o: (pk, k, d, t) for pk, o, k, d, t in FeedItem.objects.filter(kind=feed, object_id__in=ids)
                    .values_list("pk", "object_id", "rpde_kind", "deleted", "data")}
        rows, replaced = [], []
        for pk in ids:
            item = existing.get(pk)
            if pk in built:
                rpde_kind, data = built[pk]
                text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
                if item is not None and not item[2] and item[3] == text:
                    continue
                deleted = False
            else:
                if item is None or item[2]:
                    continue
                rpde_kind, text, deleted = item[1], "", True
            counter.last += 1
            rows.append((feed, rpde_kind, pk, counter.last, deleted, text, stamped_at))
            if item is not None:
                replaced.append(item[0])
        _replace(replaced, rows)
        changed += len(rows)
    return changed


def _seed() -> None:
    """Note every published row as changed (a first run, or after the feeds were emptied)."""
    tables = triggers._tables()
    PendingChange.objects.all().delete()  # the seed covers every committed row as it stands
    with connection.cursor() as cursor:
        for source in SEED_SOURCES:
            cursor.execute(f"INSERT INTO {triggers.QUEUE} (source, object_id) SELECT %s, id FROM {tables[source]}",
                           [source])


def _counter() -> FeedCounter:
    try:
        return FeedCounter.objects.select_for_update().get(name=COUNTER)
    except FeedCounter.DoesNotExist:
        try:
            with transaction.atomic():
                FeedCounter.objects.create(name=COUNTER, last=0)
            _seed()
        except IntegrityError:  # another stamper made it at the same moment; it seeds
            pass
        return FeedCounter.objects.select_for_update().get(name=COUNTER)


def stamp_batch(batch: int = BATCH, now=None) -> tuple[int, int]:
    """One batch: (notes consumed, items given a new number)."""
    now = now or timezone.now()
    with transaction.atomic():
        counter = _counter()
        notes = list(PendingChange.objects.order_by("id").values_list("id", "source", "object_id")[:batch])
        if not notes:
            return 0, 0
        targets, units = expand((s, o) for _, s, o in notes)
        changed = _apply(targets, counter, now)
        PendingChange.objects.filter(id__in=[n[0] for n in notes]).delete()
        if units:
            _note_slots(units)
        if changed:
            counter.save(update_fields=["last"])
    return len(notes), changed


def stamp(batch: int = BATCH, max_batches: int | None = None, max_seconds: float | None = None) -> dict:
    """Every note there is (or `max_batches`, or as many batches as fit in `max_seconds`: the rest waits
    for the next run, the feeds being whole at every batch's end): {"notes": consumed, "items": renumbered}."""
    notes = items = batches = 0
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    while (max_batches is None or batches < max_batches) and (deadline is None or time.monotonic() < deadline):
        n, c = stamp_batch(batch)
        if not n:
            break
        notes, items, batches = notes + n, items + c, batches + 1
    return {"notes": notes, "items": items}


def reseed() -> None:
    """Note everything as changed again (after a change of how items are built); unchanged items keep
    their numbers."""
    with transaction.atomic():
        _counter()
        _seed()
