"""The in-app notification backend: a copy the person sees under My account.

It lives in accounts, beside the Notification model it writes; core's `notify()` finds it through
settings.NOTIFY_BACKENDS ("quanmin.accounts.notify.InAppBackend").
"""

from .models import Notification


class InAppBackend:
    in_transaction = True  # a row of ours: it commits or rolls back with the change

    def send(self, user, subject: str, text: str) -> None:
        Notification.objects.create(user=user, subject=subject[:120], text=text)
