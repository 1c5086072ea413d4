"""The plans' regular-exerciser targets (seed 001: 43.5 % by 2025, city; seed 003: 58 %, district)
are bound to the survey indicator, and the binding passes planning's own checks when they load."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from quanmin.core import indicators
from quanmin.planning.models import Target


@pytest.mark.django_db
def test_the_regular_exerciser_targets_bind_to_the_survey_indicator():
    call_command("load_plans", stdout=StringIO())
    bound = {(t.plan.source[5:8], t.key): (t.value, t.indicator)
             for t in Target.objects.filter(indicator="regular_exerciser_rate").select_related("plan")}
    assert bound == {("001", "T1-05"): (Decimal("43.5"), "regular_exerciser_rate"),
                     ("003", "T3-06"): (Decimal("58"), "regular_exerciser_rate")}
    assert indicators.get("regular_exerciser_rate").unit == "percent"
