"""Input and output shapes of /api/v1/referrals."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Field, Schema

from tsunagu.api.schemas import StrictSchema
from tsunagu.core.fields import BigInt, Id, Text


class PersonOut(Schema):
    user_id: int
    profile_id: int
    name: str


class ConnectionOut(Schema):
    id: int
    other: PersonOut
    status: Literal["pending", "accepted", "declined", "removed"]
    incoming: bool = Field(description="A pending request the caller must answer.")
    created_at: datetime.datetime
    accepted_at: datetime.datetime | None


class ConnectionsOut(Schema):
    connected: list[ConnectionOut]
    incoming: list[ConnectionOut]
    outgoing: list[ConnectionOut]


class ConnectionIn(StrictSchema):
    profile_id: Id = Field(description="The profile of the person to connect with.")


class ReferralIn(StrictSchema):
    kind: Literal["introduce", "forward"]
    worker_profile_id: Id = Field(description="The worker introduced (or the peer forwarded to).")
    client_profile_id: Id | None = Field(
        default=None, description="The client; for a forward, the job's client is used."
    )
    job_id: Id | None = None
    note: Text


class AcceptIn(StrictSchema):
    reward: BigInt | None = Field(
        default=None, description="Yen the client promises the referrer (client only)."
    )


class RewardIn(StrictSchema):
    reward: BigInt


class OutcomeOut(Schema):
    stage: Literal["none", "proposal", "offer", "contract", "paid"]
    proposals: int
    offers: int
    contracts: int
    paid_value: int = Field(description="Yen released to the worker, tax excluded.")
    contract_ids: list[int]


class RewardOut(Schema):
    amount: int
    status: Literal["none", "paid", "owed", "refused"]


class ReferralOut(Schema):
    id: int
    kind: Literal["introduce", "forward"]
    status: Literal["pending", "accepted", "declined", "withdrawn"]
    referrer: PersonOut
    client: PersonOut
    worker: PersonOut
    job_id: int | None
    note: str
    room_id: int | None
    created_at: datetime.datetime
    responded_at: datetime.datetime | None
    outcome: OutcomeOut
    reward: RewardOut


class HopOut(Schema):
    user_id: int
    profile_id: int
    name: str
    trust: int


class PathOut(Schema):
    hops: list[HopOut]
    trust: int
    text: str = Field(description="The path as shown, e.g. あなた → 佐藤さん → 田中さん.")


class WhoOut(Schema):
    target: PersonOut
    connected: bool
    paths: list[PathOut]
