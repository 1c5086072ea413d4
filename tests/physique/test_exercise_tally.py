"""The exercise standard indicators' roll-up (physique.tally's ExerciseTally) against the old way,
every grade decrypted.

Grades made through the real services: the staff page's record_grade, the API, an Excel import, an
annulment, a person graded in two divisions, a person's erasure, and sessions on both edges of the
indicators' 365 days. The three indicators, computed from the roll-up for every division, must equal
those computed from the decrypted grades (tally.decrypted_grades); rebuild_exercise() gives back the
tally the services kept. The race test (grades saved under one count at once) runs in the PostgreSQL
pass of .ci/run too.
"""

import datetime
import io

import pytest
from django.db import connections
from django.utils import timezone
from openpyxl import Workbook

from quanmin.core import indicators
from quanmin.core.indicators import local_span, percent, year_ending
from quanmin.demo.accounts import make_id_number
from quanmin.physique import services, services_exercise, tally
from quanmin.physique.models import ExerciseGrade, ExerciseSession, ExerciseTally, Participant
from quanmin.regions import subtrees
from quanmin.regions.models import Region
from tests import races

AS_OF = (datetime.date(2026, 6, 30), datetime.date(2026, 7, 1), datetime.date(2025, 12, 31))
KEYS = ("exercise_standard_coverage", "exercise_standard_pass_rate", "exercise_standard_good_rate")


def session(region, day):
    return services_exercise.create_session(region=region, held_on=day, place="体育中心", organiser="体育局")


def person(s, seq, male=True):
    return services_exercise.person_for(s, id_number=make_id_number("371502", "19800601", seq, male),
                                        real_name=f"人{seq}", consent=True)


@pytest.fixture
def graded(world, client_for):
    w = world
    first, last = year_ending(AS_OF[0])
    days = [first - datetime.timedelta(days=1), first, datetime.date(2025, 12, 31), datetime.date(2026, 1, 1), last,
            last + datetime.timedelta(days=1)]
    places = [w.community, w.other_community, w.township, w.county]
    levels = ["不达标", "达标", "良好", "优秀", "达标"]
    seq = 0
    for i, day in enumerate(days):
        s = session(places[i % len(places)], day)
        for j, level in enumerate(levels):
            seq += 1
            services_exercise.record_grade(s, person(s, seq, male=bool(j % 2)), level=level)
    # One person graded in two divisions, the second grade annulled then entered again.
    first_place = session(w.community, days[2])
    twice = person(first_place, 90)
    services_exercise.record_grade(first_place, twice, level="良好")
    other = session(w.other_community, days[3])
    wrong = services_exercise.record_grade(other, twice, level="不达标")
    services_exercise.annul_grade(wrong, reason="录入错误")
    services_exercise.record_grade(other, twice, level="优秀")
    # The API and an Excel import record through the same service.
    api = session(w.township, days[4])
    body = {"id_number": make_id_number("371502", "19700101", 7, True), "real_name": "周七", "level": "良好",
            "consent": True}
    assert client_for("county").post(f"/api/v1/physique/standard/sessions/{api.pk}/grades", body,
                                     content_type="application/json").status_code == 201
    wb = Workbook()
    wb.active.append(["姓名", "身份证号", "等级", "单项成绩", "知情同意"])
    for n, level in ((61, "达标"), (62, "不达标"), (63, "优秀")):
        wb.active.append([f"导{n}", make_id_number("371502", "19900101", n, False), level, "", "是"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "grades.xlsx"
    report = services_exercise.import_grades(session(w.other_community, days[1]), buf,
                                             visible_people=Participant.objects.all(), dry_run=False)
    assert report.applied, report.rows
    # A registered resident's grades, then the erasure of her data.
    resident = w.users["other_resident"]
    services.give_health_consent(resident)
    mine = services.participant_for_user(resident, w.other_community)
    services_exercise.record_grade(session(w.other_community, days[2]), mine, level="优秀")
    services_exercise.record_grade(session(w.other_community, days[3]), mine, level="良好")
    services.erase_person(resident)
    return w


def decrypted(codes: list[str], as_of: datetime.date) -> dict[str, dict]:
    """The three indicators computed the old way: every standing grade of the year decrypted."""
    start, end = local_span(*year_ending(as_of))
    rows = tally.decrypted_grades(ExerciseGrade.objects.filter(tested_at__gte=start, tested_at__lt=end))
    population = dict(Region.objects.filter(code__in=codes).values_list("code", "population"))
    out = {key: {} for key in KEYS}
    for code, mine in subtrees.roll_up(rows, codes).items():
        tests = len(mine)
        passed = sum(level in ("pass", "good", "excellent") for *_, level in mine)
        good = sum(level in ("good", "excellent") for *_, level in mine)
        out[KEYS[0]][code] = percent(len({r[1] for r in mine}), population.get(code) or 0, 2)
        out[KEYS[1]][code] = percent(passed, tests)
        out[KEYS[2]][code] = percent(good, tests)
    return out


def test_the_world_has_every_kind_of_grade(graded):
    levels = {(g.level, g.annulled_at is None) for g in ExerciseGrade.objects.all()}
    assert {("fail", True), ("pass", True), ("good", True), ("excellent", True), ("fail", False)} <= levels
    assert {g.source for g in ExerciseGrade.objects.all()} >= {"entered", "api", "import"}


def test_indicators_are_those_of_the_decrypted_grades(graded):
    codes = list(Region.objects.order_by("code").values_list("code", flat=True))
    for as_of in AS_OF:
        old = decrypted(codes, as_of)
        for key in KEYS:
            assert indicators.compute(key, codes, as_of) == old[key], (key, as_of)
    assert any(v for v in indicators.compute(KEYS[1], codes, AS_OF[0]).values())


def test_rebuild_gives_the_tally_the_services_kept(graded):
    kept = {row[:-1]: row[-1] for row in ExerciseTally.objects.exclude(n=0).values_list(*tally.EXERCISE_KEY, "n")}
    assert kept and tally.rebuild_exercise() == len(kept)
    assert {row[:-1]: row[-1] for row in ExerciseTally.objects.values_list(*tally.EXERCISE_KEY, "n")} == kept


def _record(session_id, participant_id):
    try:
        services_exercise.record_grade(ExerciseSession.objects.get(pk=session_id),
                                       Participant.objects.get(pk=participant_id), level="良好")
        return "ok"
    except Exception as exc:  # a lock or deadlock error would land here: the test fails on it
        return f"{type(exc).__name__}: {exc}"
    finally:
        connections.close_all()


@pytest.mark.race
@pytest.mark.django_db(transaction=True)
def test_grades_recorded_at_once_are_all_counted(world):
    """Six stations' staff save a grade under the same count at once (run in the PostgreSQL pass too)."""
    s = session(world.community, timezone.localdate())
    people = [person(s, 70 + k) for k in range(6)]
    assert races.run_threads(_record, [(s.pk, p.pk) for p in people]) == ["ok"] * 6
    assert list(ExerciseTally.objects.values_list("level", "n")) == [("good", 6)]
    assert tally.rebuild_exercise() == 1 and list(ExerciseTally.objects.values_list("n", flat=True)) == [6]
