"""Demo people for the demo city: one account per role, and residents."""

import functools
import random

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext as _

from quanmin.accounts import services
from quanmin.accounts.idnumber import check_character
from quanmin.accounts.models import Role, User
from quanmin.regions import codes
from quanmin.regions.models import Region

DEMO_PASSWORD = "Quanmin@2026"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏飞建国志强海燕春梅晓东文博思雨子涵浩然欣怡"




def make_id_number(region_code: str, birth: str, seq: int, male: bool) -> str:
    """A well-formed ID number for demo people: address code, birth date, sequence, check digit."""
    seq = seq % 500 * 2 + (1 if male else 0)
    first17 = f"{codes.prefix_at(region_code, 'county')}{birth}{seq:03d}"
    return first17 + check_character(first17)


def free_id_number(region_code: str, birth: str, seq: int, male: bool) -> str:
    """make_id_number's number, the sequence moved on while an account already holds it: a fixed
    demo person (born on a set day) may meet a generated one born that day in the same county."""
    while True:
        number = make_id_number(region_code, birth, seq, male)
        if not User.objects.filter(id_number_hash=services.crypto.lookup_hash(number)).exists():
            return number
        seq += 1


def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    return rng.choice(SURNAMES) + given


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is slow on purpose; the demo people share one password, so hash it once.
    return make_password(DEMO_PASSWORD)


def account(phone: str, name: str, id_number: str = "", region: Region | None = None, **extra) -> User:
    existing = User.objects.filter(phone_hash=services.crypto.lookup_hash(phone)).first()
    if existing:
        return existing
    user = services.create_user(phone=phone, password=None, real_name=name,
                                id_number=id_number, home_region=region, **extra)
    user.password = _demo_password_hash()
    user.save(update_fields=["password"])
    services.record_consent(user, "privacy", settings.PRIVACY_NOTICE_VERSION)
    return user


def load(city: Region, rng: random.Random) -> None:
    """One account per role (see DEMO_PHONES and describe()) and a few dozen residents."""
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    main_county, neighbour = counties[0], counties[1]
    township = Region.objects.filter(parent=main_county).order_by("code").first()
    community = Region.objects.filter(parent=township).order_by("code").first()

    def staff(phone, name, role, region):
        services.grant_membership(account(phone, name, region=region), role, region)

    account("13800000000", "高峰", is_staff=True, is_superuser=True)
    staff("13800000001", "孙建国", Role.CITY_STAFF, city)
    staff("13800000002", "李明", Role.COUNTY_STAFF, main_county)
    staff("13800000003", "王芳", Role.COUNTY_STAFF, neighbour)
    staff("13800000004", "张伟", Role.TOWNSHIP_STAFF, township)
    staff("13800000005", "刘秀英", Role.COMMUNITY_STAFF, community)
    staff("13800000006", "陈静", Role.SUPERVISOR, city)
    staff("13800000007", "杨磊", Role.EVALUATOR, city)

    account("13900000001", "赵丽", make_id_number(community.code, "19850312", 21, False), community)
    _residents(city, rng, 60)


DEMO_PHONES = [f"1380000000{i}" for i in range(8)] + ["13900000001"]


def describe() -> list[tuple[str, str]]:
    """The demo accounts that exist, with what each one is, read without writing anything."""
    out = []
    for phone in DEMO_PHONES:
        user = User.objects.filter(phone_hash=services.crypto.lookup_hash(phone)).first()
        if user is None:
            continue
        roles = [f"{m.get_role_display()} · {m.region.name}" for m in user.memberships.select_related("region")]
        if user.is_superuser:
            roles.insert(0, _("platform administrator"))
        out.append((phone, f"{user.real_name}: " + ("; ".join(roles) or _("resident"))))
    return out


def _residents(city: Region, rng: random.Random, count: int) -> None:
    communities = list(Region.objects.filter(code__within=city.prefix, level="community").values_list("code", flat=True))
    for i in range(count):
        code = rng.choice(communities)
        year = rng.randint(1950, 2008)
        birth = f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        male = rng.random() < 0.5
        account(f"139{10000000 + i:08d}", _name(rng), make_id_number(code, birth, i, male),
                 Region.objects.get(code=code))
