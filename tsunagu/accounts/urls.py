from __future__ import annotations

from django.urls import URLPattern, path

from tsunagu.accounts import views

app_name = "accounts"

urlpatterns: list[URLPattern] = [
    path("verification/", views.verification, name="verification"),
    path("verification/phone/", views.phone, name="phone"),
    path("verification/phone/code/", views.phone_verify, name="phone_verify"),
    path("verification/identity/", views.identity_document, name="identity_document"),
    path("verification/real-name/", views.real_name, name="real_name"),
    path("verification/face/", views.face_photo, name="face_photo"),
    path("verification/documents/<int:pk>/file/", views.document_file, name="document_file"),
    path("business/", views.business, name="business"),
    path("settings/", views.account_settings, name="settings"),
    path("settings/close/", views.close, name="close"),
]
