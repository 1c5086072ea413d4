"""Physique monitoring: stations, sessions, participants, results and exercise prescriptions.

Health data is sensitive personal information (PIPL art. 28). Who may read a person's results:
the person, and the testing staff, i.e. division staff with a writing role (city, county,
township, community staff) whose division holds the station where the test was taken.
Supervisors and evaluators see aggregated figures only. Every read of a person's results is
logged (`quanmin.accounts.audit.read_personal`). `scope_fields` point at the station's division.
"""

import decimal

from django.conf import settings
from django.db import models
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from quanmin.accounts import crypto


class NetworkLevel(models.TextChoices):
    """The tier of the monitoring network a station belongs to (「四级体质监测网络」: 市、县、镇、村)."""

    CITY = "city", _("City station")
    COUNTY = "county", _("County station")
    TOWNSHIP = "township", _("Township station")
    COMMUNITY = "community", _("Village or community point")


class TestStation(models.Model):
    """A physique monitoring station or point (国民体质监测站/点) run by a division, at one tier of the
    four-level network (`level`: by default the level of its division)."""

    __test__ = False  # not a pytest test class

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    site = models.ForeignKey("facilities.Site", verbose_name=_("site"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="physique_stations")
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    level = models.CharField(_("network level"), max_length=10, choices=NetworkLevel.choices,
                             default=NetworkLevel.COMMUNITY)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("test station")
        verbose_name_plural = _("test stations")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name


class TestSession(models.Model):
    """A time when a station tests people; with a booking slot, residents book a place online."""

    __test__ = False

    station = models.ForeignKey(TestStation, verbose_name=_("station"), on_delete=models.CASCADE,
                                related_name="sessions")
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("places"), default=30)
    standard = models.CharField(_("standard"), max_length=20, blank=True, default="physique-2003",
                                help_text=_("The standard usually applied; a result may use another."))
    note = models.CharField(_("note"), max_length=200, blank=True)
    slot = models.OneToOneField("booking.Slot", verbose_name=_("booking slot"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="physique_session")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "station__region__code"}

    class Meta:
        verbose_name = _("test session")
        verbose_name_plural = _("test sessions")
        ordering = ["starts_at", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                              name="physique_session_end_after_start")]

    def __str__(self) -> str:
        return f"{self.station} {localtime(self.starts_at):%Y-%m-%d %H:%M}"


class Participant(models.Model):
    """A person tested, by real name: a registered user, or a walk-in with name and ID number.

    A walk-in's ID number is stored encrypted with a keyed hash beside it, as the User model does.
    Consent to the processing of health data: a user's is a Consent row (kind "health"); a walk-in
    signs a paper notice at the station, which the tester records here.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="physique_participant")
    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    id_number_enc = models.TextField(blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=6, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("registered at"), on_delete=models.PROTECT,
                               related_name="+")
    consent_version = models.CharField(_("consent notice version"), max_length=20, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    guardian_name = models.CharField(_("guardian's name"), max_length=50, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["id_number_hash"], condition=~models.Q(id_number_hash=""),
                                    name="physique_unique_participant_id"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.user_id:
            return self.user.display_name
        return self.real_name or f"#{self.pk}"

    @property
    def id_number(self) -> str:
        return self.user.id_number if self.user_id else crypto.decrypt(self.id_number_enc)

    @property
    def id_number_masked(self) -> str:
        return crypto.mask_id_number(self.id_number)

    @property
    def person_sex(self) -> str:
        return (self.user.sex if self.user_id else "") or self.sex

    @property
    def person_birth_date(self):
        return (self.user.birth_date if self.user_id else None) or self.birth_date


class TestResult(models.Model):
    """One test of one person under one standard, scored by the engine when it is saved."""

    __test__ = False

    class Source(models.TextChoices):
        TABLET = "tablet", _("Entered at the station")
        IMPORT = "import", _("Imported from a file")
        API = "api", _("Through the API")
        DEMO = "demo", _("Demo data")

    participant = models.ForeignKey(Participant, verbose_name=_("participant"), on_delete=models.PROTECT,
                                    related_name="results")
    session = models.ForeignKey(TestSession, verbose_name=_("session"), on_delete=models.PROTECT,
                                related_name="results")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    standard = models.CharField(_("standard"), max_length=20)
    sex = models.CharField(_("sex"), max_length=6)
    grade = models.CharField(pgettext_lazy("school year", "grade"), max_length=16, blank=True)
    age = models.FloatField(_("age"), null=True, blank=True)
    age_group = models.CharField(_("age group"), max_length=12, db_index=True)
    # Health data, encrypted (crypto.sealed): the measurements, item scores and total in one field, the
    # outcome (rating, pass) in a small one of its own, decrypted in bulk when the figures' roll-up is
    # rebuilt (tally.py).
    health_enc = models.TextField(blank=True, editable=False)
    outcome_enc = models.TextField(blank=True, editable=False)
    measurements = crypto.sealed("health_enc", "measurements", default={})
    scores = crypto.sealed("health_enc", "scores", default=[])
    total = crypto.sealed("health_enc", "total", default=decimal.Decimal("0.00"), load=decimal.Decimal, dump=str)
    rating = crypto.sealed("outcome_enc", "rating", default="")
    passed = crypto.sealed("outcome_enc", "passed", default=None)
    complete = models.BooleanField(_("every item scored"), default=True)
    tested_at = models.DateTimeField(_("tested at"), db_index=True)
    tester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("tester"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.TABLET)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("test result")
        verbose_name_plural = _("test results")
        ordering = ["-tested_at", "-id"]
        indexes = [models.Index(fields=["participant", "tested_at"], name="physique_result_person")]

    def __str__(self) -> str:
        return f"{self.standard} {localtime(self.tested_at):%Y-%m-%d}"


class Prescription(models.Model):
    """An exercise prescription in FITT terms, made from one result after PAR-Q+ screening."""

    result = models.ForeignKey(TestResult, verbose_name=_("result"), on_delete=models.CASCADE,
                               related_name="prescriptions")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="prescriptions",
                                    editable=False)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    # Health data, encrypted (crypto.sealed): the screening answers and what was made of them.
    health_enc = models.TextField(blank=True, editable=False)
    parq_answers = crypto.sealed("health_enc", "parq_answers", default=[])
    cleared = crypto.sealed("health_enc", "cleared", default=False)
    component_scores = crypto.sealed("health_enc", "component_scores", default={})
    weak_components = crypto.sealed("health_enc", "weak_components", default=[])
    plan = crypto.sealed("health_enc", "plan", default={})
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("exercise prescription")
        verbose_name_plural = _("exercise prescriptions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.participant} {localtime(self.created_at):%Y-%m-%d}"


class ResultTally(models.Model):
    """The figures' roll-up: results counted by division, day, standard, sex, age group and outcome.

    Counts only, no person in it (the outcome is health data of a person in a result row; here it is
    how many results of a division's day had it). Kept by the services that write, rescore or erase a
    result, in the same transaction (quanmin.physique.tally); `manage.py physique_tally` rebuilds it
    from the encrypted results. `day` is the day in the city's time zone; `passed` is "y", "n" or ""
    (outcome unknown), not a NULL, so that the key is unique on both databases.
    """

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    standard = models.CharField(max_length=20)
    sex = models.CharField(max_length=6)
    age_group = models.CharField(max_length=12)
    passed = models.CharField(max_length=1, blank=True)
    rating = models.CharField(max_length=16, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "day", "standard", "sex", "age_group", "passed", "rating"],
                                               name="physique_tally_key")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day} {self.standard} {self.n}"


# --- the National Physical Exercise Standard (国家体育锻炼标准) --------------------------------------
# Quanmin records grades, it does not score them: see quanmin/physique/exercise.py and
# standards/exercise/README.md.

class ExerciseSession(models.Model):
    """A test session of the exercise standard (国家体育锻炼标准达标测验) a division organises."""

    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    edition = models.CharField(_("edition"), max_length=20, default="exercise-2013")
    held_on = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=200)
    organiser = models.CharField(_("organiser"), max_length=120)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("exercise standard test session")
        verbose_name_plural = _("exercise standard test sessions")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.place}"


class ExerciseGrade(models.Model):
    """One person's grade in one session, as the testing station gave it (不达标 / 达标 / 良好 / 优秀).

    The grade and the item results entered are health data, encrypted: the grade alone in
    outcome_enc (indicators decrypt it in bulk), the items in health_enc. An annulled grade stays,
    marked, and counts nowhere; its certificate is revoked."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered by staff")
        IMPORT = "import", _("Imported from a file")
        API = "api", _("Through the API")
        DEMO = "demo", _("Demo data")

    session = models.ForeignKey(ExerciseSession, verbose_name=_("session"), on_delete=models.PROTECT,
                                related_name="grades")
    participant = models.ForeignKey(Participant, verbose_name=_("participant"), on_delete=models.PROTECT,
                                    related_name="exercise_grades")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    tested_at = models.DateTimeField(_("tested at"), db_index=True)
    outcome_enc = models.TextField(blank=True, editable=False)
    health_enc = models.TextField(blank=True, editable=False)
    level = crypto.sealed("outcome_enc", "level", default="")
    items = crypto.sealed("health_enc", "items", default="")
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.ENTERED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    annulled_at = models.DateTimeField(_("annulled at"), null=True, blank=True)
    annulled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    annul_reason = models.CharField(_("reason"), max_length=200, blank=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("exercise standard grade")
        verbose_name_plural = _("exercise standard grades")
        ordering = ["-tested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], condition=models.Q(annulled_at__isnull=True),
                                    name="physique_one_standing_grade_per_session"),
        ]

    def __str__(self) -> str:
        return f"{self.session} #{self.participant_id}"


class ExerciseCertificate(models.Model):
    """The certificate (达标证书) of a grade at 达标 or better, with a number anyone can verify.

    The level it states is its grade's (decrypted when shown); the issuing division is the session's."""

    grade = models.OneToOneField(ExerciseGrade, on_delete=models.PROTECT, related_name="certificate")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="exercise_certificates",
                                    editable=False)
    region = models.ForeignKey("regions.Region", verbose_name=_("issuing division"), on_delete=models.PROTECT,
                               related_name="+", editable=False)
    number = models.CharField(_("certificate number"), max_length=24, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.CharField(_("reason"), max_length=200, blank=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("exercise standard certificate")
        verbose_name_plural = _("exercise standard certificates")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return self.number


# --- sport–medicine integration (体医融合 / 体卫融合) -----------------------------------------------
# The sites (运动健康促进中心, 社区运动健康促进站, 国民体质监测与健身指导服务站), the register of
# exercise-prescription practitioners (运动处方师), the chronic-disease prescription library
# (慢性病运动处方库) and referrals from health check-ups and clinics. Services: sportmed.py.

class HealthSite(models.Model):
    """A sport–medicine site (体卫融合实体) run by a hospital, a community health centre or a division."""

    class Kind(models.TextChoices):
        HOSPITAL_CENTRE = "hospital_centre", _("Exercise-health promotion centre (hospital)")
        COMMUNITY_STATION = "community_station", _("Community exercise-health promotion station")
        MONITORING_STATION = "monitoring_station", _("Physique monitoring and fitness guidance station")
        REHAB_CENTRE = "rehab_centre", _("Sport-medicine rehabilitation centre")

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    institution = models.CharField(_("medical institution"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    site = models.ForeignKey("facilities.Site", verbose_name=_("site"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="health_sites")
    pilot = models.CharField(_("pilot project"), max_length=120, blank=True,
                             help_text=_("The sport–medicine pilot project (体医融合示范试点项目) this site carries, if any."))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("sport–medicine site")
        verbose_name_plural = _("sport–medicine sites")
        ordering = ["region_id", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="physique_one_health_site_name")]

    def __str__(self) -> str:
        return self.name


class Practitioner(crypto.SealedPerson, models.Model):
    """An exercise-prescription practitioner (运动处方师), a real-name person: the ID number and the
    phone are stored encrypted with a keyed hash beside them, as the instructor register does."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LAPSED = "lapsed", _("Lapsed")
        REVOKED = "revoked", _("Revoked")

    class Profession(models.TextChoices):
        DOCTOR = "doctor", _("Doctor")
        REHAB = "rehab", _("Rehabilitation therapist")
        NURSE = "nurse", _("Nurse")
        FITNESS = "fitness", _("Fitness instructor")
        OTHER = "other", _("Other")

    real_name = models.CharField(_("real name"), max_length=50)
    id_number_hash = models.CharField(max_length=64, editable=False)
    id_number_enc = models.TextField(editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    phone_enc = models.TextField(blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=6, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    site = models.ForeignKey(HealthSite, verbose_name=_("sport–medicine site"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="practitioners")
    profession = models.CharField(_("profession"), max_length=10, choices=Profession.choices,
                                  default=Profession.DOCTOR)
    certificate_no = models.CharField(_("certificate number"), max_length=40, blank=True)
    trained_on = models.DateField(_("trained on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE,
                              db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("exercise-prescription practitioner")
        verbose_name_plural = _("exercise-prescription practitioners")
        ordering = ["region_id", "real_name", "id"]
        constraints = [models.UniqueConstraint(fields=["id_number_hash"], name="physique_one_practitioner_per_person")]

    def __str__(self) -> str:
        return self.real_name


class Condition(models.TextChoices):
    """The conditions the prescription library has templates for (慢性病人群)."""

    HYPERTENSION = "hypertension", _("Hypertension")
    TYPE2_DIABETES = "type2_diabetes", _("Type 2 diabetes")
    OBESITY = "obesity", _("Overweight and obesity")
    OTHER = "other", _("Other chronic condition")


class PrescriptionTemplate(models.Model):
    """A template of the chronic-disease prescription library: FITT parts in Chinese, with its source.

    `origin` says where the words come from: a published guideline (loaded from
    standards/chronic/templates.json, source and licence beside it) or the bureau's own text, shown
    as such to everyone who reads it."""

    class Origin(models.TextChoices):
        PUBLISHED = "published", _("Published guideline")
        BUREAU = "bureau", _("The sports bureau's own text")

    key = models.SlugField(_("key"), max_length=40, unique=True)
    condition = models.CharField(_("condition"), max_length=16, choices=Condition.choices)
    title = models.CharField(_("title"), max_length=120)
    parts = models.JSONField(_("parts"), default=list)  # [{"label", "frequency", "intensity", "time", "type"}]
    precautions = models.TextField(_("precautions"), blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.BUREAU)
    source = models.CharField(_("source"), max_length=300, blank=True)
    licence = models.CharField(_("licence"), max_length=120, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("prescription template")
        verbose_name_plural = _("prescription templates")
        ordering = ["condition", "key"]

    def __str__(self) -> str:
        return self.title


class Referral(models.Model):
    """A resident referred by a health check-up or a clinic to a sport–medicine site, with a condition;
    the site accepts (or declines), assigns a practitioner and gives a prescription from a template.

    The condition, the referrer's note and the prescription are health data, encrypted. The resident
    is found by ID number: linked to their account when they have one, so it shows on /me."""

    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred, awaiting the site")
        ACCEPTED = "accepted", _("Accepted by the site")
        PRESCRIBED = "prescribed", _("Prescription given")
        DECLINED = "declined", _("Declined by the site")

    class Source(models.TextChoices):
        CHECKUP = "checkup", _("Health check-up")
        CLINIC = "clinic", _("Clinic")

    site = models.ForeignKey(HealthSite, verbose_name=_("sport–medicine site"), on_delete=models.PROTECT,
                             related_name="referrals")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("resident's account"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="sportmed_referrals")
    real_name = models.CharField(_("real name"), max_length=50)
    id_number_hash = models.CharField(max_length=64, editable=False, db_index=True)
    id_number_enc = models.TextField(editable=False)
    source = models.CharField(_("referred from"), max_length=8, choices=Source.choices)
    referrer = models.CharField(_("referring unit"), max_length=120)
    health_enc = models.TextField(blank=True, editable=False)
    condition = crypto.sealed("health_enc", "condition", default="")
    note = crypto.sealed("health_enc", "note", default="")
    prescription = crypto.sealed("health_enc", "prescription", default={})
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.REFERRED,
                              db_index=True)
    practitioner = models.ForeignKey(Practitioner, verbose_name=_("practitioner"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="referrals")
    template = models.ForeignKey(PrescriptionTemplate, verbose_name=_("template"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    decline_reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    referred_at = models.DateTimeField(_("referred at"), auto_now_add=True, db_index=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    completed_at = models.DateTimeField(_("prescription given at"), null=True, blank=True, db_index=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        verbose_name = _("sport–medicine referral")
        verbose_name_plural = _("sport–medicine referrals")
        ordering = ["-referred_at", "-id"]

    def __str__(self) -> str:
        return f"{self.real_name} → {self.site}"

    @property
    def id_number_masked(self) -> str:
        return crypto.mask_id_number(crypto.decrypt(self.id_number_enc))


class ExerciseTally(models.Model):
    """The exercise standard indicators' roll-up: standing grades counted by division, day and grade.

    Counts only, no person in it (a grade is health data of a person in its row; here it is how many
    standing grades of a division's day had it). Kept by the services that record, annul or erase a
    grade, in the same transaction (quanmin.physique.tally); `manage.py physique_tally` rebuilds it
    from the encrypted grades. `day` is the day in the city's time zone; `level` the grade's code
    ("fail", "pass", "good", "excellent").
    """

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    level = models.CharField(max_length=16, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "day", "level"], name="physique_exercise_tally_key")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day} {self.level} {self.n}"
