"""What the staff pages of every app share: a form that calls one service and goes back to its page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from .errors import ServiceError


def act(request, back: str, pk: int, call, done=None, denied: str = ""):
    """Call a service (`call`, no arguments), show its error or `done` (a message, or a function of
    what the service returned), and go back to the page `back` of `pk`. A PermissionDenied is shown
    as `denied` where one is given, else answers 403."""
    try:
        found = call()
    except ServiceError as exc:
        messages.error(request, exc.message)
    except PermissionDenied:
        if not denied:
            raise
        messages.error(request, denied)
    else:
        if done:
            messages.success(request, done(found) if callable(done) else done)
    return redirect(back, pk=pk)
