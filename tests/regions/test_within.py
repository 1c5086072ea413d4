"""``__within``: a division's subtree as a range of codes, the same rows as startswith, on any collation."""

import pytest
from django.db import connection

from quanmin.facilities.models import Site
from quanmin.regions import codes
from quanmin.regions.models import Region


@pytest.mark.parametrize("prefix,bounds", [
    ("3715", ("3715", "3716")),
    ("3719", ("3719", "372")),  # carry past a 9
    ("371599", ("371599", "3716")),
    ("39", ("39", "4")),
    ("99", ("99", None)),  # nothing sorts after the last code
    ("", ("", None)),  # every code
    ("37a", None),  # no code starts with it
    ("３７", None),  # full-width digits are digits to Python, not to the codes
])
def test_subtree_bounds(prefix, bounds):
    assert codes.subtree_bounds(prefix) == bounds


CODES = ["371500000000", "371502000000", "371502001000", "371502001001", "371599999999", "371600000000",
         "371900000000", "372000000000", "379999999999", "370000000000", "990000000000"]


@pytest.fixture
def regions(db):
    Region.objects.all().delete()
    for code in CODES:
        Region.objects.create(code=code, name=code, level=codes.level(code) if code[2:4] != "00" else "city")
    return CODES


@pytest.mark.parametrize("prefix", ["3715", "371502", "371502001", "371502001001", "3719", "37", "99", "", "37x"])
def test_within_selects_what_startswith_selects(regions, prefix):
    got = sorted(Region.objects.filter(code__within=prefix).values_list("code", flat=True))
    assert got == sorted(c for c in regions if c.startswith(prefix))
    assert got == sorted(Region.objects.filter(code__startswith=prefix).values_list("code", flat=True))


def test_within_through_a_relation_needs_no_join(regions):
    sql = str(Site.objects.filter(region__code__within="3715").query)
    assert "JOIN" not in sql and "LIKE" not in sql


def test_bounds_hold_under_a_chinese_icu_collation(regions):
    # A bureau's database may well be created with a zh-Hans-CN collation; ICU sorts punctuation
    # before digits, so an upper bound like "3715:" would select nothing there.
    if connection.vendor != "postgresql":
        pytest.skip("ICU collations are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'zh-Hans-CN-x-icu'")
        if cursor.fetchone() is None:
            pytest.skip("this PostgreSQL has no zh-Hans-CN ICU collation")
        for prefix in ("3715", "3719", "371502001"):
            low, high = codes.subtree_bounds(prefix)
            cursor.execute('SELECT code FROM regions_region WHERE code COLLATE "zh-Hans-CN-x-icu" >= %s'
                           ' AND code COLLATE "zh-Hans-CN-x-icu" < %s ORDER BY code', [low, high])
            assert [r[0] for r in cursor.fetchall()] == sorted(c for c in CODES if c.startswith(prefix))
        cursor.execute('SELECT count(*) FROM regions_region WHERE code COLLATE "zh-Hans-CN-x-icu" >= %s'
                       ' AND code COLLATE "zh-Hans-CN-x-icu" < %s', ["3715", "3715:"])
        assert cursor.fetchone()[0] == 0  # the old bound, shown wrong
