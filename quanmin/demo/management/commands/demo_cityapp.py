"""Serve a stand-in for the city's app (我的聊城) to try 'Sign in with 我的聊城' on a development machine."""

import time

from django.core.management.base import BaseCommand

from quanmin.demo.cityapp_provider import Provider


class Command(BaseCommand):
    help = "Serve a demo OpenID Connect provider standing in for the city's app (never in production)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8700)

    def handle(self, *args, port, **options):
        provider = Provider(client_id="quanmin-demo", client_secret="demo-secret-not-for-production", port=port)
        self.stdout.write(
            f"Demo 我的聊城 at {provider.url}. Start Quanmin with:\n"
            f"  QUANMIN_CITYAPP_ISSUER={provider.url} QUANMIN_CITYAPP_CLIENT_ID={provider.client_id} "
            f"QUANMIN_CITYAPP_CLIENT_SECRET={provider.client_secret} make run\n"
            "then press 使用我的聊城登录 on the sign-in page. Ctrl-C stops it.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            provider.close()
