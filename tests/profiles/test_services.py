"""profile_update and the portfolio services: rules enforced, audited, nothing half-written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.profiles.factories import LinkItemFactory, pdf_upload, png_upload, skill, worker
from tsunagu.audit.models import AuditEvent
from tsunagu.profiles import rules
from tsunagu.profiles.models import PortfolioItem, Profile
from tsunagu.profiles.services import (
    portfolio_item_add,
    portfolio_item_remove,
    profile_update,
)

pytestmark = pytest.mark.django_db


def test_skill_taxonomy_is_seeded_in_both_languages() -> None:
    from tsunagu.profiles.models import Skill, SkillCategory

    assert Skill.objects.count() >= 40
    assert set(Skill.objects.values_list("category", flat=True)) == set(SkillCategory.values)
    translation = Skill.objects.get(slug="translation")
    assert (translation.name_ja, translation.name_en) == ("翻訳", "Translation")
    assert not Skill.objects.filter(name_ja="").exists()
    assert not Skill.objects.filter(name_en="").exists()


def test_profile_update_renders_bio_sets_skills_and_audits() -> None:
    profile = worker()
    updated = profile_update(
        profile=profile,
        actor=profile.user,
        changes={
            "headline": "翻訳者",
            "bio": "**Hello** <script>alert(1)</script>",
            "skills": [skill("translation"), skill("python")],
            "tags": ["  ＃Remote ", "remote", "Night owl"],
            "working_hours_start": dt.time(22),
            "working_hours_end": dt.time(6),
        },
    )
    assert updated.headline == "翻訳者"
    assert "<strong>Hello</strong>" in updated.bio_html
    assert "<script" not in updated.bio_html
    assert sorted(updated.skills.values_list("slug", flat=True)) == ["python", "translation"]
    assert updated.tags == ["remote", "night owl"]
    event = AuditEvent.objects.get(event="profile.updated", subject_id=str(profile.pk))
    assert event.actor == profile.user
    assert event.after["skills"] == ["python", "translation"]  # type: ignore[index]
    assert event.after["headline"] == "翻訳者"  # type: ignore[index]


def test_profile_update_refuses_markup_in_names_and_changes_nothing() -> None:
    profile = worker(display_name="Hana")
    for changes in (
        {"display_name": "<script>alert(1)</script>"},
        {"headline": "<b>bold</b>"},
        {"display_name": "   "},
        {"tags": ["x" * 31]},
        {"tags": [f"t{i}" for i in range(21)]},
    ):
        with pytest.raises(ValidationError):
            profile_update(profile=profile, actor=profile.user, changes=changes)
    profile.refresh_from_db()
    assert profile.display_name == "Hana"
    assert profile.headline == ""
    assert profile.tags == []
    assert not AuditEvent.objects.exists()


def test_profile_update_with_no_real_change_writes_no_audit() -> None:
    profile = worker(display_name="Hana")
    profile_update(profile=profile, actor=profile.user, changes={"display_name": "Hana"})
    assert not AuditEvent.objects.exists()


def test_tags_are_normalised_and_deduplicated() -> None:
    assert rules.parse_tags("Python, python ,#Django、 リモート，,  Long   Gap ") == [
        "python",
        "django",
        "リモート",
        "long gap",
    ]
    assert rules.parse_tags(["ＡＢＣ", "abc"]) == ["abc"]
    with pytest.raises(ValidationError):
        rules.parse_tags("<b>x</b>")


def test_money_conversion_respects_the_currency() -> None:
    from decimal import Decimal

    assert rules.major_to_minor(Decimal("3000"), "JPY") == 3000
    assert rules.major_to_minor(Decimal("12.50"), "USD") == 1250
    with pytest.raises(ValidationError):
        rules.major_to_minor(Decimal("10.5"), "JPY")
    with pytest.raises(ValidationError):
        rules.major_to_minor(Decimal("1.005"), "EUR")
    assert rules.minor_to_major(1250, "USD") == Decimal("12.50")


def test_portfolio_image_is_stored_under_a_new_name_with_its_hash() -> None:
    profile = worker()
    item = portfolio_item_add(
        profile=profile,
        actor=profile.user,
        kind="image",
        title="Logo",
        upload=png_upload("../x.png"),
    )
    assert item.file.name.startswith("portfolio/")
    assert "x.png" not in item.file.name
    assert item.original_name == "x.png"
    assert len(item.sha256) == 64 and item.size > 0
    assert default_storage.exists(item.file.name)
    assert AuditEvent.objects.filter(event="portfolio_item.added").count() == 1


def test_portfolio_file_and_link() -> None:
    profile = worker()
    pdf = portfolio_item_add(
        profile=profile, actor=profile.user, kind="file", title="CV", upload=pdf_upload()
    )
    link = portfolio_item_add(
        profile=profile, actor=profile.user, kind="link", title="Site", url="https://example.com/"
    )
    assert pdf.kind == "file" and link.url == "https://example.com/"
    assert [i.position for i in profile.portfolio_items.all()] == [0, 1]


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("link", {"url": "javascript:alert(1)"}),
        ("link", {"url": "ftp://example.com/"}),
        ("image", {"upload": pdf_upload("fake.png")}),
        ("image", {"upload": SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\nbroken")}),
        ("file", {"upload": SimpleUploadedFile("notes.md", b"# not allowed here")}),
        ("file", {"upload": SimpleUploadedFile("empty.pdf", b"")}),
        ("file", {}),
        ("image", {"upload": png_upload(), "title": "<script>x</script>"}),
    ],
)
def test_portfolio_bad_input_is_refused_and_nothing_is_stored(kind: str, kwargs: dict) -> None:
    profile = worker()
    title = kwargs.pop("title", "Item")
    with pytest.raises(ValidationError):
        portfolio_item_add(profile=profile, actor=profile.user, kind=kind, title=title, **kwargs)
    assert not PortfolioItem.objects.exists()
    assert not AuditEvent.objects.exists()


def test_portfolio_image_over_5_mb_is_refused(settings: Any) -> None:
    profile = worker()
    big = png_upload()
    big.size = rules.MAX_IMAGE_BYTES + 1
    with pytest.raises(ValidationError) as info:
        portfolio_item_add(
            profile=profile, actor=profile.user, kind="image", title="Big", upload=big
        )
    assert info.value.code == "file_too_large"
    assert not PortfolioItem.objects.exists()


def test_portfolio_holds_at_most_30_items_and_keeps_no_orphan_file(settings: Any) -> None:
    profile = worker()
    LinkItemFactory.create_batch(rules.MAX_PORTFOLIO_ITEMS, profile=profile)
    with pytest.raises(ValidationError) as info:
        portfolio_item_add(
            profile=profile, actor=profile.user, kind="image", title="One more", upload=png_upload()
        )
    assert info.value.code == "portfolio_full"
    assert PortfolioItem.objects.count() == rules.MAX_PORTFOLIO_ITEMS
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert stored == []


def test_portfolio_remove_deletes_the_file_after_commit(
    django_capture_on_commit_callbacks: Any,
) -> None:
    profile = worker()
    item = portfolio_item_add(
        profile=profile, actor=profile.user, kind="image", title="Logo", upload=png_upload()
    )
    name = item.file.name
    with django_capture_on_commit_callbacks(execute=True):
        portfolio_item_remove(item=item, actor=profile.user)
    assert not PortfolioItem.objects.exists()
    assert not default_storage.exists(name)
    assert AuditEvent.objects.filter(event="portfolio_item.removed").count() == 1


def test_every_new_account_has_a_profile() -> None:
    profile = worker()
    assert Profile.objects.filter(user=profile.user).count() == 1


def test_portfolio_file_is_deleted_when_the_transaction_fails(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tsunagu.profiles import services

    def broken_audit(**kwargs: object) -> None:
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    profile = worker()
    with pytest.raises(RuntimeError):
        portfolio_item_add(
            profile=profile, actor=profile.user, kind="image", title="Logo", upload=png_upload()
        )
    assert not PortfolioItem.objects.exists()
    assert [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()] == []
