"""The incentives app's error codes, each with its translated message (see events/errors.py).

Services raise ``fail(code)``; a check whose message depends on the field raises
``invalid(message, field)`` (code ``invalid_input``). The codes are what the API answers and what
tests assert.
"""

from django.utils.translation import gettext_lazy as _

from quanmin.core.errors import ServiceError


class IncentiveError(ServiceError):
    status = 409


MESSAGES = {
    "not_found": _("No such campaign, voucher, settlement or selection."),
    "real_name_required": _("Complete your real-name profile (name and ID number) first."),
    "cap_negative": _("A cap is a whole number of points, zero or more."),
    "points_positive": _("Points are a whole number above zero."),
    "fact_unknown": _("Choose what the rule rewards from the list."),
    "not_a_city": _("Points rules belong to a city."),
    "starts_on_invalid": _("Give the first day as YYYY-MM-DD."),
    "balance_short": _("You have %(balance)s points: not enough."),
    "points_share": _("Points pay at most %(share)s%% of a booking's price."),
    "not_held": _("This booking is not waiting for payment any more."),
    "already_discounted": _("This booking already has a discount."),
    "claim_not_open": _("Claiming opens at %(at)s."),
    "claim_closed": _("Claiming has closed."),
    "campaign_not_open": _("This campaign is not published."),
    "sold_out": _("All vouchers of this campaign have been claimed."),
    "person_limit": _("You have claimed all the vouchers you may (%(n)s per person)."),
    "device_limit": _("Too many vouchers were claimed from this phone."),
    "address_limit": _("Too many vouchers were claimed from this network."),
    "voucher_used": _("This voucher has already been used."),
    "voucher_expired": _("This voucher has expired."),
    "venue_not_eligible": _("This voucher cannot be used at this venue."),
    "time_not_eligible": _("This voucher cannot be used at this time."),
    "benefit_hours_only": _("This voucher pays for public-benefit hours only."),
    "below_threshold": _("The voucher needs a spend of at least %(threshold)s yuan."),
    "not_operator": _("Only an operator of this venue may redeem vouchers here."),
    "not_yours": _("This voucher belongs to someone else."),
    "budget_short": _("The vouchers' total face value is more than the budget."),
    "window_order": _("Claiming closes after it opens, and vouchers are usable until after claiming opens."),
    "bands_invalid": _("Each time band needs days (0 Monday … 6 Sunday) and a start before its end, as HH:MM."),
    "not_draft": _("Only a draft campaign can be changed."),
    "no_venues": _("Add at least one venue before publishing."),
    "nothing_to_settle": _("No redeemed vouchers of this venue in that period are waiting for settlement."),
    "settlement_status": _("This settlement is not at that step."),
    "not_venue": _("Only an operator of this venue confirms its settlement."),
    "site_unknown": _("No such venue."),
    "selection_status": _("This selection is not at that step."),
    "no_nominees": _("Accept at least one nominee before voting opens."),
    "already_nominated": _("This nominee has already been put forward in this selection."),
    "nomination_reviewed": _("This nomination has already been reviewed."),
    "voting_closed": _("Voting is not open for this nominee."),
    "already_voted": _("You have already voted in this selection (one vote per person)."),
    "winners_invalid": _("Choose from one to %(places)s winners among the accepted nominees."),
}

FIELDS = {"cap_negative": "daily_cap", "points_positive": "points", "fact_unknown": "fact", "not_a_city": "city",
          "starts_on_invalid": "starts_on",
          "budget_short": "budget", "window_order": "claim_ends_at", "bands_invalid": "bands",
          "below_threshold": "spend", "balance_short": "points", "points_share": "points", "site_unknown": "site"}


def fail(key: str, status: int | None = None, **params) -> IncentiveError:
    message = MESSAGES[key]
    if params:
        message = message % params
    return IncentiveError(key, message, field=FIELDS.get(key), status=status or (404 if key == "not_found" else 409))


def invalid(message, field: str | None = None, status: int = 400) -> IncentiveError:
    return IncentiveError("invalid_input", message, field=field, status=status)
