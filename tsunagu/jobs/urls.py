from django.urls import path

from tsunagu.jobs import views

app_name = "jobs"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/", views.job_new, name="new"),
    path("autosave/", views.job_autosave, name="autosave"),
    path("mine/", views.my_jobs, name="mine"),
    path("workers/", views.worker_search, name="workers"),
    path("invite/", views.job_invite, name="invite"),
    path("saved/", views.saved_search_list, name="saved"),
    path("saved/new/", views.saved_search_create, name="saved_create"),
    path("saved/<int:pk>/delete/", views.saved_search_delete, name="saved_delete"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/edit/", views.job_edit, name="edit"),
    path("<int:pk>/close/", views.job_close, name="close"),
    path("<int:pk>/reopen/", views.job_reopen, name="reopen"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
]
