"""The request id (issue 24): one per request, taken from the load balancer's X-Request-ID when it
sent a sane one, carried into the tasks the request enqueues (quanmin.core.tasks) and written on
every log line (quanmin.core.logs), so that one id finds a request's lines on every node and worker."""

import contextvars
import re
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
SANE = re.compile(r"[A-Za-z0-9._-]{8,64}")


def request_id() -> str:
    return _request_id.get()


def new_id(offered: str | None = None) -> str:
    """The load balancer's id when it looks like one (no header injection into logs), else a new one."""
    return offered if offered and SANE.fullmatch(offered) else uuid.uuid4().hex


def bind(value: str) -> contextvars.Token:
    return _request_id.set(value)


def unbind(token: contextvars.Token) -> None:
    _request_id.reset(token)
