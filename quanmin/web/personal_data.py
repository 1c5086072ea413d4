"""A person's own data across the apps: the export (PIPL art. 45) and the erasure (art. 47).

accounts keeps the account and does the export and the erasure; each domain app that holds
personal data of its own has an export_person / erase_person. This module sits above them all
and names each one, so nothing registers itself at start-up: an app that comes to hold personal
data adds its call here.
"""

from quanmin.accounts import services as accounts
from quanmin.physique import services as physique


def export_own_data(user, request=None) -> dict:
    return accounts.export_own_data(user, request=request, parts={"physique": physique.export_person(user)})


def delete_own_data(user, request=None) -> None:
    accounts.delete_own_data(user, request=request, erase_parts=[physique.erase_person])
