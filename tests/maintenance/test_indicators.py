"""Inspection completion and on-time repairs, against hand counts, as of 2026-06-30: the year
from 2025-07-01 to 2026-06-30 (local days).

Rounds (scheduled, due, status)                  counted?
  东关社区  03-01 03-03 done                        due, done
            04-01 04-03 missed                      due
            06-29 07-01 scheduled                   not yet due on 06-30
            2025-06-30 07-02 done                   scheduled before the year
  古楼街道  2025-12-01 12-03 scheduled              due (time up), not done
  新华社区  01-10 01-12 done; 06-30 06-30 done      due, done (twice)
Repairs finished (done at, deadline)
  东关社区  02-01 10:00 by 02-02 on time; 03-05 by 03-01 late; 07-01 08:00 (after the date): left out
  古楼街道  05-01 09:00 by 05-01 12:00, verified: on time
  新华社区  2025-07-01 00:30 on time; 2025-06-30 23:00 (before the year): left out; one in progress: left out
"""

import datetime
from decimal import Decimal
from itertools import count

import pytest
from django.utils import timezone

from quanmin.core import indicators
from quanmin.maintenance.models import InspectionPlan, InspectionRound, WorkOrder
from quanmin.regions.models import Region

AS_OF = datetime.date(2026, 6, 30)
CITY, COUNTY, OTHER = "371500000000", "371502000000", "371503000000"
TOWNSHIP, COMMUNITY, OTHER_COMMUNITY, EMPTY = "371502001000", "371502001001", "371503001001", "371502001002"
CODES = [CITY, COUNTY, OTHER, TOWNSHIP, COMMUNITY, OTHER_COMMUNITY, EMPTY]


def local(y, m, d, hh=10, mm=0):
    return timezone.make_aware(datetime.datetime(y, m, d, hh, mm))


@pytest.fixture
def upkeep(world):
    w = world
    Region.objects.create(code=EMPTY, name="新区社区", level="community", parent=w.township, population=3000)
    inspector = w.users["community"]
    plan = InspectionPlan.objects.create(name="日常巡检", kind="daily", region=w.city, inspector=inspector,
                                         starts_on=datetime.date(2025, 1, 1))

    def rnd(region, scheduled, due, status):
        InspectionRound.objects.create(plan=plan, kind="daily", region=region, inspector=inspector,
                                       scheduled_for=scheduled, due_on=due, status=status)

    d = datetime.date
    rnd(w.community, d(2026, 3, 1), d(2026, 3, 3), "done")
    rnd(w.community, d(2026, 4, 1), d(2026, 4, 3), "missed")
    rnd(w.community, d(2026, 6, 29), d(2026, 7, 1), "scheduled")
    rnd(w.community, d(2025, 6, 30), d(2025, 7, 2), "done")
    rnd(w.township, d(2025, 12, 1), d(2025, 12, 3), "scheduled")
    rnd(w.other_community, d(2026, 1, 10), d(2026, 1, 12), "done")
    rnd(w.other_community, d(2026, 6, 30), d(2026, 6, 30), "done")

    numbers = count(1)

    def repair(region, done_at, due_at, status="done"):
        WorkOrder.objects.create(number=f"WO-{next(numbers)}", region=region, description="坏了", status=status,
                                 due_at=due_at, done_at=done_at)

    repair(w.community, local(2026, 2, 1), local(2026, 2, 2))
    repair(w.community, local(2026, 3, 5), local(2026, 3, 1))
    repair(w.community, local(2026, 7, 1, 8), local(2026, 7, 2))
    repair(w.township, local(2026, 5, 1, 9), local(2026, 5, 1, 12), "verified")
    repair(w.other_community, local(2025, 7, 1, 0, 30), local(2025, 7, 1, 12))
    repair(w.other_community, local(2025, 6, 30, 23), local(2025, 7, 1))
    repair(w.other_community, None, local(2026, 5, 1), "in_progress")
    return w


def test_inspection_completion(upkeep):
    assert indicators.compute("inspection_completion", CODES, AS_OF) == {
        CITY: 60,  # 3 of 5
        COUNTY: Decimal("33.3"),  # 1 of 3
        OTHER: 100,  # 2 of 2
        TOWNSHIP: Decimal("33.3"),
        COMMUNITY: 50,  # 1 of 2
        OTHER_COMMUNITY: 100,
        EMPTY: None,
    }


def test_repairs_on_time(upkeep):
    assert indicators.compute("repairs_on_time_share", CODES, AS_OF) == {
        CITY: 75,  # 3 of 4
        COUNTY: Decimal("66.7"),  # 2 of 3
        OTHER: 100,  # 1 of 1
        TOWNSHIP: Decimal("66.7"),
        COMMUNITY: 50,  # 1 of 2
        OTHER_COMMUNITY: 100,
        EMPTY: None,
    }


def test_a_later_date_sees_a_later_year(upkeep):
    # As of 2026-07-01 the year runs from 2025-07-02: the repair done 07-01 (due 07-02) joins it,
    # the one done 2025-07-01 has left it.
    found = indicators.compute("repairs_on_time_share", [CITY, OTHER], datetime.date(2026, 7, 1))
    assert found == {CITY: 75, OTHER: None}  # 3 of 4: 02-01, 05-01, 07-01 on time; 03-05 late
