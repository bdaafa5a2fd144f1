"""Demo people (``data/people.toml``): accounts with profiles, portfolios and verification states.

Safe to run again: each step checks whether its result already exists, so a second run creates
nothing and changes nothing. The password of every demo account is ``tsunagu-demo``; it is for
trying the site on one's own machine only and must never be used on a public server.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from tsunagu.accounts.models import DocumentKind, PhoneNumber, User, VerificationDocument
from tsunagu.accounts.services import (
    user_legal_name_set,
    verification_document_approve,
    verification_document_submit,
)
from tsunagu.demo.datafiles import data_read
from tsunagu.profiles.models import PortfolioItem, Skill
from tsunagu.profiles.services import portfolio_item_add, profile_update

DEMO_PASSWORD = "tsunagu-demo"  # noqa: S105 - documented demo-only password


@dataclass(frozen=True)
class Person:
    email: str
    display_name: str
    time_zone: str = "Asia/Tokyo"
    language: str = "ja"
    family: str = ""
    given: str = ""
    show_real_name: bool = False
    is_worker: bool = True
    is_client: bool = False
    headline: str = ""
    bio: str = ""
    skills: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    rate: int | None = None  # minor units
    currency: str = "JPY"
    hours: tuple[int, int] = (9, 18)
    days: tuple[int, ...] = (0, 1, 2, 3, 4)
    capacity: int = 20
    languages: tuple[str, ...] = ("ja",)
    availability: str = "available"
    links: tuple[tuple[str, str], ...] = ()  # (title, url)
    images: tuple[tuple[str, str], ...] = ()  # (title, colour)
    phone: str = ""
    identity: str = ""  # "", "pending" or "approved"
    staff: bool = False

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Person:
        """A person from one ``[[person]]`` table of the data file."""
        values = dict(record)
        for name in ("skills", "tags", "days", "languages"):
            if name in values:
                values[name] = tuple(values[name])
        if "hours" in values:
            start, end = values["hours"]
            values["hours"] = (start, end)
        values["links"] = tuple((i["title"], i["url"]) for i in values.get("links", ()))
        values["images"] = tuple((i["title"], i["colour"]) for i in values.get("images", ()))
        return cls(**values)


# the first is the staff member who reviews the others' identity documents
PEOPLE: tuple[Person, ...] = tuple(Person.from_record(r) for r in data_read("people")["person"])


def _png(colour: str) -> SimpleUploadedFile:
    """A small generated picture standing in for a portfolio image."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 300), colour)
    draw = ImageDraw.Draw(image)
    for i in range(0, 480, 40):
        draw.rectangle([i, 220, i + 30, 220 + (i % 80)], fill="white")
    draw.rectangle([24, 24, 300, 64], fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("demo.png", buffer.getvalue(), "image/png")


def demo_person_load(person: Person, *, reviewer: User | None = None) -> User:
    """Create what is missing of ``person``; ``reviewer`` approves an approved identity."""
    with transaction.atomic():
        user = _user(person)
        _profile(user, person)
        _portfolio(user, person)
        if person.phone and not PhoneNumber.objects.filter(user=user).exists():
            PhoneNumber.objects.create(user=user, number=person.phone, verified_at=timezone.now())
    _identity(user, person, reviewer=reviewer)
    return user


def _user(person: Person) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        manager = User.objects
        create = manager.create_superuser if person.staff else manager.create_user
        user = create(
            person.email,
            DEMO_PASSWORD,
            language=person.language,
            time_zone=person.time_zone,
        )
    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def _profile(user: User, person: Person) -> None:
    profile = user.profile
    if profile.headline:  # set up by an earlier run (or edited since): leave it alone
        return
    profile_update(
        profile=profile,
        actor=user,
        changes={
            "display_name": person.display_name,
            "show_real_name": person.show_real_name,
            "headline": person.headline,
            "bio": person.bio,
            "is_worker": person.is_worker,
            "is_client": person.is_client,
            "skills": list(Skill.objects.filter(slug__in=person.skills)),
            "tags": list(person.tags),
            "hourly_rate": person.rate,
            "currency": person.currency,
            "working_hours_start": dt.time(person.hours[0]),
            "working_hours_end": dt.time(person.hours[1]),
            "working_days": list(person.days),
            "weekly_capacity_hours": person.capacity,
            "languages": list(person.languages),
            "availability": person.availability,
        },
    )


def _portfolio(user: User, person: Person) -> None:
    profile = user.profile
    have = set(PortfolioItem.objects.filter(profile=profile).values_list("title", flat=True))
    for title, url in person.links:
        if title not in have:
            portfolio_item_add(profile=profile, actor=user, kind="link", title=title, url=url)
    for title, colour in person.images:
        if title not in have:
            portfolio_item_add(
                profile=profile,
                actor=user,
                kind="image",
                title=title,
                upload=_png(colour),
            )


def _identity(user: User, person: Person, *, reviewer: User | None) -> None:
    if person.family and not user.legal_family_name:
        user_legal_name_set(user=user, family_name=person.family, given_name=person.given)
    if not person.identity or not person.family:
        return
    if VerificationDocument.objects.filter(user=user, kind=DocumentKind.IDENTITY_DOCUMENT).exists():
        return
    document = verification_document_submit(
        user=user,
        kind=DocumentKind.IDENTITY_DOCUMENT,
        document_type="drivers_license",
        upload=_png("#dee2e6"),
    )
    if person.identity == "approved" and reviewer is not None:
        # demo addresses (.example) have no mailbox: do not send the decision e-mail
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            verification_document_approve(document=document, reviewer=reviewer)
