"""The test's OpenID Connect provider: the demo's (quanmin/demo/cityapp_provider.py), served over real
HTTP on 127.0.0.1 with keys made when the test starts it."""

from quanmin.demo.cityapp_provider import Provider, new_key

__all__ = ["Provider", "new_key"]
