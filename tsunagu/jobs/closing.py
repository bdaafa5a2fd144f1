"""Closing an account: saved searches (and their alert history) are erased; the profile leaves
the search index; the person's open jobs are closed, so that nobody applies to an account that
can no longer answer (drafts stay unpublished, as they were)."""

from __future__ import annotations

from tsunagu.accounts.models import User
from tsunagu.core.closing import closing_eraser_register
from tsunagu.jobs import search
from tsunagu.jobs.models import Job, JobStatus, SavedSearch
from tsunagu.jobs.services import job_close
from tsunagu.profiles.models import Profile


def erase_saved_searches(user_id: int) -> dict[str, int]:
    for profile_id in Profile.objects.filter(user_id=user_id).values_list("pk", flat=True):
        search.profile_document_delete(profile_id=profile_id)
    deleted = SavedSearch.objects.filter(user_id=user_id).count()
    SavedSearch.objects.filter(user_id=user_id).delete()
    return {"saved_searches": deleted}


def close_open_jobs(user_id: int) -> dict[str, int]:
    client = User.objects.get(pk=user_id)
    jobs = list(Job.objects.filter(client_id=user_id, status=JobStatus.OPEN).order_by("pk"))
    for job in jobs:
        job_close(actor=client, job=job)
    return {"jobs_closed": len(jobs)}


closing_eraser_register("jobs", erase_saved_searches)
closing_eraser_register("jobs.open", close_open_jobs)
