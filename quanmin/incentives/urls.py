from django.urls import path

from . import views_counter, views_me, views_staff

app_name = "incentives"
urlpatterns = [
    path("incentives/", views_me.mine_page, name="mine"),
    path("incentives/vouchers/", views_me.campaigns_page, name="campaigns"),
    path("incentives/vouchers/<int:pk>/claim/", views_me.claim_view, name="claim"),
    path("incentives/my-vouchers/<str:code>/", views_me.voucher_page, name="voucher"),
    path("incentives/bookings/<int:pk>/voucher/", views_me.use_voucher_view, name="use_voucher"),
    path("incentives/bookings/<int:pk>/points/", views_me.use_points_view, name="use_points"),
    path("incentives/entries/<int:pk>/points/", views_me.use_points_entry_view, name="use_points_entry"),
    path("incentives/counter/", views_counter.counter_page, name="counter"),
    path("incentives/counter/settlements/<int:pk>/confirm/", views_counter.confirm_view, name="confirm"),
    path("staff/incentives/", views_staff.index_page, name="staff"),
    path("staff/incentives/rules/", views_staff.rule_view, name="staff_rule"),
    path("staff/incentives/points-settings/", views_staff.points_settings_view, name="staff_points_settings"),
    path("staff/incentives/campaigns/new/", views_staff.new_page, name="staff_new"),
    path("staff/incentives/campaigns/<int:pk>/", views_staff.campaign_page, name="staff_campaign"),
    path("staff/incentives/campaigns/<int:pk>/venues/", views_staff.venue_view, name="staff_venue"),
    path("staff/incentives/campaigns/<int:pk>/publish/", views_staff.publish_view, name="staff_publish"),
    path("staff/incentives/campaigns/<int:pk>/close/", views_staff.close_view, name="staff_close"),
    path("staff/incentives/campaigns/<int:pk>/settle/", views_staff.settle_view, name="staff_settle"),
    path("staff/incentives/campaigns/<int:pk>/settlements.xlsx", views_staff.campaign_xlsx, name="staff_campaign_xlsx"),
    path("staff/incentives/settlements/<int:pk>/", views_staff.settlement_page, name="staff_settlement"),
    path("staff/incentives/settlements/<int:pk>/settlement.xlsx", views_staff.settlement_xlsx, name="staff_settlement_xlsx"),
    path("staff/incentives/settlements/<int:pk>/approve/", views_staff.approve_view, name="staff_approve"),
]
