import datetime

import pytest

from quanmin.accounts import idnumber
from quanmin.accounts.crypto import mask_id_number, mask_phone
from quanmin.demo.accounts import make_id_number

# A published GB 11643 example: 11010519491231002X (check character X).
VALID = "11010519491231002X"


def test_valid_number_gives_birth_date_and_sex():
    parsed = idnumber.parse(VALID)
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.sex == "female"  # 17th digit 2 is even


def test_lower_case_x_and_spaces_accepted():
    assert idnumber.parse(" 11010519491231002x ").value == VALID


@pytest.mark.parametrize("wrong", ["110105194912310021", "110105194912310020", "11010519491231002"])
def test_wrong_check_digit_or_shape_rejected(wrong):
    with pytest.raises(idnumber.InvalidIdNumber) as exc:
        idnumber.parse(wrong)
    assert exc.value.code in {"id_number_check", "id_number_format"}


@pytest.mark.parametrize("first17", ["37150219990230001", "37150219991301001", "37150221990101001"])
def test_impossible_dates_rejected(first17):
    number = first17 + idnumber.check_character(first17)
    with pytest.raises(idnumber.InvalidIdNumber) as exc:
        idnumber.parse(number, today=datetime.date(2026, 11, 23))
    assert exc.value.code == "id_number_date"


def test_born_today_in_the_city_is_possible_while_utc_is_still_yesterday(monkeypatch):
    from django.utils import timezone

    # 02:00 on 1 January 2030 in Liaocheng is 18:00 on 31 December 2029 in UTC (the server's clock).
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2029, 12, 31, 18, 0, tzinfo=datetime.UTC))
    number = make_id_number("371502001001", "20300101", 1, True)
    assert idnumber.parse(number).birth_date == datetime.date(2030, 1, 1)
    with pytest.raises(idnumber.InvalidIdNumber):
        idnumber.parse(make_id_number("371502001001", "20300102", 1, True))


def test_check_character_round_trip_for_generated_numbers():
    for seq in range(50):
        number = make_id_number("371502001001", "20120229", seq, seq % 2 == 0)
        parsed = idnumber.parse(number)
        assert parsed.sex == ("male" if seq % 2 == 0 else "female")


def test_age_counts_birthdays():
    born = datetime.date(2012, 11, 24)
    assert idnumber.age_on(born, datetime.date(2026, 11, 23)) == 13
    assert idnumber.age_on(born, datetime.date(2026, 11, 24)) == 14


def test_masks():
    assert mask_id_number("371502198001010011") == "3715**********0011"
    assert mask_phone("13812345678") == "138****5678"
