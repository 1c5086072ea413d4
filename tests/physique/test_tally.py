"""The figures' roll-up (physique.tally) against the old way, every outcome decrypted.

A small world made through the real services: tablet entries (record_result), the API, an Excel
import, a result stored under a standard's old data and rescored, a person's results erased, a walk-in
who registers and is tested again, a person tested in two divisions, and results on the edges of a
year and of the indicators' 365 days in the city's time zone (Asia/Shanghai: 2026-01-01 00:00 there
is still 2025 in UTC). Each figure and indicator is computed from the roll-up and the old way
(tally.decrypted_rows, every result decrypted), and must be the same. The race test (results
saved under one count at once) runs in the PostgreSQL pass of .ci/run too.
"""

import dataclasses
import datetime
import io

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from quanmin.core import indicators
from quanmin.core.indicators import decimal, year_ending
from quanmin.demo.accounts import make_id_number
from quanmin.physique import figures, scoring, services, tally
from quanmin.physique.models import ResultTally, TestResult
from quanmin.regions import subtrees
from quanmin.regions.models import Region
from tests import races
from tests.conftest import make_user
from tests.matrix import physique as pm

INDICATORS = {"physique_tests_per_year": "tests", "physique_pass_share": "pass_share",
              "student_good_share": "student_good_share"}
STUDENT = {"height_cm": 160, "weight_kg": 50, "vital_capacity_ml": 3000, "sprint_50m_s": 8.5,
           "sit_and_reach_cm": 10, "standing_long_jump_cm": 200, "pullups": 5, "situps_1min": 40,
           "run_1000m_s": 250, "run_800m_s": 230}


def local(y, m, d, hh=10, mm=0, ss=0):
    return timezone.make_aware(datetime.datetime(y, m, d, hh, mm, ss))


def fit(measurements: dict, factor: float) -> dict:
    """Measurements of a person `factor` times as fit (times and reaction shorter; height and weight kept)."""
    return {k: v if k in ("height_cm", "weight_kg") else round(v / factor if k.endswith("_s") else v * factor, 2)
            for k, v in measurements.items()}


@pytest.fixture
def tested(world, client_for, monkeypatch):
    w = world
    stations = {r.code: services.create_station(name=f"{r.name}监测点", region=r)
                for r in (w.community, w.other_community, w.township)}

    def session(region, when):
        return services.create_session(stations[region.code], starts_at=when, ends_at=when + datetime.timedelta(hours=3))

    def walk_in(seq, birth="19800601", male=True):
        person = services.participant_by_id_number(make_id_number("371502", birth, seq, male), region=w.community,
                                                   real_name=f"人{seq}")
        return services.record_walk_in_consent(person)

    def record(region, when, person, standard="physique-2003", measurements=pm.ADULT, **extra):
        return services.record_result(session(region, when), person, standard=standard, measurements=measurements,
                                      tested_at=when, **extra)

    # Year edges (local time) and the indicators' year ending 2026-06-30: 2025-07-01 00:00 to 2026-06-30 24:00.
    edges = [local(2025, 12, 31, 23, 59, 59), local(2026, 1, 1, 0, 0), local(2025, 6, 30, 23, 59),
             local(2025, 7, 1, 0, 0), local(2026, 6, 30, 23, 59, 59), local(2026, 7, 1, 0, 0), local(2026, 3, 1, 7, 30)]
    places = [w.community, w.other_community, w.township]
    seq = 0
    for i, when in enumerate(edges):
        for j, factor in enumerate((1, 0.68, 1.2)):  # a man at 0.68 fails
            seq += 1
            record(places[(i + j) % 3], when, walk_in(seq, male=bool(j % 2)), measurements=fit(pm.ADULT, factor))
        seq += 1
        record(places[i % 3], when, walk_in(seq), measurements={"height_cm": 170})  # outcome unknown
        seq += 1
        student = walk_in(seq, birth="20120301", male=bool(i % 2))
        record(places[(i + 1) % 3], when, student, standard="student-2014", grade="junior-2",
               measurements=fit(STUDENT, (0.5, 1, 1.1)[i % 3]))
    # One person tested twice in a year, in two divisions.
    twice = walk_in(90)
    record(w.community, local(2026, 2, 1), twice)
    record(w.other_community, local(2026, 5, 1), twice, measurements=fit(pm.ADULT, 0.68))
    # A walk-in registers: the user takes over the walk-in record, and is tested again.
    first = services.record_walk_in_consent(services.participant_by_id_number(
        make_id_number(w.community.code, "19800101", 50, True), region=w.township, real_name="后注册"))
    record(w.township, local(2026, 4, 1), first)
    registered = make_user("13700000050", "后注册", home=w.community, seq=50)
    services.give_health_consent(registered)
    again = services.participant_for_user(registered, w.community)
    assert again.pk == first.pk
    record(w.community, local(2026, 4, 2), again)
    # Another resident's results, then the erasure of her data.
    other = w.users["other_resident"]
    services.give_health_consent(other)
    mine = services.participant_for_user(other, w.other_community)
    record(w.other_community, local(2026, 4, 3), mine)
    record(w.other_community, local(2025, 9, 3), mine, measurements=fit(pm.ADULT, 0.68))
    # The API and an Excel import write through the same service.
    body = {**pm.record_body(w), "session_id": session(w.township, local(2026, 5, 5)).pk,
            "tested_at": local(2026, 5, 5).isoformat()}
    assert client_for("county").post("/api/v1/physique/results", body, content_type="application/json").status_code == 201
    wb = Workbook()
    wb.active.append(["姓名", "身份证号", "知情同意", "测试日期", "身高", "体重", "肺活量", "台阶指数", "握力", "俯卧撑", "纵跳",
                      "坐位体前屈", "选择反应时", "闭眼单脚站立"])
    for k, day in enumerate(("2025-12-31", "2026-01-01")):
        wb.active.append([f"导{k}", make_id_number("371503", "19700101", 60 + k, True), "是", day,
                          *pm.ADULT.values()])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    report = services.import_results(session(w.other_community, local(2025, 12, 31, 8)), buf, "x.xlsx",
                                     standard="physique-2003")
    assert len(report.created) == 2, report.rejected
    # A result stored as the old data of the standard scored it (rated excellent), then rescored.
    real = scoring.score
    monkeypatch.setattr(scoring, "score", lambda *a, **k: dataclasses.replace(real(*a, **k), rating="excellent",
                                                                              passed=True))
    stale = record(w.community, local(2026, 6, 1), walk_in(91), measurements=fit(pm.ADULT, 0.68))
    monkeypatch.setattr(scoring, "score", real)
    w.before_rescore = figures.division_figures(w.city).as_dict()
    assert services.rescore_results(standard="physique-2003").rating_changed >= 1
    stale.refresh_from_db()
    assert stale.rating != "excellent"
    services.erase_person(other)
    return w


def divisions():
    return list(Region.objects.order_by("code"))


def old_way(monkeypatch):
    monkeypatch.setattr(figures, "result_rows", tally.decrypted_rows)


def test_the_world_has_every_kind_of_result(tested):
    outcomes = {(r.standard, r.passed) for r in TestResult.objects.all()}
    assert {("physique-2003", True), ("physique-2003", False), ("physique-2003", None)} <= outcomes
    assert {("student-2014", True), ("student-2014", False)} & outcomes
    years = {timezone.localtime(r.tested_at).year for r in TestResult.objects.all()}
    assert years == {2025, 2026}
    assert tested.before_rescore != figures.division_figures(tested.city).as_dict()  # the rescore moved a count


def test_figures_are_those_of_the_decrypted_results(tested, monkeypatch):
    cases = [(r, year) for r in divisions() for year in (None, 2025, 2026)]
    new = [figures.division_figures(r, year).as_dict() for r, year in cases]
    old_way(monkeypatch)
    old = [figures.division_figures(r, year).as_dict() for r, year in cases]
    for case, a, b in zip(cases, new, old, strict=True):
        assert a == b, case
    assert any(d["total"]["tests"] for d in new)


def test_indicators_are_those_of_the_decrypted_results(tested):
    codes = [r.code for r in divisions()]
    for as_of in (datetime.date(2026, 6, 30), datetime.date(2026, 7, 1), datetime.date(2025, 12, 31),
                  datetime.date(2026, 12, 31)):
        rows = tally.decrypted_rows(subtrees.covering_prefix(codes), 12, year_ending(as_of))
        old = subtrees.sum_up(rows, codes, lambda code: figures.Counts(), key=lambda row: row["child"])
        for key, attribute in INDICATORS.items():
            assert indicators.compute(key, codes, as_of) == {
                code: decimal(getattr(c, attribute)) for code, c in old.items()}, (key, as_of)


def test_rebuild_gives_the_tally_the_services_kept(tested):
    kept = {row[:-1]: row[-1] for row in ResultTally.objects.exclude(n=0).values_list(*tally.KEY, "n")}
    assert tally.rebuild() == len(kept)
    assert {row[:-1]: row[-1] for row in ResultTally.objects.values_list(*tally.KEY, "n")} == kept


def test_queries_do_not_grow_with_divisions(world):
    def counted(call):
        with CaptureQueriesContext(connection) as ctx:
            call()
        return len(ctx.captured_queries)

    def measure():
        codes = [r.code for r in divisions()]
        return (counted(lambda: figures.division_figures(world.city)),
                counted(lambda: figures.division_figures(world.county)),
                counted(lambda: [indicators.compute(key, codes, datetime.date(2026, 6, 30)) for key in INDICATORS]))

    person = services.record_walk_in_consent(services.participant_by_id_number(
        make_id_number("371502", "19800601", 1, True), region=world.community, real_name="甲"))
    station = services.create_station(name="站", region=world.community)
    when = local(2026, 3, 1)
    session = services.create_session(station, starts_at=when, ends_at=when + datetime.timedelta(hours=1))
    services.record_result(session, person, standard="physique-2003", measurements=pm.ADULT, tested_at=when)
    few = measure()
    for t in range(2, 6):  # four townships more, three communities each, each with a tested result
        town = Region.objects.create(code=f"371502{t:03d}000", name=f"镇{t}", level="township", parent=world.county)
        for m in range(1, 4):
            place = Region.objects.create(code=f"371502{t:03d}{m:03d}", name=f"村{t}{m}", level="community",
                                          parent=town)
            station = services.create_station(name=f"站{t}{m}", region=place)
            session = services.create_session(station, starts_at=when, ends_at=when + datetime.timedelta(hours=1))
            services.record_result(session, person, standard="physique-2003", measurements=pm.ADULT, tested_at=when)
    assert measure() == few



def _record(session_id, participant_id, when_iso):
    from quanmin.physique.models import Participant, TestSession
    try:
        services.record_result(TestSession.objects.get(pk=session_id), Participant.objects.get(pk=participant_id),
                               standard="physique-2003", measurements=pm.ADULT,
                               tested_at=datetime.datetime.fromisoformat(when_iso))
        return "ok"
    except Exception as exc:  # a lock or deadlock error would land here: the test fails on it
        return f"{type(exc).__name__}: {exc}"
    finally:
        connections.close_all()


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_results_recorded_at_once_are_all_counted(world):
    """Six testers save a result under the same count at once (run in the PostgreSQL pass too)."""
    when = local(2026, 3, 1)
    station = services.create_station(name="站", region=world.community)
    session = services.create_session(station, starts_at=when, ends_at=when + datetime.timedelta(hours=1))
    people = [services.record_walk_in_consent(services.participant_by_id_number(
        make_id_number("371502", "19800601", 70 + k, True), region=world.community, real_name=f"并{k}"))
        for k in range(6)]
    results = races.run_threads(_record, [(session.pk, p.pk, when.isoformat()) for p in people])
    assert results == ["ok"] * 6
    assert list(ResultTally.objects.values_list("n", flat=True)) == [6]
    assert tally.rebuild() == 1 and list(ResultTally.objects.values_list("n", flat=True)) == [6]
