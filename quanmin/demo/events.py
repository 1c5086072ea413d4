"""Demo games and events for the demo city (Liaocheng), deterministic for a seed:

- the city games, this edition (15th, 16 sports from March to October of this year) and the last
  (14th, last year, every final decided), with a delegation per county and a leader for each;
- county games, part of this year's city games, in every county but the last (7 of 8 in
  Liaocheng): each 8-9 sports over 5 months, except one county's, which runs 3 months (short of
  its rule);
- township activities: 2-5 a township (a few below the floor of 3);
- community games in about 85% of the communities and villages, fewer (about 70%) in two counties;
- brand events, association events (of the demo's registered associations where there are any), events for older people, women and young people, and one
  online event (a 30-day step challenge) with results submitted by the entrants, some accepted
  and some waiting for review;
- demo athletes (real-name accounts, about 20 per community, at most ATHLETES) entering the city
  games through their county's delegation and their county's games: tens of thousands of entries
  on the full demo city, written with core.bulk; results in every past final (medal tables).

An employee basketball league over three months (A15), a joint departmental walk with its
co-organising departments (A19), the youth athletics meet by school stage (A22), and the sports the
city and each county promote this year (A24; the last counties name too many).

Two events published just now and still ahead (a city New Year walk, a county badminton open) are
pushed to the demo athletes' alerts (about 300, by sport or any, in their county).

Judges and delegation leaders: phones 13800000020 (judge of the city 100 m) and 13800000021 (leader
of the first county's delegation), the demo password.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from quanmin.accounts import crypto
from quanmin.accounts import services as accounts
from quanmin.accounts.models import Role, User
from quanmin.core import bulk
from quanmin.events import services_alerts, services_results
from quanmin.events.models import Alert, Competition, Delegation, Entry, Games, PromotedSport, Result, new_code
from quanmin.events.services import ASSOCIATION_KINDS
from quanmin.facilities.models import Site
from quanmin.organizations.models import Organization
from quanmin.regions import codes
from quanmin.regions.models import Region

from . import accounts as accounts_demo

ATHLETES = 8000
PER_COMMUNITY = 20
CITY_SPORTS = [("athletics", "田径", "time"), ("swimming", "游泳", "time"), ("basketball", "篮球", "score"),
               ("football", "足球", "score"), ("volleyball", "气排球", "score"), ("table_tennis", "乒乓球", "score"),
               ("badminton", "羽毛球", "score"), ("tennis", "网球", "score"), ("taiji", "太极拳", "score"),
               ("qigong", "健身气功", "score"), ("square_dance", "广场舞", "score"), ("rope_skipping", "跳绳", "count"),
               ("tug_of_war", "拔河", "rank"), ("xiangqi", "中国象棋", "rank"), ("cycling", "自行车", "time"),
               ("gateball", "门球", "score")]
TOWNSHIP_SPORTS = [("walking", "健步走"), ("tug_of_war", "拔河"), ("square_dance", "广场舞"), ("rope_skipping", "跳绳"),
                   ("shuttlecock", "踢毽子"), ("table_tennis", "乒乓球")]
BRANDS = [("聊城环东昌湖国际马拉松", "marathon", "聊城市体育局"), ("江北水城龙舟赛", "dragon_boat", "聊城市体育局"),
          ("运河古城健步走", "walking", "东昌府区体育局"), ("阳谷景阳冈登山节", "mountaineering", "阳谷县体育局"),
          ("东阿阿胶杯象棋公开赛", "xiangqi", "东阿县体育局"), ("临清运河龙舟邀请赛", "dragon_boat", "临清市体育局")]
ASSOCIATIONS = ["聊城市篮球协会", "聊城市乒乓球协会", "聊城市老年人体育协会", "聊城市太极拳协会", "聊城市登山协会"]
STAFF = [("13800000020", "马志远", Role.JUDGE), ("13800000021", "高秀兰", Role.DELEGATION_LEADER)]
ACCOUNTS: list[tuple[str, str]] = []


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


# A medium- or high-risk event's safety plan on file (G14), as Liaocheng's organisers write them.
PLANS = {
    Games.Risk.MEDIUM: (1500, "安保：属地派出所与承办方安保人员分区值守，设置入口安检和疏散通道引导员；应急：医疗点、消防通道和应急疏散预案，赛前组织一次演练。",
                        "设医疗救护点2处并配AED；参赛人员赛前签署健康承诺书；按属地疫情防控要求执行，出现发热等症状人员由医疗点引导就医。"),
    Games.Risk.HIGH: (12000, "安保：经市公安局大型群众性活动安全许可，赛道分段封闭，每公里设安保和志愿者点位；应急：指挥部统一调度，公安、消防、医疗、交通联动，设终点人流疏导区。",
                      "沿线每2.5公里设医疗站，终点设医疗中心，配急救车和AED跑者；参赛者提交体检证明；执行属地卫生健康和疫情防控要求，设隔离观察点。"),
}


def _safe(**extra) -> dict:
    people, plan, health = PLANS.get(extra.get("risk"), (None, "", ""))
    extra = {"expected_attendance": people, "safety_plan": plan, "health_measures": health, **extra}
    return {"status": Games.Status.PUBLISHED, "venue_capacity_checked": True, "medical_cover": True, "insurance": True,
            "emergency_plan": True, "organizer_responsible": "张建华", "operator_responsible": "刘强",
            "authority_responsible": "王立新", "published_at": timezone.now(), **extra}


class Maker:
    """Collects games and competitions, then writes them with core.bulk (games first, for their ids)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.games: list[Games] = []
        self.competitions: list[tuple[Games, Competition]] = []

    def games_row(self, region: Region, name: str, year: int, **extra) -> Games:
        games = Games(name=name, level=region.level, region_id=region.code, year=year, organizer=extra.pop(
            "organizer", f"{region.name}体育主管部门"), **_safe(**extra))
        self.games.append(games)
        return games

    def competition(self, games: Games, sport: str, name: str, start: datetime.datetime, hours: int = 4, **extra):
        closes = start - datetime.timedelta(days=7)
        c = Competition(sport=sport, name=name, starts_at=start, ends_at=start + datetime.timedelta(hours=hours),
                        closes_at=closes, residents_only=extra.pop("residents_only", True), **extra)
        self.competitions.append((games, c))
        return c

    def write(self) -> None:
        for games in self.games:
            mine = [c for g, c in self.competitions if g is games]
            if mine:
                games.first_day = timezone.localtime(min(c.starts_at for c in mine)).date()
                games.last_day = timezone.localtime(max(c.ends_at for c in mine)).date()
        parents = [g for g in self.games if g.parent is None]
        bulk.insert_rows(parents, ids=True)
        children = [g for g in self.games if g.parent is not None]
        for g in children:
            g.parent_id = g.parent.pk
        bulk.insert_rows(children, ids=True)
        for games, c in self.competitions:
            c.games_id = games.pk
        bulk.insert_rows([c for _g, c in self.competitions], ids=True)


def _city_games(m: Maker, city: Region, edition: int, year: int, today: datetime.date) -> Games:
    games = m.games_row(city, f"聊城市第{edition}届全民健身运动会", year, edition=edition, organizer="聊城市人民政府",
                        operator="聊城市体育产业发展有限公司", co_organizers="市教育局、市总工会、团市委、市妇联",
                        contract="LCTY-2025-017" if edition == 15 else "", risk=Games.Risk.MEDIUM, themed_day="fitness_day",
                        description="市县乡三级联动，覆盖全市常住居民。")
    first = datetime.date(year, 3, 1)
    for i, (sport, label, measure) in enumerate(CITY_SPORTS):
        day = first + datetime.timedelta(days=i * 14)
        for sex, sex_label in (("male", "男子"), ("female", "女子")):
            team = sport in ("basketball", "football", "volleyball", "tug_of_war")
            m.competition(games, sport, f"{sex_label}{label}{'团体' if team else ''}", _at(day, 9), sex=sex, measure=measure,
                          format="team" if team else "individual", team_min=5 if team else 1, team_max=12 if team else 1,
                          capacity=400, delegation_quota=60, entries=Competition.Entries.DELEGATION, min_age=16,
                          rules=f"{label}项目按国家体育总局最新竞赛规则执行，分男女组别。")
    return games


def load(city: Region, rng: random.Random) -> dict:
    """Everything above, once: a second call finds the city's games and does nothing."""
    if Games.objects.filter(region__code__within=city.prefix).exists():
        return {"games": 0}
    today = timezone.localdate()
    year = today.year
    counties = list(Region.objects.filter(parent=city, level="county").order_by("code"))
    townships = list(Region.objects.filter(parent__in=counties, level="township").order_by("code"))
    communities = list(Region.objects.filter(parent__parent__in=counties, level="community").order_by("code"))
    m = Maker(rng)
    current = _city_games(m, city, 15, year, today)
    last = _city_games(m, city, 14, year - 1, today)
    for i, county in enumerate(counties[:-1] if len(counties) > 1 else counties):
        short = i == 1  # one county's games run three months only: short of the county rule
        games = m.games_row(county, f"{county.name}第五届全民健身运动会", year, edition=5, parent=current,
                            operator=f"{county.name}体育场馆运营中心")
        first = datetime.date(year, 4, 1)
        for j, (sport, label, measure) in enumerate(CITY_SPORTS[: 8 + (i % 2)]):
            day = first + datetime.timedelta(days=j * (11 if short else 19))
            m.competition(games, sport, f"{label}", _at(day, 9), measure=measure, capacity=300,
                          entries=Competition.Entries.BOTH)
    for t in townships:
        for _n in range(rng.choice((2, 3, 3, 4, 5))):
            sport, label = rng.choice(TOWNSHIP_SPORTS)
            games = m.games_row(t, f"{t.name}{label}比赛", year, kind=Games.Kind.EVENT, themed_day=rng.choice(
                ["", "", "spring_festival", "fitness_day", "harvest"]))
            m.competition(games, sport, label, _at(datetime.date(year, rng.randint(1, 11), rng.randint(1, 28)), 9),
                          capacity=200)
    weak = {c.code for c in counties[-2:]}  # two counties lag behind the 80% target
    for c in communities:
        share = 0.70 if c.parent.parent_id in weak else 0.88
        if rng.random() < share:
            games = m.games_row(c, f"{c.name}{year}年社区运动会", year, kind=Games.Kind.GAMES, target_groups=",families,")
            m.competition(games, "tug_of_war", "拔河", _at(datetime.date(year, rng.randint(4, 10), rng.randint(1, 28)), 9),
                          capacity=100)
    for i, (name, sport, organizer) in enumerate(BRANDS):
        region = city if i < 2 else next((c for c in counties if organizer.startswith(c.name[:2])), city)
        games = m.games_row(region, f"{year}{name}", year, kind=Games.Kind.EVENT, brand=True, brand_owner=organizer,
                            organizer=organizer, risk=Games.Risk.HIGH if sport == "marathon" else Games.Risk.MEDIUM)
        m.competition(games, sport, name, _at(datetime.date(year, 5 + i, 18), 7), capacity=3000, residents_only=False)
    registered = list(Organization.objects.filter(region__code__within=city.prefix, kind__in=ASSOCIATION_KINDS)
                      .order_by("pk")[: len(ASSOCIATIONS)])
    for i, association in enumerate(ASSOCIATIONS):
        org = registered[i] if i < len(registered) else None
        association = org.name[:120] if org else association
        games = m.games_row(city, f"{association}{year}年会员联赛", year, kind=Games.Kind.EVENT, association=association,
                            organizer=association, target_groups=",elderly," if "老年" in association else "",
                            organization_id=org.pk if org else None)
        m.competition(games, CITY_SPORTS[i][0], f"{association[3:-2]}联赛", _at(datetime.date(year, 6 + i, 10), 9))
    for groups, sport, label in ((",elderly,", "rouliqiu", "老年人柔力球展示赛"), (",women,", "square_dance", "巾帼健身操舞大赛"),
                                 (",youth,", "athletics", "青少年阳光体育田径赛")):
        games = m.games_row(city, f"{year}聊城市{label}", year, kind=Games.Kind.EVENT, target_groups=groups)
        m.competition(games, sport, label, _at(datetime.date(year, 9, 9), 9), capacity=500)
        if sport == "athletics":  # A22: the youth meet by school stage
            for k, stage in enumerate(("primary", "junior", "senior")):
                m.competition(games, sport, f"{label}（{Competition.Stage(stage).label}组）",
                              _at(datetime.date(year, 9, 10 + k), 9), capacity=300, stage=stage, residents_only=False)
    # A15: the employee league over 60 days; A19: a joint departmental activity with its departments.
    league = m.games_row(city, f"{year}聊城市直机关职工篮球联赛", year, kind=Games.Kind.EVENT, target_groups=",workers,",
                         organizer="聊城市总工会", co_organizers="市体育局、市直机关工委")
    for k, month in enumerate((3, 4, 5)):
        m.competition(league, "basketball", f"职工篮球联赛第{k + 1}阶段", _at(datetime.date(year, month, 20), 14),
                      format="team", team_min=5, team_max=12, capacity=32)
    joint = m.games_row(city, f"{year}聊城市部门联合全民健身健步走", year, kind=Games.Kind.EVENT,
                        co_organizers="市卫生健康委、市教育局、团市委、市妇联", themed_day="fitness_day")
    m.competition(joint, "walking", "全民健身日健步走", _at(datetime.date(year, 8, 8), 8), capacity=3000,
                  residents_only=False)
    online = m.games_row(city, f"{year}聊城“云健身”万步挑战赛", year, kind=Games.Kind.EVENT, mode=Games.Mode.ONLINE,
                         target_groups=",workers,")
    m.competition(online, "walking", "30天累计步数", _at(today - datetime.timedelta(days=25), 0), hours=24 * 30,
                  measure="count", capacity=5000, residents_only=False)
    # Two events published just now and still ahead: the ones residents' alerts are told of.
    fresh = [m.games_row(city, f"{year + 1}聊城市新春健步走", year, kind=Games.Kind.EVENT, themed_day="new_year",
                         target_groups=",families,"),
             m.games_row(counties[0], f"{counties[0].name}全民健身羽毛球公开赛", year, kind=Games.Kind.EVENT)]
    m.competition(fresh[0], "walking", "新春健步走（5公里）", _at(today + datetime.timedelta(days=26), 9), capacity=2000,
                  residents_only=False)
    m.competition(fresh[1], "badminton", "羽毛球单打", _at(today + datetime.timedelta(days=40), 9), capacity=128)
    # A county event called off (X1): its page says why; it is in no list or figure.
    called_off = m.games_row(counties[-1], f"{counties[-1].name}环湖自行车骑行赛", year, kind=Games.Kind.EVENT,
                             status=Games.Status.CANCELLED, cancelled_at=timezone.now(),
                             cancel_reason="赛道沿线道路施工，无法保障骑行安全，经研究取消本次比赛。", funding=Decimal("80000"))
    m.competition(called_off, "cycling", "环湖骑行（30公里）", _at(today + datetime.timedelta(days=20), 8), capacity=300,
                  residents_only=False)
    _venues(m, city)
    m.write()
    out = {"games": len(m.games), "competitions": len(m.competitions)}
    out.update(_people(city, rng, counties, communities, current, last, online, today))
    out["alerted"] = _alerts(city, fresh)
    out["promoted"] = _promoted(city, counties, year)
    return out


PROMOTED = ["rope_skipping", "rouliqiu", "taiji", "shuttlecock", "fitness_ball", "square_dance", "qigong", "gateball"]


def _promoted(city: Region, counties: list[Region], year: int) -> int:
    """A24: the city promotes two simple sports this year, each county one (the last two, three: too many)."""
    rows = [PromotedSport(region=city, year=year, sport=s, note="进社区、进公园、进机关") for s in PROMOTED[:2]]
    for i, county in enumerate(counties):
        many = 3 if i >= len(counties) - 2 and len(counties) > 2 else 1
        rows += [PromotedSport(region=county, year=year, sport=PROMOTED[(i + k) % len(PROMOTED)], note="社区培训、展示赛")
                 for k in range(many)]
    return len(PromotedSport.objects.bulk_create(rows, ignore_conflicts=True))


ALERT_SPORTS = ["", "walking", "badminton", "running", "square_dance"]
ALERTS = 300


def _alerts(city: Region, fresh: list[Games]) -> int:
    """Demo athletes' event alerts (A11), made yesterday, in their county, by sport or any: every
    demo games counts as told already but `fresh`, which the events tick's push tells them of now."""
    people = list(User.objects.filter(event_entries__games__region__code__within=city.prefix)
                  .values_list("pk", "home_region_id").distinct().order_by("pk")[:ALERTS])
    Alert.objects.bulk_create([Alert(user_id=pk, sport=ALERT_SPORTS[i % len(ALERT_SPORTS)],
                                     region_id=codes.ancestor_at(home, "county"))
                               for i, (pk, home) in enumerate(people) if home], ignore_conflicts=True)
    Alert.objects.filter(user_id__in=[pk for pk, _home in people]).update(
        created_at=timezone.now() - datetime.timedelta(days=1))
    Games.objects.filter(region__code__within=city.prefix, alerted_at__isnull=True).exclude(
        pk__in=[g.pk for g in fresh]).update(alerted_at=timezone.now())
    return services_alerts.push_due()


def _venues(m: Maker, city: Region) -> None:
    """Each on-site competition at a built site inside its games' division (or the nearest division
    above that has one), so that the map of events near me has points. No random draws: the rest
    of the demo stays as it was."""
    by_prefix: dict[str, list[int]] = {}
    built = Site.objects.filter(region__code__within=city.prefix).exclude(
        status__in=[Site.Status.PLANNED, Site.Status.BUILDING]).order_by("pk")
    for pk, code in built.values_list("pk", "region_id").iterator(chunk_size=5000):
        for level in ("city", "county", "township", "community"):
            by_prefix.setdefault(codes.prefix_at(code, level), []).append(pk)
    for i, (games, competition) in enumerate(m.competitions):
        if games.mode == Games.Mode.ONLINE:
            continue
        for code in codes.upward(games.region_id):
            found = by_prefix.get(codes.prefix(code))
            if found:
                competition.site_id = found[(i * 7919) % len(found)]
                break


def _athletes(rng: random.Random, communities: list[Region]) -> list[User]:
    """Real-name demo athletes, about PER_COMMUNITY per community (at most ATHLETES), in bulk."""
    count = min(ATHLETES, PER_COMMUNITY * len(communities))
    password = accounts_demo._demo_password_hash()
    # Numbers held already (the role accounts, the residents of accounts_demo) are passed over too.
    users, used = [], set(User.objects.exclude(id_number_hash="").values_list("id_number_hash", flat=True))
    for i in range(count):
        home = communities[i % len(communities)]
        year = rng.randint(1955, 2006)
        male = rng.random() < 0.52
        born = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
        birth = born.strftime("%Y%m%d")
        seq = 300 + i // len(communities)
        while True:  # the same county, birth date and sequence as someone's: take the next sequence
            id_number = accounts_demo.make_id_number(home.code, birth, seq, male)
            held = crypto.lookup_hash(id_number)
            if held not in used:
                break
            seq += 1
        used.add(held)
        phone = f"137{50000000 + i:08d}"
        users.append(User(phone_hash=crypto.lookup_hash(phone), phone_enc=crypto.encrypt(phone),
                          real_name=accounts_demo._name(rng), id_number_hash=held,
                          id_number_enc=crypto.encrypt(id_number), birth_date=born,
                          sex="male" if male else "female", home_region_id=home.code, password=password,
                          date_joined=timezone.now()))
    known = set(User.objects.filter(id_number_hash__in=[u.id_number_hash for u in users]).values_list("id_number_hash",
                                                                                                      flat=True))
    users = [u for u in users if u.id_number_hash not in known]
    bulk.insert_rows(users, ids=True)
    return users


def _people(city, rng, counties, communities, current: Games, last: Games, online: Games, today) -> dict:
    by_games = {(g.pk, c.code): Delegation(games=g, name=f"{c.name}代表团", kind="county", region_id=c.code)
                for g in (current, last) for c in counties}
    bulk.insert_rows(list(by_games.values()), ids=True)
    judge = accounts_demo.account(STAFF[0][0], STAFF[0][1], region=city)
    leader = accounts_demo.account(STAFF[1][0], STAFF[1][1], region=counties[0])
    first_city = Competition.objects.filter(games=current).order_by("starts_at", "pk").first()
    accounts.grant_membership(judge, Role.JUDGE, city, target=first_city)
    accounts.grant_membership(leader, Role.DELEGATION_LEADER, counties[0], target=by_games[(current.pk, counties[0].code)])
    athletes = _athletes(rng, communities)
    if not athletes:
        return {"entries": 0}
    entries, taken = [], {}
    now = timezone.now()

    def add(competition, user, delegation=None, status=Entry.Status.CONFIRMED):
        if taken.get(competition.pk, 0) >= competition.capacity:
            return  # full: the quota holds in the demo as everywhere
        taken[competition.pk] = taken.get(competition.pk, 0) + 1
        entries.append(Entry(competition_id=competition.pk, games_id=competition.games_id, user_id=user.pk,
                             delegation_id=delegation.pk if delegation else None, status=status, sex=user.sex,
                             birth_year=user.birth_date.year, region_code=user.home_region_id, bib=new_code(),
                             created_at=competition.closes_at - datetime.timedelta(days=rng.randint(1, 30)),
                             decided_at=now))

    city_comps = {g.pk: list(Competition.objects.filter(games=g, format="individual")) for g in (current, last)}
    county_comps = {g.region_id: list(g.competitions.all()) for g in Games.objects.filter(parent=current)}
    for user in athletes:
        county = codes.ancestor_at(user.home_region_id, "county")
        for games in (current, last):
            fitting = [c for c in city_comps[games.pk] if c.sex == user.sex]
            for c in rng.sample(fitting, min(len(fitting), 2)):
                status = Entry.Status.PENDING if games is current and rng.random() < 0.03 else Entry.Status.CONFIRMED
                add(c, user, by_games.get((games.pk, county)), status)
        mine = county_comps.get(county, [])
        for c in rng.sample(mine, min(len(mine), 1)):
            add(c, user)
    online_comp = online.competitions.first()
    for user in athletes[: min(600, len(athletes))]:
        add(online_comp, user)
    bulk.insert_rows(entries, ids=True)
    for pk, n in taken.items():
        Competition.objects.filter(pk=pk).update(taken=n)
    results = _results(rng, entries, now, online_comp)
    return {"athletes": len(athletes), "entries": len(entries), "results": results}


BASE = {"time": 60, "distance": 5, "score": 80, "count": 20000, "rank": 1}


def _results(rng, entries: list[Entry], now, online_comp: Competition) -> int:
    """Finals of every competition already held, and the online event's submitted results."""
    done = {c.pk: c for c in Competition.objects.filter(starts_at__lt=now).select_related("games")}
    rows = []
    for e in entries:
        c = done.get(e.competition_id)
        if c is None or e.status != Entry.Status.CONFIRMED:
            continue
        value = Decimal(str(round(BASE[c.measure] * rng.uniform(0.7, 1.3), 2)))
        online = c.pk == online_comp.pk
        review = (Result.Review.ACCEPTED if rng.random() < 0.8 else Result.Review.SUBMITTED) if online else \
            Result.Review.ACCEPTED
        rows.append(Result(entry_id=e.pk, competition_id=c.pk, value=value, review=review,
                           evidence_url="https://steps.example.cn/export/" + e.bib if online else "",
                           recorded_by_id=e.user_id if online else None))
    bulk.insert_rows(rows)
    for pk in sorted({r.competition_id for r in rows}):
        services_results.rerank(done[pk], Result.Round.FINAL)
    return len(rows)


def describe() -> list[tuple[str, str]]:
    out = []
    for phone, _name, _role in STAFF:
        user = User.objects.filter(phone_hash=crypto.lookup_hash(phone)).first()
        if user is not None:
            roles = "; ".join(str(m.get_role_display()) for m in user.memberships.all())
            out.append((phone, f"{user.real_name}: {roles}"))
    return out
