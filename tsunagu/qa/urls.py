from __future__ import annotations

from django.urls import path

from tsunagu.qa import views

app_name = "qa"

urlpatterns = [
    path("", views.question_list, name="list"),
    path("ask/", views.ask, name="ask"),
    path("<int:pk>/", views.question_detail, name="detail"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/answers/<int:answer_pk>/edit/", views.answer_edit, name="answer_edit"),
    path("<int:pk>/answers/<int:answer_pk>/best/", views.best, name="best"),
    path("<int:pk>/answers/<int:answer_pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/answers/<int:answer_pk>/offer/", views.offer, name="offer"),
]
