"""Device exports and school data systems: their Chinese column headers, sexes and grades.

Test devices and the student data system write 身高, 50米跑（秒）, 男/女, 初一 or 年级编号 21; these
functions turn them into the keys and codes the scoring engine takes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .errors import ScoringError
from .tables import MEASUREMENT_KEYS

HEADER_ALIASES = {
    "身高": "height_cm", "体重": "weight_kg", "肺活量": "vital_capacity_ml", "50米跑": "sprint_50m_s",
    "50米": "sprint_50m_s", "五十米跑": "sprint_50m_s", "坐位体前屈": "sit_and_reach_cm",
    "一分钟跳绳": "rope_skipping_1min", "1分钟跳绳": "rope_skipping_1min", "跳绳": "rope_skipping_1min",
    "一分钟仰卧起坐": "situps_1min", "1分钟仰卧起坐": "situps_1min", "仰卧起坐": "situps_1min",
    "50米×8往返跑": "shuttle_50x8_s", "50米x8往返跑": "shuttle_50x8_s", "50米*8往返跑": "shuttle_50x8_s",
    "50×8往返跑": "shuttle_50x8_s", "立定跳远": "standing_long_jump_cm", "引体向上": "pullups",
    "1000米跑": "run_1000m_s", "1000米": "run_1000m_s", "800米跑": "run_800m_s", "800米": "run_800m_s",
    "握力": "grip_kg", "俯卧撑": "pushups", "纵跳": "vertical_jump_cm", "台阶试验": "step_index",
    "台阶指数": "step_index", "选择反应时": "reaction_time_s", "闭眼单脚站立": "one_leg_stand_eyes_closed_s",
    "10米折返跑": "shuttle_10m_s", "网球掷远": "tennis_ball_throw_m", "双脚连续跳": "double_leg_jump_s",
    "走平衡木": "balance_beam_s", "性别": "sex", "年级": "grade", "年级编号": "grade", "年龄": "age",
}
_FULLWIDTH = str.maketrans("０１２３４５６７８９ＸｘＭ＊", "0123456789xxm*")


def canonical_key(header: str) -> str | None:
    """Canonical key for a column header such as ``"50米跑（单位：秒）"`` or ``"sprint_50m_s"``; None if unknown."""
    text = str(header).strip().translate(_FULLWIDTH)
    text = re.sub(r"[（(].*?[)）]", "", text).replace(" ", "")
    if text.lower() in MEASUREMENT_KEYS or text.lower() in ("sex", "grade", "age"):
        return text.lower()
    return HEADER_ALIASES.get(text)


def map_headers(headers: Iterable[str]) -> dict[str, str]:
    """``{original header: canonical key}`` for the headers this engine understands."""
    return {h: k for h in headers if (k := canonical_key(h)) is not None}


def parse_sex(value: Any) -> str:
    """``"male"``/``"female"`` from 男/女, M/F, 1/2 (the student data system's 性别 code) or the canonical word."""
    text = str(value).strip().lower()
    sex = {"男": "male", "女": "female", "m": "male", "f": "female", "1": "male", "2": "female",
           "male": "male", "female": "female"}.get(text)
    if sex is None:
        raise ScoringError("sex", "invalid_sex", f"Unknown sex {value!r}.")
    return sex


_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_STAGE = {"小学": "primary", "初中": "junior", "初": "junior", "高中": "senior", "高": "senior", "大学": "university",
          "大": "university"}
_CODE_STAGE = {"1": "primary", "2": "junior", "3": "senior", "4": "university"}


def parse_grade(value: Any) -> str:
    """Canonical grade from 一年级…六年级, 七/八/九年级, 初一, 高二, 大三, 初中一年级, the student data
    system's 年级编号 (11-16, 21-23, 31-33, 41-44) or the canonical form itself."""
    text = str(value).strip().replace(" ", "")
    if re.fullmatch(r"(primary-[1-6]|junior-[1-3]|senior-[1-3]|university-[1-4])", text):
        return text
    grade = None
    if re.fullmatch(r"[1-4][1-6]", text):
        grade = f"{_CODE_STAGE[text[0]]}-{text[1]}"
    elif m := re.fullmatch(r"(小学|初中|高中|大学|初|高|大)?([一二三四五六七八九])(?:年级)?", text):
        stage, num = m.group(1), _CN_NUM[m.group(2)]
        if stage is None:
            grade = f"primary-{num}" if num <= 6 else f"junior-{num - 6}"
        else:
            grade = f"{_STAGE[stage]}-{num}"
    if grade is None or not re.fullmatch(r"(primary-[1-6]|junior-[1-3]|senior-[1-3]|university-[1-4])", grade):
        raise ScoringError("grade", "invalid_grade", f"Unknown grade {value!r}.")
    return grade
