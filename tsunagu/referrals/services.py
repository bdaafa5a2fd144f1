"""Writes: connection requests and answers, introductions and their answers, the reward a
client promises. Each is one transaction; a refusal (``ReferralError``) changes nothing.

Locks: a connection's row (created first if missing, the pair's unique constraint deciding a
race), an introduction's row; the account rows of the people involved are never locked here.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import User
from tsunagu.audit.services import audit_record
from tsunagu.contracts.models import Milestone
from tsunagu.guard.engine import scan
from tsunagu.jobs.models import Job, JobStatus, Visibility
from tsunagu.messaging.errors import ContactBlocked
from tsunagu.messaging.services import message_send, room_open_inquiry
from tsunagu.notifications.services import notify
from tsunagu.referrals import selectors
from tsunagu.referrals.errors import ReferralError
from tsunagu.referrals.models import (
    NOTE_MAX,
    REWARD_MAX,
    Connection,
    ConnectionStatus,
    Referral,
    ReferralKind,
    ReferralStatus,
    RewardPayout,
)

# ---------------------------------------------------------------- connections


def _name(user: User) -> str:
    profile = getattr(user, "profile", None)
    return profile.display_name if profile is not None and profile.display_name else user.email


def _lock_pair(a: int, b: int) -> Connection | None:
    low, high = selectors.pair_of(a, b)
    return Connection.objects.select_for_update().filter(user_low_id=low, user_high_id=high).first()


def connection_request(*, by: User, to: User) -> Connection:
    """Ask ``to`` to connect. If ``to`` had already asked ``by``, this accepts their request: two
    people asking each other at the same moment end up connected, in one row."""
    if by.pk == to.pk:
        raise ReferralError.refuse("self_connection")
    if not to.is_active:
        raise ReferralError.refuse("unknown_person")
    low, high = selectors.pair_of(by.pk, to.pk)
    for _attempt in range(2):
        try:
            with transaction.atomic():
                row = _lock_pair(by.pk, to.pk)
                if row is None:
                    row = Connection.objects.create(
                        user_low_id=low, user_high_id=high, requested_by=by
                    )
                    _notify_request(row, by=by, to=to)
                    return row
                return _request_existing(row, by=by, to=to)
        except IntegrityError:
            continue  # the other side created the row at the same moment: read it, locked
    raise ReferralError.refuse("already_requested")  # pragma: no cover


def _request_existing(row: Connection, *, by: User, to: User) -> Connection:
    if row.status == ConnectionStatus.ACCEPTED:
        raise ReferralError.refuse("already_connected")
    if row.status == ConnectionStatus.PENDING:
        if row.requested_by_id == by.pk:
            raise ReferralError.refuse("already_requested")
        return _accept(row, by=by)
    row.status = ConnectionStatus.PENDING
    row.requested_by = by
    row.accepted_at = None
    row.save(update_fields=["status", "requested_by", "accepted_at", "changed_at"])
    _notify_request(row, by=by, to=to)
    return row


def _notify_request(row: Connection, *, by: User, to: User) -> None:
    name = _name(by)
    notify(
        user=to,
        kind="referrals.connection_requested",
        message=lambda: _("%(name)s asked to connect with you.") % {"name": name},
        url=reverse("referrals:connections"),
    )


def _accept(row: Connection, *, by: User) -> Connection:
    row.status = ConnectionStatus.ACCEPTED
    row.accepted_at = timezone.now()
    row.save(update_fields=["status", "accepted_at", "changed_at"])
    requester = User.objects.get(pk=row.requested_by_id)
    name = _name(by)
    notify(
        user=requester,
        kind="referrals.connection_accepted",
        message=lambda: _("%(name)s accepted your connection request.") % {"name": name},
        url=reverse("referrals:connections"),
    )
    return row


def _lock_for_party(connection: Connection, by: User) -> Connection:
    row = Connection.objects.select_for_update().filter(pk=connection.pk).first()
    if row is None or not row.is_party(by.pk):
        raise ReferralError.refuse("not_found")
    return row


def connection_accept(*, connection: Connection, by: User) -> Connection:
    """The person asked accepts the request."""
    with transaction.atomic():
        row = _lock_for_party(connection, by)
        if row.status != ConnectionStatus.PENDING:
            raise ReferralError.refuse("not_pending")
        if row.requested_by_id == by.pk:
            raise ReferralError.refuse("not_the_receiver")
        return _accept(row, by=by)


def connection_decline(*, connection: Connection, by: User) -> Connection:
    """The person asked declines; the one who asked is not told, and may ask again later."""
    with transaction.atomic():
        row = _lock_for_party(connection, by)
        if row.status != ConnectionStatus.PENDING:
            raise ReferralError.refuse("not_pending")
        if row.requested_by_id == by.pk:
            raise ReferralError.refuse("not_the_receiver")
        row.status = ConnectionStatus.DECLINED
        row.save(update_fields=["status", "changed_at"])
        return row


def connection_remove(*, connection: Connection, by: User) -> Connection:
    """Either person ends a connection, or the one who asked withdraws a pending request.
    Introductions already made and contracts stay as they are."""
    with transaction.atomic():
        row = _lock_for_party(connection, by)
        if row.status == ConnectionStatus.PENDING and row.requested_by_id != by.pk:
            raise ReferralError.refuse("not_the_receiver")
        if row.status not in (ConnectionStatus.ACCEPTED, ConnectionStatus.PENDING):
            raise ReferralError.refuse("not_connected")
        row.status = ConnectionStatus.REMOVED
        row.accepted_at = None
        row.save(update_fields=["status", "accepted_at", "changed_at"])
        return row


# ---------------------------------------------------------------- introductions


def _check_note(note: object) -> str:
    text = note.strip() if isinstance(note, str) else ""
    if not text:
        raise ReferralError.refuse("note_required", field="note")
    if len(text) > NOTE_MAX:
        raise ReferralError.refuse("note_too_long", field="note", limit=NOTE_MAX)
    # The note is posted in the inquiry room when accepted, before any escrow is funded: the
    # contact guard's rule for that moment applies now, so nothing is sent that it would stop.
    result = scan(text)
    if result.verdict == "contact":
        raise ContactBlocked([asdict(f) for f in result.findings])
    return text


def _check_reward(reward: object, *, job: Job | None) -> int:
    if reward is None or reward == "":
        return 0
    if isinstance(reward, bool) or not isinstance(reward, int) or not 0 <= reward <= REWARD_MAX:
        raise ReferralError.refuse("reward_invalid", field="reward", limit=f"{REWARD_MAX:,}")
    if reward and job is not None and job.budget_max and reward > job.budget_max:
        raise ReferralError.refuse(
            "reward_exceeds_payment", field="reward", limit=f"{job.budget_max:,}"
        )
    return reward


def referral_create(
    *,
    by: User,
    kind: str,
    client: User,
    worker: User,
    note: str,
    job: Job | None = None,
    reward: int | None = None,
) -> Referral:
    """``by`` introduces ``worker`` to ``client`` (kind introduce) or forwards ``job`` of
    ``client`` to the peer ``worker`` (kind forward). Only to people ``by`` knows: for an
    introduction both of them, for a forward the peer (the job is an open public one).

    A reward can be promised here only by the client, that is never on an introduction the
    referrer makes; the client promises it when accepting (:func:`referral_accept`)."""
    if kind not in ReferralKind.values:
        raise ReferralError.refuse("kind_invalid", field="kind")
    if client.pk == worker.pk:
        raise ReferralError.refuse("self_introduction")
    if by.pk in (client.pk, worker.pk):
        raise ReferralError.refuse("referrer_is_party")
    if reward:
        raise ReferralError.refuse("reward_not_client", field="reward")
    if kind == ReferralKind.FORWARD:
        if job is None:
            raise ReferralError.refuse("job_required", field="job")
        if job.client_id != client.pk:
            raise ReferralError.refuse("job_of_other_client", field="job")
        if job.status != JobStatus.OPEN or job.visibility != Visibility.PUBLIC:
            raise ReferralError.refuse("job_not_open", field="job")
        must_know = [worker]
    else:
        if job is not None and job.client_id != client.pk:
            raise ReferralError.refuse("job_of_other_client", field="job")
        must_know = [client, worker]
    text = _check_note(note)
    for person in must_know:
        if not selectors.knows(by.pk, person.pk):
            raise ReferralError.refuse("stranger")
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                kind=kind, referrer=by, client=client, worker=worker, job=job, note=text
            )
            audit_record(
                actor=by,
                subject=referral,
                event="referral.created",
                after={"kind": kind, "client": client.pk, "worker": worker.pk},
            )
    except IntegrityError:
        raise ReferralError.refuse("already_pending") from None
    receiver = client if kind == ReferralKind.INTRODUCE else worker
    name = _name(by)
    other = _name(worker if receiver == client else client)
    notify(
        user=receiver,
        kind="referrals.referral_received",
        message=lambda: _("%(name)s introduced %(other)s to you.") % {"name": name, "other": other},
        url=reverse("referrals:incoming"),
    )
    return referral


def _lock_referral(referral: Referral, by: User) -> Referral:
    row = Referral.objects.select_for_update().filter(pk=referral.pk).first()
    if row is None or not row.involves(by.pk):
        raise ReferralError.refuse("not_found")
    return row


def referral_accept(*, referral: Referral, by: User, reward: int | None = None) -> Referral:
    """The receiver accepts: the inquiry room between the client and the worker opens with the
    referrer's note at the top. The client may promise a reward to the referrer."""
    with transaction.atomic():
        row = _lock_referral(referral, by)
        if by.pk != row.receiver_id:
            raise ReferralError.refuse("not_the_receiver")
        if not row.is_pending:
            raise ReferralError.refuse("not_pending")
        if reward and by.pk != row.client_id:
            raise ReferralError.refuse("reward_not_client", field="reward")
        promised = _check_reward(reward, job=row.job)
        client = User.objects.get(pk=row.client_id)
        worker = User.objects.get(pk=row.worker_id)
        referrer = User.objects.get(pk=row.referrer_id)
        room = room_open_inquiry(
            client=client,
            worker=worker,
            by=by,
            subject_type="referral",
            subject_id=str(row.pk),
            title=row.job.title if row.job is not None else _("Introduction"),
        )
        header = _("Introduction from %(name)s:") % {"name": _name(referrer)}
        message_send(room=room, sender=by, body=f"{header}\n\n{row.note}")
        row.status = ReferralStatus.ACCEPTED
        row.responded_at = timezone.now()
        row.room = room
        if promised:
            row.reward = promised
        row.save(update_fields=["status", "responded_at", "room", "reward"])
        audit_record(
            actor=by,
            subject=row,
            event="referral.accepted",
            after={"room": room.pk, "reward": row.reward},
        )
        name = _name(by)
        for person in (referrer, worker if by.pk == client.pk else client):
            notify(
                user=person,
                kind="referrals.referral_accepted",
                message=lambda: _("%(name)s accepted the introduction.") % {"name": name},
                url=reverse("referrals:detail", args=[row.pk]),
            )
    return row


def referral_decline(*, referral: Referral, by: User) -> Referral:
    with transaction.atomic():
        row = _lock_referral(referral, by)
        if by.pk != row.receiver_id:
            raise ReferralError.refuse("not_the_receiver")
        if not row.is_pending:
            raise ReferralError.refuse("not_pending")
        row.status = ReferralStatus.DECLINED
        row.responded_at = timezone.now()
        row.save(update_fields=["status", "responded_at"])
        audit_record(actor=by, subject=row, event="referral.declined")
    return row


def referral_withdraw(*, referral: Referral, by: User) -> Referral:
    with transaction.atomic():
        row = _lock_referral(referral, by)
        if by.pk != row.referrer_id:
            raise ReferralError.refuse("not_the_referrer")
        if not row.is_pending:
            raise ReferralError.refuse("not_pending")
        row.status = ReferralStatus.WITHDRAWN
        row.responded_at = timezone.now()
        row.save(update_fields=["status", "responded_at"])
        audit_record(actor=by, subject=row, event="referral.withdrawn")
    return row


def referral_reward_set(*, referral: Referral, by: User, reward: int) -> Referral:
    """The client promises (or changes) the reward of an accepted introduction, until it is
    paid. It may not exceed what the resulting contract pays, once there is one."""
    with transaction.atomic():
        row = _lock_referral(referral, by)
        if by.pk != row.client_id:
            raise ReferralError.refuse("reward_not_client", field="reward")
        if row.status != ReferralStatus.ACCEPTED:
            raise ReferralError.refuse("not_pending")
        if RewardPayout.objects.filter(referral=row, status="paid").exists():
            raise ReferralError.refuse("reward_settled")
        value = _check_reward(reward, job=row.job)
        outcome = selectors.outcomes_for([row])[row.pk]
        if value and outcome.contract_ids:
            limit = Milestone.objects.filter(contract_id__in=outcome.contract_ids).aggregate(
                total=Sum("amount", default=0)
            )["total"]
            if value > limit:
                raise ReferralError.refuse(
                    "reward_exceeds_payment", field="reward", limit=f"{limit:,}"
                )
        before = row.reward
        row.reward = value
        row.save(update_fields=["reward"])
        audit_record(
            actor=by,
            subject=row,
            event="referral.reward_set",
            before={"reward": before},
            after={"reward": value},
        )
    return row
