from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class FeedbackSettings(models.Model):
    """A city's (or county's) rules for reports: hotline and deadlines in working days.

    The nearest settings above a report's division apply; without any, the defaults in services.
    """

    region = models.OneToOneField("regions.Region", verbose_name=_("division"), on_delete=models.CASCADE,
                                  related_name="+")
    hotline = models.CharField(_("hotline"), max_length=30, default="12345")
    response_working_days = models.PositiveSmallIntegerField(_("respond within (working days)"), default=1)
    resolution_working_days = models.PositiveSmallIntegerField(_("resolve within (working days)"), default=5)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("report settings")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return str(self.region)


class Report(models.Model):
    """A resident's report of a broken machine or a problem at a place, answered within deadlines."""

    class Category(models.TextChoices):
        # First on the form: a hazard gets shorter deadlines (routing) and an urgent work order.
        HAZARD = "hazard", _("Safety hazard: someone could get hurt")
        EQUIPMENT = "equipment", _("Broken equipment")
        FACILITY = "facility", _("Damaged ground or court")
        HYGIENE = "hygiene", _("Litter or hygiene")
        LIGHTING = "lighting", _("Lights not working")
        OPENING = "opening", _("Closed when it should be open")
        SERVICE = "service", _("Staff or service")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        RESPONDED = "responded", _("Responded")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", pgettext_lazy("report status", "Closed")
        REJECTED = "rejected", _("Not accepted")

    number = models.CharField(_("number"), max_length=20, unique=True)
    # The resident follows the report by this token without signing in (it is in their link).
    token = models.CharField(max_length=32, unique=True)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    description = models.TextField(_("description"))
    equipment = models.ForeignKey("facilities.Equipment", verbose_name=_("equipment"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="reports")
    site = models.ForeignKey("facilities.Site", verbose_name=_("place"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="reports")
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    # Who answers it now: starts at the lowest staffed division and moves up when overdue.
    handler_region = models.ForeignKey("regions.Region", verbose_name=_("handled by"), on_delete=models.PROTECT,
                                       related_name="+")
    escalations = models.PositiveSmallIntegerField(_("escalations"), default=0)
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="reports")
    phone_encrypted = models.TextField(blank=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    created_at = models.DateTimeField(_("received"), db_index=True)
    respond_by = models.DateTimeField(_("respond by"))
    resolve_by = models.DateTimeField(_("resolve by"))
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    work_order = models.ForeignKey("maintenance.WorkOrder", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="reports")
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(pgettext_lazy("rating", "comment"), max_length=300, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    # Who sent it, as a keyed hash of the account or the address (never the address itself): for the
    # hourly limit per sender and, with the sender's client key, for answering a retry with its report.
    source = models.CharField(max_length=32, blank=True, editable=False)
    client_key = models.CharField(max_length=64, blank=True, editable=False)

    # Staff of the division the report is in (and above), and the operators of its place.
    scope_fields = {"region": "region__code", "site": "site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["region", "status", "resolve_by"], name="report_figures"),
                   models.Index(fields=["source", "created_at"], name="report_source")]
        constraints = [models.CheckConstraint(condition=models.Q(rating__isnull=True) | models.Q(rating__range=(1, 5)),
                                              name="report_rating_1_to_5"),
                       models.UniqueConstraint(fields=["source", "client_key"], condition=~models.Q(client_key=""),
                                               name="report_one_per_client_key")]

    def __str__(self) -> str:
        return self.number


# Still to answer; past the last step.
OPEN_STATUSES = (Report.Status.RECEIVED, Report.Status.RESPONDED)
FINAL_STATUSES = (Report.Status.CLOSED, Report.Status.REJECTED)


class ReportPhoto(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="reports/%Y/%m/")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    scope_fields = {"region": "report__region__code", "site": "report__site_id", "site_model": "facilities.Site"}

    class Meta:
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.image.name

class ReportEvent(models.Model):
    """The report's timeline as the resident sees it: received, answered, escalated, resolved, rated."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Received")
        RESPONDED = "responded", _("Responded")
        NOTE = "note", _("Update")
        ESCALATED = "escalated", _("Escalated")
        WORK_ORDER = "work_order", _("Sent for repair")
        RESOLVED = "resolved", _("Resolved")
        REJECTED = "rejected", _("Not accepted")
        RATED = "rated", _("Rated")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    text = models.TextField(blank=True)
    public = models.BooleanField(default=True)

    scope_fields = {"region": "report__region__code", "site": "report__site_id", "site_model": "facilities.Site"}

    class Meta:
        ordering = ["report_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.kind}"

