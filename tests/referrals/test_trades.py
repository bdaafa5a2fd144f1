"""Trades: what a person works in (categories of their paid contracts' jobs) and with, and the
people one knows in complementary trades."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.contracts.factories import give_balance
from tests.jobs.factories import category, published_job
from tests.proposals.factories import proposal
from tests.referrals.factories import connect, person
from tests.trust.factories import pay
from tsunagu.accounts.models import User
from tsunagu.contracts.services import (
    MilestoneInput,
    contract_accept_terms,
    milestone_fund_from_wallet,
)
from tsunagu.proposals.services import proposal_offer
from tsunagu.referrals import selectors

pytestmark = pytest.mark.django_db


def paid_job(*, client: User, worker: User, slug: str) -> None:
    """A job in ``slug`` proposed on, offered, funded, delivered and paid."""
    job = published_job(client=client, category=category(slug))
    p = proposal(job=job, worker=worker)
    due = timezone.localdate() + datetime.timedelta(days=10)
    contract = proposal_offer(
        proposal=p,
        by=client,
        title=job.title,
        description="説明",
        deliverables="ファイル",
        milestones=[MilestoneInput(title="一式", amount=20_000, due_date=due)],
        payment_due=due + datetime.timedelta(days=20),
    )
    contract_accept_terms(contract=contract, by=worker)
    milestone = contract.milestones.get()
    give_balance(client, milestone.gross, key=f"gift:{milestone.pk}")
    milestone_fund_from_wallet(milestone=milestone, by=client)
    pay(milestone)


def test_trades_worked_with_and_complementary_suggestions() -> None:
    translator, designer, shop = person("翻訳者"), person("デザイナー", trust=60), person("店")
    paid_job(client=shop, worker=translator, slug="translation")
    # the translator hires a designer: design is a trade the translator works with
    paid_job(client=translator, worker=designer, slug="design")
    assert [c.slug for c, _n in selectors.trades_worked_with(user_id=translator.pk)] == ["design"]
    assert "translation" in [c.slug for c, _n in selectors.trades_worked_with(user_id=designer.pk)]
    own = selectors.own_trades([translator.pk, designer.pk])
    assert set(own[translator.pk]) == {category("translation").pk}

    # a newcomer translator connected to the designer is pointed at them
    newcomer = person("新人")
    paid_job(client=shop, worker=newcomer, slug="translation")
    connect(newcomer, designer)
    wanted, suggestions = selectors.complementary_suggestions(user=newcomer)
    assert [c.slug for c in wanted] == ["design"]
    assert [s.profile.user_id for s in suggestions] == [designer.pk]

    browser = Client()
    browser.force_login(newcomer)
    page = browser.get("/referrals/trades/").content.decode()
    assert "デザイナー" in page and "デザイン" in page
    profile = Client().get(f"/profiles/{translator.profile.pk}/").content.decode()
    assert "よく一緒に仕事をする職種" in profile and "デザイン" in profile


def test_a_stranger_in_a_complementary_trade_is_not_suggested() -> None:
    translator, designer, shop = person(), person(), person()
    paid_job(client=shop, worker=translator, slug="translation")
    paid_job(client=translator, worker=designer, slug="design")
    newcomer = person()
    paid_job(client=shop, worker=newcomer, slug="translation")
    _wanted, suggestions = selectors.complementary_suggestions(user=newcomer)
    assert suggestions == []


def test_who_for_a_job_and_pages_in_english(settings: Any) -> None:
    me, sato, client = person("Me"), person("Sato"), person("Client")
    connect(me, sato)
    connect(sato, client)
    job = published_job(client=client)
    browser = Client()
    browser.force_login(me)
    page = browser.get(f"/referrals/who/jobs/{job.pk}/", HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "あなた → " in page and "Satoさん" in page
    me.language = "en"
    me.save(update_fields=["language"])
    english = browser.get(f"/referrals/who/{client.profile.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    text = english.content.decode()
    assert english.status_code == 200
    assert "Who can introduce you" in text and "You → " in text
