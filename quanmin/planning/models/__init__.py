"""Planning's tables, one module per subject: plans and their targets, task tables, departments,
the work on tasks, figures entered by hand, and the indicators' history.

Other subjects (supervision, evaluation, county returns, joint meetings, titles…) add their own module
here and import it below, so that Django finds every model through this package.
"""

from .departments import Department
from .evaluation import CountyScore, Evaluation, EvaluationItem, ItemScore
from .exchange import ExperienceCase, SiteMeeting, Theme
from .figures import TargetFigure
from .history import IndicatorSnapshot, SnapshotRun
from .inclusions import Inclusion
from .livelihood import LivelihoodAssessment
from .meetings import JointMeeting, MeetingDecision
from .plans import Phase, Plan, Target
from .returns import CountyReturn, ReturnAttachment, ReturnEntry, ReturnFigure, ReturnItem, ReturnRound
from .special import Grade, SpecialEvaluation
from .supervision import Bulletin, Finding, Rectification, RectificationEntry, Visit
from .tasks import TaskItem, TaskUnit
from .titles import TitleApplication, TitleCriterion
from .work import TaskEntry, TaskPeriod

__all__ = ["Bulletin", "CountyReturn", "CountyScore", "Department", "Evaluation", "EvaluationItem", "ExperienceCase", "Finding", "Grade",
           "Inclusion", "IndicatorSnapshot", "ItemScore", "JointMeeting", "LivelihoodAssessment", "MeetingDecision", "Phase",
           "Plan", "Rectification",
           "RectificationEntry", "ReturnAttachment", "ReturnEntry", "ReturnFigure", "ReturnItem", "ReturnRound",
           "SiteMeeting", "SnapshotRun", "SpecialEvaluation", "Target", "TargetFigure", "TaskEntry", "TaskItem", "TaskPeriod", "TaskUnit", "Theme", "TitleApplication",
           "TitleCriterion", "Visit"]
