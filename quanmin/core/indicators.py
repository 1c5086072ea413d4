"""The indicator registry: the named figures that plan targets are bound to.

An app that owns the data declares its indicators in its own ``indicators.py``::

    @indicator("grounds", unit="count", levels=("city", "county", "township", "community"),
               label=_("Sports grounds"), description=_("Grounds of existing sites in the division."))
    def grounds(codes: list[str], as_of: date) -> dict[str, Decimal | None]:
        ...

The function takes 12-digit division codes (any mix of levels, nested or not) and answers a value
for each, computed over the division's whole subtree, in a number of queries that does not grow
with the number of codes (a city's whole tree in a few queries). None means "no figure": nothing
to divide by, no data, or a code that names no division. `as_of` is the date the value stands
for; each app's module says how far its data can honour it, and one that cannot at all (the
register as it stands now) is declared ``dated=False``.

Every installed app's ``indicators`` module is imported once, the first time the registry is read
(`registry()`), as Django's admin finds ``admin`` modules: nothing is registered from a signal or
an AppConfig hook. This module is layer 0 and imports nothing from the project: division-code
arithmetic is the callers' (``quanmin.regions.codes``).
"""

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .errors import NotFound

LEVELS = ("city", "county", "township", "community")

# What a value measures; the label is what a person reads beside the number.
UNITS = {
    "count": pgettext_lazy("indicator unit", "number"),
    "m2_per_resident": pgettext_lazy("indicator unit", "m² per resident"),
    "km_per_10000_residents": pgettext_lazy("indicator unit", "km per 10,000 residents"),
    "percent": pgettext_lazy("indicator unit", "%"),
    "tests_per_year": pgettext_lazy("indicator unit", "tests a year"),
    "per_1000_residents": pgettext_lazy("indicator unit", "per 1,000 residents"),
    "per_10000_residents": pgettext_lazy("indicator unit", "per 10,000 residents"),
    "hours": pgettext_lazy("indicator unit", "hours"),
    "yuan": pgettext_lazy("indicator unit", "yuan"),
    "ratio": pgettext_lazy("indicator unit", "times"),
}

Compute = Callable[[list[str], date], dict[str, Decimal | None]]


class IndicatorError(ValueError):
    """A programming error in a declaration: a key used twice, an unknown unit or level."""


@dataclass(frozen=True)
class Indicator:
    key: str
    unit: str
    levels: tuple[str, ...]
    label: str  # translatable (lazy): what a person reads instead of the key
    description: str  # translatable (lazy): what is counted, in a sentence or two
    function: Compute
    dated: bool = True  # False: the register as it stands now, whatever `as_of` says (no backfill)

    @property
    def unit_label(self) -> str:
        return UNITS[self.unit]

    def compute(self, codes: Iterable[str], as_of: date) -> dict[str, Decimal | None]:
        """{code: value} for every code asked for, in the order asked, each once."""
        wanted = list(dict.fromkeys(codes))
        if not wanted:
            return {}
        found = self.function(wanted, as_of)
        return {code: found.get(code) for code in wanted}


class Registry:
    """Indicators by key. The project has one (below); tests make their own."""

    def __init__(self, discover: Callable[[], object] | None = None):
        self._indicators: dict[str, Indicator] = {}
        self._discover = discover
        self._discovered = discover is None

    def indicator(self, key: str, *, unit: str, levels: Iterable[str], label, description="", dated: bool = True):
        """Register the decorated function under `key`; the function itself is returned unchanged.
        `dated=False` says the function ignores `as_of` (its register keeps no history): its value
        is today's whatever the date, so a snapshot backfills no past date with it."""
        levels = tuple(levels)
        if unit not in UNITS:
            raise IndicatorError(f"indicator {key!r}: unknown unit {unit!r} (one of {', '.join(UNITS)})")
        if not levels or any(level not in LEVELS for level in levels):
            raise IndicatorError(f"indicator {key!r}: levels must be some of {', '.join(LEVELS)}, not {levels!r}")

        def register(function: Compute) -> Compute:
            if key in self._indicators:
                first = self._indicators[key].function
                raise IndicatorError(f"indicator {key!r} is declared twice: by {first.__module__}.{first.__qualname__}"
                                     f" and by {function.__module__}.{function.__qualname__}")
            self._indicators[key] = Indicator(key, unit, levels, label, description, function, dated)
            return function

        return register

    def all(self) -> dict[str, Indicator]:
        """Every indicator by key, sorted by key; the apps' modules are imported the first time."""
        if not self._discovered:
            self._discovered = True
            self._discover()
        return dict(sorted(self._indicators.items()))

    def get(self, key: str) -> Indicator:
        found = self.all().get(key)
        if found is None:
            raise NotFound("indicator_unknown", _("There is no indicator of that name."), "key")
        return found

    def compute(self, key: str, codes: Iterable[str], as_of: date) -> dict[str, Decimal | None]:
        return self.get(key).compute(codes, as_of)

    def compute_many(self, keys: Iterable[str], codes: Iterable[str], as_of: date) -> dict[str, dict]:
        """{key: {code: value}}: each indicator computes all the codes at once, in one batch (below)."""
        codes = list(codes)
        with batch():
            return {key: self.compute(key, codes, as_of) for key in dict.fromkeys(keys)}


# Indicators computed together often read the same rows (an app's figures for a tree, from which
# each indicator takes one number). Within a batch, memo() keeps what it builds under a key, so
# they read them once; outside one, it builds every time. A batch is one computation at one
# moment: nothing is kept past it, so no stale figure can be served later.
_BATCH: ContextVar[dict | None] = ContextVar("indicator_batch", default=None)


@contextmanager
def batch():
    """Share memo()'s builds until the block ends (nested blocks join the outer one)."""
    if _BATCH.get() is not None:
        yield
        return
    token = _BATCH.set({})
    try:
        yield
    finally:
        _BATCH.reset(token)


def memo(key, build: Callable[[], object]):
    """build(), once per key within a batch()."""
    found = _BATCH.get()
    if found is None:
        return build()
    if key not in found:
        found[key] = build()
    return found[key]


def _discover() -> None:
    autodiscover_modules("indicators")


_REGISTRY = Registry(_discover)
indicator = _REGISTRY.indicator
registry = _REGISTRY.all
get = _REGISTRY.get
compute = _REGISTRY.compute
compute_many = _REGISTRY.compute_many


def percent(part: int, whole: int, places: int = 1) -> Decimal | None:
    """part ÷ whole in per cent, rounded half-even to `places` decimals; None when whole is 0."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal(1).scaleb(-places))


def share_meeting(every: dict[str, list], meets: Callable[[object], bool]) -> dict[str, Decimal | None]:
    """{code: the share (%) of its rows that `meets`} of a roll-up ({code: the divisions or rows of its
    subtree}); None where it holds none."""
    return {code: percent(sum(bool(meets(row)) for row in mine), len(mine)) for code, mine in every.items()}


def decimal(value: float | int | None, places: int | None = None) -> Decimal | None:
    """A figure as a Decimal: its shortest decimal spelling (0.1 stays 0.1, not
    0.1000000000000000055511151231257827), rounded half-even to `places` decimals if given."""
    if value is None:
        return None
    found = Decimal(str(value))
    return found if places is None else found.quantize(Decimal(1).scaleb(-places))


def year_ending(as_of: date) -> tuple[date, date]:
    """The 365 days ending on `as_of`, both included: the window of the rates counted over a
    year, so that a value on any date is a whole year's and not a year-to-date's."""
    return as_of - timedelta(days=364), as_of


def local_span(first: date, last: date) -> tuple[datetime, datetime]:
    """[first 00:00, the day after last 00:00) in the current time zone, for datetime columns."""
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(first, time.min), tz),
            timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz))
