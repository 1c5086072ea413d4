"""The register in and out of Excel: a real .xlsx round trip (exported, imported again: nothing
changes; corrected: only the correction), bad rows named by line with nothing written, and
acceptance kept out of the import."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quanmin.residential import io, selectors, services
from quanmin.residential.models import ResidentialProject, Status
from tests import sheets
from tests.sheets import XLSX


def xlsx(rows, headers=None):
    return sheets.upload("居住区.xlsx", headers or io.HEADERS[:11], rows)


def row(world, name="东关花园", status="已建成", indoor=100, outdoor=120, approved="2023-04-10", completed="2025-09-30"):
    return [world.township.code, name, "聊城安居置业有限公司", 1000, 350, indoor, outdoor, status, approved, completed, ""]


def upload(response):
    return SimpleUploadedFile("导出.xlsx", b"".join(response.streaming_content), content_type=XLSX)


def test_checked_applied_exported_and_reimported_unchanged(world):
    user = world.users["county"]
    file = xlsx([row(world), row(world, name="运河新城", status="已批准", indoor=0, outdoor=200, completed=None)])
    checked = io.import_projects(user, file, dry_run=True)
    assert checked.ok and checked.counts["new"] == 2 and not ResidentialProject.objects.exists()
    file.seek(0)
    applied = io.import_projects(user, file, dry_run=False)
    assert applied.applied
    made = {p.name: p for p in ResidentialProject.objects.all()}
    assert made["东关花园"].compliant and not made["运河新城"].compliant
    assert made["运河新城"].status == Status.APPROVED
    services.accept(user, made["东关花园"], {"accepted_on": "2025-10-30"})
    exported = io.xlsx_response(selectors.projects_for(user))
    again = io.import_projects(user, upload(exported), dry_run=False)
    assert again.applied and again.counts == {"rows": 2, "new": 0, "updated": 0, "unchanged": 2, "rejected": 0}
    assert not again.ignored_columns  # the computed columns are read past, not reported as unknown


def test_a_correction_changes_only_what_was_corrected(world, project):
    user = world.users["county"]
    report = io.import_projects(user, xlsx([row(world, outdoor="300")]), dry_run=False)
    assert report.applied and report.rows[0].action == "updated"
    project.refresh_from_db()
    assert project.outdoor_area == 300 and project.compliant and project.residents == 1000


def test_bad_rows_are_named_by_line_and_nothing_is_written(world, project):
    user = world.users["county"]
    file = xlsx([row(world, name="新城一期"), row(world, status="已批准", completed=None),
                 [world.township.code, "零人小区", "", 0, "", 1, 1, "规划中", None, None, ""],
                 row(world, name="运河新城", status="已验收"), row(world, name="新城一期")])
    report = io.import_projects(user, file, dry_run=False)
    assert not report.applied
    by_line = {r.line: r for r in report.rows}
    assert by_line[2].action == "new"
    assert by_line[3].action == "rejected"  # a stage going back
    assert by_line[4].action == "rejected"  # no residents
    assert by_line[5].action == "rejected"  # accepted in a file: accept on the page
    assert by_line[6].action == "rejected" and "2" in by_line[6].errors[0]  # twice in the file
    assert ResidentialProject.objects.count() == 1
    project.refresh_from_db()
    assert project.status == Status.BUILT


def test_an_accepted_project_changed_in_the_file_is_refused(world, project):
    user = world.users["county"]
    services.accept(user, project, {"accepted_on": "2025-10-30"})
    report = io.import_projects(user, xlsx([row(world, status="已验收", indoor=200)]), dry_run=True)
    assert report.rows[0].action == "rejected"


def test_the_other_countys_division_is_out_of_scope(world):
    report = io.import_projects(world.users["other_county"], xlsx([row(world)]), dry_run=True)
    assert report.rows[0].action == "rejected"


def test_a_long_file_looks_its_divisions_up_once(world):
    user = world.users["county"]
    few = xlsx([row(world, name=f"新城{n}期") for n in range(3)])
    many = xlsx([row(world, name=f"新城{n}期") for n in range(60)])
    io.import_projects(user, xlsx([row(world)]), dry_run=True)  # the user's roles, read once
    with CaptureQueriesContext(connection) as small:
        io.import_projects(user, few, dry_run=True)
    with CaptureQueriesContext(connection) as large:
        io.import_projects(user, many, dry_run=True)
    assert len(large) == len(small)
