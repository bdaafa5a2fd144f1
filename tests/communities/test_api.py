"""/api/v1/communities with personal tokens: each endpoint for a member and for a second and a
third user, refusals with their codes, nothing changed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tests.api.factories import bearer, make_token
from tests.communities.factories import community, event, held, member, person, signed_up
from tsunagu.accounts.models import User
from tsunagu.communities import services
from tsunagu.communities.models import Endorsement, JoinPolicy, Membership, MemberState, Post

pytestmark = pytest.mark.django_db

BASE = "/api/v1/communities"


class Api:
    made = 0

    def __init__(self, user: User, language: str = "ja") -> None:
        Api.made += 1
        self.client = Client()
        secret = make_token(user=user, name=f"script {Api.made}")[1]
        self.headers = {**bearer(secret), "HTTP_ACCEPT_LANGUAGE": language}

    def get(self, path: str) -> Any:
        return self.client.get(BASE + path, **self.headers)

    def send(self, method: str, path: str, data: dict[str, Any] | None = None) -> Any:
        return getattr(self.client, method)(
            BASE + path,
            data=json.dumps(data or {}),
            content_type="application/json",
            **self.headers,
        )


def test_list_and_detail_are_open_to_anyone() -> None:
    c = community(name="翻訳者の会")
    anonymous = Client()
    listed = anonymous.get(BASE).json()
    assert [item["slug"] for item in listed] == [c.slug]
    detail = anonymous.get(f"{BASE}/{c.slug}").json()
    assert detail["mission"] == c.mission and detail["member_count"] == 1
    assert detail["my_state"] is None
    assert anonymous.get(f"{BASE}/nothing-here").status_code == 404


def test_create_join_and_leave() -> None:
    user, other = person(), person()
    response = Api(user).send("post", "", {"name": "写真家の会", "mission": "撮影技術の共有"})
    assert response.status_code == 201
    slug = response.json()["slug"]
    assert response.json()["my_role"] == "owner"
    joined = Api(other).send("post", f"/{slug}/join")
    assert joined.json() == {"community": slug, "state": "active", "role": "member"}
    again = Api(other).send("post", f"/{slug}/join")
    assert (again.status_code, again.json()["code"]) == (409, "already_member")
    assert Api(other).send("post", f"/{slug}/leave").json()["state"] == "left"
    refused = Api(user).send("post", f"/{slug}/leave")
    assert (refused.status_code, refused.json()["code"]) == (409, "last_owner")


def test_joining_a_closed_community_is_refused_or_waits() -> None:
    closed = community(join_policy=JoinPolicy.INVITATION)
    approval = community(name="承認制", join_policy=JoinPolicy.APPROVAL)
    user = person()
    response = Api(user).send("post", f"/{closed.slug}/join")
    assert response.status_code == 403
    assert response.json()["code"] == "invitation_only"
    assert "招待" in response.json()["message"]
    assert not Membership.objects.filter(community=closed, user=user).exists()
    assert Api(user).send("post", f"/{approval.slug}/join").json()["state"] == "pending"
    # pending is not a member: everything inside is 404
    assert Api(user).get(f"/{approval.slug}/posts").status_code == 404


def test_outsiders_get_404_inside_and_change_nothing() -> None:
    c = community()
    author = member(c)
    post = services.post_create(community=c, author=author, body="会員だけの話")
    activity = event(c)
    for outsider in (person(), member(community(name="別の会"))):
        api = Api(outsider)
        for path in ("/posts", "/members", "/activities", f"/activities/{activity.pk}"):
            response = api.get(f"/{c.slug}{path}")
            assert response.status_code == 404, path
            assert response.json()["code"] == "not_a_member"
        assert api.send("post", f"/{c.slug}/posts", {"body": "やあ"}).status_code == 404
        assert (
            api.send("post", f"/{c.slug}/posts/{post.pk}/replies", {"body": "やあ"}).status_code
            == 404
        )
        assert api.send("post", f"/{c.slug}/activities/{activity.pk}/sign-up").status_code == 404
    assert Post.objects.count() == 1 and signed_up(activity) == 0


def test_members_posts_and_replies() -> None:
    c = community()
    a, b = member(c), member(c)
    api = Api(a)
    created = api.send("post", f"/{c.slug}/posts", {"body": "勉強会します"})
    assert created.status_code == 201
    pid = created.json()["id"]
    reply = Api(b).send("post", f"/{c.slug}/posts/{pid}/replies", {"body": "行きます"})
    assert reply.status_code == 201
    feed = api.get(f"/{c.slug}/posts").json()
    assert feed[0]["body"] == "勉強会します" and feed[0]["replies"][0]["body"] == "行きます"
    blocked = api.send("post", f"/{c.slug}/posts", {"body": "LINE ID: taro_1234"})
    assert (blocked.status_code, blocked.json()["code"]) == (422, "contact_blocked")
    extra = api.send("post", f"/{c.slug}/posts", {"body": "x", "pinned": True})
    assert extra.status_code == 422
    assert Post.objects.count() == 2
    members = api.get(f"/{c.slug}/members").json()
    assert {m["user_id"] for m in members} == {c.created_by_id, a.pk, b.pk}


def test_sign_up_capacity_and_endorse() -> None:
    c = community()
    a, b, d = member(c), member(c), member(c)
    activity = event(c, capacity=1)
    assert Api(a).send("post", f"/{c.slug}/activities/{activity.pk}/sign-up").status_code == 200
    full = Api(b).send("post", f"/{c.slug}/activities/{activity.pk}/sign-up")
    assert (full.status_code, full.json()["code"]) == (409, "capacity_full")
    assert signed_up(activity) == 1
    cancelled = Api(a).send("delete", f"/{c.slug}/activities/{activity.pk}/sign-up")
    assert cancelled.json()["active"] is False
    other = held(event(c, title="第二回"), a, b)
    path = f"/{c.slug}/activities/{other.pk}/endorsements"
    assert Api(a).send("post", path, {"endorsee_id": b.pk}).status_code == 201
    twice = Api(a).send("post", path, {"endorsee_id": b.pk})
    assert (twice.status_code, twice.json()["code"]) == (409, "already_endorsed")
    myself = Api(a).send("post", path, {"endorsee_id": a.pk})
    assert (myself.status_code, myself.json()["code"]) == (422, "not_oneself")
    absent = Api(d).send("post", path, {"endorsee_id": a.pk})
    assert (absent.status_code, absent.json()["code"]) == (403, "you_did_not_take_part")
    assert Endorsement.objects.count() == 1
    detail = Api(b).get(f"/{c.slug}/activities/{other.pk}").json()
    assert detail["me_took_part"] and set(detail["participants"]) == {a.pk, b.pk}
    standing = {m["user_id"]: m["standing"] for m in Api(a).get(f"/{c.slug}/members").json()}
    assert standing[b.pk] == {"activities": 1, "endorsements": 1, "endorsers": 1}
    assert Membership.objects.get(community=c, user=d).state == MemberState.ACTIVE
