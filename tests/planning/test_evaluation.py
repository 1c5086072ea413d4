"""Performance evaluation (绩效评估): the indicator system with weights, counties scored (computed
from the plan's targets, entered by the evaluator with evidence), a third party beside them,
approval that locks a result, the ranking, and every bad input answered clearly with nothing written."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from quanmin.accounts.models import Role
from quanmin.core import indicators
from quanmin.organizations import credit
from quanmin.organizations import services as organizations
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import CountyScore, Evaluation, EvaluationItem, ItemScore, Plan
from quanmin.planning.services import evaluation as services
from tests.conftest import make_user


def pdf(name="评分依据.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 evidence")


ITEMS = [
    {"name": "体育场地数量", "weight": "25", "method": "computed", "target": "T0-02", "criteria": "达到目标得满分，否则按比例"},
    {"name": "人均体育场地面积", "weight": "25.5", "method": "computed", "target": "T0-03"},
    {"name": "县级社会体育指导员协会", "weight": "19.5", "method": "computed", "target": "T0-24"},
    {"name": "社会满意度", "weight": "30", "method": "entered", "criteria": "第三方满意度调查"},
]


@pytest.fixture
def plan(world, liaocheng):
    """Seed 000 running to the end of this year, so that this year's registers count."""
    Plan.objects.filter(pk=liaocheng.pk).update(ends_on=datetime.date(timezone.localdate().year, 12, 31))
    liaocheng.refresh_from_db()
    return liaocheng


@pytest.fixture
def evaluator(world):
    return make_user("13700000021", "考核办", Role.EVALUATOR, world.county, seq=21)


@pytest.fixture
def opened(world, plan):
    services.set_items(world.users["city"], plan, ITEMS)
    return services.open_evaluation(world.users["city"], plan, kind="annual", year=timezone.localdate().year)


def county_of(evaluation, region):
    return CountyScore.objects.get(evaluation=evaluation, division_code=region.code)


def by_hand(value, goal) -> Decimal:
    """At least `goal`: value ÷ goal × 100, at most 100, to the cent."""
    if value is None:
        return Decimal("0.00")
    return min(Decimal(100), Decimal(value) / Decimal(goal) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)


def test_computed_scores_equal_an_independent_calculation(world, plan, opened, evaluator, client_for):
    today = timezone.localdate()
    # T0-24 read from the register: the county's instructors' association (the other county has none).
    organizations.register({"name": "东昌府区社会体育指导员协会", "kind": "group_association", "status": "registered",
                            "credit_code": credit.make("1", world.county.code[:6], 24), "region": world.county,
                            "instructor_association": True}, actor=world.users["superuser"])
    county = county_of(opened, world.county)
    item = EvaluationItem.objects.get(plan=plan, name="社会满意度")
    services.score(evaluator, county, item, value="86.5", note="满意度86.5分", evidence=pdf())

    grounds = indicators.get("grounds").compute([world.county.code, world.other_county.code], today)
    area = indicators.get("area_per_resident").compute([world.county.code, world.other_county.code], today)
    assert grounds[world.county.code] == 1 and grounds[world.other_county.code] == 1
    expected = {}
    for region, satisfaction, centre in ((world.county, Decimal("86.5"), 100), (world.other_county, None, 0)):
        scores = [by_hand(grounds[region.code], 15000), by_hand(area[region.code], Decimal("2.7")),
                  by_hand(centre, 100), satisfaction or Decimal(0)]
        weights = [Decimal("25"), Decimal("25.5"), Decimal("19.5"), Decimal("30")]
        expected[region.name] = (sum(w * s / 100 for w, s in zip(weights, scores, strict=True))
                                 .quantize(Decimal("0.01"), ROUND_HALF_UP), scores)
    body = client_for("supervisor").get(f"/api/v1/planning/evaluations/{opened.pk}").json()
    found = {c["name"]: (Decimal(str(c["total"])), [Decimal(str(i["score"] or 0)) for i in c["items"]])
             for c in body["counties"]}
    assert found == expected
    # Ranked by total: the county with its association and its satisfaction score first.
    assert [c["name"] for c in body["counties"]] == ["东昌府区", "茌平区"]
    assert [c["place"] for c in body["counties"]] == [1, 2]
    assert body["counties"][1]["missing"] == 1 and body["counties"][0]["missing"] == 0


def test_weights_not_summing_to_100_write_nothing(world, plan, client_for):
    short = [dict(i) for i in ITEMS]
    short[-1]["weight"] = "29"
    with pytest.raises(PlanningError) as caught:
        services.set_items(world.users["city"], plan, short)
    assert caught.value.code == "evaluation_weights_sum" and "99" in str(caught.value.message)
    answer = client_for("city").put(f"/api/v1/planning/plans/{plan.key}/evaluation-items", {"items": short},
                                    content_type="application/json")
    assert answer.status_code == 400 and answer.json()["code"] == "evaluation_weights_sum"
    # A computed item without a target, an unknown target, a weight of 0: each refused.
    for bad in ({"method": "computed", "target": ""}, {"target": "T9-99"}, {"weight": "0"}):
        rows = [dict(i) for i in ITEMS]
        rows[0].update(bad)
        with pytest.raises(PlanningError):
            services.set_items(world.users["city"], plan, rows)
    assert not EvaluationItem.objects.exists()
    # The page tells the owner why and saves nothing either.
    post = {"rows": "4"}
    for n, row in enumerate(short):
        post |= {f"{k}_{n}": v for k, v in row.items()}
    client = client_for("city")
    answer = client.post(reverse("planning:evaluation", args=[plan.key]), post, follow=True)
    assert "100" in answer.content.decode() and not EvaluationItem.objects.exists()
    post["weight_3"] = "30"
    client.post(reverse("planning:evaluation", args=[plan.key]), post)
    assert sum(i.weight for i in EvaluationItem.objects.all()) == 100
    # Only the plan's owners set it.
    answer = client_for("county").put(f"/api/v1/planning/plans/{plan.key}/evaluation-items", {"items": ITEMS},
                                      content_type="application/json")
    assert answer.status_code == 403 and answer.json()["code"] == "plan_not_yours"


def _api_score(client, evaluation, region, item, score, **extra):
    data = {"item_id": item.pk, "score": score, **extra}
    if "evidence" not in data:
        data["evidence"] = pdf()
    return client.post(f"/api/v1/planning/evaluations/{evaluation.pk}/counties/{region.code}/scores", data)


def test_score_outside_its_range_writes_nothing(world, opened, evaluator, client_for):
    client = client_for(None)
    client.force_login(evaluator)
    item = EvaluationItem.objects.get(name="社会满意度")
    for bad in ("100.5", "-1", "85.555", "NaN"):
        answer = _api_score(client, opened, world.county, item, bad)
        assert answer.status_code in (400, 422), bad
        if answer.status_code == 400:
            assert answer.json()["code"] == "score_range"
    # No evidence: refused too.
    answer = client.post(f"/api/v1/planning/evaluations/{opened.pk}/counties/{world.county.code}/scores",
                         {"item_id": item.pk, "score": "80"})
    assert answer.status_code == 400 and answer.json()["code"] == "evidence_missing"
    # A computed item is not scored by hand.
    computed = EvaluationItem.objects.get(name="体育场地数量")
    answer = _api_score(client, opened, world.county, computed, "80")
    assert answer.status_code == 400 and answer.json()["code"] == "evaluation_item_computed"
    assert not ItemScore.objects.exists()
    answer = _api_score(client, opened, world.county, item, "80")
    assert answer.status_code == 201, answer.content
    assert ItemScore.objects.get().score == Decimal("80.00")


def test_evaluator_outside_scope_is_refused(world, opened, evaluator, client_for):
    client = client_for(None)
    client.force_login(evaluator)
    item = EvaluationItem.objects.get(name="社会满意度")
    answer = _api_score(client, opened, world.other_county, item, "90")
    assert answer.status_code == 403 and answer.json()["code"] == "evaluation_not_yours"
    # Division staff (even the city's) do not mark counties; supervisors neither.
    for role in ("city", "county", "supervisor"):
        answer = _api_score(client_for(role), opened, world.county, item, "90")
        assert answer.status_code == 403, role
    # On the page: a message, nothing written.
    url = reverse("planning:evaluation_county", args=[opened.plan.key, opened.pk,
                                                      county_of(opened, world.other_county).pk])
    answer = client.post(url, {"item": item.pk, "score": "90", "source": "official", "evidence": pdf()}, follow=True)
    assert answer.status_code == 200
    assert gettext("Only an evaluator whose division holds this county scores it.") in answer.content.decode()
    assert not ItemScore.objects.exists()


def test_an_approved_year_is_locked(world, opened, evaluator, client_for):
    county = county_of(opened, world.county)
    item = EvaluationItem.objects.get(name="社会满意度")
    client = client_for("city")
    approve = f"/api/v1/planning/evaluations/{opened.pk}/counties/{world.county.code}/approve"
    # Not before every entered item is scored.
    answer = client.post(approve)
    assert answer.status_code == 409 and answer.json()["code"] == "evaluation_scores_missing"
    services.score(evaluator, county, item, value="90", evidence=pdf())
    answer = client.post(approve)
    assert answer.status_code == 200 and answer.json()["status"] == "approved"
    total = answer.json()["total"]
    frozen = ItemScore.objects.filter(county=county, source="official").count()
    assert frozen == 4  # the computed scores stored beside the entered one
    # A new ground in the county afterwards changes nothing of the approved result.
    from quanmin.facilities import services as fs
    fs.add_facility(world.site, {"type": "basketball", "area_m2": "600", "access": "free"})
    before = list(ItemScore.objects.order_by("pk").values_list("score", "note"))
    for who, third in ((evaluator, False),):
        with pytest.raises(PlanningError) as caught:
            services.score(who, county, item, value="50", evidence=pdf(), third_party=third)
        assert caught.value.code == "evaluation_approved" and caught.value.status == 409
    other = client_for(None)
    other.force_login(evaluator)
    answer = _api_score(other, opened, world.county, item, "50")
    assert answer.status_code == 409 and answer.json()["code"] == "evaluation_approved"
    assert client.post(approve).status_code == 409
    assert list(ItemScore.objects.order_by("pk").values_list("score", "note")) == before
    body = client.get(f"/api/v1/planning/evaluations/{opened.pk}").json()
    assert next(c for c in body["counties"] if c["code"] == world.county.code)["total"] == total
    # Nor can the system change under an approved result.
    with pytest.raises(PlanningError) as caught:
        services.set_items(world.users["city"], opened.plan, ITEMS[::-1])
    assert caught.value.code == "evaluation_system_fixed"


def test_third_party_scores_beside_the_official_ones(world, opened, client_for):
    agency = make_user("13700000022", "第三方评估机构", seq=22)
    client = client_for("city")
    add = reverse("planning:evaluation_third_party_add", args=[opened.plan.key, opened.pk])
    assert client.post(add, {"phone": "13700000022"}).status_code == 302
    third = client_for(None)
    third.force_login(agency)
    # The evaluation and its counties, and nothing else of the plan.
    assert third.get(reverse("planning:evaluation_detail", args=[opened.plan.key, opened.pk])).status_code == 200
    assert third.get(reverse("planning:plan", args=[opened.plan.key])).status_code in (403, 404)
    assert opened.plan.title in third.get(reverse("planning:my_evaluations")).content.decode()
    item = EvaluationItem.objects.get(name="体育场地数量")
    answer = _api_score(third, opened, world.county, item, "60", note="实地核查场地数量偏少", third_party="true",
                        evidence="")
    assert answer.status_code == 201, answer.content
    assert Decimal(answer.json()["third_party_total"]) == 15
    row = next(i for i in answer.json()["items"] if i["item_id"] == item.pk)
    assert row["third_party_note"] == "实地核查场地数量偏少" and row["score"] != 60
    # Not an official score: the third party cannot give one, nor approve.
    answer = _api_score(third, opened, world.county, EvaluationItem.objects.get(name="社会满意度"), "60")
    assert answer.status_code == 403
    assert third.post(f"/api/v1/planning/evaluations/{opened.pk}/counties/{world.county.code}/approve").status_code == 403
    page = third.get(reverse("planning:evaluation_county", args=[opened.plan.key, opened.pk,
                                                                 county_of(opened, world.county).pk])).content.decode()
    assert "实地核查场地数量偏少" in page
    # Another evaluation of the plan stays out of reach.
    other = Evaluation.objects.create(plan=opened.plan, kind="annual", year=opened.year - 1)
    assert third.get(f"/api/v1/planning/evaluations/{other.pk}").status_code in (403, 404)


def test_kinds_follow_the_plan_and_its_phases(world, plan):
    city = world.users["city"]
    services.set_items(city, plan, ITEMS)
    year = plan.ends_on.year
    with pytest.raises(PlanningError) as caught:
        services.open_evaluation(city, plan, kind="final", year=year - 1)
    assert caught.value.code == "evaluation_final_year"
    assert services.open_evaluation(city, plan, kind="final", year=year).kind == "final"
    with pytest.raises(PlanningError) as caught:
        services.open_evaluation(city, plan, kind="final", year=year)
    assert caught.value.code == "evaluation_exists"
    with pytest.raises(PlanningError) as caught:
        services.open_evaluation(city, plan, kind="annual", year=2019)
    assert caught.value.code == "evaluation_year"
    middle = services.midterm_years(plan)
    assert middle == [plan.starts_on.year + (year - plan.starts_on.year) // 2]
    with pytest.raises(PlanningError):
        services.open_evaluation(city, plan, kind="midterm", year=year)
    assert services.open_evaluation(city, plan, kind="midterm", year=middle[0]).counties.count() == 2
    # A plan with phases: the end of each phase but the last.
    plan.phases.create(order=1, name="启动阶段", starts_on=plan.starts_on, ends_on=datetime.date(2022, 6, 30))
    plan.phases.create(order=2, name="实施阶段", starts_on=datetime.date(2022, 7, 1), ends_on=datetime.date(2024, 12, 31))
    plan.phases.create(order=3, name="提升阶段", starts_on=datetime.date(2025, 1, 1), ends_on=plan.ends_on)
    assert services.midterm_years(plan) == [2022, 2024]


def test_pages_and_export(world, opened, evaluator, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    county = county_of(opened, world.county)
    services.score(evaluator, county, EvaluationItem.objects.get(name="社会满意度"), value="75",
                   note="=HYPERLINK(\"x\")", evidence=pdf())
    client = client_for("county")
    key = opened.plan.key
    page = client.get(reverse("planning:evaluation", args=[key])).content.decode()
    assert "社会满意度" in page and "年度评估" in page
    page = client.get(reverse("planning:evaluation_detail", args=[key, opened.pk])).content.decode()
    assert "东昌府区" in page and "茌平区" in page
    answer = client.get(reverse("planning:evaluation_export", args=[key, opened.pk]))
    book = load_workbook(BytesIO(b"".join(answer.streaming_content)))
    scores = book.worksheets[1]
    values = [[c.value for c in row] for row in scores.iter_rows(min_row=2)]
    assert any(r[1] == "社会满意度" and r[6] == 75 for r in values)
    note = next(row[7] for row in scores.iter_rows(min_row=2) if row[7].value)
    assert note.value == '=HYPERLINK("x")' and note.data_type == "s"  # a formula-looking note is text
    # The evidence opens for readers, not for strangers.
    stored = ItemScore.objects.get()
    url = reverse("planning:evaluation_evidence", args=[key, opened.pk, county.pk, stored.pk])
    assert client.get(url).status_code == 200
    assert client_for("resident").get(url).status_code == 403
