"""Keep worker profiles in the search index when the profiles app saves them.

The profiles app knows nothing of search: these receivers listen to its saves (the profile row,
then its skills) and re-tokenise the profile inside the same transaction.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from tsunagu.profiles.models import Profile


@receiver(post_save, sender=Profile, dispatch_uid="jobs.index_profile")
def index_profile(sender: Any, instance: Profile, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    from tsunagu.jobs.services import profile_index

    profile_index(profile=instance)


@receiver(m2m_changed, sender=Profile.skills.through, dispatch_uid="jobs.index_profile_skills")
def index_profile_skills(
    sender: Any, instance: Any, action: str, reverse: bool = False, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    from tsunagu.jobs.services import profile_index

    profile_index(profile=instance)
