"""The maintenance figures page, its Excel download and the API, on the world of test_figures.py.

Requests run at the real moment, so what stands "now" (open and overdue work, pieces past their
design life) is compared with the selector's own answer; what the period holds is fixed and checked
by hand. The Excel download is asked at the world's own moment (test_figures.NOW), so that its sheet
of pieces past their design life is the hand-checked one on any day: at the real moment the pieces
installed in 2019 join it from 2027-05-01.
"""

import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.maintenance import figures
from tests.maintenance import test_figures

# The world of test_figures.py, with its hand-computed figures.
mworld, quiet = test_figures.mworld, test_figures.quiet

PERIOD = {"start": "2026-03-01", "end": "2026-05-20"}


def page(w, code=None):
    return reverse("maintenance:figures_region", args=[code or w.county.code])


def api(code):
    return f"/api/v1/maintenance/figures/{code}"


def now_figures(w, region):
    return figures.division_figures(region, figures.parse_period(PERIOD["start"], PERIOD["end"]))


def test_page_shows_the_table_charts_and_replacements(mworld, client_for):
    w = mworld
    response = client_for("county").get(page(w), PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "古楼街道",
        "新区街道",
        "figures-data",
        "vendor/echarts/echarts.min.js",
        "chart-inspections",
        "chart-children",
        w.pieces[2].tag,
        w.q[0].tag,
    ):
        assert text in html
    assert w.q[2].tag not in html  # removed
    # Each child links to its own page for the same period; each piece to its register page.
    assert f"{page(w, w.township.code)}?start=2026-03-01&amp;end=2026-05-20" in html
    assert reverse("facilities:equipment", args=[w.pieces[2].pk]) in html
    # the type's design life, not read in GB 19272 itself, is marked as such beside the piece
    assert w.pieces[2].design_life_unverified and f'{_("unverified")}</span>' in html
    assert f"{reverse('maintenance:replacements')}?region=371502" in html
    f = response.context["f"]
    assert (f.rounds_due, f.rounds_done, f.defects, f.mttr_hours, f.satisfaction) == (9, 5, 4, 79.5, 3.33)
    expected = now_figures(w, w.county).figures
    assert (f.orders_overdue, f.reports_overdue, f.replacement_due) == (
        expected.orders_overdue,
        expected.reports_overdue,
        expected.replacement_due,
    )
    # The numbers are in tables too, for readers without JavaScript: the total row and each month.
    rows = response.context["rows"]
    assert [r["f"].name for r in rows[:2]] == ["古楼街道", "新区街道"] and not rows[2]["link"]
    chart = response.context["chart_data"]
    assert chart["months"] == ["2026-03", "2026-04", "2026-05"]
    assert chart["completion"] == [66.7, 50.0, 50.0] and chart["mttr"] == [120.0, 30.0, 48.0]
    assert chart["satisfaction"] == [None, 4.0, 2.0] and chart["defects"] == [1, 1, 2]
    assert [c["name"] for c in chart["children"]] == ["古楼街道", "新区街道"]


def test_drilling_down_to_a_township_and_a_community(mworld, client_for):
    w = mworld
    response = client_for("county").get(page(w, w.township.code), PERIOD)
    assert response.status_code == 200
    assert response.context["f"].rounds_due == 3 and [c.name for c in response.context["div"].children] == ["东关社区"]
    assert w.q[0].tag not in response.content.decode()  # 新区's piece is not on 古楼's page
    community = client_for("county").get(page(w, w.community.code), PERIOD)
    assert community.status_code == 200 and community.context["rows"] == []
    assert community.context["f"].defects == 2


def test_index_sends_one_division_staff_to_their_division(mworld, client_for):
    response = client_for("county").get(reverse("maintenance:figures"))
    assert response.status_code == 302 and response["Location"] == page(mworld)
    # Someone with two counties picks one.
    from quanmin.accounts import services as accounts
    from quanmin.accounts.models import Role
    from tests.conftest import make_user

    both = make_user("13700000030", "两县", Role.COUNTY_STAFF, mworld.county, seq=30)
    accounts.grant_membership(both, Role.COUNTY_STAFF, mworld.other_county)
    client = client_for(None)
    client.force_login(both)
    response = client.get(reverse("maintenance:figures"))
    assert response.status_code == 200
    html = response.content.decode()
    assert page(mworld) in html and page(mworld, mworld.other_county.code) in html


def test_scoping_of_the_page(mworld, client_for):
    w = mworld
    other = client_for("other_county")
    assert other.get(page(w)).status_code == 404
    assert other.get(page(w, w.township.code)).status_code == 404
    assert other.get(reverse("maintenance:figures_export", args=[w.county.code])).status_code == 404
    # A township's staff see their township, not the county above it or the township beside it.
    township = client_for("township")
    assert township.get(page(w)).status_code == 404
    assert township.get(page(w, w.township2.code)).status_code == 404
    assert township.get(page(w, w.township.code)).status_code == 200
    # The city's supervisor reads everything; a resident is refused; a stranger is sent to sign in.
    assert client_for("supervisor").get(page(w), PERIOD).status_code == 200
    assert client_for("resident").get(page(w)).status_code == 403
    stranger = client_for(None).get(page(w))
    assert stranger.status_code == 302 and "/login/" in stranger["Location"]
    for code in ("nonsense", "3715020", "999999999999"):
        assert client_for("city").get(page(w, code)).status_code == 404


@pytest.mark.parametrize(
    "query,field",
    [
        ({"start": "yesterday"}, "start"),
        ({"start": "2026-05-10", "end": "2026-05-01"}, "end"),
        ({"start": "2010-01-01", "end": "2026-05-01"}, "start"),
        ({"end": "2026-02-30"}, "end"),
        ({"start": "0001-01-01"}, "start"),
    ],
)
def test_bad_dates_are_said_on_the_page(mworld, client_for, query, field):
    response = client_for("county").get(page(mworld), query)
    assert response.status_code == 200
    error = response.context["error"]
    assert error.field == field
    html = response.content.decode()
    assert str(error.message) in html and 'role="alert"' in html and 'aria-invalid="true"' in html
    # The default period is shown instead, and said so.
    assert response.context["period"] == figures.default_period()


def test_excel_holds_the_table_the_months_and_the_pieces(mworld, client_for, monkeypatch):
    w = mworld
    monkeypatch.setattr(timezone, "now", lambda: test_figures.NOW)
    response = client_for("county").get(reverse("maintenance:figures_export", args=[w.county.code]), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "maintenance-figures-371502-20260301-20260520.xlsx" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    table, months, pieces = ([list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets)
    header = table[0]
    col = {name: header.index(str(label)) for name, label in figures.COLUMNS}
    assert [r[0] for r in table[1:]] == [w.county.code, w.township.code, w.township2.code, w.county.code]
    county, gulou, xinqu, direct = table[1:]
    assert (county[col["rounds_due"]], county[col["completion"]], county[col["mttr_hours"]]) == (9, 55.6, 79.5)
    assert (gulou[col["defects"]], gulou[col["satisfaction"]], xinqu[col["defects_per_100"]]) == (2, 3.5, 100)
    assert direct[col["pieces"]] == 1 and direct[col["completion"]] is None
    assert [r[0] for r in months[1:]] == ["2026-03", "2026-04", "2026-05"]
    assert months[2][1:4] == [2, 1, 50]
    assert [r[0] for r in pieces[1:]] == [w.pieces[2].tag, w.q[0].tag]
    # The design life beside each piece says whether it is the type's unverified figure (GB 19272's clause unread).
    life, check = pieces[0].index(_("Design life (years)")), pieces[0].index(_("Design life check"))
    assert [(r[life], r[check]) for r in pieces[1:]] == [
        (p.design_life_years, _("unverified") if p.design_life_unverified else None) for p in (w.pieces[2], w.q[0])]
    assert w.pieces[2].design_life_unverified


def test_excel_with_bad_dates_goes_back_to_the_page(mworld, client_for):
    url = reverse("maintenance:figures_export", args=[mworld.county.code])
    response = client_for("county").get(url, {"start": "2026-13-01"})
    assert response.status_code == 302 and response["Location"].startswith(page(mworld))
    assert "start=2026-13-01" in response["Location"]


# --- the API ----------------------------------------------------------------------------------------------------


def test_api_gives_the_figures_of_the_page(mworld, client_for):
    w = mworld
    response = client_for("county").get(api(w.county.code), PERIOD)
    assert response.status_code == 200
    body = response.json()
    assert (body["start"], body["end"]) == ("2026-03-01", "2026-05-20")
    assert (body["rounds_due"], body["rounds_done"], body["completion"]) == (9, 5, 55.6)
    assert (body["defects"], body["defects_per_100"], body["mttr_hours"], body["on_time"]) == (4, 66.7, 79.5, 75.0)
    assert (body["ratings"], body["satisfaction"], body["satisfied_share"], body["reports"]) == (3, 3.33, 33.3, 5)
    expected = now_figures(w, w.county)
    assert body == {
        **expected.figures.as_dict(),
        "start": "2026-03-01",
        "end": "2026-05-20",
        "today": expected.today.isoformat(),
        "children": [c.as_dict() for c in expected.children],
        "direct": expected.direct.as_dict(),
        "months": [m.as_dict() for m in expected.months],
    }
    assert [c["name"] for c in body["children"]] == ["古楼街道", "新区街道"]
    assert body["months"][1] == {
        "month": "2026-04",
        "rounds_due": 2,
        "rounds_done": 1,
        "completion": 50.0,
        "defects": 1,
        "repairs_done": 1,
        "mttr_hours": 30.0,
        "reports": 2,
        "ratings": 2,
        "satisfaction": 4.0,
    }
    # A six-digit code names the county too.
    assert client_for("county").get(api("371502"), PERIOD).json()["code"] == w.county.code


def test_api_scoping(mworld, client_for):
    w = mworld
    assert client_for("other_county").get(api(w.county.code)).status_code == 404
    assert client_for("other_county").get(api(w.community.code)).status_code == 404
    assert client_for("township").get(api(w.county.code)).status_code == 404
    assert client_for("township").get(api(w.township.code)).status_code == 200
    assert client_for("supervisor").get(api(w.county.code)).status_code == 200
    resident = client_for("resident").get(api(w.county.code))
    assert resident.status_code == 403 and resident.json()["code"] == "forbidden"
    stranger = client_for(None).get(api(w.county.code))
    assert stranger.status_code == 401 and stranger.json()["code"] == "not_authenticated"
    for code in ("nonsense", "1" * 40, "000000000000"):
        assert client_for("city").get(api(code)).status_code == 404


@pytest.mark.parametrize(
    "query,code,field",
    [
        ({"start": "yesterday"}, "date_invalid", "start"),
        ({"start": "2026-05-10", "end": "2026-05-01"}, "period_invalid", "end"),
        ({"start": "2010-01-01", "end": "2026-05-01"}, "period_too_long", "start"),
        ({"end": "99999-01-01"}, "date_invalid", "end"),
        ({"end": "9999-12-31"}, "date_invalid", "end"),
    ],
)
def test_api_refuses_bad_periods(mworld, client_for, query, code, field):
    response = client_for("county").get(api(mworld.county.code), query)
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"]) == (code, field) and body["message"]


def test_api_message_in_the_callers_language(mworld, client_for):
    url = api(mworld.county.code)
    en = client_for("county").get(url, {"start": "x"}, headers={"Accept-Language": "en"}).json()
    zh = client_for("county").get(url, {"start": "x"}, headers={"Accept-Language": "zh-hans"}).json()
    assert en["code"] == zh["code"] == "date_invalid"
    assert en["message"] == "Enter a date such as 2026-05-01."
