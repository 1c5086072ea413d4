from django.urls import path

from . import views as v

app_name = "inclusive"
urlpatterns = [
    path("staff/inclusive/", v.institution_list, name="institutions"),
    path("staff/inclusive/new/", v.institution_new, name="institution_new"),
    path("staff/inclusive/<int:pk>/", v.institution_detail, name="institution"),
    path("staff/inclusive/<int:pk>/fitting/", v.fitting_new, name="fitting_new"),
    path("staff/inclusive/fittings/<int:pk>/delete/", v.fitting_delete, name="fitting_delete"),
    path("staff/inclusive/activities/", v.activity_list, name="activities"),
    path("staff/inclusive/activities/<int:pk>/delete/", v.activity_delete, name="activity_delete"),
    path("staff/inclusive/figures/", v.figures_page, name="figures"),
    path("staff/inclusive/import/", v.import_page, name="import"),
    path("staff/inclusive/export.xlsx", v.export, name="export"),
    path("inclusive/near/", v.near, name="near"),
]
