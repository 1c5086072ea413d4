"""Supervision, performance evaluation, county returns and funding in the admin: every model is
registered, its list and its rows open to the back office within their scope (another county's row
answers 404), and nothing is added, changed or deleted there (DESIGN rule 1: their writes go
through services). Evidence opens through the staff pages' checked views, never /media/."""

import datetime

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from quanmin.accounts.models import Role
from quanmin.funding import services as funding
from quanmin.planning.models import Plan
from quanmin.planning.services import evaluation, returns, supervision
from tests.conftest import make_user
from tests.funding.conftest import project_data

APPS = ("planning", "funding")
MODELS = {"planning.visit", "planning.finding", "planning.rectification", "planning.rectificationentry",
          "planning.bulletin", "planning.evaluationitem", "planning.evaluation", "planning.countyscore",
          "planning.itemscore", "planning.returnround", "planning.returnitem", "planning.countyreturn",
          "planning.returnfigure", "planning.returnattachment", "planning.returnentry", "funding.lotteryfund",
          "funding.project", "funding.amount"}


def _admins():
    return {f"{m._meta.app_label}.{m._meta.model_name}": m for m in admin.site._registry
            if m._meta.app_label in APPS}


@pytest.fixture
def rows(world, liaocheng):
    """One row of every model, each in the county (东昌府区) or its township."""
    boss, county = world.users["supervisor"], world.users["county"]
    day = datetime.date(2023, 5, 10)
    visit = supervision.plan_visit(boss, liaocheng, division_code=world.county.code, title="专项督查",
                                   schedule="regular", coverage="focused", kind="special", manner="announced",
                                   planned_on=day, visited_on=day)
    finding = supervision.add_finding(boss, visit, severity="major", text="器材损坏未修。")
    item = supervision.add_rectification(boss, finding, requirement="修复。", deadline=day + datetime.timedelta(15))
    supervision.respond(county, item, text="已修复。", evidence=SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff"))
    supervision.write_bulletin(boss, liaocheng, title="督查通报", period_start=day, period_end=day)
    year = timezone.localdate().year
    Plan.objects.filter(pk=liaocheng.pk).update(ends_on=datetime.date(year, 12, 31))
    liaocheng.refresh_from_db()
    evaluation.set_items(world.users["city"], liaocheng, [{"name": "社会满意度", "weight": "100", "method": "entered"}])
    opened = evaluation.open_evaluation(world.users["city"], liaocheng, kind="annual", year=year)
    scorer = make_user("13700000021", "考核办", Role.EVALUATOR, world.county, seq=21)
    evaluation.score(scorer, opened.counties.get(division_code=world.county.code), liaocheng.evaluation_items.get(),
                     value="90", evidence=SimpleUploadedFile("评分依据.pdf", b"%PDF-1.4 evidence"))
    rnd = returns.open_round(world.users["city"], division_code=world.city.code, title="统计监测",
                             period_start=datetime.date(2026, 1, 1), period_end=datetime.date(2026, 6, 30),
                             due_on=datetime.date(2026, 7, 20), indicator_keys=["grounds"],
                             today=datetime.date(2026, 7, 10),
                             manual=[{"name": "活动场次", "unit": "count", "kind": "integer"}])
    ret = rnd.returns.get(division_code=world.county.code)
    returns.attach(county, ret, SimpleUploadedFile("统计表.pdf", b"%PDF-1.4"))
    returns.submit(county, ret, figures={str(rnd.items.get(indicator="").pk): "12"}, situation="场地不足。")
    funding.save_lottery_fund(county, {"region": world.county.code, "year": 2026, "received": "100",
                                       "fitness": "60"})
    funding.save_project(county, project_data(world.county))


def test_every_model_has_a_read_only_admin(world, rows, client_for):
    registered = _admins()
    assert set(registered) >= MODELS
    city, other, boss = client_for("city"), client_for("other_county"), client_for("superuser")
    for key in sorted(MODELS):
        model = registered[key]
        label, name = key.split(".")
        obj = model._default_manager.first()
        assert obj is not None, key
        change = reverse(f"admin:{label}_{name}_change", args=[obj.pk])
        for client in (city, boss):
            assert client.get(reverse(f"admin:{label}_{name}_changelist")).status_code == 200, key
            page = client.get(change)
            assert page.status_code == 200, key
            assert "/media/" not in page.content.decode(), key
            assert client.post(change, {}).status_code == 403, key
            assert client.get(reverse(f"admin:{label}_{name}_add")).status_code == 403, key
            assert client.post(reverse(f"admin:{label}_{name}_delete", args=[obj.pk]),
                               {"post": "yes"}).status_code == 403, key
        assert other.get(change).status_code == 404, key
        assert model._default_manager.filter(pk=obj.pk).exists(), key
