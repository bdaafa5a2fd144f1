"""Community-only questions with a member, a non-member, a member who left and a visitor: only
the community's active members (and staff) see them, in the list, in search (FTS5 on SQLite,
GIN on PostgreSQL), on the page and in the API, and only members answer, vote and mark best.
Every refusal is a clear error in the reader's language and changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from django.db.models import ProtectedError
from django.test import Client
from django.utils import timezone

from tests.communities.factories import community as make_community
from tests.communities.factories import member
from tests.qa.conftest import snapshot
from tests.qa.factories import answer, category, person, question
from tests.qa.test_api import Api, refused
from tests.qa.test_views import as_user, refused_page, text
from tsunagu.accounts.models import User
from tsunagu.communities import services as community_services
from tsunagu.communities.models import Community
from tsunagu.contracts.services import MilestoneInput
from tsunagu.qa import selectors, services
from tsunagu.qa.errors import QAError
from tsunagu.qa.models import Answer, HelpfulVote, Question

pytestmark = pytest.mark.django_db

NOT_A_MEMBER_JA = "コミュニティ内で質問できるのは、そのコミュニティの参加中のメンバーだけです。"
SECRET = "会員限定の翻訳相談"
PUBLIC = "公開の翻訳相談"


@dataclass
class World:
    community: Community
    asker: User  # an active member who asks
    member: User  # another active member
    outsider: User  # never joined
    left: User  # was a member, then left
    staff: User
    public: Question
    secret: Question
    secret_answer: Answer  # by ``member``


@pytest.fixture
def world() -> World:
    c = make_community(slug="honyaku")
    asker, other, left = member(c), member(c), member(c)
    outsider = person("部外者")
    staff = person("スタッフ")
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    public = question(person(), title=PUBLIC, body="契約書の翻訳で気をつける点は？")
    secret = question(
        asker, title=SECRET, body="会員だけに聞きたい翻訳の単価について", community_id=c.pk
    )
    secret_answer = answer(secret, other)
    community_services.membership_leave(community=c, user=left)
    return World(c, asker, other, outsider, left, staff, public, secret, secret_answer)


def titles(viewer: Any, query: str = "", community_id: int | None = None) -> list[str]:
    page = selectors.question_page(
        viewer=viewer,
        filters=selectors.QuestionFilter(query=query, community_id=community_id),
    )
    return [q.title for q in page.object_list]


def refusal(call: Callable[[], Any]) -> QAError:
    """The refusal ``call`` raises, having checked that it changed nothing."""
    before = snapshot()
    with pytest.raises(QAError) as caught:
        call()
    assert snapshot() == before
    return caught.value


# --- asking -------------------------------------------------------------------------------------


def test_a_member_asks_inside_the_community(world: World) -> None:
    assert world.secret.community_id == world.community.pk


@pytest.mark.parametrize("who", ["outsider", "left"])
def test_only_active_members_may_ask_inside_a_community(world: World, who: str) -> None:
    refused = refusal(
        lambda: question(getattr(world, who), title="質問", community_id=world.community.pk)
    )
    assert refused.code == "not_a_member"
    assert refused.field == "community"


def test_a_named_expert_must_be_a_member_too(world: World) -> None:
    refused = refusal(
        lambda: question(
            world.asker, title="質問", community_id=world.community.pk, expert=world.outsider
        )
    )
    assert refused.code == "expert_not_member"
    named = question(
        world.asker, title="会員に直接", community_id=world.community.pk, expert=world.member
    )
    assert named.expert_id == world.member.pk


# --- who sees it --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [("asker", True), ("member", True), ("staff", True), ("outsider", False), ("left", False)],
)
def test_the_list_and_search_show_it_to_members_only(world: World, who: str, sees: bool) -> None:
    viewer = getattr(world, who)
    assert (SECRET in titles(viewer)) is sees
    assert PUBLIC in titles(viewer)
    # search runs on FTS5 (SQLite) or the GIN tsvector (PostgreSQL), narrowed the same way
    assert (SECRET in titles(viewer, "翻訳")) is sees
    assert (SECRET in titles(viewer, "単価")) is sees
    assert PUBLIC in titles(viewer, "翻訳")


def test_a_visitor_sees_public_questions_only(world: World) -> None:
    assert titles(None) == [PUBLIC]
    assert titles(None, "翻訳") == [PUBLIC]
    assert titles(None, "単価") == []


def test_a_member_who_is_removed_no_longer_sees_it(world: World) -> None:
    moderator = world.community.created_by
    membership = world.community.memberships.get(user=world.member)
    community_services.membership_remove(membership=membership, by=moderator, reason="規約違反")
    assert SECRET not in titles(world.member, "翻訳")


def test_profile_counts_and_trust_leave_community_answers_out(world: World) -> None:
    public_answer = answer(world.public, world.member)
    assert selectors.contributions([world.member.pk])[world.member.pk].answers == 1
    standing = selectors.expert_standing(user_id=world.member.pk)
    assert standing.answers == 1
    assert [a.pk for a in standing.recent] == [public_answer.pk]


# --- taking part --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "left", "staff"])
def test_only_members_answer(world: World, who: str) -> None:
    assert refusal(lambda: answer(world.secret, getattr(world, who))).code == "not_found"


def test_only_members_vote(world: World) -> None:
    for who in (world.outsider, world.left):
        vote = partial(services.answer_vote, answer=world.secret_answer, by=who)
        assert refusal(vote).code == "not_found"
    services.answer_vote(answer=world.secret_answer, by=world.asker)
    assert HelpfulVote.objects.filter(answer=world.secret_answer).count() == 1


def test_a_member_who_left_can_no_longer_edit_their_answer(world: World) -> None:
    community_services.membership_leave(community=world.community, user=world.member)
    edit = partial(services.answer_edit, answer=world.secret_answer, by=world.member, body="改訂")
    assert refusal(edit).code == "not_found"


def test_an_asker_who_left_can_no_longer_make_an_offer(world: World) -> None:
    community_services.membership_leave(community=world.community, user=world.asker)
    due = timezone.localdate() + datetime.timedelta(days=14)
    offer = partial(
        services.answer_offer,
        answer=world.secret_answer,
        by=world.asker,
        title="翻訳の発注",
        description="回答を受けての発注",
        deliverables="翻訳文",
        milestones=[MilestoneInput(title="翻訳", amount=20_000, due_date=due)],
        payment_due=due + datetime.timedelta(days=30),
    )
    assert refusal(offer).code == "not_found"


def test_a_community_with_questions_cannot_be_deleted(world: World) -> None:
    # PROTECT: deleting it must never turn its members-only questions into public ones
    with pytest.raises(ProtectedError) as caught:
        world.community.delete()
    assert world.secret in caught.value.protected_objects
    world.secret.refresh_from_db()
    assert world.secret.community_id == world.community.pk


def test_an_asker_who_left_can_no_longer_mark_best_or_close(world: World) -> None:
    community_services.membership_leave(community=world.community, user=world.asker)
    for call in (
        lambda: services.answer_mark_best(
            question=world.secret, answer=world.secret_answer, by=world.asker
        ),
        lambda: services.question_close(question=world.secret, by=world.asker),
    ):
        assert refusal(call).code == "not_found"


def test_a_member_answers_and_the_asker_marks_best(world: World) -> None:
    services.answer_mark_best(question=world.secret, answer=world.secret_answer, by=world.asker)
    world.secret.refresh_from_db()
    assert world.secret.best_answer_id == world.secret_answer.pk


# --- pages --------------------------------------------------------------------------------------


def test_pages_show_it_to_members_only(world: World) -> None:
    url = f"/questions/{world.secret.pk}/"
    for who in (world.asker, world.member, world.staff):
        page = as_user(who).get(url)
        assert page.status_code == 200
        assert "翻訳者の会" in text(page)  # the badge naming the community
        assert SECRET in text(as_user(who).get("/questions/", {"q": "単価"}))
    for outsider in (None, world.outsider, world.left):
        assert as_user(outsider).get(url).status_code == 404
        assert SECRET not in text(as_user(outsider).get("/questions/"))
        assert SECRET not in text(as_user(outsider).get("/questions/", {"q": "単価"}))


def test_the_community_question_list_is_for_members(world: World) -> None:
    url = "/questions/"
    page = as_user(world.member).get(url, {"community": "honyaku"})
    assert page.status_code == 200
    assert SECRET in text(page) and PUBLIC not in text(page)
    searched = as_user(world.member).get(url, {"community": "honyaku", "q": "単価"})
    assert SECRET in text(searched)
    for who in (None, world.outsider, world.left):
        assert as_user(who).get(url, {"community": "honyaku"}).status_code == 404
    assert as_user(world.member).get(url, {"community": "nothing"}).status_code == 404


def test_the_community_page_links_to_its_questions(world: World) -> None:
    page = text(as_user(world.member).get("/communities/honyaku/"))
    assert "このコミュニティの質問" in page
    assert "/questions/?community=honyaku" in page
    assert "このコミュニティの質問" not in text(
        as_user(world.outsider).get("/communities/honyaku/")
    )


def ask_form(community_id: int | str = "") -> dict[str, Any]:
    return {
        "title": "会員向けの質問",
        "body": "会員の皆さんに聞きたいことがあります。",
        "category": category().pk,
        "community": community_id,
    }


def test_the_ask_form_offers_the_askers_communities(world: World) -> None:
    page = text(as_user(world.member).get("/questions/ask/", {"community": "honyaku"}))
    assert f'<option value="{world.community.pk}" selected>翻訳者の会</option>' in page
    assert "翻訳者の会" not in text(as_user(world.outsider).get("/questions/ask/"))
    response = as_user(world.member).post("/questions/ask/", ask_form(world.community.pk))
    assert response.status_code == 302
    made = Question.objects.get(title="会員向けの質問")
    assert made.community_id == world.community.pk


@pytest.mark.parametrize("who", ["outsider", "left"])
def test_the_ask_form_refuses_a_community_one_is_not_in(world: World, who: str) -> None:
    refused_page(
        lambda: as_user(getattr(world, who)).post("/questions/ask/", ask_form(world.community.pk)),
        400,
        NOT_A_MEMBER_JA,
    )


def test_answering_and_voting_pages_refuse_outsiders(world: World) -> None:
    q, a = world.secret, world.secret_answer
    before = snapshot()
    for who in (world.outsider, world.left):
        browser = as_user(who)
        assert browser.post(f"/questions/{q.pk}/answer/", {"body": "答えます"}).status_code == 404
        assert browser.post(f"/questions/{q.pk}/answers/{a.pk}/vote/").status_code == 404
    assert snapshot() == before
    response = as_user(world.asker).post(f"/questions/{q.pk}/answers/{a.pk}/vote/")
    assert response.status_code == 302
    assert HelpfulVote.objects.filter(answer=a, voter=world.asker).exists()


def test_staff_see_it_but_are_not_offered_the_answer_form(world: World) -> None:
    page = text(as_user(world.staff).get(f"/questions/{world.secret.pk}/"))
    assert SECRET in page
    assert f"/questions/{world.secret.pk}/answer/" not in page


# --- API ----------------------------------------------------------------------------------------


def api_ask(slug: str | None) -> dict[str, Any]:
    return {
        "title": "APIからの会員向け質問",
        "body": "会員の皆さんへの質問です。",
        "category": "translation",
        "community": slug,
    }


def test_api_asks_inside_a_community(world: World) -> None:
    response = Api(world.member).post("", api_ask("honyaku"))
    assert response.status_code == 201, response.content
    assert response.json()["community"] == {"slug": "honyaku", "name": "翻訳者の会"}
    public = Api(world.member).post("", api_ask(None))
    assert public.status_code == 201 and public.json()["community"] is None


@pytest.mark.parametrize("who", ["outsider", "left"])
def test_api_refuses_a_community_one_is_not_in(world: World, who: str) -> None:
    body = refused(
        lambda: Api(getattr(world, who)).post("", api_ask("honyaku")), 422, "not_a_member"
    )
    assert body["message"] == NOT_A_MEMBER_JA
    refused(lambda: Api(world.member).post("", api_ask("nothing")), 422, "not_a_member")


def test_api_reads_show_it_to_members_only(world: World) -> None:
    q = world.secret
    for who in (world.asker, world.member, world.staff):
        api = Api(who)
        assert api.get(f"/{q.pk}").status_code == 200
        assert SECRET in [r["title"] for r in api.get("?q=単価").json()["results"]]
        listed = api.get("?community=honyaku").json()["results"]
        assert [r["title"] for r in listed] == [SECRET]
        assert listed[0]["community"]["slug"] == "honyaku"
    visitors: list[User | None] = [None, world.outsider, world.left]
    for visitor in visitors:
        api = Api(visitor)
        assert api.get(f"/{q.pk}").status_code == 404
        assert SECRET not in [r["title"] for r in api.get("").json()["results"]]
        assert api.get("?q=単価").json()["count"] == 0
        assert api.get("?community=honyaku").status_code == 404


def test_api_writes_refuse_outsiders(world: World) -> None:
    q, a = world.secret, world.secret_answer
    for who in (world.outsider, world.left):
        api = Api(who)
        refused(
            lambda api=api: api.post(f"/{q.pk}/answers", {"body": "答えます"}), 404, "not_found"
        )
        refused(lambda api=api: api.post(f"/{q.pk}/answers/{a.pk}/vote"), 404, "not_found")
    community_services.membership_leave(community=world.community, user=world.asker)
    asker = Api(world.asker)
    refused(lambda: asker.post(f"/{q.pk}/best", {"answer_id": a.pk}), 404, "not_found")
    refused(lambda: asker.post(f"/{q.pk}/close"), 404, "not_found")


def test_api_member_answers(world: World) -> None:
    third = member(world.community)
    response = Api(third).post(f"/{world.secret.pk}/answers", {"body": "会員として答えます。"})
    assert response.status_code == 201, response.content
    assert Answer.objects.filter(question=world.secret, author=third).exists()


def test_a_visitor_client_without_token(world: World) -> None:
    assert Client().get(f"/api/v1/questions/{world.secret.pk}").status_code == 404
