from django.urls import path

from tsunagu.communities import views

app_name = "communities"

urlpatterns = [
    path("", views.community_list, name="list"),
    path("new/", views.community_new, name="new"),
    path("<slug:slug>/", views.community_detail, name="detail"),
    path("<slug:slug>/edit/", views.community_edit, name="edit"),
    path("<slug:slug>/join/", views.community_join, name="join"),
    path("<slug:slug>/leave/", views.community_leave, name="leave"),
    path("<slug:slug>/display/", views.display_set, name="display"),
    path("<slug:slug>/posts/", views.post_new, name="post_new"),
    path("<slug:slug>/posts/<int:pk>/reply/", views.post_reply, name="post_reply"),
    path("<slug:slug>/posts/<int:pk>/pin/", views.post_pin, name="post_pin"),
    path("<slug:slug>/posts/<int:pk>/hide/", views.post_hide, name="post_hide"),
    path("<slug:slug>/moderation/", views.moderation, name="moderation"),
    path("<slug:slug>/moderation/invite/", views.member_invite, name="invite"),
    path(
        "<slug:slug>/moderation/<int:pk>/approve/",
        views.request_decide,
        {"decision": "approve"},
        name="request_approve",
    ),
    path(
        "<slug:slug>/moderation/<int:pk>/decline/",
        views.request_decide,
        {"decision": "decline"},
        name="request_decline",
    ),
    path("<slug:slug>/moderation/<int:pk>/role/", views.member_role, name="member_role"),
    path("<slug:slug>/moderation/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("<slug:slug>/activities/", views.activity_list, name="activities"),
    path("<slug:slug>/activities/new/", views.activity_new, name="activity_new"),
    path("<slug:slug>/activities/<int:pk>/", views.activity_detail, name="activity"),
    path("<slug:slug>/activities/<int:pk>/sign-up/", views.activity_sign_up, name="sign_up"),
    path("<slug:slug>/activities/<int:pk>/cancel/", views.activity_cancel, name="cancel"),
    path(
        "<slug:slug>/activities/<int:pk>/attendance/", views.activity_attendance, name="attendance"
    ),
    path("<slug:slug>/activities/<int:pk>/endorse/", views.activity_endorse, name="endorse"),
    path("<slug:slug>/jobs/", views.job_board, name="jobs"),
    path("<slug:slug>/members/", views.member_list, name="members"),
    path("<slug:slug>/members/<int:user_id>/", views.member_detail, name="member"),
    path("<slug:slug>/members/<int:user_id>/photo/", views.member_photo, name="member_photo"),
    path("<slug:slug>/members/<int:user_id>/message/", views.member_message, name="message"),
]
