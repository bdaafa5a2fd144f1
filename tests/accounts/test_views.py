"""Account pages: permissions with a second user, bad input that changes nothing, both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.storage import storages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.accounts import files
from tests.accounts.factories import UserFactory
from tsunagu.accounts import services
from tsunagu.accounts.models import (
    BusinessDetails,
    DocumentKind,
    PhoneChallenge,
    PhoneNumber,
    User,
    VerificationDocument,
)

pytestmark = pytest.mark.django_db

PAGES = [
    "/account/verification/",
    "/account/verification/phone/",
    "/account/verification/identity/",
    "/account/verification/real-name/",
    "/account/verification/face/",
    "/account/business/",
    "/account/settings/",
]


def logged_in(client: Client, **kwargs: Any) -> User:
    user: User = UserFactory(**kwargs)
    client.force_login(user)
    return user


def upload_identity(user: User) -> VerificationDocument:
    return services.verification_document_submit(
        user=user,
        kind=DocumentKind.IDENTITY_DOCUMENT,
        upload=files.png(),
        document_type="drivers_license",
    )


@pytest.mark.parametrize("url", PAGES)
def test_pages_need_login(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_for_the_owner(client: Client, url: str) -> None:
    logged_in(client)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="site-header"' in html
    assert "<script>" not in html and "style=" not in html


def test_verification_page_in_both_languages(client: Client) -> None:
    logged_in(client)
    ja = client.get("/account/verification/").content.decode()
    assert "本人確認" in ja and "電話番号" in ja and "顔写真" in ja
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get("/account/verification/").content.decode()
    assert "Identity verification" in en and "Phone number" in en and "Face photo" in en
    assert "電話番号" not in en


def test_verification_page_shows_the_rejection_reason_to_the_owner_only(client: Client) -> None:
    staff = UserFactory(is_staff=True)
    owner = UserFactory(legal_family_name="山田", legal_given_name="花子")
    document = upload_identity(owner)
    services.verification_document_reject(
        document=document, reviewer=staff, reason="Name is not readable"
    )
    client.force_login(owner)
    assert "Name is not readable" in client.get("/account/verification/").content.decode()
    assert "Name is not readable" in client.get("/account/verification/identity/").content.decode()
    client.force_login(UserFactory())
    assert "Name is not readable" not in client.get("/account/verification/").content.decode()


# --- Phone --------------------------------------------------------------------------------------


def test_phone_flow_through_the_pages(client: Client, sms: list[Any]) -> None:
    user = logged_in(client)
    response = client.post("/account/verification/phone/", {"number": "090-1234-5678"})
    assert response.status_code == 302
    page = client.get("/account/verification/phone/").content.decode()
    assert "+819012345678" in page and 'name="code"' in page
    code = re.search(r"\d{6}", sms[-1].body)
    assert code
    response = client.post("/account/verification/phone/code/", {"code": code.group(0)})
    assert response.status_code == 302
    assert response["Location"] == "/account/verification/"
    assert PhoneNumber.objects.get(user=user).number == "+819012345678"


def test_phone_flow_with_htmx_swaps_the_fragment(client: Client, sms: list[Any]) -> None:
    logged_in(client)
    response = client.post(
        "/account/verification/phone/", {"number": "090-1234-5678"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="phone-flow"')
    assert "<html" not in html
    code = re.search(r"\d{6}", sms[-1].body)
    assert code
    response = client.post(
        "/account/verification/phone/code/", {"code": code.group(0)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 204
    assert response["HX-Redirect"].endswith("/account/verification/")


def test_wrong_phone_number_gives_a_message_and_sends_nothing(
    client: Client, sms: list[Any]
) -> None:
    logged_in(client)
    response = client.post("/account/verification/phone/", {"number": "090-12"})
    assert response.status_code == 400
    assert "電話番号" in response.content.decode()
    assert sms == []
    assert not PhoneChallenge.objects.exists()


def test_wrong_code_gives_a_message_and_verifies_nothing(client: Client, sms: list[Any]) -> None:
    user = logged_in(client)
    client.post("/account/verification/phone/", {"number": "090-1234-5678"})
    code = re.search(r"\d{6}", sms[-1].body)
    assert code
    wrong = "000000" if code.group(0) != "000000" else "111111"
    response = client.post("/account/verification/phone/code/", {"code": wrong})
    assert response.status_code == 400
    assert "コードが正しくありません" in response.content.decode()
    assert not PhoneNumber.objects.filter(user=user).exists()


# --- Documents ----------------------------------------------------------------------------------


def test_identity_document_upload_through_the_page(client: Client) -> None:
    user = logged_in(client, legal_family_name="山田", legal_given_name="花子")
    response = client.post(
        "/account/verification/identity/",
        {"document_type": "passport", "file": files.pdf()},
    )
    assert response.status_code == 302
    document = VerificationDocument.objects.get(user=user)
    assert document.kind == "identity_document" and document.document_type == "passport"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (files.exe_named_pdf, ".jpeg, .jpg, .pdf, .png"),
        (files.oversized_pdf, "10.0\xa0MB"),
    ],
)
def test_bad_identity_uploads_are_refused_with_a_message(
    client: Client, upload: Any, message: str
) -> None:
    logged_in(client, legal_family_name="山田", legal_given_name="花子")
    response = client.post(
        "/account/verification/identity/", {"document_type": "passport", "file": upload()}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not VerificationDocument.objects.exists()


def test_identity_page_asks_for_the_name_first(client: Client) -> None:
    logged_in(client)
    html = client.get("/account/verification/identity/").content.decode()
    assert 'type="file"' not in html
    assert "/account/verification/real-name/" in html


def test_face_photo_upload_refuses_a_pdf(client: Client) -> None:
    logged_in(client)
    response = client.post("/account/verification/face/", {"file": files.pdf()})
    assert response.status_code == 400
    assert not VerificationDocument.objects.exists()
    response = client.post("/account/verification/face/", {"file": files.jpeg()})
    assert response.status_code == 302
    assert VerificationDocument.objects.get().kind == "face_photo"


def test_real_name_page_stores_text_and_refuses_markup(client: Client) -> None:
    user = logged_in(client)
    response = client.post(
        "/account/verification/real-name/",
        {"family_name": "<script>alert(1)</script>", "given_name": "花子"},
    )
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    user.refresh_from_db()
    assert user.legal_name == ""
    response = client.post(
        "/account/verification/real-name/", {"family_name": "山田", "given_name": "花子"}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.legal_name == "山田 花子"


def test_owner_and_staff_can_open_the_file_others_get_404(client: Client) -> None:
    owner = UserFactory(legal_family_name="山田", legal_given_name="花子")
    document = upload_identity(owner)
    url = f"/account/verification/documents/{document.pk}/file/"

    assert client.get(url).status_code == 302  # anonymous: to the login page

    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Disposition"].startswith("inline")
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"\x89PNG")

    client.force_login(UserFactory())
    assert client.get(url).status_code == 404

    client.force_login(UserFactory(is_staff=True))  # staff without the permission
    assert client.get(url).status_code == 404

    reviewer = UserFactory(is_staff=True)
    reviewer.user_permissions.add(Permission.objects.get(codename="view_verificationdocument"))
    client.force_login(reviewer)
    assert client.get(url).status_code == 200

    assert client.get("/account/verification/documents/999999/file/").status_code == 404


def test_pdf_documents_are_downloaded_not_rendered(client: Client) -> None:
    owner = UserFactory(legal_family_name="山田", legal_given_name="花子")
    document = services.verification_document_submit(
        user=owner,
        kind=DocumentKind.IDENTITY_DOCUMENT,
        upload=files.pdf(),
        document_type="passport",
    )
    client.force_login(owner)
    response = client.get(f"/account/verification/documents/{document.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert f"document-{document.pk}.pdf" in response["Content-Disposition"]


def test_private_files_have_no_public_url(client: Client) -> None:
    owner = UserFactory(legal_family_name="山田", legal_given_name="花子")
    document = upload_identity(owner)
    assert storages["private"].exists(document.file.name)
    client.force_login(owner)
    assert client.get(f"/media/{document.file.name}").status_code == 404
    with pytest.raises(NotImplementedError):
        _ = document.file.url


# --- Business details ---------------------------------------------------------------------------


def test_business_details_store_the_canonical_number(client: Client) -> None:
    user = logged_in(client)
    response = client.post(
        "/account/business/",
        {
            "kind": "company",
            "legal_name": "トヨタ自動車株式会社",
            "registration_number": "ｔ1180-3010-18771",
        },
    )
    assert response.status_code == 302
    details = BusinessDetails.objects.get(user=user)
    assert details.registration_number == "T1180301018771"
    assert details.kind == "company"


def test_wrong_check_digit_is_explained_and_nothing_is_saved(client: Client) -> None:
    user = logged_in(client)
    response = client.post(
        "/account/business/",
        {
            "kind": "company",
            "legal_name": "株式会社テスト",
            "registration_number": "T1180301018772",
        },
    )
    assert response.status_code == 400
    assert "チェックディジット" in response.content.decode()
    assert not BusinessDetails.objects.filter(user=user).exists()


def test_wrong_check_digit_in_english(client: Client) -> None:
    logged_in(client)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        "/account/business/",
        {"kind": "company", "legal_name": "Test KK", "registration_number": "T1180301018772"},
    )
    assert response.status_code == 400
    assert "check digit does not match" in response.content.decode()


def test_individuals_need_only_the_format(client: Client) -> None:
    user = logged_in(client)
    response = client.post(
        "/account/business/",
        {"kind": "individual", "legal_name": "山田花子", "registration_number": "T1180301018772"},
    )
    assert response.status_code == 302
    assert BusinessDetails.objects.get(user=user).registration_number == "T1180301018772"
    response = client.post(
        "/account/business/",
        {"kind": "individual", "legal_name": "山田花子", "registration_number": "T11803"},
    )
    assert response.status_code == 400
    assert BusinessDetails.objects.get(user=user).registration_number == "T1180301018772"


def test_business_details_of_one_user_are_not_shown_to_another(client: Client) -> None:
    owner = UserFactory()
    services.business_details_update(
        user=owner, kind="company", legal_name="国税庁", registration_number="T7000012050002"
    )
    logged_in(client)
    html = client.get("/account/business/").content.decode()
    assert "T7000012050002" not in html and "国税庁" not in html


# --- Settings -----------------------------------------------------------------------------------


def test_settings_save_language_and_time_zone_and_set_the_cookie(client: Client) -> None:
    user = logged_in(client)
    response = client.post(
        "/account/settings/", {"language": "en", "time_zone": "America/New_York"}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    user.refresh_from_db()
    assert (user.language, user.time_zone) == ("en", "America/New_York")
    page = client.get("/account/settings/").content.decode()
    assert "Your settings are saved." in page and "Time zone" in page


@pytest.mark.parametrize(
    "data",
    [
        {"language": "fr", "time_zone": "Asia/Tokyo"},
        {"language": "en", "time_zone": "Mars/Olympus"},
        {"language": "en", "time_zone": "../../etc/passwd"},
    ],
)
def test_settings_refuse_bad_values_and_change_nothing(
    client: Client, data: dict[str, str]
) -> None:
    user = logged_in(client)
    response = client.post("/account/settings/", data)
    assert response.status_code == 400
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    user.refresh_from_db()
    assert (user.language, user.time_zone) == ("ja", "Asia/Tokyo")


def test_settings_page_links_security_pages(client: Client) -> None:
    logged_in(client)
    html = client.get("/account/settings/").content.decode()
    for url in (
        "/accounts/2fa/",
        "/accounts/password/change/",
        "/accounts/email/",
        "/account/business/",
    ):
        assert f'href="{url}"' in html
    assert 'href="/settings/api-tokens/"' in html


def count_queries_for_identity_page(client: Client, documents: int) -> int:
    staff = UserFactory(is_staff=True)
    owner = UserFactory(legal_family_name="山田", legal_given_name="花子")
    for _ in range(documents):
        document = upload_identity(owner)
        services.verification_document_reject(document=document, reviewer=staff, reason="blurred")
    client.force_login(owner)
    client.get("/account/verification/identity/")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/account/verification/identity/")
    assert response.status_code == 200
    assert response.content.decode().count("blurred") == documents
    return len(captured.captured_queries)


def test_document_pages_run_a_constant_number_of_queries(client: Client) -> None:
    one = count_queries_for_identity_page(client, 1)
    client.logout()
    many = count_queries_for_identity_page(client, 6)
    assert one == many


def test_verification_page_runs_a_constant_number_of_queries(
    client: Client, django_assert_num_queries: Any
) -> None:
    staff = UserFactory(is_staff=True)
    owner = logged_in(client, legal_family_name="山田", legal_given_name="花子")
    client.get("/account/verification/")
    with CaptureQueriesContext(connection) as before:
        client.get("/account/verification/")
    for _ in range(4):
        services.verification_document_reject(
            document=upload_identity(owner), reviewer=staff, reason="blurred"
        )
    with django_assert_num_queries(len(before.captured_queries)):
        client.get("/account/verification/")
