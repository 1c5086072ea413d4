"""The sports-ground type table (data/facility_types.csv, with its source) as Python objects, and the
annual statistics survey's categories (data/survey_categories.csv) each type counts under."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).parent / "data" / "facility_types.csv"
SURVEY_DATA = Path(__file__).parent / "data" / "survey_categories.csv"


@dataclass(frozen=True)
class FacilityType:
    code: str
    name_zh: str
    name_en: str
    group: str
    measure: str  # "area" (m²) or "length" (km)
    roles: frozenset
    survey: str = "other"  # the survey category outdoors (a SurveyCategory code)
    survey_indoor: str = "other"  # ... and when the facility is marked indoor
    local: bool = False  # a local planning type: a subtype of its survey category

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "zh-hans").startswith("en") else self.name_zh


@dataclass(frozen=True)
class SurveyCategory:
    """A category of the annual sports-ground statistics survey (体育场地统计调查)."""

    code: str
    section: str  # the survey's heading: 基础大项场地, 球类运动场地 …
    group: str  # 田径场地, 游泳场地, 足球场地 …
    name_zh: str  # as the survey's results write it
    name_en: str
    measure: str  # "area" (m²) or "length" (km)
    census_codes: tuple[str, ...]  # 6th national census type codes in the category
    census_names: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "zh-hans").startswith("en") else self.name_zh


def _rows(path: Path):
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def _load() -> dict[str, FacilityType]:
    return {
        r["code"]: FacilityType(r["code"], r["name_zh"], r["name_en"], r["group"], r["measure"],
                                frozenset((r["roles"] or "").split()), r["survey"], r["survey_indoor"] or r["survey"],
                                r["local"] == "1")
        for r in _rows(DATA)
    }


def _load_survey() -> dict[str, SurveyCategory]:
    return {
        r["code"]: SurveyCategory(r["code"], r["section"], r["group"], r["name_zh"], r["name_en"], r["measure"],
                                  tuple(r["census_codes"].split()), tuple(r["census_names"].split()))
        for r in _rows(SURVEY_DATA)
    }


TYPES: dict[str, FacilityType] = _load()
SURVEY: dict[str, SurveyCategory] = _load_survey()
BY_NAME = {t.name_zh: t for t in TYPES.values()} | {t.name_en.lower(): t for t in TYPES.values()}


def with_role(role: str) -> list[str]:
    return [t.code for t in TYPES.values() if role in t.roles]


def choices() -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in TYPES.values()]


def survey_category(type_code: str, indoor: bool = False) -> SurveyCategory:
    """The survey category a facility counts under: by its type, indoors or out (unknown types: other)."""
    info = TYPES.get(type_code)
    if info is None:
        return SURVEY["other"]
    return SURVEY[info.survey_indoor if indoor else info.survey]


def lookup(value: str) -> FacilityType | None:
    """A type by code, Chinese name or English name (imports accept all three)."""
    value = (value or "").strip()
    return TYPES.get(value) or BY_NAME.get(value) or BY_NAME.get(value.lower())
