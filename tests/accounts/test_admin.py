"""The accounts admin writes through the services: the audit rows appear, and the services' own
checks speak on the admin form (DESIGN rule 1)."""

from django.urls import reverse

from quanmin.accounts.models import AuditEntry, Membership, Role, User
from tests.admin_forms import english, form_data


def test_region_figures_are_set_by_the_service_and_audited(world, client_for):
    client = client_for("county")
    url = reverse("admin:regions_region_change", args=[world.county.code])
    response = client.post(url, form_data(client.get(url), population=1300000))
    assert response.status_code == 302, response.content.decode()[:2000]
    world.county.refresh_from_db()
    assert (world.county.population, world.county.population_estimated) == (1300000, False)
    assert world.county.population_source == "entered by staff"
    entry = AuditEntry.objects.get(action="update", target_type="regions.region")
    assert entry.actor == world.users["county"] and entry.detail == {"population": 1300000}


def test_the_services_check_shows_on_the_region_form(world, client_for):
    client = english(client_for("county"))
    url = reverse("admin:regions_region_change", args=[world.county.code])
    response = client.post(url, form_data(client.get(url), population=1300000, area_km2="0"))
    assert response.status_code == 200
    assert "Area must be positive." in response.content.decode()
    world.county.refresh_from_db()
    assert world.county.population == 1229768
    assert not AuditEntry.objects.filter(target_type="regions.region").exists()


def test_admin_adds_a_user_through_create_user(world, client_for):
    client = english(client_for("county"))
    url = reverse("admin:accounts_user_add")
    blank = form_data(client.get(url))
    bad = client.post(url, {**blank, "phone": "12345", "password": "x-Secret-9", "real_name": "新人"})
    assert bad.status_code == 200
    assert "Enter an 11-digit mainland mobile number." in bad.content.decode()
    taken = client.post(url, {**blank, "phone": "13700000007", "password": "x-Secret-9", "real_name": "新人"})
    assert "This mobile number is already registered." in taken.content.decode()
    assert not User.objects.filter(real_name="新人").exists()

    ok = client.post(url, {**blank, "phone": "13900000099", "password": "x-Secret-9", "real_name": "新人",
                           "home_region": world.community.code})
    assert ok.status_code == 302
    user = User.objects.get(real_name="新人")
    assert user.phone == "13900000099" and user.check_password("x-Secret-9")
    assert AuditEntry.objects.filter(action="create", target_type="accounts.user", target_id=str(user.pk)).exists()


def test_admin_deactivates_a_user_with_an_audit_row(world, client_for):
    client = client_for("county")
    resident = world.users["resident"]
    url = reverse("admin:accounts_user_change", args=[resident.pk])
    data = form_data(client.get(url))
    data.pop("is_active")  # an unticked box is not sent
    assert client.post(url, data).status_code == 302
    resident.refresh_from_db()
    assert resident.is_active is False
    entry = AuditEntry.objects.get(action="update", target_type="accounts.user", target_id=str(resident.pk))
    assert entry.detail == {"fields": ["is_active"]}


def test_memberships_are_granted_and_revoked_through_the_services(world, client_for):
    client = english(client_for("county"))
    resident = world.users["resident"]
    add_url = reverse("admin:accounts_membership_add")
    wrong_level = client.post(add_url, {"user": resident.pk, "role": Role.COUNTY_STAFF, "region": world.township.code})
    assert wrong_level.status_code == 200
    assert "This role must be bound to a division of the matching level." in wrong_level.content.decode()
    assert not Membership.objects.filter(user=resident).exists()

    ok = client.post(add_url, {"user": resident.pk, "role": Role.TOWNSHIP_STAFF, "region": world.township.code})
    assert ok.status_code == 302
    membership = Membership.objects.get(user=resident)
    assert AuditEntry.objects.filter(action="grant_role", target_id=str(resident.pk)).exists()

    delete_url = reverse("admin:accounts_membership_delete", args=[membership.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(user=resident).exists()
    entry = AuditEntry.objects.get(action="revoke_role", target_id=str(resident.pk))
    assert entry.detail == {"role": Role.TOWNSHIP_STAFF} and entry.actor == world.users["county"]


def test_memberships_cannot_be_edited_in_place(world, client_for):
    membership = Membership.objects.get(user=world.users["township"])
    url = reverse("admin:accounts_membership_change", args=[membership.pk])
    client = client_for("county")
    assert client.get(url).status_code == 200  # seen, read-only
    assert client.post(url, {"user": membership.user_id, "role": Role.TOWNSHIP_STAFF,
                             "region": world.other_township.code}).status_code == 403
    membership.refresh_from_db()
    assert membership.region_id == world.township.code


def test_a_role_added_on_the_user_page_is_granted_by_the_service(world, client_for):
    client = english(client_for("county"))
    resident = world.users["resident"]
    url = reverse("admin:accounts_user_change", args=[resident.pk])
    row = {"memberships-TOTAL_FORMS": "1", "memberships-0-user": resident.pk, "memberships-0-role": Role.COUNTY_STAFF,
           "memberships-0-region": world.township.code}
    wrong = client.post(url, form_data(client.get(url), **row))
    assert wrong.status_code == 200
    assert "This role must be bound to a division of the matching level." in wrong.content.decode()
    assert not Membership.objects.filter(user=resident).exists()

    row["memberships-0-role"] = Role.TOWNSHIP_STAFF
    assert client.post(url, form_data(client.get(url), **row)).status_code == 302
    assert Membership.objects.get(user=resident).region_id == world.township.code
    assert AuditEntry.objects.filter(action="grant_role", target_id=str(resident.pk)).exists()
