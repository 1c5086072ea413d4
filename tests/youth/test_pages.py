"""The staff pages: the register lists a school, the entry form records a return, a bad figure
shows the Chinese reason and writes nothing, the figures page shows the division's hours."""

from django.urls import reverse

from quanmin.youth.models import TermReturn

from .conftest import return_data


def test_enter_a_return_on_the_page_and_see_it(world, client_for, school):
    client = client_for("township")
    listed = client.get(reverse("youth:schools"))
    assert listed.status_code == 200 and "东关小学" in listed.content.decode()
    url = reverse("youth:return", kwargs={"pk": school.pk})
    assert client.get(url).status_code == 200
    bad = client.post(url, {**return_data(myopia_intervened=999), "note": ""}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert bad.status_code == 400 and "不能多于" in bad.content.decode() and not TermReturn.objects.exists()
    done = client.post(url, {**return_data(), "note": "体质健康测试周"})
    assert done.status_code == 302 and TermReturn.objects.get().note == "体质健康测试周"
    page = client.get(reverse("youth:school", kwargs={"pk": school.pk})).content.decode()
    assert "2025–2026" in page
    assert client.get(reverse("youth:figures")).status_code == 200
    assert client_for("resident").get(reverse("youth:schools")).status_code == 403
