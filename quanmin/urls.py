from django.contrib import admin
from django.urls import include, path

from quanmin.api import api
from quanmin.web import views as web_views

urlpatterns = [
    path("", include("quanmin.web.urls")),
    path("accounts/", include("quanmin.accounts.urls")),
    path("", include("quanmin.facilities.urls")),
    path("", include("quanmin.booking.urls")),
    path("", include("quanmin.analytics.urls")),
    path("", include("quanmin.physique.urls")),
    path("", include("quanmin.maintenance.urls")),
    path("", include("quanmin.feedback.urls")),
    path("", include("quanmin.organizations.urls")),
    path("", include("quanmin.people.urls")),
    path("", include("quanmin.events.urls")),
    path("", include("quanmin.opendata.urls")),
    path("", include("quanmin.surveys.urls")),
    path("", include("quanmin.planning.urls")),
    path("", include("quanmin.incentives.urls")),
    path("", include("quanmin.funding.urls")),
    path("", include("quanmin.youth.urls")),
    path("", include("quanmin.inclusive.urls")),
    path("", include("quanmin.outreach.urls")),
    path("", include("quanmin.residential.urls")),
    path("", include("quanmin.safety.urls")),
    path("", include("quanmin.opening.urls")),
    path("", include("quanmin.heritage.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", web_views.api_docs, name="api-docs"),
]
# Uploads are never served from /media/, not even with DEBUG on: each app has a checked view.

handler403 = "quanmin.web.views.error_403"
handler404 = "quanmin.web.views.error_404"
handler500 = "quanmin.web.views.error_500"
