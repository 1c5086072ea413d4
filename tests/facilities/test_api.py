"""The facilities register's API: public reads, staff writes, bad input, nearby ordering."""

import datetime

import pytest

from quanmin.facilities import services
from quanmin.facilities.models import Facility, Site


def test_public_site_list_and_detail(world, client_for):
    client = client_for(None)
    items = client.get("/api/v1/facilities/sites?limit=50").json()["items"]
    assert {i["name"] for i in items} == {"东关社区文体广场", "新华社区健身广场"}
    detail = client.get(f"/api/v1/facilities/sites/{world.site.pk}").json()
    assert detail["facilities"][0]["type"] == "basketball"
    assert detail["facilities"][0]["type_name"] == "篮球场"


def test_planned_sites_are_hidden_from_the_public_but_not_from_staff(world, client_for):
    planned = services.create_site({"name": "规划中的体育公园", "lon": 116.0, "lat": 36.4, "region": world.community,
                                    "status": "planned"})
    assert client_for(None).get(f"/api/v1/facilities/sites/{planned.pk}").status_code == 404
    assert client_for("county").get(f"/api/v1/facilities/sites/{planned.pk}").status_code == 200
    mine = client_for("county").get("/api/v1/facilities/sites?mine=true").json()["items"]
    assert planned.pk in {s["id"] for s in mine} and world.other_site.pk not in {s["id"] for s in mine}
    assert client_for("resident").get("/api/v1/facilities/sites?mine=true").status_code == 403


def test_nearby_is_ordered_by_distance_and_bounded(world, client_for):
    far = services.create_site({"name": "远处球场", "lon": 116.10, "lat": 36.457, "region": world.community})
    services.add_facility(far, {"type": "basketball", "area_m2": 420})
    near = services.create_site({"name": "近处球场", "lon": 115.986, "lat": 36.4575, "region": world.community})
    services.add_facility(near, {"type": "basketball", "area_m2": 420})
    r = client_for(None).get("/api/v1/facilities?lat=36.457&lon=115.985&radius_m=5000&type=basketball").json()
    names = [(i["site_id"], i["distance_m"]) for i in r["items"]]
    assert [s for s, _ in names] == [world.site.pk, near.pk]  # the far one (10 km) is outside 5 km
    assert names[0][1] < names[1][1] < 5000


def test_staff_create_edit_close(world, client_for):
    client = client_for("county")
    r = client.post("/api/v1/facilities/sites", {"name": "古楼健身广场", "lon": 115.98, "lat": 36.45,
                                                 "region_code": world.township.code}, content_type="application/json")
    assert r.status_code == 201
    site_id = r.json()["id"]
    r = client.post(f"/api/v1/facilities/sites/{site_id}/facilities", {"type": "健身步道", "length_km": "2.5"},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["type"] == "fitness_trail"
    r = client.post(f"/api/v1/facilities/sites/{site_id}/close", {"status": "repair", "reason": "翻修"},
                    content_type="application/json")
    assert r.json()["status"] == "repair"
    assert not Facility.objects.get(site_id=site_id).open  # the copy on the facility follows the site


@pytest.mark.parametrize("payload,code", [
    ({"lon": 2.35, "lat": 48.85}, "coordinates_outside_china"),
    ({"region_code": "999999999999"}, "region_unknown"),
    ({"owner_kind": "alien"}, "owner_kind_invalid"),
    ({"name": "  "}, "name_required"),
])
def test_bad_site_input_changes_nothing(world, client_for, payload, code):
    body = {"name": "测试", "lon": 115.98, "lat": 36.45, "region_code": world.township.code, **payload}
    before = Site.objects.count()
    r = client_for("county").post("/api/v1/facilities/sites", body, content_type="application/json")
    assert r.status_code in (400, 404) and r.json()["code"] in (code, "not_found")
    assert Site.objects.count() == before


def test_bad_facility_input(world, client_for):
    client = client_for("county")
    url = f"/api/v1/facilities/sites/{world.site.pk}/facilities"
    assert client.post(url, {"type": "quidditch"}, content_type="application/json").json()["code"] == "type_unknown"
    r = client.post(url, {"type": "basketball", "area_m2": "lots"}, content_type="application/json")
    assert r.status_code == 422 and r.json()["errors"][0]["field"].endswith("area_m2")
    r = client.post(url, {"type": "basketball", "year_built": 1066}, content_type="application/json")
    assert r.json()["code"] == "year_invalid"


def test_hours_and_exceptions_through_the_api(world, client_for):
    client = client_for("county")
    rules = [{"kind": "regular", "weekday": d, "opens": "06:00", "closes": "22:00", "price_note": ""} for d in range(8)]
    assert client.put(f"/api/v1/facilities/sites/{world.site.pk}/hours", {"rules": rules},
                      content_type="application/json").status_code == 200
    bad = [{"kind": "regular", "weekday": 1, "opens": "22:00", "closes": "06:00", "price_note": ""}]
    r = client.put(f"/api/v1/facilities/sites/{world.site.pk}/hours", {"rules": bad}, content_type="application/json")
    assert r.json()["code"] == "hours_invalid"
    assert world.site.opening_rules.count() == 8  # the bad request changed nothing
    r = client.post(f"/api/v1/facilities/sites/{world.site.pk}/exceptions",
                    {"date": str(datetime.date(2026, 12, 24)), "closed": True, "note": "赛事封场"},
                    content_type="application/json")
    assert r.status_code == 201


def test_supervisor_cannot_write(world, client_for):
    r = client_for("supervisor").patch(f"/api/v1/facilities/{world.facility.pk}", {"lit": True},
                                       content_type="application/json")
    assert r.status_code == 403
    world.facility.refresh_from_db()
    assert not world.facility.lit


def test_a_bad_division_filter_and_a_null_field_are_client_errors(world, client_for):
    # Found by schemathesis (issue 15): `region=Î` on the public lists and `"name": null` on a
    # facility were 500s; the staff register's list with a 5-digit region too.
    anonymous, staff = client_for(None), client_for("county")
    for path in ("/api/v1/facilities/sites", "/api/v1/facilities"):
        for region in ("Î", "12345", "3715x"):
            r = anonymous.get(path, {"region": region})
            assert r.status_code == 422 and r.json()["errors"][0]["field"] == "region", (path, region)
        assert anonymous.get(path, {"region": "3715"}).status_code == 200
    url = f"/api/v1/facilities/{world.facility.pk}"
    r = staff.patch(url, {"name": None}, content_type="application/json")
    assert r.status_code == 200 and Facility.objects.get(pk=world.facility.pk).name == ""
    r = staff.patch(url, {"indoor": None}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "indoor_required"
    assert staff.get("/staff/facilities/", {"region": "12345"}).status_code == 200
