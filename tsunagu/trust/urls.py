from __future__ import annotations

from django.urls import path

from tsunagu.trust import views

app_name = "trust"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("contracts/<int:pk>/", views.contract_page, name="contract"),
    path("reviews/<int:pk>/reply/", views.reply, name="reply"),
    path("reviews/<int:pk>/report/", views.report, name="report"),
    path("people/<int:profile_pk>/<str:role>/", views.person, name="person"),
]
