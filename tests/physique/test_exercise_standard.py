"""The National Physical Exercise Standard (国家体育锻炼标准): sessions, grades as the station gives them,
certificates and their public check, annulment, Excel in and out, indicators, points, the API."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from quanmin.accounts.models import AuditEntry
from quanmin.core.indicators import compute
from quanmin.demo.accounts import make_id_number
from quanmin.physique import errors, exercise, services, services_exercise
from quanmin.physique.models import ExerciseCertificate, ExerciseGrade, Participant
from quanmin.web import personal_data
from tests.conftest import PASSWORD
from tests.matrix import physique as pm

ZH = {"Accept-Language": "zh-hans"}


def walk_in(session, seq, *, consent=True, name="钱八", birth="19800601", male=False):
    return services_exercise.person_for(session, id_number=make_id_number("371502", birth, seq, male), real_name=name,
                                        consent=consent)


# --- the data file ------------------------------------------------------------------------------------

def test_the_edition_is_data_with_its_source_and_holds_no_scoring():
    ed = exercise.edition()
    assert ed.name == "exercise-2013" and "国家体育锻炼标准" in ed.title
    assert ed.scoring is None  # the tables are not held: grades come from the testing station
    assert "国家体育总局" in ed.source["standard"]
    assert [ed.levels[c].zh for c in exercise.LEVELS] == ["不达标", "达标（合格）", "良好", "优秀"]
    assert ed.certificate_levels == {"pass", "good", "excellent"}
    for word, code in (("达标", "pass"), ("合格", "pass"), ("不合格", "fail"), ("优秀", "excellent"), ("Good", "good"),
                       ("达标(合格)", "pass")):
        assert exercise.parse_level(ed, word) == code
    with pytest.raises(errors.PhysiqueError) as err:
        exercise.parse_level(ed, "95分")
    assert err.value.code == "level_invalid"


# --- service --------------------------------------------------------------------------------------------

def test_a_grade_at_pass_or_better_gets_a_certificate_and_a_fail_none(world):
    s = pm.exercise_session(world)
    graded = {}
    for seq, level in enumerate(("不达标", "达标", "良好", "优秀"), start=1):
        graded[level] = services_exercise.record_grade(s, walk_in(s, seq), level=level, items="50米跑 8.9秒")
    assert ExerciseCertificate.objects.count() == 3
    assert not ExerciseCertificate.objects.filter(grade=graded["不达标"]).exists()
    cert = graded["优秀"].certificate
    assert cert.number.startswith(f"{s.held_on.year}-371502-") and cert.region_id == world.community.code
    stored = ExerciseGrade.objects.get(pk=graded["优秀"].pk)
    assert stored.level == "excellent" and stored.items == "50米跑 8.9秒"
    assert "excellent" not in stored.outcome_enc and "8.9" not in stored.health_enc  # encrypted at rest


def test_bad_input_changes_nothing(world):
    s = pm.exercise_session(world)
    person = walk_in(s, 1)
    for kwargs, code in (({"level": ""}, "level_required"), ({"level": "甲等"}, "level_invalid"),
                         ({"level": "达标", "items": "x" * 501}, "items_too_long")):
        with pytest.raises(errors.PhysiqueError) as err:
            services_exercise.record_grade(s, person, **kwargs)
        assert err.value.code == code
    no_consent = walk_in(s, 2, consent=False)
    with pytest.raises(errors.PhysiqueError) as err:
        services_exercise.record_grade(s, no_consent, level="达标")
    assert err.value.code == "consent_required"
    services_exercise.record_grade(s, person, level="达标")
    with pytest.raises(errors.PhysiqueError) as err:
        services_exercise.record_grade(s, person, level="优秀")
    assert err.value.code == "already_graded"
    assert ExerciseGrade.objects.count() == 1 and ExerciseCertificate.objects.count() == 1
    with pytest.raises(errors.PhysiqueError) as err:
        services_exercise.create_session(region=world.county, held_on=timezone.localdate(), place=" ", organiser="局")
    assert err.value.code == "place_required"


def test_annulling_revokes_the_certificate_audited_and_allows_a_new_grade(world):
    s = pm.exercise_session(world)
    person = walk_in(s, 1)
    grade = services_exercise.record_grade(s, person, level="良好")
    actor = world.users["county"]
    with pytest.raises(errors.PhysiqueError):
        services_exercise.annul_grade(grade, reason=" ", actor=actor)
    services_exercise.annul_grade(grade, reason="测试器材未检定", actor=actor)
    cert = ExerciseCertificate.objects.get(grade=grade)
    assert cert.revoked_at is not None and cert.revoke_reason == "测试器材未检定"
    entry = AuditEntry.objects.filter(action="exercise_grade_annulled").get()
    assert entry.actor == actor and entry.detail["certificate_revoked"] is True
    with pytest.raises(errors.PhysiqueError) as err:
        services_exercise.annul_grade(grade, reason="again", actor=actor)
    assert err.value.code == "already_annulled"
    again = services_exercise.record_grade(s, person, level="达标")  # retested: a new grade and certificate
    assert again.certificate.number != cert.number


def test_a_persons_data_export_and_erasure_cover_grades(world):
    grade = pm.exercise_grade_of(world, "resident")
    user = world.users["resident"]
    exported = services.export_person(user)["exercise_standard"]
    assert exported[0]["level"] == "good" and exported[0]["certificate"] == grade.certificate.number
    personal_data.delete_own_data(user, password=PASSWORD)
    assert not ExerciseGrade.objects.filter(pk=grade.pk).exists()
    assert not ExerciseCertificate.objects.exists()


# --- pages ---------------------------------------------------------------------------------------------

def test_the_check_page_shows_only_what_verifies(world, client):
    grade = pm.exercise_grade_of(world, "resident")
    number = grade.certificate.number
    html = client.get(reverse("physique:certificate_check", args=[number]), headers=ZH).content.decode()
    assert "居*" in html and "居民" not in html  # the name masked
    assert "良好" in html and world.community.name in html and str(grade.session.held_on.year) in html
    assert "<svg" in html  # the QR code
    id_number = world.users["resident"].id_number
    assert id_number not in html and id_number[-4:] not in html and grade.session.place not in html
    # Typed in: the number leads to its page; an unknown number says so.
    r = client.get(reverse("physique:certificate_lookup"), {"number": number.lower()})
    assert r.status_code == 302 and r["Location"].endswith(f"/{number}/")
    r = client.get(reverse("physique:certificate_lookup"), {"number": "2026-000000-XXXXXXXX"}, headers=ZH)
    assert r.status_code == 404 and "没有编号为" in r.content.decode()
    services_exercise.annul_grade(grade, reason="录入错误")
    html = client.get(reverse("physique:certificate_check", args=[number]), headers=ZH).content.decode()
    assert "已撤销" in html


def test_the_resident_sees_grades_and_prints_only_their_own_certificate(world, client_for):
    grade = pm.exercise_grade_of(world, "resident")
    number = grade.certificate.number
    me = client_for("resident")
    html = me.get(reverse("physique:me"), headers=ZH).content.decode()
    assert "国家体育锻炼标准" in html and "良好" in html and number in html
    html = me.get(reverse("physique:certificate", args=[number]), headers=ZH).content.decode()
    assert "居民" in html and "data-print" in html  # the holder's own copy: the full name
    assert client_for("other_resident").get(reverse("physique:certificate", args=[number])).status_code == 404
    assert client_for("county").get(reverse("physique:certificate", args=[number])).status_code == 404


def test_staff_enter_a_grade_on_the_session_page(world, client_for):
    s = pm.exercise_session(world)
    staff = client_for("county")
    url = reverse("physique:exercise_grade", args=[s.pk])
    r = staff.post(url, {"id_number": make_id_number("371502", "19700101", 5, True), "level": "excellent",
                         "real_name": "孙九"}, headers=ZH)
    assert r.status_code == 400 and "同意" in r.content.decode()
    assert not ExerciseGrade.objects.exists()
    r = staff.post(url, {"id_number": make_id_number("371502", "19700101", 5, True), "level": "excellent",
                         "real_name": "孙九", "consent": "on"})
    assert r.status_code == 302
    html = staff.get(reverse("physique:exercise_session", args=[s.pk]), headers=ZH).content.decode()
    assert "孙九" in html and "优秀" in html
    assert client_for("other_county").get(reverse("physique:exercise_session", args=[s.pk])).status_code == 404


# --- Excel in and out --------------------------------------------------------------------------------

def _xlsx(rows, headers=("姓名", "身份证号", "等级", "单项成绩", "知情同意")):
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "grades.xlsx"
    return buf


def test_import_checks_then_records_all_rows(world):
    s = pm.exercise_session(world)
    rows = [("张三", make_id_number("371502", "19800101", n, True), level, "", "是")
            for n, level in ((1, "达标"), (2, "良好"), (3, "不达标"))]
    dry = services_exercise.import_grades(s, _xlsx(rows), visible_people=Participant.objects.all(), dry_run=True)
    assert dry.ok and dry.counts["new"] == 3 and not dry.applied
    assert not ExerciseGrade.objects.exists() and not Participant.objects.exists()
    done = services_exercise.import_grades(s, _xlsx(rows), visible_people=Participant.objects.all(), dry_run=False)
    assert done.applied and ExerciseGrade.objects.filter(source="import").count() == 3
    assert ExerciseCertificate.objects.count() == 2


def test_a_hostile_file_is_reported_row_by_row_in_chinese_and_nothing_is_written(world, client_for):
    s = pm.exercise_session(world)
    good = make_id_number("371502", "19800101", 1, True)
    rows = [
        ("张三", good, "达标", "", "是"),
        ("李四", "371502198001011234", "良好", "", "是"),  # a wrong check character
        ("王五", make_id_number("371502", "19800101", 2, True), "九十分", "", "是"),
        ("赵六", make_id_number("371502", "19800101", 3, True), "优秀", "", ""),  # no consent
        ("张三", good, "良好", "", "是"),  # twice
        ("孙七", make_id_number("371502", "19800101", 4, True), "达标", "x" * 600, "是"),
    ]
    r = client_for("county").post(reverse("physique:exercise_import", args=[s.pk]),
                                  {"file": _xlsx(rows), "apply": "on"}, headers=ZH)
    html = r.content.decode()
    assert r.status_code == 200, html[html.find("<main"):][:3000]
    for line, words in ((3, "身份证"), (4, "不达标"), (5, "知情同意"), (6, "第 2 行"), (7, "500")):
        assert f'<td class="num">{line}</td>' in html and words in html, line
    assert "没有记录" in html or "未记录" in html
    assert not ExerciseGrade.objects.exists() and not Participant.objects.exists()
    # A formula in a cell, a file that is not a spreadsheet, an empty upload: a clear error, no 500.
    formula = _xlsx([("=HYPERLINK(\"http://x\")", good, "达标", "", "是")])
    r = client_for("county").post(reverse("physique:exercise_import", args=[s.pk]), {"file": formula, "apply": "on"},
                                  headers=ZH)
    assert r.status_code == 400 and "公式" in r.content.decode()
    for body in (b"PK\x03\x04 broken zip", b""):
        f = io.BytesIO(body)
        f.name = "grades.xlsx"
        r = client_for("county").post(reverse("physique:exercise_import", args=[s.pk]), {"file": f, "apply": "on"})
        assert r.status_code == 400
    assert not ExerciseGrade.objects.exists()


def test_export_then_import_round_trip(world, client_for):
    s = pm.exercise_session(world)
    tricky = walk_in(s, 1, name="=1+2")
    services_exercise.record_grade(s, tricky, level="良好", items="@SUM(A1)")
    services_exercise.record_grade(s, walk_in(s, 2, name="王五"), level="不达标")
    r = client_for("county").get(reverse("physique:exercise_export", args=[s.pk]), headers=ZH)
    assert r.status_code == 200
    data = b"".join(r.streaming_content)
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("系统ID", "姓名", "身份证号", "等级", "单项成绩")
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["=1+2"][3] == "良好" and by_name["=1+2"][4] == "@SUM(A1)"
    assert ws.cell(row=2, column=2).data_type == "s"  # a formula-like name written as text
    assert "*" in by_name["王五"][2]  # ID numbers masked
    assert AuditEntry.objects.filter(action="list_personal").exists()
    # The same file into the next session names people by system ID and records their grades.
    nxt = services_exercise.create_session(region=world.county, held_on=s.held_on + datetime.timedelta(days=1),
                                           place="体育馆", organiser="体育局")
    f = io.BytesIO(data)
    f.name = "back.xlsx"
    r = client_for("county").post(reverse("physique:exercise_import", args=[nxt.pk]), {"file": f, "apply": "on"})
    assert r.status_code == 200
    got = {g.participant_id: g.level for g in ExerciseGrade.objects.filter(session=nxt)}
    assert got == {tricky.pk: "good", Participant.objects.get(real_name="王五").pk: "fail"}
    # The neighbouring county cannot name these people by system ID.
    other = pm.exercise_session(world, other=True)
    f = io.BytesIO(data)
    f.name = "back.xlsx"
    r = client_for("other_county").post(reverse("physique:exercise_import", args=[other.pk]),
                                        {"file": f, "apply": "on"}, headers=ZH)
    assert "系统ID" in r.content.decode() and not ExerciseGrade.objects.filter(session=other).exists()


# --- indicators -----------------------------------------------------------------------------------------

def test_indicators_match_a_hand_count(world):
    s = pm.exercise_session(world)
    levels = ["不达标", "达标", "达标", "良好", "优秀"]
    grades = [services_exercise.record_grade(s, walk_in(s, n), level=lv) for n, lv in enumerate(levels, start=1)]
    services_exercise.annul_grade(grades[-1], reason="作废")  # counts nowhere
    other = pm.exercise_session(world, other=True)
    services_exercise.record_grade(other, walk_in(other, 9), level="良好")
    old = services_exercise.create_session(region=world.county, held_on=timezone.localdate() - datetime.timedelta(days=400),
                                           place="旧", organiser="局")
    services_exercise.record_grade(old, walk_in(old, 10), level="优秀")  # more than a year ago
    today = timezone.localdate()
    codes = [world.city.code, world.county.code, world.other_county.code]
    cover = compute("exercise_standard_coverage", codes, today)
    passed = compute("exercise_standard_pass_rate", codes, today)
    good = compute("exercise_standard_good_rate", codes, today)
    # County: 4 standing grades of 4 people; 3 at pass or better, 1 good; population 1,229,768.
    assert passed[world.county.code] == Decimal("75.0") and good[world.county.code] == Decimal("25.0")
    assert cover[world.county.code] == (Decimal(100) * 4 / 1229768).quantize(Decimal("0.01"))
    # City: 5 grades of 5 people (4 + 1 in the other county): 4 passed, 2 good or excellent.
    assert passed[world.city.code] == Decimal("80.0") and good[world.city.code] == Decimal("40.0")
    assert passed[world.other_county.code] == Decimal("100.0")
    assert compute("exercise_standard_pass_rate", [world.township.code], today)[world.township.code] == Decimal("75.0")


# --- points ---------------------------------------------------------------------------------------------

def test_a_standard_test_earns_points_under_its_own_rule_and_an_annulment_takes_them_back(world):
    from quanmin.incentives import points
    from quanmin.incentives.models import Fact, PointsEntry

    points.save_rule(world.city, {"fact": Fact.EXERCISE_STANDARD, "points": 50, "yearly_cap": 50,
                                  "starts_on": "2020-01-01"})
    grade = pm.exercise_grade_of(world, "resident")
    points.credit()
    user = world.users["resident"]
    assert PointsEntry.objects.filter(user=user, fact=Fact.EXERCISE_STANDARD).get().points == 50
    points.credit()  # again: nothing more
    assert PointsEntry.objects.filter(user=user, fact=Fact.EXERCISE_STANDARD).count() == 1
    services_exercise.annul_grade(grade, reason="作废")
    points.credit()
    assert sum(PointsEntry.objects.filter(user=user, fact=Fact.EXERCISE_STANDARD).values_list("points", flat=True)) == 0


# --- API -----------------------------------------------------------------------------------------------

def test_api_session_grade_check_and_annul(world, client_for, client):
    staff = client_for("county")
    r = staff.post("/api/v1/physique/standard/sessions", {"region_code": world.county.code, "held_on": "2026-05-01",
                                                          "place": "体育中心", "organiser": "体育局"},
                   content_type="application/json")
    assert r.status_code == 201
    sid = r.json()["id"]
    body = {"id_number": make_id_number("371502", "19800101", 7, True), "real_name": "周七", "level": "优秀",
            "consent": True, "items": "立定跳远 2.35米"}
    r = staff.post(f"/api/v1/physique/standard/sessions/{sid}/grades", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["level"] == "excellent"
    number = r.json()["certificate"]
    r = staff.post(f"/api/v1/physique/standard/sessions/{sid}/grades", body, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "already_graded"
    r = staff.post(f"/api/v1/physique/standard/sessions/{sid}/grades", {**body, "level": "A+"},
                   content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "level_invalid"
    checked = client.get(f"/api/v1/physique/standard/certificates/{number}").json()
    assert checked == {"number": number, "valid": True, "name": "周*", "level": "excellent", "level_label": "优秀",
                       "year": 2026, "issuer": world.county.name, "edition": exercise.edition().title}
    assert client.get("/api/v1/physique/standard/certificates/NOPE").status_code == 404
    grade_id = ExerciseGrade.objects.get(certificate__number=number).pk
    assert client_for("other_county").post(f"/api/v1/physique/standard/grades/{grade_id}/annul", {"reason": "x"},
                                           content_type="application/json").status_code == 404
    r = staff.post(f"/api/v1/physique/standard/grades/{grade_id}/annul", {"reason": "录入错误"},
                   content_type="application/json")
    assert r.status_code == 200 and r.json()["annulled"] is True
    assert client.get(f"/api/v1/physique/standard/certificates/{number}").json()["valid"] is False


def test_api_my_grades(world, client_for):
    grade = pm.exercise_grade_of(world, "resident")
    mine = client_for("resident").get("/api/v1/physique/standard/me").json()
    assert mine[0]["level"] == "good" and mine[0]["certificate"] == grade.certificate.number
    assert client_for("other_resident").get("/api/v1/physique/standard/me").json() == []
