"""The register's admin writes through facilities.services: the audit rows appear, the facilities
follow their site, and the services' checks speak on the admin form (DESIGN rule 1)."""

from django.urls import reverse

from quanmin.accounts.models import AuditEntry
from quanmin.facilities.models import Facility, Site
from tests.admin_forms import english, form_data


def test_a_site_outside_china_is_refused_on_the_form(world, client_for):
    client = english(client_for("county"))
    url = reverse("admin:facilities_site_add")
    data = form_data(client.get(url), name="新广场", region=world.community.code, lon="2.35", lat="48.85",
                     owner_kind="government", status="open")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The coordinates lie outside China." in response.content.decode()
    assert not Site.objects.filter(name="新广场").exists()

    response = client.post(url, {**data, "lon": "115.99", "lat": "36.46"})
    assert response.status_code == 302
    site = Site.objects.get(name="新广场")
    assert AuditEntry.objects.filter(action="create", target_type="facilities.site", target_id=str(site.pk)).exists()


def test_closing_a_site_in_the_admin_closes_its_facilities(world, client_for):
    client = client_for("county")
    url = reverse("admin:facilities_site_change", args=[world.site.pk])
    assert client.post(url, form_data(client.get(url), status="closed")).status_code == 302
    world.facility.refresh_from_db()
    assert world.facility.open is False  # the service's sync, not the ModelForm's save
    entry = AuditEntry.objects.get(action="update", target_type="facilities.site", target_id=str(world.site.pk))
    assert entry.detail == {"fields": ["status"]}


def test_facilities_are_added_changed_and_removed_through_the_service(world, client_for):
    client = english(client_for("county"))
    add_url = reverse("admin:facilities_facility_add")
    data = form_data(client.get(add_url), site=world.site.pk, type="no-such-type", name="乒乓球台", access="free")
    refused = client.post(add_url, data)
    assert refused.status_code == 200 and "Unknown facility type." in refused.content.decode()

    assert client.post(add_url, {**data, "type": "table_tennis"}).status_code == 302
    facility = Facility.objects.get(name="乒乓球台")
    assert (facility.region_id, facility.lon) == (world.site.region_id, world.site.lon)  # synced from its site
    assert AuditEntry.objects.filter(action="create", target_id=str(facility.pk),
                                     target_type="facilities.facility").exists()

    change_url = reverse("admin:facilities_facility_change", args=[facility.pk])
    assert client.post(change_url, form_data(client.get(change_url), year_built="2021")).status_code == 302
    entry = AuditEntry.objects.get(action="update", target_id=str(facility.pk), target_type="facilities.facility")
    assert entry.detail == {"fields": ["year_built"]}

    delete_url = reverse("admin:facilities_facility_delete", args=[facility.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Facility.objects.filter(pk=facility.pk).exists()
    assert AuditEntry.objects.filter(action="delete", target_id=str(facility.pk),
                                     target_type="facilities.facility").exists()


def test_a_facility_added_inline_on_its_site_goes_through_the_service(world, client_for):
    client = client_for("superuser")
    url = reverse("admin:facilities_site_change", args=[world.site.pk])
    page = client.get(url)
    data = form_data(page, **{"facilities-TOTAL_FORMS": "2", "facilities-1-type": "table_tennis",
                              "facilities-1-name": "乒乓球台", "facilities-1-access": "free",
                              "facilities-1-site": world.site.pk})
    response = client.post(url, data)
    assert response.status_code == 302
    facility = Facility.objects.get(name="乒乓球台")
    assert facility.region_id == world.site.region_id
    assert AuditEntry.objects.filter(action="create", target_id=str(facility.pk),
                                     target_type="facilities.facility").exists()


def test_a_facility_with_bookings_is_not_removed(world, client_for):
    client = client_for("county")
    delete_url = reverse("admin:facilities_facility_delete", args=[world.facility.pk])
    response = client.post(delete_url, {"post": "yes"})
    assert response.status_code in (200, 302)  # the admin lists what protects it, or says why
    assert Facility.objects.filter(pk=world.facility.pk).exists()
