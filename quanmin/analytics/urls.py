from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("staff/planning/circle/", views.circle_home, name="circle_home"),
    path("staff/planning/circle/<str:code>/", views.circle, name="circle"),
    path("staff/planning/circle/<str:code>/run/", views.circle_start, name="circle_start"),
    path("staff/planning/circle/<str:code>/runs/<int:run_id>/layer.json", views.circle_layer, name="circle_layer"),
    path("staff/planning/land/", views.candidates, name="candidates"),
    path("staff/planning/land/new/", views.candidate_edit, name="candidate_new"),
    path("staff/planning/land/<int:pk>/", views.candidate_edit, name="candidate_edit"),
    path("planning/land/", views.public_catalogue, name="catalogue"),
]
