from __future__ import annotations

from django.urls import path

from tsunagu.referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("incoming/", views.incoming, name="incoming"),
    path("introduce/", views.introduce, name="introduce"),
    path("trades/", views.trades, name="trades"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/reward/", views.reward, name="reward"),
    path("connections/", views.connections, name="connections"),
    path(
        "connections/request/<int:profile_pk>/",
        views.connection_request,
        name="connection_request",
    ),
    path("connections/<int:pk>/accept/", views.connection_accept, name="connection_accept"),
    path("connections/<int:pk>/decline/", views.connection_decline, name="connection_decline"),
    path("connections/<int:pk>/remove/", views.connection_remove, name="connection_remove"),
    path("who/<int:profile_pk>/", views.who_can_introduce, name="who"),
    path("who/jobs/<int:job_pk>/", views.who_for_job, name="who_for_job"),
]
