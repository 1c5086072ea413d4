"""Open datasets, the catalogue and dictionary, the open-data page and the daily upkeep."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from quanmin.opendata import datasets
from quanmin.opendata.models import DatasetFile

pytestmark = pytest.mark.django_db


def test_every_dataset_in_every_format(feeds_world, equipment):
    published = datasets.publish()
    assert published["facilities"] == 4 and published["organizations"] == 1 and published["events"] == 1
    client = Client()
    facilities = client.get("/opendata/datasets/facilities.csv")
    assert facilities.status_code == 200 and facilities["Access-Control-Allow-Origin"] == "*"
    rows = list(csv.DictReader(io.StringIO(facilities.content.decode("utf-8-sig"))))
    court = next(r for r in rows if r["site"] == "东关社区文体广场" and r["type"] == "basketball")
    assert court["type_zh"] == "篮球场" and court["division"] == "东关社区" and court["county"] == "东昌府区"
    geo = client.get("/opendata/datasets/facilities.geojson").json()
    assert geo["type"] == "FeatureCollection" and geo["features"][0]["geometry"]["type"] == "Point"
    equipment_rows = client.get("/opendata/datasets/equipment.json").json()["rows"]
    assert sum(r["total"] for r in equipment_rows) == 6
    density = client.get("/opendata/datasets/instructor_density.json").json()
    assert {r["level"] for r in density["rows"]} == {"city", "county", "township"}
    assert client.get("/opendata/datasets/instructor_density.geojson").status_code == 404
    events = client.get("/opendata/datasets/events.json").json()["rows"]
    assert events[0]["competitions"] == 1 and events[0]["sports"] == "square_dance"


def test_catalogue_lists_datasets_distributions_and_feeds(feeds_world):
    datasets.publish()
    catalog = Client().get("/opendata/catalog.json").json()
    assert catalog["@type"] == "dcat:Catalog" and catalog["dct:license"].startswith("https://creativecommons.org/")
    names = {d["dct:identifier"]: d for d in catalog["dcat:dataset"]}
    assert set(names) == set(datasets.DATASETS)
    assert {d["dct:format"] for d in names["facilities"]["dcat:distribution"]} == {"CSV", "GEOJSON", "JSON"}
    assert len(catalog["dcat:service"]) == 5
    dictionary = Client().get("/opendata/dictionary.json").json()
    columns = {c["name"] for c in dictionary["datasets"][0]["columns"]}
    assert {"division_code", "lon", "lat"} <= columns


def test_a_dataset_not_yet_published_is_a_clear_503():
    response = Client().get("/opendata/datasets/facilities.csv")
    assert response.status_code == 503 and response.json()["code"] == "not_published_yet"
    assert response["Retry-After"]


def test_the_upkeep_publishes_once_a_day(feeds_world):
    out = io.StringIO()
    call_command("opendata_tick", stdout=out)
    assert json.loads(out.getvalue())["datasets"]["facilities"] == 2
    first = DatasetFile.objects.get(name="facilities", format="csv").generated_at
    out = io.StringIO()
    call_command("opendata_tick", stdout=out)
    assert "datasets" not in json.loads(out.getvalue())
    assert DatasetFile.objects.get(name="facilities", format="csv").generated_at == first


def test_the_open_data_page_lists_datasets_and_feeds(feeds_world):
    datasets.publish()
    page = Client().get("/opendata/")
    text = page.content.decode()
    assert page.status_code == 200 and "开放数据" in text and "体育场地" in text
    assert "/opendata/feeds/facility-uses" in text and "/opendata/datasets/facilities.geojson" in text


def test_plan_targets_with_their_current_values(world):
    from django.apps import apps

    plan = apps.get_model("planning", "Plan").objects.create(
        key="liaocheng-test", title="聊城市全民健身实施计划", division_code=world.city.code, division_name="聊城市",
        starts_on="2021-01-01", ends_on="2025-12-31")
    apps.get_model("planning", "Target").objects.create(
        plan=plan, key="t1", order=1, name="体育场地数量", comparator=">=", value=10, unit="count", year=2025,
        deadline="2025-12-31", level="city", kind="count", indicator="grounds", quote="体育场地不少于10个")
    datasets.publish()
    rows = Client().get("/opendata/datasets/plan_targets.json").json()["rows"]
    assert rows[0]["target"] == "体育场地数量" and rows[0]["value"] == 10 and rows[0]["current"] == 2
