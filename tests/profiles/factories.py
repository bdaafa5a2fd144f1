from __future__ import annotations

import io
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.accounts.factories import UserFactory
from tsunagu.profiles.models import PortfolioItem, PortfolioKind, Profile, Skill


def worker(**profile_fields: Any) -> Profile:
    """A user whose profile (made by the signal) takes these values."""
    user_fields = {
        k: profile_fields.pop(k)
        for k in ("time_zone", "email", "legal_family_name", "legal_given_name", "is_active")
        if k in profile_fields
    }
    skills = profile_fields.pop("skills", [])
    user = UserFactory(**user_fields)
    profile = user.profile
    for name, value in profile_fields.items():
        setattr(profile, name, value)
    profile.save()
    if skills:
        profile.skills.set(skills)
    return profile


def skill(slug: str) -> Skill:
    return Skill.objects.get(slug=slug)


def png_bytes(size: tuple[int, int] = (8, 8), color: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


def png_upload(name: str = "work.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def pdf_upload(name: str = "cv.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "application/pdf")


class LinkItemFactory(factory.django.DjangoModelFactory[PortfolioItem]):
    class Meta:
        model = PortfolioItem

    kind = PortfolioKind.LINK
    title = factory.Sequence(lambda n: f"Work {n}")
    url = factory.Sequence(lambda n: f"https://example.com/work/{n}")
