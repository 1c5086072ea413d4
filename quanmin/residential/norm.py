"""The residential-area facility norm (G11) and its check, read from data/norm.toml (facts carry
their source: the thresholds sit beside the seed's words they come from).

A new residential area meets the norm when it provides at least 0.1 m² of indoor sports building
area per planned resident, **or** at least 0.3 m² of outdoor sports land per resident: either
alternative is enough. The check is exact (Decimal arithmetic, no division): 0.1 m² × residents is
what the indoor side needs, and a project exactly at it meets the norm.
"""

import datetime
import functools
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "norm.toml"
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Norm:
    indoor_per_resident: Decimal
    outdoor_per_resident: Decimal
    indoor_quote: str
    outdoor_quote: str
    seed: str
    new_since: datetime.date


@functools.cache
def norm() -> Norm:
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return Norm(Decimal(data["indoor_per_resident"]), Decimal(data["outdoor_per_resident"]), data["indoor_quote"],
                data["outdoor_quote"], data["seed"], data["new_since"])


@dataclass(frozen=True)
class Check:
    """A project against the norm: what each alternative needs, and how far it falls short."""

    residents: int
    indoor: Decimal
    outdoor: Decimal
    indoor_needed: Decimal
    outdoor_needed: Decimal

    @property
    def indoor_short(self) -> Decimal:
        return max(Decimal(0), self.indoor_needed - self.indoor).quantize(CENT)

    @property
    def outdoor_short(self) -> Decimal:
        return max(Decimal(0), self.outdoor_needed - self.outdoor).quantize(CENT)

    @property
    def indoor_met(self) -> bool:
        return self.indoor >= self.indoor_needed

    @property
    def outdoor_met(self) -> bool:
        return self.outdoor >= self.outdoor_needed

    @property
    def compliant(self) -> bool:
        return self.indoor_met or self.outdoor_met

    @property
    def indoor_per_resident(self) -> Decimal:
        return (self.indoor / self.residents).quantize(Decimal("0.001"))

    @property
    def outdoor_per_resident(self) -> Decimal:
        return (self.outdoor / self.residents).quantize(Decimal("0.001"))


def check(residents: int, indoor: Decimal, outdoor: Decimal) -> Check:
    """The norm's check of a project of `residents` planned residents (at least one: a project of
    no residents has no per-resident figure, and the services refuse it before asking)."""
    if residents < 1:
        raise ValueError("a residential project has at least one planned resident")
    rule = norm()
    return Check(residents, Decimal(indoor), Decimal(outdoor), rule.indoor_per_resident * residents,
                 rule.outdoor_per_resident * residents)
