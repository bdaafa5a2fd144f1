"""Closing an account: saved searches (and their alert history) are erased; the profile leaves
the search index."""

from __future__ import annotations

from tsunagu.core.closing import closing_eraser_register
from tsunagu.jobs import search
from tsunagu.jobs.models import SavedSearch
from tsunagu.profiles.models import Profile


def erase_saved_searches(user_id: int) -> dict[str, int]:
    for profile_id in Profile.objects.filter(user_id=user_id).values_list("pk", flat=True):
        search.profile_document_delete(profile_id=profile_id)
    deleted = SavedSearch.objects.filter(user_id=user_id).count()
    SavedSearch.objects.filter(user_id=user_id).delete()
    return {"saved_searches": deleted}


closing_eraser_register("jobs", erase_saved_searches)
