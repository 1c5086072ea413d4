from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MaintenanceUnit(models.Model):
    """A unit that repairs equipment for a division (维修单位): a contractor or the bureau's own team.

    Its staff hold the org_staff role bound to the unit and see the work orders assigned to it.
    """

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey("regions.Region", verbose_name=_("division served"), on_delete=models.PROTECT,
                               related_name="+")
    contact = models.CharField(_("contact person"), max_length=60, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    active = models.BooleanField(_("active"), default=True)

    scope_fields = {"region": "region__code", "organization": "id",
                    "organization_model": "maintenance.MaintenanceUnit"}

    class Meta:
        verbose_name = _("maintenance unit")
        verbose_name_plural = _("maintenance units")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name


class InspectionKind(models.TextChoices):
    DAILY = "daily", _("Daily inspection")
    PERIODIC = "periodic", _("Periodic inspection")
    SPECIAL = "special", _("Special inspection")


class InspectionPlan(models.Model):
    """Who inspects which area's equipment, how often (日常 / 定期 / 专项点检)."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=InspectionKind.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("area"), on_delete=models.PROTECT,
                               related_name="+")
    # Empty: every fitness-equipment facility in the area.
    facilities = models.ManyToManyField("facilities.Facility", verbose_name=_("facilities"), blank=True,
                                        related_name="+")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"),
                                  on_delete=models.PROTECT, related_name="inspection_plans")
    every_days = models.PositiveSmallIntegerField(_("every (days)"), default=1)
    days_to_complete = models.PositiveSmallIntegerField(
        _("days to complete a round"), default=1,
        help_text=_("A round not finished this many days after its date is missed."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    focus = models.CharField(_("focus"), max_length=200, blank=True,
                             help_text=_("For a special inspection: what to look for (flood damage, a recall)."))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["region_id", "kind", "name"]
        constraints = [models.CheckConstraint(condition=models.Q(every_days__gte=1), name="plan_every_days_positive")]

    def __str__(self) -> str:
        return self.name


class InspectionRound(models.Model):
    """One round of a plan, due on a date: the inspector checks every piece in it."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        IN_PROGRESS = "in_progress", pgettext_lazy("work order status", "In progress")
        DONE = "done", _("Done")
        MISSED = "missed", _("Missed")

    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="rounds")
    kind = models.CharField(_("kind"), max_length=10, choices=InspectionKind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT,
                                  related_name="inspection_rounds")
    scheduled_for = models.DateField(_("date"))
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED,
                              db_index=True)
    pieces = models.PositiveIntegerField(_("pieces to check"), default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # Division staff see their area's rounds; the inspector sees their own (selectors add that).
    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        ordering = ["-scheduled_for", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "scheduled_for"], name="one_round_per_plan_day")]
        indexes = [models.Index(fields=["region", "scheduled_for", "status"], name="round_figures")]

    def __str__(self) -> str:
        return f"{self.plan} · {self.scheduled_for}"


class Check(models.Model):
    """One piece checked in a round: OK or a defect, with photo, note and where the inspector stood."""

    class Result(models.TextChoices):
        OK = "ok", _("OK")
        DEFECT = "defect", _("Defect")

    round = models.ForeignKey(InspectionRound, on_delete=models.CASCADE, related_name="checks")
    equipment = models.ForeignKey("facilities.Equipment", on_delete=models.CASCADE, related_name="checks")
    result = models.CharField(_("result"), max_length=8, choices=Result.choices)
    failed_items = models.JSONField(_("failed checklist items"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    photo = models.ImageField(_("photo"), upload_to="inspections/%Y/%m/", blank=True)
    lon = models.FloatField(null=True, blank=True)
    lat = models.FloatField(null=True, blank=True)
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    scope_fields = {"region": "round__region__code"}

    class Meta:
        verbose_name = _("check")
        verbose_name_plural = _("checks")
        ordering = ["round_id", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "equipment"], name="one_check_per_piece_round")]

    def __str__(self) -> str:
        return f"{self.equipment_id}: {self.get_result_display()}"


class WorkOrder(models.Model):
    """A repair, service, upgrade or replacement of equipment, with a deadline by severity."""

    class Kind(models.TextChoices):
        REPAIR = "repair", _("Repair")
        SERVICE = "service", _("Service")
        UPGRADE = "upgrade", _("Upgrade")
        REPLACE = "replace", _("Replace")

    class Severity(models.TextChoices):
        URGENT = "urgent", _("Urgent (a safety hazard)")
        HIGH = "high", _("High")
        NORMAL = "normal", _("Normal")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("work order status", "Open")
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", pgettext_lazy("work order status", "In progress")
        DONE = "done", _("Done")
        VERIFIED = "verified", _("Verified")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        INSPECTION = "inspection", _("Inspection")
        REPORT = "report", _("Resident's report")
        STAFF = "staff", _("Staff")
        DESIGN_LIFE = "design_life", _("Past design life")

    number = models.CharField(_("number"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.REPAIR)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.NORMAL)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.STAFF)
    equipment = models.ForeignKey("facilities.Equipment", verbose_name=_("equipment"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="work_orders")
    facility = models.ForeignKey("facilities.Facility", verbose_name=_("facility"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    site = models.ForeignKey("facilities.Site", verbose_name=_("site"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    inspection_check = models.OneToOneField(Check, null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="work_order")
    description = models.TextField(_("description"))
    unit = models.ForeignKey(MaintenanceUnit, verbose_name=_("maintenance unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="work_orders")
    due_at = models.DateTimeField(_("deadline"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    assigned_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolution = models.TextField(_("what was done"), blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    # Division staff see their division's; a maintenance unit's staff see the orders assigned to it.
    scope_fields = {"region": "region__code", "organization": "unit_id",
                    "organization_model": "maintenance.MaintenanceUnit"}

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["region", "status", "due_at"], name="work_order_figures")]

    def __str__(self) -> str:
        return self.number

    @property
    def open(self) -> bool:
        return self.status not in (self.Status.DONE, self.Status.VERIFIED, self.Status.CANCELLED)


# Work still to do: what "open" and "overdue" mean in lists and figures.
OPEN_STATUSES = (WorkOrder.Status.OPEN, WorkOrder.Status.ASSIGNED, WorkOrder.Status.IN_PROGRESS)
# Orders that still hold their piece out of normal use: open, or done and not yet checked.
HOLDING_STATUSES = (*OPEN_STATUSES, WorkOrder.Status.DONE)
CLOSED_STATUSES = (WorkOrder.Status.VERIFIED, WorkOrder.Status.CANCELLED)


class WorkOrderPhoto(models.Model):
    class Stage(models.TextChoices):
        BEFORE = "before", pgettext_lazy("repair photo", "Before")
        AFTER = "after", pgettext_lazy("repair photo", "After")

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="photos")
    stage = models.CharField(_("stage"), max_length=8, choices=Stage.choices)
    image = models.ImageField(_("photo"), upload_to="work_orders/%Y/%m/")
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    scope_fields = {"region": "work_order__region__code", "organization": "work_order__unit_id",
                    "organization_model": "maintenance.MaintenanceUnit"}

    class Meta:
        verbose_name = _("work order photo")
        verbose_name_plural = _("work order photos")
        ordering = ["work_order_id", "stage", "id"]

    def __str__(self) -> str:
        return self.image.name

class WorkOrderEvent(models.Model):
    """The order's history: each change of state, who, when, and what they wrote."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=WorkOrder.Status.choices)
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=300, blank=True)

    scope_fields = {"region": "work_order__region__code"}

    class Meta:
        ordering = ["work_order_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.work_order_id} {self.status}"

