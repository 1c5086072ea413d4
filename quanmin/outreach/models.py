"""Science-fitness outreach (科学健身宣传, G10 and F12): lectures, the publicity column, the "five
into" skill activities and workplace exercise.

Seed 002 (Yufeng) asks for 「每年举办不少于4期全民健身和全民健康讲座」 and to open 「开设全民健身和全民健康
宣传专栏」, pushing science-fitness knowledge to the grassroots 「利用微信公众号、门户网站」; seed 000
(Liaocheng) for 「全民健身技能入户“五进”活动」, whose five settings seed 001 (Jiaxing) names:
「深化全民健身公益培训进机关、进社区、进镇村、进学校、进企业」; seed 001 also 「倡导工间健身操」.

- `Lecture`: a fitness-and-health lecture of a division (its organiser unit, speaker, place, time in
  the city's zone, topic), which residents may sign up for up to its capacity; staff record the
  audience once it is held, or cancel it. A lecture counts as held when it started and was not
  cancelled (indicators.py).
- `LectureSignup`: one resident's place at a lecture; a cancelled sign-up keeps its row (cancelled_at)
  and a resident holds at most one live place per lecture (a constraint, and the lecture's row is
  locked while places are counted).
- `Article`: a piece of the publicity column, written by staff and published (draft → published);
  its body is plain text, shown escaped (never HTML).
- `SkillActivity`: a "five into" activity: its setting (机关, 社区, 镇村, 学校, 企业), division, day
  and participants.
- `Workplace`: a unit (机关, enterprise, institution) that runs workplace exercise, its headcount and
  how many take part.

No staff member is referenced from these rows: who wrote what is the audit log's.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class Topic(models.TextChoices):
    EXERCISE = "exercise", _("Scientific exercise methods")
    CHRONIC = "chronic", _("Exercise and chronic disease")
    NUTRITION = "nutrition", _("Nutrition and healthy living")
    INJURY = "injury", _("Sports injury prevention")
    TRADITIONAL = "traditional", _("Traditional sports and qigong")
    ELDERLY = "elderly", _("Fitness for older people")
    YOUTH = "youth", _("Fitness for children and young people")
    OTHER = "other", _("Other topics")


class LectureStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


MAX_CAPACITY = 5000
MAX_PEOPLE = 1_000_000


class Lecture(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField(_("title"), max_length=120)
    topic = models.CharField(_("topic"), max_length=12, choices=Topic.choices)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    minutes = models.PositiveSmallIntegerField(_("length in minutes"), default=90)
    place = models.CharField(_("place"), max_length=120)
    speaker = models.CharField(_("speaker"), max_length=80)
    organiser = models.CharField(_("organiser"), max_length=80)
    capacity = models.PositiveIntegerField(_("places for sign-up"), help_text=_("0: no sign-up on the platform."))
    audience = models.PositiveIntegerField(_("audience"), null=True, blank=True,
                                           help_text=_("How many attended, recorded once the lecture is held."))
    status = models.CharField(_("status"), max_length=10, choices=LectureStatus.choices,
                              default=LectureStatus.SCHEDULED)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["-starts_at", "pk"]
        verbose_name = _("lecture")
        verbose_name_plural = _("lectures")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__lte=MAX_CAPACITY) & Q(minutes__gte=10) & Q(minutes__lte=600),
                                   name="outreach_lecture_bounds"),
            models.UniqueConstraint(fields=["region", "starts_at", "title"], name="outreach_lecture_once"),
        ]
        indexes = [models.Index(fields=["region", "starts_at"], name="outreach_lecture_region")]

    def __str__(self) -> str:
        return self.title

    @property
    def cancelled(self) -> bool:
        return self.status == LectureStatus.CANCELLED


class LectureSignup(models.Model):
    lecture = models.ForeignKey(Lecture, on_delete=models.CASCADE, related_name="signups")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("lecture sign-up")
        verbose_name_plural = _("lecture sign-ups")
        constraints = [models.UniqueConstraint(fields=["lecture", "user"], condition=Q(cancelled_at__isnull=True),
                                               name="outreach_one_live_signup")]

    def __str__(self) -> str:
        return f"{self.lecture_id}/{self.user_id}"


class Category(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Science-fitness knowledge")
    METHOD = "method", _("Exercise methods")
    HEALTH = "health", _("Fitness and health")
    STORY = "story", _("Fitness stories and role models")
    NOTICE = "notice", _("Notices")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Article(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField(_("title"), max_length=120)
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("column article")
        verbose_name_plural = _("column articles")
        constraints = [models.CheckConstraint(
            condition=Q(status="draft") | Q(published_at__isnull=False), name="outreach_article_published_dated")]

    def __str__(self) -> str:
        return self.title


class Setting(models.TextChoices):
    """The five settings of seed 001, in its order (进机关、进社区、进镇村、进学校、进企业)."""

    ORGAN = "organ", _("Government offices (机关)")
    COMMUNITY = "community", _("Communities (社区)")
    VILLAGE = "village", _("Towns and villages (镇村)")
    SCHOOL = "school", _("Schools (学校)")
    ENTERPRISE = "enterprise", _("Enterprises (企业)")


class SkillActivity(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    setting = models.CharField(_("setting"), max_length=10, choices=Setting.choices)
    title = models.CharField(_("activity"), max_length=120)
    held_on = models.DateField(_("day"), db_index=True)
    place = models.CharField(_("place"), max_length=120)
    organiser = models.CharField(_("organiser"), max_length=80, blank=True)
    participants = models.PositiveIntegerField(_("participants"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("\"five into\" activity")
        verbose_name_plural = _("\"five into\" activities")
        indexes = [models.Index(fields=["region", "held_on"], name="outreach_activity_region")]

    def __str__(self) -> str:
        return self.title


class Workplace(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("unit"), max_length=120)
    headcount = models.PositiveIntegerField(_("staff"))
    participants = models.PositiveIntegerField(_("staff doing workplace exercise"))
    since = models.DateField(_("doing it since"))
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = _("workplace with workplace exercise")
        verbose_name_plural = _("workplaces with workplace exercise")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="outreach_workplace_unique_name"),
            models.CheckConstraint(condition=Q(participants__lte=F("headcount")), name="outreach_workplace_within"),
        ]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------- online fitness services (F11)
#
# Seed 003 (Hunnan, task row 8) 「拓展全民健身服务线上供给渠道」 every year; seed 000 (Liaocheng)
# 「探索发展线上体育,创新开展“云健身”、场景化健身、亲子家庭健身等形式」.
#
# - `Channel`: an online channel through which a division serves residents (this platform, a WeChat
#   official account, a mini-program, a video account, the city app, a live-stream room…): its owner
#   unit, the year it opened (and closed), its link. A channel is in service in a year when it opened
#   that year or before and did not close by it (indicators.py counts them, and the new ones).
# - `Course`: an online fitness course a division publishes: a video on demand (a link to the video on
#   one of VIDEO_HOSTS: nothing is uploaded here) or a live class (its start and the live room's link),
#   with its sport, level, length, scene (home, office, outdoors, community: 场景化健身) and the people
#   it is for (parent-child families: 亲子家庭健身; older people…). Every online course is a cloud
#   fitness (云健身) course. Draft → published; residents see the published ones.
# - `CourseCompletion`: a resident's own record that they did a course (one per person and course).

MIN_YEAR, MAX_YEAR = 2000, 2100


class ChannelKind(models.TextChoices):
    PLATFORM = "platform", _("This platform")
    WECHAT = "wechat", _("WeChat official account")
    MINI_PROGRAM = "mini_program", _("WeChat mini-program")
    VIDEO_ACCOUNT = "video_account", _("WeChat video account")
    CITY_APP = "city_app", _("City services app")
    LIVE_ROOM = "live_room", _("Live-stream room")
    SHORT_VIDEO = "short_video", _("Short-video account")
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other online channel")


class Channel(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("kind of channel"), max_length=16, choices=ChannelKind.choices)
    name = models.CharField(_("channel name"), max_length=120)
    owner = models.CharField(_("owner unit"), max_length=80)
    opened_year = models.PositiveSmallIntegerField(_("year opened"))
    closed_year = models.PositiveSmallIntegerField(_("year closed"), null=True, blank=True,
                                                   help_text=_("Empty while the channel is in service."))
    link = models.URLField(_("link"), max_length=300, blank=True)
    account = models.CharField(_("account or search name"), max_length=80, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["region_id", "opened_year", "name"]
        verbose_name = _("online service channel")
        verbose_name_plural = _("online service channels")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind", "name"], name="outreach_channel_once"),
            models.CheckConstraint(
                condition=Q(opened_year__gte=MIN_YEAR) & Q(opened_year__lte=MAX_YEAR)
                & (Q(closed_year__isnull=True) | Q(closed_year__gte=F("opened_year"))),
                name="outreach_channel_years"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def in_service(self) -> bool:
        return self.closed_year is None

    def in_service_in(self, year: int) -> bool:
        return self.opened_year <= year and (self.closed_year is None or self.closed_year > year)


class CourseKind(models.TextChoices):
    VIDEO = "video", _("Video on demand")
    LIVE = "live", _("Live class")


class Scene(models.TextChoices):
    """Scene-based fitness (场景化健身): where the course is meant to be done; ANY for none in particular."""

    ANY = "any", _("Anywhere")
    HOME = "home", _("At home")
    OFFICE = "office", _("At the office")
    OUTDOORS = "outdoors", _("Outdoors")
    COMMUNITY = "community", _("In the community")


class CourseAudience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    FAMILY = "family", _("Parents and children (亲子家庭)")
    CHILDREN = "children", _("Children and teenagers")
    ELDERLY = "elderly", _("Older people")
    WORKPLACE = "workplace", _("Office workers")
    DISABLED = "disabled", _("People with disabilities")


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class Course(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("division"), on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField(_("course title"), max_length=120)
    kind = models.CharField(_("form"), max_length=8, choices=CourseKind.choices)
    sport = models.CharField(_("sport"), max_length=40)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.BEGINNER)
    minutes = models.PositiveSmallIntegerField(_("length in minutes"))
    scene = models.CharField(_("scene"), max_length=10, choices=Scene.choices, default=Scene.ANY)
    audience = models.CharField(_("for whom"), max_length=10, choices=CourseAudience.choices,
                                default=CourseAudience.EVERYONE)
    teacher = models.CharField(_("teacher"), max_length=80, blank=True)
    provider = models.CharField(_("provider"), max_length=80)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    link = models.URLField(_("video or live-room link"), max_length=300)
    starts_at = models.DateTimeField(_("live class starts"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    views = models.PositiveIntegerField(_("page views"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    scope_fields = {"region": "region__code"}

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("online course")
        verbose_name_plural = _("online courses")
        constraints = [
            models.CheckConstraint(condition=Q(status="draft") | Q(published_at__isnull=False),
                                   name="outreach_course_published_dated"),
            models.CheckConstraint(condition=Q(kind="video") | Q(starts_at__isnull=False),
                                   name="outreach_course_live_timed"),
            models.CheckConstraint(condition=Q(minutes__gte=1) & Q(minutes__lte=600), name="outreach_course_minutes"),
        ]
        indexes = [models.Index(fields=["status", "region"], name="outreach_course_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def live(self) -> bool:
        return self.kind == CourseKind.LIVE


class CourseCompletion(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="completions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(_("done"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("online course done")
        verbose_name_plural = _("online courses done")
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="outreach_course_done_once")]

    def __str__(self) -> str:
        return f"{self.course_id}/{self.user_id}"
