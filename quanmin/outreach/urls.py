from django.urls import path

from . import views_public as p
from . import views_staff as s

app_name = "outreach"
urlpatterns = [
    path("outreach/", p.home, name="home"),
    path("outreach/lectures/<int:pk>/", p.lecture, name="public_lecture"),
    path("outreach/lectures/<int:pk>/signup/", p.signup, name="signup"),
    path("outreach/lectures/<int:pk>/signup/cancel/", p.signup_cancel, name="signup_cancel"),
    path("outreach/column/", p.column, name="column"),
    path("outreach/column/<int:pk>/", p.article, name="public_article"),
    path("staff/outreach/", s.lecture_list, name="lectures"),
    path("staff/outreach/lectures/new/", s.lecture_new, name="lecture_new"),
    path("staff/outreach/lectures/<int:pk>/", s.lecture_detail, name="lecture"),
    path("staff/outreach/lectures/<int:pk>/cancel/", s.lecture_cancel, name="lecture_cancel"),
    path("staff/outreach/lectures/<int:pk>/audience/", s.lecture_audience, name="lecture_audience"),
    path("staff/outreach/import/", s.import_page, name="import"),
    path("staff/outreach/export.xlsx", s.export, name="export"),
    path("staff/outreach/articles/", s.article_list, name="articles"),
    path("staff/outreach/articles/new/", s.article_new, name="article_new"),
    path("staff/outreach/articles/<int:pk>/", s.article_detail, name="article"),
    path("staff/outreach/articles/<int:pk>/publish/", s.article_publish, name="article_publish"),
    path("staff/outreach/activities/", s.activity_list, name="activities"),
    path("staff/outreach/activities/new/", s.activity_new, name="activity_new"),
    path("staff/outreach/activities/<int:pk>/", s.activity_detail, name="activity"),
    path("staff/outreach/workplaces/", s.workplace_list, name="workplaces"),
    path("staff/outreach/workplaces/new/", s.workplace_new, name="workplace_new"),
    path("staff/outreach/workplaces/<int:pk>/", s.workplace_detail, name="workplace"),
    path("staff/outreach/figures/", s.figures_page, name="figures"),
]
