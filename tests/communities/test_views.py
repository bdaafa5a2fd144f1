"""Community pages: each page for a member, and for a second and a third user who may not see or
do it (404 for what outsiders must not know exists, a message and nothing changed otherwise)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.communities.factories import (
    community,
    community_job,
    event,
    held,
    member,
    moderator,
    person,
    signed_up,
)
from tests.profiles.factories import png_upload
from tsunagu.audit.models import AuditEvent
from tsunagu.communities import services
from tsunagu.communities.models import (
    Community,
    Endorsement,
    JoinPolicy,
    Membership,
    MemberState,
    Post,
    Role,
)
from tsunagu.messaging.models import Room

pytestmark = pytest.mark.django_db


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_the_list_searches_and_anyone_sees_mission_and_rules(client: Client) -> None:
    c = community(name="翻訳者の会", mission="地方の翻訳者が仕事を分け合う")
    community(name="デザイナー互助会", mission="デザインの相互レビュー")
    html = page(client, "/communities/?q=翻訳")
    assert "翻訳者の会" in html and "デザイナー互助会" not in html
    html = page(client, f"/communities/{c.slug}/")
    assert "地方の翻訳者が仕事を分け合う" in html and "互いに敬意を" in html
    assert 'data-testid="post"' not in html


def test_create_a_community_with_a_cover(client: Client) -> None:
    user = person()
    client.force_login(user)
    response = client.post(
        "/communities/new/",
        {
            "name": "動画編集ギルド",
            "mission": "動画編集者の技術共有",
            "rules": "",
            "join_policy": "approval",
            "cover": png_upload("cover.png"),
        },
    )
    c = Community.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/communities/{c.slug}/"
    assert Membership.objects.get(community=c).role == Role.OWNER


def test_bad_input_on_create_is_shown_in_japanese_and_nothing_is_created(client: Client) -> None:
    client.force_login(person())
    response = client.post(
        "/communities/new/",
        {"name": "会", "mission": "連絡は taro.yamada@gmail.com", "join_policy": "open"},
    )
    assert response.status_code == 422
    assert "外部連絡先" in response.content.decode() or "連絡先" in response.content.decode()
    response = client.post(
        "/communities/new/",
        {"name": "会", "mission": "使命", "join_policy": "open", "cover": _pdf()},
    )
    assert response.status_code == 422
    assert not Community.objects.exists()


def _pdf() -> object:
    from tests.accounts import files

    return files.pdf()


def test_join_open_approval_and_invitation_only(client: Client) -> None:
    open_c = community()
    closed = community(name="承認制の会", join_policy=JoinPolicy.APPROVAL)
    secret = community(name="招待制の会", join_policy=JoinPolicy.INVITATION)
    user = person()
    client.force_login(user)
    client.post(f"/communities/{open_c.slug}/join/")
    assert Membership.objects.get(community=open_c, user=user).state == MemberState.ACTIVE
    client.post(f"/communities/{closed.slug}/join/")
    assert Membership.objects.get(community=closed, user=user).state == MemberState.PENDING
    # a pending applicant sees no feed, activities or members
    assert client.get(f"/communities/{closed.slug}/members/").status_code == 404
    response = client.post(f"/communities/{secret.slug}/join/", follow=True)
    assert "招待された方のみ" in response.content.decode()
    assert not Membership.objects.filter(community=secret, user=user).exists()


def test_outsiders_get_404_for_everything_inside(client: Client) -> None:
    c = community()
    author = member(c)
    post = services.post_create(community=c, author=author, body="会員だけの話")
    activity = event(c)
    job = community_job(c)
    pending = person()
    services.membership_join(
        community=community(name="承認制", join_policy=JoinPolicy.APPROVAL), user=pending
    )
    for viewer in (person(), pending):
        client.force_login(viewer)
        assert "会員だけの話" not in page(client, f"/communities/{c.slug}/")
        for url in (
            f"/communities/{c.slug}/activities/",
            f"/communities/{c.slug}/activities/{activity.pk}/",
            f"/communities/{c.slug}/jobs/",
            f"/communities/{c.slug}/members/",
            f"/communities/{c.slug}/members/{author.pk}/",
            f"/communities/{c.slug}/moderation/",
            f"/jobs/{job.pk}/",
        ):
            assert client.get(url).status_code == 404, url
        for url in (
            f"/communities/{c.slug}/posts/",
            f"/communities/{c.slug}/posts/{post.pk}/reply/",
            f"/communities/{c.slug}/activities/{activity.pk}/sign-up/",
            f"/communities/{c.slug}/members/{author.pk}/message/",
        ):
            assert client.post(url, {"body": "x"}).status_code == 404, url
    assert Post.objects.count() == 1 and signed_up(activity) == 0 and not Room.objects.exists()
    assert client.get("/communities/no-such/").status_code == 404


def test_a_member_posts_replies_and_a_blocked_post_says_why(client: Client) -> None:
    c = community()
    user = member(c)
    client.force_login(user)
    client.post(f"/communities/{c.slug}/posts/", {"body": "はじめまして"})
    post = Post.objects.get()
    client.post(f"/communities/{c.slug}/posts/{post.pk}/reply/", {"body": "よろしく"})
    html = page(client, f"/communities/{c.slug}/")
    assert "はじめまして" in html and "よろしく" in html
    response = client.post(
        f"/communities/{c.slug}/posts/", {"body": "電話は〇九〇ー一二三四ー五六七八へ"}
    )
    assert response.status_code == 422
    assert "外部連絡先" in response.content.decode()
    assert Post.objects.count() == 2


def test_moderation_page_and_actions_are_for_moderators_only(client: Client) -> None:
    c = community(join_policy=JoinPolicy.APPROVAL)
    mod = moderator(c)
    plain = member(c)
    applicant = person()
    pending = services.membership_join(community=c, user=applicant)
    post = services.post_create(community=c, author=plain, body="宣伝です")
    client.force_login(plain)
    assert client.get(f"/communities/{c.slug}/moderation/").status_code == 403
    client.post(f"/communities/{c.slug}/moderation/{pending.pk}/approve/")
    client.post(f"/communities/{c.slug}/posts/{post.pk}/hide/", {"reason": "spam"})
    client.post(f"/communities/{c.slug}/posts/{post.pk}/pin/")
    assert Membership.objects.get(pk=pending.pk).state == MemberState.PENDING
    assert not Post.objects.get(pk=post.pk).is_hidden
    assert not Post.objects.get(pk=post.pk).is_pinned
    assert not AuditEvent.objects.filter(actor=plain).exists()
    client.force_login(mod)
    html = page(client, f"/communities/{c.slug}/moderation/")
    assert applicant.profile.display_name in html
    client.post(f"/communities/{c.slug}/moderation/{pending.pk}/approve/")
    assert Membership.objects.get(pk=pending.pk).state == MemberState.ACTIVE
    client.post(f"/communities/{c.slug}/posts/{post.pk}/hide/", {"reason": "宣伝"})
    assert Post.objects.get(pk=post.pk).is_hidden
    plain_m = Membership.objects.get(community=c, user=plain)
    client.post(f"/communities/{c.slug}/moderation/{plain_m.pk}/remove/", {"reason": "規約違反"})
    assert Membership.objects.get(pk=plain_m.pk).state == MemberState.REMOVED
    invitee = person()
    client.post(f"/communities/{c.slug}/moderation/invite/", {"email": invitee.email})
    assert Membership.objects.get(community=c, user=invitee).state == MemberState.INVITED
    assert AuditEvent.objects.filter(actor=mod).count() == 4


def test_owner_changes_roles_on_the_page(client: Client) -> None:
    c = community()
    plain = member(c)
    m = Membership.objects.get(community=c, user=plain)
    client.force_login(c.created_by)
    client.post(f"/communities/{c.slug}/moderation/{m.pk}/role/", {"role": "moderator"})
    assert Membership.objects.get(pk=m.pk).role == Role.MODERATOR


def test_activity_sign_up_attendance_and_endorsement_pages(client: Client) -> None:
    c = community()
    a, b = member(c), member(c)
    activity = event(c, capacity=1)
    client.force_login(a)
    html = page(client, f"/communities/{c.slug}/activities/")
    assert activity.title in html
    client.post(f"/communities/{c.slug}/activities/{activity.pk}/sign-up/")
    assert signed_up(activity) == 1
    client.force_login(b)
    response = client.post(f"/communities/{c.slug}/activities/{activity.pk}/sign-up/", follow=True)
    assert "定員" in response.content.decode()
    assert signed_up(activity) == 1
    # only the organiser records attendance
    activity.starts_at = timezone.now() - datetime.timedelta(hours=1)
    activity.save()
    client.post(
        f"/communities/{c.slug}/activities/{activity.pk}/attendance/", {"took_part": [a.pk]}
    )
    assert not activity.signups.filter(took_part=True).exists()
    client.force_login(c.created_by)
    client.post(
        f"/communities/{c.slug}/activities/{activity.pk}/attendance/", {"took_part": [a.pk]}
    )
    assert activity.signups.filter(took_part=True).count() == 1
    # b did not take part: endorsing is refused
    client.force_login(b)
    response = client.post(
        f"/communities/{c.slug}/activities/{activity.pk}/endorse/", {"endorsee": a.pk}, follow=True
    )
    assert "参加した人" in response.content.decode()
    assert not Endorsement.objects.exists()


def test_endorse_on_the_page_and_standing_on_the_member_page(client: Client) -> None:
    c = community()
    a, b = member(c), member(c)
    activity = held(event(c), a, b)
    client.force_login(b)
    html = page(client, f"/communities/{c.slug}/activities/{activity.pk}/")
    assert "一緒に活動した" in html
    client.post(f"/communities/{c.slug}/activities/{activity.pk}/endorse/", {"endorsee": a.pk})
    response = client.post(
        f"/communities/{c.slug}/activities/{activity.pk}/endorse/", {"endorsee": b.pk}, follow=True
    )
    assert "自分" in response.content.decode()
    assert Endorsement.objects.count() == 1
    html = page(client, f"/communities/{c.slug}/members/{a.pk}/")
    assert 'data-testid="standing"' in html and "1人" in html


def test_member_directory_and_message_opens_an_inquiry(client: Client) -> None:
    c = community()
    a, b = member(c), member(c)
    client.force_login(a)
    html = page(client, f"/communities/{c.slug}/members/")
    assert b.profile.display_name in html
    response = client.post(f"/communities/{c.slug}/members/{b.pk}/message/")
    room = Room.objects.get()
    assert response["Location"] == f"/messages/rooms/{room.pk}/"
    assert (room.subject_type, room.subject_id) == ("community", str(c.pk))


def test_the_job_board_lists_community_jobs_for_members(client: Client) -> None:
    c = community()
    job = community_job(c)
    client.force_login(member(c))
    assert job.title in page(client, f"/communities/{c.slug}/jobs/")


def test_leave_on_the_page(client: Client) -> None:
    c = community()
    user = member(c)
    client.force_login(user)
    client.post(f"/communities/{c.slug}/leave/")
    assert Membership.objects.get(community=c, user=user).state == MemberState.LEFT
    client.force_login(c.created_by)
    response = client.post(f"/communities/{c.slug}/leave/", follow=True)
    assert "オーナー" in response.content.decode()
    assert Membership.objects.get(community=c, user=c.created_by).state == MemberState.ACTIVE


def test_pages_in_english(client: Client, settings: Any) -> None:
    c = community()
    user = member(c)
    user.language = "en"
    user.save()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = page(client, f"/communities/{c.slug}/")
    assert "Mission" in html and "Leave the community" in html
    assert "ミッション" not in html
    response = client.post(f"/communities/{c.slug}/join/", follow=True)
    assert "You are already a member of this community." in response.content.decode()


def test_the_profile_shows_communities_but_invitation_only_ones_to_members_only(
    client: Client,
) -> None:
    open_c = community(name="公開の会")
    secret = community(name="秘密の会", join_policy=JoinPolicy.INVITATION)
    user = member(open_c)
    services.membership_invite(community=secret, by=secret.created_by, user=user)
    services.membership_join(community=secret, user=user)
    held(event(open_c), user, member(open_c))
    url = f"/profiles/{user.profile.pk}/"
    client.force_login(person())
    html = page(client, url)
    assert "公開の会" in html and "秘密の会" not in html and "活動1件" in html
    client.force_login(secret.created_by)
    assert "秘密の会" in page(client, url)


def test_only_the_owner_edits_the_community(client: Client) -> None:
    c = community()
    mod = moderator(c)
    values = {"name": "新しい名前", "mission": "新しいミッション", "join_policy": "approval"}
    client.force_login(mod)
    assert client.get(f"/communities/{c.slug}/edit/").status_code == 403
    assert client.post(f"/communities/{c.slug}/edit/", values).status_code == 403
    client.force_login(person())
    assert client.post(f"/communities/{c.slug}/edit/", values).status_code == 404
    c.refresh_from_db()
    assert c.name == "翻訳者の会"
    client.force_login(c.created_by)
    bad = client.post(f"/communities/{c.slug}/edit/", {**values, "cover": _pdf()})
    assert bad.status_code == 422 and "カバー画像" in bad.content.decode()
    response = client.post(f"/communities/{c.slug}/edit/", {**values, "cover": png_upload()})
    assert response.status_code == 302
    c.refresh_from_db()
    assert (c.name, c.join_policy) == ("新しい名前", "approval") and c.cover.name
    assert AuditEvent.objects.filter(event="community.updated", actor=c.created_by).exists()


def test_an_off_platform_request_is_posted_with_a_warning(client: Client) -> None:
    c = community()
    author, reader = member(c), member(c)
    client.force_login(author)
    client.post(
        f"/communities/{c.slug}/posts/", {"body": "手数料がもったいないので直接取引しませんか？"}
    )
    post = Post.objects.get()
    assert post.guard_notice == "solicit"
    client.force_login(reader)
    html = page(client, f"/communities/{c.slug}/")
    assert 'data-notice="solicit"' in html and "Tsunagu の外" in html
