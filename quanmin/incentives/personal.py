"""A person's points and vouchers: their export (PIPL art. 45) and erasure (art. 47).

quanmin.web.personal_data calls these; `COVERS` names each reference to a person held here and what
the erasure does with it (tests/web/test_personal_data.py walks the models against it). The ledger
and the vouchers are the record of public money and of figures already reported: they stay, linked
to the anonymous account the erasure leaves; the keyed hashes of the claiming phone and address go.
"""

from __future__ import annotations

from .models import Nomination, PointsAccount, PointsEntry, Vote, Voucher

# reference to the person: (where the export lists it, what the erasure does: delete | unlink | keep)
COVERS = {
    "incentives.PointsAccount.user": ("points_account", "keep"),
    "incentives.PointsEntry.user": ("points_ledger", "keep"),
    "incentives.Voucher.user": ("vouchers", "keep"),
    # A vote stays (the published counts were made of it); who put a nominee forward is unlinked.
    "incentives.Vote.user": ("honour_votes", "keep"),
    "incentives.Nomination.nominated_by": ("nominations_made", "unlink"),
}


def _iso(value):
    return value.isoformat() if value else None


def export_person(user) -> dict:
    account = PointsAccount.objects.filter(user=user).first()
    return {
        "points_account": {"balance": account.balance, "earned": account.earned, "spent": account.spent,
                           "expired": account.expired} if account else {},
        "points_ledger": [
            {"kind": e.get_kind_display(), "points": e.points, "for": e.get_fact_display() if e.fact else "",
             "day": _iso(e.day), "expires_on": _iso(e.expires_on), "note": e.note}
            for e in PointsEntry.objects.filter(user=user).order_by("day", "id")
        ],
        "vouchers": [
            {"campaign": v.campaign.name, "code": v.code, "status": v.get_status_display(),
             "claimed_at": _iso(v.claimed_at), "usable_until": _iso(v.expires_at), "used_at": _iso(v.redeemed_at),
             "venue": v.site.name if v.site else None, "consumption": str(v.spend) if v.spend is not None else None,
             "discount": str(v.discount) if v.discount is not None else None}
            for v in Voucher.objects.filter(user=user).select_related("campaign", "site").order_by("claimed_at")
        ],
        "honour_votes": [{"selection": v.selection.name, "nominee": v.nomination.nominee, "at": _iso(v.created_at)}
                         for v in Vote.objects.filter(user=user).select_related("selection", "nomination").order_by("pk")],
        "nominations_made": [{"selection": n.selection.name, "nominee": n.nominee, "status": n.get_status_display(),
                              "at": _iso(n.created_at)}
                             for n in Nomination.objects.filter(nominated_by=user).select_related("selection").order_by("pk")],
    }


def erase_person(user) -> None:
    Voucher.objects.filter(user=user).update(device_key="", address_key="")
    Nomination.objects.filter(nominated_by=user).update(nominated_by=None)
