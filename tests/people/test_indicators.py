import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quanmin.core import indicators
from quanmin.people import figures, logs, pools
from quanmin.people.models import Instructor
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
        found = figures.counts(codes, timezone.localdate(), stations=True, hours=True, trained=True)
    assert len(few.captured_queries) <= 6  # divisions, instructors (two), one per part: not one per division
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
    for rows in (figures.instructor_rows("", window), figures.station_rows(""), figures.hours_rows("", window),
                 figures.staffed_rows("", today)):
        own = {code: tuple(values) for code, *values in (row.values() for row in rows)}
        assert own, rows.query
        divisions = set(Region.objects.values_list("code", flat=True))  # it also sums up to the absent province
        assert {c: v for c, v in subtrees.rolled_up(rows).items() if c in divisions} == python_roll_up(own)
    # And the communities holding a row, summed beside the instructors (coverage).
    rows = figures.instructor_rows("", window)
    level = dict(Region.objects.values_list("code", "level"))
    own = {code: (*values, 1 if level[code] == "community" else 0) for code, *values in (r.values() for r in rows)}
    assert {c: v for c, v in subtrees.rolled_up(rows, communities=True).items() if c in divisions} == python_roll_up(own)


def counted_from_the_logs(as_of: datetime.date) -> dict[str, tuple]:
    """The reference for counts(): every division's (active, core, guided, communities, communities
    covered) counted in Python from the instructors, their logs (not last_service_at) and the
    divisions' parent links."""
    start, end = indicators.local_span(*indicators.year_ending(as_of))
    parents = dict(Region.objects.values_list("code", "parent_id"))
    out = {code: [0, 0, 0, 0, 0] for code in parents}
    lives = set()
    for person in Instructor.objects.filter(status="active", kind="instructor").prefetch_related("logs"):
        guided = any(log.status == "confirmed" and start <= log.started_at < end for log in person.logs.all())
        lives.add(person.region_id)
        above = person.region_id
        while above is not None:
            out[above][0] += 1
            out[above][1] += person.core
            out[above][2] += guided
            above = parents[above]
    for code, level in Region.objects.values_list("code", "level"):
        above = code if level == "community" else None
        while above is not None:
            out[above][3] += 1
            out[above][4] += code in lives
            above = parents[above]
    return {code: tuple(values) for code, values in out.items()}


def test_the_figures_equal_a_count_from_the_logs(people):
    """Density, coverage and the guidance rate read the instructors alone (last_service_at kept by
    decide): for every division they equal a count over the logs themselves, today, for a past date
    (a last service after the window: the logs are asked) and a date when every service is too old."""
    w = people
    Region.objects.create(code="371502001002", name="西关社区", level="community", parent=w.township, population=5000)
    made = {region: active(w, region, seq, by_role="city", core=seq % 2 == 0)
            for seq, region in enumerate([w.township, w.county, w.city, w.other_community], start=420)}
    staff = w.users["city"]
    day = 24

    def served(instructor, days_ago: int, confirm: bool | None = True):
        log = logs.record(instructor, body(w, days_ago * day + 3, days_ago * day + 1, station=None, site=w.site.pk),
                          by=staff)
        if confirm is not None:
            logs.decide(log, confirm=confirm, by=staff)

    served(w.instructor, 0)
    served(made[w.township], 300)  # the last of two: for a date 100 days ago, after its window
    served(made[w.township], 0)
    served(made[w.county], 200)
    served(made[w.county], 1, confirm=None)  # pending, and turned down: neither counts
    served(made[w.county], 2, confirm=False)
    served(made[w.city], 400)  # before any window but the one 100 days ago
    kept = dict(Instructor.objects.values_list("pk", "last_service_at"))
    assert kept[made[w.township].pk] > kept[made[w.county].pk] > kept[made[w.city].pk]
    assert kept[made[w.other_community].pk] is None
    today = timezone.localdate()
    codes = list(Region.objects.values_list("code", flat=True))
    for as_of in (today, today - datetime.timedelta(days=100), today + datetime.timedelta(days=400)):
        found = {code: (c.active, c.core, c.guided, c.communities, c.covered)
                 for code, c in figures.counts(codes, as_of).items()}
        assert found == counted_from_the_logs(as_of), as_of
    assert found[w.city.code][2] == 0 and counted_from_the_logs(today)[w.city.code][2] == 3
    # The rebuild from the logs (after bulk writes) finds what decide() kept.
    Instructor.objects.update(last_service_at=None)
    logs.note_last_services()
    assert dict(Instructor.objects.values_list("pk", "last_service_at")) == kept


def test_four_teams_and_the_supplier_directory_kinds(people):
    w = people
    active(w, w.community, 403, kind="volunteer")
    active(w, w.community, 404, kind="administrator")
    active(w, w.other_community, 405, by_role="other_county", kind="pe_student")  # not one of the four teams
    for kind in ("expert", "pe_teacher", "company"):
        pools.save_supplier({"kind": kind, "name": f"{kind}供给", "region": w.county.code}, by=w.users["county"])
    pools.save_supplier({"kind": "organization", "name": "茌平健身协会", "region": w.other_county.code},
                        by=w.users["other_county"])
    codes = [w.city.code, w.county.code, w.other_county.code, w.community.code, w.township.code]
    values = indicators.compute_many(["four_teams_present", "supplier_kinds"], codes, timezone.localdate())
    teams, kinds = values["four_teams_present"], values["supplier_kinds"]
    assert (teams[w.city.code], teams[w.county.code], teams[w.other_county.code]) == (3, 3, 1)
    assert teams[w.community.code] == 3
    assert (kinds[w.city.code], kinds[w.county.code], kinds[w.other_county.code], kinds[w.township.code]) == (4, 3, 1, 0)
