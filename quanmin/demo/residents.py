"""Demo residents who show what the platform does for different people, each printed by load_demo
with what to try: an older person with a verified free-entry certificate, a student, a parent
with a child under 14, and someone whose online booking is suspended after no-shows."""

import datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from quanmin.accounts import services
from quanmin.accounts.models import User
from quanmin.booking.models import Booking, Certificate, Slot, Strike
from quanmin.demo import booking as booking_demo
from quanmin.demo.accounts import account, free_id_number
from quanmin.regions.models import Region

# phone, name, birth date (YYYYMMDD), male, who they are
PEOPLE = [
    ("13900000002", "王桂兰", "19550418", False, "senior"),
    ("13900000003", "刘子涵", "20060915", True, "student"),
    ("13900000004", "陈晓燕", "19880702", False, "parent"),
    ("13900000005", "陈乐乐", "20160520", True, "child"),
    ("13900000006", "赵鹏飞", "19920311", True, "suspended"),
]


def _try(kind: str) -> str:
    return {
        "senior": _("over 60 with a verified senior certificate: book a pool session in the daytime and see the "
                    "free-entry price"),
        "student": _("a student with a verified student card: book a court and see the student price"),
        "parent": _("a parent: book a session with her son as a companion under 18, or join a youth group for him "
                    "(a guardian's consent)"),
        "child": _("a boy of ten, registered with his mother's consent: his physique record"),
        "suspended": _("three no-shows in a month: online booking is suspended, the slot page says until when"),
    }[kind]


def _home() -> Region:
    county = Region.objects.filter(level="county").order_by("code").first()
    township = Region.objects.filter(parent=county).order_by("code").first()
    return Region.objects.filter(parent=township).order_by("code").first()


def _certificate(user: User, kind: str, today: datetime.date) -> None:
    name = default_storage.save(f"certificates/demo/{user.pk}-{kind}.png",
                                booking_demo._certificate_image(str(Certificate.Kind(kind).label), 37159000 + user.pk))
    Certificate.objects.create(user=user, kind=kind, image=name, region=user.home_region,
                               status=Certificate.Status.VERIFIED, valid_until=today + datetime.timedelta(days=730),
                               checked_at=timezone.now(), note=_("Checked at the community office"))


def _no_shows(user: User, now: datetime.datetime) -> None:
    """Three missed bookings in the last weeks, each a strike: enough to suspend online booking."""
    slots = list(Slot.objects.filter(start__lt=now - datetime.timedelta(days=2), start__gt=now - datetime.timedelta(days=40),
                                     unit__payment_provider="on_site").order_by("-start")[:200:60])[:settings.BOOKING_STRIKES_TO_SUSPEND]
    for slot in slots:
        booking = Booking.objects.create(slot=slot, user=user, status=Booking.Status.NO_SHOW, price=slot.price,
                                         confirmed_at=slot.start - datetime.timedelta(days=1))
        Strike.objects.create(user=user, booking=booking)
        Strike.objects.filter(booking=booking).update(at=slot.end + datetime.timedelta(minutes=30))


def load(city: Region, rng) -> None:
    if User.objects.filter(phone_hash=services.crypto.lookup_hash(PEOPLE[0][0])).exists():
        return
    home, today, now = _home(), timezone.localdate(), timezone.now()
    made = {}
    for i, (phone, name, birth, male, kind) in enumerate(PEOPLE):
        made[kind] = account(phone, name, free_id_number(home.code, birth, 300 + i, male), home)
    _certificate(made["senior"], Certificate.Kind.SENIOR, today)
    _certificate(made["student"], Certificate.Kind.STUDENT, today)
    services.record_consent(made["child"], "privacy", settings.PRIVACY_NOTICE_VERSION,
                            guardian_name=made["parent"].real_name, guardian_relation=_("mother"),
                            guardian_id_number=made["parent"].id_number)
    _no_shows(made["suspended"], now)


def describe() -> list[tuple[str, str]]:
    out = []
    for phone, name, _birth, _male, kind in PEOPLE:
        if User.objects.filter(phone_hash=services.crypto.lookup_hash(phone)).exists():
            out.append((phone, f"{name}: {_('resident')} — {_try(kind)}"))
    return out
