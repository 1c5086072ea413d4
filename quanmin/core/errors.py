"""The one error type services raise: a stable code for machines, a translated message for people."""


class ServiceError(Exception):
    status = 400

    def __init__(self, code: str, message, field: str | None = None, status: int | None = None,
                 detail: dict | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field
        self.detail = detail or {}
        if status is not None:
            self.status = status


class NotFound(ServiceError):
    status = 404
