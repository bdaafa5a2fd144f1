"""/api/v1/profiles: the public worker list and profiles, and the caller's own profile."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from tsunagu.accounts.request import signed_in_user
from tsunagu.accounts.selectors import verified_levels_for
from tsunagu.api.errors import error_body
from tsunagu.api.schemas import ErrorOut
from tsunagu.core.fields import Int, Line
from tsunagu.profiles import rules, selectors, services
from tsunagu.profiles.forms import ProfileForm, WorkerFilterForm
from tsunagu.profiles.models import Profile
from tsunagu.profiles.schemas import (
    PortfolioItemOut,
    ProfileListOut,
    ProfileOut,
    ProfilePatchIn,
    ProfileSummaryOut,
    SkillOut,
)

router = Router(tags=["profiles"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 422, 429): ErrorOut}


class ListFilters(Schema):
    q: Line = ""
    skill: Line = ""
    language: Line = ""
    availability: Line = ""
    min_score: Line = Field("", description="Keep workers with at least this trust score (0–100).")
    sort: Line = Field("", description='"" (recently updated) or "trust" (highest score first).')
    page: Int = 1


def _summary(profile: Profile, levels: set[str]) -> dict[str, Any]:
    real = profile.user.legal_name if profile.show_real_name else ""
    return {
        "id": profile.pk,
        "display_name": profile.display_name,
        "real_name": real or None,
        "headline": profile.headline,
        "skills": [SkillOut.from_orm(s) for s in profile.skills.all()],
        "tags": list(profile.tags or []),
        "hourly_rate": profile.hourly_rate,
        "currency": profile.currency,
        "availability": profile.availability,
        "languages": list(profile.languages or []),
        "time_zone": profile.user.time_zone,
        "verified": sorted(levels),
        "worker_trust_score": profile.worker_trust_score,
        "client_trust_score": profile.client_trust_score,
    }


def _full(profile: Profile) -> ProfileOut:
    levels = verified_levels_for(user_ids=[profile.user_id]).get(profile.user_id, set())
    return ProfileOut(
        **_summary(profile, levels),
        bio=profile.bio,
        bio_html=profile.bio_html,
        is_worker=profile.is_worker,
        is_client=profile.is_client,
        show_real_name=profile.show_real_name,
        working_hours_start=profile.working_hours_start,
        working_hours_end=profile.working_hours_end,
        working_days=list(profile.working_days or []),
        weekly_capacity_hours=profile.weekly_capacity_hours,
        portfolio=[
            PortfolioItemOut(
                id=item.pk,
                kind=item.kind,
                title=item.title,
                description=item.description,
                url=item.url or (item.file.url if item.file else ""),
                file_name=item.original_name,
                size=item.size,
                sha256=item.sha256,
            )
            for item in profile.portfolio_items.all()
        ],
    )


@router.get("", response={200: ProfileListOut, **ERRORS}, auth=None, summary="Find workers")
def list_profiles(request: HttpRequest, filters: Query[ListFilters]) -> Any:
    form = WorkerFilterForm(
        {
            "q": filters.q,
            "skill": filters.skill,
            "language": filters.language,
            "availability": filters.availability,
            "min_score": filters.min_score,
            "sort": filters.sort,
        }
    )
    if not form.is_valid():
        return Status(
            422,
            error_body(
                "invalid",
                _("Some of the values sent are not valid."),
                [{"field": f, "message": str(e[0])} for f, e in form.errors.items()],
            ),
        )
    result = selectors.worker_page(filters=form.filters(), page_number=max(filters.page, 1))
    return ProfileListOut(
        count=result.page.paginator.count,
        page=result.page.number,
        pages=result.page.paginator.num_pages,
        items=[
            ProfileSummaryOut(**_summary(card.profile, {b.code for b in card.badges}))
            for card in result.cards
        ],
    )


@router.get("/me", response={200: ProfileOut, **ERRORS}, summary="My profile")
def get_my_profile(request: HttpRequest) -> Any:
    return _full(selectors.profile_public_get(pk=_own_profile_pk(request)))


@router.patch("/me", response={200: ProfileOut, **ERRORS}, summary="Change my profile")
def patch_my_profile(request: HttpRequest, payload: ProfilePatchIn) -> Any:
    # Only the caller's own profile can be reached here: there is no id to change.
    profile = selectors.profile_public_get(pk=_own_profile_pk(request))
    sent = payload.model_dump(exclude_unset=True)
    # The edit page's form validates, so both front ends apply exactly the same rules.
    data = ProfileForm.initial_from(profile)
    data.update(sent)
    if "hourly_rate" in sent and sent["hourly_rate"] is not None:
        data["hourly_rate"] = rules.minor_to_major(sent["hourly_rate"], data["currency"])
    data["hourly_rate"] = "" if data["hourly_rate"] is None else str(data["hourly_rate"])
    for name in ("working_hours_start", "working_hours_end"):
        if data[name] is not None:
            data[name] = data[name].strftime("%H:%M:%S")
    form = ProfileForm(data)
    if not form.is_valid():
        return Status(422, _form_errors(form.errors.get_json_data()))
    services.profile_update(profile=profile, actor=signed_in_user(request), changes=form.changes())
    return _full(selectors.profile_public_get(pk=profile.pk))


@router.get(
    "/{int:profile_id}", response={200: ProfileOut, **ERRORS}, auth=None, summary="A profile"
)
def get_profile(request: HttpRequest, profile_id: int) -> Any:
    return _full(selectors.profile_public_get(pk=profile_id))


def _own_profile_pk(request: HttpRequest) -> int:
    """The caller's own profile: the only one PATCH can reach, since it takes no id."""
    user = signed_in_user(request)
    pk = Profile.objects.filter(user=user).values_list("pk", flat=True).first()
    if pk is None:  # every account has one; a missing one is a 404, never someone else's
        raise Http404
    return int(pk)


def _form_errors(errors: dict[str, list[dict[str, str]]]) -> dict[str, Any]:
    fields = [
        {"field": "" if name == "__all__" else name, "message": e["message"]}
        for name, items in errors.items()
        for e in items
    ]
    return error_body("invalid", _("Some of the values sent are not valid."), fields)
