"""The units a task table names (牵头单位, 责任单位, 配合单位…), as offices write them.

A cell lists units separated by 、，, ； or new lines; a separator inside brackets does not split
(各县〔市、区〕政府 is one unit), and a trailing 等部门 / 等单位 ("and other departments") is dropped
from the last name. Pure functions: the loader, the Excel import and the tests share them.
"""

import re
import unicodedata

SEPARATORS = "、，,；;\n\r"
OPENING = "（(〔[【"
CLOSING = "）)〕]】"
_TAIL = re.compile(r"等(相关)?(部门|单位)$")


def split(text: str) -> list[str]:
    """The unit names in a cell, in order, each once; spaces trimmed, empty names dropped."""
    names, current, depth = [], [], 0
    for char in text or "":
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(0, depth - 1)
        if char in SEPARATORS and depth == 0:
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    found = []
    for name in names:
        name = _TAIL.sub("", name.strip().strip("。.")).strip()
        if name and name not in found:
            found.append(name)
    return found


def is_division_group(name: str) -> bool:
    """A name that stands for the governments of many divisions (各乡镇（街道）, 各街道办事处,
    相关街道办事处, 各县〔市、区〕政府) rather than one department."""
    name = unicodedata.normalize("NFKC", name)
    return name.startswith(("各", "相关")) and any(word in name for word in ("县", "乡", "镇", "街道", "区", "市"))
