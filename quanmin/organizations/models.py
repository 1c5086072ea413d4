"""Sports organisations (体育社会组织) and sports communities (体育社群).

One register holds every kind the seeds name (C01): federations at city, county, township and
village level, single-sport and population-group associations, clubs, fitness teams and stations,
and the sports communities residents join. Each carries its legal status (registered with civil
affairs, with its unified social credit code; or filed, approved by the county), its division, its
federation ("1+X"), its governance (C14), and a history of changes. Gradings (1A–5A), residents'
memberships, announcements, activities, government purchase contracts and amateur grades hang off it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ORG_SCOPE = {"region": "region__code", "organization": "id", "organization_model": "organizations.Organization"}


def _scope_through(prefix: str) -> dict:
    return {"region": f"{prefix}__region__code", "organization": f"{prefix}_id",
            "organization_model": "organizations.Organization"}


class Organization(models.Model):
    class Kind(models.TextChoices):
        FEDERATION = "federation", _("Sports federation")
        ASSOCIATION = "association", _("Single-sport association")
        GROUP_ASSOCIATION = "group_association", _("Population-group association")
        CLUB = "club", _("Sports club")
        FITNESS_POINT = "fitness_point", _("Fitness team or station")
        COMMUNITY_GROUP = "community_group", _("Sports community")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered with civil affairs")
        FILED = "filed", _("Filed")

    class Review(models.TextChoices):
        PENDING = "pending", _("Awaiting the county's approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    class Sector(models.TextChoices):
        GENERAL = "general", _("Open to all")
        YOUTH = "youth", _("Youth")
        SCHOOL = "school", _("School")
        WORKPLACE = "workplace", _("Government body, enterprise or institution")
        ELDERLY = "elderly", _("Older people")
        DISABLED = "disabled", _("People with disabilities")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Anyone may join at once")
        APPROVAL = "approval", _("The group's staff accept each request")
        CLOSED = "closed", _("Not taking new members")

    class Time(models.TextChoices):
        MORNING = "morning", _("Mornings")
        DAYTIME = "daytime", _("Daytime")
        EVENING = "evening", _("Evenings")
        WEEKEND = "weekend", _("Weekends")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    sector = models.CharField(_("sector"), max_length=12, choices=Sector.choices, default=Sector.GENERAL)
    status = models.CharField(_("legal status"), max_length=12, choices=Status.choices)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.APPROVED)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    site = models.ForeignKey("facilities.Site", verbose_name=_("site"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    lon = models.FloatField(_("longitude (WGS-84)"), null=True, blank=True)
    lat = models.FloatField(_("latitude (WGS-84)"), null=True, blank=True)
    sports = models.CharField(_("sports"), max_length=300, blank=True,
                              help_text=_("Sport codes, comma-separated and wrapped in commas for searching."))
    parent = models.ForeignKey("self", verbose_name=_("federation"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="members")
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    officers = models.JSONField(_("officers"), default=list, blank=True)  # [{"post": "会长", "name": "…"}]
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    # Governance (C14).
    party_branch = models.BooleanField(_("party organisation"), default=False)
    decoupled = models.BooleanField(_("separated from administrative bodies"), default=False)
    governance = models.BooleanField(_("legal-person governance in place"), default=False,
                                     help_text=_("Charter, members' assembly, council and board of supervisors."))
    independent = models.BooleanField(_("operates independently"), default=False)
    # B09: the social sports instructors' association (社会体育指导员协会) of its city or county, one
    # per division (the constraint below); its members are registered instructors (InstructorMember).
    instructor_association = models.BooleanField(
        _("social sports instructors' association of its division"), default=False,
        help_text=_("The city's or county's association of social sports instructors: one per division."))
    # Sports communities and teams: who may join and when they meet.
    join_policy = models.CharField(_("new members"), max_length=10, choices=JoinPolicy.choices,
                                   default=JoinPolicy.APPROVAL)
    member_cap = models.PositiveIntegerField(_("member cap"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("members"), default=0, editable=False)
    meets = models.CharField(_("meets"), max_length=12, choices=Time.choices, blank=True)
    schedule = models.CharField(_("regular activities"), max_length=120, blank=True)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = ORG_SCOPE

    class Meta:
        verbose_name = _("sports organisation")
        verbose_name_plural = _("sports organisations")
        ordering = ["region_id", "name"]
        indexes = [
            models.Index(fields=["region", "kind", "status", "review", "active"], name="org_figures"),
            models.Index(fields=["lat", "lon"], name="org_lat_lon"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unique_org_name_in_division"),
            models.UniqueConstraint(fields=["credit_code"], condition=~Q(credit_code=""), name="unique_credit_code"),
            models.CheckConstraint(condition=Q(member_cap__isnull=True) | Q(member_count__lte=F("member_cap")),
                                   name="org_members_within_cap"),
            models.UniqueConstraint(fields=["region"], condition=Q(instructor_association=True),
                                    name="one_instructor_association_per_division"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def sport_codes(self) -> list[str]:
        return [s for s in self.sports.split(",") if s]

    @property
    def counted(self) -> bool:
        """Counted in the figures: active and, when filed, approved."""
        return self.active and self.review == self.Review.APPROVED

    @property
    def places_left(self) -> int | None:
        return None if self.member_cap is None else max(self.member_cap - self.member_count, 0)


class OrganizationChange(models.Model):
    """One change to an organisation: who, when, which fields from what to what."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(_("action"), max_length=20)
    fields = models.JSONField(_("changes"), default=dict)  # {field: [old, new]}

    scope_fields = _scope_through("organization")

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("history of changes")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.action}"


class Grading(models.Model):
    """A social-organisation assessment (等级评估): 1A to 5A, valid for a period."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="gradings")
    grade = models.PositiveSmallIntegerField(_("grade"))
    assessed_on = models.DateField(_("assessed"))
    valid_until = models.DateField(_("valid until"))
    assessor = models.CharField(_("assessing body"), max_length=120)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = _scope_through("organization")

    class Meta:
        verbose_name = _("grading")
        verbose_name_plural = _("gradings")
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(grade__gte=1, grade__lte=5), name="grading_grade_1_to_5"),
            models.CheckConstraint(condition=Q(valid_until__gt=F("assessed_on")), name="grading_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.grade}A"

    @property
    def label(self) -> str:
        return f"{self.grade}A"


class GroupMembership(models.Model):
    """A resident in a group: asked, member, refused or left."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Asked to join")
        ACTIVE = "active", _("Member")
        REFUSED = "refused", _("Refused")
        LEFT = "left", _("Left")

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="group_memberships")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    message = models.CharField(_("message"), max_length=200, blank=True)
    guardian_name = models.CharField(_("guardian's name"), max_length=50, blank=True)
    guardian_relation = models.CharField(_("relation to the child"), max_length=20, blank=True)
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)

    scope_fields = _scope_through("organization")

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], condition=Q(status__in=["pending", "active"]),
                                    name="one_open_membership_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.organization_id}"


class InstructorMember(models.Model):
    """A registered social sports instructor (people.Instructor) enrolled by the instructors'
    association of their city or county; leaving keeps the row (status left) as the history. Who
    enrolled or removed them is in the audit log (association.enrol / association.remove)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Member")
        LEFT = "left", _("Left")

    organization = models.ForeignKey(Organization, verbose_name=_("association"), on_delete=models.CASCADE,
                                     related_name="instructor_members")
    instructor = models.ForeignKey("people.Instructor", verbose_name=_("instructor"), on_delete=models.CASCADE,
                                   related_name="association_memberships")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    joined_on = models.DateField(_("joined"))
    left_on = models.DateField(_("left"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = _scope_through("organization")

    class Meta:
        verbose_name = _("instructor member")
        verbose_name_plural = _("instructor members")
        ordering = ["organization_id", "-joined_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "instructor"], condition=Q(status="active"),
                                    name="one_open_instructor_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.instructor_id} @ {self.organization_id}"


class Announcement(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="announcements")
    title = models.CharField(_("title"), max_length=100)
    text = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    scope_fields = _scope_through("organization")

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Activity(models.Model):
    """A group's regular activity, bookable as a capacity session of the booking app: its weekly
    time and places live in booking (a BookableUnit of kind session and its WeeklyTemplate)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("title"), max_length=60)
    unit = models.OneToOneField("booking.BookableUnit", verbose_name=_("bookable session"), on_delete=models.CASCADE,
                                related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = _scope_through("organization")

    class Meta:
        verbose_name = _("regular activity")
        verbose_name_plural = _("regular activities")
        ordering = ["organization_id", "id"]

    def __str__(self) -> str:
        return self.title


class AmateurGrade(models.Model):
    """An amateur sport grade (业余运动等级) an association awards a resident in its sport."""

    class Level(models.IntegerChoices):
        FIRST = 1, _("Amateur first grade")
        SECOND = 2, _("Amateur second grade")
        THIRD = 3, _("Amateur third grade")

    organization = models.ForeignKey(Organization, verbose_name=_("awarded by"), on_delete=models.PROTECT,
                                     related_name="amateur_grades")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="amateur_grades")
    sport = models.CharField(_("sport"), max_length=30)
    level = models.PositiveSmallIntegerField(_("grade"), choices=Level.choices)
    awarded_on = models.DateField(_("awarded"))
    certificate_no = models.CharField(_("certificate number"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = _scope_through("organization")

    class Meta:
        verbose_name = _("amateur sport grade")
        verbose_name_plural = _("amateur sport grades")
        ordering = ["-awarded_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=3), name="amateur_grade_1_to_3"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.sport}"


class ServiceContract(models.Model):
    """Government purchase of a public sports service from an organisation (政府购买服务, C11)."""

    class Status(models.TextChoices):
        SIGNED = "signed", _("Signed")
        DELIVERED = "delivered", _("Delivery reported")
        ACCEPTED = "accepted", pgettext_lazy("work accepted", "Accepted")
        REJECTED = "rejected", pgettext_lazy("work accepted", "Not accepted")

    organization = models.ForeignKey(Organization, verbose_name=_("provider"), on_delete=models.PROTECT,
                                     related_name="contracts")
    region = models.ForeignKey("regions.Region", verbose_name=_("purchasing division"), on_delete=models.PROTECT,
                               related_name="+")
    service = models.CharField(_("service"), max_length=200)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    deliverables = models.TextField(_("deliverables"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SIGNED)
    amount_paid = models.DecimalField(_("paid (yuan)"), max_digits=12, decimal_places=2, default=0)
    decided_on = models.DateField(_("accepted or refused on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code", "organization": "organization_id",
                    "organization_model": "organizations.Organization"}

    class Meta:
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="contract_ends_after_start"),
            models.CheckConstraint(condition=Q(amount_paid__lte=F("amount"), amount_paid__gte=0),
                                   name="contract_paid_within_amount"),
        ]

    def __str__(self) -> str:
        return self.service

    @property
    def payment_label(self):
        if self.amount_paid <= 0:
            return _("Unpaid")
        return _("Paid in full") if self.amount_paid >= self.amount else _("Partly paid")


class ContractEvidence(models.Model):
    contract = models.ForeignKey(ServiceContract, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="contracts/%Y/%m/")
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    scope_fields = {"region": "contract__region__code", "organization": "contract__organization_id",
                    "organization_model": "organizations.Organization"}

    class Meta:
        verbose_name = _("evidence of delivery")
        verbose_name_plural = _("evidence of delivery")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.note or self.file.name
