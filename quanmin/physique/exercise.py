"""The National Physical Exercise Standard (国家体育锻炼标准) as data: its editions, grade levels and
certificate levels, read from ``standards/exercise/<edition>.json`` (see the README there: where
each fact comes from, and that the scoring tables are not held).

Quanmin does not score this standard. The testing station grades each person with the standard's
official scoring (its certified equipment or software) and staff record the grade it gives;
:func:`grade_for` is the one place that decides a grade, and it takes the grade as entered. When
an edition's data file gains a ``scoring`` object, this function is where it is used (and nothing
else changes: services, imports, indicators and certificates all ask it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .errors import PhysiqueError

EDITIONS_DIR = Path(__file__).with_name("standards") / "exercise"
DEFAULT_EDITION = "exercise-2013"
LEVELS = ("fail", "pass", "good", "excellent")
# Page labels (the data file's own words are used in files and on certificates).
LEVEL_LABELS = {"fail": _("Not reached"), "pass": _("Reached (pass)"), "good": _("Good"), "excellent": _("Excellent")}


@dataclass(frozen=True)
class Level:
    code: str
    zh: str
    en: str
    passed: bool
    rank: int


@dataclass(frozen=True)
class Edition:
    name: str
    title: str
    title_en: str
    levels: dict[str, Level]
    aliases: dict[str, str]
    certificate_levels: frozenset[str]
    certificate_title: str
    scoring: dict | None
    source: dict

    @property
    def label(self) -> str:
        return self.title_en if (get_language() or "").startswith("en") else self.title


def editions() -> list[str]:
    return sorted(p.stem for p in EDITIONS_DIR.glob("*.json"))


@cache
def _load(name: str) -> Edition:
    with (EDITIONS_DIR / f"{name}.json").open(encoding="utf-8") as fh:
        data = json.load(fh)
    levels = {row["code"]: Level(row["code"], row["zh"], row["en"], bool(row["passed"]), int(row["rank"]))
              for row in data["levels"]}
    if set(levels) != set(LEVELS):
        raise ValueError(f"{name}: levels must be {LEVELS}")
    aliases = {k.strip().lower(): v for k, v in data.get("level_aliases", {}).items()}
    for level in levels.values():
        aliases.update({level.code: level.code, level.zh.lower(): level.code, level.en.lower(): level.code})
    return Edition(data["name"], data["title"], data["title_en"], levels, aliases,
                   frozenset(data["certificate_levels"]), data["certificate_title"], data.get("scoring"),
                   data.get("source", {}))


def edition(name: str | None = None) -> Edition:
    name = name or DEFAULT_EDITION
    if name not in editions():
        raise PhysiqueError("unknown_edition", _("Unknown edition of the exercise standard."), "edition", status=422)
    return _load(name)


def parse_level(ed: Edition, raw) -> str:
    """A level code from what staff typed or a file holds: the code, the Chinese or English word or a
    common alias (合格, 及格, 不合格 …)."""
    text = str(raw if raw is not None else "").strip()
    code = ed.aliases.get(text.lower()) or ed.aliases.get(text.replace("(", "（").replace(")", "）").lower())
    if code is None:
        raise PhysiqueError("level_invalid", _("Write the grade as 不达标, 达标, 良好 or 优秀."), "level", status=422)
    return code


def grade_for(ed: Edition, *, level, items: dict | None = None) -> str:
    """The grade of one test. While the edition holds no scoring tables (``scoring`` is null) this is
    the grade the testing station gave, as entered; item results are kept as entered and never
    scored here."""
    if ed.scoring is not None:  # pragma: no cover - no edition holds scoring yet
        raise NotImplementedError("score the items with the edition's tables here")
    if level in (None, ""):
        raise PhysiqueError("level_required", _("Enter the grade the testing station gave."), "level", status=422)
    return parse_level(ed, level)


def passed(level: str) -> bool:
    return level in ("pass", "good", "excellent")


def certified(ed: Edition, level: str) -> bool:
    return level in ed.certificate_levels
