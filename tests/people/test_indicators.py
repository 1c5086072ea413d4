import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quanmin.core import indicators
from quanmin.people import figures, logs
from quanmin.regions import subtrees
from quanmin.regions.models import Region

from .conftest import active
from .test_logs import body

KEYS = ["instructors_per_1000", "instructors_per_10000", "community_instructor_share", "guidance_rate",
        "instructors_trained", "guidance_stations", "volunteer_hours", "core_instructors", "instructors"]


def test_indicators_for_the_tree(people):
    w = people
    active(w, w.community, 401)  # a second instructor in the county: one guided, one not
    log = logs.record(w.instructor, body(w), by=w.users["resident"])
    logs.decide(log, confirm=True, by=w.users["community"])
    codes = list(Region.objects.values_list("code", flat=True))
    today = timezone.localdate()
    values = indicators.compute_many(KEYS, codes, today)
    assert values["instructors"][w.city.code] == 3
    assert values["instructors"][w.county.code] == 2
    assert str(values["instructors_per_10000"][w.community.code]) == "2.50"  # 2 of 8,000
    assert str(values["instructors_per_1000"][w.other_county.code]) == "0.00"  # 1 of 497,416
    assert str(values["guidance_rate"][w.county.code]) == "50.0"
    assert str(values["guidance_rate"][w.other_county.code]) == "0.0"
    assert str(values["community_instructor_share"][w.city.code]) == "100.0"
    assert values["guidance_stations"][w.city.code] == 2
    assert values["volunteer_hours"][w.community.code] == 2
    assert values["volunteer_hours"][w.other_county.code] == 0
    # A year later the service falls out of the window.
    later = indicators.compute("guidance_rate", [w.county.code], today + datetime.timedelta(days=400))
    assert str(later[w.county.code]) == "0.0"


def test_communities_without_instructors_and_query_count(people):
    w = people
    Region.objects.create(code="371502001002", name="西关社区", level="community", parent=w.township, population=5000)
    codes = list(Region.objects.values_list("code", flat=True))
    with CaptureQueriesContext(connection) as few:
        found = figures.counts(codes, timezone.localdate(), guided=True, coverage=True, stations=True, hours=True,
                               trained=True)
    assert len(few.captured_queries) <= 7  # divisions, instructors, one per part: not one per division
    assert [r["name"] for r in figures.uncovered(w.county.code)] == ["西关社区"]
    assert [r["name"] for r in figures.division_figures(w.township, timezone.localdate())["communities_without"]] == [
        "西关社区"]
    assert str(found[w.township.code].coverage) == "50.0"


def python_roll_up(rows: dict[str, tuple]) -> dict[str, tuple]:
    """The reference: each division's own rows added to every division above it along the divisions'
    parent links (the figures' earlier Python pass)."""
    parents = dict(Region.objects.values_list("code", "parent_id"))
    out: dict[str, list] = {}
    for code, values in rows.items():
        above = code
        while above is not None:
            total = out.setdefault(above, [0] * len(values))
            for i, value in enumerate(values):
                total[i] += value
            above = parents.get(above)
    return {code: tuple(values) for code, values in out.items()}


def test_the_database_roll_up_equals_the_python_one(people):
    """subtrees.rolled_up sums each part up the levels in SQL; on a small world with instructors at
    every level (community, township, county, city), guided or not, it matches the parent-link walk
    for every division, in every part the figures use."""
    w = people
    Region.objects.create(code="371502001002", name="西关社区", level="community", parent=w.township, population=5000)
    for seq, region in enumerate([w.township, w.county, w.city, w.other_community, w.community], start=410):
        active(w, region, seq, by_role="city", core=seq % 2 == 0)
    log = logs.record(w.instructor, body(w), by=w.users["resident"])
    logs.decide(log, confirm=True, by=w.users["community"])
    today = timezone.localdate()
    window = indicators.year_ending(today)
    for rows in (figures.instructor_rows(""), figures.guided_rows("", window), figures.community_rows(""),
                 figures.station_rows(""), figures.hours_rows("", window), figures.staffed_rows("", today)):
        own = {code: tuple(values) for code, *values in (row.values() for row in rows)}
        assert own, rows.query
        divisions = set(Region.objects.values_list("code", flat=True))  # it also sums up to the absent province
        assert {c: v for c, v in subtrees.rolled_up(rows).items() if c in divisions} == python_roll_up(own)
    # And the communities holding a row, summed beside the instructors (coverage).
    rows = figures.instructor_rows("")
    level = dict(Region.objects.values_list("code", "level"))
    own = {code: (*values, 1 if level[code] == "community" else 0) for code, *values in (r.values() for r in rows)}
    assert {c: v for c, v in subtrees.rolled_up(rows, communities=True).items() if c in divisions} == python_roll_up(own)
