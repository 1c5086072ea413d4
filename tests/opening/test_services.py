"""The opening evaluation's rules: rounds, evaluations scored from the registers and the checklist,
rectifications followed up, each staff member inside their division; and the two indicators."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from quanmin.accounts.models import AuditEntry, Notification
from quanmin.booking.models import VisitCount
from quanmin.facilities import indicators as fi
from quanmin.facilities import services as fs
from quanmin.facilities.models import Facility
from quanmin.opening import checklist, selectors, services
from quanmin.opening.errors import OpeningError
from quanmin.opening.models import OpeningEvaluation, OpeningRectification, OpeningRound

from .conftest import CLERK_ALL

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def _round(world, who="county", region=None, year=THIS_YEAR):
    return services.open_round(world.users[who], {"region": (region or world.county).code, "year": year})


def _visitors(site, n=12):
    VisitCount.objects.create(site=site, hour_start=timezone.now().replace(minute=0, second=0, microsecond=0),
                              count_in=n, count_out=n)


def test_a_round_lists_the_publicly_funded_venues_of_its_division(venues):
    found = _round(venues)
    assert found.title.startswith("东昌府区") and str(THIS_YEAR) in found.title
    assert [e.site for e in found.evaluations.all()] == [venues.site]  # not the community's point, nor 茌平区's
    assert AuditEntry.objects.filter(action="opening.round_open", target_id=str(found.pk)).exists()


@pytest.mark.parametrize("data, code", [
    ({"year": THIS_YEAR + 1}, "year_invalid"), ({"year": "二〇二五"}, "year_invalid"),
    ({"region": "371502001000"}, "region_level"), ({"region": "371503000000"}, "region_out_of_scope"),
    ({"due": "明天"}, "due_invalid"),
])
def test_a_bad_round_is_refused_and_nothing_made(venues, data, code):
    with pytest.raises(OpeningError) as caught:
        services.open_round(venues.users["county"], {"region": venues.county.code, "year": THIS_YEAR, **data})
    assert caught.value.code == code
    assert not OpeningRound.objects.exists() and not OpeningEvaluation.objects.exists()


def test_one_round_a_year_and_only_counties_and_the_city_run_it(venues):
    _round(venues)
    with pytest.raises(OpeningError) as caught:
        _round(venues)
    assert caught.value.code == "round_exists" and caught.value.status == 409
    with pytest.raises(PermissionDenied):
        services.open_round(venues.users["township"], {"region": venues.county.code, "year": THIS_YEAR})


def test_an_evaluation_scores_the_registers_and_the_checklist(venues):
    _visitors(venues.site)
    evaluation = _round(venues).evaluations.get()
    done = services.evaluate(venues.users["county"], evaluation, {**CLERK_ALL, "note": "开放良好"})
    f = done.figures
    assert f["weekly_hours"] == 91.0 and f["days_open"] == f["days"] and f["free_or_low_fee"] is True
    assert f["bookable_units"] == 1 and f["visitors"] == 12 and f["accessible"] == ["entrance"]
    assert f["certified_free"] is True and f["opening_complaints"] == 0
    # 65 computed points less two thirds of the accessible ones (6.7), and the clerk's 30
    assert done.score == Decimal("93.3") and done.result == "pass" and done.special_result == "met"
    assert done.status == "done" and done.evaluated_by == venues.users["county"] and done.note == "开放良好"


def test_the_clerk_items_left_out_lower_the_score_and_the_special_section(venues):
    _visitors(venues.site)
    evaluation = _round(venues).evaluations.get()
    done = services.evaluate(venues.users["county"], evaluation, {"certified_notice": "1"})
    assert done.score == Decimal("68.3") and done.result == "basic" and done.special_result == "partly"


def test_a_venue_not_free_or_low_fee_fails_whatever_its_score(venues):
    Facility.objects.filter(site=venues.site).update(access=Facility.Access.PAID)
    evaluation = _round(venues).evaluations.get()
    done = services.evaluate(venues.users["county"], evaluation, CLERK_ALL)
    assert done.figures["free_or_low_fee"] is False and done.score >= checklist.BASIC_SCORE
    assert done.result == "fail"


def test_complaints_of_closing_and_short_hours_cost_points():
    base = {"weekly_hours": 17.5, "weekly_hours_required": 35, "days_open": 330, "days_required": 330}
    fractions = checklist.computed_fractions({**base, "opening_complaints": 1})
    assert fractions["weekly_hours"] == Decimal("0.5") and fractions["complaints"] == Decimal("0.5")
    assert checklist.computed_fractions({**base, "opening_complaints": 3})["complaints"] == 0


def test_a_round_finishes_once_every_venue_is_evaluated(venues):
    found = _round(venues, "city", venues.city)
    with pytest.raises(OpeningError) as caught:
        services.close_round(venues.users["city"], found)
    assert caught.value.code == "evaluations_pending" and caught.value.detail == {"pending": 2}
    for e in found.evaluations.all():
        services.evaluate(venues.users["city"], e, {})
    closed = services.close_round(venues.users["city"], found)
    assert closed.status == "closed" and closed.closed_by == venues.users["city"]
    with pytest.raises(OpeningError) as caught:
        services.evaluate(venues.users["city"], found.evaluations.first(), CLERK_ALL)
    assert caught.value.code == "round_closed"


def test_each_county_sees_only_its_venues_of_the_citys_round(venues):
    found = _round(venues, "city", venues.city)
    county, other = venues.users["county"], venues.users["other_county"]
    assert list(selectors.rounds_for(county)) == [found] == list(selectors.rounds_for(other))
    assert [e.site for e in selectors.evaluations_for(county, {"round": found.pk})] == [venues.site]
    theirs = found.evaluations.get(site=venues.other_site)
    with pytest.raises(Http404):
        selectors.evaluation_or_404(county, theirs.pk)
    with pytest.raises(PermissionDenied):  # a county does not evaluate another county's venue
        services.evaluate(county, theirs, {})
    assert selectors.summary(selectors.evaluations_for(county, {"round": found.pk}))["venues"] == 1
    assert list(selectors.rounds_for(venues.users["resident"])) == []


def test_a_rectification_is_requested_reported_and_confirmed(venues, operator):
    evaluation = _round(venues).evaluations.get()
    county = venues.users["county"]
    with pytest.raises(OpeningError) as caught:
        services.request_rectification(county, evaluation, {"request": "公示开放时间"})
    assert caught.value.code == "not_evaluated"
    services.evaluate(county, evaluation, {})
    rect = services.request_rectification(county, evaluation, {"request": "在入口公示持证免费政策"})
    assert rect.due == timezone.localdate() + datetime.timedelta(days=30) and rect.status == "open"
    assert Notification.objects.filter(user=operator, text="在入口公示持证免费政策").exists()
    assert list(selectors.rectifications_for(operator)) == [rect]
    with pytest.raises(OpeningError) as caught:
        services.report_done(operator, rect, {"note": ""})
    assert caught.value.code == "report_note_required"
    rect = services.report_done(operator, rect, {"note": "已在入口张贴公告"})
    assert rect.status == "reported" and rect.reported_on == timezone.localdate()
    with pytest.raises(OpeningError) as caught:
        services.confirm(county, rect, {"accepted": False})
    assert caught.value.code == "returned_note_required"
    rect = services.confirm(county, rect, {"accepted": False, "note": "公告未写明凭证种类"})
    assert rect.status == "open" and rect.reported_on is None
    rect = services.report_done(operator, rect, {"note": "已补充"})
    rect = services.confirm(county, rect, {"accepted": True})
    assert rect.status == "closed" and rect.confirmed_by == county
    with pytest.raises(OpeningError) as caught:
        services.confirm(county, rect, {"accepted": True})
    assert caught.value.status == 409
    assert OpeningRectification.objects.filter(status="closed").count() == 1


def test_a_rectification_is_due_within_a_year(venues):
    evaluation = _round(venues).evaluations.get()
    services.evaluate(venues.users["county"], evaluation, {})
    late = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    with pytest.raises(OpeningError) as caught:
        services.request_rectification(venues.users["county"], evaluation, {"request": "整改", "due": late})
    assert caught.value.code == "due_invalid" and not OpeningRectification.objects.exists()


def test_the_share_of_publicly_funded_venues_open_free_or_low_fee(venues):
    codes = [venues.city.code, venues.county.code, venues.other_county.code]
    assert fi.public_venues_free_low_fee_share(codes, timezone.localdate()) == {
        venues.city.code: Decimal("100.0"), venues.county.code: Decimal("100.0"),
        venues.other_county.code: Decimal("100.0")}
    Facility.objects.filter(site=venues.other_site).update(access=Facility.Access.PAID)
    found = fi.public_venues_free_low_fee_share(codes, timezone.localdate())
    assert found[venues.city.code] == Decimal("50.0") and found[venues.other_county.code] == Decimal("0.0")
    # free or low-fee hours are enough
    fs.set_opening_rules(venues.other_site, [{"weekday": 5, "opens": datetime.time(8), "closes": datetime.time(12),
                                              "kind": "benefit"}])
    assert fi.public_venues_free_low_fee_share(codes, timezone.localdate())[venues.other_county.code] == 100


def test_hours_open_against_the_hours_required(venues):
    codes = [venues.city.code, venues.county.code, venues.other_county.code]
    three_hours = [{"weekday": d, "opens": datetime.time(18), "closes": datetime.time(21)} for d in range(8)]
    fs.set_opening_rules(venues.other_site, three_hours)  # 21 hours a week of the 35 required
    as_of = datetime.date(2026, 6, 30)
    found = fi.public_venue_hours_share(codes, as_of)
    assert found[venues.county.code] == Decimal("100.0")  # 91 hours a week count as the 35 required
    assert found[venues.other_county.code] == Decimal("60.0")
    assert found[venues.city.code] == Decimal("80.0")
    # three of the four weeks closed for repairs: one week's 91 hours of the 140 required
    for n in range(21):
        fs.set_exception(venues.site, as_of - datetime.timedelta(days=n), closed=True, note="维修")
    assert fi.public_venue_hours_share(codes, as_of)[venues.county.code] == Decimal("65.0")
