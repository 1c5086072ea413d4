"""The surveys' errors: a stable code for API clients and a translated message for people."""

from quanmin.core.errors import ServiceError


class SurveyError(ServiceError):
    """A rule of a survey, its questionnaire, quotas or answers was broken."""
