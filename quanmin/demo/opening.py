"""The demo city's venue-opening evaluation (D13): 东昌府区's county staff (李明) evaluated every
publicly funded venue of the county last year, asked the weaker ones to put things right (most
confirmed done, one still overdue) and finished the round; this year's round is open, with about
half the venues evaluated so far. Evaluations go through the services, so each score is computed
from the registers as they stand and the checklist a clerk would tick; only the dates of last
year's rectifications are set back afterwards to when they happened."""

import datetime

from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts.models import User
from quanmin.opening import checklist, services
from quanmin.opening.errors import OpeningError
from quanmin.opening.models import OpeningEvaluation, OpeningRectification, OpeningRound
from quanmin.regions.models import Region

COUNTY_STAFF = "13800000002"  # 李明 (accounts demo)
REQUESTS = {
    "hours_posted": "在场馆入口和平台公示开放时间及收费标准",
    "fitness_day_free": "全民健身日（8月8日）全面免费开放，并提前公告",
    "closure_notice": "因维修等原因闭馆须提前7天向社会公告",
    "certified_notice": "在入口醒目位置公示老年人、残疾人持证免费政策",
    "certificate_entry": "取消持证免费入场的额外登记要求，凭证即可入场",
    "certified_register": "建立持证免费入场登记台账",
}
NOTES = ["开放时间落实，场地维护良好", "公益时段安排合理，群众反映较好", "持证免费政策公示不到位", "周末开放时间偏短"]


def _ticks(rng) -> dict:
    return {key: "1" for key in checklist.CLERK_KEYS if rng.random() < 0.8}


def _evaluate(staff, evaluation, rng, on):
    ticked = _ticks(rng)
    done = services.evaluate(staff, evaluation, {**ticked, "note": rng.choice(NOTES), "evaluated_on": on})
    return done, [key for key in checklist.CLERK_KEYS if key not in ticked]


def load(city: Region, rng) -> None:
    staff = User.objects.filter(phone_hash=crypto.lookup_hash(COUNTY_STAFF)).first()
    membership = staff.memberships.first() if staff else None
    if membership is None or OpeningRound.objects.exists():
        return
    county, today = membership.region, timezone.localdate()
    try:
        last = services.open_round(staff, {"region": county.code, "year": today.year - 1})
    except OpeningError:  # no publicly funded venue open in the county
        return
    for evaluation in last.evaluations.select_related("site", "round"):
        done, missed = _evaluate(staff, evaluation, rng, datetime.date(today.year - 1, 11, rng.randint(3, 28)))
        for n, key in enumerate(missed[:2]):
            rect = services.request_rectification(staff, done, {"request": REQUESTS[key]})
            due = done.evaluated_on + datetime.timedelta(days=30)
            OpeningRectification.objects.filter(pk=rect.pk).update(due=due)
            if n == 0 and rng.random() < 0.85:
                rect = services.report_done(staff, rect, {"note": "已按要求整改并拍照留存"})
                services.confirm(staff, rect, {"accepted": True})
                OpeningRectification.objects.filter(pk=rect.pk).update(reported_on=due - datetime.timedelta(days=5))
    services.close_round(staff, last)
    OpeningRound.objects.filter(pk=last.pk).update(closed_at=timezone.make_aware(
        datetime.datetime(today.year - 1, 12, 20, 16)))
    current = services.open_round(staff, {"region": county.code, "year": today.year,
                                          "due": today + datetime.timedelta(days=20)})
    pending = list(current.evaluations.select_related("site", "round").order_by("pk"))
    for evaluation in pending[: len(pending) // 2]:
        done, missed = _evaluate(staff, evaluation, rng, today - datetime.timedelta(days=rng.randint(0, 10)))
        if done.result != OpeningEvaluation.Result.PASS and missed:
            services.request_rectification(staff, done, {"request": REQUESTS[missed[0]]})
