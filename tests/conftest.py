"""Shared fixtures: a small real division tree and a person for every role.

As in healthchecks' base test case, but for our scopes: a city admin, a county admin, the
neighbouring county's admin, township and community staff, a supervisor and a resident.
"""

import os
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlsplit

import hypothesis
import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test import Client
from django.utils import translation

from quanmin.accounts import services
from quanmin.accounts.models import Role
from quanmin.demo.accounts import make_id_number
from quanmin.regions.models import Region
from tests.needs import need, need_module

# The PostgreSQL pass: the test database is thrown away at the end, so a commit need not wait for
# the disk. Transactional, race and live-server tests commit thousands of times, each an fsync.
if django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
    django_settings.DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"


def _delete_filled_tables(ops, style, tables, *, reset_sequences=False, allow_cascade=False):
    """The PostgreSQL pass: a transactional test (transaction=True, live_server, races) ends with Django's
    flush, one TRUNCATE of all ~200 tables, which gives every table and index new files: 0.7 s on an
    idle machine and 5-8 s on a busy one (2026-12-07, some 100 such tests a pass). This empties the same
    tables with DELETE, and only those that hold a row (a test fills a handful): the same empty tables
    afterwards, no sequence reset either way (Django's flush keeps sequences too, unless asked). The
    foreign keys Django makes are DEFERRABLE INITIALLY DEFERRED, so the order of the DELETEs does not
    matter within flush's transaction."""
    if reset_sequences or allow_cascade or not tables:
        return _truncate_all(ops, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    names = ", ".join(f"'{table}'" for table in tables)  # Django's own table names, from introspection
    # Until a pass finds every table empty: a DELETE fires the row-noting triggers of open data
    # (quanmin/opendata/triggers.py; TRUNCATE does not), which refill their queue.
    return [f"""DO $$
DECLARE name text; filled boolean; again boolean := true;
BEGIN
  WHILE again LOOP
    again := false;
    FOREACH name IN ARRAY ARRAY[{names}]::text[] LOOP
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I)', name) INTO filled;
      IF filled THEN EXECUTE format('DELETE FROM %I', name); again := true; END IF;
    END LOOP;
  END LOOP;
END $$"""]


if django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
    from django.db.backends.postgresql.operations import DatabaseOperations

    _truncate_all = DatabaseOperations.sql_flush
    DatabaseOperations.sql_flush = _delete_filled_tables

# Property tests (hypothesis): no deadline, since a process descheduled on a busy machine takes hundreds
# of milliseconds over an example of microseconds and hypothesis then fails it as "unreliable timings"
# (timings belong in bench/); the same examples on every run, and no example database in the tree.
hypothesis.settings.register_profile("quanmin", deadline=None, derandomize=True, database=None)
hypothesis.settings.load_profile("quanmin")

PASSWORD = "Test-pass-2026"
CHROMIUM = "/usr/bin/chromium"
# How long a browser test waits for a state (a page, an element, a text) before it fails. Generous:
# on a machine running several suites on two cores a page can take many seconds to answer, and a
# passing test never waits this out, it goes on as soon as the state is there.
BROWSER_WAIT_MS = 60_000


@pytest.fixture(scope="session")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def fast_hashers(settings, media_root):
    # Uploads made by a test land in a temporary folder, never in the working tree's media/.
    settings.MEDIA_ROOT = str(media_root)
    # The production hasher is deliberately slow; tests sign in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Off unless a test turns it on, as on a production server.
    settings.QUANMIN_SIMULATED_PAYMENTS = False


@pytest.fixture(autouse=True)
def site_language():
    # Each test starts in the site's language: a request made with "Accept-Language: en" leaves
    # English active in the thread (LocaleMiddleware activates it and nothing deactivates it), and
    # the register's column labels follow the active language.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


def region(code, name, level, parent=None, population=None):
    return Region.objects.create(code=code, name=name, level=level, parent=parent, population=population)


def small_city(streets: int, villages: bool) -> Region:
    """Two districts × 4 townships × 8 communities, for the demo generators: the first `streets` townships
    of each district are sub-districts (街道) with communities, the others towns (镇) whose communities
    are villages (村) when `villages`."""
    root = region("371500000000", "聊城市", "city", population=600000)
    for ccode, cname in (("371502000000", "东昌府区"), ("371503000000", "茌平区")):
        county = Region.objects.create(code=ccode, name=cname, level="county", parent=root, population=300000,
                                       area_km2=Decimal("1000"))
        for t in range(1, 5):
            street = t <= streets
            tname = f"{cname[:2]}{t}街道" if street else f"{cname[:2]}{t}镇"
            township = region(f"{ccode[:6]}{t:03d}000", tname, "township", county, 75000)
            for m in range(1, 9):
                mname = f"{tname[:3]}{m}村委会" if villages and not street else f"{tname[:3]}{m}社区居委会"
                region(f"{township.code[:9]}{m:03d}", mname, "community", township, 9000)
    return root


@dataclass
class World:
    city: Region
    county: Region
    other_county: Region
    township: Region
    other_township: Region
    community: Region
    other_community: Region
    users: dict


def make_user(phone, name, role=None, where=None, home=None, birth="19800101", seq=1, **extra):
    place = home or where
    id_number = make_id_number(place.code if place else "371502000000", birth, seq, True)
    user = services.create_user(phone=phone, password=PASSWORD, real_name=name, id_number=id_number,
                                home_region=home, **extra)
    if role:
        services.grant_membership(user, role, where)
    return user


@pytest.fixture
def world(db) -> World:
    city = region("371500000000", "聊城市", "city", population=5952128)
    county = region("371502000000", "东昌府区", "county", city, 1229768)
    other = region("371503000000", "茌平区", "county", city, 497416)
    township = region("371502001000", "古楼街道", "township", county, 90000)
    other_township = region("371503001000", "振兴街道", "township", other, 60000)
    community = region("371502001001", "东关社区", "community", township, 8000)
    other_community = region("371503001001", "新华社区", "community", other_township, 7000)
    users = {
        "superuser": make_user("13700000000", "超级管理员", is_superuser=True, is_staff=True, seq=10),
        "city": make_user("13700000001", "市级", Role.CITY_STAFF, city, seq=11),
        "county": make_user("13700000002", "县级", Role.COUNTY_STAFF, county, seq=12),
        "other_county": make_user("13700000003", "邻县", Role.COUNTY_STAFF, other, seq=13),
        "township": make_user("13700000004", "乡镇", Role.TOWNSHIP_STAFF, township, seq=14),
        "community": make_user("13700000005", "社区", Role.COMMUNITY_STAFF, community, seq=15),
        "supervisor": make_user("13700000006", "督导", Role.SUPERVISOR, city, seq=16),
        "resident": make_user("13700000007", "居民", home=community, seq=17),
        "other_resident": make_user("13700000008", "邻县居民", home=other_community, seq=18),
    }
    world = World(city, county, other, township, other_township, community, other_community, users)
    _add_facilities(world)
    _add_booking(world)
    return world


def _add_facilities(w: World) -> None:
    """One open site with a basketball court in each county (东昌府区 and 茌平区)."""
    from quanmin.facilities import services as fs

    w.site = fs.create_site({"name": "东关社区文体广场", "address": "东关街1号", "lon": 115.985, "lat": 36.457,
                             "region": w.community, "accessible_entrance": True})
    w.facility = fs.add_facility(w.site, {"type": "basketball", "area_m2": "420", "access": "free"})
    w.other_site = fs.create_site({"name": "新华社区健身广场", "address": "新华路8号", "lon": 116.255, "lat": 36.58,
                                   "region": w.other_community})
    w.other_facility = fs.add_facility(w.other_site, {"type": "fitness_square", "area_m2": "1500"})


# Roles the permission matrix signs in as that most tests never need: made the first time asked for.
LATE_USERS = {
    # The county's people's congress office (区人大办): reads the county's supervision, nothing else.
    "oversight": lambda w: make_user("13700000009", "人大办", Role.OVERSIGHT, w.county, seq=19),
}


@pytest.fixture
def client_for(world):
    """A signed-in test client for a role name of the world."""

    def make(role: str | None) -> Client:
        client = Client()
        if role is not None:
            if role not in world.users:
                world.users[role] = LATE_USERS[role](world)
            client.force_login(world.users[role])
        return client

    return make


def make_court(facility):
    """A bookable court on `facility`, hourly 08:00-21:00 at 20 yuan (paid on site), slots generated
    for its window."""
    import datetime

    from quanmin.booking import schedule
    from quanmin.booking import services as bs
    from quanmin.booking.models import WeeklyTemplate

    unit = bs.create_unit(facility, name="1号场", payment_provider="on_site")
    WeeklyTemplate.objects.bulk_create([
        WeeklyTemplate(unit=unit, weekday=d, start=datetime.time(h), end=datetime.time(h + 1), capacity=1, price=20)
        for d in range(8) for h in range(8, 21)])
    schedule.generate_slots(unit)
    return unit


def _add_booking(w: World) -> None:
    """A bookable court at each county's site, hourly 08:00-21:00, slots generated for the window;
    and a confirmed booking of the resident (w.booking) and of the other county's resident."""
    from quanmin.booking import services as bs

    w.unit, w.other_unit = make_court(w.facility), make_court(w.other_facility)
    w.slot = w.unit.slots.order_by("start")[20]
    w.other_slot = w.other_unit.slots.order_by("start")[20]
    w.booking = bs.book(w.users["resident"], w.slot.pk)
    w.other_booking = bs.book(w.users["other_resident"], w.other_slot.pk)


@pytest.fixture
def equipment(world):
    """A fitness path with three pieces of equipment in each county: world.path / world.pieces and
    world.other_path / world.other_pieces. Installed 2019 and 2015 (past the 8-year design life)."""
    import datetime

    from quanmin.facilities import equipment_services
    from quanmin.facilities import services as fs

    def make(site):
        path = fs.add_facility(site, {"type": "fitness_path", "area_m2": "200"})
        pieces = [
            equipment_services.create_equipment(facility=path, kind="air_walker", install_date=datetime.date(2019, 5, 1),
                                      maker="舒华体育", model="SH-G5201"),
            equipment_services.create_equipment(facility=path, kind="waist_twister", install_date=datetime.date(2019, 5, 1)),
            equipment_services.create_equipment(facility=path, kind="horizontal_bar", install_date=datetime.date(2015, 4, 1)),
        ]
        return path, pieces

    world.path, world.pieces = make(world.site)
    world.other_path, world.other_pieces = make(world.other_site)
    return world


@pytest.fixture
def browser(monkeypatch):
    """Debian's Chromium through Playwright (its own browser download is never used); the test is
    skipped, saying so, when Chromium or the playwright package is not there (in CI it fails: see
    tests/needs.py). Every `expect(...)`
    waits up to BROWSER_WAIT_MS for its state (Playwright's own default is 5 s); open pages with
    `open_page` so that actions and navigations wait as long.

    The test's own ORM calls while Playwright runs get a database connection of their own: Playwright's
    sync API marks its event loop as running in this thread, and Django then keeps connections per
    async context (asgiref's thread-critical Local), apart from the one the test's teardown closes.
    It is closed here, before Playwright stops; left open, PostgreSQL could not drop the test database
    at the end of the run ("1 other session using the database")."""
    need(os.path.exists(CHROMIUM), f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = need_module("playwright.sync_api", "the playwright Python package is not installed")
    sync_api.expect.set_options(timeout=BROWSER_WAIT_MS)
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
        chromium.close()


def open_page(browser, **context_options):
    """A new browser context (`context_options` as for `new_context`) and its page, whose actions and
    navigations wait up to BROWSER_WAIT_MS; and the list the page's script errors are collected in."""
    context = browser.new_context(**context_options)
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


@pytest.fixture
def no_map_tiles(settings):
    """No map tiles configured (the offline map), whatever the environment says; tests set one."""
    settings.MAP_PROVIDER = ""
    settings.TIANDITU_KEY = ""
    settings.MAP_TILE_URL = ""
    settings.MAP_TILE_CRS = "wgs84"
    settings.MAP_TILE_ATTRIBUTION = ""
    return settings


def sign_in(page, live_server, user, next_url: str) -> None:
    """Sign `user` in through the real form and land on `next_url` (a path)."""
    page.goto(f"{live_server.url}/accounts/login/?next={next_url.replace('&', '%26').replace('?', '%3F')}")
    page.fill("input[name=phone]", user.phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    # The path itself: a glob on it also matches the sign-in page's own URL (?next=/...), which
    # would let the wait end before the form was answered.
    path = next_url.split("?")[0]
    page.wait_for_url(lambda url: urlsplit(url).path == path)

