"""The feeds' promise checked under load: writers change slots from many threads in transactions
that commit out of order, a stamper numbers the changes, and a reader follows the slots feed to its
end the whole time; at the end the reader's view is compared with the database.

missed: slots whose last state the reader saw differs from what the database holds (or a slot it
        never saw, or one it still holds that is gone); repeated: an (id, change number) seen twice,
        or a change number not above the one before. Both must be 0. Used by the tests (on SQLite
        and PostgreSQL) and bench/opendata.py."""

import datetime
import json
import random
import threading
import time

from django.db import close_old_connections, connections, transaction
from django.db.models import F

from quanmin.booking.models import BookableUnit, Slot

from . import changes, feeds, items


def direct_reader(feed: str, limit: int = 500):
    def read(after):
        page, _last = feeds.page(feed, after, limit)
        return [json.loads(i) for i in page]

    return read


def _write(rng: random.Random, unit_ids: list[int], made: list[int], lock: threading.Lock, hold: float) -> None:
    op = rng.random()
    with transaction.atomic():
        if op < 0.45:
            slot = Slot.objects.filter(unit_id=rng.choice(unit_ids)).order_by("?").only("pk").first()
            if slot:
                Slot.objects.filter(pk=slot.pk).update(price=F("price") + 1, taken=0)
        elif op < 0.75:
            unit = rng.choice(unit_ids)
            start = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(
                minutes=rng.randrange(10_000_000))
            slot, created = Slot.objects.get_or_create(unit_id=unit, start=start, defaults={
                "end": start + datetime.timedelta(hours=1), "capacity": 1 + rng.randrange(20), "price": 10, "manual": True})
            if created:
                with lock:
                    made.append(slot.pk)
        elif op < 0.9:
            with lock:
                victim = made.pop(rng.randrange(len(made))) if made else None
            if victim:
                Slot.objects.filter(pk=victim, bookings__isnull=True).delete()
        else:
            slot = Slot.objects.filter(unit_id=rng.choice(unit_ids)).order_by("?").only("pk").first()
            if slot:
                Slot.objects.filter(pk=slot.pk).update(blocked=~F("blocked"))
        time.sleep(rng.random() * hold)  # commit later than transactions that began after this one


def run(*, writers: int = 8, writes: int = 40, hold: float = 0.02, read=None, seed: int = 23) -> dict:
    """Run the check on the slots feeds (courts: `slots`; sessions: `scheduled-sessions`)."""
    read = read or direct_reader("slots")
    unit_ids = list(BookableUnit.objects.filter(kind=BookableUnit.Kind.SLOT, active=True).values_list("pk", flat=True))
    if not unit_ids:
        raise ValueError("no bookable court to write to")
    changes.stamp()
    done = threading.Event()
    stamped_after_done = threading.Event()
    errors: list[str] = []
    made: list[int] = []
    lock = threading.Lock()
    seen: list[dict] = []

    def writer(n):
        rng = random.Random(seed * 1000 + n)
        try:
            for _ in range(writes):
                _write(rng, unit_ids, made, lock, hold)
        except Exception as exc:  # any lock or deadlock error fails the check
            errors.append(f"writer {n}: {type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    def stamper():
        try:
            while not done.is_set():
                changes.stamp(max_batches=4)
                time.sleep(0.005)
            changes.stamp()
            stamped_after_done.set()
        except Exception as exc:
            errors.append(f"stamper: {type(exc).__name__}: {exc}")
            stamped_after_done.set()
        finally:
            connections.close_all()

    def reader():
        after = None
        try:
            while True:
                final = stamped_after_done.is_set()
                page = read(after)
                if page:
                    seen.extend(page)
                    after = page[-1]["modified"]
                    continue
                if final:
                    return  # the end, read after the last change was numbered
                time.sleep(0.005)
        except Exception as exc:
            errors.append(f"reader: {type(exc).__name__}: {exc}")
        finally:
            close_old_connections()
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    side = [threading.Thread(target=stamper), threading.Thread(target=reader)]
    started = time.perf_counter()
    for t in side + threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    for t in side:
        t.join()
    seconds = time.perf_counter() - started

    repeated, last_number, pairs = 0, 0, set()
    for item in seen:
        key = (item["id"], item["modified"])
        if key in pairs or item["modified"] <= last_number:
            repeated += 1
        pairs.add(key)
        last_number = max(last_number, item["modified"])
    view = {}
    for item in seen:
        view[item["id"]] = item.get("data") if item["state"] == "updated" else None
    ids = list(Slot.objects.filter(unit__kind=BookableUnit.Kind.SLOT).values_list("pk", flat=True))
    truth = {str(pk): json.loads(json.dumps(data, ensure_ascii=False))
             for pk, (_kind, data) in items.slots(ids).items()}
    missed = sum(1 for pk, data in truth.items() if view.get(pk) != data)
    missed += sum(1 for pk, data in view.items() if data is not None and pk not in truth)
    return {"writers": writers, "writes": writers * writes, "items_read": len(seen), "slots": len(truth),
            "missed": missed, "repeated": repeated, "errors": errors, "seconds": round(seconds, 2)}
