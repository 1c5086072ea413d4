"""Special evaluations (专项评估, D08) of a key target or a major project, and the publication of
evaluation results to the public (面向社会公开): who may do what, every bad input answered clearly
with nothing written, nothing unapproved or personal ever shown publicly."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from quanmin.accounts.models import AuditEntry, Role
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import EvaluationItem, SpecialEvaluation
from quanmin.planning.services import evaluation, special
from tests.conftest import make_user

DATA = {"title": "体育场地设施建设专项评估", "subject": "target", "target": "T0-03", "ordered_by": "聊城市人民政府督查室",
        "ordered_on": "2023-03-01", "scope": "全市及各县（市、区）人均体育场地面积目标完成情况", "evaluator": "聊城大学全民健身评估中心",
        "third_party": "on"}


def pdf(name="评估报告.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 report")


def refused(call, code, status=None):
    with pytest.raises(PlanningError) as caught:
        call()
    assert caught.value.code == code, caught.value.code
    if status is not None:
        assert caught.value.status == status
    return caught.value


@pytest.fixture
def opened(world, liaocheng):
    return special.open_special(world.users["city"], liaocheng, dict(DATA))


def test_open_record_conclude(world, liaocheng, opened):
    city = world.users["city"]
    assert (opened.subject, opened.target.key, opened.subject_name) == ("target", "T0-03", "T0-03 人均体育场地面积")
    assert opened.ordered_on == datetime.date(2023, 3, 1) and opened.third_party and opened.status == "open"
    # An evaluator of the city records the findings; a county's staff may not.
    evaluator = make_user("13700000041", "考核办", Role.EVALUATOR, world.city, seq=41)
    refused(lambda: special.record(world.users["county"], opened, {"findings": "x"}), "special_not_yours", 403)
    special.record(evaluator, opened, {"findings": "全市人均2.71平方米，6个县达标", "grade": "good"})
    # Not complete yet: the conclusion and the evidence are missing, said by name.
    error = refused(lambda: special.conclude(city, opened), "special_incomplete", 409)
    assert error.detail == {"missing": ["评估结论", "凭证"]}
    special.record(city, opened, {"conclusion": "目标基本完成，建议加快农村场地建设"}, evidence=pdf())
    opened.refresh_from_db()
    assert opened.findings.startswith("全市人均") and opened.grade == "good" and opened.evidence
    refused(lambda: special.conclude(evaluator, opened), "plan_not_yours", 403)
    special.conclude(city, opened)
    opened.refresh_from_db()
    assert opened.status == "concluded" and opened.concluded_by == city
    refused(lambda: special.record(city, opened, {"findings": "改"}), "special_concluded", 409)
    actions = list(AuditEntry.objects.filter(target_type="planning.specialevaluation", target_id=str(opened.pk))
                   .order_by("pk").values_list("action", flat=True))
    assert actions == ["create", "update", "update", "set_status"]


@pytest.mark.parametrize("change,code", [
    ({"subject": "budget"}, "special_subject"),
    ({"target": "T9-99"}, "special_target"),
    ({"subject": "task", "task": "(九)9"}, "special_task"),
    ({"subject": "project", "project": ""}, "project_required"),
    ({"title": ""}, "title_required"),
    ({"title": "评" * 121}, "title_too_long"),
    ({"ordered_by": ""}, "ordered_by_required"),
    ({"ordered_on": "2023-02-30"}, "ordered_on_invalid"),
    ({"ordered_on": "2999-01-01"}, "ordered_on_invalid"),
    ({"scope": "\x00"}, "scope_required"),
    ({"evaluator": ""}, "evaluator_required"),
])
def test_bad_input_is_refused_and_nothing_written(world, liaocheng, change, code):
    refused(lambda: special.open_special(world.users["city"], liaocheng, {**DATA, **change}), code)
    assert not SpecialEvaluation.objects.exists()


def test_subjects_and_refusals(world, liaocheng, opened):
    city = world.users["city"]
    task = special.open_special(city, liaocheng, {**DATA, "title": "体医融合专项评估", "subject": "task", "task": "(五)2"})
    assert task.task.number == "(五)2" and task.target is None and task.subject_name.startswith("(五)2 ")
    project = special.open_special(city, liaocheng, {**DATA, "title": "体育公园项目专项评估", "subject": "project",
                                                     "project": "东昌府区徒骇河体育公园", "target": "T0-03"})
    assert (project.subject_name, project.target, project.task) == ("东昌府区徒骇河体育公园", None, None)
    refused(lambda: special.open_special(city, liaocheng, dict(DATA)), "special_exists", 409)
    refused(lambda: special.open_special(world.users["county"], liaocheng, {**DATA, "title": "x"}), "plan_not_yours", 403)
    refused(lambda: special.record(city, opened, {"grade": "superb"}), "special_grade")
    refused(lambda: special.record(city, opened, {}, evidence=SimpleUploadedFile("a.exe", b"MZ")), "evidence_type", 415)
    assert SpecialEvaluation.objects.count() == 3


def approved_evaluation(world, plan):
    city = world.users["city"]
    evaluation.set_items(city, plan, [{"name": "社会满意度", "weight": "60", "method": "entered"},
                                      {"name": "组织保障", "weight": "40", "method": "entered"}])
    found = evaluation.open_evaluation(city, plan, kind="annual", year=2022, third_party="聊城大学全民健身评估中心")
    scorer = make_user("13700000042", "考核办", Role.EVALUATOR, world.city, seq=42)
    scores = {world.county.code: ("90", "80"), world.other_county.code: ("70", "100")}
    items = list(EvaluationItem.objects.filter(plan=plan).order_by("order"))
    for county in found.counties.all():
        for item, value in zip(items, scores[county.division_code], strict=True):
            evaluation.score(scorer, county, item, value=value, note="扣分：台账不全，联系人13912345678",
                             evidence=pdf())
    return found


def test_publish_only_what_is_approved_and_withdraw(world, liaocheng, opened, client_for):
    city = world.users["city"]
    found = approved_evaluation(world, liaocheng)
    anyone = Client()
    refused(lambda: special.publish(city, found), "not_approved", 409)
    refused(lambda: special.publish(city, opened), "not_approved", 409)
    for county in found.counties.all():
        evaluation.approve(city, county)
    refused(lambda: special.publish(world.users["county"], found), "plan_not_yours", 403)
    special.publish(city, found)
    refused(lambda: special.publish(city, found), "already_published", 409)
    # Totals by hand: 东昌府区 60×90/100 + 40×80/100 = 54 + 32 = 86; 茌平区 42 + 40 = 82.
    answer = anyone.get(f"/api/v1/planning/public/evaluations/{found.pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert [(c["place"], c["name"], c["total"]) for c in body["counties"]] == [(1, "东昌府区", "86.00"),
                                                                               (2, "茌平区", "82.00")]
    assert [s["score"] for s in body["counties"][0]["scores"]] == ["90.00", "80.00"]
    text = answer.content.decode() + anyone.get(reverse("planning:public_evaluation", args=[found.pk])).content.decode()
    # Results only: no person, no note, no phone, no evidence.
    for private in ("13912345678", "台账不全", "考核办", "评估报告", "evidence"):
        assert private not in text
    page = anyone.get(reverse("planning:public_evaluation", args=[found.pk])).content.decode()
    assert "86.00" in page and "东昌府区" in page and "聊城大学全民健身评估中心" in page
    assert [e["id"] for e in anyone.get("/api/v1/planning/public/evaluations").json()["items"]] == [found.pk]
    assert found.pk and "2022" in anyone.get(reverse("planning:public_evaluations")).content.decode()
    special.withdraw(city, found)
    assert anyone.get(f"/api/v1/planning/public/evaluations/{found.pk}").status_code == 404
    assert anyone.get(reverse("planning:public_evaluation", args=[found.pk])).status_code == 404
    refused(lambda: special.withdraw(city, found), "not_published", 409)
    actions = list(AuditEntry.objects.filter(target_type="planning.evaluation", target_id=str(found.pk),
                                             action__in=["publish", "unpublish"]).order_by("pk").values_list("action", flat=True))
    assert actions == ["publish", "unpublish"]


def test_special_published_shows_conclusion_not_findings(world, liaocheng, opened, client_for):
    city = client_for("city")
    url = reverse("planning:special", args=[liaocheng.key, opened.pk])
    city.post(url, {"findings": "内部发现：某县虚报数据", "conclusion": "目标完成", "grade": "excellent",
                    "evidence": pdf()})
    city.post(reverse("planning:special_conclude", args=[liaocheng.key, opened.pk]))
    answer = city.post(reverse("planning:special_publication", args=[liaocheng.key, opened.pk]), {"action": "publish"})
    assert "已公开" in city.get(answer.url).content.decode()
    anyone = Client()
    page = anyone.get(reverse("planning:public_special", args=[opened.pk])).content.decode()
    assert "目标完成" in page and "优秀" in page and "虚报" not in page and "评估报告" not in page
    data = anyone.get(f"/api/v1/planning/public/special-evaluations/{opened.pk}").json()
    assert (data["grade"], data["conclusion"]) == ("excellent", "目标完成") and "findings" not in data
    assert [s["id"] for s in anyone.get("/api/v1/planning/public/special-evaluations").json()["items"]] == [opened.pk]
    # Staff read everything, and the workbook holds it.
    book = load_workbook(BytesIO(b"".join(client_for("county").get(
        reverse("planning:special_export", args=[liaocheng.key])).streaming_content)))
    sheet = [[c.value for c in r] for r in book.worksheets[0].iter_rows()]
    assert sheet[1][0] == DATA["title"] and "内部发现：某县虚报数据" in sheet[1] and "优秀" in sheet[1]
    city.post(reverse("planning:special_publication", args=[liaocheng.key, opened.pk]), {"action": "withdraw"})
    assert anyone.get(reverse("planning:public_special", args=[opened.pk])).status_code == 404


def test_api_opens_records_and_concludes(world, liaocheng, client_for):
    city = client_for("city")
    made = city.post(f"/api/v1/planning/plans/{liaocheng.key}/special-evaluations",
                     {**DATA, "third_party": True}, content_type="application/json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    bad = city.post(f"/api/v1/planning/plans/{liaocheng.key}/special-evaluations",
                    {**DATA, "title": "二", "subject": "task", "task": "nope"}, content_type="application/json")
    assert (bad.status_code, bad.json()["code"]) == (400, "special_task")
    recorded = city.post(f"/api/v1/planning/special-evaluations/{pk}/record",
                         {"findings": "已核查", "conclusion": "合格", "grade": "pass", "evidence": pdf()})
    assert recorded.status_code == 200 and recorded.json()["has_evidence"] is True
    assert city.post(f"/api/v1/planning/special-evaluations/{pk}/conclude").json()["status"] == "concluded"
    published = city.put(f"/api/v1/planning/special-evaluations/{pk}/publication", {"published": True},
                         content_type="application/json")
    assert published.status_code == 200 and published.json()["published_at"]
    listed = client_for("county").get(f"/api/v1/planning/plans/{liaocheng.key}/special-evaluations").json()
    assert [s["grade_label"] for s in listed] == ["合格"]
    assert Client().get(f"/api/v1/planning/special-evaluations/{pk}").status_code == 401


def test_nothing_open_is_ever_public(world, liaocheng, opened):
    found = approved_evaluation(world, liaocheng)
    # One county approved, the other still open: refused, nothing public.
    evaluation.approve(world.users["city"], found.counties.get(division_code=world.county.code))
    refused(lambda: special.publish(world.users["city"], found), "not_approved", 409)
    assert Client().get(f"/api/v1/planning/public/evaluations/{found.pk}").status_code == 404
    assert Client().get(reverse("planning:public_evaluation", args=[found.pk])).status_code == 404
    assert Client().get("/api/v1/planning/public/evaluations").json()["items"] == []
    # An open special evaluation cannot be stored as published by any path: the constraint says no.
    with pytest.raises(IntegrityError), transaction.atomic():
        SpecialEvaluation.objects.filter(pk=opened.pk).update(published_at=timezone.now())
    assert Client().get(reverse("planning:public_special", args=[opened.pk])).status_code == 404
