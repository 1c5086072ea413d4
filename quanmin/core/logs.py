"""Structured logs (issue 24): one JSON object a line, with the time (UTC), level, logger, message,
the request id (quanmin.core.context: the request's, or the task's that it enqueued), whatever the
call passed in `extra`, and the traceback when there is one. QUANMIN_LOG_FORMAT=json (the default
when not DEBUG) picks it; a log collector reads the lines as they are."""

import datetime
import json
import logging

from . import context

# The attributes every LogRecord has: anything else was passed in `extra` and is written as a field.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
                "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        if rid := context.request_id():
            line["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)
