"""The sports an organisation practises: stable codes, Chinese names (the register's words, also in
the Excel template) and English labels for the page language."""

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

# code: (Chinese name as the register writes it, English label)
SPORTS = {
    "athletics": ("田径", _("Athletics")),
    "running": ("跑步", pgettext_lazy("exercise", "Running")),
    "walking": ("健步走", _("Fitness walking")),
    "football": ("足球", _("Football")),
    "basketball": ("篮球", _("Basketball")),
    "volleyball": ("排球", _("Volleyball")),
    "table_tennis": ("乒乓球", _("Table tennis")),
    "badminton": ("羽毛球", _("Badminton")),
    "tennis": ("网球", _("Tennis")),
    "swimming": ("游泳", _("Swimming")),
    "cycling": ("自行车", _("Cycling")),
    "martial_arts": ("武术", _("Martial arts")),
    "taiji": ("太极拳", _("Taijiquan")),
    "qigong": ("健身气功", _("Health qigong")),
    "square_dance": ("广场舞", _("Square dance")),
    "aerobics": ("健身操", _("Aerobics")),
    "chess": ("棋类", _("Chess and board games")),
    "mountaineering": ("登山", _("Mountaineering and hiking")),
    "fishing": ("钓鱼", _("Angling")),
    "kite": ("风筝", _("Kite flying")),
    "rope_skipping": ("跳绳", _("Rope skipping")),
    "shuttlecock": ("毽球", _("Shuttlecock kicking")),
    "gateball": ("门球", _("Gateball")),
    "roller_skating": ("轮滑", _("Roller skating")),
    "yoga": ("瑜伽", _("Yoga")),
    "dragon_boat": ("龙舟", _("Dragon boat")),
    "other": ("其他", _("Other")),
}
BY_NAME = {zh: code for code, (zh, _label) in SPORTS.items()}


def label(code: str) -> str:
    zh, en = SPORTS.get(code, (code, code))
    return zh if (get_language() or "zh-hans").startswith("zh") else str(en)


def choices() -> list[tuple[str, str]]:
    return [(code, label(code)) for code in SPORTS]


def lookup(text: str) -> str | None:
    """A sport by its code, Chinese name or English label."""
    text = str(text or "").strip()
    if text in SPORTS:
        return text
    if text in BY_NAME:
        return BY_NAME[text]
    lowered = text.lower()
    for code, (_zh, en) in SPORTS.items():
        if str(en).lower() == lowered:
            return code
    return None
