"""The residents' tourism page shows what is near them, Chinese first; staff lists and the API show
donors' phones masked and log the read; a bad form answers 400 and writes nothing."""

from quanmin.accounts.models import AuditEntry
from quanmin.heritage import services
from quanmin.heritage.models import Route

from .conftest import route_data


def test_residents_see_routes_and_bases_near_them(world, client_for):
    services.save_route(world.users["city"], route_data(world))
    services.save_route(world.users["city"], route_data(world, region=world.other_county.code, name="茌平骑行线",
                                                        stops="甲, 116.2, 36.5\n乙, 116.3, 36.6"))
    services.save_base(world.users["city"], {"region": world.city.code, "name": "东昌湖水上运动基地", "unit": "管委会",
                                             "level": "national", "year_awarded": 2021})
    page = client_for("resident").get("/tourism/").content.decode()
    assert "体育旅游" in page and "环东昌湖健步走" in page and "茌平骑行线" not in page
    assert "东昌湖水上运动基地" in page and "国家级" in page
    assert "茌平骑行线" in client_for(None).get("/tourism/").content.decode()
    route = Route.objects.get(name="环东昌湖健步走")
    detail = client_for(None).get(f"/tourism/routes/{route.pk}/").content.decode()
    assert "光岳楼" in detail and f"/sites/{world.site.pk}/" in detail


def test_item_reads_are_masked_and_logged(world, client_for, item):
    page = client_for("county").get("/staff/heritage/items/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    body = client_for("city").get("/api/v1/heritage/items").json()
    assert body["items"][0]["donor_phone_masked"] == "138****5678" and "13812345678" not in str(body)
    assert AuditEntry.objects.filter(action="list_personal", detail__what="heritage items").count() == 2


def test_a_bad_form_answers_400_and_writes_nothing(world, client_for):
    response = client_for("county").post("/staff/heritage/routes/new/", {**route_data(world), "stops": "光岳楼"})
    assert response.status_code == 400 and not Route.objects.exists()


def test_the_api_takes_stops_and_answers_a_second_loan_409(world, client_for, item):
    client = client_for("county")
    body = {"region": world.county.code, "name": "环东昌湖健步走", "length_km": "13.5", "opened_on": "2023-05-01",
            "stops": [{"site": world.site.pk}, {"name": "光岳楼", "lon": 115.9887, "lat": 36.4535}]}
    response = client.post("/api/v1/heritage/routes", body, content_type="application/json")
    assert response.status_code == 201, response.json()
    found = response.json()
    assert (found["region_name"], found["stops"][0]["site"], found["stops"][1]["name"]) == (
        "东昌府区", world.site.pk, "光岳楼")
    loan = {"kind": "loan", "day": "2025-05-01", "borrower": "山东省体育博物馆"}
    url = f"/api/v1/heritage/items/{item.pk}/log"
    assert client.post(url, loan, content_type="application/json").status_code == 201
    again = client.post(url, loan, content_type="application/json")
    assert (again.status_code, again.json()["code"]) == (409, "item_on_loan")
    assert client.get(f"/api/v1/heritage/items/{item.pk}").json()["holder"] == item.holder_id


def test_non_staff_are_refused_before_any_item_is_looked_up(world, client_for, item):
    """Like every other item endpoint, the log and the item say 403 to a resident (who may not use
    them at all), and 404 only to staff whose divisions do not hold the item."""
    for url in (f"/api/v1/heritage/items/{item.pk}/log", f"/api/v1/heritage/items/{item.pk}",
                "/api/v1/heritage/items/999999/log"):
        refused = client_for("resident").get(url)
        assert (refused.status_code, refused.json()["code"]) == (403, "forbidden"), url
    assert client_for("other_county").get(f"/api/v1/heritage/items/{item.pk}/log").status_code == 404
    assert client_for("county").get(f"/api/v1/heritage/items/{item.pk}/log").json() == []
