"""A person's own data across the apps: the export (PIPL art. 45) and the erasure (art. 47).

accounts keeps the account and does the export and the erasure; each domain app that holds
personal data of its own has a `personal` module (or services) with export_person / erase_person
and a COVERS table: every reference to a person it holds, and what the erasure does with it. This
module sits above them all and names each one, so nothing registers itself at start-up: an app that
comes to hold personal data adds its call here. tests/web/test_personal_data.py walks every model
with a reference to the user and fails on one that no table names.
"""

from django.apps import apps
from django.utils import timezone

from quanmin.accounts import services as accounts
from quanmin.booking import personal as booking
from quanmin.events import personal as events
from quanmin.feedback import personal as feedback
from quanmin.incentives import personal as incentives
from quanmin.organizations import personal as organizations
from quanmin.outreach import personal as outreach
from quanmin.people import personal as people
from quanmin.physique import services as physique

# The apps' parts, in the order they appear in the export.
PARTS = {"booking": booking, "feedback": feedback, "physique": physique, "people": people,
         "organizations": organizations, "events": events, "incentives": incentives,
         "outreach": outreach}

# reference to the person: ((part, key) where the export lists it, what the erasure does with it:
# delete | unlink | keep). The account's own part is at the top of the export (part None).
ACCOUNTS_COVERS = {
    "accounts.Membership.user": ("memberships", "delete"),
    "accounts.Consent.user": ("consents", "keep"),  # withdrawn, the guardian's name and ID removed
    "accounts.ApiToken.user": ("api_tokens", "delete"),
    "accounts.Notification.user": ("notifications", "delete"),
    "accounts.CityAppLink.user": ("city_app_links", "delete"),  # the city app's sign-in link
    # The log is the platform's record of what was done: it stays, by an anonymous account.
    "accounts.AuditEntry.actor": ("audit_log", "keep"),
}

PHYSIQUE_COVERS = {
    "physique.Participant.user": ("results", "delete"),  # with the person's results and prescriptions
    "physique.Referral.user": ("referrals", "delete"),  # a referral to a sport–medicine site and its prescription
}

# References to a person as the one who did a piece of work on someone else's record or on the
# register (checked a certificate, recorded a result, verified a repair). They are the division's
# records: the export counts them by kind (under "work_as_staff"); the erasure keeps them, linked
# to the anonymous account.
STAFF_RECORDS = (
    "admin.LogEntry.user",
    "booking.Certificate.checked_by", "booking.VisitCount.recorded_by", "analytics.CircleRun.requested_by",
    "physique.Participant.created_by", "physique.TestResult.tester", "physique.Prescription.created_by",
    "physique.ExerciseSession.created_by", "physique.ExerciseGrade.recorded_by", "physique.ExerciseGrade.annulled_by",
    "people.Instructor.approved_by", "people.GradeRecord.by", "people.DutyLog.confirmed_by",
    "people.GuidanceRequest.answered_by", "people.VolunteerActivity.created_by", "maintenance.InspectionPlan.inspector",
    "maintenance.InspectionPlan.created_by", "maintenance.InspectionRound.inspector",
    "maintenance.Check.checked_by", "maintenance.WorkOrder.created_by", "maintenance.WorkOrder.verified_by",
    "maintenance.WorkOrderPhoto.uploaded_by", "maintenance.WorkOrderEvent.actor", "feedback.ReportEvent.actor",
    "organizations.OrganizationChange.actor", "organizations.Announcement.author", "events.Games.created_by",
    "events.Result.recorded_by", "events.Correction.by", "planning.Plan.created_by", "surveys.Survey.created_by",
    "planning.TargetFigure.entered_by", "planning.TargetFigure.decided_by", "planning.TaskEntry.author",
    "incentives.VoucherCampaign.created_by", "incentives.Settlement.created_by", "incentives.Settlement.confirmed_by",
    "incentives.Settlement.approved_by", "incentives.Voucher.operator", "planning.JointMeeting.created_by",
    "incentives.PointsSettings.updated_by", "incentives.Selection.created_by", "incentives.Nomination.reviewed_by",
    "events.PromotedSport.created_by", "events.Brand.created_by",
    "physique.HealthSite.created_by", "physique.Practitioner.created_by", "physique.PrescriptionTemplate.created_by",
    "physique.Referral.created_by", "physique.Referral.decided_by",
    "planning.Visit.created_by", "planning.Visit.cancelled_by", "planning.Finding.created_by", "planning.Rectification.created_by",
    "planning.RectificationEntry.author", "planning.Bulletin.created_by", "planning.Bulletin.published_by",
    "planning.ReturnRound.created_by", "planning.CountyReturn.submitted_by", "planning.CountyReturn.decided_by",
    "planning.ReturnAttachment.uploaded_by", "planning.ReturnEntry.author",
    "planning.Evaluation.created_by", "planning.CountyScore.approved_by", "planning.ItemScore.scored_by",
    "youth.TermReturn.entered_by", "inclusive.Fitting.entered_by", "inclusive.Activity.entered_by",
    "residential.ResidentialProject.accepted_by",
    "safety.VenueSafety.updated_by", "safety.SafetyCheck.checked_by", "safety.Hazard.rectified_by",
    "safety.Hazard.confirmed_by",
    "opening.OpeningRound.created_by", "opening.OpeningRound.closed_by", "opening.OpeningEvaluation.evaluated_by",
    "opening.OpeningRectification.created_by", "opening.OpeningRectification.reported_by",
    "opening.OpeningRectification.confirmed_by",
    "planning.TitleApplication.created_by", "planning.TitleApplication.decided_by", "planning.TitleCriterion.scored_by",
    "planning.Evaluation.published_by", "planning.SpecialEvaluation.created_by", "planning.SpecialEvaluation.concluded_by",
    "planning.SpecialEvaluation.published_by", "planning.LivelihoodAssessment.recorded_by",
    "planning.Inclusion.recorded_by", "planning.Inclusion.decided_by",
    "planning.ExperienceCase.submitted_by", "planning.ExperienceCase.reviewed_by", "planning.SiteMeeting.created_by",
)


def covers() -> dict[str, tuple[tuple[str | None, str], str]]:
    """Every reference to a person this module answers for: ((part, key) in the export, erasure)."""
    table = {ref: ((None, key), action) for ref, (key, action) in ACCOUNTS_COVERS.items()}
    table.update({ref: (("physique", key), action) for ref, (key, action) in PHYSIQUE_COVERS.items()})
    for name, part in PARTS.items():
        table.update({ref: ((name, key), action) for ref, (key, action) in getattr(part, "COVERS", {}).items()})
    for ref in STAFF_RECORDS:
        table[ref] = (("work_as_staff", ref), "keep")
    return table


def _staff_records(user) -> dict:
    counts = {}
    for ref in STAFF_RECORDS:
        label, field = ref.rsplit(".", 1)
        model = apps.get_model(label)
        count = model.objects.filter(**{field: user}).count()
        if count:
            counts[ref] = count
    return counts


def export_own_data(user, request=None) -> dict:
    parts = {name: part.export_person(user) for name, part in PARTS.items()}
    parts["work_as_staff"] = _staff_records(user)
    parts["exported_at"] = timezone.now().isoformat()
    return accounts.export_own_data(user, request=request, parts=parts)


def delete_own_data(user, request=None, *, password: str) -> None:
    """Erase every app's part once the person confirms with their password (accounts checks it)."""
    accounts.delete_own_data(user, request=request, password=password,
                             erase_parts=[part.erase_person for part in PARTS.values()])
