from __future__ import annotations

from django.urls import path

from tsunagu.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.room_list, name="rooms"),
    path("tasks/", views.my_tasks, name="tasks"),
    path("tasks/<int:task_pk>/done/", views.task_done, name="task_done"),
    path("unread/", views.unread_badge, name="unread"),
    path("inquiry/", views.inquiry_start, name="inquiry_start"),
    path("groups/new/", views.group_create, name="group_create"),
    path("contracts/<int:contract_pk>/", views.contract_room, name="contract_room"),
    path("rooms/<int:pk>/", views.room, name="room"),
    path("rooms/<int:pk>/poll/", views.poll, name="poll"),
    path("rooms/<int:pk>/older/", views.older, name="older"),
    path("rooms/<int:pk>/send/", views.send, name="send"),
    path("rooms/<int:pk>/messages/<int:message_pk>/edit/", views.edit, name="edit"),
    path("rooms/<int:pk>/messages/<int:message_pk>/delete/", views.delete, name="delete"),
    path(
        "rooms/<int:pk>/messages/<int:message_pk>/revisions/",
        views.revisions,
        name="revisions",
    ),
    path("rooms/<int:pk>/messages/<int:message_pk>/pin/", views.pin, name="pin"),
    path("rooms/<int:pk>/pins/<int:pin_pk>/remove/", views.unpin, name="unpin"),
    path("rooms/<int:pk>/tasks/", views.task_add, name="task_add"),
    path("rooms/<int:pk>/members/", views.member_add, name="member_add"),
    path(
        "rooms/<int:pk>/members/<int:user_pk>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("rooms/<int:pk>/files/<int:attachment_pk>/", views.attachment, name="attachment"),
    path("rooms/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("rooms/<int:pk>/record/", views.staff_history, name="staff_history"),
]
