"""/api/v1/communities moderation: join requests, invitations, roles, removal, hiding and pinning
posts, creating activities and recording who took part.

Each endpoint works for the community's moderators (roles: its owner); a plain member is refused
(403), an outsider is told there is nothing (404) and an anonymous caller must sign in (401),
and a refusal changes nothing. Bad input is a 4xx with a Japanese message, never a 500.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.factories import bearer, make_token
from tests.communities.factories import community, event, member, moderator, person
from tsunagu.accounts.models import User
from tsunagu.audit.models import AuditEvent
from tsunagu.communities import services
from tsunagu.communities.models import (
    Activity,
    Community,
    JoinPolicy,
    Membership,
    MemberState,
    Post,
    Role,
    SignUp,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/communities"
HUGE_IDS = (2**63, 2**64, 10**30)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


class Api:
    """A caller with a personal token (or none: anonymous), asking for Japanese answers."""

    made = 0

    def __init__(self, user: User | None) -> None:
        self.client = Client()
        self.headers: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "ja"}
        if user is not None:
            Api.made += 1
            secret = make_token(user=user, name=f"moderation {Api.made}")[1]
            self.headers.update(bearer(secret))

    def call(self, method: str, path: str, data: Any = None) -> Any:
        if method == "get":
            return self.client.get(BASE + path, **self.headers)
        return getattr(self.client, method)(
            BASE + path,
            data=json.dumps({} if data is None else data),
            content_type="application/json",
            **self.headers,
        )


def refused(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The answer is the expected refusal, as JSON with a message in Japanese."""
    assert response.status_code == status, response.content
    body: dict[str, Any] = response.json()
    if code is not None:
        assert body["code"] == code, body
    assert JAPANESE.search(body["message"]), body
    for error in body.get("errors") or []:
        assert JAPANESE.search(error["message"]), body
    return body


def snapshot() -> tuple[Any, ...]:
    """Every row the moderation endpoints could change, and the audit trail's length."""
    return (
        list(
            Membership.objects.order_by("pk").values_list(
                "pk", "state", "role", "invited_by_id", "joined_at"
            )
        ),
        list(
            Post.objects.order_by("pk").values_list("pk", "hidden_at", "hidden_reason", "pinned_at")
        ),
        list(Activity.objects.order_by("pk").values_list("pk", "title", "attendance_recorded_at")),
        list(SignUp.objects.order_by("pk").values_list("pk", "took_part", "cancelled_at")),
        community_audit().count(),
    )


def community_audit() -> Any:
    """The audit rows of community actions (making a token is audited too, elsewhere)."""
    return AuditEvent.objects.filter(event__startswith="community.")


@dataclass
class World:
    c: Community
    owner: User
    mod: User
    plain: User
    target: User
    applicant: User
    invitee: User
    outsider: User
    post: Post
    pinned: Post
    started: Activity

    def membership(self, user: User) -> Membership:
        return Membership.objects.get(community=self.c, user=user)


@pytest.fixture
def world() -> World:
    """A community that approves requests: its owner, a moderator, two plain members, one
    person waiting for approval, one to invite, an outsider (a member elsewhere), a post, a
    pinned announcement and an event that has started with two people signed up."""
    c = community(name="翻訳者の会", join_policy=JoinPolicy.APPROVAL)
    mod = moderator(c)
    plain, target = member(c), member(c)
    applicant = person("申請者")
    services.membership_join(community=c, user=applicant)
    outsider = member(community(name="別の会"))
    post = services.post_create(community=c, author=plain, body="来週の勉強会の資料です")
    pinned = services.post_create(community=c, author=c.created_by, body="お知らせ：規約を更新")
    services.post_pin(post=pinned, by=c.created_by)
    started = event(c, title="オンライン交流会")
    for user in (plain, target):
        services.activity_sign_up(activity=started, user=user)
    Activity.objects.filter(pk=started.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    started.refresh_from_db()
    return World(
        c=c,
        owner=c.created_by,
        mod=mod,
        plain=plain,
        target=target,
        applicant=applicant,
        invitee=person("招待される人"),
        outsider=outsider,
        post=post,
        pinned=pinned,
        started=started,
    )


def future(days: int = 7) -> str:
    return (timezone.now() + datetime.timedelta(days=days)).isoformat()


@dataclass
class Case:
    """One endpoint: how to call it in a world, and what its success leaves behind."""

    method: str
    path: Callable[[World], str]
    body: Callable[[World], Any]
    status: int
    done: Callable[[World, dict[str, Any]], None]
    owner_only: bool = False


def _approved(w: World, body: dict[str, Any]) -> None:
    m = w.membership(w.applicant)
    assert m.state == MemberState.ACTIVE and m.joined_at is not None
    assert (body["membership_id"], body["user_id"]) == (m.pk, w.applicant.pk)
    assert (body["state"], body["role"]) == ("active", "member")


def _declined(w: World, body: dict[str, Any]) -> None:
    assert w.membership(w.applicant).state == MemberState.DECLINED
    assert body["state"] == "declined"


def _invited(w: World, body: dict[str, Any]) -> None:
    m = w.membership(w.invitee)
    assert (m.state, m.invited_by_id) == (MemberState.INVITED, body["_by"])
    assert body["state"] == "invited" and body["user_id"] == w.invitee.pk


def _promoted(w: World, body: dict[str, Any]) -> None:
    assert w.membership(w.target).role == Role.MODERATOR
    assert body["role"] == "moderator"


def _removed(w: World, body: dict[str, Any]) -> None:
    assert w.membership(w.target).state == MemberState.REMOVED
    assert body["state"] == "removed"
    event_row = AuditEvent.objects.filter(event="community.member_removed").get()
    assert event_row.after is not None and event_row.after["reason"] == "規約違反"


def _hidden(w: World, body: dict[str, Any]) -> None:
    w.post.refresh_from_db()
    assert w.post.is_hidden and w.post.hidden_reason == "勧誘の投稿"
    assert body["hidden"] is True


def _pinned(w: World, body: dict[str, Any]) -> None:
    w.post.refresh_from_db()
    assert w.post.is_pinned and body["pinned"] is True


def _unpinned(w: World, body: dict[str, Any]) -> None:
    w.pinned.refresh_from_db()
    assert not w.pinned.is_pinned and body["pinned"] is False


def _created(w: World, body: dict[str, Any]) -> None:
    activity = Activity.objects.get(pk=body["id"])
    assert (activity.community_id, activity.title, activity.capacity) == (w.c.pk, "翻訳勉強会", 20)
    assert activity.organiser_id == body["_by"] == body["organiser_id"]


def _attended(w: World, body: dict[str, Any]) -> None:
    assert body["activity_id"] == w.started.pk
    assert body["took_part"] == sorted([w.plain.pk, w.target.pk])
    assert set(
        SignUp.objects.filter(activity=w.started, took_part=True).values_list("user_id", flat=True)
    ) == {w.plain.pk, w.target.pk}


CASES: dict[str, Case] = {
    "approve": Case(
        "post",
        lambda w: f"/{w.c.slug}/requests/{w.membership(w.applicant).pk}/approve",
        lambda w: None,
        200,
        _approved,
    ),
    "decline": Case(
        "post",
        lambda w: f"/{w.c.slug}/requests/{w.membership(w.applicant).pk}/decline",
        lambda w: None,
        200,
        _declined,
    ),
    "invite": Case(
        "post",
        lambda w: f"/{w.c.slug}/invitations",
        lambda w: {"email": w.invitee.email.upper()},
        201,
        _invited,
    ),
    "role": Case(
        "put",
        lambda w: f"/{w.c.slug}/memberships/{w.membership(w.target).pk}/role",
        lambda w: {"role": "moderator"},
        200,
        _promoted,
        owner_only=True,
    ),
    "remove": Case(
        "post",
        lambda w: f"/{w.c.slug}/memberships/{w.membership(w.target).pk}/remove",
        lambda w: {"reason": "規約違反"},
        200,
        _removed,
    ),
    "hide": Case(
        "post",
        lambda w: f"/{w.c.slug}/posts/{w.post.pk}/hide",
        lambda w: {"reason": "勧誘の投稿"},
        200,
        _hidden,
    ),
    "pin": Case(
        "post", lambda w: f"/{w.c.slug}/posts/{w.post.pk}/pin", lambda w: None, 200, _pinned
    ),
    "unpin": Case(
        "delete", lambda w: f"/{w.c.slug}/posts/{w.pinned.pk}/pin", lambda w: None, 200, _unpinned
    ),
    "create_activity": Case(
        "post",
        lambda w: f"/{w.c.slug}/activities",
        lambda w: {
            "kind": "event",
            "title": "翻訳勉強会",
            "starts_at": future(),
            "place": "渋谷",
            "capacity": 20,
        },
        201,
        _created,
    ),
    "attendance": Case(
        "put",
        lambda w: f"/{w.c.slug}/activities/{w.started.pk}/attendance",
        lambda w: {"user_ids": [w.target.pk, w.plain.pk, w.plain.pk]},
        200,
        _attended,
    ),
}


@pytest.mark.parametrize("actor", ["owner", "mod"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_endpoint_works_for_moderators(world: World, name: str, actor: str) -> None:
    case = CASES[name]
    user: User = getattr(world, actor)
    api = Api(user)
    before, state = community_audit().count(), snapshot()
    response = api.call(case.method, case.path(world), case.body(world))
    if case.owner_only and actor == "mod":
        refused(response, 403, "not_the_owner")
        assert snapshot() == state
        return
    assert response.status_code == case.status, response.content
    case.done(world, {**response.json(), "_by": user.pk})
    last = community_audit().order_by("-id").first()
    assert community_audit().count() == before + 1 and last is not None
    assert last.actor_id == user.pk


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("plain", 403, None),
        ("outsider", 404, "not_a_member"),
        ("applicant", 404, "not_a_member"),
        ("anonymous", 401, "not_authenticated"),
    ],
)
@pytest.mark.parametrize("name", sorted(CASES))
def test_others_are_refused_and_nothing_changes(
    world: World, name: str, who: str, status: int, code: str | None
) -> None:
    case = CASES[name]
    user = None if who == "anonymous" else getattr(world, who)
    api = Api(user)
    path, body = case.path(world), case.body(world)
    state = snapshot()
    response = api.call(case.method, path, body)
    expected = code
    if who == "plain":
        expected = "not_the_organiser" if name == "attendance" else "not_a_moderator"
    refused(response, status, expected)
    assert snapshot() == state


def test_the_join_requests_list_is_for_moderators_only(world: World) -> None:
    listed = Api(world.mod).call("get", f"/{world.c.slug}/requests")
    assert listed.status_code == 200
    (row,) = listed.json()
    assert row["membership_id"] == world.membership(world.applicant).pk
    assert (row["user_id"], row["display_name"]) == (world.applicant.pk, "申請者")
    refused(Api(world.plain).call("get", f"/{world.c.slug}/requests"), 403, "not_a_moderator")
    refused(Api(world.outsider).call("get", f"/{world.c.slug}/requests"), 404, "not_a_member")
    refused(Api(None).call("get", f"/{world.c.slug}/requests"), 401)


def test_the_member_list_names_the_membership_the_moderation_endpoints_take(
    world: World,
) -> None:
    rows = Api(world.plain).call("get", f"/{world.c.slug}/members").json()
    ids = {row["user_id"]: row["membership_id"] for row in rows}
    assert ids[world.target.pk] == world.membership(world.target).pk
    assert world.applicant.pk not in ids


# --- bad input ------------------------------------------------------------------------------


def test_unknown_and_foreign_memberships_are_not_found(world: World) -> None:
    api = Api(world.owner)
    elsewhere = Membership.objects.get(user=world.outsider)
    missing = Membership.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
    state = snapshot()
    for pk in (missing, elsewhere.pk, *HUGE_IDS):
        for method, path, body in (
            ("post", f"/requests/{pk}/approve", None),
            ("post", f"/requests/{pk}/decline", None),
            ("put", f"/memberships/{pk}/role", {"role": "moderator"}),
            ("post", f"/memberships/{pk}/remove", {"reason": ""}),
        ):
            response = api.call(method, f"/{world.c.slug}{path}", body)
            refused(response, 404, "member_not_found")
    assert snapshot() == state


def test_huge_or_unknown_post_and_activity_ids_are_not_found(world: World) -> None:
    api = Api(world.owner)
    other = community(name="第三の会", owner=world.owner)
    foreign_post = services.post_create(community=other, author=world.owner, body="別の会の投稿")
    foreign_activity = event(other)
    state = snapshot()
    for pk in (foreign_post.pk, *HUGE_IDS):
        for method, suffix, body in (
            ("post", "hide", {"reason": "テスト"}),
            ("post", "pin", None),
            ("delete", "pin", None),
        ):
            response = api.call(method, f"/{world.c.slug}/posts/{pk}/{suffix}", body)
            refused(response, 404, "not_found")
    for pk in (foreign_activity.pk, *HUGE_IDS):
        response = api.call(
            "put", f"/{world.c.slug}/activities/{pk}/attendance", {"user_ids": [world.plain.pk]}
        )
        refused(response, 404, "not_found")
    assert snapshot() == state


def test_a_community_that_does_not_exist_is_not_found(world: World) -> None:
    api = Api(world.owner)
    for method, path, body in (
        ("post", "/requests/1/approve", None),
        ("post", "/invitations", {"email": world.invitee.email}),
        ("post", "/activities", {"kind": "project", "title": "翻訳"}),
    ):
        refused(api.call(method, f"/no-such-community{path}", body), 404, "not_found")


def test_a_role_not_in_the_list_is_refused(world: World) -> None:
    api = Api(world.owner)
    path = f"/{world.c.slug}/memberships/{world.membership(world.target).pk}/role"
    state = snapshot()
    for role in ("admin", "", "OWNER", " moderator"):
        body = refused(api.call("put", path, {"role": role}), 422, "bad_choice")
        assert body["message"] == "選択肢から選んでください。"
    for payload in ({"role": 1}, {"role": None}, {}, {"role": "member", "extra": True}, [1]):
        refused(api.call("put", path, payload), 422, "invalid")
    assert snapshot() == state


def test_role_rules_come_from_the_service(world: World) -> None:
    api = Api(world.owner)
    own = world.membership(world.owner).pk
    state = snapshot()
    refused(
        api.call("put", f"/{world.c.slug}/memberships/{own}/role", {"role": "member"}),
        409,
        "last_owner",
    )
    pending = world.membership(world.applicant).pk
    refused(
        api.call("put", f"/{world.c.slug}/memberships/{pending}/role", {"role": "moderator"}),
        409,
        "not_active",
    )
    assert snapshot() == state


def test_removal_rules_come_from_the_service(world: World) -> None:
    state = snapshot()
    mod_membership = world.membership(world.mod).pk
    response = Api(world.mod).call(
        "post", f"/{world.c.slug}/memberships/{world.membership(world.owner).pk}/remove"
    )
    refused(response, 403, "owner_protected")
    response = Api(world.mod).call("post", f"/{world.c.slug}/memberships/{mod_membership}/remove")
    refused(response, 422, "not_oneself")
    response = Api(world.owner).call(
        "post",
        f"/{world.c.slug}/memberships/{world.membership(world.target).pk}/remove",
        {"reason": "長" * 501},
    )
    refused(response, 422, "too_long")
    assert snapshot() == state


def test_a_request_is_decided_once(world: World) -> None:
    api = Api(world.mod)
    pk = world.membership(world.applicant).pk
    assert api.call("post", f"/{world.c.slug}/requests/{pk}/approve").status_code == 200
    state = snapshot()
    refused(api.call("post", f"/{world.c.slug}/requests/{pk}/decline"), 409, "not_pending")
    refused(api.call("post", f"/{world.c.slug}/requests/{pk}/approve"), 409, "not_pending")
    active = world.membership(world.plain).pk
    refused(api.call("post", f"/{world.c.slug}/requests/{active}/approve"), 409, "not_pending")
    assert snapshot() == state


def test_invitations_refuse_unknown_addresses_and_members(world: World) -> None:
    api = Api(world.mod)
    path = f"/{world.c.slug}/invitations"
    state = snapshot()
    body = refused(api.call("post", path, {"email": "nobody@example.com"}), 422, "no_such_account")
    assert body["errors"][0]["field"] == "email"
    refused(api.call("post", path, {"email": "not an address"}), 422, "no_such_account")
    refused(api.call("post", path, {"email": "x" * 300 + "@example.com"}), 422, "invalid")
    refused(api.call("post", path, {}), 422, "invalid")
    refused(api.call("post", path, {"email": world.plain.email}), 409, "already_member")
    assert api.call("post", path, {"email": world.invitee.email}).status_code == 201
    after = snapshot()
    refused(api.call("post", path, {"email": world.invitee.email}), 409, "already_invited")
    assert snapshot() == after
    assert after[0] != state[0]
    # the invitation is accepted by joining, even though the community approves requests
    joined = Api(world.invitee).call("post", f"/{world.c.slug}/join")
    assert joined.json()["state"] == "active"


def test_hiding_needs_a_reason_and_happens_once(world: World) -> None:
    api = Api(world.mod)
    path = f"/{world.c.slug}/posts/{world.post.pk}/hide"
    state = snapshot()
    refused(api.call("post", path, {"reason": "  "}), 422, "reason_required")
    refused(api.call("post", path, {}), 422, "reason_required")
    refused(api.call("post", path, {"reason": "x" * 501}), 422, "too_long")
    assert snapshot() == state
    assert api.call("post", path, {"reason": "勧誘"}).status_code == 200
    state = snapshot()
    refused(api.call("post", path, {"reason": "勧誘"}), 409, "already_hidden")
    refused(api.call("post", f"/{world.c.slug}/posts/{world.post.pk}/pin"), 422, "bad_parent")
    # members no longer see the hidden post: it is not found for them
    refused(Api(world.plain).call("post", path, {"reason": "勧誘"}), 404, "not_found")
    assert snapshot() == state


def test_a_reply_cannot_be_pinned(world: World) -> None:
    reply = services.post_create(
        community=world.c, author=world.target, body="参加します", parent=world.post
    )
    state = snapshot()
    response = Api(world.mod).call("post", f"/{world.c.slug}/posts/{reply.pk}/pin")
    refused(response, 409, "reply_not_pinnable")
    assert snapshot() == state


def _activity_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "event",
        "title": "翻訳勉強会",
        "starts_at": future(),
        "is_online": True,
        "capacity": 10,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not Ellipsis}


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"capacity": 0}, "capacity_range"),
        ({"capacity": -5}, "capacity_range"),
        ({"capacity": 10_001}, "capacity_range"),
        # beyond any integer the database holds: refused by the field rule before the service
        ({"capacity": 2**63}, "invalid"),
        ({"capacity": 10**40}, "invalid"),
        ({"capacity": "たくさん"}, "invalid"),
        ({"capacity": 2.5}, "invalid"),
        ({"capacity": [10]}, "invalid"),
        (
            {"starts_at": (timezone.now() - datetime.timedelta(days=1)).isoformat()},
            "starts_in_past",
        ),
        ({"starts_at": "2020-01-01T10:00:00"}, "starts_in_past"),
        ({"starts_at": "2020-01-01T10:00:00+09:00"}, "starts_in_past"),
        ({"starts_at": ...}, "starts_required"),
        ({"starts_at": None}, "starts_required"),
        ({"starts_at": "来週"}, "invalid"),
        ({"starts_at": "9999-12-31T23:59:59-12:00"}, "invalid"),
        ({"starts_at": 10**30}, "invalid"),
        ({"ends_at": "2020-01-01T10:00:00+09:00"}, "ends_before_start"),
        ({"kind": "party"}, "bad_choice"),
        ({"title": "   "}, "title_required"),
        ({"title": "題" * 121}, "too_long"),
        ({"is_online": False}, "place_required"),
        ({"place": "LINE ID: taro_1234"}, "contact_blocked"),
        ({"organiser_id": 1}, "invalid"),
    ],
)
def test_bad_activities_are_refused(world: World, overrides: dict[str, Any], code: str) -> None:
    state = snapshot()
    response = Api(world.mod).call(
        "post", f"/{world.c.slug}/activities", _activity_body(**overrides)
    )
    refused(response, 422, code)
    assert snapshot() == state


def test_a_new_activity_read_in_the_callers_time_zone_and_listed(world: World) -> None:
    api = Api(world.mod)
    naive = (timezone.localtime() + datetime.timedelta(days=3)).replace(tzinfo=None, microsecond=0)
    response = api.call(
        "post",
        f"/{world.c.slug}/activities",
        {"kind": "event", "title": "交流会", "starts_at": naive.isoformat(), "place": "大阪"},
    )
    assert response.status_code == 201
    created = Activity.objects.get(pk=response.json()["id"])
    assert created.starts_at == timezone.make_aware(naive)
    assert created.capacity is None
    project = api.call(
        "post", f"/{world.c.slug}/activities", {"kind": "project", "title": "用語集づくり"}
    )
    assert project.status_code == 201 and project.json()["starts_at"] is None
    listed = {a["id"] for a in Api(world.plain).call("get", f"/{world.c.slug}/activities").json()}
    assert {created.pk, project.json()["id"]} <= listed


def test_attendance_refuses_people_who_did_not_sign_up(world: World) -> None:
    api = Api(world.mod)
    path = f"/{world.c.slug}/activities/{world.started.pk}/attendance"
    state = snapshot()
    for ids in ([world.outsider.pk], [world.mod.pk]):
        body = refused(api.call("put", path, {"user_ids": [world.plain.pk, *ids]}), 422)
        assert body["code"] == "not_signed_up_people"
    # ids no account can have are refused by the field rule before the service looks
    for ids in ([2**63], [10**30], [-1], [0]):
        refused(api.call("put", path, {"user_ids": [world.plain.pk, *ids]}), 422, "invalid")
    for payload in ({"user_ids": ["誰か"]}, {"user_ids": 5}, {}, {"user_ids": [1.5]}):
        refused(api.call("put", path, payload), 422, "invalid")
    refused(api.call("put", path, {"user_ids": list(range(10_001))}), 422, "invalid")
    assert snapshot() == state


def test_attendance_waits_for_the_event_and_keeps_endorsed_people(world: World) -> None:
    api = Api(world.mod)
    upcoming = event(world.c, title="未来の会")
    services.activity_sign_up(activity=upcoming, user=world.plain)
    state = snapshot()
    response = api.call(
        "put",
        f"/{world.c.slug}/activities/{upcoming.pk}/attendance",
        {"user_ids": [world.plain.pk]},
    )
    refused(response, 409, "not_started")
    assert snapshot() == state
    path = f"/{world.c.slug}/activities/{world.started.pk}/attendance"
    assert api.call("put", path, {"user_ids": [world.plain.pk, world.target.pk]}).status_code == 200
    services.endorsement_give(activity=world.started, by=world.plain, endorsee=world.target)
    state = snapshot()
    body = refused(api.call("put", path, {"user_ids": [world.plain.pk]}), 409, "has_endorsements")
    assert world.target.profile.display_name in body["message"]
    assert snapshot() == state
    # an organiser who is no longer a moderator may still record it; an empty list is no one
    organiser_activity = services.activity_create(
        community=world.c, by=world.mod, kind="project", title="翻訳メモ"
    )
    services.membership_role_set(
        membership=world.membership(world.mod), by=world.owner, role=Role.MEMBER
    )
    response = Api(world.mod).call(
        "put", f"/{world.c.slug}/activities/{organiser_activity.pk}/attendance", {"user_ids": []}
    )
    assert response.json() == {"activity_id": organiser_activity.pk, "took_part": []}


def test_english_callers_get_english_messages(world: World) -> None:
    api = Api(world.plain)
    api.headers["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = api.call("post", f"/{world.c.slug}/posts/{world.post.pk}/pin")
    assert response.status_code == 403
    assert response.json()["message"] == "Only the community's moderators can do this."


def test_removal_and_pinning_need_no_body(world: World) -> None:
    api = Api(world.owner)
    remove = f"{BASE}/{world.c.slug}/memberships/{world.membership(world.target).pk}/remove"
    response = api.client.post(remove, data="", content_type="application/json", **api.headers)
    assert response.status_code == 200, response.content
    assert world.membership(world.target).state == MemberState.REMOVED
    again = api.client.generic("POST", remove, **api.headers)  # as `curl -X POST` sends it
    refused(again, 409, "not_active")
    pin = f"{BASE}/{world.c.slug}/posts/{world.post.pk}/pin"
    assert api.client.post(pin, **api.headers).status_code == 200
    assert api.client.delete(pin, **api.headers).json()["pinned"] is False
