from django.urls import path

from . import views, views_cityapp

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
    path("city/start/", views_cityapp.city_start, name="city_start"),
    path("city/callback/", views_cityapp.city_callback, name="city_callback"),
    path("city/finish/", views_cityapp.city_finish, name="city_finish"),
    path("me/city/unlink/", views_cityapp.city_unlink, name="city_unlink"),
    path("me/password/", views_cityapp.first_password, name="first_password"),
]
