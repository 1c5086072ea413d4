"""Every write to the organisations register: pages, API, the import and the demo call these.

`clean()` checks one organisation's fields (the import runs it on every row); `register()` makes
one, `update()` changes one and `approve()` decides a filing. Each change is written to the
organisation's history (OrganizationChange) and to the audit log.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import audit, scoping
from quanmin.accounts.models import Membership, Role
from quanmin.accounts.services import grant_membership
from quanmin.facilities import geo
from quanmin.facilities.models import Site
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import credit, instructor_members, permissions, sports
from .errors import OrganizationError
from .models import Organization, OrganizationChange

Org = Organization
TEXT_LIMITS = {"name": 120, "address": 200, "contact_name": 50, "contact_phone": 30, "schedule": 120,
               "description": 2000}
FLAGS = ("party_branch", "decoupled", "governance", "independent", "active")
CHOICES = {"kind": Org.Kind, "status": Org.Status, "sector": Org.Sector, "join_policy": Org.JoinPolicy,
           "meets": Org.Time}
FIELDS = ("name", "kind", "sector", "status", "credit_code", "region", "address", "site", "lon", "lat", "sports",
          "parent", "founded_on", "officers", "contact_name", "contact_phone", *FLAGS[:4], "join_policy",
          "member_cap", "meets", "schedule", "description", "active", "instructor_association")
# What an organisation's own staff may not change: its legal particulars and place in the register.
LEGAL = ("name", "kind", "status", "credit_code", "region", "parent", "active", "instructor_association")
MAX_OFFICERS = 30


def _err(code: str, message, field: str, status: int | None = None) -> OrganizationError:
    return OrganizationError(code, message, field, status=status)


# ---------------------------------------------------------------- checking fields


def check_credit_code(value) -> str:
    code = credit.normalise(value)
    found = credit.problem(code)
    if found == "length":
        raise _err("credit_code_length", _("A unified social credit code has 18 characters."), "credit_code")
    if found == "alphabet":
        raise _err("credit_code_characters",
                   _("A unified social credit code has digits and capital letters only, without I, O, S, V or Z."),
                   "credit_code")
    if found:
        raise _err("credit_code_invalid",
                   _("This unified social credit code fails its check character (GB 32100): look for a mistyped "
                     "character."), "credit_code")
    return code


def check_region(value) -> Region:
    if isinstance(value, Region):
        return value
    text = str(value or "").strip()
    found = Region.objects.filter(code=text).first() if text.isdigit() and len(text) == 12 else None
    if found is None:
        raise _err("region_unknown", _("Unknown division code."), "region")
    return found


def check_sports(value) -> str:
    """A list of codes or a text ("篮球、足球") → ",basketball,football," (empty when none)."""
    if isinstance(value, str):
        for sep in "、，,;；/ ":
            value = value.replace(sep, ",")
        value = value.split(",")
    found = []
    for item in value or []:
        item = str(item).strip()
        if not item:
            continue
        code = sports.lookup(item)
        if code is None:
            raise _err("sport_unknown", _("Unknown sport: %(sport)s.") % {"sport": item[:20]}, "sports")
        if code not in found:
            found.append(code)
    text = f",{','.join(found)}," if found else ""
    if len(text) > 300:
        raise _err("sports_too_many", _("Too many sports."), "sports")
    return text


def check_date(value, field: str, message) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip().replace("/", "-").replace(".", "-"))
    except ValueError:
        raise _err(f"{field}_invalid", message, field) from None


def check_officers(value) -> list[dict]:
    if value in (None, ""):
        return []
    if isinstance(value, str):  # "会长:张三；秘书长:李四"
        items = []
        for part in value.replace("；", ";").replace("，", ";").split(";"):
            if part.strip():
                post, _sep, name = part.replace("：", ":").partition(":")
                items.append({"post": post.strip(), "name": name.strip()} if name else {"post": "", "name": post.strip()})
        value = items
    if not isinstance(value, list) or len(value) > MAX_OFFICERS:
        raise _err("officers_invalid", _("List at most %(n)s officers, each with a post and a name.")
                   % {"n": MAX_OFFICERS}, "officers")
    out = []
    for item in value:
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise _err("officers_invalid", _("Each officer needs a name."), "officers")
        post, name = str(item.get("post", "")).strip(), str(item["name"]).strip()
        if len(post) > 30 or len(name) > 50:
            raise _err("officers_invalid", _("An officer's post or name is too long."), "officers")
        out.append({"post": post, "name": name})
    return out


def _number(value, field: str):
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise _err("coordinates_invalid", _("Coordinates must be numbers."), field) from None


def clean(data: dict) -> dict:
    """The given fields checked and converted to model values (only those given). Raises the first
    field's error; the import collects each row's errors field by field."""
    out = {}
    for key, value in data.items():
        if key not in FIELDS:
            continue
        if key in TEXT_LIMITS:
            value = str(value or "").strip()
            if len(value) > TEXT_LIMITS[key]:
                raise _err(f"{key}_too_long", _("At most %(n)s characters.") % {"n": TEXT_LIMITS[key]}, key)
            if key == "name" and not value:
                raise _err("name_required", _("Enter a name."), "name")
        elif key in CHOICES:
            value = str(value or "")
            if key == "meets" and not value:
                pass
            elif value not in CHOICES[key].values:
                raise _err(f"{key}_invalid", _("Choose one of the listed values."), key)
        elif key in FLAGS or key == "instructor_association":
            value = bool(value)
        elif key == "credit_code":
            value = check_credit_code(value) if str(value or "").strip() else ""
        elif key == "region":
            value = check_region(value)
        elif key == "sports":
            value = check_sports(value)
        elif key == "founded_on":
            value = check_date(value, "founded_on", _("Write the founding date as 2021-05-01."))
            if value and value > timezone.localdate():
                raise _err("founded_on_future", _("The founding date lies in the future."), "founded_on")
        elif key == "officers":
            value = check_officers(value)
        elif key in ("lon", "lat"):
            value = _number(value, key)
        elif key == "member_cap":
            if value in (None, ""):
                value = None
            else:
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    value = 0
                if not 1 <= value <= 100_000:
                    raise _err("member_cap_invalid", _("The member cap is a whole number from 1 to 100,000."),
                               "member_cap")
        elif key == "site":
            value = _site(value)
        elif key == "parent":
            value = _parent(value)
        out[key] = value
    if out.get("lon") is not None or out.get("lat") is not None:
        if out.get("lon") is None or out.get("lat") is None or not geo.in_china(out["lon"], out["lat"]):
            raise _err("coordinates_outside_china", _("Give both coordinates, inside China."), "lon")
    return out


def _site(value):
    if value in (None, ""):
        return None
    if isinstance(value, Site):
        return value
    found = Site.objects.filter(pk=int(value)).first() if str(value).isdigit() and len(str(value)) < 16 else None
    if found is None:
        raise _err("site_unknown", _("Unknown site."), "site")
    return found


def _parent(value):
    if value in (None, ""):
        return None
    if isinstance(value, Org):
        return value
    found = Org.objects.filter(pk=int(value)).first() if str(value).isdigit() and len(str(value)) < 16 else None
    if found is None:
        raise _err("parent_unknown", _("Unknown federation."), "parent")
    return found


def _check_whole(values: dict, instance: Org | None) -> None:
    """The rules between fields: registered ⇒ credit code, filed ⇒ none, the federation above."""
    status, code = values.get("status"), values.get("credit_code", "")
    if status == Org.Status.REGISTERED and not code:
        raise _err("credit_code_required",
                   _("An organisation registered with civil affairs needs its unified social credit code."),
                   "credit_code")
    if status == Org.Status.FILED and code:
        raise _err("credit_code_filed", _("A filed organisation is not registered and has no credit code: "
                                          "choose “registered with civil affairs”."), "credit_code")
    if status == Org.Status.REGISTERED and code[:1] != credit.CIVIL_AFFAIRS:
        raise _err("credit_code_not_civil_affairs",
                   _("This code was not issued by civil affairs (it does not begin with 5)."), "credit_code")
    parent, region = values.get("parent"), values["region"]
    if parent is not None:
        if instance is not None and parent.pk == instance.pk:
            raise _err("parent_self", _("An organisation cannot be its own federation."), "parent")
        if parent.kind != Org.Kind.FEDERATION or not codes.contains(parent.region_id, region.code):
            raise _err("parent_invalid", _("The federation must be a sports federation of this division or of one "
                                           "above it."), "parent")
    if values.get("member_cap") is not None and instance is not None and values["member_cap"] < instance.member_count:
        raise _err("member_cap_below_members", _("The group already has more members than that."), "member_cap")
    instructor_members.check_marking(values, instance)


def _place(values: dict) -> None:
    """A site gives the address and coordinates not given."""
    site = values.get("site")
    if site is not None:
        if not values.get("address"):
            values["address"] = site.address
        if values.get("lon") is None:
            values["lon"], values["lat"] = site.lon, site.lat


def _taken(values: dict, exclude: int | None) -> None:
    instructor_members.check_one_per_division(values, exclude)
    same = Org.objects.filter(region=values["region"], name=values["name"]).exclude(pk=exclude)
    if same.exists():
        raise _err("name_taken", _("An organisation of this name is already registered or filed in this division."),
                   "name", status=409)
    if values.get("credit_code") and Org.objects.filter(credit_code=values["credit_code"]).exclude(pk=exclude).exists():
        raise _err("credit_code_taken", _("Another organisation has this credit code."), "credit_code", status=409)


def _review_for(actor, values: dict) -> str:
    if values["status"] == Org.Status.REGISTERED or permissions.can_approve(actor, values["region"].code):
        return Org.Review.APPROVED
    return Org.Review.PENDING


def _plain(value):
    if isinstance(value, (Region, Site, Org)):
        return str(value.pk)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def history(org: Org, actor, action: str, fields: dict) -> None:
    OrganizationChange.objects.create(organization=org, actor=actor if getattr(actor, "pk", None) else None,
                                      action=action, fields=fields)


# ---------------------------------------------------------------- writes


def register(data: dict, *, actor, request=None) -> Org:
    """Register (or file) a new organisation in a division the actor may change."""
    if not permissions.can_create(actor):
        raise _err("forbidden", _("You may not register organisations."), "region", status=403)
    values = {"sector": Org.Sector.GENERAL, "join_policy": Org.JoinPolicy.APPROVAL, **clean(data)}
    for key in ("name", "kind", "status", "region"):
        if key not in values:
            raise _err(f"{key}_required", _("This field is required."), key)
    if not scoping.can_write_region(actor, values["region"].code):
        raise _err("region_out_of_scope", _("This division is outside your scope."), "region", status=403)
    _check_whole(values, None)
    _place(values)
    values["review"] = _review_for(actor, values)
    try:
        with transaction.atomic():
            _taken(values, None)
            org = Org.objects.create(**values)
            history(org, actor, "create", {k: [None, _plain(v)] for k, v in values.items() if v not in (None, "", [])})
            audit.record("organization.create", request=request, actor=actor, obj=org)
    except IntegrityError:
        instructor_members.check_one_per_division(values, None)  # another got there first
        raise _err("name_taken", _("An organisation of this name is already registered or filed in this division."),
                   "name", status=409) from None
    return org


def changes_of(org: Org, values: dict) -> dict:
    """{field: [old, new]} of the values that differ from the organisation's."""
    out = {}
    for key, new in values.items():
        old = getattr(org, key)
        if old != new:
            out[key] = [_plain(old), _plain(new)]
    return out


def update(org: Org, data: dict, *, actor, request=None) -> Org:
    """Change an organisation: its managers every field, its own staff all but LEGAL."""
    if not permissions.can_change(actor, org):
        raise _err("forbidden", _("You may not change this organisation."), None, status=403)
    values = clean(data)
    manager = permissions.can_manage(actor, org)
    with transaction.atomic():
        org = Org.objects.select_for_update().get(pk=org.pk)
        diff = changes_of(org, values)
        if not manager and set(diff) & set(LEGAL):
            raise _err("field_locked", _("Only the division's sports staff change an organisation's name, kind, "
                                         "legal status, credit code, division or federation."),
                       sorted(set(diff) & set(LEGAL))[0], status=403)
        if "region" in diff and not scoping.can_write_region(actor, values["region"].code):
            raise _err("region_out_of_scope", _("This division is outside your scope."), "region", status=403)
        whole = {f: getattr(org, f) for f in FIELDS}
        whole.update(values)
        _check_whole(whole, org)
        if not diff:
            return org
        instructor_members.check_change(org, diff)
        if {"status", "region"} & set(diff):
            values["review"] = _review_for(actor, whole)
            if values["review"] != org.review:
                diff["review"] = [org.review, values["review"]]
        _taken(whole, org.pk)
        for key, value in values.items():
            setattr(org, key, value)
        try:
            with transaction.atomic():
                org.save()
        except IntegrityError:
            instructor_members.check_one_per_division(whole, org.pk)  # another got there first
            raise _err("name_taken", _("An organisation of this name is already registered or filed in this "
                                       "division."), "name", status=409) from None
        history(org, actor, "update", diff)
        audit.record("organization.update", request=request, actor=actor, obj=org, detail={"fields": sorted(diff)})
    return org


def approve(org: Org, approved: bool, *, actor, request=None) -> Org:
    """A county's (or the city's) decision on a filing."""
    if not permissions.can_approve(actor, org.region_id):
        raise _err("forbidden", _("Filings are approved by the county's sports staff."), None, status=403)
    with transaction.atomic():
        org = Org.objects.select_for_update().get(pk=org.pk)
        if org.review != Org.Review.PENDING:
            raise _err("not_pending", _("This organisation is not awaiting approval."), None, status=409)
        new = Org.Review.APPROVED if approved else Org.Review.REJECTED
        history(org, actor, "approve" if approved else "reject", {"review": [org.review, new]})
        org.review = new
        org.save(update_fields=["review", "updated_at"])
        audit.record("organization.approve" if approved else "organization.reject", request=request, actor=actor,
                     obj=org)
    return org


# ---------------------------------------------------------------- staff of an organisation


def staff_of(org: Org):
    return Membership.objects.filter(role=Role.ORG_STAFF, target_id=org.pk, target_type__app_label="organizations",
                                     target_type__model="organization").select_related("user")


def add_staff(org: Org, user, *, actor, request=None) -> Membership:
    """Make a person staff of the organisation (the org_staff role bound to it)."""
    if not permissions.can_manage(actor, org):
        raise _err("forbidden", _("You may not change this organisation."), None, status=403)
    membership = grant_membership(user, Role.ORG_STAFF, Region.objects.get(pk=org.region_id), target=org,
                                  request=request)
    user.__dict__.pop("_quanmin_memberships", None)
    return membership
