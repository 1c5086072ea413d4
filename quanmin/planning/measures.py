"""Target units and their conversions: a plan writes 万分之三十七 (per 10,000) where another writes
每千人3人 (per 1,000); each target keeps its plan's unit, and values are converted to compare.

Pure functions over the unit keys of the indicator registry (quanmin.core.indicators.UNITS).
"""

from decimal import Decimal

# Units that measure the same thing at another scale: unit -> (family, factor to the family's base).
_SCALES = {
    "per_1000_residents": ("per_resident", Decimal(1000)),
    "per_10000_residents": ("per_resident", Decimal(10000)),
}


def compatible(unit: str, other: str) -> bool:
    """Whether a value in `unit` can be compared with one in `other`."""
    if unit == other:
        return True
    return unit in _SCALES and other in _SCALES and _SCALES[unit][0] == _SCALES[other][0]


def convert(value: Decimal | None, unit: str, to: str) -> Decimal | None:
    """`value` in `unit` expressed in `to` (37 per 10,000 is 3.7 per 1,000); ValueError if they
    measure different things."""
    if value is None or unit == to:
        return value
    if not compatible(unit, to):
        raise ValueError(f"cannot convert {unit} to {to}")
    return Decimal(value) * _SCALES[to][1] / _SCALES[unit][1]
