"""Monitoring: consent before a test, tablet entry and import, the personal record and who may read it."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from quanmin.accounts import services as account_services
from quanmin.accounts.models import AuditEntry, Consent
from quanmin.demo.accounts import make_id_number
from quanmin.physique import errors, scoring, services
from quanmin.physique.models import Participant, TestResult
from quanmin.web import personal_data
from tests.conftest import PASSWORD
from tests.matrix import physique as pm

WALK_IN = make_id_number("371502", "19800601", 41, False)  # a woman born 1980
CHILD = make_id_number("371502", "20200101", 42, True)


def entry(session, **extra):
    data = {"id_number": WALK_IN, "real_name": "钱八", "consent": "on", "standard": "physique-2003",
            "m_height_cm": "160", "m_weight_kg": "55", "m_vital_capacity_ml": "2600", "m_step_index": "55",
            "m_grip_kg": "27", "m_sit_and_reach_cm": "10", "m_reaction_time_s": "0.55",
            "m_one_leg_stand_eyes_closed_s": "15", "m_pushups": "20", "m_vertical_jump_cm": "30",
            "m_situps_1min": "25"}
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


# --- consent -------------------------------------------------------------------------------------

def test_consent_is_required_before_a_result(world):
    session = pm.session(world)
    user = world.users["resident"]
    person = services.participant_for_user(user, world.community)
    with pytest.raises(errors.PhysiqueError) as err:
        services.record_result(session, person, standard="physique-2003", measurements=pm.ADULT)
    assert err.value.code == "consent_required" and TestResult.objects.count() == 0
    services.give_health_consent(user)
    assert services.record_result(session, person, standard="physique-2003", measurements=pm.ADULT).pk
    # Withdrawn consent stops new results again.
    account_services.withdraw_consent(user, Consent.Kind.HEALTH)
    with pytest.raises(errors.PhysiqueError):
        services.record_result(session, person, standard="physique-2003", measurements=pm.ADULT)


def test_children_need_a_guardian(world):
    person = services.participant_by_id_number(CHILD, region=world.community, real_name="小明")
    with pytest.raises(errors.PhysiqueError) as err:
        services.record_walk_in_consent(person)
    assert err.value.code == "guardian_consent_required"
    services.record_walk_in_consent(person, guardian_name="孙丽")
    assert services.has_health_consent(person)


def test_resident_gives_consent_on_their_page(world, client_for):
    client = client_for("resident")
    assert "Give consent" in client.get(reverse("physique:me"), headers={"Accept-Language": "en"}).content.decode()
    client.post(reverse("physique:consent"), {"agree": "on"})
    assert account_services.has_consent(world.users["resident"], Consent.Kind.HEALTH)


# --- tablet entry --------------------------------------------------------------------------------

def test_tablet_shows_the_items_of_the_group(world, client_for):
    session = pm.session(world)
    url = reverse("physique:record", args=[session.pk])
    r = client_for("county").post(url, {"id_number": WALK_IN, "standard": "physique-2003", "_refresh": "1"})
    html = r.content.decode()
    assert r.status_code == 200 and 'name="m_step_index"' in html and 'name="m_pushups"' not in html  # 40-59: no push-ups
    r = client_for("county").post(url, {"id_number": WALK_IN, "standard": "student-2014", "grade": "junior-2",
                                        "_refresh": "1"})
    assert 'name="m_run_800m_s"' in r.content.decode()  # a woman: 800 m


def test_tablet_entry_scores_and_saves(world, client_for):
    session = pm.session(world)
    r = client_for("county").post(reverse("physique:record", args=[session.pk]), entry(session))
    assert r.status_code == 302, r.content.decode()[:2000]
    result = TestResult.objects.get()
    person = result.participant
    assert person.real_name == "钱八" and person.sex == "female" and person.consent_at is not None
    assert WALK_IN not in person.id_number_enc and person.id_number == WALK_IN
    want = scoring.score("physique-2003", "female", age=result.age, measurements=result.measurements)
    assert float(result.total) == want.total and result.rating == (want.rating or "")
    assert result.tester == world.users["county"] and result.region_id == world.community.code
    assert "pushups" not in result.measurements  # items the group is not tested on are not kept
    assert AuditEntry.objects.filter(action="physique_result", target_id=str(result.pk)).exists()


def test_tablet_entry_without_consent_is_refused(world, client_for):
    session = pm.session(world)
    r = client_for("county").post(reverse("physique:record", args=[session.pk]), entry(session, consent=None))
    assert r.status_code == 400 and TestResult.objects.count() == 0 and Participant.objects.count() == 0


def test_tablet_entry_bad_value_shows_at_the_field(world, client_for):
    session = pm.session(world)
    r = client_for("county").post(reverse("physique:record", args=[session.pk]),
                                  entry(session, m_grip_kg="-3"), headers={"Accept-Language": "en"})
    assert r.status_code == 400 and "cannot be negative" in r.content.decode()
    assert TestResult.objects.count() == 0


def test_registered_resident_is_found_by_id_number(world, client_for):
    session = pm.session(world)
    resident = world.users["resident"]
    services.give_health_consent(resident)
    data = entry(session, id_number=resident.id_number, real_name="", consent=None)
    assert client_for("county").post(reverse("physique:record", args=[session.pk]), data).status_code == 302
    assert TestResult.objects.get().participant.user == resident


def test_a_walk_in_joins_their_account_later(world):
    """Tested as a walk-in before registering: the account takes the walk-in's record over."""
    resident = world.users["resident"]
    walk_in = Participant.objects.create(real_name="居民", id_number_hash=resident.id_number_hash,
                                         id_number_enc="x", region=world.community)
    person = services.participant_by_id_number(resident.id_number, region=world.community)
    assert person.pk == walk_in.pk and person.user == resident and person.id_number_enc == ""
    assert services.participant_for_user(resident, world.community).pk == walk_in.pk


# --- import --------------------------------------------------------------------------------------

def _xlsx(rows):
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "export.xlsx"
    return buf


def test_import_applies_valid_rows_and_reports_the_others(world, client_for):
    session = pm.session(world)
    services.give_health_consent(world.users["resident"])
    headers = ["姓名", "身份证号", "知情同意", "身高", "体重", "肺活量", "台阶指数", "握力", "俯卧撑", "纵跳", "坐位体前屈",
               "选择反应时", "闭眼单脚站立"]
    values = [170, 66, 3900, 56, 45, 25, 38, 8, 0.5, 20]
    rows = [headers,
            ["周九", make_id_number("371502", "19860315", 50, True), "是", *values],  # walk-in, consented
            ["", world.users["resident"].id_number, "", *values],  # registered, consented online
            ["吴十", make_id_number("371502", "19860315", 51, True), "", *values],  # no consent
            ["郑十一", make_id_number("371502", "19860315", 52, True), "是", 170, -66, *values[2:]],  # bad weight
            ["王十二", "123", "是", *values]]  # bad ID number
    r = client_for("county").post(reverse("physique:import", args=[session.pk]),
                                  {"standard": "physique-2003", "file": _xlsx(rows)},
                                  headers={"Accept-Language": "en"})
    assert r.status_code == 200
    report = r.context["report"]
    assert len(report.created) == 2 and report.total_rows == 5
    assert [line for line, _reason in report.rejected] == [4, 5, 6]
    reasons = dict(report.rejected)
    assert "consent" in reasons[4] and "体重" in reasons[5] and "身份证号" in reasons[6]
    assert TestResult.objects.filter(source="import").count() == 2
    assert not Participant.objects.filter(real_name="吴十").exists()  # a rejected row leaves nothing behind


def test_import_rejects_an_unreadable_file(world, client_for):
    session = pm.session(world)
    bad = io.BytesIO(b"PK\x03\x04garbage")
    bad.name = "x.xlsx"
    r = client_for("county").post(reverse("physique:import", args=[session.pk]),
                                  {"standard": "physique-2003", "file": bad})
    assert r.status_code == 400 and TestResult.objects.count() == 0


# --- the personal record -------------------------------------------------------------------------

def test_record_page_shows_every_test_with_charts(world, client_for):
    first = pm.result_of(world, "resident")
    session = pm.session(world, bookable=False)
    person = first.participant
    second = services.record_result(session, person, standard="physique-2003",
                                    measurements={**pm.ADULT, "grip_kg": 50})
    r = client_for("resident").get(reverse("physique:me"))
    html = r.content.decode()
    assert r.status_code == 200
    for res in (first, second):
        assert reverse("physique:report", args=[res.pk]) in html
    assert "vendor/echarts/echarts.min.js" in html and 'id="record-data"' in html
    chart = r.context["chart"]
    assert len(chart["totals"][0]["data"]) == 2 and chart["items"]
    entry = AuditEntry.objects.filter(action="read_personal").latest("id")
    assert entry.actor == world.users["resident"] and entry.detail["purpose"] == "own record"


def test_report_only_for_the_person_and_the_testing_staff(world, client_for):
    result = pm.result_of(world, "resident")
    url = reverse("physique:report", args=[result.pk])
    before = AuditEntry.objects.filter(action="read_personal").count()
    assert client_for("resident").get(url).status_code == 200
    assert client_for("county").get(url).status_code == 200  # testing staff of the station's division
    assert client_for("community").get(url).status_code == 200
    assert AuditEntry.objects.filter(action="read_personal").count() == before + 3
    assert client_for("other_resident").get(url).status_code == 404
    assert client_for("other_county").get(url).status_code == 404
    assert client_for("supervisor").get(url).status_code == 404  # figures only
    assert client_for(None).get(url).status_code == 302


def test_report_is_printable(world, client_for):
    result = pm.result_of(world, "resident")
    html = client_for("resident").get(reverse("physique:report", args=[result.pk])).content.decode()
    assert "@page { size: A4" in html and "data-print" in html  # the print rules: tests/web/test_print_browser.py


def test_staff_see_a_person_tested_at_their_stations(world, client_for):
    result = pm.result_of(world, "resident")
    url = reverse("physique:participant", args=[result.participant_id])
    r = client_for("county").get(url)
    assert r.status_code == 200 and reverse("physique:report", args=[result.pk]) in r.content.decode()
    entry = AuditEntry.objects.filter(action="read_personal").latest("id")
    assert entry.actor == world.users["county"] and entry.detail["purpose"] == "testing staff"
    assert client_for("other_county").get(url).status_code == 404
    assert client_for("supervisor").get(url).status_code == 403
    assert client_for("other_resident").get(url).status_code == 403


def test_export_includes_physique_results(world):
    result = pm.result_of(world, "resident")
    data = personal_data.export_own_data(world.users["resident"])
    assert [r["total"] for r in data["physique"]["results"]] == [float(result.total)]
    assert data["physique"]["results"][0]["measurements"]["grip_kg"] == 45


def test_session_open_for_booking_and_booked(world, client_for):
    session = pm.session(world, bookable=False)
    assert session.slot is None
    client_for("county").post(reverse("physique:session_open", args=[session.pk]))
    session.refresh_from_db()
    assert session.slot.capacity == session.capacity and session.slot.unit.kind == "session"
    client_for("resident").post(reverse("physique:session_book", args=[session.pk]))
    page = client_for("county").get(reverse("physique:session", args=[session.pk])).content.decode()
    assert world.users["resident"].real_name in page


def test_station_without_site_cannot_take_bookings(world):
    station = services.create_station(name="流动监测车", region=world.county)
    import datetime

    from django.utils import timezone
    start = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(errors.PhysiqueError) as err:
        services.create_session(station, starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                                open_booking=True)
    assert err.value.code == "no_site"


def test_erasing_ones_data_erases_physique_results(world):
    user = world.users["resident"]
    personal_data.delete_own_data(user, password=PASSWORD)
    assert not Participant.objects.filter(user=user).exists()
    assert not TestResult.objects.filter(participant__user=user).exists()
