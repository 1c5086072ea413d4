"""The staff pages and the residents' page: register an institution, record a fitting (a bad one
shows the Chinese reason and writes nothing), record an activity, see the figures; residents find
the places fitted for older people nearest first."""

from django.urls import reverse
from django.utils import timezone

from quanmin.inclusive import services
from quanmin.inclusive.models import Activity, Fitting, Institution


def test_register_fit_and_see_the_figures(world, client_for):
    client = client_for("township")
    assert client.get(reverse("inclusive:institution_new")).status_code == 200
    done = client.post(reverse("inclusive:institution_new"), {"region": world.community.code, "name": "东关幸福院",
                                                             "kind": "elderly_care"})
    assert done.status_code == 302
    found = Institution.objects.get()
    page = reverse("inclusive:institution", kwargs={"pk": found.pk})
    assert "东关幸福院" in client.get(reverse("inclusive:institutions")).content.decode()
    bad = client.post(reverse("inclusive:fitting_new", kwargs={"pk": found.pk}),
                      {"kind": "elderly_equipment", "pieces": "1", "fitted_on": "2999-01-01"},
                      HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400 and "不能是将来" in bad.content.decode() and not Fitting.objects.exists()
    ok = client.post(reverse("inclusive:fitting_new", kwargs={"pk": found.pk}),
                     {"kind": "elderly_equipment", "pieces": "6", "fitted_on": "2025-06-01"})
    assert ok.status_code == 302 and Fitting.objects.get().pieces == 6
    assert "2025-06-01" in client.get(page).content.decode()
    listed = client.post(reverse("inclusive:activities"), {
        "region": world.township.code, "group": "elderly", "programme": "changqing_kele", "title": "常青可乐健步走",
        "held_on": timezone.localdate().isoformat(), "participants": "60"})
    assert listed.status_code == 302 and Activity.objects.get().participants == 60
    assert "常青可乐健步走" in client.get(reverse("inclusive:activities")).content.decode()
    figures = client.get(reverse("inclusive:figures"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "1 / 1 (100.0%)" in figures
    assert client_for("resident").get(reverse("inclusive:institutions")).status_code == 403
    assert client_for("other_county").get(page).status_code == 404


def test_residents_find_places_fitted_for_them(world, client_for, care_home):
    services.record_fitting(world.users["county"], care_home, {"kind": "elderly_equipment", "fitted_on": "2025-06-01",
                                                               "facility": care_home.test_facility.pk})
    client = client_for(None)
    near = client.get(reverse("inclusive:near"), {"group": "elderly", "lat": "36.451", "lon": "115.981"},
                      HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = near.content.decode()
    assert near.status_code == 200 and care_home.site.name in text and "适合老年人" in text and " m" in text
    assert care_home.site.name not in client.get(reverse("inclusive:near"), {"group": "preschool"}).content.decode()
    # a bad parameter is left out, never a 500
    assert client.get(reverse("inclusive:near"), {"group": "x", "lat": "abc", "radius": "7"}).status_code == 200
