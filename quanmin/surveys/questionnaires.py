"""The standard questionnaires and what the figures read from their answers.

A regular exerciser (经常参加体育锻炼的人) is, as the national fitness activity survey counts
one: exercising 3 or more times a week, 30 minutes or more each time, at moderate intensity or
above. The regular-exerciser questionnaire asks exactly these three things (keys `frequency`,
`duration`, `intensity`) and a little about what and where.

The satisfaction questionnaire asks for a mark of 1 (very dissatisfied) to 5 (very satisfied) on
each part of the public fitness service; an answer's score is the mean of its marks on a scale of
0 to 100 ((mark − 1) ÷ 4 × 100), so 3 (neither) is 50 and 4 (satisfied) 75.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

REGULAR_TIMES_A_WEEK = 3
REGULAR_DURATIONS = {"30_59", "60_plus"}
REGULAR_INTENSITIES = {"moderate", "vigorous"}
SCALE = (1, 2, 3, 4, 5)
SCALE_LABELS = {1: _("Very dissatisfied"), 2: _("Dissatisfied"), 3: _("Neither"), 4: _("Satisfied"),
                5: _("Very satisfied")}


def _choices(*pairs):
    return [{"value": value, "label": str(label)} for value, label in pairs]


def regular_exercise():
    return [
        {"key": "frequency", "kind": "single", "text": str(_("In the past month, how many times a week did you "
                                                              "exercise, on average?")),
         "choices": _choices(("0", _("Not at all")), ("1", pgettext_lazy("times a week", "Once")), ("2", _("Twice")),
                             ("3", _("3 or 4 times")), ("5", _("5 times or more")))},
        {"key": "duration", "kind": "single", "text": str(_("How long does one session usually last?")),
         "choices": _choices(("lt30", _("Under 30 minutes")), ("30_59", _("30 to 59 minutes")),
                             ("60_plus", _("An hour or more")))},
        {"key": "intensity", "kind": "single", "text": str(_("How does exercising usually feel?")),
         "choices": _choices(("light", _("Easy: breathing and heartbeat hardly change")),
                             ("moderate", _("Breathing and heartbeat faster, a light sweat")),
                             ("vigorous", _("Out of breath, sweating a lot")))},
        {"key": "activities", "kind": "multiple", "required": False,
         "text": str(_("What do you mostly do? (choose any)")),
         "choices": _choices(("walking", _("Walking")), ("running", pgettext_lazy("exercise", "Running")),
                             ("square_dance", _("Square dancing")), ("ball_games", _("Ball games")),
                             ("swimming", _("Swimming")), ("cycling", _("Cycling")),
                             ("taiji", _("Taiji, qigong")), ("gym", _("Gym training")), ("other", _("Other")))},
        {"key": "place", "kind": "single", "required": False, "text": str(_("Where do you usually exercise?")),
         "choices": _choices(("park", _("A park or square")), ("path", _("Fitness equipment near home")),
                             ("venue", _("A stadium, gym or pool")), ("school", _("A school's grounds")),
                             ("home", _("At home")), ("other", _("Elsewhere")))},
    ]


SATISFACTION_TOPICS = (
    ("facilities", _("The sports grounds and facilities near you")),
    ("equipment", _("The upkeep of fitness equipment")),
    ("events", _("Games and fitness events")),
    ("guidance", _("Guidance by social sports instructors")),
    ("organizations", _("Sports groups and organisations")),
    ("information", _("Information and booking services")),
    ("overall", _("The public fitness service overall")),
)


def satisfaction():
    questions = [{"key": key, "kind": "scale", "text": str(_("How satisfied are you with: %(topic)s?")
                                                           % {"topic": topic})}
                 for key, topic in SATISFACTION_TOPICS]
    questions.append({"key": "suggestions", "kind": "text", "required": False,
                      "text": str(_("What should be improved first?"))})
    return questions


STANDARD = {"regular_exercise": regular_exercise, "satisfaction": satisfaction}
MIN_AGE = {"regular_exercise": 7, "satisfaction": 16}


def is_regular(answers_by_key: dict) -> bool | None:
    """Whether the answers make a regular exerciser; None when the three questions are not all answered."""
    frequency, duration, intensity = (answers_by_key.get(k) for k in ("frequency", "duration", "intensity"))
    if frequency in (None, "") or duration in (None, "") or intensity in (None, ""):
        return None
    try:
        times = int(frequency)
    except (TypeError, ValueError):
        return None
    return times >= REGULAR_TIMES_A_WEEK and duration in REGULAR_DURATIONS and intensity in REGULAR_INTENSITIES


def score(marks: list[int]) -> Decimal | None:
    """The mean of 1–5 marks on a scale of 0 to 100, two decimals; None without marks."""
    if not marks:
        return None
    return (Decimal(sum(m - 1 for m in marks)) * 25 / len(marks)).quantize(Decimal("0.01"))
