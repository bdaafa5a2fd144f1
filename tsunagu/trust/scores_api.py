"""/api/v1/trust: a person's trust score as worker and as client, with its breakdown.

Scores are public, like the profile that shows them: anyone may read them (``auth=None``) for an
active account with a profile; anything else is 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from tsunagu.api.schemas import ErrorOut
from tsunagu.profiles.models import Profile
from tsunagu.trust.explain import breakdown
from tsunagu.trust.scores import trust_scores_shown
from tsunagu.trust.scoring import Role

router = Router(tags=["trust"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 404, 429): ErrorOut}


class PartOut(Schema):
    component: str
    label: str
    weight: int
    value_percent: int
    points: float
    known: bool
    sentence: str


class ScoreOut(Schema):
    role: str = Field(description="worker or client")
    value: int | None
    new: bool
    parts: list[PartOut]


class TrustOut(Schema):
    user_id: int
    display_name: str
    worker: ScoreOut
    client: ScoreOut


@router.get(
    "/{user_id}",
    response={200: TrustOut, **ERRORS},
    auth=None,
    summary="A person's trust score as worker and as client, and why",
)
def trust_of(request: HttpRequest, user_id: int) -> TrustOut:
    if not 0 < user_id < 2**63:  # beyond any id: not found, not an overflow in the database
        raise Http404
    profile = (
        Profile.objects.filter(user_id=user_id, user__is_active=True)
        .only("user_id", "display_name")
        .first()
    )
    if profile is None:
        raise Http404
    scores = {
        role: ScoreOut(
            role=role.value,
            value=score.value,
            new=score.is_new,
            parts=[PartOut(**vars(line)) for line in breakdown(score)],
        )
        for role, score in trust_scores_shown(user_id=profile.user_id).items()
    }
    return TrustOut(
        user_id=profile.user_id,
        display_name=profile.display_name,
        worker=scores[Role.WORKER],
        client=scores[Role.CLIENT],
    )
