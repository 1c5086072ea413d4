"""core.bulk: rows in and out at once (COPY on PostgreSQL, multi-row INSERTs elsewhere), values as the ORM
would write them, time stamps as the fields promise, a back-dated value kept."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from quanmin.accounts.models import AuditEntry
from quanmin.core import bulk
from quanmin.facilities.models import Facility, Site


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
