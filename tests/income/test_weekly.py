"""The weekly income e-mail: once a week to each worker with income, in their language, with the
gap, the jobs that would fill it and the pipes as a PNG; off when the worker turns it off."""

from __future__ import annotations

import datetime
import io
import zoneinfo
from email.message import Message

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.accounts.factories import UserFactory
from tests.jobs.factories import published_job
from tsunagu.accounts.models import User
from tsunagu.income import engine
from tsunagu.income.chart import pipe_chart
from tsunagu.income.chart_png import THINNING, pipes_png
from tsunagu.income.models import IncomeMonth, IncomeTarget, WeeklySummary, WeeklySummaryOptOut
from tsunagu.income.selectors import PipeRow
from tsunagu.income.weekly import income_weekly_send, week_of
from tsunagu.notifications.models import Notification, OutgoingEmail
from tsunagu.notifications.services import email_deliver
from tsunagu.profiles.models import Profile, Skill

pytestmark = pytest.mark.django_db

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
# A Wednesday in the middle of a month, 10:00 in Tokyo.
NOW = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=TOKYO)
TODAY = NOW.date()


def months_ago(n: int) -> datetime.date:
    return engine.add_months(engine.month_start(TODAY), -n)


def paid(worker: User, client: User, months: range, amount: int = 50_000) -> None:
    """The roll-up of a client who paid ``amount`` in each of those months ago."""
    for n in months:
        month = months_ago(n)
        IncomeMonth.objects.create(
            worker=worker,
            client=client,
            month=month,
            gross=amount,
            payments=1,
            first_day=month + datetime.timedelta(days=9),
            last_day=month + datetime.timedelta(days=9),
        )


@pytest.fixture
def worker() -> User:
    user: User = UserFactory(language="ja")
    steady, quiet = UserFactory(), UserFactory()
    Profile.objects.filter(user=steady).update(display_name="つなぐ商店")
    Profile.objects.filter(user=quiet).update(display_name="Blue Sky Inc.")
    paid(user, steady, range(0, 12))  # every month, this one included
    paid(user, quiet, range(4, 16), amount=80_000)  # monthly for a year, silent for four months
    return user


def test_the_week_starts_on_monday_at_eight_in_tokyo() -> None:
    monday = datetime.date(2026, 11, 16)
    assert week_of(
        datetime.datetime(2026, 11, 16, 7, 59, tzinfo=TOKYO)
    ) == monday - datetime.timedelta(days=7)
    assert week_of(datetime.datetime(2026, 11, 16, 8, 0, tzinfo=TOKYO)) == monday
    assert week_of(datetime.datetime(2026, 11, 22, 23, 0, tzinfo=TOKYO)) == monday
    # 23:30 UTC on Sunday is already Monday 08:30 in Tokyo
    assert week_of(datetime.datetime(2026, 11, 15, 23, 30, tzinfo=datetime.UTC)) == monday


def test_once_a_week_with_the_pipes_as_a_png_and_the_thinning_one_named(worker: User) -> None:
    assert income_weekly_send(now=NOW) == 1
    assert income_weekly_send(now=NOW + datetime.timedelta(days=3)) == 0  # the same week
    email = OutgoingEmail.objects.get(to=worker.email)
    assert "今月" in email.subject
    assert "つなぐ商店" in email.body and "Blue Sky Inc." in email.body
    assert "細くなっています" in email.body  # the silent client's pipe is thinning
    assert 'src="cid:pipes.png"' in email.html_body
    assert "<table" in email.html_body  # the same figures for a reader that shows no image
    attachment = email.attachments.get()
    png = bytes(attachment.content)
    assert png.startswith(b"\x89PNG") and attachment.content_id == "pipes.png"
    assert Image.open(io.BytesIO(png)).size[0] == 1440
    assert WeeklySummary.objects.get(worker=worker).week == datetime.date(2026, 11, 16)

    assert income_weekly_send(now=NOW + datetime.timedelta(days=7)) == 1  # the next week
    assert OutgoingEmail.objects.filter(to=worker.email).count() == 2


def test_the_gap_with_matching_jobs_is_in_the_mail_and_on_the_page_once(worker: User) -> None:
    skill = Skill.objects.order_by("pk").first()
    assert skill is not None
    worker.profile.skills.add(skill)
    job = published_job(title="ゲームのローカライズ", trial_description="1画面分", trial_fee=5_000)
    job.skills.add(skill)
    IncomeTarget.objects.create(user=worker, monthly_amount=82_000)

    assert income_weekly_send(now=NOW) == 1
    email = OutgoingEmail.objects.get(to=worker.email)
    assert "今月の目標まであと¥32,000" in email.body
    assert "目標まであと¥32,000" in email.subject
    assert "ゲームのローカライズ" in email.body
    assert reverse("jobs:detail", args=[job.pk]) in email.body
    assert reverse("jobs:detail", args=[job.pk]) in email.html_body
    note = Notification.objects.get(user=worker, kind="income.gap")
    assert "¥32,000" in note.message and note.url == reverse("income:dashboard")
    # the in-app notice sends no e-mail of its own: the weekly e-mail is the only one
    assert OutgoingEmail.objects.filter(to=worker.email).count() == 1
    assert WeeklySummary.objects.get(worker=worker).gap == 32_000


def test_in_english_for_an_english_speaker(worker: User) -> None:
    User.objects.filter(pk=worker.pk).update(language="en")
    income_weekly_send(now=NOW)
    email = OutgoingEmail.objects.get(to=worker.email)
    assert email.subject.startswith("[Tsunagu] Your income this week")
    assert "thinning" in email.body and "Pipes: your clients" in email.body


def test_not_sent_to_those_who_turned_it_off_or_have_nothing(worker: User) -> None:
    WeeklySummaryOptOut.objects.create(user=worker)
    idle: User = UserFactory()  # no income, no target
    old: User = UserFactory()
    paid(old, UserFactory(), range(30, 36))  # paid three years ago only
    assert income_weekly_send(now=NOW) == 0
    assert not OutgoingEmail.objects.filter(to__in=[worker.email, idle.email, old.email]).exists()


def test_a_target_alone_is_enough_to_be_told_the_gap() -> None:
    newcomer: User = UserFactory()
    IncomeTarget.objects.create(user=newcomer, monthly_amount=100_000)
    assert income_weekly_send(now=NOW) == 1
    email = OutgoingEmail.objects.get(to=newcomer.email)
    assert "今月の目標まであと¥100,000" in email.body


def test_sent_through_the_outbox_with_the_image_inline(worker: User, settings: object) -> None:
    income_weekly_send(now=NOW)
    email = OutgoingEmail.objects.get(to=worker.email)
    assert email_deliver(email_id=email.pk) == "sent"
    sent = mail.outbox[-1].message()
    parts: list[Message] = list(sent.walk())
    types = [part.get_content_type() for part in parts]
    assert "text/plain" in types and "text/html" in types and "image/png" in types
    image = next(part for part in parts if part.get_content_type() == "image/png")
    assert image["Content-ID"] == "<pipes.png>"
    assert image.get_content_disposition() == "inline"


def test_a_failure_to_write_the_mail_leaves_the_week_unsent(
    worker: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tsunagu.income import weekly

    def broken(**_kwargs: object) -> None:
        raise RuntimeError("outbox down")

    monkeypatch.setattr(weekly, "email_queue", broken)
    assert income_weekly_send(now=NOW) == 0
    assert not WeeklySummary.objects.exists()
    monkeypatch.undo()
    assert income_weekly_send(now=NOW) == 1  # the next tick sends it


def test_the_png_marks_a_thinning_pipe_in_amber() -> None:
    def row(client: int, trend: engine.Trend) -> PipeRow:
        pipe = engine.Pipe(
            client=client,
            thickness=300_000,
            total=600_000,
            length_months=12,
            rhythm_days=30,
            trend=trend,
            first_day=TODAY,
            last_day=TODAY,
            silent_days=90,
            months_paid_last_year=8,
        )
        return PipeRow(pipe=pipe, client_name="つなぐ商店", open_contracts=0, escrow_now=0)

    def amber(png: bytes) -> int:
        image = Image.open(io.BytesIO(png)).convert("RGB")
        target = tuple(int(THINNING[i : i + 2], 16) for i in (1, 3, 5))
        return sum(1 for pixel in image.get_flattened_data() if pixel == target)

    assert amber(pipes_png(pipe_chart([row(1, engine.Trend.THINNING)]))) > 1000
    assert amber(pipes_png(pipe_chart([row(1, engine.Trend.STEADY)]))) == 0


def test_the_worker_turns_it_off_and_on_again_for_themselves_only(worker: User) -> None:
    other: User = UserFactory()
    browser = Client()
    browser.force_login(other)
    browser.post(reverse("income:weekly_email"), {"receive": "0"})
    assert not WeeklySummaryOptOut.objects.filter(user=worker).exists()
    assert WeeklySummaryOptOut.objects.filter(user=other).exists()

    browser.force_login(worker)
    page = browser.get(reverse("income:dashboard"))
    assert "週次メールを止める" in page.content.decode()
    assert browser.post(reverse("income:weekly_email"), {"receive": "0"}).status_code == 302
    assert WeeklySummaryOptOut.objects.filter(user=worker).exists()
    assert "週次メールを受け取る" in browser.get(reverse("income:dashboard")).content.decode()
    browser.post(reverse("income:weekly_email"), {"receive": "1"})
    assert not WeeklySummaryOptOut.objects.filter(user=worker).exists()

    anonymous = Client().post(reverse("income:weekly_email"), {"receive": "0"})
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert Client().get(reverse("income:weekly_email")).status_code in (302, 405)
