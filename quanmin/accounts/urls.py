from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("register/", views.register_view, name="register"),
    path("regions/options/", views.region_options, name="region_options"),
    path("privacy/", views.privacy_view, name="privacy"),
    path("me/", views.me_view, name="me"),
    path("me/tokens/", views.token_create_view, name="token_create"),
    path("me/tokens/<int:token_id>/revoke/", views.token_revoke_view, name="token_revoke"),
    path("me/consents/<str:kind>/withdraw/", views.consent_withdraw_view, name="consent_withdraw"),
]
