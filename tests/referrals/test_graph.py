""" "Who can introduce me": paths of at most two people through connections and paid contracts,
best trusted first, in a constant number of queries."""

from __future__ import annotations

from typing import Any

import pytest

from tests.referrals.factories import connect, person
from tests.trust.factories import paid_contract
from tsunagu.referrals import graph, services

pytestmark = pytest.mark.django_db


def names(answer: graph.WhoCanIntroduce) -> list[list[str]]:
    return [[h.name for h in p.hops] for p in answer.paths]


def test_direct_and_two_hop_paths_best_trusted_first() -> None:
    me, target = person("私"), person("田中")
    sato, suzuki, kato = (
        person("佐藤", trust=80),
        person("鈴木", trust=40),
        person("加藤", trust=90),
    )
    connect(me, sato)
    connect(sato, target)  # あなた → 佐藤 → 田中
    connect(me, suzuki)
    connect(suzuki, kato)
    connect(kato, target)  # あなた → 鈴木 → 加藤 → 田中 (weakest link 40)
    answer = graph.who_can_introduce(viewer_id=me.pk, target_id=target.pk)
    assert names(answer) == [["佐藤"], ["鈴木", "加藤"]]
    assert [p.trust for p in answer.paths] == [80, 40]
    assert not answer.connected


def test_paid_contracts_are_edges_and_unpaid_are_not() -> None:
    me, target, middle = person("私"), person("田中"), person("佐藤")
    connect(me, middle)
    paid_contract(client=target, worker=middle)
    answer = graph.who_can_introduce(viewer_id=me.pk, target_id=target.pk)
    assert names(answer) == [["佐藤"]]


def test_more_than_two_people_between_is_not_shown() -> None:
    me, a, b, c, target = (person(n) for n in ("私", "A", "B", "C", "田中"))
    connect(me, a)
    connect(a, b)
    connect(b, c)
    connect(c, target)
    assert graph.who_can_introduce(viewer_id=me.pk, target_id=target.pk).paths == []


def test_pending_and_removed_connections_do_not_count() -> None:
    me, middle, target = person(), person(), person()
    row = connect(me, middle)
    services.connection_request(by=middle, to=target)  # pending only
    assert graph.who_can_introduce(viewer_id=me.pk, target_id=target.pk).paths == []
    services.connection_request(by=target, to=middle)
    assert len(graph.who_can_introduce(viewer_id=me.pk, target_id=target.pk).paths) == 1
    services.connection_remove(connection=row, by=me)
    assert graph.who_can_introduce(viewer_id=me.pk, target_id=target.pk).paths == []


def test_already_connected_and_self() -> None:
    me, target = person(), person()
    connect(me, target)
    answer = graph.who_can_introduce(viewer_id=me.pk, target_id=target.pk)
    assert answer.connected and answer.paths == []
    assert graph.who_can_introduce(viewer_id=me.pk, target_id=me.pk).paths == []


def test_one_best_path_per_introducer() -> None:
    me, sato, target = person("私"), person("佐藤", trust=70), person("田中")
    low, high = person("低", trust=10), person("高", trust=60)
    connect(me, sato)
    for middle in (low, high):
        connect(sato, middle)
        connect(middle, target)
    answer = graph.who_can_introduce(viewer_id=me.pk, target_id=target.pk)
    assert names(answer) == [["佐藤", "高"]]


def test_constant_number_of_queries(django_assert_num_queries: Any) -> None:
    me, target = person(), person()
    for _ in range(5):
        a, b = person(), person()
        connect(me, a)
        connect(a, b)
        connect(b, target)
    with django_assert_num_queries(3):
        answer = graph.who_can_introduce(viewer_id=me.pk, target_id=target.pk)
    assert len(answer.paths) == 5


def test_the_job_panel_tag_shows_the_way_to_the_jobs_client() -> None:
    from django.template import Context, Template
    from django.test import RequestFactory

    from tests.jobs.factories import published_job

    me, sato, client = person("私"), person("佐藤"), person("発注者")
    connect(me, sato)
    connect(sato, client)
    job = published_job(client=client)
    request = RequestFactory().get("/")
    request.user = me
    html = Template("{% load referrals_tags %}{% referrals_job_panel job %}").render(
        Context({"job": job, "request": request})
    )
    assert "佐藤さん" in html and "発注者さん" in html
    request.user = client
    own = Template("{% load referrals_tags %}{% referrals_job_panel job %}").render(
        Context({"job": job, "request": request})
    )
    assert "who-path" not in own
