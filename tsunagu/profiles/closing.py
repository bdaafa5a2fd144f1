"""Closing an account: the profile keeps its row (contracts and reviews link to it) under a
pseudonym; what the person wrote about themselves and their portfolio are erased."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from tsunagu.accounts.closing import delete_file_on_commit
from tsunagu.core.closing import closing_eraser_register
from tsunagu.profiles.models import PortfolioItem, Profile


def closed_display_name(user_id: int) -> str:
    """The pseudonym of a closed account, in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Closed account #%(id)s") % {"id": user_id}


def erase_profile(user_id: int) -> dict[str, int]:
    items = list(PortfolioItem.objects.filter(profile__user_id=user_id))
    for item in items:
        if item.file:
            delete_file_on_commit(item.file.storage, item.file.name)
    PortfolioItem.objects.filter(profile__user_id=user_id).delete()
    profile = Profile.objects.filter(user_id=user_id).first()
    if profile is None:
        return {"portfolio_items": len(items), "profiles": 0}
    profile.skills.clear()
    profile.display_name = closed_display_name(user_id)
    profile.show_real_name = False
    profile.headline = ""
    profile.bio = ""
    profile.bio_html = ""
    profile.tags = []
    profile.languages = []
    profile.hourly_rate = None
    profile.save()
    return {"portfolio_items": len(items), "profiles": 1}


closing_eraser_register("profiles", erase_profile)
