"""/api/v1/referrals: connections, introductions and their outcomes, "who can introduce me".

The same services and selectors as the pages. Another person's connection or introduction is
404; a refusal (a ``ReferralError``) is answered by the API's one error handler with its code.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from ninja import Router, Status

from tsunagu.accounts.models import User
from tsunagu.accounts.request import signed_in_user
from tsunagu.api.schemas import ErrorOut
from tsunagu.jobs.models import Job
from tsunagu.profiles.models import Profile
from tsunagu.referrals import graph, selectors, services
from tsunagu.referrals.models import Connection
from tsunagu.referrals.schemas import (
    AcceptIn,
    ConnectionIn,
    ConnectionOut,
    ConnectionsOut,
    HopOut,
    OutcomeOut,
    PathOut,
    PersonOut,
    ReferralIn,
    ReferralOut,
    RewardIn,
    RewardOut,
    WhoOut,
)

router = Router(tags=["referrals"])

ERRORS: dict[int | tuple[int, ...], Any] = {(400, 401, 403, 404, 409, 422, 429): ErrorOut}


def _person(profile: Profile | None, user_id: int) -> PersonOut:
    if profile is None:
        return PersonOut(user_id=user_id, profile_id=0, name="")
    return PersonOut(user_id=user_id, profile_id=profile.pk, name=profile.display_name)


def _connection(row: selectors.ConnectionRow, viewer_id: int) -> ConnectionOut:
    c = row.connection
    return ConnectionOut(
        id=c.pk,
        other=_person(row.other, c.other_id(viewer_id)),
        status=c.status,  # type: ignore[arg-type]
        incoming=row.incoming,
        created_at=c.created_at,
        accepted_at=c.accepted_at,
    )


def _connection_one(c: Connection, viewer_id: int) -> ConnectionOut:
    other = selectors.profiles_by_user([c.other_id(viewer_id)]).get(c.other_id(viewer_id))
    return _connection(
        selectors.ConnectionRow(
            connection=c,
            other=other,  # type: ignore[arg-type]
            incoming=c.status == "pending" and c.requested_by_id != viewer_id,
        ),
        viewer_id,
    )


def _referral(row: selectors.ReferralRow) -> ReferralOut:
    r = row.referral
    people = selectors.profiles_by_user([r.referrer_id, r.client_id, r.worker_id])
    o = row.outcome
    return ReferralOut(
        id=r.pk,
        kind=r.kind,  # type: ignore[arg-type]
        status=r.status,  # type: ignore[arg-type]
        referrer=_person(people.get(r.referrer_id), r.referrer_id),
        client=_person(people.get(r.client_id), r.client_id),
        worker=_person(people.get(r.worker_id), r.worker_id),
        job_id=r.job_id,
        note=r.note,
        room_id=r.room_id,
        created_at=r.created_at,
        responded_at=r.responded_at,
        outcome=OutcomeOut(
            stage=o.stage,  # type: ignore[arg-type]
            proposals=o.proposals,
            offers=o.offers,
            contracts=o.contracts,
            paid_value=o.paid_value,
            contract_ids=o.contract_ids,
        ),
        reward=RewardOut(
            amount=r.reward,
            status=row.payout.status if row.payout is not None else "none",  # type: ignore[arg-type]
        ),
    )


def _user_of_profile(profile_id: int | None) -> User:
    if profile_id is None:
        raise Http404
    return get_object_or_404(Profile.objects.select_related("user"), pk=profile_id).user


# ---------------------------------------------------------------- connections


@router.get("/connections", response={200: ConnectionsOut, **ERRORS}, summary="My connections")
def connections(request: HttpRequest) -> Any:
    user = signed_in_user(request)
    groups = selectors.connections_of(user=user)
    return ConnectionsOut(
        **{key: [_connection(row, user.pk) for row in rows] for key, rows in groups.items()}
    )


@router.post(
    "/connections",
    response={201: ConnectionOut, **ERRORS},
    summary="Ask someone to connect (accepts their request if they asked first)",
)
def connection_request(request: HttpRequest, payload: ConnectionIn) -> Any:
    user = signed_in_user(request)
    row = services.connection_request(by=user, to=_user_of_profile(payload.profile_id))
    return Status(201, _connection_one(row, user.pk))


def _connection_action(request: HttpRequest, connection_id: int, action: Any) -> ConnectionOut:
    user = signed_in_user(request)
    row = selectors.connection_for_party(pk=connection_id, viewer=user)
    return _connection_one(action(connection=row, by=user), user.pk)


@router.post(
    "/connections/{int:connection_id}/accept",
    response={200: ConnectionOut, **ERRORS},
    summary="Accept a connection request",
)
def connection_accept(request: HttpRequest, connection_id: int) -> Any:
    return _connection_action(request, connection_id, services.connection_accept)


@router.post(
    "/connections/{int:connection_id}/decline",
    response={200: ConnectionOut, **ERRORS},
    summary="Decline a connection request",
)
def connection_decline(request: HttpRequest, connection_id: int) -> Any:
    return _connection_action(request, connection_id, services.connection_decline)


@router.post(
    "/connections/{int:connection_id}/remove",
    response={200: ConnectionOut, **ERRORS},
    summary="Remove a connection, or withdraw my request",
)
def connection_remove(request: HttpRequest, connection_id: int) -> Any:
    return _connection_action(request, connection_id, services.connection_remove)


# ---------------------------------------------------------------- introductions


@router.get(
    "/introductions",
    response={200: list[ReferralOut], **ERRORS},
    summary="Introductions I made, with their outcomes",
)
def made(request: HttpRequest) -> Any:
    return [_referral(row) for row in selectors.referrals_made(user=signed_in_user(request))]


@router.get(
    "/introductions/received",
    response={200: list[ReferralOut], **ERRORS},
    summary="Introductions where I am the client or the worker",
)
def received(request: HttpRequest) -> Any:
    return [_referral(row) for row in selectors.referrals_received(user=signed_in_user(request))]


@router.post(
    "/introductions",
    response={201: ReferralOut, **ERRORS},
    summary="Introduce a worker to a client, or forward a job to a peer",
)
def create(request: HttpRequest, payload: ReferralIn) -> Any:
    user = signed_in_user(request)
    job = get_object_or_404(Job, pk=payload.job_id) if payload.job_id is not None else None
    worker = _user_of_profile(payload.worker_profile_id)
    if payload.kind == "forward" and job is not None:
        client = job.client
    else:
        client = _user_of_profile(payload.client_profile_id)
    referral = services.referral_create(
        by=user, kind=payload.kind, client=client, worker=worker, job=job, note=payload.note
    )
    return Status(201, _referral(selectors.referral_row(referral=referral)))


def _one(request: HttpRequest, referral_id: int) -> Any:
    user = signed_in_user(request)
    return user, selectors.referral_for_viewer(pk=referral_id, viewer=user)


@router.get(
    "/introductions/{int:referral_id}",
    response={200: ReferralOut, **ERRORS},
    summary="One introduction with its outcome",
)
def detail(request: HttpRequest, referral_id: int) -> Any:
    _user, referral = _one(request, referral_id)
    return _referral(selectors.referral_row(referral=referral))


@router.get(
    "/outcomes",
    response={200: list[OutcomeOut], **ERRORS},
    summary="The outcomes of my introductions, in the order of /introductions",
)
def outcomes(request: HttpRequest) -> Any:
    return [
        _referral(row).outcome for row in selectors.referrals_made(user=signed_in_user(request))
    ]


@router.post(
    "/introductions/{int:referral_id}/accept",
    response={200: ReferralOut, **ERRORS},
    summary="Accept an introduction: the conversation opens with the note at the top",
)
def accept(request: HttpRequest, referral_id: int, payload: AcceptIn) -> Any:
    user, referral = _one(request, referral_id)
    referral = services.referral_accept(referral=referral, by=user, reward=payload.reward)
    return _referral(selectors.referral_row(referral=referral))


@router.post(
    "/introductions/{int:referral_id}/decline",
    response={200: ReferralOut, **ERRORS},
    summary="Decline an introduction",
)
def decline(request: HttpRequest, referral_id: int) -> Any:
    user, referral = _one(request, referral_id)
    referral = services.referral_decline(referral=referral, by=user)
    return _referral(selectors.referral_row(referral=referral))


@router.post(
    "/introductions/{int:referral_id}/withdraw",
    response={200: ReferralOut, **ERRORS},
    summary="Withdraw an introduction I sent",
)
def withdraw(request: HttpRequest, referral_id: int) -> Any:
    user, referral = _one(request, referral_id)
    referral = services.referral_withdraw(referral=referral, by=user)
    return _referral(selectors.referral_row(referral=referral))


@router.put(
    "/introductions/{int:referral_id}/reward",
    response={200: ReferralOut, **ERRORS},
    summary="Promise or change the referral reward (the client)",
)
def reward(request: HttpRequest, referral_id: int, payload: RewardIn) -> Any:
    user, referral = _one(request, referral_id)
    referral = services.referral_reward_set(referral=referral, by=user, reward=payload.reward)
    return _referral(selectors.referral_row(referral=referral))


# ---------------------------------------------------------------- who can introduce


def path_text(path: graph.Path, target_name: str) -> str:
    names = [_("You")] + [
        pgettext("a person on a path", "%(name)s") % {"name": n}
        for n in [*(h.name for h in path.hops), target_name]
    ]
    return " → ".join(names)


@router.get(
    "/who-can-introduce/{int:profile_id}",
    response={200: WhoOut, **ERRORS},
    summary="People I know who can introduce me to this person, best first",
)
def who(request: HttpRequest, profile_id: int) -> Any:
    user = signed_in_user(request)
    profile = get_object_or_404(Profile, pk=profile_id)
    answer = graph.who_can_introduce(viewer_id=user.pk, target_id=profile.user_id)
    return WhoOut(
        target=_person(profile, profile.user_id),
        connected=answer.connected,
        paths=[
            PathOut(
                hops=[HopOut(**vars_of(h)) for h in p.hops],
                trust=p.trust,
                text=path_text(p, profile.display_name),
            )
            for p in answer.paths
        ],
    )


def vars_of(hop: graph.Hop) -> dict[str, Any]:
    return {
        "user_id": hop.user_id,
        "profile_id": hop.profile_id,
        "name": hop.name,
        "trust": hop.trust,
    }
