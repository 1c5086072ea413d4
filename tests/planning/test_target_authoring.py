"""A county writes its own plan from scratch and gives it targets one by one (seed 004: each county
its 时间表、路线图、任务书): the same rules as the data files, a translated error and nothing changed
on bad input, removal refused while anything refers to the target, the plan's owners only."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from quanmin.accounts.models import AuditEntry
from quanmin.planning.errors import PlanningError
from quanmin.planning.models import EvaluationItem, Plan, Target
from quanmin.planning.services import authoring, figures

GOOD = {"name": "体育场地数量", "quote": "全县体育场地达到1500块", "comparator": ">=", "value": "1500",
        "unit": "count", "year": 2025, "kind": "count", "level": "county", "indicator": "grounds"}


@pytest.fixture
def county_plan(world):
    return authoring.create_plan(world.users["county"], {
        "title": "东昌府区全民健身实施计划（2023—2025年）", "division_code": world.county.code,
        "starts_on": datetime.date(2023, 1, 1), "ends_on": datetime.date(2025, 12, 31)})


def chinese(message) -> str:
    with translation.override("zh-hans"):
        text = str(message)
    assert any("\u4e00" <= c <= "\u9fff" for c in text), text
    return text


def test_a_county_plan_from_scratch_gets_its_targets(world, county_plan):
    target = authoring.add_target(world.users["county"], county_plan, dict(GOOD))
    assert (target.key, target.order, target.deadline, target.indicator) == ("T01", 1, datetime.date(2025, 12, 31),
                                                                             "grounds")
    second = authoring.add_target(world.users["county"], county_plan, {
        "name": "经常参加体育锻炼人数比例", "quote": "经常参加体育锻炼人数比例达到40%", "comparator": ">=", "value": "40",
        "unit": "percent", "deadline": datetime.date(2024, 6, 30), "kind": "ratio", "key": "T1-02"})
    assert (second.key, second.order, second.year, second.level) == ("T1-02", 2, 2024, "county")
    assert AuditEntry.objects.filter(action="planning.target_add", target_id=str(county_plan.pk)).count() == 2


BAD = [
    ({"name": ""}, "target_name_missing"),
    ({"quote": " "}, "target_quote_missing"),
    ({"comparator": "≥"}, "target_bad_choice"),
    ({"unit": "furlongs"}, "target_bad_choice"),
    ({"value": ""}, "target_value_missing"),
    ({"value": "很多"}, "not_a_number"),
    ({"level": "city"}, "target_level_above_plan"),
    ({"indicator": "no_such_thing"}, "target_indicator_unknown"),
    ({"indicator": "area_per_resident"}, "target_indicator_unit"),
    ({"level": "community", "each": True, "indicator": "disabled_activities"}, "target_indicator_level"),
    ({"year": 2022}, "target_deadline_before_plan"),
    ({"year": 2025, "deadline": datetime.date(2024, 12, 31)}, "target_year_deadline"),
    ({"year": "", "deadline": None}, "target_deadline_missing"),
    ({"each": True}, "target_each_own_level"),
    ({"comparator": "yes"}, "target_comparator_kind"),
    ({"key": "T 1"}, "target_key"),
    ({"subject": "长" * 121}, "text_too_long"),
]


@pytest.mark.parametrize("change,code", BAD)
def test_bad_input_is_refused_with_a_translated_error_and_nothing_changes(world, county_plan, change, code):
    user = world.users["county"]
    kept = authoring.add_target(user, county_plan, dict(GOOD, key="K1"))
    with pytest.raises(PlanningError) as caught:
        authoring.add_target(user, county_plan, {**GOOD, **change})
    assert caught.value.code == code
    chinese(caught.value.message)
    if code != "target_deadline_missing":  # a change that names no deadline keeps the target's
        with pytest.raises(PlanningError) as caught:
            authoring.update_target(user, kept, change)
        assert caught.value.code == code
    kept.refresh_from_db()
    assert county_plan.targets.count() == 1 and (kept.name, kept.value, kept.level) == ("体育场地数量", 1500, "county")
    assert not AuditEntry.objects.filter(action="planning.target_update").exists()


def test_a_key_is_the_plan_s_once(world, county_plan):
    user = world.users["county"]
    authoring.add_target(user, county_plan, dict(GOOD, key="T1"))
    other = authoring.add_target(user, county_plan, dict(GOOD, key="T2"))
    with pytest.raises(PlanningError) as caught:
        authoring.update_target(user, other, {"key": "T1"})
    assert caught.value.code == "target_key_taken"


def test_a_change_is_checked_and_audited(world, county_plan):
    user = world.users["county"]
    target = authoring.add_target(user, county_plan, dict(GOOD))
    authoring.update_target(user, target, {"value": "1800", "comparator": "up", "indicator": ""})
    target.refresh_from_db()
    assert (target.comparator, target.value, target.indicator) == ("up", None, "")  # up compares with last year
    entry = AuditEntry.objects.get(action="planning.target_update")
    assert set(entry.detail["fields"]) == {"comparator", "value", "indicator"}
    authoring.update_target(user, target, {"comparator": "up"})  # unchanged: nothing written
    assert AuditEntry.objects.filter(action="planning.target_update").count() == 1


def test_removal_refused_while_anything_refers_to_it(world, county_plan):
    user = world.users["county"]
    target = authoring.add_target(user, county_plan, dict(GOOD, indicator=""))
    figure = figures.enter(user, target, division_code=world.county.code, as_of=datetime.date(2024, 1, 2), value="900",
                           evidence=SimpleUploadedFile("证明.pdf", b"%PDF-1.4"))
    with pytest.raises(PlanningError) as caught:
        authoring.remove_target(user, target)
    assert (caught.value.code, caught.value.status) == ("target_in_use", 409)
    chinese(caught.value.message)
    figure.delete()
    EvaluationItem.objects.create(plan=county_plan, order=1, name="场地", weight=50, method="computed", target=target)
    with pytest.raises(PlanningError) as caught:
        authoring.remove_target(user, target)
    assert caught.value.detail["referred_by"] and Target.objects.filter(pk=target.pk).exists()
    EvaluationItem.objects.all().delete()
    authoring.remove_target(user, target)
    assert not Target.objects.filter(pk=target.pk).exists()
    assert AuditEntry.objects.filter(action="planning.target_remove", detail__target="T01").exists()


def test_only_the_plan_s_owners_write_its_targets(world, county_plan, liaocheng):
    with pytest.raises(PlanningError) as caught:
        authoring.add_target(world.users["other_county"], county_plan, dict(GOOD))
    assert caught.value.status == 403
    target = authoring.add_target(world.users["city"], county_plan, dict(GOOD))  # the city's scope holds the county
    for call in (lambda u: authoring.update_target(u, target, {"value": "1"}),
                 lambda u: authoring.remove_target(u, target),
                 lambda u: authoring.add_target(u, liaocheng, dict(GOOD, level="county"))):
        with pytest.raises(PlanningError) as caught:
            call(world.users["other_county"])
        assert caught.value.status == 403
    with pytest.raises(PlanningError):
        authoring.add_target(world.users["county"], liaocheng, dict(GOOD, level="county"))  # reads it, owns it not
    target.refresh_from_db()
    assert target.value == 1500 and Target.objects.filter(plan=liaocheng, name="体育场地数量").count() == 0


def test_pages_add_edit_and_remove_a_target(world, client_for, county_plan):
    client = client_for("county")
    dashboard = client.get(reverse("planning:plan", args=[county_plan.key])).content.decode()
    assert 'id="add-target"' in dashboard
    url = reverse("planning:target_new", args=[county_plan.key])
    page = client.get(url).content.decode()
    assert "体育场地" in page and 'value="grounds"' in page and ">grounds<" not in page  # chosen by label
    response = client.post(url, {**GOOD, "value": "abc"})
    assert response.status_code == 200 and "不是有效的数字" in response.content.decode()
    assert not county_plan.targets.exists()
    response = client.post(url, GOOD)
    target = county_plan.targets.get()
    assert response.status_code == 302 and response["Location"] == reverse("planning:target",
                                                                            args=[county_plan.key, target.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'id="remove-target"' in page and reverse("planning:target_edit", args=[county_plan.key, target.pk]) in page
    edit = reverse("planning:target_edit", args=[county_plan.key, target.pk])
    assert 'value="1500"' in client.get(edit).content.decode()
    assert client.post(edit, {**GOOD, "value": "1600", "deadline": "2025-12-31", "key": "T01"}).status_code == 302
    target.refresh_from_db()
    assert target.value == 1600
    # Another county reads nothing of it; the neighbouring staff cannot reach the pages at all.
    other = client_for("other_county")
    assert other.get(url).status_code == 404 and other.post(edit, GOOD).status_code == 404
    remove = reverse("planning:target_remove", args=[county_plan.key, target.pk])
    assert other.post(remove).status_code == 404
    # A county reads the city's plan but does not write it.
    city_plan = Plan.objects.create(key="city-plan", title="市计划", division_code=world.city.code,
                                    division_name=world.city.name, starts_on=datetime.date(2023, 1, 1),
                                    ends_on=datetime.date(2025, 12, 31))
    assert client.get(reverse("planning:target_new", args=[city_plan.key])).status_code == 403
    assert client.post(remove).status_code == 302
    assert not county_plan.targets.exists()


def test_api_adds_changes_and_removes_a_target(world, client_for, county_plan):
    client = client_for("county")
    base = f"/api/v1/planning/plans/{county_plan.key}/targets"
    response = client.post(base, {**GOOD, "value": 1500}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["key"], body["level"], body["indicator"]) == ("T01", "county", "grounds")
    response = client.post(base, {**GOOD, "indicator": "area_per_resident"}, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (400, "target_indicator_unit")
    url = f"{base}/{body['id']}"
    response = client.patch(url, {"value": 1700, "name": None, "indicator": ""}, content_type="application/json")
    assert response.status_code == 200 and float(response.json()["value"]) == 1700
    assert client_for("other_county").patch(url, {"value": 1}, content_type="application/json").status_code == 404
    assert client_for("supervisor").delete(url).status_code in (403, 404)
    figures.enter(world.users["county"], Target.objects.get(pk=body["id"]), division_code=world.county.code,
                  as_of=datetime.date(2024, 1, 2), value="1", evidence=SimpleUploadedFile("证明.pdf", b"%PDF-1.4"))
    response = client.delete(url)
    assert (response.status_code, response.json()["code"]) == (409, "target_in_use")
    Target.objects.get(pk=body["id"]).figures.all().delete()
    assert client.delete(url).status_code == 204
    assert client.delete(url).status_code == 404
