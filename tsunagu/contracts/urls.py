from __future__ import annotations

from django.urls import path

from tsunagu.contracts import views

app_name = "contracts"

urlpatterns = [
    path("", views.contract_list, name="list"),
    path("offer/", views.offer, name="offer_pick"),
    path("offer/<int:profile_pk>/", views.offer, name="offer"),
    path("offer/estimate/", views.offer_estimate, name="offer_estimate"),
    path("files/<int:pk>/", views.delivery_file, name="file"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/terms/", views.contract_terms, name="terms"),
    path("<int:pk>/accept-terms/", views.accept_terms, name="accept_terms"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/milestones/<int:milestone_pk>/fund/", views.fund, name="fund"),
    path("<int:pk>/milestones/<int:milestone_pk>/deliver/", views.deliver, name="deliver"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/revision/",
        views.request_revision,
        name="revision",
    ),
    path("<int:pk>/milestones/<int:milestone_pk>/accept/", views.accept, name="accept"),
    path(
        "<int:pk>/milestones/<int:milestone_pk>/cancellation/",
        views.cancellation_propose,
        name="cancellation_propose",
    ),
    path(
        "<int:pk>/cancellations/<int:request_pk>/answer/",
        views.cancellation_respond,
        name="cancellation_respond",
    ),
    path(
        "<int:pk>/cancellations/<int:request_pk>/withdraw/",
        views.cancellation_withdraw,
        name="cancellation_withdraw",
    ),
    path("<int:pk>/milestones/<int:milestone_pk>/dispute/", views.dispute_open, name="dispute"),
]
