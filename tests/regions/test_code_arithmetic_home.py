"""Division-code arithmetic lives in quanmin/regions/codes.py and nowhere else (DESIGN.md rule 4).

The scoping in accounts is the security boundary and rests on the codes' prefix rule; a copy of
that rule written again somewhere (a subtree bound, an ancestor walk, a prefix cut) can drift
from the one in codes.py. This test reads every Python file under quanmin/ (migrations and
codes.py itself left out) and bench/ and fails on any line that does such arithmetic by hand.

What counts, each pattern with an example it catches:

- padding a prefix to 12 digits, or with zeros / nines: ``prefix.ljust(12, "9")``,
  ``code[:6].ljust(12, "0")``, ``cc + "000000"``, ``"0" * 6``;
- cutting a code at a level's length, or reading a level's segment: ``region_id[:6]``,
  ``code[:9]``, ``home[:4]``, ``code[4:]`` (on a name that says it holds a code: code, region,
  prefix, home);
- reading the level from trailing zeros: ``code.rstrip("0")``;
- the table of levels and lengths written again: ``{"county": 6, ...}``, ``(2, 4, 6, 9, 12)``,
  ``10 ** (12 - digits)``;
- a level told from a code's length: ``len(prefix) <= 4``, ``len(code) != 12``;
- a subtree test by hand: ``site.region_id.startswith(...)``, ``region.code.startswith(...)``.

What does not count: slicing unrelated strings (``data[:4] == b"PK..."``, ``labels[:4]``),
slicing a code by the length of a prefix codes.py gave (``key[:n]`` to find a child's entry in
a dict keyed by the children's prefixes), and SQL's ``Substr(region_id, 1, n)`` with n from
``codes.PREFIX_LENGTH``.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "quanmin" / "regions" / "codes.py"

CODE_NAME = r"(?:\w*(?:code|region|prefix)\w*|home)"
PATTERNS = {
    "pads a prefix with zeros or nines": re.compile(r"""\.(?:ljust|rjust)\(\s*12\b|\.(?:ljust|rjust)\([^)]*["'][09]["']\s*\)"""),
    "appends a run of zeros": re.compile(r"""\+\s*["']0{2,}["']|["']0["']\s*\*"""),
    "zero-fills": re.compile(r"\.zfill\("),
    "cuts a code at a level's length": re.compile(CODE_NAME + r"""\s*\[\s*:\s*(?:2|4|6|9|12)\s*\]"""),
    "reads a level's segment": re.compile(CODE_NAME + r"""\s*\[\s*(?:2|4|6|9)\s*:"""),
    "reads the level from trailing zeros": re.compile(r"""\.[lr]?strip\(\s*["']0+["']\s*\)"""),
    "writes the levels' lengths again": re.compile(
        r"""["'](?:province|city|county|township|community)["']\s*:\s*(?:2|4|6|9|12)\b"""
        r"""|\(\s*(?:2,\s*)?4,\s*6,\s*9,\s*12\s*\)|\(\s*12,\s*9,\s*6,\s*4"""),
    "compares a code's length with a level's": re.compile(
        CODE_NAME + r"""\)\s*(?:[<>]=?|==|!=)\s*(?:2|4|6|9|12)\b"""),
    "computes a level's power of ten": re.compile(r"10\s*\*\*\s*\(\s*(?:12|REGION_CODE_DIGITS)\b"),
    "tests a subtree by hand": re.compile(r"(?:region_id|region_code|\.code)\s*\.startswith\("),
}


def python_files():
    for folder in ("quanmin", "bench"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts or path == HOME:
                continue
            yield path


def offences(text: str) -> list[tuple[int, str, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0]  # a comment may well mention 3715 or a prefix
        for what, pattern in PATTERNS.items():
            if pattern.search(code):
                found.append((number, what, line.strip()))
    return found


def test_no_code_arithmetic_outside_regions_codes():
    report = [f"{path.relative_to(ROOT)}:{number}: {what}: {line}"
              for path in python_files() for number, what, line in offences(path.read_text(encoding="utf-8"))]
    assert not report, "division-code arithmetic belongs in quanmin/regions/codes.py:\n" + "\n".join(report)


def test_the_walk_covers_the_tree():
    paths = {p.relative_to(ROOT).as_posix() for p in python_files()}
    assert "quanmin/accounts/scoping.py" in paths and "bench/facilities.py" in paths
    assert not any("/migrations/" in p for p in paths) and "quanmin/regions/codes.py" not in paths


def test_each_pattern_catches_what_it_is_for_and_not_unrelated_slicing():
    caught = [
        'return prefix.ljust(12, "0"), prefix.ljust(12, "9")',
        "candidates = {region_code[:n].ljust(12, \"0\") for n in (2, 4, 6, 9, 12)}",
        'handler_region_id=region[:6] + "000000"',
        'regs.append(Region(code=tc + "000"))',
        "county = f.region_id[:6]",
        "table.get(code[:4])",
        "by_town[code[:9]].append(point)",
        "if code[4:].strip('0'):",
        'rows = [d for d in divisions if len(d["region_code"].rstrip("0")) > 6]',
        'length = {"county": 6, "township": 9, "community": 12}',
        "for length in (12, 9, 6, 4, 2):",
        "unit = 10 ** (REGION_CODE_DIGITS - digits)",
        "if not site.region_id.startswith(region.prefix):",
        "applies = region.code.startswith(prefix)",
        "value = str(n).zfill(12)",
        "return _sqlite() and len(prefix) <= 4 and not covered",
        "if len(code) != 12 or not code.isdigit():",
    ]
    for line in caught:
        assert offences(line), line
    unrelated = [
        'if data[:4] == b"PK\\x03\\x04":',
        '"types": labels[:4],',
        "return datetime.time(int(hhmm[:2]), int(hhmm[3:]))",
        "for c in recent[:6]:",
        'text = f"{text[:4]}-{text[4:6]}-{text[6:]}"',
        "return base.rstrip('/') + path",
        "if code.startswith('image') else 'kind'",
        "child = children.get(key[:n])",
        "# the bound was prefix.ljust(12, '9') before codes.subtree_range",
    ]
    for line in unrelated:
        assert not offences(line), line
