"""core.bulk: rows in and out at once (COPY on PostgreSQL, multi-row INSERTs elsewhere), values as the ORM
would write them, time stamps as the fields promise, a back-dated value kept; counts added to by upserts
(add_counts) that writers at once add up."""

import datetime
import sys
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Sum
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.core import bulk
from quanmin.facilities.models import Facility, Site
from quanmin.incentives.models import PointsAccount, PointsEntry
from quanmin.physique import tally
from quanmin.physique.models import ResultTally
from tests import races


def test_insert_rows_writes_what_the_orm_reads_back(world):
    when = timezone.now() - datetime.timedelta(days=3)
    rows = [AuditEntry(at=when, action="bulk", region_code="371502001001", ip="192.0.2.1" if i % 2 else None,
                       detail={"n": i, "names": ["张三", "李四"][: i % 3]}) for i in range(2500)]  # > one batch
    bulk.insert_rows(rows)
    got = list(AuditEntry.objects.filter(action="bulk").order_by("id"))
    assert len(got) == 2500
    assert [(a.at, a.ip, a.detail) for a in got] == [(r.at, r.ip, r.detail) for r in rows]


def test_time_stamps_on_insert_and_update(world):
    old = timezone.now() - datetime.timedelta(days=400)
    here = {"site": world.site, "region": world.site.region, "lon": world.site.lon, "lat": world.site.lat}
    kept = Facility(**here, type="table_tennis", area_m2=Decimal("30.5"),
                    created_at=old, updated_at=old)
    fresh = Facility(**here, type="table_tennis", area_m2=Decimal("12"))
    before = timezone.now()
    bulk.insert_rows([kept, fresh])
    a, b = Facility.objects.filter(type="table_tennis").order_by("id")
    assert (a.created_at, a.updated_at, a.area_m2) == (old, old, Decimal("30.50"))  # back-dated: kept
    assert b.created_at >= before and b.updated_at >= before  # empty: the present
    site = Site.objects.get(pk=world.site.pk)
    site.name = "东关社区文体广场（新）"
    bulk.update_rows([site], ["name", "updated_at"])
    site = Site.objects.get(pk=world.site.pk)
    assert site.name.endswith("（新）") and site.updated_at >= before  # auto_now: stamped on every write
    bulk.insert_rows([])
    bulk.update_rows([], ["name"])


def test_a_broken_constraint_is_djangos_integrity_error(world):
    # The equipment import answers a conflict (409) by catching IntegrityError, on both databases.
    here = {"site": world.site, "region": world.site.region, "lon": world.site.lon, "lat": world.site.lat}
    twins = [Facility(**here, type="football", external_id="F-1"), Facility(**here, type="football", external_id="F-1")]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_rows(twins)
    assert not Facility.objects.filter(external_id="F-1").exists()


def test_insert_rows_with_ids_gives_each_object_its_key(world):
    here = {"region": world.site.region, "lon": world.site.lon, "lat": world.site.lat}
    sites = [Site(name=f"新场馆{i}", **here) for i in range(2100)]  # more than one batch
    bulk.insert_rows(sites, ids=True)
    stored = dict(Site.objects.filter(name__startswith="新场馆").values_list("pk", "name"))
    assert stored == {s.pk: s.name for s in sites}
    assert not sites[0]._state.adding


def test_keys_given_by_insert_rows_are_not_given_again(world):
    # On PostgreSQL the keys come from the table's sequence before the rows are COPYed: the ORM's next
    # insert must not get one of them.
    here = {"region": world.site.region, "lon": world.site.lon, "lat": world.site.lat}
    sites = [Site(name=f"先到{i}", **here) for i in range(3)]
    bulk.insert_rows(sites, ids=True)
    later = Site.objects.create(name="后来", **here)
    assert later.pk not in {s.pk for s in sites}
    assert Site.objects.filter(name__startswith="先到").count() == 3


def test_insert_values_takes_the_fields_defaults_and_stamps(world):
    before = timezone.now()
    site = world.site
    bulk.insert_values(Facility, [{"site_id": site.pk, "region_id": site.region_id, "lon": site.lon, "lat": site.lat,
                                   "type": "table_tennis", "external_id": f"V-{i}", "area_m2": Decimal("12.5")}
                                  for i in range(1200)])  # more than one batch
    got = Facility.objects.filter(external_id__startswith="V-")
    assert got.count() == 1200
    f = got.get(external_id="V-7")
    assert (f.area_m2, f.access, f.indoor, f.open, f.name) == (Decimal("12.50"), Facility.Access.FREE, False, True, "")
    assert f.created_at >= before and f.updated_at >= before
    bulk.insert_values(Facility, [])


def test_insert_values_with_ids_gives_the_keys_in_order(world):
    here = {"region_id": world.site.region_id, "lon": world.site.lon, "lat": world.site.lat}
    keys = bulk.insert_values(Site, [{"name": f"按序{i}", **here} for i in range(1100)], ids=True)  # > one batch
    assert dict(Site.objects.filter(name__startswith="按序").values_list("pk", "name")) == {
        key: f"按序{i}" for i, key in enumerate(keys)}
    assert Site.objects.create(name="其后", **here).pk not in set(keys)
    assert bulk.insert_values(Site, [], ids=True) == []


def test_update_rows_writes_each_row_its_own_values(world):
    here = {"region_id": world.site.region_id, "lon": world.site.lon, "lat": world.site.lat}
    keys = bulk.insert_values(Site, [{"name": f"改前{i}", **here} for i in range(2300)], ids=True)  # > one statement
    sites = list(Site.objects.filter(pk__in=keys).order_by("pk"))
    for i, site in enumerate(sites[:2200]):
        site.name, site.address = f"改后{i}", f"路{i}号" if i % 3 else ""
    before = timezone.now()
    bulk.update_rows(sites[:2200], ["name", "address", "updated_at"])
    got = {s.pk: s for s in Site.objects.filter(pk__in=keys)}
    assert [(got[s.pk].name, got[s.pk].address) for s in sites[:2200]] == [
        (f"改后{i}", f"路{i}号" if i % 3 else "") for i in range(2200)]
    assert all(got[s.pk].updated_at >= before for s in sites[:2200])
    assert [got[s.pk].name for s in sites[2200:]] == [f"改前{i}" for i in range(2200, 2300)]  # not named: as they were


def test_a_broken_constraint_in_a_later_statement_stops_the_insert(world):
    # insert_values reads a generator a statement at a time (stepped beside the next on SQLite): the
    # third statement's conflict still raises Django's IntegrityError, and the transaction keeps nothing.
    site = world.site
    here = {"site_id": site.pk, "region_id": site.region_id, "lon": site.lon, "lat": site.lat, "type": "football"}
    numbers = [f"G-{i}" for i in range(2600)] + ["G-5"]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_values(Facility, ({**here, "external_id": n} for n in numbers))
    assert not Facility.objects.filter(external_id__startswith="G-").exists()
    bulk.insert_values(Facility, ({**here, "external_id": n} for n in numbers[:2600]))
    assert Facility.objects.filter(external_id__startswith="G-").count() == 2600


def test_reserved_keys_are_given_to_no_other_row(world):
    region = world.site.region_id
    with transaction.atomic():
        keys = bulk.reserve_keys(Site, 3)
        other = Site.objects.create(name="别的场馆", lon=116.0, lat=36.4, region_id=region)
        assert other.pk not in keys and len(set(keys)) == 3
        bulk.insert_values(Site, ({"id": key, "name": f"预留{key}", "lon": 116.0, "lat": 36.4, "region_id": region}
                                  for key in keys), keyed=True)
        assert set(bulk.reserve_keys(Site, 2)).isdisjoint({*keys, other.pk})
    assert sorted(Site.objects.filter(name__startswith="预留").values_list("pk", flat=True)) == keys


def test_alongside_writes_in_order_on_a_second_thread_in_the_callers_transaction(world):
    site, threads = world.site, []
    here = {"site_id": site.pk, "region_id": site.region_id, "lon": site.lon, "lat": site.lat, "type": "football"}

    def write(numbers):
        threads.append(threading.current_thread())
        bulk.insert_values(Facility, ({**here, "external_id": n} for n in numbers))

    with pytest.raises(RuntimeError), transaction.atomic():
        with bulk.alongside() as submit:
            for start in range(0, 30, 10):
                submit(write, [f"A-{i}" for i in range(start, start + 10)])
        assert list(Facility.objects.filter(external_id__startswith="A-").order_by("pk")
                    .values_list("external_id", flat=True)) == [f"A-{i}" for i in range(30)]
        raise RuntimeError  # the caller's transaction rolls back what was written beside it
    assert threads and threading.current_thread() not in threads
    assert not Facility.objects.filter(external_id__startswith="A-").exists()


def test_alongside_raises_the_first_failure_and_skips_what_follows(world):
    ran, failed = [], threading.Event()

    def fail():
        failed.set()
        raise IntegrityError("taken")

    with pytest.raises(IntegrityError), bulk.alongside() as submit:
        submit(ran.append, 1)
        submit(fail)
        submit(ran.append, 2)  # submitted before the failure is seen, or refused by it: never run
        failed.wait()
        submit(ran.append, 3)  # raises once the failure has been recorded, or is skipped
    assert ran == [1]


def test_alongside_switches_threads_sooner_while_any_block_runs(world):
    before, seen = sys.getswitchinterval(), []

    def another_block():  # another thread's block, begun and ended inside this one's
        with bulk.alongside():
            seen.append(sys.getswitchinterval())

    with bulk.alongside():
        seen.append(sys.getswitchinterval())
        other = threading.Thread(target=another_block)
        other.start()
        other.join()
        seen.append(sys.getswitchinterval())  # the other block's end left this one's interval
    assert seen == [bulk.QUICK_SWITCH_S] * 3
    assert sys.getswitchinterval() == before


def test_keys_checked_as_written_refuses_a_row_at_its_statement(world):
    orphan = {"site_id": 10**9, "region_id": world.site.region_id, "lon": 116.0, "lat": 36.4, "type": "football"}
    if connection.vendor != "postgresql":
        return  # SQLite checks keys at commit: the block sets nothing there
    with pytest.raises(IntegrityError), transaction.atomic(), bulk.keys_checked_as_written():
        bulk.insert_values(Facility, [orphan])  # checked by the statement itself
    with transaction.atomic():
        with bulk.keys_checked_as_written():
            pass
        bulk.insert_values(Facility, [orphan])  # after the block: checked at commit again
        with pytest.raises(IntegrityError):
            connection.check_constraints()
        transaction.set_rollback(True)


def _tally_key(region, day, sex="male"):
    return (region, day, "physique-2003", sex, "20-24", "y", "good")


def test_add_counts_makes_rows_then_adds_to_them(world):
    region = world.community.code
    day = datetime.date(2026, 3, 1)
    # 2,500 keys: more than one statement on either database.
    first = {_tally_key(region, day + datetime.timedelta(days=i)): i % 5 for i in range(2500)}
    bulk.add_counts(ResultTally, tally.KEY, first)
    got = dict(((r, d), n) for r, d, n in ResultTally.objects.values_list("region_id", "day", "n"))
    assert got == {(region, k[1]): n for k, n in first.items() if n}  # a zero makes no row
    bulk.add_counts(ResultTally, tally.KEY, {_tally_key(region, day): 3, _tally_key(region, day, "female"): 2,
                                            _tally_key(region, day + datetime.timedelta(days=1)): -1})
    assert ResultTally.objects.get(day=day, sex="male").n == 3  # 0 + 3
    assert ResultTally.objects.get(day=day, sex="female").n == 2
    assert ResultTally.objects.get(day=day + datetime.timedelta(days=1)).n == 0  # 1 - 1
    bulk.add_counts(ResultTally, tally.KEY, {})


def test_add_counts_of_several_columns_stamps_and_takes_defaults(world):
    a, b = world.users["resident"], world.users["other_resident"]
    old = timezone.now() - datetime.timedelta(days=5)
    PointsAccount.objects.create(user=a, balance=10, earned=10)
    PointsAccount.objects.filter(user=a).update(updated_at=old)
    before = timezone.now()
    bulk.add_counts(PointsAccount, ["user_id"], {a.pk: (5, 0, 3, 0), b.pk: (7, 7, 0, 0)},
                    counts=("balance", "earned", "spent", "expired"))
    got = {x.user_id: (x.balance, x.earned, x.spent, x.expired) for x in PointsAccount.objects.all()}
    assert got == {a.pk: (15, 10, 3, 0), b.pk: (7, 7, 0, 0)}
    assert all(x.updated_at >= before for x in PointsAccount.objects.all())  # auto_now: on insert and on update


def test_add_counts_from_a_queryset_sums_in_the_database(world):
    a, b = world.users["resident"], world.users["other_resident"]
    PointsAccount.objects.create(user=a, balance=1, earned=1, spent=4)
    day = datetime.date(2026, 3, 1)
    for user, points, key in ((a, 5, "k1"), (a, 6, "k2"), (b, 2, "k3"), (b, -2, "k4")):
        PointsEntry.objects.create(user=user, kind=PointsEntry.Kind.CREDIT, points=points, source_key=key, day=day)
    sums = (PointsEntry.objects.order_by().values_list("user_id").annotate(balance=Sum("points"), earned=Sum("points"))
            .exclude(balance=0))
    bulk.add_counts(PointsAccount, ["user_id"], sums, counts=("balance", "earned"))
    assert {x.user_id: (x.balance, x.earned, x.spent) for x in PointsAccount.objects.all()} == {a.pk: (12, 12, 4)}


def _add_one(region, day):
    try:
        with transaction.atomic():
            bulk.add_counts(ResultTally, tally.KEY, {_tally_key(region, day): 1, _tally_key(region, day, "female"): 2})
        return "ok"
    except Exception as exc:  # a lock or deadlock error lands here: the test fails on it
        return f"{type(exc).__name__}: {exc}"
    finally:
        connections.close_all()


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_add_counts_at_once_all_add_up(world):
    """Eight writers add to the same two rows at once, none there before (run in the PostgreSQL pass too)."""
    day = datetime.date(2026, 3, 1)
    assert races.run_threads(_add_one, [(world.community.code, day)] * 8) == ["ok"] * 8
    assert dict(ResultTally.objects.values_list("sex", "n")) == {"male": 8, "female": 16}
