"""The opening evaluation through real HTTP: pages, the API and the round's Excel file."""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from quanmin.opening import services
from quanmin.opening.models import OpeningRound

from .conftest import CLERK_ALL

pytestmark = pytest.mark.django_db
P = "/api/v1/opening"


def test_a_county_opens_a_round_and_evaluates_on_the_pages(venues, client_for):
    client = client_for("county")
    year = timezone.localdate().year
    response = client.post(reverse("opening:rounds"), {"region": venues.county.code, "year": str(year)})
    found = OpeningRound.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("opening:round", kwargs={"pk": found.pk})
    evaluation = found.evaluations.get()
    page = client.get(reverse("opening:evaluation", kwargs={"pk": evaluation.pk}))
    assert page.status_code == 200 and "东关社区文体广场" in page.content.decode()
    assert client.post(reverse("opening:evaluation", kwargs={"pk": evaluation.pk}), CLERK_ALL).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == "done" and evaluation.checklist["certified_register"] is True


def test_a_bad_round_form_answers_400_in_chinese_and_makes_nothing(venues, client_for):
    client = client_for("county")
    response = client.post(reverse("opening:rounds"), {"region": venues.county.code, "year": "明年"},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400 and "之间的年份" in response.content.decode()
    assert not OpeningRound.objects.exists()


def test_the_api_evaluates_and_refuses_a_bad_date(venues, client_for):
    found = services.open_round(venues.users["county"], {"region": venues.county.code,
                                                         "year": timezone.localdate().year})
    evaluation = found.evaluations.get()
    client = client_for("county")
    url = f"{P}/evaluations/{evaluation.pk}"
    bad = client.put(url, {"evaluated_on": "1999-01-01"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "evaluated_on_invalid"
    done = client.put(url, {"hours_posted": True, "note": "良好"}, content_type="application/json").json()
    assert done["status"] == "done" and done["result_label"] and len(done["items"]) == 14
    assert client_for("other_county").get(url).status_code == 404
    rounds = client.get(f"{P}/rounds/{found.pk}").json()
    assert rounds["venues"] == 1 and rounds["evaluated"] == 1


def test_the_round_exports_to_excel(venues, client_for):
    found = services.open_round(venues.users["city"], {"region": venues.city.code, "year": timezone.localdate().year})
    for e in found.evaluations.all():
        services.evaluate(venues.users["city"], e, CLERK_ALL)
    services.request_rectification(venues.users["city"], found.evaluations.first(), {"request": "=1+1 公示收费标准"})
    response = client_for("county").get(reverse("opening:round_export", kwargs={"pk": found.pk}))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    venues_sheet = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(venues_sheet) == 2 and venues_sheet[1][1] == "东关社区文体广场"  # the county's venue only
    rects = list(book.worksheets[1].iter_rows(values_only=True))
    assert all(row[2] != "=1+1 公示收费标准" or book.worksheets[1].cell(2, 3).data_type == "s" for row in rects[1:])
