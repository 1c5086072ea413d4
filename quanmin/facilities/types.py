"""The sports-ground type table (data/facility_types.csv, with its source) as Python objects."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).parent / "data" / "facility_types.csv"


@dataclass(frozen=True)
class FacilityType:
    code: str
    name_zh: str
    name_en: str
    group: str
    measure: str  # "area" (m²) or "length" (km)
    roles: frozenset

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "zh-hans").startswith("en") else self.name_zh


def _load() -> dict[str, FacilityType]:
    with open(DATA, encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {
            r["code"]: FacilityType(r["code"], r["name_zh"], r["name_en"], r["group"], r["measure"],
                                    frozenset((r["roles"] or "").split()))
            for r in rows
        }


TYPES: dict[str, FacilityType] = _load()
BY_NAME = {t.name_zh: t for t in TYPES.values()} | {t.name_en.lower(): t for t in TYPES.values()}


def with_role(role: str) -> list[str]:
    return [t.code for t in TYPES.values() if role in t.roles]


def choices() -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in TYPES.values()]


def lookup(value: str) -> FacilityType | None:
    """A type by code, Chinese name or English name (imports accept all three)."""
    value = (value or "").strip()
    return TYPES.get(value) or BY_NAME.get(value) or BY_NAME.get(value.lower())
