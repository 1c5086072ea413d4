from django.conf import settings
from django.conf.urls.static import static
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
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("api/docs", web_views.api_docs, name="api-docs"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "quanmin.web.views.error_403"
handler404 = "quanmin.web.views.error_404"
handler500 = "quanmin.web.views.error_500"
