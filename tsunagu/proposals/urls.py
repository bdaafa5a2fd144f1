from django.urls import path

from tsunagu.proposals import views

app_name = "proposals"

urlpatterns = [
    path("mine/", views.my_proposals, name="mine"),
    path("jobs/<int:job_pk>/", views.job_proposals, name="job"),
    path("jobs/<int:job_pk>/new/", views.proposal_new, name="new"),
    path("scout/", views.scout, name="scout"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/shortlist/", views.shortlist, name="shortlist"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/inquiry/", views.inquiry, name="inquiry"),
    path("<int:pk>/offer/", views.offer, name="offer"),
    path("interviews/new/", views.interview_new, name="interview_new"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview"),
    path("interviews/<int:pk>/book/", views.interview_book, name="interview_book"),
    path("interviews/<int:pk>/ics/", views.interview_ics, name="interview_ics"),
]
