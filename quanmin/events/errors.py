"""The events app's error codes, each with its translated message (see booking/errors.py).

Services raise ``fail(code)``; a check whose message depends on the field raises
``invalid(message, field)`` (code ``invalid_input``). The codes are what the API answers and what
tests assert.
"""

from django.utils.translation import gettext_lazy as _

from quanmin.core.errors import ServiceError


class EventError(ServiceError):
    status = 409


MESSAGES = {
    "not_found": _("No such games, competition or entry."),
    "entries_closed": _("Entries for this competition have closed."),
    "not_published": _("This event is not open for entries."),
    "quota_full": _("This competition is full."),
    "delegation_quota_full": _("Your delegation has used all its places in this competition."),
    "already_entered": _("You are already entered in this competition."),
    "in_another_team": _("%(name)s is already in the team %(team)s in this competition."),
    "real_name_required": _("Complete your real-name profile (name and ID number) before entering."),
    "age_group": _("This competition is for ages %(group)s: you are %(age)s on its first day."),
    "sex_group": _("This competition is for another sex group."),
    "residence": _("This competition is for residents of %(division)s."),
    "guardian_consent": _("Entrants under 14 need a guardian's consent on their account first."),
    "team_size": _("A team here has %(min)s to %(max)s members."),
    "team_member_unknown": _("A team member has no real-name account on the platform."),
    "team_name": _("Give the team a name."),
    "delegation_only": _("Athletes enter this competition through their delegation."),
    "open_only": _("This competition takes individual entries only."),
    "not_leader": _("Only the delegation's leader may do this."),
    "not_pending": _("This entry is not waiting for approval."),
    "not_withdrawable": _("This entry cannot be withdrawn any more."),
    "not_offered": _("No place is offered to you for this entry."),
    "not_full": _("There are free places: enter instead of joining the waiting list."),
    "not_entered": _("This person is not entered in this competition."),
    "result_value": _("Give a result, or say the athlete did not start or finish."),
    "reason_required": _("Give a reason for the correction."),
    "checklist_incomplete": _("Complete the safety checklist before publishing: %(missing)s."),
    "risk_below_attendance": _("An event expecting %(people)s people is graded %(grade)s at least."),
    "safety_plan_missing": _("A %(grade)s event needs its safety plan on file before it opens: %(missing)s."),
    "no_competitions": _("Add at least one competition before publishing."),
    "ends_before_start": _("A competition ends after it starts."),
    "closes_after_start": _("Entries close before the competition starts."),
    "capacity_below_taken": _("There are already more entries than that."),
    "level_mismatch": _("The division does not match the level."),
    "parent_level": _("A games is part of a games one level up, in a division above its own."),
    "sport_unknown": _("Choose a sport from the list."),
    "not_online": _("Results are submitted by entrants only in online events."),
    "not_submitted": _("This result is not waiting for review."),
    "venue_taken": _("The venue is booked by someone else at this time."),
    "payment_too_late": _("The payment came after the entry had lapsed or been withdrawn: it is refunded in full."),
    "fee_not_discountable": _("This entry fee is not waiting to be paid, already has a discount, or would come to nothing."),
    "simulation_off": _("Simulated payments are turned off on this server."),
    "import_errors": _("The file has errors; nothing was imported."),
    "cancelled": _("This event is cancelled: it can no longer be changed."),
    "cancel_reason": _("Give the reason for cancelling: entrants are told it."),
}

FIELDS = {"team_size": "members", "in_another_team": "members", "team_name": "team_name", "team_member_unknown": "members",
          "ends_before_start": "ends_at", "closes_after_start": "closes_at",
          "reason_required": "reason", "result_value": "value", "sport_unknown": "sport",
          "capacity_below_taken": "capacity", "cancel_reason": "reason", "level_mismatch": "region", "parent_level": "parent"}


def fail(key: str, status: int | None = None, **params) -> EventError:
    message = MESSAGES[key]
    if params:
        message = message % params
    return EventError(key, message, field=FIELDS.get(key), status=status or (404 if key == "not_found" else 409))


def invalid(message, field: str | None = None, status: int = 400) -> EventError:
    return EventError("invalid_input", message, field=field, status=status)
