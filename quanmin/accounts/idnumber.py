"""Resident identity card numbers (居民身份证号码), GB 11643-1999.

18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence (odd for men, even for
women), and an ISO 7064 MOD 11-2 check character (0-9 or X).
"""

import datetime
import re
from dataclasses import dataclass
from operator import mul

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_CHECK = "10X98765432"
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(ValueError):
    def __init__(self, code: str, message):
        super().__init__(str(message))
        self.code = code
        self.message = message


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: datetime.date
    sex: str  # "male" | "female"


def check_character(first17: str) -> str:
    if len(first17) != len(_WEIGHTS):
        raise ValueError("the first 17 characters of an ID number")
    # map over builtins: an import checks one number a row, and the generator cost 3 s of 20,000 rows.
    return _CHECK[sum(map(mul, map(int, first17), _WEIGHTS)) % 11]


def parse(raw: str, today: datetime.date | None = None) -> IdNumber:
    value = (raw or "").strip().upper()
    if not _SHAPE.match(value):
        raise InvalidIdNumber("id_number_format", _("An ID number has 17 digits followed by a digit or X."))
    try:
        born = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise InvalidIdNumber("id_number_date", _("The birth date in this ID number does not exist.")) from None
    today = today or timezone.localdate()  # the city's date: UTC is a day behind before 08:00
    if born > today or born.year < 1900:
        raise InvalidIdNumber("id_number_date", _("The birth date in this ID number is impossible."))
    if check_character(value[:17]) != value[17]:
        raise InvalidIdNumber("id_number_check", _("The check digit of this ID number is wrong."))
    sex = "male" if int(value[16]) % 2 else "female"
    return IdNumber(value=value, birth_date=born, sex=sex)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
