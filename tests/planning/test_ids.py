"""Planning's ids are 64-bit: an id past 2**31 (and up to core.api.MAX_ID, 2**53) finds its own row or
nothing, never the row 2**31 - 1 that a 32-bit clamp would ask for; a number past anything a column
holds answers 404, not 500. The API and the pages alike."""

import pytest
from django.test import Client
from django.urls import reverse

from quanmin.core.api import MAX_ID
from quanmin.planning.models import SpecialEvaluation
from quanmin.planning.services import special
from tests.planning.test_special_evaluation import DATA, pdf

EDGE = 2**31 - 1  # where the old clamp took every larger id
PAST = [2**31, 2**31 + 5, 2**40, MAX_ID, 2**64 + 1]


@pytest.fixture
def at_edge(world, liaocheng):
    """A published special evaluation whose id is 2**31 - 1."""
    city = world.users["city"]
    found = special.open_special(city, liaocheng, dict(DATA))
    special.record(city, found, {"findings": "已核查", "conclusion": "目标完成", "grade": "good"}, evidence=pdf())
    special.conclude(city, found)
    special.publish(city, found)
    SpecialEvaluation.objects.filter(pk=found.pk).update(id=EDGE)
    return SpecialEvaluation.objects.get(pk=EDGE)


def test_an_id_past_2_31_finds_no_other_row(world, liaocheng, at_edge, client_for):
    anyone, city = Client(), client_for("city")
    assert anyone.get(f"/api/v1/planning/public/special-evaluations/{EDGE}").json()["id"] == EDGE
    assert anyone.get(reverse("planning:public_special", args=[EDGE])).status_code == 200
    assert city.get(f"/api/v1/planning/special-evaluations/{EDGE}").status_code == 200
    for pk in PAST:
        assert anyone.get(f"/api/v1/planning/public/special-evaluations/{pk}").status_code == 404, pk
        assert city.get(f"/api/v1/planning/special-evaluations/{pk}").status_code == 404, pk
        assert anyone.get(reverse("planning:public_special", args=[pk])).status_code == 404, pk
        assert anyone.get(reverse("planning:public_evaluation", args=[pk])).status_code == 404, pk


@pytest.mark.parametrize("path", [
    "/api/v1/planning/evaluations/{}", "/api/v1/planning/rounds/{}", "/api/v1/planning/returns/{}",
    "/api/v1/planning/supervision/visits/{}", "/api/v1/planning/supervision/bulletins/{}",
    "/api/v1/planning/supervision/rectifications/{}/entries",
])
def test_the_staff_api_answers_404_past_2_31(world, liaocheng, client_for, path):
    city = client_for("city")
    for pk in PAST:
        assert city.get(path.format(pk)).status_code == 404, pk
