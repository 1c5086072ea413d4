"""API of the instructors' associations (B09), mounted at /api/v1/organizations: which city and county
divisions have one, and an association's members — listed, enrolled (one, or a sheet), removed and
exported. An organisation is marked as its division's association through the register's own
create and change endpoints (`instructor_association`)."""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from quanmin.accounts import audit
from quanmin.core import imports
from quanmin.core.api import MAX_ID

from . import instructor_members, instructor_members_io, permissions, selectors
from .api_staff import ERRORS, Text
from .errors import OrganizationError

router = Router(tags=["organizations"])


class AssociationRowOut(Schema):
    code: str
    name: str
    level: str
    association_id: int | None = Field(description="The organisation marked as the division's association, if any.")
    association_name: str
    counted: bool = Field(description="It exists, is active and approved: the division has its association.")
    members: int = Field(description="Its instructor members now.")


class AssociationCoverageOut(Schema):
    have: int = Field(description="City and county divisions in my scope with their association.")
    of: int
    rows: list[AssociationRowOut] = Field(description="Those without first, then those with, by code.")


@router.get("/instructor-associations", response={200: AssociationCoverageOut, **ERRORS},
            summary="The city and county divisions in my scope and their instructors' associations (county or "
                    "city staff)")
def association_coverage(request):
    if not permissions.can_read_association_coverage(request.user):
        raise PermissionDenied
    found = instructor_members.coverage(request.user)
    return {"have": found["have"], "of": found["of"], "rows": [
        {"code": r["code"], "name": r["name"], "level": r["level"], "counted": r["counted"], "members": r["members"],
         "association_id": r["association"].pk if r["association"] else None,
         "association_name": r["association"].name if r["association"] else ""} for r in found["rows"]]}


class InstructorMemberOut(Schema):
    id: int
    instructor_id: int
    name: str
    certificate_no: str
    grade: str
    grade_label: str
    region: str
    region_name: str
    status: str
    status_label: str
    joined_on: datetime.date
    left_on: datetime.date | None

    @staticmethod
    def resolve_name(m):
        return m.instructor.real_name

    @staticmethod
    def resolve_certificate_no(m):
        return m.instructor.certificate_no

    @staticmethod
    def resolve_grade(m):
        return m.instructor.grade

    @staticmethod
    def resolve_grade_label(m):
        return m.instructor.get_grade_display()

    @staticmethod
    def resolve_region(m):
        return m.instructor.region_id

    @staticmethod
    def resolve_region_name(m):
        return m.instructor.region.name

    @staticmethod
    def resolve_status_label(m):
        return m.get_status_display()


def _association(request, org_id: int):
    """The association, for those who run it: its staff and its division's (404 to the others)."""
    if not permissions.can_write(request.user):
        raise PermissionDenied
    org = selectors.get_or_404(request.user, min(org_id, MAX_ID))
    if not org.instructor_association or not permissions.can_change(request.user, org):
        raise Http404
    return org


@router.get("/{int:org_id}/instructor-members", response={200: list[InstructorMemberOut], **ERRORS},
            summary="An instructors' association's members (its staff and its division's)")
@paginate(audit.PersonalPaging, what="association_members")
def instructor_member_list(request, org_id: int, status: Query[Literal["active", "left", "all"]] = "active"):
    org = _association(request, org_id)
    return instructor_members.members(org, None if status == "all" else status)


class InstructorMemberIn(Schema):
    certificate_no: Text = Field("", max_length=40, description="The instructor's certificate number.")
    name: Text = Field("", max_length=50, description="The instructor's name: alone, or to check the number.")
    instructor_id: int | None = Field(None, ge=1, le=MAX_ID, description="Or the instructor's id in the register.")


@router.post("/{int:org_id}/instructor-members", response={201: InstructorMemberOut, **ERRORS},
             summary="Enrol a registered instructor of the division (the association's staff)")
def instructor_member_enrol(request, org_id: int, payload: InstructorMemberIn):
    org = _association(request, org_id)
    member = instructor_members.enrol(org, actor=request.user, request=request, **payload.dict())
    return Status(201, instructor_members.members(org).get(pk=member.pk))


@router.delete("/{int:org_id}/instructor-members/{int:member_id}", response={204: None, **ERRORS},
               summary="Remove a member: they leave the association (the association's staff)")
def instructor_member_remove(request, org_id: int, member_id: int):
    org = _association(request, org_id)
    member = org.instructor_members.filter(pk=min(member_id, MAX_ID)).first()
    if member is None:
        raise Http404
    instructor_members.remove(member, actor=request.user, request=request)
    return Status(204, None)


ImportOut = imports.import_schema("InstructorMember")


@router.post("/{int:org_id}/instructor-members/import", response={200: ImportOut, **ERRORS},
             summary="Enrol instructors from .xlsx or .csv of certificate numbers and names (a dry run unless "
                     "dry_run=false)")
def instructor_member_import(request, org_id: int, file: File[UploadedFile] = None, dry_run: Form[bool] = True):
    """With dry_run=false every row's instructor is enrolled, or none is: any rejected row gives 400
    `import_row_invalid` with the full `report` (each rejected row's line and errors)."""
    org = _association(request, org_id)
    if file is None:
        raise OrganizationError("file_required", _("Choose a file to upload."), "file")
    report = instructor_members_io.import_rows(instructor_members_io.read(file), org, request.user, dry_run=dry_run,
                                               request=request)
    return imports.api_answer(report, dry_run, OrganizationError)


@router.get("/{int:org_id}/instructor-members/export.xlsx", response={200: None, **ERRORS},
            summary="An instructors' association's members and past members as .xlsx")
def instructor_member_export(request, org_id: int):
    return instructor_members_io.export_response(_association(request, org_id), request=request)
