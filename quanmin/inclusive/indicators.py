"""The inclusive indicators (see quanmin.core.indicators), each over a division's subtree.

No target of REQUIREMENTS.md D.1 measures these (the 102 targets hold none for G06–G09); they
measure the task rows that ask for them, all due 2025年前 in seed 003 (rows 15, 16, 17, 18, 19) and
the measures of seeds 000 ((二)3) and 001 ((四)3), so a plan's task can show its progress and a
target added later binds to them:

- elderly_care_equipped_share: of the active elderly-care institutions and elderly centres, the
  share fitted with equipment suited to older people (003 row 17
  「为社区、村屯养老服务机构安装适宜老年人使用」);
- rehab_centres_equipped_share: of the active rehab centres and elderly centres, the share fitted
  with rehab fitness equipment (003 row 19 「为残疾人康复中心、养老中心配备康复类健身设施」);
- preschool_places_equipped_share: of the kindergartens and pre-school play places, the share with
  equipment for gross-motor development (000 「配备适合学龄前儿童大动作发展」);
- ethnic_villages_equipped_share: of the ethnic villages, the share with fitness equipment, an
  outdoor basketball court or a simple football ground (003 row 15 「为民族乡村配置安装健身器材」);
- elderly_activities, preschool_activities, disabled_activities, ethnic_activities: programme
  activities held for the group in the 365 days up to `as_of` ("常青可乐", "星火点亮", rehab fitness,
  ethnic-feature activities; 003 rows 16 and 18, 001 (四)3).

A fitting counts from its date; the institutions are the register's active ones now (an institution
taken out of the register leaves past values too). None when there is nothing to divide by. One
query per call (two for the page that shows both).
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from quanmin.core.indicators import indicator, memo

from . import figures

LEVELS = ("city", "county", "township")


def _equipped(codes_: list[str], as_of: datetime.date) -> dict:
    return memo(("inclusive.equipped", tuple(codes_), as_of), lambda: figures.equipped_totals(codes_, as_of))


def _activities(codes_: list[str], as_of: datetime.date) -> dict:
    return memo(("inclusive.activities", tuple(codes_), as_of), lambda: figures.activity_totals(codes_, as_of))


def _share(measure: str):
    return lambda codes_, as_of: {code: t.share(measure) for code, t in _equipped(codes_, as_of).items()}


def _count(group: str):
    return lambda codes_, as_of: {code: Decimal(t.activities[group]) for code, t in _activities(codes_, as_of).items()}


indicator("elderly_care_equipped_share", unit="percent", levels=LEVELS,
          label=_("Elderly-care institutions with fitness equipment suited to older people"),
          description=_("Of the active elderly-care institutions of communities and villages and the elderly centres, "
                        "the share fitted with fitness equipment suited to older people (适宜老年人使用的健身设施)."))(
    _share("elderly"))
indicator("rehab_centres_equipped_share", unit="percent", levels=LEVELS,
          label=_("Rehabilitation and elderly centres with rehab fitness equipment"),
          description=_("Of the active rehabilitation centres for disabled people and the elderly centres, the share "
                        "fitted with rehabilitation fitness equipment (康复类健身设施)."))(_share("rehab"))
indicator("preschool_places_equipped_share", unit="percent", levels=LEVELS,
          label=_("Pre-school places with equipment for gross-motor development"),
          description=_("Of the active kindergartens and pre-school play places, the share fitted with equipment for "
                        "pre-school children's gross-motor development (大动作发展)."))(_share("preschool"))
indicator("ethnic_villages_equipped_share", unit="percent", levels=LEVELS,
          label=_("Ethnic villages with fitness facilities"),
          description=_("Of the active ethnic villages, the share fitted with fitness equipment, an outdoor basketball "
                        "court or a simple football ground (民族乡村)."))(_share("ethnic"))
indicator("elderly_activities", unit="count", levels=LEVELS, label=_("Activities for older people in the year"),
          description=_("Programme activities for older people (常青可乐 and others) held in the 365 days up to the "
                        "date."))(_count("elderly"))
indicator("preschool_activities", unit="count", levels=LEVELS, label=_("Activities for pre-school children in the year"),
          description=_("Programme activities for toddlers and pre-school children (星火点亮 and others) held in the 365 "
                        "days up to the date."))(_count("preschool"))
indicator("disabled_activities", unit="count", levels=LEVELS,
          label=_("Activities for people with disabilities in the year"),
          description=_("Rehabilitation fitness and other activities for people with disabilities held in the 365 days "
                        "up to the date."))(_count("disabled"))
indicator("ethnic_activities", unit="count", levels=LEVELS, label=_("Ethnic-feature activities in the year"),
          description=_("Ethnic-feature fitness activities and other activities for ethnic minorities held in the 365 "
                        "days up to the date."))(_count("ethnic"))
