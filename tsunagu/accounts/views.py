"""Account pages: verification, phone, documents, real name, business details and settings."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from tsunagu.accounts import selectors, services
from tsunagu.accounts.closing import ClosingError, account_close, closing_blockers_for
from tsunagu.accounts.forms import (
    AccountCloseForm,
    BusinessDetailsForm,
    FacePhotoForm,
    IdentityDocumentForm,
    PhoneCodeForm,
    PhoneNumberForm,
    RealNameForm,
    SettingsForm,
)
from tsunagu.accounts.models import DocumentKind, PhoneNumber, ReviewStatus, User
from tsunagu.accounts.request import signed_in_user
from tsunagu.core.files import private_file_response


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _add_error(form: forms.Form, field: str | None, exc: ValidationError) -> None:
    for message in exc.messages:
        form.add_error(field, message)


@login_required
@require_GET
def verification(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    levels = selectors.verification_levels(user=user)
    return render(
        request,
        "accounts/verification.html",
        {
            "levels": levels,
            "next_step": next((level for level in levels if level.needs_action), None),
            "verified_count": sum(1 for level in levels if level.is_verified),
        },
    )


# --- Phone --------------------------------------------------------------------------------------


def _phone_context(
    user: User,
    *,
    number_form: PhoneNumberForm | None = None,
    code_form: PhoneCodeForm | None = None,
) -> dict[str, Any]:
    return {
        "phone": PhoneNumber.objects.filter(user=user).first(),
        "challenge": services.phone_challenge_open(user=user),
        "number_form": number_form or PhoneNumberForm(),
        "code_form": code_form or PhoneCodeForm(),
    }


def _render_phone(
    request: HtmxHttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    template = "accounts/_phone_flow.html" if request.htmx else "accounts/phone.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def phone(request: HtmxHttpRequest) -> HttpResponse:
    """Enter a number (POST sends a code); the code form appears once a code is open."""
    user = signed_in_user(request)
    if request.method == "POST":
        form = PhoneNumberForm(request.POST)
        if form.is_valid():
            try:
                services.phone_challenge_start(user=user, raw_number=form.cleaned_data["number"])
            except ValidationError as exc:
                _add_error(form, "number", exc)
            else:
                messages.success(request, _("We sent a code by SMS. It is valid for 10 minutes."))
                if not request.htmx:
                    return redirect("accounts:phone")
                return _render_phone(request, _phone_context(user))
        return _render_phone(request, _phone_context(user, number_form=form), status=400)
    return _render_phone(request, _phone_context(user))


@login_required
@require_POST
def phone_verify(request: HtmxHttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = PhoneCodeForm(request.POST)
    if form.is_valid():
        try:
            services.phone_challenge_verify(user=user, code=form.cleaned_data["code"])
        except ValidationError as exc:
            _add_error(form, "code", exc)
        else:
            messages.success(request, _("Your phone number is verified."))
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = request.build_absolute_uri(
                    reverse("accounts:verification")
                )
                return response
            return redirect("accounts:verification")
    return _render_phone(request, _phone_context(user, code_form=form), status=400)


# --- Documents and names ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def identity_document(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = IdentityDocumentForm()
    status = 200
    if request.method == "POST":
        form = IdentityDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.verification_document_submit(
                    user=user,
                    kind=DocumentKind.IDENTITY_DOCUMENT,
                    upload=form.cleaned_data["file"],
                    document_type=form.cleaned_data["document_type"],
                )
            except ValidationError as exc:
                field = (
                    "file"
                    if exc.code
                    in ("file_type", "file_too_large", "empty_file", "bad_image", "image_too_large")
                    else None
                )
                _add_error(form, field, exc)
            else:
                messages.success(request, _("Thank you. Our staff will review your document."))
                return redirect("accounts:verification")
        status = 400
    documents = selectors.documents_of(user=user, kind=DocumentKind.IDENTITY_DOCUMENT)
    pending = any(d.status == ReviewStatus.PENDING for d in documents)
    approved = any(d.status == ReviewStatus.APPROVED for d in documents)
    return render(
        request,
        "accounts/identity_document.html",
        {
            "form": form,
            "documents": documents,
            "can_submit": bool(user.legal_name)
            and not pending
            and not (approved and user.real_name_verified_at),
            "pending": pending,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def face_photo(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = FacePhotoForm()
    status = 200
    if request.method == "POST":
        form = FacePhotoForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.verification_document_submit(
                    user=user, kind=DocumentKind.FACE_PHOTO, upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                _add_error(form, "file" if exc.code != "document_pending" else None, exc)
            else:
                messages.success(request, _("Thank you. Our staff will review your photo."))
                return redirect("accounts:verification")
        status = 400
    documents = selectors.documents_of(user=user, kind=DocumentKind.FACE_PHOTO)
    pending = any(d.status == ReviewStatus.PENDING for d in documents)
    approved = any(d.status == ReviewStatus.APPROVED for d in documents)
    return render(
        request,
        "accounts/face_photo.html",
        {
            "form": form,
            "documents": documents,
            "can_submit": not pending and not approved,
            "pending": pending,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def real_name(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    initial = {"family_name": user.legal_family_name, "given_name": user.legal_given_name}
    form = RealNameForm(initial=initial)
    status = 200
    if request.method == "POST":
        form = RealNameForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                services.user_legal_name_set(
                    user=user,
                    family_name=form.cleaned_data["family_name"],
                    given_name=form.cleaned_data["given_name"],
                )
            except ValidationError as exc:
                _add_error(form, None, exc)
            else:
                messages.success(request, _("Your name is saved."))
                return redirect("accounts:real_name")
        status = 400
    return render(
        request,
        "accounts/real_name.html",
        {
            "form": form,
            "level": next(
                level
                for level in selectors.verification_levels(user=user)
                if level.code == "real_name"
            ),
        },
        status=status,
    )


@login_required
@require_GET
def document_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Stream a private document to its owner or to staff; everyone else gets 404."""
    document = selectors.document_for_viewer(viewer=signed_in_user(request), document_pk=pk)
    if document is None:
        raise Http404
    extension = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}.get(
        document.content_type, "bin"
    )
    # Images are shown in the browser; anything else (PDFs) is downloaded, so no document
    # viewer or script ever runs in the site's origin.
    response = private_file_response(
        document.file,
        content_type=document.content_type or "application/octet-stream",
        as_attachment=not document.content_type.startswith("image/"),
        filename=f"document-{document.pk}.{extension}",
    )
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


# --- Business details and settings --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def business(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    details = selectors.business_details_of(user=user)
    initial = (
        {
            "kind": details.kind,
            "legal_name": details.legal_name,
            "registration_number": details.registration_number,
        }
        if details
        else {"kind": "individual", "legal_name": user.legal_name}
    )
    form = BusinessDetailsForm(initial=initial)
    status = 200
    if request.method == "POST":
        form = BusinessDetailsForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                services.business_details_update(user=user, **form.cleaned_data)
            except ValidationError as exc:
                code = str(exc.code or "")
                field = (
                    "registration_number"
                    if code.startswith("registration_")
                    else "legal_name"
                    if code == "legal_name"
                    else None
                )
                _add_error(form, field, exc)
            else:
                messages.success(request, _("Your business details are saved."))
                return redirect("accounts:business")
        status = 400
    return render(
        request, "accounts/business.html", {"form": form, "details": details}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    initial = {"language": user.language, "time_zone": user.time_zone}
    form = SettingsForm(initial=initial)
    if request.method == "POST":
        form = SettingsForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                services.user_preferences_update(user=user, **form.cleaned_data)
            except ValidationError as exc:
                _add_error(form, None, exc)
            else:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
                messages.success(request, _("Your settings are saved."))
                response = redirect("accounts:settings")
                set_language_cookie(response, user.language)
                return response
        return render(request, "accounts/settings.html", {"form": form}, status=400)
    return render(request, "accounts/settings.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def close(request: HttpRequest) -> HttpResponse:
    """Close one's own account: what is still open is listed; the password confirms."""
    user = signed_in_user(request)
    form = AccountCloseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                account_close(user=user, password=form.cleaned_data["password"])
            except ClosingError as exc:
                form.add_error("password" if exc.field == "password" else None, exc.message)
            else:
                logout(request)
                messages.success(request, _("Your account is closed. Thank you for using Tsunagu."))
                return redirect("/")
    left = closing_blockers_for(user_id=user.pk)
    return render(request, "accounts/close.html", {"form": form, "left": left}, status=status)


def set_language_cookie(response: HttpResponseBase, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
