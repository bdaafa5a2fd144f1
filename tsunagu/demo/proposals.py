"""Demo proposals: each demo job gets as many proposals as
:func:`tsunagu.demo.jobs.demo_jobs_wanting_proposals` says, from demo workers in several time
zones, with the cover letters of ``data/proposals.toml``, and the demo response times are
computed. Safe to run again: a job that already has its proposals gets none more."""

from __future__ import annotations

from django.test.utils import override_settings

from tsunagu.demo.datafiles import data_read
from tsunagu.demo.jobs import demo_jobs_wanting_proposals
from tsunagu.profiles.models import Profile
from tsunagu.proposals import services
from tsunagu.proposals.errors import ProposalError
from tsunagu.proposals.models import Proposal

DEMO_DOMAIN = "@tsunagu.example"

_DATA = data_read("proposals")
LETTERS_JA: tuple[str, ...] = tuple(_DATA["letters_ja"])
LETTERS_EN: tuple[str, ...] = tuple(_DATA["letters_en"])
SCHEDULE_JA: str = _DATA["schedule_ja"]  # the English letters name no schedule


def demo_proposals_load() -> int:
    """Create the missing demo proposals; returns how many were created."""
    workers = list(
        Profile.objects.filter(
            is_worker=True, user__is_active=True, user__email__endswith=DEMO_DOMAIN
        )
        .select_related("user")
        .order_by("pk")
    )
    created = 0
    # demo addresses (.example) have no mailbox: do not e-mail the notifications
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for index, (job, wanted) in enumerate(demo_jobs_wanting_proposals()):
            have = set(Proposal.objects.filter(job=job).values_list("worker_id", flat=True))
            missing = wanted - len(have)
            english = job.title[:1].isascii()
            letters = LETTERS_EN if english else LETTERS_JA
            low = job.budget_min or job.budget_max or 10_000
            high = job.budget_max or low
            for offset, profile in enumerate(workers[index:] + workers[:index]):
                if missing <= 0:
                    break
                if profile.user_id == job.client_id or profile.user_id in have:
                    continue
                try:
                    services.proposal_submit(
                        worker=profile.user,
                        job=job,
                        cover_letter=letters[(index + offset) % len(letters)],
                        price=max(1, low + (high - low) * (offset % 3) // 2),
                        schedule="" if english else SCHEDULE_JA,
                    )
                except ProposalError:
                    continue
                missing -= 1
                created += 1
    services.response_times_refresh()
    return created
