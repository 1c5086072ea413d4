"""Issue 15, item 1: a masked ID number cannot be rebuilt from what lists and exports show beside it,
and list reads of personal data are audited.

The attack: the ID number is address code (6) + birth date (8) + sequence (3) + check character. A
list that shows the first 4 and last 4 beside the birth date and the home division code gives all 18.
Here the attacker takes everything a row shows and counts the ID numbers consistent with it; every
person must stay hidden among many."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from quanmin.accounts.idnumber import check_character
from quanmin.accounts.models import AuditEntry
from quanmin.regions.models import Region

MIN_CANDIDATES = 10


def _dates(row: dict) -> list[datetime.date]:
    """Birth dates consistent with the row: the shown date, or the year of dates an age allows."""
    born = row.get("birth_date")
    if born:
        return [born if isinstance(born, datetime.date) else datetime.date.fromisoformat(str(born)[:10])]
    today = datetime.date.today()
    age = row.get("age")
    if age is None:
        years = range(1900, today.year + 1)  # nothing shown: any date at all
        return [datetime.date(y, 1, 1) + datetime.timedelta(d) for y in years for d in range(365)]
    latest = today.replace(year=today.year - age)
    return [latest - datetime.timedelta(days=d) for d in range(366)]


def candidates(masked: str, row: dict, county_codes: list[str]) -> int:
    """How many valid ID numbers agree with the masked value and the fields shown beside it."""
    home = row.get("home_region_code") or ""
    name = row.get("home_region_name")
    if not home and name:  # a division's name is as good as its code to the attacker
        home = Region.objects.get(name=name).code
    counties = [home[:6]] if home else [c[:6] for c in county_codes]
    count = 0
    for county in counties:
        if not county.startswith(masked[:4]):
            continue
        for born in _dates(row):
            first17 = county + born.strftime("%Y%m%d") + masked[-4:-1]
            if check_character(first17) == masked[-1]:
                count += 1
    return count


def _counties():
    return list(Region.objects.filter(level="county").values_list("code", flat=True))


def test_api_list_cannot_rebuild_id_numbers(world, client_for):
    rows = client_for("supervisor").get("/api/v1/users?limit=500").json()["items"]
    assert rows
    for row in rows:
        assert "*" in row["id_number"]
        assert candidates(row["id_number"], row, _counties()) >= MIN_CANDIDATES, row
    one = client_for("supervisor").get(f"/api/v1/users/{rows[0]['id']}").json()
    assert candidates(one["id_number"], one, _counties()) >= MIN_CANDIDATES, one


def test_export_cannot_rebuild_id_numbers(world, client_for):
    r = client_for("county").get("/api/v1/users/export.xlsx", headers={"Accept-Language": "en"})
    sheet = list(load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True))
    headers, body = sheet[0], sheet[1:]
    assert body
    by_header = {"ID number": "id_number", "Birth date": "birth_date", "Division code": "home_region_code",
                 "Age": "age", "Home division": "home_region_name"}
    for values in body:
        row = {by_header.get(h, h): v for h, v in zip(headers, values, strict=True)}
        assert candidates(row["id_number"], row, _counties()) >= MIN_CANDIDATES, row


def test_admin_person_page_shows_no_birth_date_beside_masked_id(world, client_for):
    resident = world.users["resident"]
    html = client_for("city").get(reverse("admin:accounts_user_change", args=[resident.pk])).content.decode()
    assert resident.id_number_masked in html
    assert resident.birth_date.isoformat() not in html and "1980年1月1日" not in html and "Jan. 1, 1980" not in html


def test_list_reads_of_personal_data_are_audited(world, client_for):
    client = client_for("supervisor")
    rows = client.get("/api/v1/users?limit=3").json()["items"]
    entry = AuditEntry.objects.filter(action="list_personal").latest("at")
    assert entry.actor == world.users["supervisor"]
    assert entry.detail["what"] == "users" and sorted(entry.detail["ids"]) == sorted(r["id"] for r in rows)
    client.get(f"/api/v1/users/{rows[0]['id']}")
    assert AuditEntry.objects.filter(action="read_personal", target_id=str(rows[0]["id"])).exists()
    client_for("city").get(reverse("admin:accounts_user_changelist"))
    assert AuditEntry.objects.filter(action="list_personal", actor=world.users["city"]).exists()
