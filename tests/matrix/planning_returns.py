"""Permission rows for county returns (统计监测, issue 21), and the objects they need.

The city's staff open a round on first use: a return for each county (东昌府区, 茌平区) with the
platform's count of grounds and one figure to enter. Path parameters give each county's staff their
own county's return (the neighbouring county's for `other_county`), everyone else 东昌府区's. The
round's readers are the city's staff and supervisors; a return's, its own county's staff too. Only
the county's own staff change a return, only the round's owners (the city's staff) open a round and
review; posts of the pages answer everyone who reads with a redirect and a message.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from quanmin.planning.services import returns


def _open(w, title: str):
    today = datetime.date.today()
    return returns.open_round(w.users["city"], division_code=w.city.code, title=title,
                              period_start=today.replace(month=1, day=1), period_end=today,
                              due_on=today + datetime.timedelta(days=30), indicator_keys=["grounds"],
                              manual=[{"name": "全民健身活动场次", "unit": "count", "kind": "integer"}])


def _returns(w):
    if not hasattr(w, "returns"):
        rnd = _open(w, "统计监测")
        reviewed = _open(w, "统计监测（已报送）")
        item = rnd.items.get(order=2)
        found = {"round": rnd, "item": item}
        for role, region in (("county", w.county), ("other_county", w.other_county)):
            found[role] = rnd.returns.get(division_code=region.code)
            found[f"{role}_file"] = returns.attach(w.users[role], found[role],
                                                   SimpleUploadedFile("统计表.pdf", b"%PDF-1.4"))
            mine = reviewed.returns.get(division_code=region.code)
            found[f"{role}_submitted"] = returns.submit(
                w.users[role], mine, figures={str(reviewed.items.get(order=2).pk): "3"}, situation="情况")
        w.returns = found
    return w.returns


def _role(role):
    return "other_county" if role == "other_county" else "county"


def round_pk(w, role=None):
    return {"pk": _returns(w)["round"].pk}


def closing_round_pk(w, role=None):
    """A round of its own for each role's try at closing one."""
    return {"pk": _open(w, "统计监测（待关闭）").pk}


def return_pk(w, role=None):
    return {"pk": _returns(w)[_role(role)].pk}


def attachment_pks(w, role=None):
    found = _returns(w)
    return {"pk": found[_role(role)].pk, "attachment_pk": found[f"{_role(role)}_file"].pk}


def spare_attachment_pks(w, role=None):
    """An attachment of its own to remove (the county's staff do; everyone else is told why not)."""
    found = _returns(w)
    ret = found[_role(role)]
    user = w.users[_role(role)]
    spare = returns.attach(user, ret, SimpleUploadedFile("补充材料.pdf", b"%PDF-1.4"))
    return {"pk": ret.pk, "attachment_pk": spare.pk}


def spare_attachment_ids(w, role=None):
    """A file of the role's return to remove (written straight in: the return may be submitted by then)."""
    from quanmin.planning.models import ReturnAttachment

    ret = _returns(w)[_role(role)]
    spare = ReturnAttachment.objects.create(ret=ret, file=SimpleUploadedFile("补充材料.pdf", b"%PDF-1.4"),
                                            name="补充材料.pdf", uploaded_by=w.users[_role(role)])
    return {"return_id": ret.pk, "attachment_id": spare.pk}


def round_id(w, role=None):
    return {"round_id": _returns(w)["round"].pk}


def return_id(w, role=None):
    return {"return_id": _returns(w)[_role(role)].pk}


def submitted_return_id(w, role=None):
    return {"return_id": _returns(w)[f"{_role(role)}_submitted"].pk}


def _filled(w, role=None):
    return {"figures": {str(_returns(w)["item"].pk): 12}, "situation": "场地设施仍不足。"}


def _new_round(w, role=None):
    today = datetime.date.today()
    return {"division_code": w.city.code, "title": "统计监测", "period_start": f"{today.year}-01-01",
            "period_end": today.isoformat(), "due_on": "2099-12-31", "indicators": ["grounds"]}


WEB = {
    "planning:rounds": ("division_reader", None, "get", None),
    # The form comes back with its message.
    "planning:round_new": ("division_writer", None, "get", None, {"post": ({}, 200)}),
    "planning:round": ("round_reader", round_pk, "get", None),
    "planning:round_export": ("round_reader", round_pk, "get", None),
    "planning:round_close": ("round_reader", closing_round_pk, "post", {}),
    # Every reader of the return gets the page; a post comes back with the result or why not.
    "planning:return": ("return_reader", return_pk, "get", None,
                        {"post": ({"action": "save", "situation": "情况"}, 302)}),
    "planning:return_decide": ("return_reader", return_pk, "post", {"decision": "accepted"}),
    "planning:return_attach": ("return_reader", return_pk, "post", {}),
    "planning:return_attachment": ("return_reader", attachment_pks, "get", None),
    "planning:return_detach": ("return_reader", spare_attachment_pks, "post", {}),
}

API = {
    "GET /api/v1/planning/rounds": ("division_reader", None, None),
    # Staff of a division under the city (a county's, a township's…) are told the city's round is not theirs.
    "POST /api/v1/planning/rounds": ("city_staff", None, _new_round),
    "GET /api/v1/planning/rounds/{round_id}": ("round_reader", round_id, None),
    "GET /api/v1/planning/returns": ("division_reader", None, None),
    "GET /api/v1/planning/returns/{return_id}": ("return_reader", return_id, None),
    # The round's readers who are not the county's staff are told (403) why not.
    "PUT /api/v1/planning/returns/{return_id}": ("return_filler", return_id, {"situation": "情况"}, 200),
    "POST /api/v1/planning/returns/{return_id}/submit": ("return_filler", return_id, _filled, 200),
    "GET /api/v1/planning/returns/{return_id}/attachments": ("return_reader", return_id, None),
    # No file sent: told so (400); once the matrix has submitted the return, 409 return_submitted.
    "POST /api/v1/planning/returns/{return_id}/attachments": ("return_filler", return_id, {}, (400, 409)),
    "DELETE /api/v1/planning/returns/{return_id}/attachments/{attachment_id}": (
        "return_filler", spare_attachment_ids, None, (204, 409)),
    "POST /api/v1/planning/returns/{return_id}/decision": (
        "city_staff", submitted_return_id, {"decision": "returned", "comment": "请补充。"}, 200),
}

CROSS_COUNTY = [
    ("web", "planning:return", return_pk, None, 200),
    ("web", "planning:return_attachment", attachment_pks, None, 200),
    ("api", "GET /api/v1/planning/returns/{return_id}", return_id, None, 200),
    ("api", "POST /api/v1/planning/returns/{return_id}/submit", return_id, _filled, 200),
]
