"""Special training classes for instructors (T2-16): counted by the year they start, against a hand count."""

import datetime
from decimal import Decimal

from quanmin.core import indicators
from quanmin.people.models import Training

AS_OF = datetime.date(2026, 6, 30)


def test_special_classes_of_the_year(world):
    def course(region, kind, starts_on):
        Training.objects.create(title="培训班", kind=kind, organiser="体育局", region=region, starts_on=starts_on,
                                ends_on=starts_on + datetime.timedelta(days=2), hours=Decimal(16))

    course(world.county, "special", datetime.date(2026, 3, 1))
    course(world.township, "special", datetime.date(2026, 5, 1))
    course(world.other_county, "special", datetime.date(2025, 11, 1))  # last year's
    course(world.other_county, "special", datetime.date(2026, 9, 1))  # after the date
    course(world.other_county, "grade", datetime.date(2026, 4, 1))  # not a special class
    found = indicators.compute("special_training_classes", [world.city.code, world.county.code,
                                                            world.other_county.code, world.township.code], AS_OF)
    assert found == {world.city.code: 2, world.county.code: 2, world.other_county.code: 0, world.township.code: 1}
