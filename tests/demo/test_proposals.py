"""``tsunagu demo`` gives the demo jobs their proposals; running it again adds none."""

from __future__ import annotations

import pytest

from tsunagu.demo.jobs import demo_jobs_wanting_proposals
from tsunagu.demo.proposals import demo_proposals_load
from tsunagu.proposals.models import Proposal

pytestmark = pytest.mark.django_db


def test_demo_proposals_follow_the_jobs_and_are_idempotent() -> None:
    wanted = demo_jobs_wanting_proposals()
    assert wanted
    for job, count in wanted:
        assert Proposal.objects.filter(job=job).count() == count
        assert not Proposal.objects.filter(job=job, worker_id=job.client_id).exists()
    total = Proposal.objects.count()
    assert demo_proposals_load() == 0
    assert Proposal.objects.count() == total
