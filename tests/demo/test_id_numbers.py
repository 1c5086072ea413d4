"""Demo people's ID numbers: a fixed demo person never meets a generated one's number (a fresh
`make run` once stopped at "This ID number is already registered": the games' athletes, drawn at
random, had taken the number of a resident to try, who comes later)."""

from quanmin.accounts import services
from quanmin.demo.accounts import free_id_number, make_id_number
from tests.conftest import region


def test_a_taken_number_moves_the_sequence_on(db):
    home = region("371502001001", "东关社区", "community")
    taken = make_id_number(home.code, "19550418", 300, False)
    services.create_user(phone="13700000301", password=None, real_name="甲", id_number=taken)
    services.create_user(phone="13700000302", password=None, real_name="乙",
                         id_number=make_id_number(home.code, "19550418", 301, False))
    assert free_id_number(home.code, "19550418", 300, False) == make_id_number(home.code, "19550418", 302, False)
    # a number nobody holds is kept, and the sex stays in the sequence's parity
    assert free_id_number(home.code, "19550418", 300, True) == make_id_number(home.code, "19550418", 300, True)
