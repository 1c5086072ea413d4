"""The feedback app's error: a stable code for the API (report_state, work_order_open, too_many_reports,
place_too_far...) and a translated message."""

from quanmin.core.errors import ServiceError


class FeedbackError(ServiceError):
    pass
