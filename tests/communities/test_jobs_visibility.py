"""Community-only jobs: members see them in search, on the job page, in the API and may propose;
outsiders (a second and a third user) get 404 and never find them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client

from tests.communities.factories import community, community_job, member, person
from tests.jobs.factories import job_values, published_job
from tsunagu.communities import services as community_services
from tsunagu.communities.models import Membership
from tsunagu.jobs import selectors as job_selectors
from tsunagu.jobs import services as job_services
from tsunagu.jobs.models import Job, Visibility
from tsunagu.jobs.selectors import SearchParams

pytestmark = pytest.mark.django_db


def search_ids(viewer: Any, **params: Any) -> list[int]:
    result = job_selectors.job_search(viewer=viewer, params=SearchParams(**params), page_number=1)
    return [job.pk for job in result.page.object_list]


def test_members_find_a_community_job_and_outsiders_never_do() -> None:
    c = community()
    job = community_job(c)
    public = published_job(title="公開の翻訳案件")
    insider, outsider, other_member = member(c), person(), member(community(name="別の会"))
    assert job.pk in search_ids(insider)
    assert job.pk in search_ids(insider, query="会員限定")
    for viewer in (outsider, other_member, None):
        assert job.pk not in search_ids(viewer)
        assert job.pk not in search_ids(viewer, query="会員限定")
        assert public.pk in search_ids(viewer)
        with pytest.raises(Http404):
            job_selectors.job_get_for_viewer(pk=job.pk, viewer=viewer)
        if viewer is not None:
            assert not job_selectors.jobs_visible_to(viewer=viewer).filter(pk=job.pk).exists()
    assert job_selectors.job_get_for_viewer(pk=job.pk, viewer=insider) == job


def test_leaving_the_community_hides_its_jobs_again() -> None:
    c = community()
    job = community_job(c)
    insider = member(c)
    community_services.membership_leave(community=c, user=insider)
    assert job.pk not in search_ids(insider)
    with pytest.raises(Http404):
        job_selectors.job_get_for_viewer(pk=job.pk, viewer=insider)


def test_pages_and_api_answer_404_to_outsiders(client: Client) -> None:
    c = community()
    job = community_job(c)
    insider, outsider = member(c), person()
    client.force_login(outsider)
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/api/v1/jobs/{job.pk}").status_code == 404
    listed = client.get("/api/v1/jobs").json()
    assert job.pk not in [item["id"] for item in listed["items"]]
    assert job.title not in client.get("/jobs/").content.decode()
    client.logout()
    assert client.get(f"/jobs/{job.pk}/").status_code == 404
    client.force_login(insider)
    page = client.get(f"/jobs/{job.pk}/")
    assert page.status_code == 200 and c.name in page.content.decode()
    body = client.get(f"/api/v1/jobs/{job.pk}").json()
    assert (body["visibility"], body["community_id"]) == ("community", c.pk)
    listed = client.get("/api/v1/jobs").json()
    assert job.pk in [item["id"] for item in listed["items"]]


def test_only_a_member_may_propose_to_a_community_job() -> None:
    from tsunagu.proposals.errors import ProposalError
    from tsunagu.proposals.models import Proposal
    from tsunagu.proposals.services import proposal_submit

    c = community()
    job = community_job(c)
    for outsider in (person(), member(community(name="別の会"))):
        with pytest.raises(ProposalError) as caught:
            proposal_submit(worker=outsider, job=job, cover_letter="ぜひ", price=20_000)
        assert caught.value.code == "job_not_open"
    assert not Proposal.objects.filter(job=job).exists()
    proposal_submit(worker=member(c), job=job, cover_letter="ぜひ", price=20_000)
    assert Proposal.objects.filter(job=job).count() == 1


def test_a_client_posts_only_to_communities_they_belong_to() -> None:
    c = community()
    outsider = person()
    with pytest.raises(ValidationError) as caught:
        job_services.job_publish(
            client=outsider,
            job=None,
            values=job_values(visibility=Visibility.COMMUNITY, community=c),
        )
    assert "community" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        job_services.job_publish(
            client=member(c), job=None, values=job_values(visibility=Visibility.COMMUNITY)
        )
    assert "community" in caught.value.message_dict
    assert not Job.objects.exists()


def test_the_job_form_lists_only_the_posters_communities(client: Client) -> None:
    mine, theirs = community(name="私の会"), community(name="他人の会")
    poster = member(mine)
    client.force_login(poster)
    page = client.get("/jobs/new/").content.decode()
    assert "私の会" in page and "他人の会" not in page
    response = client.post(
        "/jobs/new/",
        {
            "action": "publish",
            "title": "会員向けの案件",
            "description": "説明",
            "category": job_values()["category"].pk,
            "kind": "fixed",
            "budget_max": "20000",
            "workers_wanted": "1",
            "visibility": "community",
            "community": str(theirs.pk),
        },
    )
    assert response.status_code == 422
    assert not Job.objects.exists()
    Membership.objects.filter(community=mine)  # the poster's membership stays


def test_a_poster_in_no_community_is_not_offered_the_choice(client: Client) -> None:
    community(name="誰かの会")
    client.force_login(person())
    page = client.get("/jobs/new/").content.decode()
    assert "特定のコミュニティのメンバーのみ" not in page
    assert 'name="community"' not in page
