"""Facts one app keeps about another app's objects, read without importing the keeper.

The indicator registry (core/indicators.py) answers a figure per division. Some figures are per
object of another app: how many games an organisation held (the events app keeps that), how many
active instructors it has (people keeps that). The organisation's vitality index needs them, but
organisations may not import events or people (the allowed edge is events → organizations). So
the keeper declares the fact here, in its own ``facts.py``, keyed by the subject's model label::

    # quanmin/events/facts.py
    @fact("organizations.Organization", "events", label=_("Games and events organised"))
    def events_organised(ids: Iterable[int], first: date, last: date) -> dict[int, float]:
        ...

and the reader asks by key: ``facts.compute("organizations.Organization", "events", ids, first, last)``.
A fact takes the subjects' primary keys (a list, or a values queryset of them, which the database
then reads as a subquery) and a closed window of days, answers {pk: number} for the subjects that
have any (missing means 0), in a number of queries that does not grow with the ids.
A subset (`@subset`) answers instead a lazy queryset of the subject's primary keys that have a
property (the accounts of active instructors): the reader filters its own rows by it, and the
database joins the two tables in one query, however many rows there are.
Modules are discovered the first time the registry is read, as indicators are (no signal, no
AppConfig hook); a key nobody declares reads as zeros, so the reader works with the keeper absent.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils.module_loading import autodiscover_modules

Compute = Callable[[Iterable[int], date, date], dict[int, float]]


@dataclass(frozen=True)
class Fact:
    subject: str  # "app_label.Model" of the objects the fact is about
    key: str
    label: str  # translatable (lazy)
    function: Compute


_FACTS: dict[tuple[str, str], Fact] = {}
_discovered = False


def fact(subject: str, key: str, *, label):
    """Declare the decorated function as fact `key` about `subject`'s objects."""

    def register(function: Compute) -> Compute:
        if (subject, key) in _FACTS:
            raise ValueError(f"fact {subject}/{key} is declared twice")
        _FACTS[(subject, key)] = Fact(subject, key, label, function)
        return function

    return register


_SUBSETS: dict[tuple[str, str], Callable] = {}


def subset(subject: str, key: str):
    """Declare the decorated function (no arguments → a values queryset of subject pks) as subset `key`."""

    def register(function):
        if (subject, key) in _SUBSETS:
            raise ValueError(f"subset {subject}/{key} is declared twice")
        _SUBSETS[(subject, key)] = function
        return function

    return register


def subset_of(subject: str, key: str):
    """The declared subset's queryset of primary keys, or None when nobody keeps it."""
    about(subject)
    found = _SUBSETS.get((subject, key))
    return None if found is None else found()


def about(subject: str) -> dict[str, Fact]:
    """Every fact declared about `subject`'s objects, by key; the apps' modules are read the first time."""
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("facts")
    return {key: found for (s, key), found in sorted(_FACTS.items()) if s == subject}


def compute(subject: str, key: str, ids: Iterable[int], first: date, last: date) -> dict[int, float]:
    """{pk: value} of fact `key` for the objects `ids` (a list, or a queryset of their pks) over the days
    first..last; {} when nobody keeps it."""
    found = about(subject).get(key)
    if found is None:
        return {}
    return found.function(ids if isinstance(ids, QuerySet) else list(ids), first, last)
