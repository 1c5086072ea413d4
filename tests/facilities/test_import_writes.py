"""The facilities import writes each site, with its new facilities, once its last row is checked,
on a second thread while the rows after it are checked (io_import._Writes, core.bulk.alongside):
what is written is what a whole-file check would write, and a row rejected later, or a write that
fails, leaves the database as it was."""

import contextlib
import threading

import pytest
from django.db import IntegrityError

from quanmin.core import bulk
from quanmin.facilities import io_import, services
from quanmin.facilities.errors import FacilityError
from quanmin.facilities.models import Facility, Site
from tests.facilities.test_import_export import make_xlsx, row, run, snapshot


@pytest.fixture
def parts(monkeypatch):
    """Every written part (a batch a site): its new sites and facilities."""
    monkeypatch.setattr(io_import, "WRITE_BATCH", 1)
    written, part = [], services.import_part

    def recorded(**kwargs):
        written.append(([s.name for s in kwargs["new_sites"]], len(kwargs["new_facilities"])))
        part(**kwargs)

    monkeypatch.setattr(services, "import_part", recorded)
    return written


@pytest.fixture
def beside(monkeypatch):
    """The threads the calls beside ran on (the first asks for what the file names, the others
    write); `fail_at` makes the n-th fail there."""
    threads, real = [], bulk.alongside

    @contextlib.contextmanager
    def recording(*args, **kwargs):
        with real(*args, **kwargs) as submit:

            def counted(fn, *fn_args, **fn_kwargs):
                def run():
                    threads.append(threading.current_thread())
                    if len(threads) == getattr(recording, "fail_at", 0):  # as when another import took a number
                        raise IntegrityError("UNIQUE constraint failed: facilities_facility.external_id")
                    return fn(*fn_args, **fn_kwargs)
                return submit(run)

            yield counted

    monkeypatch.setattr(bulk, "alongside", recording)
    recording.threads = threads
    return recording


def test_each_site_is_written_with_its_facilities_beside_the_checking(world, tmp_path, parts, beside):
    rows = [row(site_name="甲场馆"), row(site_name="甲场馆", name="2号篮球场"), row(site_name="乙场馆", lon=115.98)]
    report = run(make_xlsx(tmp_path, rows), world.users["county"], dry_run=False)
    assert report.applied and report.counts["facilities_new"] == 3
    assert parts == [(["甲场馆"], 2), (["乙场馆"], 1)]
    assert len(beside.threads) >= 5 and threading.current_thread() not in beside.threads  # asking, 2 sites, 2 batches
    site = Site.objects.get(name="乙场馆")
    assert list(site.facilities.values_list("region_id", "lon", "open")) == [(site.region_id, 115.98, True)]


def test_a_site_whose_rows_stand_apart_is_written_with_the_values_of_all_of_them(world, tmp_path, parts):
    rows = [row(site_name="甲场馆", address="", manager=""), row(site_name="乙场馆"),
            row(site_name="甲场馆", name="2号篮球场", address="东关街9号", manager="")]
    report = run(make_xlsx(tmp_path, rows), world.users["county"], dry_run=False)
    assert report.applied
    assert [names for names, _n in parts] == [["乙场馆"], ["甲场馆"]]  # 甲 only after its last row
    assert Site.objects.get(name="甲场馆").address == "东关街9号"
    assert Site.objects.get(name="甲场馆").facilities.count() == 2


def test_a_row_rejected_after_sites_were_written_leaves_nothing(world, tmp_path, parts):
    before = snapshot()
    rows = [row(site_name="甲场馆", external_id="W-1"), row(site_name="乙场馆"), row(site_name="丙场馆", external_id="W-1")]
    report = run(make_xlsx(tmp_path, rows), world.users["county"], dry_run=False)
    assert parts, "the first sites were written before the last row was checked"
    assert not report.applied and [(r.line, r.errors[0]["code"]) for r in report.rejected] == [(4, "duplicate_number")]
    assert snapshot() == before


def test_a_new_site_found_without_coordinates_at_its_last_row_leaves_nothing(world, tmp_path, parts):
    before = snapshot()
    rows = [row(site_name="甲场馆"), row(site_name="乙场馆", lon="", lat=""), row(site_name="丙场馆")]
    report = run(make_xlsx(tmp_path, rows), world.users["county"], dry_run=False)
    assert [names for names, _n in parts] == [["甲场馆"]]  # nothing after the rejection
    assert [(r.line, r.errors[0]["code"]) for r in report.rejected] == [(3, "lon_required")]
    assert snapshot() == before


def test_a_write_that_fails_beside_is_a_conflict_and_leaves_nothing(world, tmp_path, parts, beside):
    before = snapshot()
    beside.fail_at = 4  # the second site's
    rows = [row(site_name=f"{n}号场馆") for n in range(1, 6)]
    with pytest.raises(FacilityError) as caught:
        run(make_xlsx(tmp_path, rows), world.users["county"], dry_run=False)
    assert caught.value.code == "import_conflict" and caught.value.status == 409
    assert snapshot() == before


def test_a_dry_run_writes_nothing_at_all(world, tmp_path, parts):
    report = run(make_xlsx(tmp_path, [row(site_name="甲场馆"), row(site_name="乙场馆")]), world.users["county"])
    assert report.counts["facilities_new"] == 2 and not parts
    assert not Facility.objects.filter(site__name__in=["甲场馆", "乙场馆"]).exists()
