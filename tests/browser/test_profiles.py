"""The issue's acceptance flow, part two: profiles, other people's local time, the worker list
and the language switch."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.accounts.factories import UserFactory
from tests.browser.helpers import ScreenshotFn, completeness_percent, log_in
from tsunagu.accounts.models import User
from tsunagu.profiles.models import Profile, Skill

TOKYO = ZoneInfo("Asia/Tokyo")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def make_worker(
    *,
    display_name: str,
    time_zone: str = "Asia/Tokyo",
    headline: str = "",
    skills: tuple[str, ...] = (),
    hours: tuple[dt.time, dt.time] = (dt.time(9), dt.time(18)),
) -> User:
    user = UserFactory(time_zone=time_zone)
    profile = Profile.objects.get(user=user)
    profile.display_name = display_name
    profile.headline = headline
    profile.is_worker = True
    profile.working_hours_start, profile.working_hours_end = hours
    profile.working_days = [0, 1, 2, 3, 4]
    profile.save()
    profile.skills.set(Skill.objects.filter(slug__in=skills))
    return user


def label(japanese: str, english: str) -> re.Pattern[str]:
    """An accessible name in Japanese, or the English source text while a translation is missing."""
    return re.compile(f"{japanese}|{english}", re.IGNORECASE)


def clock_pattern(zone: ZoneInfo, since: dt.datetime) -> re.Pattern[str]:
    """The time in ``zone`` as H:MM (leading zero optional), any minute from ``since`` until the
    next minute: the page shows the time it was rendered, which a slow machine may have left."""
    moment = since.astimezone(zone).replace(second=0, microsecond=0)
    end = dt.datetime.now(tz=zone) + dt.timedelta(minutes=1)
    times = set()
    while moment <= end:
        times.add(moment.strftime("%H:%M"))
        moment += dt.timedelta(minutes=1)
    return re.compile("|".join(rf"(?<!\d)0?{re.escape(t.lstrip('0') or '0')}" for t in times))


def test_complete_profile_and_see_completeness_go_up(page: Page, screenshot: ScreenshotFn) -> None:
    user = UserFactory(email="taro@example.com")
    log_in(page, email=user.email)
    before = completeness_percent(page)

    page.locator("main").get_by_role(
        "link", name=label("プロフィール.*編集", "Edit profile")
    ).click()
    expect(page).to_have_url(re.compile("/profiles/me/edit/$"))
    form = page.locator("main form").filter(has=page.get_by_role("checkbox")).first
    form.get_by_label(label("表示名", "Display name")).fill("山田 太郎")
    form.get_by_label(label("キャッチ|見出し|ひとこと|肩書", "Headline")).fill(
        "英日翻訳と技術文書の作成"
    )
    form.get_by_label(label("自己紹介", "About me")).fill(
        "IT企業で10年、技術文書の翻訳を担当してきました。\n\n- 英語→日本語\n- 日本語→英語"
    )
    form.get_by_role("checkbox", name="翻訳（英語→日本語）").check()
    form.get_by_role("checkbox", name="技術文書作成").check()
    # Every account starts as a worker; the form must show that box, ticked.
    expect(
        form.get_by_role("checkbox", name=label("仕事を受ける", "I take on work"))
    ).to_be_checked()
    form.get_by_label(label("稼働.*(開始|から)", "Working hours from")).fill("10:00")
    form.get_by_label(label("稼働.*(終了|まで)", "Working hours until")).fill("19:00")
    screenshot(page, "profile-edit")
    form.get_by_role("button", name=label("保存", "Save profile")).click()

    # Saved: the page says so and shows the new values.
    expect(page.locator("main").get_by_role("status").first).to_be_visible()
    expect(page.get_by_label(label("表示名", "Display name"))).to_have_value("山田 太郎")
    user.refresh_from_db()
    profile = Profile.objects.get(user=user)
    assert profile.headline == "英日翻訳と技術文書の作成"
    assert set(profile.skills.values_list("slug", flat=True)) == {
        "translation-en-ja",
        "technical-writing",
    }
    assert profile.working_hours_start == dt.time(10)
    assert profile.is_worker

    # The time zone lives in the account settings; working hours are read in it.
    page.get_by_role("navigation").first.get_by_role("link", name=label("設定", "Settings")).click()
    settings_form = page.locator("main form").filter(has=page.get_by_role("combobox")).first
    settings_form.get_by_label(label("タイムゾーン", "Time zone")).select_option("Asia/Bangkok")
    settings_form.get_by_role("button", name=label("保存", "Save")).click()
    expect(page.locator("main").get_by_role("status").first).to_be_visible()
    user.refresh_from_db()
    assert user.time_zone == "Asia/Bangkok"
    page.goto("/profiles/me/edit/")
    expect(page.locator("main")).to_contain_text("Asia/Bangkok")

    after = completeness_percent(page)
    assert after > before, (before, after)
    screenshot(page, "home-signed-in")


def test_other_profile_shows_both_local_times_and_overlap(
    page: Page, screenshot: ScreenshotFn
) -> None:
    viewer = make_worker(display_name="山田 太郎", time_zone="Asia/Tokyo")
    # 16:00–23:00 in Los Angeles is the next morning in Tokyo, so the hours overlap.
    emily = make_worker(
        display_name="Emily Carter",
        time_zone="America/Los_Angeles",
        headline="Japanese to English translator",
        skills=("translation-ja-en",),
        hours=(dt.time(16), dt.time(23)),
    )
    log_in(page, email=viewer.email)

    since = dt.datetime.now(tz=dt.UTC)
    page.goto(f"/profiles/{emily.profile.pk}/")
    expect(page.get_by_role("heading", name=re.compile("Emily Carter"))).to_be_visible()
    times = page.locator("main section").filter(has_text="America/Los_Angeles").last
    expect(times).to_contain_text("Asia/Tokyo")
    # Their clock and mine side by side, each at the time it is now in that zone.
    expect(times).to_contain_text(clock_pattern(LOS_ANGELES, since))
    expect(times).to_contain_text(clock_pattern(TOKYO, since))
    # 16:00–23:00 in Los Angeles against 9:00–18:00 in Tokyo: 6 or 7 shared hours a day.
    expect(times).to_contain_text(re.compile(r"(?<![\d.])[67](\.\d)?\s?(h|時間)"))
    screenshot(page, "profile-other")


def test_switch_language_with_header_buttons(page: Page, screenshot: ScreenshotFn) -> None:
    emily = make_worker(
        display_name="Emily Carter",
        time_zone="America/Los_Angeles",
        headline="Japanese to English translator",
        skills=("translation-ja-en",),
        hours=(dt.time(16), dt.time(23)),
    )
    page.goto(f"/profiles/{emily.profile.pk}/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "ja")
    nav = page.get_by_role("navigation").first
    expect(nav.get_by_role("link", name="Find workers")).to_have_count(0)

    page.get_by_role("button", name="English").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(f"/profiles/{emily.profile.pk}/$"))
    expect(nav.get_by_role("link", name="Find workers")).to_be_visible()
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("Translation (Japanese to English)").first).to_be_visible()
    screenshot(page, "profile-en")

    page.get_by_role("button", name="日本語").click()
    expect(html).to_have_attribute("lang", "ja")
    expect(nav.get_by_role("link", name="Find workers")).to_have_count(0)
    expect(page.get_by_text("翻訳（日本語→英語）").first).to_be_visible()


def test_worker_list_filtered_by_skill(page: Page, screenshot: ScreenshotFn) -> None:
    make_worker(display_name="翻訳の佐藤", skills=("translation",), headline="英日・日英の翻訳")
    make_worker(display_name="動画の鈴木", skills=("video-editing",), headline="YouTube動画の編集")

    page.goto("/")
    nav = page.get_by_role("navigation").first
    nav.get_by_role("link", name=label("ワーカーを探す", "Find workers")).click()
    expect(page).to_have_url(re.compile("/profiles/"))
    main = page.locator("main")
    expect(main.get_by_text("翻訳の佐藤")).to_be_visible()
    expect(main.get_by_text("動画の鈴木")).to_be_visible()

    main.get_by_label(label("スキル", "Skill")).select_option(label="翻訳")
    main.get_by_role("button", name=label("検索|絞り込", "Search")).click()
    expect(page).to_have_url(re.compile("skill=translation"))
    expect(main.get_by_text("翻訳の佐藤")).to_be_visible()
    expect(main.get_by_text("動画の鈴木")).to_have_count(0)
    screenshot(page, "workers")
