"""County returns' pages, before the plans' own (a plan's key would otherwise take "rounds")."""

from django.urls import path

from . import views_returns

urlpatterns = [
    path("staff/plans/rounds/", views_returns.round_list, name="rounds"),
    path("staff/plans/rounds/new/", views_returns.round_new, name="round_new"),
    path("staff/plans/rounds/<int:pk>/", views_returns.round_detail, name="round"),
    path("staff/plans/rounds/<int:pk>/close/", views_returns.round_close, name="round_close"),
    path("staff/plans/rounds/<int:pk>/export.xlsx", views_returns.round_export, name="round_export"),
    path("staff/plans/returns/<int:pk>/", views_returns.return_detail, name="return"),
    path("staff/plans/returns/<int:pk>/decision/", views_returns.return_decide, name="return_decide"),
    path("staff/plans/returns/<int:pk>/attachments/", views_returns.return_attach, name="return_attach"),
    path("staff/plans/returns/<int:pk>/attachments/<int:attachment_pk>/", views_returns.return_attachment,
         name="return_attachment"),
    path("staff/plans/returns/<int:pk>/attachments/<int:attachment_pk>/remove/", views_returns.return_detach,
         name="return_detach"),
]
