"""The inclusive API over real HTTP: register an institution, fit it, record an activity, read the
figures and the public places near a point; a bad fitting is a 400 with a code and a Chinese
message, nothing written."""

import datetime

from quanmin.inclusive.models import Fitting

from .conftest import make_site

P = "/api/v1/inclusive"
JSON = "application/json"


def test_register_fit_record_and_read_back(world, client_for):
    client = client_for("county")
    site, facility = make_site(world.community, "东关幸福院")
    made = client.post(f"{P}/institutions", {"region": world.community.code, "name": "东关幸福院",
                                             "kind": "elderly_care", "site_id": site.pk}, content_type=JSON)
    assert made.status_code == 201, made.content
    found = made.json()
    assert found["kind_label"] and found["site_name"] == "东关幸福院"
    url = f"{P}/institutions/{found['id']}/fittings"
    bad = client.post(url, {"kind": "simple_football", "fitted_on": "2025-06-01"}, content_type=JSON,
                      HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400 and bad.json()["code"] == "fitting_kind_unsuited" and "不配置" in bad.json()["message"]
    assert not Fitting.objects.exists()
    fitted = client.post(url, {"kind": "elderly_equipment", "pieces": 6, "fitted_on": "2025-06-01",
                               "facility_id": facility.pk}, content_type=JSON)
    assert fitted.status_code == 201 and fitted.json()["site_id"] == site.pk
    assert client.get(url).json()[0]["pieces"] == 6
    held = (datetime.date.today() - datetime.timedelta(days=3)).isoformat()
    act = client.post(f"{P}/activities", {"region": world.township.code, "group": "elderly",
                                          "programme": "changqing_kele", "title": "常青可乐门球赛", "held_on": held,
                                          "participants": 48, "institution_id": found["id"]}, content_type=JSON)
    assert act.status_code == 201 and act.json()["programme_label"]
    listed = client.get(f"{P}/activities?limit=10").json()
    assert listed["count"] == 1 and listed["items"][0]["participants"] == 48
    rows = client.get(f"{P}/figures").json()
    top = rows[0]
    assert top["region"] == world.county.code
    elderly = next(m for m in top["measures"] if m["measure"] == "elderly")
    assert (elderly["institutions"], elderly["equipped"], elderly["share"]) == (1, 1, 100.0)
    assert next(g for g in top["groups"] if g["group"] == "elderly") == {"group": "elderly", "activities": 1,
                                                                        "participants": 48}
    near = client_for(None).get(f"{P}/near?group=elderly&lat=36.451&lon=115.981").json()
    assert near[0]["site_id"] == site.pk and near[0]["distance_m"] < 200
    assert near[0]["suits"] == [{"institution": "东关幸福院", "kind": "elderly_equipment",
                                "fitted": "适宜老年人使用的健身器材"}]
    assert client_for(None).get(f"{P}/near?group=preschool").json() == []
    assert client_for(None).get(f"{P}/near?lat=10&lon=10").status_code == 400


def test_the_neighbouring_county_and_residents_are_refused(world, client_for, care_home):
    assert client_for("other_county").get(f"{P}/institutions/{care_home.pk}").status_code == 404
    assert client_for("resident").get(f"{P}/institutions").status_code == 403
    answer = client_for("supervisor").post(f"{P}/institutions/{care_home.pk}/fittings",
                                           {"kind": "elderly_equipment", "fitted_on": "2025-06-01"}, content_type=JSON)
    assert answer.status_code == 403 and not Fitting.objects.exists()
