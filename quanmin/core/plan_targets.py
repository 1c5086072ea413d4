"""The plans' targets as their documents state them: one data file per plan (data/plans/*.toml,
written from the seed documents; see data/plans/README.md for sources and checks).

Two layers read these files: `planning` (layer 5) loads them into its register, where staff keep
them live and edit them; and the domain apps' figures pages (facilities, physique, people: layer 4)
show a division's targets beside its figures. The files sit here, in layer 0, so that the domain
apps read the plans' targets without importing planning (which would break the layers); nothing
here does division-code arithmetic: callers pass the codes they want (regions.codes.upward).
"""

import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data" / "plans"


@dataclass(frozen=True)
class DocumentTarget:
    plan_key: str
    plan_title: str
    issuer: str
    issued_on: date | None
    division_code: str
    starts_on: date
    key: str
    name: str
    indicator: str
    comparator: str
    value: Decimal | None
    unit: str
    year: int
    kind: str
    quote: str

    @property
    def plan_label(self) -> str:
        when = f"，{self.issued_on.isoformat()}" if self.issued_on else ""
        return f"{self.plan_title}（{self.issuer}{when}）" if self.issuer else self.plan_title


def files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.toml"))


@lru_cache(maxsize=1)
def _all() -> tuple[DocumentTarget, ...]:
    found = []
    for path in files():
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
        plan = data["plan"]
        for t in data.get("targets", []):
            found.append(DocumentTarget(
                plan["key"], plan["title"], plan.get("issuer", ""), plan.get("issued_on"), plan["division_code"],
                plan["starts_on"], t["key"], t["name"], t.get("indicator", ""), t["comparator"],
                Decimal(t["value"]) if t.get("value") not in (None, "") else None, t.get("unit", "count"), t["year"],
                t["kind"], t["quote"]))
    return tuple(found)


def targets(indicators=None, division_codes=None) -> list[DocumentTarget]:
    """The documents' targets bound to one of `indicators` (all by default), of the plans whose
    division is one of `division_codes` (all by default), in file order."""
    wanted = set(indicators) if indicators is not None else None
    where = set(division_codes) if division_codes is not None else None
    return [t for t in _all() if (wanted is None or t.indicator in wanted)
            and (where is None or t.division_code in where)]
