"""Candidate sites are added and changed in the admin through analytics.services.save_candidate."""

from django.urls import reverse

from quanmin.accounts.models import AuditEntry
from quanmin.analytics.models import CandidateSite
from tests.admin_forms import english, form_data


def test_a_candidate_site_goes_through_the_service(world, client_for):
    client = english(client_for("county"))
    url = reverse("admin:analytics_candidatesite_add")
    data = form_data(client.get(url), name="桥下空地", region=world.community.code, lon="2.35", lat="48.85",
                     area_m2="800", land_kind="idle", status="available")
    refused = client.post(url, data)
    assert refused.status_code == 200 and "The coordinates lie outside China." in refused.content.decode()
    assert not CandidateSite.objects.exists()

    assert client.post(url, {**data, "lon": "115.99", "lat": "36.46"}).status_code == 302
    site = CandidateSite.objects.get()
    assert AuditEntry.objects.filter(action="create", target_type="analytics.candidatesite",
                                     target_id=str(site.pk)).exists()
