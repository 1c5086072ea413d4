"""The brand register (A08, A09, T1-22): brands of divisions and associations, retired and held again,
events linked to their brand across years, the units without a brand, the indicators against a hand
count on the small world, Excel out and in (dry run, all or nothing), the API and the scoping 404s."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from quanmin.core import indicators
from quanmin.events import brands_io, services, services_brands
from quanmin.events.errors import EventError
from quanmin.events.models import Brand, Games
from quanmin.organizations.models import Organization
from quanmin.regions.models import Region
from tests import sheets


def association(name, region, **extra):
    return Organization.objects.create(name=name, kind="association", status="registered", region=region, **extra)


def register(w, name, region=None, organization=None, role="county", **data):
    return services_brands.register_brand(w.users[role], {"name": name, "since": 2020, **data}, region=region,
                                          organization=organization)


def test_register_change_retire_and_hold_again(world):
    w = world
    county, township = w.users["county"], w.users["township"]
    marathon = register(w, " 聊城  国际马拉松 ", w.county.code, sport="marathon")
    assert marathon.name == "聊城 国际马拉松" and marathon.holder == "东昌府区" and marathon.active
    register(w, "水城龙舟赛", w.county.code)  # a county holds several
    with pytest.raises(EventError) as exc:
        register(w, "聊城 国际马拉松", w.county.code)
    assert exc.value.code == "brand_exists"
    with pytest.raises(EventError) as exc:  # out of the township's scope: refused, nothing written
        register(w, "古楼太极", w.county.code, role="township")
    assert exc.value.code == "region_out_of_scope" and exc.value.status == 403
    with pytest.raises(EventError) as exc:
        register(w, "", w.township.code, role="township")
    assert exc.value.code == "name_required"
    with pytest.raises(EventError) as exc:
        register(w, "古楼太极", w.township.code, role="township", sport="quidditch")
    assert exc.value.code == "sport_unknown"
    club = Organization.objects.create(name="东关跑团", kind="club", status="filed", region=w.community)
    with pytest.raises(EventError) as exc:  # a club is not an association
        register(w, "东关夜跑", organization=club)
    assert exc.value.code == "not_association"
    basketball = association("东昌府区篮球协会", w.county)
    held = register(w, "东昌府区篮球联赛", organization=basketball)
    assert held.region == w.county and held.holder == "东昌府区篮球协会"
    with pytest.raises(EventError):  # another county's staff cannot give it a brand
        register(w, "借名", organization=basketball, role="other_county")

    assert services_brands.update_brand(county, marathon, {"since": 2017, "name": "聊城 国际马拉松"}) == ["since"]
    with pytest.raises(PermissionDenied):
        services_brands.update_brand(township, marathon, {"since": 2018})
    services_brands.retire_brand(county, marathon, "停办")
    marathon.refresh_from_db()
    assert marathon.retired_on == timezone.localdate() and marathon.retire_reason == "停办"
    with pytest.raises(EventError):
        services_brands.retire_brand(county, marathon)
    services_brands.reinstate_brand(county, marathon)
    marathon.refresh_from_db()
    assert marathon.active and marathon.retire_reason == ""
    assert Brand.objects.count() == 3


def test_events_across_years_link_to_their_brand(world):
    w = world
    county = w.users["county"]
    brand = register(w, "水城龙舟赛", w.county.code, sport="dragon_boat")
    years = [services.create_games(county, {"name": f"{year}水城龙舟赛", "organizer": "区体育局", "kind": "event"},
                                   region=w.county, year=year) for year in (2024, 2025)]
    for games in years:
        services_brands.link_games(county, games, brand)
    assert list(brand.events.order_by("year").values_list("year", "brand", "brand_owner")) == [
        (2024, True, "东昌府区"), (2025, True, "东昌府区")]
    township_games = services.create_games(w.users["township"], {"name": "古楼运动会", "organizer": "街道"},
                                           region=w.township)
    services_brands.link_games(county, township_games, brand)  # held below the brand's division: fine
    upper = register(w, "古楼太极", w.township.code, role="township")
    county_games = years[0]
    with pytest.raises(EventError) as exc:  # a township's brand is not the county's event
        services_brands.link_games(county, county_games, upper)
    assert exc.value.code == "brand_elsewhere"
    services_brands.retire_brand(county, upper)
    with pytest.raises(EventError) as exc:
        services_brands.link_games(county, township_games, upper)
    assert exc.value.code == "brand_retired"
    services_brands.link_games(county, county_games, None)
    county_games.refresh_from_db()
    assert county_games.brand_series is None
    # the year's brand events count what is linked once held (brand_events, the figures page's column)
    assert indicators.compute("brand_events", [w.county.code], datetime.date(2025, 12, 31)) == {w.county.code: 0}
    Games.objects.filter(pk__in=[g.pk for g in years]).update(status=Games.Status.PUBLISHED)
    assert indicators.compute("brand_events", [w.county.code], datetime.date(2025, 12, 31)) == {w.county.code: 1}


def test_brand_indicators_by_hand_on_the_small_world(world):
    w = world
    city, county, other = w.city.code, w.county.code, w.other_county.code
    register(w, "古楼太极", w.township.code)  # 古楼街道: a brand of its own
    register(w, "东关广场舞", w.community.code)  # 东关社区: one
    register(w, "茌平区一品", w.other_county.code, role="other_county")  # a county's brand: no township's
    old = register(w, "新华拔河", w.other_community.code, role="other_county")
    services_brands.retire_brand(w.users["other_county"], old, on=datetime.date(2026, 3, 1))
    chess = association("东昌府区象棋协会", w.township)
    association("东昌府区门球协会", w.county)
    association("茌平区太极拳协会", w.other_community)
    association("停办的协会", w.community, active=False)
    register(w, "象棋擂台赛", organization=chess)
    later = register(w, "门球邀请赛", w.county.code, since=2027)  # not held yet in 2026
    assert later.since == 2027
    as_of = datetime.date(2026, 6, 30)
    wanted = [city, county, other, w.township.code]
    got = indicators.registry()
    # By hand: townships 1 of 2 (古楼 yes, 振兴 no); communities 1 of 2 (东关 yes, 新华 retired in March);
    # associations 1 of 3 active (象棋 yes); units 3 of 7 in the city, 3 of 4 in 东昌府区, 0 of 3 in 茌平区.
    assert got["townships_with_brand"].compute(wanted, as_of) == {
        city: Decimal("50.0"), county: Decimal("100.0"), other: Decimal("0.0"), w.township.code: Decimal("100.0")}
    assert got["communities_with_brand"].compute(wanted, as_of) == {
        city: Decimal("50.0"), county: Decimal("100.0"), other: Decimal("0.0"), w.township.code: Decimal("100.0")}
    assert got["associations_with_brand"].compute(wanted, as_of) == {
        city: Decimal("33.3"), county: Decimal("50.0"), other: Decimal("0.0"), w.township.code: Decimal("100.0")}
    assert got["units_with_brand"].compute(wanted, as_of) == {
        city: Decimal("42.9"), county: Decimal("75.0"), other: Decimal("0.0"), w.township.code: Decimal("100.0")}
    # before the retirement 新华社区 still held its brand
    assert got["communities_with_brand"].compute([other], datetime.date(2026, 2, 1)) == {other: Decimal("100.0")}
    gaps = services_brands.units_without_brand("3715", as_of)
    assert [r.name for r in gaps["township"]["rows"]] == ["振兴街道"]
    assert [r.name for r in gaps["community"]["rows"]] == ["新华社区"]
    assert sorted(o.name for o in gaps["association"]["rows"]) == ["东昌府区门球协会", "茌平区太极拳协会"]


def _upload(book: openpyxl.Workbook) -> SimpleUploadedFile:
    """The workbook again as it is (a formula-like text stays text), as a browser posts it."""
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("brands.xlsx", out.getvalue(), content_type=sheets.XLSX)


def _book(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_excel_round_trip_dry_run_and_all_or_nothing(world, client_for):
    w = world
    chess = association("东昌府区象棋协会", w.township)
    register(w, "水城龙舟赛", w.county.code, sport="dragon_boat", description="=HYPERLINK(\"x\")")
    register(w, "象棋擂台赛", organization=chess)
    register(w, "茌平区一品", w.other_county.code, role="other_county")  # not the county's: not exported
    client = client_for("county")
    book = _book(client.get(reverse("events:brands_export")))
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]] == brands_io.HEADERS
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    assert sorted(r[1] for r in rows) == ["水城龙舟赛", "象棋擂台赛"]
    boat = next(r for r in rows if r[1] == "水城龙舟赛")
    assert boat[5] == "龙舟" and boat[8] == "在用" and boat[7] == '=HYPERLINK("x")'
    assert sheet.cell(row=rows.index(boat) + 2, column=8).data_type == "s"  # written as text, not a formula
    chess_row = next(r for r in rows if r[1] == "象棋擂台赛")
    assert chess_row[3] == chess.pk and chess_row[4] == "东昌府区象棋协会"

    # exported as it is: every row unchanged
    report = brands_io.import_brands(w.users["county"], _upload(book), dry_run=False)
    assert report.counts["unchanged"] == 2 and report.applied

    # a change, a new brand, a retirement; and a bad row: nothing of it applied, the line named
    sheet.cell(row=rows.index(boat) + 2, column=7, value=2012)
    sheet.cell(row=rows.index(chess_row) + 2, column=9, value="停用")
    sheet.append(["", "古楼太极", w.township.code, "", "", "太极拳", 2019, "", "在用"])
    sheet.append(["", "茌平借名", w.other_county.code, "", "", "", "", "", "在用"])
    sheet.append(["", "古楼太极", w.township.code, "", "", "", "", "", "在用"])
    response = client.post(reverse("events:brands_import"), {"file": _upload(book), "apply": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "该区划不在您的管辖范围内。" in page and "<td class=\"num\">6</td>" in page  # line 6, its reason
    assert not Brand.objects.filter(name="古楼太极").exists()
    assert Brand.objects.get(name="水城龙舟赛").since == 2020
    sheet.delete_rows(sheet.max_row - 1, 2)
    report = brands_io.import_brands(w.users["county"], _upload(book), dry_run=True)
    assert report.counts == {"rows": 3, "new": 1, "updated": 2, "unchanged": 0, "rejected": 0}
    assert not report.applied and not Brand.objects.filter(name="古楼太极").exists()
    response = client.post(reverse("events:brands_import"), {"file": _upload(book), "apply": "1"})
    assert response.status_code == 200
    assert Brand.objects.get(name="水城龙舟赛").since == 2012
    assert Brand.objects.get(name="象棋擂台赛").retired_on == timezone.localdate()
    assert Brand.objects.get(name="古楼太极").sport == "taiji"
    template = _book(client.get(reverse("events:brands_template")))
    assert [c.value for c in template.worksheets[0][1]] == brands_io.HEADERS


def test_a_file_without_headers_or_rows_is_refused(world):
    with pytest.raises(EventError) as exc:
        brands_io.import_brands(world.users["county"], SimpleUploadedFile("x.csv", b"a,b\n1,2\n"), dry_run=True)
    assert exc.value.code == "import_header_missing"
    with pytest.raises(EventError) as exc:
        brands_io.import_brands(world.users["county"], SimpleUploadedFile("x.csv", "品牌名称,区划代码\n".encode()),
                                dry_run=True)
    assert exc.value.code == "table_empty"


def test_api_register_list_change_retire_link_and_gaps(world, client_for):
    w = world
    client = client_for("county")
    r = client.post("/api/v1/events/staff/brands", {"name": "水城龙舟赛", "region": w.county.code, "sport": "dragon_boat",
                                                    "since": 2015}, content_type="application/json")
    assert r.status_code == 201, r.content
    brand = r.json()
    assert brand["holder"] == "东昌府区" and brand["active"] and brand["since"] == 2015
    again = client.post("/api/v1/events/staff/brands", {"name": "水城龙舟赛", "region": w.county.code},
                        content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "brand_exists"
    listed = client.get("/api/v1/events/staff/brands", {"status": "active"}).json()
    assert [b["name"] for b in listed["items"]] == ["水城龙舟赛"]
    r = client.patch(f"/api/v1/events/staff/brands/{brand['id']}", {"description": "端午节"},
                     content_type="application/json")
    assert r.status_code == 200 and r.json()["description"] == "端午节"
    games = services.create_games(w.users["county"], {"name": "2026水城龙舟赛", "organizer": "区体育局"},
                                  region=w.county)
    r = client.put(f"/api/v1/events/staff/games/{games.pk}/brand", {"brand": brand["id"]},
                   content_type="application/json")
    assert r.status_code == 200 and r.json() == {"id": games.pk, "brand": True, "brand_owner": "东昌府区",
                                                 "brand_series": brand["id"]}
    r = client.post(f"/api/v1/events/staff/brands/{brand['id']}/retire", {"reason": "改名"},
                    content_type="application/json")
    assert r.status_code == 200 and not r.json()["active"]
    assert client.post(f"/api/v1/events/staff/brands/{brand['id']}/reinstate").json()["active"]
    gaps = client.get("/api/v1/events/staff/brands/missing", {"code": w.county.code}).json()
    assert (gaps["townships"], gaps["communities"], gaps["associations"]) == (1, 1, 0)
    assert {u["name"] for u in gaps["units"]} == {"古楼街道", "东关社区"}
    upload = sheets.upload("brands.xlsx", brands_io.HEADERS, [["", "古楼太极", w.township.code, "", "", "太极拳", 2019, "", "在用"]])
    r = client.post("/api/v1/events/staff/brands/import", {"file": upload, "dry_run": "false"})
    assert r.status_code == 200 and r.json()["counts"]["new"] == 1
    assert Brand.objects.filter(name="古楼太极", region=w.township).exists()


def test_out_of_scope_answers_404(world, client_for):
    w = world
    brand = register(w, "茌平区一品", w.other_county.code, role="other_county")
    games = services.create_games(w.users["other_county"], {"name": "茌平运动会", "organizer": "区体育局"},
                                  region=w.other_county)
    mine = register(w, "水城龙舟赛", w.county.code)
    client = client_for("county")
    assert client.get(reverse("events:brand", args=[brand.pk])).status_code == 404
    assert client.post(reverse("events:brand_retire", args=[brand.pk])).status_code == 404
    assert client.post(reverse("events:brand_reinstate", args=[brand.pk])).status_code == 404
    assert client.get(f"/api/v1/events/staff/brands/{brand.pk}").status_code == 404
    assert client.patch(f"/api/v1/events/staff/brands/{brand.pk}", {"name": "x"},
                        content_type="application/json").status_code == 404
    assert client.put(f"/api/v1/events/staff/games/{games.pk}/brand", {"brand": mine.pk},
                      content_type="application/json").status_code == 404
    own = services.create_games(w.users["county"], {"name": "东昌府运动会", "organizer": "区体育局"}, region=w.county)
    assert client.put(f"/api/v1/events/staff/games/{own.pk}/brand", {"brand": brand.pk},
                      content_type="application/json").status_code == 404
    assert client.get(reverse("events:brand_gaps"), {"region": w.other_county.code}).status_code == 404
    assert client.get("/api/v1/events/staff/brands/missing", {"code": w.other_county.code}).status_code == 404
    # the township reads its own subtree only, and cannot write the county's brand
    township = client_for("township")
    assert township.get(reverse("events:brand", args=[mine.pk])).status_code == 404
    assert Brand.objects.get(pk=brand.pk).active


def test_pages_list_new_brand_link_and_gaps(world, client_for):
    w = world
    client = client_for("county")
    chess = association("东昌府区象棋协会", w.township)
    r = client.post(reverse("events:brand_new"), {"region": w.township.code, "name": "古楼太极", "sport": "taiji",
                                                  "since": 2019, "organization": ""})
    assert r.status_code == 302
    made = Brand.objects.get(name="古楼太极")
    r = client.post(reverse("events:brand_new"), {"region": "", "name": "象棋擂台赛", "since": 2021,
                                                  "organization": chess.pk})
    assert r.status_code == 302 and Brand.objects.get(name="象棋擂台赛").organization == chess
    r = client.post(reverse("events:brand_new"), {"region": "", "name": "无主", "since": 2021, "organization": ""})
    assert r.status_code == 200 and not Brand.objects.filter(name="无主").exists()
    page = client.get(reverse("events:brands")).content.decode()
    assert "古楼太极" in page and "象棋擂台赛" in page and w.township.code not in page.replace(
        f'value="{w.township.code}"', "")
    games = services.create_games(w.users["township"], {"name": "古楼太极展演", "organizer": "街道"}, region=w.township)
    staff_page = client.get(reverse("events:staff_games", args=[games.pk])).content.decode()
    assert f'value="{made.pk}"' in staff_page
    client.post(reverse("events:staff_link_brand", args=[games.pk]), {"brand": made.pk})
    games.refresh_from_db()
    assert games.brand_series == made and games.brand
    brand_page = client.get(reverse("events:brand", args=[made.pk])).content.decode()
    assert "古楼太极展演" in brand_page
    r = client.post(reverse("events:brand", args=[made.pk]), {"name": "古楼太极", "since": 1948})
    assert r.status_code == 400 and Brand.objects.get(pk=made.pk).since == 2019
    gaps = client.get(reverse("events:brand_gaps"), {"region": w.county.code}).content.decode()
    assert "东关社区" in gaps and "古楼街道" not in gaps.split("<h2>")[1]
    assert Games.objects.filter(brand_series=made).count() == 1
    assert Region.objects.filter(level="township").count() == 2
