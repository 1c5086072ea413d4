"""Fitness equipment types (健身器材种类), read from data/equipment_types.csv.

Design life: 8 years, after GB 19272-2011 《室外健身器材的安全 通用要求》 as secondary sources report
it (the clause is not verified; GB 19272-2024 replaces it from 2025-09-01): see data/README.md.
A register row may carry its own figure, e.g. the maker's.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).parent / "data" / "equipment_types.csv"
DEFAULT_DESIGN_LIFE_YEARS = 8


@dataclass(frozen=True)
class EquipmentType:
    code: str
    name_zh: str
    name_en: str
    group: str  # moving / bar / fixed / smart: checklists differ by group
    design_life_years: int

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "zh-hans").startswith("en") else self.name_zh


def _load() -> dict[str, EquipmentType]:
    with DATA.open(encoding="utf-8") as f:
        return {row["code"]: EquipmentType(row["code"], row["name_zh"], row["name_en"], row["group"],
                                           int(row["design_life_years"]))
                for row in csv.DictReader(line for line in f if not line.startswith("#"))}


TYPES = _load()
BY_NAME = {**{t.name_zh: t for t in TYPES.values()}, **{t.name_en.lower(): t for t in TYPES.values()}}


def choices() -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in TYPES.values()]
