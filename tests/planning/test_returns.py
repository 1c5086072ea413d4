"""County returns (统计监测, seed 004): the city opens a round, each county's return comes filled with
what the platform computes; the county fills in the rest and its situations and problems, attaches
evidence and submits; the city returns it with a comment, the county resubmits, the city accepts;
the summary exports to Excel; overdue returns are warned once. Bad input changes nothing."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from quanmin.accounts.models import Notification
from quanmin.core import indicators
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import CountyReturn, ReturnAttachment, ReturnEntry, ReturnFigure, ReturnRound
from quanmin.planning.services import returns

TODAY = datetime.date(2026, 7, 10)


@pytest.fixture
def rnd(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return returns.open_round(
        world.users["city"], division_code=world.city.code, title="2026年上半年全民健身统计监测",
        period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 6, 30),
        due_on=datetime.date(2026, 7, 20), indicator_keys=["grounds"], today=TODAY,
        manual=[{"name": "全民健身活动场次", "unit": "count", "kind": "integer"},
                {"name": "建立统计监测制度", "unit": "count", "kind": "yes_no"}])


def _mine(rnd, world, role="county"):
    return rnd.returns.get(division_code=(world.county if role == "county" else world.other_county).code)


def _ids(rnd):
    items = list(rnd.items.order_by("order"))
    return items[1].pk, items[2].pk


def test_round_lifecycle(world, client_for, rnd):
    assert rnd.computed_as_of == datetime.date(2026, 6, 30)
    assert [r.division_name for r in rnd.returns.all()] == ["东昌府区", "茌平区"]
    ret = _mine(rnd, world)
    grounds = ret.figures.get(item__indicator="grounds")
    assert grounds.computed == 1 and grounds.entered is None  # the county's one basketball court
    events, system = _ids(rnd)
    county = client_for("county")
    url = reverse("planning:return", args=[ret.pk])
    page = county.get(url).content.decode()
    assert f'name="figure_{events}"' in page and f'name="figure_{grounds.item_id}"' not in page

    # Submitting with a figure missing: told which, nothing changes.
    county.post(url, {f"figure_{events}": "12", "situation": "场地不足。", "action": "submit"})
    ret.refresh_from_db()
    assert ret.status == "draft" and ret.situation == "" and not ReturnEntry.objects.exists()
    county.post(url, {f"figure_{events}": "12", f"figure_{system}": "是", "situation": "场地不足。", "action": "save"})
    county.post(reverse("planning:return_attach", args=[ret.pk]),
                {"evidence": SimpleUploadedFile("统计表.pdf", b"%PDF-1.4")})
    assert county.post(url, {"action": "submit"}).status_code == 302
    ret.refresh_from_db()
    assert ret.status == "submitted" and ret.situation == "场地不足。"
    assert {f.item_id: f.entered for f in ret.figures.all() if f.entered is not None} == {events: 12, system: 1}

    # The city returns it with a comment; the county is told, changes it and submits again.
    city = client_for("city")
    decide = reverse("planning:return_decide", args=[ret.pk])
    city.post(decide, {"decision": "returned", "comment": "请补充活动清单。"})
    ret.refresh_from_db()
    assert ret.status == "returned"
    assert Notification.objects.filter(user=world.users["county"], text="请补充活动清单。").exists()
    county.post(url, {f"figure_{events}": "15", "action": "submit"})
    city.post(decide, {"decision": "accepted"})
    ret.refresh_from_db()
    assert ret.status == "accepted" and ret.figures.get(item_id=events).entered == 15
    assert list(ret.entries.values_list("kind", flat=True)) == ["submitted", "returned", "submitted", "accepted"]

    # The round's table, on the page, in the API and in Excel.
    assert "东昌府区" in city.get(reverse("planning:round", args=[rnd.pk])).content.decode()
    found = city.get(f"/api/v1/planning/rounds/{rnd.pk}").json()
    assert [(r["division_name"], r["status"], r["values"]) for r in found["returns"]] == [
        ("东昌府区", "accepted", ["1.0000", "15.0000", "1.0000"]), ("茌平区", "draft", ["1.0000", None, None])]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(city.get(reverse("planning:round_export", args=[rnd.pk]))
                                                       .streaming_content))).active
    rows = list(sheet.values)
    assert rows[1][0] == "东昌府区" and rows[1][5:8] == (1, 15, 1) and rows[1][-1] == "场地不足。"
    # The evidence opens for the county and the city, not for the neighbouring county.
    attachment = ReturnAttachment.objects.get()
    file_url = reverse("planning:return_attachment", args=[ret.pk, attachment.pk])
    assert county.get(file_url).status_code == 200 and city.get(file_url).status_code == 200
    assert client_for("other_county").get(file_url).status_code == 404


def _unchanged(ret):
    return (ret.status, ret.situation, list(ReturnFigure.objects.filter(ret=ret).values_list("entered", flat=True)),
            ret.entries.count())


def test_bad_input_changes_nothing(world, client_for, rnd):
    ret = _mine(rnd, world)
    events, system = _ids(rnd)
    before = _unchanged(ret)
    # Another county's staff: the return is not found, in the API and the pages; the service refuses.
    other = client_for("other_county")
    assert other.post(f"/api/v1/planning/returns/{ret.pk}/submit", {"situation": "越权"},
                      content_type="application/json").status_code == 404
    assert other.post(reverse("planning:return", args=[ret.pk]), {"action": "submit"}).status_code == 404
    with pytest.raises(PlanningError) as caught:
        returns.submit(world.users["other_county"], ret, situation="越权")
    assert caught.value.code == "return_not_yours"
    # A figure of the wrong type (a fraction for a whole number, 2 for yes or no, a word), a computed figure.
    api = client_for("county")
    for figures, code in (({str(events): "1.5"}, "return_figure_type"), ({str(system): "2"}, "return_figure_type"),
                          ({str(events): "十二"}, "return_figure_type"), ({str(events): "-3"}, "return_figure_range"),
                          ({str(rnd.items.get(order=1).pk): "9"}, "return_figure_computed"),
                          ({"999999": "1"}, "return_item_unknown")):
        answer = api.put(f"/api/v1/planning/returns/{ret.pk}", {"figures": figures, "situation": "写了一半"},
                         content_type="application/json")
        assert (answer.status_code, answer.json()["code"]) == (400, code), figures
    ret.refresh_from_db()
    assert _unchanged(ret) == before
    # The city accepting a draft: 409, nothing written.
    answer = client_for("city").post(f"/api/v1/planning/returns/{ret.pk}/decision", {"decision": "accepted"},
                                     content_type="application/json")
    assert (answer.status_code, answer.json()["code"]) == (409, "return_not_submitted")
    # The city does not fill in a county's return.
    answer = client_for("city").put(f"/api/v1/planning/returns/{ret.pk}", {"situation": "代填"},
                                    content_type="application/json")
    assert (answer.status_code, answer.json()["code"]) == (403, "return_not_yours")
    ret.refresh_from_db()
    assert _unchanged(ret) == before
    # Submitted, then accepted: no more changes, clearly refused.
    answer = api.post(f"/api/v1/planning/returns/{ret.pk}/submit",
                      {"figures": {str(events): 3, str(system): True}, "situation": "按期报送。"},
                      content_type="application/json")
    assert answer.status_code == 200 and answer.json()["status"] == "submitted"
    client_for("city").post(f"/api/v1/planning/returns/{ret.pk}/decision", {"decision": "accepted"},
                            content_type="application/json")
    ret.refresh_from_db()
    accepted = _unchanged(ret)
    answer = api.put(f"/api/v1/planning/returns/{ret.pk}", {"situation": "改一下"}, content_type="application/json")
    assert (answer.status_code, answer.json()["code"]) == (409, "return_accepted")
    ret.refresh_from_db()
    assert _unchanged(ret) == accepted and ret.situation == "按期报送。"


def test_open_round_checks(world, client_for):
    city = world.users["city"]
    base = dict(division_code=world.city.code, title="季度报送", period_start=datetime.date(2026, 4, 1),
                period_end=datetime.date(2026, 6, 30), due_on=datetime.date(2026, 7, 15), today=TODAY)
    for change, code in (({"indicator_keys": ["no_such"]}, "return_indicator_unknown"),
                         ({"indicator_keys": []}, "return_items_missing"),
                         ({"manual": [{"name": "x", "kind": "text"}]}, "return_item_kind"),
                         ({"due_on": datetime.date(2026, 7, 1)}, "round_due"),
                         ({"period_end": datetime.date(2026, 3, 1)}, "round_period")):
        with pytest.raises(PlanningError) as caught:
            returns.open_round(city, **{"indicator_keys": ["grounds"], **base, **change})
        assert caught.value.code == code
    with pytest.raises(PlanningError) as caught:
        returns.open_round(world.users["county"], **{**base, "indicator_keys": ["grounds"]})
    assert caught.value.code == "round_not_yours"
    assert not ReturnRound.objects.exists() and not CountyReturn.objects.exists()
    # Through the API: the city's staff open one.
    answer = client_for("city").post("/api/v1/planning/rounds", {
        "division_code": world.city.code, "title": "季度报送", "period_start": "2026-04-01",
        "period_end": "2026-06-30", "due_on": "2099-07-15", "indicators": ["grounds"],
        "items": [{"name": "活动场次", "kind": "integer"}]}, content_type="application/json")
    assert answer.status_code == 201 and [i["kind"] for i in answer.json()["items"]] == ["decimal", "integer"]


def test_overdue_warned_once(world, client_for, rnd):
    late = datetime.date(2026, 7, 21)
    ret = _mine(rnd, world)
    assert [r.pk for r in returns.overdue_for(world.users["county"], late)] == [ret.pk]
    assert len(returns.overdue_for(world.users["city"], late)) == 2
    assert returns.warn_overdue(late) == 2 and returns.warn_overdue(late) == 0
    assert Notification.objects.filter(user=world.users["county"], subject__contains=rnd.title).count() == 1
    # Closing the round: nothing overdue any more, and nothing changes after.
    returns.close(world.users["city"], rnd)
    assert not returns.overdue(late).exists()
    with pytest.raises(PlanningError) as caught:
        returns.save(world.users["county"], ret, situation="迟报")
    assert caught.value.code == "round_closed"


def test_evidence_through_the_api(world, client_for, rnd):
    """A return's evidence in the API: its readers list it; its county's staff attach a file with the
    page's checks (type 415, size 413, none 400, each writing nothing) and remove one while the return
    may change; once submitted, 409; the neighbouring county gets 404."""
    ret = _mine(rnd, world)
    county, city, other = client_for("county"), client_for("city"), client_for("other_county")
    url = f"/api/v1/planning/returns/{ret.pk}/attachments"
    made = county.post(url, {"evidence": SimpleUploadedFile("统计表.pdf", b"%PDF-1.4 table")})
    assert made.status_code == 201
    body = made.json()
    assert (body["name"], body["size"], body["uploaded_by"]) == ("统计表.pdf", 14, world.users["county"].display_name)
    assert body["url"] == reverse("planning:return_attachment", args=[ret.pk, body["id"]])
    assert county.get(body["url"]).status_code == 200
    for upload, status, code in ((SimpleUploadedFile("脚本.exe", b"MZ"), 415, "evidence_type"),
                                 (SimpleUploadedFile("空.pdf", b""), 413, "evidence_size"),
                                 (None, 400, "evidence_missing")):
        answer = county.post(url, {"evidence": upload} if upload else {})
        assert (answer.status_code, answer.json()["code"]) == (status, code)
        assert answer.json()["message"] != "" and not answer.json()["message"].isascii()
    assert [a["name"] for a in city.get(url).json()["items"]] == ["统计表.pdf"]
    # Not the city's to attach, nor the neighbouring county's to see.
    assert city.post(url, {"evidence": SimpleUploadedFile("a.pdf", b"%PDF")}).status_code == 403
    assert other.get(url).status_code == 404
    assert other.post(url, {"evidence": SimpleUploadedFile("a.pdf", b"%PDF")}).status_code == 404
    assert other.delete(f"{url}/{body['id']}").status_code == 404
    assert ReturnAttachment.objects.filter(ret=ret).count() == 1
    second = county.post(url, {"evidence": SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff")}).json()
    assert county.delete(f"{url}/{second['id']}").status_code == 204
    assert county.delete(f"{url}/{second['id']}").status_code == 404
    # Submitted: the evidence stays as it was sent.
    events, system = _ids(rnd)
    returns.submit(world.users["county"], ret, figures={str(events): "3", str(system): "是"}, situation="场地不足。")
    answer = county.post(url, {"evidence": SimpleUploadedFile("补充.pdf", b"%PDF")})
    assert (answer.status_code, answer.json()["code"]) == (409, "return_submitted")
    assert county.delete(f"{url}/{body['id']}").status_code == 409
    assert [a["name"] for a in county.get(url).json()["items"]] == ["统计表.pdf"]


def test_counties_reporting_share(world, rnd):
    today = timezone.localdate()
    codes = [world.city.code, world.county.code, world.other_county.code]
    assert indicators.compute("counties_reporting_share", codes, today) == dict.fromkeys(codes, 0)
    events, system = _ids(rnd)
    returns.submit(world.users["county"], _mine(rnd, world), figures={events: "12", system: "是"},
                   situation="场地不足。", today=TODAY)
    assert indicators.compute("counties_reporting_share", codes, today) == {
        world.city.code: 50, world.county.code: 100, world.other_county.code: 0}
    # A draft is not a report, and a year on the submitted return has left the window.
    later = indicators.compute("counties_reporting_share", [world.city.code], today + datetime.timedelta(days=400))
    assert later == {world.city.code: 0}
