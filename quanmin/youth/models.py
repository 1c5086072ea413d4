"""Youth sports in schools (G05, G15): the schools of each division and what each reports per term.

Seeds 000, 001 and 003 ask that students get one hour of physical activity in school and one out of
school every day (「保障学生每天校内、校外各1小时体育活动时间」), that every young person master two or
more sports skills (「帮助青少年掌握2项以上运动技能」) and that schools act on myopia, obesity and
scoliosis (「近视、肥胖、脊柱侧弯等突出问题」); seed 001 and 002 ask that school grounds open to the
public (「物理隔离、社会通道改造」, 「柳州市八中、柳州市二十四中」).

`School` is the register: a school in a division, its stage and enrolment, and the site of the
facilities register that holds its grounds. Whether the grounds are open to the public is not
kept here: it is what the facilities register says (an open school site with public opening hours,
OpeningRule kind "school"), so the two can never disagree.

`TermReturn` is a school's aggregate return for one term, entered by staff or imported from Excel:
average daily minutes of physical activity in and out of school, students meeting both hours,
students assessed for sports skills and those with two or more, and for each of myopia, obesity
and scoliosis the students screened, found and given an exercise intervention. **Only counts and
averages of a whole school: no child's name, measurement or diagnosis is kept, nor may be added
here** (individual health data belongs to physique, encrypted and audited). Every count is bounded
by the one it is part of (found ≤ screened ≤ students…), as constraints as well as service checks.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary school")
    SENIOR = "senior", _("Senior secondary school")
    COMBINED = "combined", _("Combined school (nine- or twelve-year)")


class Term(models.IntegerChoices):
    AUTUMN = 1, _("Autumn term")
    SPRING = 2, _("Spring term")


# The problems seed 001 names, in its order: each has screened / found / intervened counts.
PROBLEMS = ("myopia", "obesity", "scoliosis")
MAX_MINUTES = 600  # a day's average beyond 10 hours is a typing error


class School(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("school"), max_length=120)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    students = models.PositiveIntegerField(_("students enrolled"))
    site = models.ForeignKey("facilities.Site", verbose_name=_("grounds in the facilities register"), null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="+")
    named_for_opening = models.BooleanField(
        _("named for opening its grounds"), default=False,
        help_text=_("A plan names this school among those whose grounds are to open to the public."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="youth_school_unique_name")]

    def __str__(self) -> str:
        return self.name


def term_starts(school_year: int, term: int) -> datetime.date:
    """The first day of a term: the autumn term starts in September of the school year's first
    calendar year, the spring term in February of the next."""
    return datetime.date(school_year, 9, 1) if term == Term.AUTUMN else datetime.date(school_year + 1, 2, 1)


class TermReturn(models.Model):
    """A school's aggregate figures for one term (see the module's note: no child's data)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="returns")
    school_year = models.PositiveSmallIntegerField(_("school year"), help_text=_("Its first year: 2025 for 2025–2026."))
    term = models.PositiveSmallIntegerField(_("term"), choices=Term.choices)
    starts_on = models.DateField(_("term starts"), editable=False, db_index=True)
    # Copied from the school so that the indicators read a subtree without a join; services keep it.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", editable=False)
    students = models.PositiveIntegerField(_("students"))
    minutes_in_school = models.PositiveSmallIntegerField(_("daily minutes in school (average)"))
    minutes_out_of_school = models.PositiveSmallIntegerField(_("daily minutes out of school (average)"))
    students_meeting_both = models.PositiveIntegerField(_("students with 1 h in and 1 h out of school"))
    skills_assessed = models.PositiveIntegerField(_("students assessed for sports skills"))
    skills_two_plus = models.PositiveIntegerField(_("students with two or more skills"))
    myopia_screened = models.PositiveIntegerField(_("screened for myopia"))
    myopia_found = models.PositiveIntegerField(_("myopia found"))
    myopia_intervened = models.PositiveIntegerField(_("myopia: exercise intervention"))
    obesity_screened = models.PositiveIntegerField(_("screened for obesity"))
    obesity_found = models.PositiveIntegerField(_("obesity found"))
    obesity_intervened = models.PositiveIntegerField(_("obesity: exercise intervention"))
    scoliosis_screened = models.PositiveIntegerField(_("screened for scoliosis"))
    scoliosis_found = models.PositiveIntegerField(_("scoliosis found"))
    scoliosis_intervened = models.PositiveIntegerField(_("scoliosis: exercise intervention"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["-starts_on", "school_id"]
        verbose_name = _("term return")
        verbose_name_plural = _("term returns")
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "term"], name="youth_return_once_a_term"),
            models.CheckConstraint(
                condition=(Q(minutes_in_school__lte=MAX_MINUTES) & Q(minutes_out_of_school__lte=MAX_MINUTES)
                           & Q(students_meeting_both__lte=F("students")) & Q(skills_assessed__lte=F("students"))
                           & Q(skills_two_plus__lte=F("skills_assessed"))),
                name="youth_return_within_students"),
            *[models.CheckConstraint(
                condition=(Q(**{f"{p}_screened__lte": F("students")})
                           & Q(**{f"{p}_found__lte": F(f"{p}_screened")})
                           & Q(**{f"{p}_intervened__lte": F(f"{p}_found")})),
                name=f"youth_return_{p}_within") for p in PROBLEMS],
        ]
        indexes = [models.Index(fields=["region", "starts_on"], name="youth_return_region")]

    def __str__(self) -> str:
        return f"{self.school_id} {self.school_year}-{self.term}"

    @property
    def term_label(self) -> str:
        return f"{self.school_year}–{self.school_year + 1} {self.get_term_display()}"
