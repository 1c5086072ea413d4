from django.contrib.auth.backends import ModelBackend

from . import crypto
from .models import User
from .phones import normalise_phone


class PhoneBackend(ModelBackend):
    """Sign in with a mobile number: the number is looked up by its keyed hash."""

    def authenticate(self, request, phone=None, password=None, username=None, **kwargs):
        phone = phone or username
        if not phone or not password:
            return None
        try:
            user = User.objects.get(phone_hash=crypto.lookup_hash(normalise_phone(phone)))
        except User.DoesNotExist:
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
