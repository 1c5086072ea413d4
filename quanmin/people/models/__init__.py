"""Social sports instructors (社会体育指导员): the register, grade history, entry thresholds per city,
guidance stations (健身指导站 / 健身站点) and service logs (履职).

An instructor is a real-name person: the ID number and the phone are stored encrypted with a keyed
hash beside them (as accounts.User stores them); pages show them masked and a full read is audited.
One person, one record: the ID number's hash is unique. Every row that belongs to a place carries
its division (`scope_fields`), so scoping works as for every register.
"""

from django.conf import settings
from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quanmin.accounts import crypto


class Grade(models.TextChoices):
    """The four grades of the 2011 grade standard (社会体育指导员技术等级标准), lowest first."""

    THIRD = "third", _("Third grade")
    SECOND = "second", _("Second grade")
    FIRST = "first", _("First grade")
    NATIONAL = "national", _("National grade")


class Level(models.TextChoices):
    """Who approves a grade (社会体育指导员管理办法, 国家体育总局令第16号)."""

    COUNTY = "county", _("County")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National administration")


GRADE_ORDER = [g.value for g in Grade]
# The level that approves each grade.
APPROVER = {Grade.THIRD: Level.COUNTY, Grade.SECOND: Level.CITY, Grade.FIRST: Level.PROVINCE,
            Grade.NATIONAL: Level.NATIONAL}
LEVEL_RANK = {Level.COUNTY: 1, Level.CITY: 2, Level.PROVINCE: 3, Level.NATIONAL: 4}


class Sport(models.TextChoices):
    SQUARE_DANCE = "square_dance", _("Square dance")
    TAIJI = "taiji", _("Tai chi")
    QIGONG = "qigong", _("Health qigong")
    AEROBICS = "aerobics", _("Aerobics")
    WALKING = "walking", _("Fitness walking")
    RUNNING = "running", pgettext_lazy("exercise", "Running")
    BASKETBALL = "basketball", _("Basketball")
    FOOTBALL = "football", _("Football")
    TABLE_TENNIS = "table_tennis", _("Table tennis")
    BADMINTON = "badminton", _("Badminton")
    SWIMMING = "swimming", _("Swimming")
    YOGA = "yoga", _("Yoga")
    GATEBALL = "gateball", _("Gateball")
    ROULIQIU = "rouliqiu", _("Soft ball (rouliqiu)")
    WUSHU = "wushu", _("Wushu")
    EQUIPMENT = "equipment", _("Fitness equipment")
    OTHER = "other", _("Other")


def sports_text(sports) -> str:
    """Sports as stored: ",taiji,walking," so that one sport is found with a plain LIKE."""
    found = [s for s in dict.fromkeys(sports) if s]
    return f",{','.join(found)}," if found else ""


def sports_list(text: str) -> list[str]:
    return [s for s in (text or "").split(",") if s]


def sport_labels(text: str) -> list[str]:
    labels = dict(Sport.choices)
    return [str(labels.get(s, s)) for s in sports_list(text)]


class GradeRule(models.Model):
    """A city's entry threshold for a grade (B15: lowered locally, never hard-coded). Without a row
    the national standard's defaults apply (services.DEFAULT_RULES)."""

    city = models.ForeignKey("regions.Region", verbose_name=_("city"), on_delete=models.CASCADE, related_name="+")
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), default=18)
    min_services = models.PositiveSmallIntegerField(
        _("confirmed services in the past year"), default=0,
        help_text=_("Confirmed service logs in the 365 days before the review."))
    min_years = models.PositiveSmallIntegerField(_("years at the grade below"), default=0)
    min_training_hours = models.PositiveSmallIntegerField(_("training hours"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    scope_fields = {"region": "city__code"}

    class Meta:
        verbose_name = _("entry threshold")
        verbose_name_plural = _("entry thresholds")
        constraints = [models.UniqueConstraint(fields=["city", "grade"], name="people_one_rule_per_grade")]

    def __str__(self) -> str:
        return f"{self.city} {self.get_grade_display()}"


class Instructor(crypto.SealedPerson, models.Model):
    """A registered person: an instructor, or a person of one of the other workforce types (B11)."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REVIEWED = "reviewed", _("Reviewed, awaiting approval")
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed")
        REVOKED = "revoked", _("Revoked")
        REJECTED = "rejected", _("Not approved")

    class Kind(models.TextChoices):
        INSTRUCTOR = "instructor", _("Social sports instructor")
        VOLUNTEER = "volunteer", _("Fitness volunteer")
        SCIENTIFIC = "scientific", _("Scientific-fitness instructor")
        ADMINISTRATOR = "administrator", _("Grassroots culture-and-sports administrator")
        PE_STUDENT = "pe_student", _("PE-major student")

    class PublicName(models.TextChoices):
        FULL = "full", _("Full name")
        SURNAME = "surname", _("Surname only")
        HIDDEN = "hidden", _("Not shown")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="instructor")
    kind = models.CharField(_("type"), max_length=14, choices=Kind.choices, default=Kind.INSTRUCTOR)
    real_name = models.CharField(_("real name"), max_length=50)
    id_number_hash = models.CharField(max_length=64, editable=False)
    id_number_enc = models.TextField(editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    phone_enc = models.TextField(blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=6, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    # No index of its own: people_instructor_region (region, status) serves every lookup by division.
    region = models.ForeignKey("regions.Region", verbose_name=_("home division"), on_delete=models.PROTECT,
                               related_name="+", db_index=False)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices, default=Grade.THIRD)
    certificate_no = models.CharField(_("certificate number"), max_length=40, blank=True)
    approval_level = models.CharField(_("approved by"), max_length=10, choices=Level.choices, blank=True)
    approved_on = models.DateField(_("approval date"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)
    sports = models.CharField(_("sports taught"), max_length=300, blank=True)
    association = models.CharField(_("organisation or association"), max_length=120, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED,
                              db_index=True)
    core = models.BooleanField(_("core team"), default=False, help_text=_("骨干: the core instructors."))
    serves_disabled = models.BooleanField(_("serves disabled people"), default=False)
    public_name = models.CharField(_("name on the public card"), max_length=8, choices=PublicName.choices,
                                   default=PublicName.SURNAME)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The start of the latest confirmed service (logs.decide keeps it, logs.note_last_services
    # rebuilds it): the guidance rate reads it instead of the logs (figures.instructor_rows).
    last_service_at = models.DateTimeField(_("last confirmed service"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("instructor")
        verbose_name_plural = _("instructors")
        ordering = ["region_id", "real_name", "id"]
        constraints = [models.UniqueConstraint(fields=["id_number_hash"], name="people_one_record_per_person")]
        indexes = [models.Index(fields=["region", "status"], name="people_instructor_region"),
                   # Everything the figures count, in division order: an index-only scan, grouped
                   # as it is read (figures.instructor_rows).
                   models.Index(fields=["kind", "status", "region", "core", "last_service_at"],
                                name="people_instructor_figures"),
                   # Whose last service is after a past date's window (figures.guided_before_rows).
                   models.Index(fields=["last_service_at"], name="people_instructor_last_service")]

    def __str__(self) -> str:
        return self.real_name

    @property
    def card_name(self) -> str:
        if self.public_name == self.PublicName.FULL:
            return self.real_name
        if self.public_name == self.PublicName.SURNAME and self.real_name:
            return self.real_name[0] + str(_("(instructor)"))
        return str(_("An instructor"))

    @property
    def sport_labels(self) -> list[str]:
        return sport_labels(self.sports)


class GradeRecord(models.Model):
    """The instructor's history: application, review, approval, promotion, lapse, revocation."""

    class Action(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REVIEWED = "reviewed", _("Reviewed")
        APPROVED = "approved", _("Approved")
        PROMOTED = "promoted", _("Promoted")
        REJECTED = "rejected", _("Not approved")
        IMPORTED = "imported", _("Imported")
        RENEWED = "renewed", _("Renewed")
        LAPSED = "lapsed", _("Lapsed")
        REVOKED = "revoked", _("Revoked")

    instructor = models.ForeignKey(Instructor, on_delete=models.CASCADE, related_name="history")
    action = models.CharField(_("what"), max_length=10, choices=Action.choices)
    grade = models.CharField(_("grade"), max_length=10, choices=Grade.choices)
    certificate_no = models.CharField(_("certificate number"), max_length=40, blank=True)
    approval_level = models.CharField(_("approved by"), max_length=10, choices=Level.choices, blank=True)
    on = models.DateField(_("date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grade record")
        verbose_name_plural = _("grade records")
        ordering = ["instructor_id", "-on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.get_grade_display()} {self.on}"


class Station(models.Model):
    """A guidance station (健身指导站) or fitness point (健身站点) where instructors guide residents at
    regular times; its regular sessions are bookable through the booking app (`unit`)."""

    class Kind(models.TextChoices):
        GUIDANCE = "guidance", _("Guidance station")
        POINT = "point", _("Fitness point")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GUIDANCE)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    site = models.ForeignKey("facilities.Site", verbose_name=_("site"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="guidance_stations")
    sports = models.CharField(_("sports"), max_length=300, blank=True)
    times = models.CharField(_("regular times"), max_length=200, blank=True,
                             help_text=_("As residents read it, e.g. 每天 6:30-8:00."))
    instructors = models.ManyToManyField(Instructor, verbose_name=_("instructors on duty"), blank=True,
                                         related_name="stations")
    unit = models.OneToOneField("booking.BookableUnit", verbose_name=_("booking unit"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="guidance_station", editable=False)
    # The same station in the organisations' register (a fitness team or station, 健身站点), when it is
    # there too: one station, counted once (B08; people.figures.fitness_station_rows).
    organization = models.ForeignKey("organizations.Organization", verbose_name=_("in the organisations' register"),
                                     null=True, blank=True, on_delete=models.SET_NULL, related_name="stations")
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("guidance station")
        verbose_name_plural = _("guidance stations")
        ordering = ["region_id", "name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def sport_labels(self) -> list[str]:
        return sport_labels(self.sports)


class DutyLog(models.Model):
    """One service an instructor performed (履职): where, when, what, how many people, how long."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Not confirmed")

    class Setting(models.TextChoices):
        """Where public-welfare training went "into" (B17: 进机关、进社区、进镇村、进学校、进企业)."""

        NONE = "", _("Regular service")
        ORGAN = "organ", _("Into a government office")
        COMMUNITY = "community", _("Into a community")
        VILLAGE = "village", _("Into a town or village")
        SCHOOL = "school", _("Into a school")
        ENTERPRISE = "enterprise", _("Into an enterprise")

    instructor = models.ForeignKey(Instructor, verbose_name=_("instructor"), on_delete=models.CASCADE,
                                   related_name="logs")
    station = models.ForeignKey(Station, verbose_name=pgettext_lazy("guidance station", "station"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="logs")
    site = models.ForeignKey("facilities.Site", verbose_name=_("site"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+", editable=False)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    activity = models.CharField(_("activity"), max_length=120)
    sport = models.CharField(_("sport"), max_length=20, choices=Sport.choices, blank=True)
    setting = models.CharField(_("setting"), max_length=10, choices=Setting.choices, blank=True, default="")
    people_guided = models.PositiveIntegerField(_("people guided"), default=0)
    volunteer = models.BooleanField(_("volunteer service"), default=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    photo = models.ImageField(_("photo"), upload_to="people/logs/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("service log")
        verbose_name_plural = _("service logs")
        ordering = ["-started_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(ended_at__gt=models.F("started_at")),
                                              name="people_log_ends_after_start")]
        indexes = [models.Index(fields=["instructor", "started_at"], name="people_log_person"),
                   models.Index(fields=["region", "started_at"], name="people_log_region")]

    def __str__(self) -> str:
        return f"{self.instructor} {localtime(self.started_at):%Y-%m-%d}"


class Training(models.Model):
    """A training course: grade training (等级培训), continuing training (继续培训) or a special class."""

    class Kind(models.TextChoices):
        GRADE = "grade", _("Grade training")
        CONTINUING = "continuing", _("Continuing training")
        SPECIAL = "special", _("Special training class")
        VOLUNTEER = "volunteer", _("Volunteer training")

    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.GRADE)
    grade = models.CharField(_("grade trained for"), max_length=10, choices=Grade.choices, default=Grade.THIRD)
    organiser = models.CharField(_("organiser"), max_length=120)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    site = models.ForeignKey("facilities.Site", verbose_name=_("venue"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)
    capacity = models.PositiveIntegerField(_("places"), default=50)
    for_disabled = models.BooleanField(_("for serving disabled people"), default=False,
                                       help_text=_("A course training instructors to serve disabled people."))
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("training course")
        verbose_name_plural = _("training courses")
        ordering = ["-starts_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="people_training_ends_after_start")]

    def __str__(self) -> str:
        return self.title


class Enrollment(models.Model):
    """A person on a course: attendance in hours and the result (passed, failed, not yet known)."""

    training = models.ForeignKey(Training, verbose_name=_("course"), on_delete=models.CASCADE,
                                 related_name="enrollments")
    instructor = models.ForeignKey(Instructor, verbose_name=_("person"), on_delete=models.CASCADE,
                                   related_name="enrollments")
    attended_hours = models.DecimalField(_("hours attended"), max_digits=5, decimal_places=1, default=0)
    passed = models.BooleanField(_("passed"), null=True)
    result_on = models.DateField(_("result date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["training", "instructor"], name="people_enrol_once")]

    def __str__(self) -> str:
        return f"{self.instructor} · {self.training}"


class GuidanceRequest(models.Model):
    """A resident's "ask for guidance" at a station: what they want to learn; the station answers."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", pgettext_lazy("question", "Answered")

    station = models.ForeignKey(Station, verbose_name=pgettext_lazy("guidance station", "station"), on_delete=models.CASCADE,
                                related_name="requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resident"), on_delete=models.CASCADE,
                             related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    sport = models.CharField(_("sport"), max_length=20, choices=Sport.choices, blank=True)
    message = models.CharField(_("what you would like to learn"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.CharField(_("answer"), max_length=300, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", editable=False)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("request for guidance")
        verbose_name_plural = _("requests for guidance")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.station} · {localtime(self.created_at):%Y-%m-%d}"


class Post(models.Model):
    """A public-welfare post of the "dual posts" (双员): an instructor or a grassroots sports committee
    member (基层体育委员) appointed in a community or township, with the appointment's dates."""

    class Kind(models.TextChoices):
        INSTRUCTOR = "instructor", _("Social sports instructor post")
        SPORTS_COMMITTEE_MEMBER = "sports_committee_member", _("Grassroots sports committee member")

    kind = models.CharField(_("post"), max_length=24, choices=Kind.choices)
    instructor = models.ForeignKey(Instructor, verbose_name=_("instructor"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="posts")
    person_name = models.CharField(_("name"), max_length=50)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    appointed_on = models.DateField(_("appointed on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("public-welfare post")
        verbose_name_plural = _("public-welfare posts")
        ordering = ["region_id", "kind", "-appointed_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person_name}"


class Supplier(models.Model):
    """The scientific-fitness guidance supplier directory (科学健身指导服务供给库, B14)."""

    class Kind(models.TextChoices):
        EXPERT = "expert", _("Expert")
        PE_TEACHER = "pe_teacher", _("PE teacher")
        INSTRUCTOR = "instructor", _("Social sports instructor")
        ORGANIZATION = "organization", _("Sports organisation")
        COMPANY = "company", _("Fitness company")

    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=120, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    sports = models.CharField(_("sports"), max_length=300, blank=True)
    specialty = models.CharField(_("what they offer"), max_length=200, blank=True)
    serves_disabled = models.BooleanField(_("serves disabled people"), default=False)
    instructor = models.ForeignKey(Instructor, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField(_("listed"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("supplier directory")
        ordering = ["region_id", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def sport_labels(self) -> list[str]:
        return sport_labels(self.sports)


class Contest(models.Model):
    """A skills contest or showcase (技能大比武, B12), with results recorded on the instructors."""

    title = models.CharField(_("title"), max_length=120)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    held_on = models.DateField(_("held on"))
    sport = models.CharField(_("sport"), max_length=20, choices=Sport.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("skills contest")
        verbose_name_plural = _("skills contests")
        ordering = ["-held_on", "id"]

    def __str__(self) -> str:
        return self.title


class ContestResult(models.Model):
    contest = models.ForeignKey(Contest, verbose_name=_("contest"), on_delete=models.CASCADE, related_name="results")
    instructor = models.ForeignKey(Instructor, verbose_name=_("instructor"), on_delete=models.CASCADE,
                                   related_name="contest_results")
    rank = models.PositiveSmallIntegerField(_("place"), null=True, blank=True)
    award = models.CharField(_("award"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("contest result")
        verbose_name_plural = _("contest results")
        ordering = ["contest_id", "rank", "id"]
        constraints = [models.UniqueConstraint(fields=["contest", "instructor"], name="people_one_result_each")]

    def __str__(self) -> str:
        return f"{self.contest} · {self.instructor}"


# Volunteer service (B07), in a module of its own; its models refer to the ones above by name.
from .volunteering import VolunteerActivity, VolunteerBrand, VolunteerSignup  # noqa: E402, F401
