"""Inspection checklists per equipment type, read from data/checklists.csv (see data/README.md).

A piece's checklist is the items of group `all` followed by those of its type's group (moving, bar,
fixed, smart; facilities/data/equipment_types.csv). Each item carries the severity of the work order
opened when it fails.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language

from quanmin.facilities import equipment_types

DATA = Path(__file__).parent / "data" / "checklists.csv"
ALL = "all"
# Most severe first: a defect takes the severity of its worst failed item.
SEVERITY_ORDER = ["urgent", "high", "normal", "low"]


@dataclass(frozen=True)
class Item:
    group: str
    code: str
    name_zh: str
    name_en: str
    severity: str

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "zh-hans").startswith("en") else self.name_zh


def _load() -> dict[str, list[Item]]:
    groups: dict[str, list[Item]] = {}
    with DATA.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["severity"] not in SEVERITY_ORDER:
                raise ValueError(f"checklists.csv: unknown severity {row['severity']!r} for {row['code']}")
            groups.setdefault(row["group"], []).append(
                Item(row["group"], row["code"], row["name_zh"], row["name_en"], row["severity"]))
    codes = [i.code for items in groups.values() for i in items]
    if len(codes) != len(set(codes)):
        raise ValueError("checklists.csv: item codes must be unique")
    return groups


GROUPS = _load()
ITEMS = {i.code: i for items in GROUPS.values() for i in items}


def group_of(kind: str) -> str:
    info = equipment_types.TYPES.get(kind)
    return info.group if info else "fixed"


def for_kind(kind: str) -> list[Item]:
    """The checklist for an equipment type (unknown types get the general items and the fixed ones)."""
    return [*GROUPS.get(ALL, []), *GROUPS.get(group_of(kind), [])]


def codes_for_kind(kind: str) -> set[str]:
    return {i.code for i in for_kind(kind)}


def worst_severity(item_codes) -> str | None:
    """The most severe severity among these items; None for no items."""
    severities = {ITEMS[c].severity for c in item_codes if c in ITEMS}
    for severity in SEVERITY_ORDER:
        if severity in severities:
            return severity
    return None


def by_kind() -> dict[str, list[dict]]:
    """Every equipment type's checklist, for the API and the phone page."""
    return {code: [{"code": i.code, "label": i.label, "severity": i.severity} for i in for_kind(code)]
            for code in equipment_types.TYPES}
