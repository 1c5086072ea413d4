"""Fitness provision for special populations (G06–G09): the institutions the plans name, what was
fitted in them for their people, and the programme activities held for each group.

Seed 003's task rows 15, 17 and 19 (2025年前) ask to fit elderly-care institutions of communities
and villages with equipment suited to older people (「为社区、村屯养老服务机构安装适宜老年人使用」),
rehab centres and elderly centres with rehab fitness equipment (「为残疾人康复中心、养老中心配备康复类健身设施」)
and ethnic villages with equipment, outdoor basketball and simple football grounds
(「为民族乡村配置安装健身器材」); seed 000 asks for equipment for pre-school children's gross-motor
development in public places (「配备适合学龄前儿童大动作发展」) and barrier-free public fitness
facilities. Seeds 000, 001 and 003 ask for activities: "常青可乐" for older people, "星火点亮" for
toddlers, rehab fitness for disabled people, ethnic-feature activities.

`Institution` is the register: an institution (or an ethnic village, or a pre-school place) in a
division, its kind and, when it has one, its site in the facilities register. `Fitting` is one
fitting-out: what kind (age-appropriate equipment, rehab equipment, barrier-free access, outdoor
basketball…), how many pieces, when, and the facility of the facilities register where the
equipment is registered (its pieces, tags and inspections live there, not here). `Activity` is one
programme activity for a group, with its date and number of participants: counts only, no person.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Group(models.TextChoices):
    ELDERLY = "elderly", _("Older people")
    PRESCHOOL = "preschool", _("Pre-school children")
    DISABLED = "disabled", _("People with disabilities")
    ETHNIC = "ethnic", _("Ethnic minorities")


class Kind(models.TextChoices):
    ELDERLY_CARE = "elderly_care", _("Elderly-care institution (community or village)")
    ELDERLY_CENTRE = "elderly_centre", _("Elderly centre")
    REHAB_CENTRE = "rehab_centre", _("Rehabilitation centre for disabled people")
    PRESCHOOL = "preschool", _("Kindergarten or pre-school play place")
    ETHNIC_VILLAGE = "ethnic_village", _("Ethnic village")


class FittingKind(models.TextChoices):
    ELDERLY = "elderly_equipment", _("Fitness equipment suited to older people")
    REHAB = "rehab_equipment", _("Rehabilitation fitness equipment")
    PRESCHOOL = "preschool_equipment", _("Equipment for pre-school children's gross-motor development")
    BARRIER_FREE = "barrier_free", _("Barrier-free access")
    EQUIPMENT = "fitness_equipment", _("Fitness equipment")
    BASKETBALL = "outdoor_basketball", _("Outdoor basketball court")
    FOOTBALL = "simple_football", _("Simple football ground")


class Programme(models.TextChoices):
    CHANGQING = "changqing_kele", _("Older people's sport “常青可乐”")
    XINGHUO = "xinghuo_dianliang", _("Toddlers' sport “星火点亮”")
    REHAB = "rehab_fitness", _("Rehabilitation fitness for disabled people")
    ETHNIC = "ethnic_feature", _("Ethnic-feature fitness activity")
    OTHER = "other", _("Other activity")


# What may be fitted in an institution of each kind.
ALLOWED = {
    Kind.ELDERLY_CARE: {FittingKind.ELDERLY, FittingKind.REHAB, FittingKind.BARRIER_FREE},
    Kind.ELDERLY_CENTRE: {FittingKind.ELDERLY, FittingKind.REHAB, FittingKind.BARRIER_FREE},
    Kind.REHAB_CENTRE: {FittingKind.REHAB, FittingKind.BARRIER_FREE},
    Kind.PRESCHOOL: {FittingKind.PRESCHOOL, FittingKind.BARRIER_FREE},
    Kind.ETHNIC_VILLAGE: {FittingKind.EQUIPMENT, FittingKind.BASKETBALL, FittingKind.FOOTBALL, FittingKind.ELDERLY,
                          FittingKind.PRESCHOOL, FittingKind.BARRIER_FREE},
}

# The plans' measures: (key, the institution kinds counted, the fitting kinds that equip them).
MEASURES = {
    "elderly": ((Kind.ELDERLY_CARE, Kind.ELDERLY_CENTRE), (FittingKind.ELDERLY,)),
    "rehab": ((Kind.REHAB_CENTRE, Kind.ELDERLY_CENTRE), (FittingKind.REHAB,)),
    "preschool": ((Kind.PRESCHOOL,), (FittingKind.PRESCHOOL,)),
    "ethnic": ((Kind.ETHNIC_VILLAGE,), (FittingKind.EQUIPMENT, FittingKind.BASKETBALL, FittingKind.FOOTBALL)),
}

# A programme of the plans belongs to one group; "other" to any.
PROGRAMME_GROUP = {Programme.CHANGQING: Group.ELDERLY, Programme.XINGHUO: Group.PRESCHOOL,
                   Programme.REHAB: Group.DISABLED, Programme.ETHNIC: Group.ETHNIC}

# The fittings that make a place suitable for a resident of each group (the phone page).
SUITABLE = {
    Group.ELDERLY: (FittingKind.ELDERLY,),
    Group.PRESCHOOL: (FittingKind.PRESCHOOL,),
    Group.DISABLED: (FittingKind.REHAB, FittingKind.BARRIER_FREE),
}


class Institution(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    ethnic_group = models.CharField(_("ethnic group"), max_length=30, blank=True,
                                    help_text=_("For an ethnic village: the ethnic group, e.g. 回族, 满族."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    site = models.ForeignKey("facilities.Site", verbose_name=_("site in the facilities register"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="inclusive_institution_unique_name")]
        indexes = [models.Index(fields=["kind", "region"], name="inclusive_inst_kind_region")]

    def __str__(self) -> str:
        return self.name


class Fitting(models.Model):
    """One fitting-out of an institution; the equipment itself is registered at `facility`."""

    institution = models.ForeignKey(Institution, verbose_name=_("institution"), on_delete=models.CASCADE,
                                    related_name="fittings")
    kind = models.CharField(_("what was fitted"), max_length=20, choices=FittingKind.choices)
    pieces = models.PositiveIntegerField(_("pieces or grounds"), default=1)
    fitted_on = models.DateField(_("date fitted"), db_index=True)
    facility = models.ForeignKey("facilities.Facility", verbose_name=_("facility in the facilities register"),
                                 null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Kept by the services: the facility's site, else the institution's (the phone page's places),
    # and the institution's division (the indicators read a subtree without a join).
    site = models.ForeignKey("facilities.Site", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             editable=False)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["-fitted_on", "-pk"]
        verbose_name = _("fitting")
        verbose_name_plural = _("fittings")
        constraints = [models.CheckConstraint(condition=Q(pieces__gte=1), name="inclusive_fitting_pieces")]
        indexes = [models.Index(fields=["region", "kind"], name="inclusive_fitting_region")]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.kind} {self.fitted_on}"


class Activity(models.Model):
    """One activity of a programme for a group: its date and how many took part (a count)."""

    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    group = models.CharField(_("for"), max_length=10, choices=Group.choices)
    programme = models.CharField(_("programme"), max_length=20, choices=Programme.choices, default=Programme.OTHER)
    title = models.CharField(_("title"), max_length=120)
    held_on = models.DateField(_("date held"), db_index=True)
    participants = models.PositiveIntegerField(_("participants"))
    institution = models.ForeignKey(Institution, verbose_name=_("institution"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="activities")
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("programme activity")
        verbose_name_plural = _("programme activities")
        indexes = [models.Index(fields=["region", "held_on"], name="inclusive_activity_region")]

    def __str__(self) -> str:
        return self.title
