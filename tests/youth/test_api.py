"""The youth API over real HTTP: register a school, record and correct a term return, read the
figures; bad figures are a 400 with a code and a Chinese message, nothing written."""

import io as stdio

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from quanmin.youth.models import School, TermReturn

from .conftest import return_data, school_site

P = "/api/v1/youth"


def test_register_record_correct_and_read_back(world, client_for):
    client = client_for("county")
    site = school_site(world.community, "东关小学")
    made = client.post(f"{P}/schools", {"region": world.community.code, "name": "东关小学", "stage": "primary",
                                        "students": 1000, "site_id": site.pk}, content_type="application/json")
    assert made.status_code == 201, made.content
    school = made.json()
    assert school["grounds_open"] and school["stage_label"]
    url = f"{P}/schools/{school['id']}/returns"
    first = client.put(url, return_data(), content_type="application/json")
    assert first.status_code == 201, first.content
    second = client.put(url, return_data(minutes_out_of_school=61), content_type="application/json")
    assert second.status_code == 200 and second.json()["minutes_out_of_school"] == 61
    listed = client.get(f"{P}/returns?limit=10").json()
    assert listed["count"] == 1 and listed["items"][0]["school"] == "东关小学"
    rows = client.get(f"{P}/figures?as_of=2026-06-30").json()
    top = rows["items"][0] if isinstance(rows, dict) else rows[0]
    assert top["region"] == world.county.code and top["daily_hours_lesser"] == 1.02  # min(70, 61) ÷ 60
    assert top["grounds_open"] == 1


def test_bad_figures_answer_400_in_chinese_and_write_nothing(world, client_for, school):
    client = client_for("county")
    answer = client.put(f"{P}/schools/{school.pk}/returns", return_data(skills_two_plus=950),
                        content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert answer.status_code == 400
    assert answer.json()["code"] == "count_over_whole" and "不能多于" in answer.json()["message"]
    assert not TermReturn.objects.exists()


def test_the_neighbouring_county_and_residents_are_refused(world, client_for, school):
    assert client_for("other_county").get(f"{P}/schools/{school.pk}").status_code == 404
    assert client_for("resident").get(f"{P}/schools").status_code == 403
    answer = client_for("supervisor").put(f"{P}/schools/{school.pk}/returns", return_data(),
                                          content_type="application/json")
    assert answer.status_code in (403, 404) and not TermReturn.objects.exists()


def test_import_dry_run_then_apply(world, client_for, school):
    from quanmin.youth import io

    wb = openpyxl.Workbook()
    wb.active.append(io.HEADERS)
    figures = return_data()
    wb.active.append(["", "东关小学", "2025", "1", *[figures[k] for k in io.FIGURES], ""])
    buf = stdio.BytesIO()
    wb.save(buf)

    def upload():
        return SimpleUploadedFile("填报.xlsx", buf.getvalue())

    client = client_for("county")
    checked = client.post(f"{P}/import", {"file": upload()})
    assert checked.status_code == 200 and checked.json()["counts"]["new"] == 1 and not TermReturn.objects.exists()
    applied = client.post(f"{P}/import", {"file": upload(), "dry_run": "false"})
    assert applied.status_code == 200 and applied.json()["applied"]
    assert TermReturn.objects.get().school == school and School.objects.count() == 1
