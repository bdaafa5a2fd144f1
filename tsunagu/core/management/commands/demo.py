"""``tsunagu demo``: demo people with profiles, portfolios and verification states.

Safe to run again: each step checks whether its result already exists, so a second run creates
nothing and changes nothing. The password of every demo account is ``tsunagu-demo``; it is for
trying the site on one's own machine only and must never be used on a public server.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from tqdm import tqdm

from tsunagu.accounts.models import DocumentKind, PhoneNumber, User, VerificationDocument
from tsunagu.profiles.models import PortfolioItem, Skill

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
    links: tuple[tuple[str, str], ...] = ()
    images: tuple[tuple[str, str], ...] = ()  # (title, colour)
    phone: str = ""
    identity: str = ""  # "", "pending" or "approved"
    staff: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


PEOPLE: tuple[Person, ...] = (
    Person(
        email="staff@tsunagu.example",
        display_name="Tsunagu スタッフ",
        family="運営",
        given="太郎",
        is_worker=False,
        headline="Tsunagu 運営スタッフ",
        bio="本人確認の審査とトラブル相談を担当しています。",
        phone="+819000000001",
        staff=True,
    ),
    Person(
        email="client@tsunagu.example",
        display_name="株式会社つなぐ商店",
        family="佐藤",
        given="恵",
        is_worker=False,
        is_client=True,
        headline="オンラインショップの運営会社です",
        bio="商品ページの**翻訳**や**記事作成**を継続でお願いできる方を探しています。",
        languages=("ja", "en"),
        phone="+819000000002",
        identity="approved",
    ),
    Person(
        email="worker@tsunagu.example",
        display_name="Hana",
        family="山田",
        given="花子",
        show_real_name=True,
        is_client=True,
        headline="日英翻訳・ローカライズ 10年",
        bio=(
            "IT とゲームの**日英翻訳**を10年続けています。\n\n"
            "- 用語集を作ってから訳します\n- 納期は必ず守ります\n\n"
            "[これまでの実績](https://example.com/hana) もご覧ください。"
        ),
        skills=("translation-ja-en", "translation-en-ja", "proofreading", "subtitles"),
        tags=("ゲーム", "IT", "ローカライズ"),
        rate=3500,
        hours=(9, 17),
        capacity=30,
        languages=("ja", "en"),
        links=(("翻訳サンプル集", "https://example.com/hana/samples"),),
        images=(("ローカライズ実績", "#0b6e4f"),),
        phone="+819000000003",
        identity="approved",
    ),
    Person(
        email="ken.ito@tsunagu.example",
        display_name="Ken Ito",
        family="伊藤",
        given="健",
        time_zone="America/Los_Angeles",
        language="en",
        headline="Django and React developer in California",
        bio="I build **Django** back ends and **React** front ends. Japanese business level.",
        skills=("python", "django", "react", "typescript"),
        tags=("api", "saas", "remote"),
        rate=8000,
        currency="USD",
        hours=(8, 16),
        capacity=25,
        languages=("en", "ja"),
        links=(("GitHub", "https://example.com/ken/github"),),
        phone="+14155550101",
        identity="pending",
    ),
    Person(
        email="lena.schmidt@tsunagu.example",
        display_name="Lena Schmidt",
        time_zone="Europe/Berlin",
        language="en",
        headline="UI/UX designer for B2B software",
        bio="Figma systems, usability tests and design hand-offs developers love.",
        skills=("ui-ux-design", "figma", "web-design"),
        tags=("design system", "b2b"),
        rate=6500,
        currency="EUR",
        hours=(10, 18),
        languages=("de", "en"),
        images=(("Dashboard redesign", "#3b5bdb"),),
        availability="limited",
    ),
    Person(
        email="maria.santos@tsunagu.example",
        display_name="Maria Santos",
        time_zone="Asia/Manila",
        language="en",
        headline="Virtual assistant and data entry, fast and careful",
        bio="Inbox management, spreadsheets, research. Available on Japanese business hours.",
        skills=("virtual-assistant", "data-entry", "spreadsheet", "research"),
        tags=("assistant", "excel"),
        rate=1200,
        currency="USD",
        hours=(8, 17),
        capacity=40,
        languages=("tl", "en"),
        phone="+639170000001",
    ),
    Person(
        email="olivia.brown@tsunagu.example",
        display_name="Olivia Brown",
        time_zone="Australia/Sydney",
        language="en",
        headline="Copywriter and SEO writer",
        bio="Clear English copy for Japanese companies going abroad.",
        skills=("copywriting", "seo-writing", "article-writing"),
        tags=("english", "seo"),
        rate=5000,
        currency="USD",
        languages=("en",),
        links=(("Portfolio", "https://example.com/olivia"),),
    ),
    Person(
        email="yuki.tanaka@tsunagu.example",
        display_name="ゆき",
        family="田中",
        given="由紀",
        headline="子育て中の在宅ライター（美容・健康）",
        bio="美容・健康ジャンルの**SEO記事**を月20本ほど書いています。",
        skills=("article-writing", "seo-writing", "proofreading"),
        tags=("美容", "健康", "在宅"),
        rate=2000,
        hours=(10, 15),
        capacity=15,
        phone="+819000000004",
    ),
    Person(
        email="sho.kimura@tsunagu.example",
        display_name="Sho",
        family="木村",
        given="翔",
        show_real_name=True,
        headline="YouTube 動画編集・サムネイル制作",
        bio="テロップ入れ、カット編集、サムネイル制作まで一括でお受けします。",
        skills=("video-editing", "motion-graphics", "banner-design"),
        tags=("youtube", "premiere pro"),
        rate=2500,
        hours=(20, 2),
        days=(0, 1, 2, 3, 4, 5),
        capacity=25,
        images=(("サムネイル作例", "#b3541e"),),
        identity="pending",
    ),
    Person(
        email="aiko.mori@tsunagu.example",
        display_name="森 あいこ",
        headline="文字起こし・議事録作成",
        bio="インタビューや会議の文字起こしを丁寧に。ケバ取り・整文に対応します。",
        skills=("transcription", "data-entry"),
        tags=("議事録", "インタビュー"),
        rate=1500,
        hours=(13, 22),
        capacity=20,
        availability="limited",
    ),
    Person(
        email="takuya.suzuki@tsunagu.example",
        display_name="すずき たくや",
        is_client=True,
        headline="WordPress サイト制作と保守",
        bio="中小企業のサイトを WordPress で制作し、公開後の保守も続けています。",
        skills=("wordpress", "php", "web-design", "seo"),
        tags=("中小企業", "保守"),
        rate=4000,
        capacity=30,
        links=(("制作実績", "https://example.com/takuya/works"),),
        phone="+819000000005",
    ),
    Person(
        email="priya.sharma@tsunagu.example",
        display_name="Priya Sharma",
        time_zone="Asia/Kolkata",
        language="en",
        headline="Data analyst: Python, pandas, dashboards",
        bio="I turn messy spreadsheets into dashboards you can trust.",
        skills=("python", "data-analysis", "spreadsheet"),
        tags=("pandas", "dashboards"),
        rate=4500,
        currency="USD",
        hours=(10, 19),
        languages=("en", "hi"),
    ),
    Person(
        email="james.walker@tsunagu.example",
        display_name="James Walker",
        time_zone="Europe/London",
        language="en",
        is_client=True,
        is_worker=False,
        headline="Founder of a small travel start-up",
        bio="We hire translators and designers for the Japanese market.",
        languages=("en",),
    ),
    Person(
        email="minji.park@tsunagu.example",
        display_name="Minji Park",
        time_zone="Asia/Seoul",
        language="en",
        headline="Illustrator and logo designer",
        bio="Friendly illustrations and logos for apps and shops.",
        skills=("illustration", "logo-design"),
        tags=("character", "logo"),
        rate=3000,
        languages=("ko", "ja", "en"),
        images=(("Character sheet", "#7048e8"),),
    ),
    Person(
        email="haruto.kato@tsunagu.example",
        display_name="加藤 陽翔",
        headline="SNS運用代行（Instagram・X）",
        bio="投稿の企画から分析レポートまで。飲食店・美容室の実績多数。",
        skills=("sns-management", "web-marketing", "ads-management"),
        tags=("instagram", "飲食店"),
        rate=3000,
        availability="unavailable",
        phone="+819000000006",
    ),
    Person(
        email="emily.chen@tsunagu.example",
        display_name="Emily Chen",
        time_zone="America/New_York",
        language="en",
        headline="Chinese–English–Japanese translator",
        bio="Legal and business documents, three languages.",
        skills=("translation", "proofreading", "technical-writing"),
        tags=("legal", "business"),
        rate=7000,
        currency="USD",
        languages=("zh", "en", "ja"),
    ),
    Person(
        email="sakura.ogawa@tsunagu.example",
        display_name="さくら",
        headline="経理代行・記帳（freee / マネーフォワード）",
        bio="個人事業主の方の記帳と**確定申告**の準備をお手伝いします。",
        skills=("bookkeeping", "spreadsheet", "data-entry"),
        tags=("確定申告", "freee"),
        rate=2500,
        hours=(9, 14),
        capacity=12,
    ),
    Person(
        email="daniel.garcia@tsunagu.example",
        display_name="Daniel García",
        time_zone="America/Los_Angeles",
        language="en",
        is_client=True,
        headline="Podcast producer and audio editor",
        bio="Editing, mastering and show notes for interview podcasts.",
        skills=("podcast-editing", "narration"),
        tags=("podcast", "audio"),
        rate=5500,
        currency="USD",
        languages=("es", "en"),
    ),
    Person(
        email="rina.nakamura@tsunagu.example",
        display_name="中村 りな",
        is_client=True,
        headline="カスタマーサポート・メール対応",
        bio="EC サイトのお問い合わせ対応を、丁寧な日本語で代行します。",
        skills=("customer-support", "email-marketing"),
        tags=("ec", "メール対応"),
        rate=1800,
        hours=(18, 23),
        days=(0, 1, 2, 3, 4, 5, 6),
        capacity=15,
        availability="limited",
    ),
    Person(
        email="tom.nguyen@tsunagu.example",
        display_name="Tom Nguyen",
        time_zone="Asia/Ho_Chi_Minh",
        language="en",
        headline="Mobile app developer (Flutter, iOS, Android)",
        bio="From prototype to store release.",
        skills=("ios-android", "typescript", "javascript"),
        tags=("flutter", "mvp"),
        rate=4000,
        currency="USD",
        languages=("vi", "en"),
    ),
)


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


class Command(BaseCommand):
    help = "Load demo people, profiles and portfolios (safe to run again; demo use only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, no_progress: bool = False, **options: Any) -> None:
        from tsunagu.profiles.services import skill_taxonomy_ensure

        skill_taxonomy_ensure()
        staff = self._person(PEOPLE[0])
        for person in tqdm(
            PEOPLE[1:],
            desc="demo",
            unit="person",
            disable=no_progress,
            file=sys.stderr,
            initial=1,
            total=len(PEOPLE),
        ):
            self._person(person, reviewer=staff)
        from tsunagu.jobs.demo import demo_jobs_load

        demo_jobs_load()
        from tsunagu.proposals.demo import demo_proposals_load

        demo_proposals_load()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(PEOPLE)} people."))
        self.stdout.write(f"Log in with any of these (password: {DEMO_PASSWORD}, demo only):")
        for email, role in (
            ("staff@tsunagu.example", "staff (admin)"),
            ("client@tsunagu.example", "client"),
            ("worker@tsunagu.example", "worker (and client)"),
        ):
            self.stdout.write(f"  {email:<28} {role}")

    def _person(self, person: Person, *, reviewer: User | None = None) -> User:
        with transaction.atomic():
            user = self._user(person)
            self._profile(user, person)
            self._portfolio(user, person)
            if person.phone and not PhoneNumber.objects.filter(user=user).exists():
                PhoneNumber.objects.create(
                    user=user, number=person.phone, verified_at=timezone.now()
                )
        self._identity(user, person, reviewer=reviewer)
        return user

    def _user(self, person: Person) -> User:
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

    def _profile(self, user: User, person: Person) -> None:
        from tsunagu.profiles.services import profile_update

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

    def _portfolio(self, user: User, person: Person) -> None:
        from tsunagu.profiles.services import portfolio_item_add

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

    def _identity(self, user: User, person: Person, *, reviewer: User | None) -> None:
        from tsunagu.accounts.services import (
            user_legal_name_set,
            verification_document_approve,
            verification_document_submit,
        )

        if person.family and not user.legal_family_name:
            user_legal_name_set(user=user, family_name=person.family, given_name=person.given)
        if not person.identity or not person.family:
            return
        if VerificationDocument.objects.filter(
            user=user, kind=DocumentKind.IDENTITY_DOCUMENT
        ).exists():
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
