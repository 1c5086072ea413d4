from django.urls import path

from . import views_online as o
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
    path("outreach/online/", o.catalogue, name="online"),
    path("outreach/online/<int:pk>/", o.course, name="public_course"),
    path("outreach/online/<int:pk>/done/", o.course_done, name="course_done"),
    path("outreach/online/channels/", o.channels, name="public_channels"),
    path("staff/outreach/online/channels/", o.channel_list, name="channels"),
    path("staff/outreach/online/channels/new/", o.channel_new, name="channel_new"),
    path("staff/outreach/online/channels/<int:pk>/", o.channel_detail, name="channel"),
    path("staff/outreach/online/channels/import/", o.channel_import, name="channel_import"),
    path("staff/outreach/online/channels/template.xlsx", o.channel_template, name="channel_template"),
    path("staff/outreach/online/channels/export.xlsx", o.channel_export, name="channel_export"),
    path("staff/outreach/online/courses/", o.course_list, name="courses"),
    path("staff/outreach/online/courses/new/", o.course_new, name="course_new"),
    path("staff/outreach/online/courses/<int:pk>/", o.course_detail, name="course"),
    path("staff/outreach/online/courses/<int:pk>/publish/", o.course_publish, name="course_publish"),
    path("staff/outreach/online/figures/", o.online_figures, name="online_figures"),
]
