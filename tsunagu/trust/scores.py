"""Trust scores of people: computed from the facts, kept fresh, and explained.

``trust_scores_for`` computes scores for many people at once (the breakdown included);
``trust_scores_refresh`` stores the numbers on the profiles, where lists filter and sort by them.
Scores are refreshed right after money reaches a worker (the contracts app's ``milestone_paid``)
and after reviews are published; the periodic full pass catches anything missed.

``trust_scores_shown`` is the score with its breakdown as a profile page or the API shows it: read
from the shared cache, where each refresh puts the scores it computed, and computed there at most
every ``SHOWN_SECONDS`` otherwise (the facts behind a score are a dozen queries over a person's
whole history, and a profile is the most visited page).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.cache import cache
from django.db.models import Avg

from tsunagu.profiles.services import profile_trust_scores_record
from tsunagu.trust import sources
from tsunagu.trust.facts import facts_for
from tsunagu.trust.models import Review
from tsunagu.trust.network import network_percentiles, network_trust_update
from tsunagu.trust.scoring import Role, Score, trust_score

logger = logging.getLogger(__name__)

# The platform's mean before there are reviews to measure it from.
DEFAULT_MEAN_STARS = 4.5
# How long a shown score may stand before it is computed again when no refresh replaced it: what
# moves a score without a refresh (an answer chosen as best, an endorsement, a community's thanks)
# shows within this time.
SHOWN_SECONDS = 10 * 60
_SHOWN_KEY = "trust:shown:{}"


def platform_mean_stars() -> float:
    mean = Review.objects.filter(revealed_at__isnull=False).aggregate(mean=Avg("stars"))["mean"]
    return float(mean) if mean is not None else DEFAULT_MEAN_STARS


def _stars(user_ids: list[int], role: Role) -> dict[int, list[int]]:
    stars: dict[int, list[int]] = defaultdict(list)
    rows = Review.objects.filter(
        subject_id__in=user_ids, subject_role=str(role), revealed_at__isnull=False
    ).values_list("subject_id", "stars")
    for subject_id, value in rows:
        stars[subject_id].append(value)
    return stars


def trust_scores_for(
    *,
    user_ids: Iterable[int],
    role: Role,
    network: Mapping[int, float] | None = None,
    mean_stars: float | None = None,
    contributions: Mapping[int, sources.Contribution] | None = None,
) -> dict[int, Score]:
    """Each person's score in ``role`` with its breakdown, in a constant number of queries.

    ``network``, ``mean_stars`` and ``contributions``, when given, were read for these same
    people by the caller (both roles share them)."""
    ids = sorted({int(pk) for pk in user_ids})
    if not ids:
        return {}
    mean = platform_mean_stars() if mean_stars is None else mean_stars
    if contributions is None:
        contributions = sources.contributions(ids)
    if network is None:
        network = network_percentiles(_with_endorsers(ids, contributions))
    facts = facts_for(
        user_ids=ids,
        role=role,
        stars=_stars(ids, role),
        network=network,
        contributions=contributions,
    )
    return {pk: trust_score(f, platform_mean_stars=mean) for pk, f in facts.items()}


def _with_endorsers(ids: list[int], contributions: Mapping[int, sources.Contribution]) -> list[int]:
    """The people and everyone who endorsed them: an endorsement counts by its author's network
    trust."""
    return sorted({*ids, *(pk for c in contributions.values() for pk in c.endorsers)})


def trust_scores_both(*, user_ids: Iterable[int]) -> dict[int, dict[Role, Score]]:
    """Each person's score as worker and as client; the platform's mean stars and the network
    percentiles are read once for both."""
    ids = sorted({int(pk) for pk in user_ids})
    if not ids:
        return {}
    mean = platform_mean_stars()
    contributions = sources.contributions(ids)
    network = network_percentiles(_with_endorsers(ids, contributions))
    by_role = {
        role: trust_scores_for(
            user_ids=ids,
            role=role,
            network=network,
            mean_stars=mean,
            contributions=contributions,
        )
        for role in (Role.WORKER, Role.CLIENT)
    }
    return {pk: {role: scores[pk] for role, scores in by_role.items()} for pk in ids}


def trust_scores_shown(*, user_id: int) -> dict[Role, Score]:
    """One person's score as worker and as client, with the breakdown, as pages show it."""
    key = _SHOWN_KEY.format(int(user_id))
    shown: dict[Role, Score] | None = cache.get(key)
    if shown is None:
        shown = trust_scores_both(user_ids=[user_id])[int(user_id)]
        cache.set(key, shown, SHOWN_SECONDS)
    return shown


def trust_scores_refresh(*, user_ids: Iterable[int]) -> int:
    """Compute both roles' scores for these people, store them on their profiles, and show them
    from now on (the shown scores are replaced in the cache, not left to expire)."""
    both = trust_scores_both(user_ids=user_ids)
    cache.set_many({_SHOWN_KEY.format(pk): s for pk, s in both.items()}, SHOWN_SECONDS)
    return profile_trust_scores_record(
        scores={pk: (s[Role.WORKER].value, s[Role.CLIENT].value) for pk, s in both.items()}
    )


def trust_scores_refresh_after_commit(*, user_ids: Iterable[int]) -> None:
    """Refresh after the change that moved them committed. The change stands whatever happens
    here; a failure is logged and the periodic full pass stores the scores later."""
    try:
        trust_scores_refresh(user_ids=user_ids)
    except Exception:
        logger.exception("trust scores of %s not refreshed", sorted(user_ids))


def on_milestone_paid(*, client_id: int, worker_id: int, **_: Any) -> None:
    """The two people of a contract that just paid: their network trust moves one step at once
    (``network_trust_update``), then their scores are stored."""
    try:
        network_trust_update(user_ids=[client_id, worker_id])
    except Exception:
        logger.exception("network trust of %s not updated", sorted((client_id, worker_id)))
    trust_scores_refresh_after_commit(user_ids=[client_id, worker_id])
