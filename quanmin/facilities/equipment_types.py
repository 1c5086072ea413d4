"""Fitness equipment types (健身器材种类), read from data/equipment_types.csv.

Design life: 8 years, after GB 19272-2011 《室外健身器材的安全 通用要求》 as secondary sources report
it (the clause is not verified; GB 19272-2024 replaces it from 2025-09-01): see data/README.md. Each
type says whether its figure was read in the standard (``life_verified``) and where it comes from
(``life_source``); a register row may carry its own figure, e.g. the maker's.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DATA = Path(__file__).parent / "data" / "equipment_types.csv"
DEFAULT_DESIGN_LIFE_YEARS = 8
# Where a type's design life comes from (the keys of the CSV's life_source column; see data/README.md).
LIFE_SOURCES = {
    "gb19272-2011-secondary": _("GB 19272-2011 as secondary sources report it; the clause is not verified"),
}


@dataclass(frozen=True)
class EquipmentType:
    code: str
    name_zh: str
    name_en: str
    group: str  # moving / bar / fixed / smart: checklists differ by group
    design_life_years: int
    life_verified: bool  # the figure was read in the standard's own text
    life_source: str  # a key of LIFE_SOURCES
    alt_life_years: int | None  # another figure secondary sources give (shown, not used)

    @property
    def life_source_label(self) -> str:
        return str(LIFE_SOURCES.get(self.life_source, self.life_source))

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "zh-hans").startswith("en") else self.name_zh


def _load() -> dict[str, EquipmentType]:
    with DATA.open(encoding="utf-8") as f:
        return {row["code"]: EquipmentType(row["code"], row["name_zh"], row["name_en"], row["group"],
                                           int(row["design_life_years"]), row["life_verified"] == "1",
                                           row["life_source"], int(row["alt_life_years"] or 0) or None)
                for row in csv.DictReader(line for line in f if not line.startswith("#"))}


TYPES = _load()
BY_NAME = {**{t.name_zh: t for t in TYPES.values()}, **{t.name_en.lower(): t for t in TYPES.values()}}


def choices() -> list[tuple[str, str]]:
    return [(t.code, t.label) for t in TYPES.values()]
