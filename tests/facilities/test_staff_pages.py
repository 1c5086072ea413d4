"""The register's staff pages, end to end through the test client."""

from quanmin.accounts.models import AuditEntry
from quanmin.facilities.models import Site


def site_form(world, **over):
    data = {"name": "古楼街道全民健身中心", "address": "古楼路2号", "lon": "115.981", "lat": "36.452",
            "owner_kind": "government", "status": "open", "region_code": world.township.code,
            "manager": "", "contact_phone": "", "school_rules": "", "description": ""}
    data.update(over)
    return data


def test_create_edit_add_facility_and_hours(world, client_for):
    client = client_for("county")
    r = client.post("/staff/facilities/new/", site_form(world))
    assert r.status_code == 302
    site = Site.objects.get(name="古楼街道全民健身中心")
    r = client.post(f"/staff/facilities/sites/{site.pk}/facilities/new/",
                    {"type": "fitness_centre", "area_m2": "2400", "access": "free", "indoor": "on"})
    assert r.status_code == 302 and site.facilities.get().type == "fitness_centre"
    r = client.post(f"/staff/facilities/sites/{site.pk}/hours/", {
        "form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "0",
        "form-0-kind": "regular", "form-0-weekday": "0", "form-0-opens": "08:00", "form-0-closes": "21:00",
        "form-1-kind": "benefit", "form-1-weekday": "0", "form-1-opens": "08:00", "form-1-closes": "10:00",
        "form-1-price_note": "免费"})
    assert r.status_code == 302 and site.opening_rules.count() == 2
    page = client.get(f"/staff/facilities/sites/{site.pk}/").content.decode()
    assert "全民健身活动中心" in page and "免费" in page
    assert AuditEntry.objects.filter(target_type="facilities.site", target_id=str(site.pk)).count() >= 2


def test_county_cannot_create_in_the_neighbouring_county(world, client_for):
    r = client_for("county").post("/staff/facilities/new/", site_form(world, region_code=world.other_township.code))
    assert r.status_code == 400 and not Site.objects.filter(name="古楼街道全民健身中心").exists()


def test_bad_coordinates_show_a_translated_error(world, client_for):
    r = client_for("county").post("/staff/facilities/new/", site_form(world, lon="2.35", lat="48.85"),
                                  headers={"Accept-Language": "zh-hans"})
    assert r.status_code == 400
    assert "中国" in r.content.decode()


def test_list_is_scoped_and_filterable(world, client_for):
    html = client_for("county").get("/staff/facilities/?type=basketball").content.decode()
    assert world.site.name in html and world.other_site.name not in html
    html = client_for("city").get("/staff/facilities/?type=fitness_square").content.decode()
    assert world.other_site.name in html and world.site.name not in html


def test_site_list_does_not_query_per_row(world, client_for, django_assert_max_num_queries):
    from quanmin.facilities import services

    for i in range(15):
        site = services.create_site({"name": f"健身点{i}", "lon": 115.98, "lat": 36.45, "region": world.community})
        services.add_facility(site, {"type": "fitness_path", "area_m2": 120})
    client = client_for("county")
    client.get("/staff/facilities/")  # warm the session and the memberships
    with django_assert_max_num_queries(12):
        html = client.get("/staff/facilities/").content.decode()
    assert "健身点14" in html
