"""The fitness-circle analysis inside the platform: command, background runs and their cache,
the planning page and the land catalogue."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from quanmin.analytics import describe, inputs, runs, services
from quanmin.analytics.errors import AnalysisError
from quanmin.analytics.models import CandidateSite, CircleRun
from quanmin.facilities import geo
from quanmin.facilities import services as fs
from quanmin.regions import streets


def run_command(*args) -> dict:
    out = StringIO()
    call_command("fitness_circle", *args, stdout=out)
    return json.loads(out.getvalue())


def test_command_on_the_platforms_data_prints_the_issue_shape(world):
    result = run_command("--region", world.city.code, "--minutes", "10", "15", "--speed-kmh", "4.5", "--json")
    for key in ("10", "15"):
        m = result["minutes"][key]
        assert set(m) >= {"covered_population", "total_population", "share"}
        assert m["total_population"] == world.community.population + world.other_community.population
        assert 0 <= m["share"] <= 1
    # Both communities have a site with a facility a few hundred metres from their people.
    assert result["minutes"]["15"]["share"] > 0.5


def test_command_suggests_sites_from_the_catalogue(world):
    CandidateSite.objects.create(name="空地", lon=115.99, lat=36.46, region=world.community, area_m2=900)
    result = run_command("--region", world.county.code, "--suggest", "1", "--json")
    assert result["suggestions"]["k"] == 1 and result["suggestions"]["candidates"]["source"] != "grid"


def test_command_errors_are_clear(world, tmp_path):
    with pytest.raises(CommandError, match="unknown division"):
        run_command("--region", "999999")
    bad = tmp_path / "f.geojson"
    bad.write_text("{not json")
    with pytest.raises(CommandError):
        run_command("--facilities", str(bad), "--region", world.city.code)


def test_runs_are_cached_until_the_data_changes(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        run, started = services.request_run(world.county, minutes=[10, 15])
    assert started and run.status == "queued"
    runs.execute_run(run.pk)
    run.refresh_from_db()
    assert run.status == "done" and run.progress == 100 and run.layer["type"] == "FeatureCollection"
    again, started = services.request_run(world.county, minutes=[15, 10])
    assert again.pk == run.pk and not started
    fs.add_facility(world.site, {"type": "table_tennis", "area_m2": 40})
    with django_capture_on_commit_callbacks(execute=False):
        fresh, started = services.request_run(world.county, minutes=[10, 15])
    assert started and fresh.pk != run.pk and fresh.data_version != run.data_version


@pytest.mark.parametrize("kwargs,code", [({"minutes": [0]}, "minutes_invalid"), ({"speed_kmh": 40}, "speed_invalid"),
                                         ({"suggest_k": 500}, "suggest_invalid"), ({"minutes": ["x"]}, "invalid_input")])
def test_bad_run_parameters(world, kwargs, code):
    with pytest.raises(AnalysisError) as exc:
        services.request_run(world.county, **kwargs)
    assert exc.value.code == code
    assert not CircleRun.objects.exists()


def test_planning_page_shows_the_result_and_progress(world, client_for, django_capture_on_commit_callbacks):
    client = client_for("county")
    with django_capture_on_commit_callbacks(execute=False):
        r = client.post(f"/staff/planning/circle/{world.county.code}/run/", {"minutes": "10 15", "speed_kmh": "3.6", "suggest_k": "1"})
    assert r.status_code == 302
    run = CircleRun.objects.get()
    page = client.get(f"/staff/planning/circle/{world.county.code}/").content.decode()
    assert "every 2s" in page  # polls while queued
    runs.execute_run(run.pk)
    page = client.get(f"/staff/planning/circle/{world.county.code}/").content.decode()
    assert "circle-map" in page and "every 2s" not in page
    layer = client.get(f"/staff/planning/circle/{world.county.code}/runs/{run.pk}/layer.json").json()
    assert layer["residents"]["features"]


def test_inputs_spread_community_population(world):
    residents = inputs.residents(world.county)
    assert residents.population.sum() == pytest.approx(world.community.population)
    assert len(inputs.facilities(world.county)) == 1


def test_candidate_catalogue(world, client_for):
    client = client_for("county")
    r = client.post("/staff/planning/land/new/", {"name": "高架桥下空地", "address": "", "lon": "115.99", "lat": "36.46",
                                                   "area_m2": "1200", "owner": "市城管局", "land_kind": "bridge",
                                                   "status": "available", "published": "on", "note": "",
                                                   "region_code": world.community.code})
    assert r.status_code == 302
    r = client.post("/staff/planning/land/new/", {"name": "越界", "lon": "116.2", "lat": "36.5", "area_m2": "10",
                                                   "land_kind": "idle", "status": "available",
                                                   "region_code": world.other_community.code})
    assert r.status_code == 400
    CandidateSite.objects.create(name="内部储备地", lon=115.98, lat=36.45, region=world.community, area_m2=500, published=False)
    public = client_for(None).get("/planning/land/").content.decode()
    assert "高架桥下空地" in public and "内部储备地" not in public
    xlsx = client.get("/staff/planning/land/?format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_circle_map_layer_is_drawn_in_the_tiles_datum(world, client_for, no_map_tiles, django_capture_on_commit_callbacks):
    client = client_for("county")
    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"/staff/planning/circle/{world.county.code}/run/", {"minutes": "10 15", "speed_kmh": "3.6", "suggest_k": "1"})
    run = CircleRun.objects.get()
    runs.execute_run(run.pk)
    run.refresh_from_db()  # every resident is near the site: a suggestion as the analysis writes one
    run.result["suggestions"] = {"sites": [{"rank": 1, "lat": 36.47, "lon": 116.0, "added_population": 120.0}]}
    run.save()
    url = f"/staff/planning/circle/{world.county.code}/runs/{run.pk}/layer.json"
    plain = client.get(url).json()
    no_map_tiles.MAP_PROVIDER = "amap"
    shifted = client.get(url).json()
    for a, b in zip(plain["residents"]["features"], shifted["residents"]["features"], strict=True):
        lon, lat = a["geometry"]["coordinates"]
        glon, glat = geo.wgs84_to_gcj02(lon, lat)
        assert b["geometry"]["coordinates"] == pytest.approx([glon, glat], abs=1e-6)
    s, t = plain["suggestions"][0], shifted["suggestions"][0]
    assert [t["lat"], t["lon"]] == pytest.approx(list(reversed(geo.wgs84_to_gcj02(s["lon"], s["lat"]))), abs=1e-6)
    page = client.get(f"/staff/planning/circle/{world.county.code}/").content.decode()
    assert 'id="circle-map-settings"' in page and "webrd0{s}.is.autonavi.com" in page


def test_suggestions_and_types_are_told_in_words(world, client_for, django_capture_on_commit_callbacks):
    client = client_for("county")
    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"/staff/planning/circle/{world.county.code}/run/", {"minutes": "10 15", "speed_kmh": "3.6", "suggest_k": "1"})
    run = CircleRun.objects.get()
    runs.execute_run(run.pk)
    run.refresh_from_db()
    run.result["suggestions"] = {"method": "greedy", "guarantee": "greedy max-coverage: …",
                                 "sites": [{"rank": 1, "lat": 36.4585, "lon": 115.9862, "added_population": 120.0}]}
    run.save()
    page = client.get(f"/staff/planning/circle/{world.county.code}/", headers={"Accept-Language": "zh-hans"})
    [s] = page.context["suggested"]
    assert s["place"]["community"] == "东关社区" and s["place"]["road"] == "东关街"  # the nearest site's road
    assert s["place"]["near"] == world.site.name and 150 < s["place"]["metres"] < 250
    html = page.content.decode()
    assert "<strong>东关社区</strong>，东关街" in html and "36.4585" not in html
    assert "至少达到同等数量最优方案的 63%" in html and "greedy max-coverage" not in html
    assert "篮球场" in html and ">basketball<" not in html
    # A loaded street close by names the road instead.
    streets.replace_streets([("柳园南路", "primary", [[115.9860, 36.4580], [115.9865, 36.4590]])])
    assert describe.place(36.4585, 115.9862)["road"] == "柳园南路"
    with translation.override("zh-hans"):
        assert describe.stage_label("passes") == "从每处体育场地出发计算步行距离"
        assert describe.stage_label("") == describe.stage_label("inputs") == "读取场地、居民和街道数据"
