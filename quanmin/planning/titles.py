"""The titles a county applies for (G16) and their criteria, read from data/titles.toml: the
seeds' words beside each, the criteria ours (see the file's note). Read once per process."""

import functools
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "titles.toml"


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    quote: str
    weight: Decimal
    indicator: str = ""
    comparator: str = ""
    value: Decimal | None = None


@dataclass(frozen=True)
class Title:
    key: str
    name: str
    seed: str
    quote: str
    target_quote: str
    indicator: str
    pass_score: Decimal
    criteria: tuple[Criterion, ...]


@functools.cache
def titles() -> dict[str, Title]:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    out = {}
    for t in data["titles"]:
        criteria = tuple(Criterion(c["key"], c["name"], c["quote"], Decimal(c["weight"]), c.get("indicator", ""),
                                   c.get("comparator", ""), Decimal(c["value"]) if "value" in c else None)
                         for c in t["criteria"])
        out[t["key"]] = Title(t["key"], t["name"], t["seed"], t["quote"], t["target_quote"], t["indicator"],
                              Decimal(t["pass_score"]), criteria)
    return out


def title_name(key: str) -> str:
    found = titles().get(key)
    return found.name if found else key


def met(comparator: str, value: Decimal | None, found: Decimal | None) -> bool | None:
    """Whether an indicator's value meets a criterion; None when there is no value or no rule."""
    if found is None or value is None or not comparator:
        return None
    return {">=": found >= value, ">": found > value, "=": found == value, "<=": found <= value,
            "<": found < value}.get(comparator)
