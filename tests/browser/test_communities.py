"""A member joins a community, signs up for its free consultation day, is endorsed by another
participant afterwards ("一緒に活動した"), finds the job only members can see on the community's
job board and proposes for it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.browser.helpers import CLOCK_START, ScreenshotFn, log_in
from tests.communities.factories import community, community_job, event, member, person
from tsunagu.communities import services
from tsunagu.communities.models import Activity, Endorsement, Membership
from tsunagu.proposals.models import Proposal


@pytest.fixture
def peer_page(
    browser: Browser, live_server: Any, browser_context_args: dict[str, Any]
) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    context.set_default_timeout(10_000)
    context.clock.set_fixed_time(CLOCK_START)
    yield context.new_page()
    context.close()


def test_join_sign_up_be_endorsed_and_propose_for_a_members_only_job(
    page: Page, peer_page: Page, screenshot: ScreenshotFn
) -> None:
    owner = person("佐藤")
    c = community(
        owner,
        name="地方の翻訳者ネットワーク",
        mission="地方に住む翻訳者が、仕事と学びを分け合う。",
        rules="互いの訳文に敬意を。案件の相談は歓迎。",
    )
    peer = member(c, person("田中"))
    activity = event(c, title="無料翻訳相談会", capacity=5, place="", is_online=True)
    client = member(c, person("つなぐ商店"))
    job = community_job(c, client, title="会員限定：観光パンフレットの英訳")
    worker = person("Hana")

    # Join the community from the list.
    log_in(page, email=worker.email)
    page.goto("/communities/")
    page.get_by_role("link", name="地方の翻訳者ネットワーク").click()
    page.get_by_role("button", name="参加する").click()
    expect(page.locator(".messages")).to_contain_text("メンバーになりました")
    screenshot(page, "communities-detail")

    # Sign up for the activity.
    page.get_by_role("link", name="活動").first.click()
    page.get_by_role("link", name="無料翻訳相談会").click()
    page.get_by_role("button", name="申し込む").click()
    expect(page.locator(".messages")).to_contain_text("申し込みました")
    expect(page.get_by_test_id("places")).to_contain_text("定員5人中1人")
    screenshot(page, "communities-activity")
    services.activity_sign_up(activity=activity, user=peer)

    # After the day the organiser records who took part; the peer endorses Hana.
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    activity.refresh_from_db()
    services.activity_record_attendance(activity=activity, by=owner, user_ids=[worker.pk, peer.pk])
    log_in(peer_page, email=peer.email)
    peer_page.goto(f"/communities/{c.slug}/activities/{activity.pk}/")
    peer_page.get_by_role("button", name="一緒に活動した").click()
    expect(peer_page.locator(".messages")).to_contain_text("応援を記録しました")
    assert Endorsement.objects.filter(endorser=peer, endorsee=worker).exists()

    # Hana's standing inside the community.
    page.goto(f"/communities/{c.slug}/members/{worker.pk}/")
    expect(page.get_by_test_id("standing").first).to_contain_text("1人から応援")
    expect(page.get_by_test_id("endorsements")).to_contain_text("田中さんが「無料翻訳相談会」")
    screenshot(page, "communities-standing")

    # The job board shows the members-only job; Hana proposes.
    page.goto(f"/communities/{c.slug}/")
    page.get_by_role("link", name="仕事掲示板").click()
    page.get_by_role("link", name=job.title).click()
    screenshot(page, "communities-job")
    page.get_by_role("link", name="提案する").click()
    page.get_by_label("提案文").fill(
        "観光翻訳の経験があります。地元の言い回しも自然な英語にします。"
    )
    page.get_by_label("金額（円・税抜）").fill("25000")
    page.get_by_role("button", name="提案を送る").click()
    expect(page.locator(".messages")).to_contain_text("提案を送りました")
    assert Proposal.objects.filter(job=job, worker=worker).exists()
    assert Membership.objects.get(community=c, user=worker).is_active
